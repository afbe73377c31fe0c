//! Wildcard patterns (`*`, `?`) and policy-variable templates (`${aws:username}`).

use std::borrow::Cow;

use super::keys::{KeyLookup, KeyValues};

/// One piece of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text.
    Lit(Box<str>),
    /// `*`: any run of characters, possibly empty.
    Star,
    /// `?`: exactly one character.
    One,
    /// `${key}` or `${key, 'default'}`: a policy variable (key lower-cased).
    Var {
        /// The key, lower-cased.
        key: Box<str>,
        /// The default used when the key is absent.
        default: Option<Box<str>>,
    },
}

/// A compiled pattern or template: literal text, wildcards, policy variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
    has_vars: bool,
}

/// The outcome of substituting a template's variables.
#[derive(Debug)]
pub enum Resolved<'t> {
    /// The parts, variables replaced by literal text.
    Parts(Cow<'t, [Part]>),
    /// A variable's key is absent and has no default: the element does not match.
    Absent,
    /// A variable's key is unknown.
    Unknown(&'t str),
}

impl Template {
    /// Compiles `text`. `wildcards`: `*`/`?` are wildcards (else literal);
    /// `variables`: `${…}` is substituted (policy version 2012-10-17);
    /// `fold`: lower-case literal text (action names).
    pub fn parse(text: &str, wildcards: bool, variables: bool, fold: bool) -> Template {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut has_vars = false;
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if variables && rest.starts_with("${") {
                if let Some(end) = rest.find('}') {
                    let inner = &rest[2..end];
                    rest = &rest[end + 1..];
                    match inner {
                        "*" | "?" | "$" => lit.push_str(inner),
                        _ => {
                            flush(&mut parts, &mut lit);
                            let (key, default) = split_default(inner);
                            parts.push(Part::Var {
                                key: key.trim().to_lowercase().into(),
                                default: default.map(Into::into),
                            });
                            has_vars = true;
                        }
                    }
                    continue;
                }
            }
            rest = &rest[c.len_utf8()..];
            match c {
                '*' if wildcards => {
                    flush(&mut parts, &mut lit);
                    if parts.last() != Some(&Part::Star) {
                        parts.push(Part::Star);
                    }
                }
                '?' if wildcards => {
                    flush(&mut parts, &mut lit);
                    parts.push(Part::One);
                }
                _ if fold => lit.extend(c.to_lowercase()),
                _ => lit.push(c),
            }
        }
        flush(&mut parts, &mut lit);
        Template { parts, has_vars }
    }

    /// True when the template holds a policy variable.
    pub fn has_vars(&self) -> bool {
        self.has_vars
    }

    /// The compiled parts.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// The text when the template is a single literal (or empty).
    pub fn literal(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [] => Some(""),
            [Part::Lit(s)] => Some(s),
            _ => None,
        }
    }

    /// True when the template is exactly `*`.
    pub fn is_star(&self) -> bool {
        self.parts == [Part::Star]
    }

    /// Substitutes variables from `keys`.
    pub fn resolve<'t>(&'t self, keys: &dyn KeyLookup) -> Resolved<'t> {
        if !self.has_vars {
            return Resolved::Parts(Cow::Borrowed(&self.parts));
        }
        let mut out = Vec::with_capacity(self.parts.len());
        for part in &self.parts {
            match part {
                Part::Var { key, default } => {
                    let value = match keys.lookup(key) {
                        KeyValues::One(v) => v.to_string(),
                        KeyValues::Many(vs) if !vs.is_empty() => vs[0].clone(),
                        KeyValues::Unknown => return Resolved::Unknown(key),
                        _ => match default {
                            Some(d) => d.to_string(),
                            None => return Resolved::Absent,
                        },
                    };
                    out.push(Part::Lit(value.into()));
                }
                other => out.push(other.clone()),
            }
        }
        Resolved::Parts(Cow::Owned(out))
    }
}

/// The outcome of matching a template against a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateMatch<'t> {
    /// Matched (`true`) or not.
    Matched(bool),
    /// A variable's key is absent and has no default: the element does not match.
    Absent,
    /// A variable's key is unknown.
    Unknown(&'t str),
}

impl Template {
    /// Substitutes variables from `keys` and matches `text`, without allocating when the
    /// template has at most 16 parts; same outcome as [`Template::resolve`] then [`matches`].
    pub fn matches_with<'t>(&'t self, text: &str, keys: &dyn KeyLookup) -> TemplateMatch<'t> {
        if !self.has_vars {
            return TemplateMatch::Matched(matches(&self.parts, text));
        }
        const MAX: usize = 16;
        if self.parts.len() > MAX {
            return match self.resolve(keys) {
                Resolved::Parts(p) => TemplateMatch::Matched(matches(&p, text)),
                Resolved::Absent => TemplateMatch::Absent,
                Resolved::Unknown(k) => TemplateMatch::Unknown(k),
            };
        }
        let mut subst = [""; MAX];
        for (i, part) in self.parts.iter().enumerate() {
            if let Part::Var { key, default } = part {
                subst[i] = match keys.lookup(key) {
                    KeyValues::One(v) => v,
                    KeyValues::Many(vs) if !vs.is_empty() => &vs[0],
                    KeyValues::Unknown => return TemplateMatch::Unknown(key),
                    _ => match default {
                        Some(d) => d,
                        None => return TemplateMatch::Absent,
                    },
                };
            }
        }
        TemplateMatch::Matched(matches_subst(&self.parts, &subst[..self.parts.len()], text))
    }
}

fn flush(parts: &mut Vec<Part>, lit: &mut String) {
    if !lit.is_empty() {
        parts.push(Part::Lit(std::mem::take(lit).into()));
    }
}

/// Splits `key, 'default'` into the key and the default value.
fn split_default(inner: &str) -> (&str, Option<&str>) {
    if let Some((key, rest)) = inner.split_once(',') {
        let rest = rest.trim();
        let default = rest
            .strip_prefix('\'')
            .and_then(|r| r.strip_suffix('\''))
            .unwrap_or(rest);
        (key, Some(default))
    } else {
        (inner, None)
    }
}

/// Concatenates resolved literal parts (wildcards rendered as `*`/`?`).
pub fn render(parts: &[Part]) -> String {
    let mut s = String::new();
    for p in parts {
        match p {
            Part::Lit(l) => s.push_str(l),
            Part::Star => s.push('*'),
            Part::One => s.push('?'),
            Part::Var { key, .. } => {
                s.push_str("${");
                s.push_str(key);
                s.push('}');
            }
        }
    }
    s
}

/// Matches `text` against resolved `parts` (no variables left): `*` any run, `?` one char.
pub fn matches(parts: &[Part], text: &str) -> bool {
    // The common shapes first: exact text, `*`, a prefix, a suffix.
    match parts {
        [] => text.is_empty(),
        [Part::Lit(l)] => **l == *text,
        [Part::Star] => true,
        [Part::Lit(l), Part::Star] => text.starts_with(&**l),
        [Part::Star, Part::Lit(l)] => text.ends_with(&**l),
        _ => matches_subst(parts, &[], text),
    }
}

/// Matches `text` against `parts`, reading the variable at part index `i` as the literal
/// `subst[i]` (a variable without a substitute never matches).
fn matches_subst(parts: &[Part], subst: &[&str], text: &str) -> bool {
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut backtrack: Option<(usize, usize)> = None;
    loop {
        if pi < parts.len() {
            match &parts[pi] {
                Part::Star => {
                    backtrack = Some((pi + 1, ti));
                    pi += 1;
                    continue;
                }
                Part::One => {
                    if let Some(c) = text[ti..].chars().next() {
                        ti += c.len_utf8();
                        pi += 1;
                        continue;
                    }
                }
                Part::Lit(l) => {
                    if text[ti..].starts_with(&**l) {
                        ti += l.len();
                        pi += 1;
                        continue;
                    }
                }
                Part::Var { .. } => match subst.get(pi) {
                    Some(l) => {
                        if text[ti..].starts_with(l) {
                            ti += l.len();
                            pi += 1;
                            continue;
                        }
                    }
                    None => return false,
                },
            }
        } else if ti == text.len() {
            return true;
        }
        match backtrack {
            Some((p, t)) => match text[t..].chars().next() {
                Some(c) => {
                    let nt = t + c.len_utf8();
                    backtrack = Some((p, nt));
                    pi = p;
                    ti = nt;
                }
                None => return false,
            },
            None => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, t: &str) -> bool {
        matches(Template::parse(p, true, false, false).parts(), t)
    }

    #[test]
    fn wildcards() {
        assert!(m("s3:Get*", "s3:GetObject"));
        assert!(m("*", ""));
        assert!(m("a*b*c", "aXbYc"));
        assert!(!m("a*b*c", "aXbY"));
        assert!(m("s3:GetObjec?", "s3:GetObject"));
        assert!(!m("s3:GetObject?", "s3:GetObject"));
        assert!(m("*abc", "ababc"));
        assert!(m("é?", "éü"));
    }

    #[test]
    fn special_variables_are_literal() {
        let t = Template::parse("a${*}b", true, true, false);
        assert!(matches(t.parts(), "a*b"));
        assert!(!matches(t.parts(), "axb"));
        let t = Template::parse("${aws:PrincipalTag/team, 'none'}", true, true, false);
        assert_eq!(
            t.parts(),
            [Part::Var {
                key: "aws:principaltag/team".into(),
                default: Some("none".into())
            }]
        );
    }
}
