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
    /// `${key}` or `${key, 'default'}`: a policy variable (boxed: rare, and it keeps
    /// every part two words wide).
    Var(Box<Var>),
}

/// A policy variable of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Var {
    /// The key, lower-cased.
    pub key: Box<str>,
    /// The default used when the key is absent.
    pub default: Option<Box<str>>,
}

/// A compiled pattern or template: literal text, wildcards, policy variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Box<[Part]>,
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
                            parts.push(Part::Var(Box::new(Var {
                                key: key.trim().to_lowercase().into(),
                                default: default.map(Into::into),
                            })));
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
        Template {
            parts: parts.into_boxed_slice(),
            has_vars,
        }
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
        match &*self.parts {
            [] => Some(""),
            [Part::Lit(s)] => Some(s),
            _ => None,
        }
    }

    /// True when the template is exactly `*`.
    pub fn is_star(&self) -> bool {
        *self.parts == [Part::Star]
    }

    /// Substitutes variables from `keys`.
    pub fn resolve<'t>(&'t self, keys: &dyn KeyLookup) -> Resolved<'t> {
        if !self.has_vars {
            return Resolved::Parts(Cow::Borrowed(&self.parts));
        }
        let mut out = Vec::with_capacity(self.parts.len());
        for part in &self.parts {
            match part {
                Part::Var(var) => {
                    let Var { key, default } = &**var;
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
            if let Part::Var(var) = part {
                let Var { key, default } = &**var;
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
            Part::Var(var) => {
                s.push_str("${");
                s.push_str(&var.key);
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
                Part::Var(_) => match subst.get(pi) {
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

/// `text` after one (non-ASCII) pattern character `c` at its start, `None` when it does
/// not start with it (with `fold`: with its lower case, which may be several characters).
fn match_char<'t>(c: &str, text: &'t str, fold: bool) -> Option<&'t str> {
    if !fold {
        return text.strip_prefix(c);
    }
    let mut rest = text;
    for l in c.chars().flat_map(char::to_lowercase) {
        rest = rest.strip_prefix(l)?;
    }
    Some(rest)
}

/// Whether `text` matches `pattern` (`*` any run, `?` one character), straight from
/// the pattern's text; with `fold`, the pattern's letters match their lower case
/// (`text` is lower-cased already). Greedy with single-star backtracking.
pub(crate) fn wildcard_match(pattern: &str, text: &str, fold: bool) -> bool {
    let (pb, tb) = (pattern.as_bytes(), text.as_bytes());
    let char_len = |s: &str, i: usize| s[i..].chars().next().map_or(1, char::len_utf8);
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if p < pb.len() {
            match pb[p] {
                b'*' => {
                    p += 1;
                    star = Some((p, t));
                    continue;
                }
                b'?' => {
                    if t < tb.len() {
                        t += char_len(text, t);
                        p += 1;
                        continue;
                    }
                }
                c if c.is_ascii() => {
                    let c = if fold { c.to_ascii_lowercase() } else { c };
                    if tb.get(t) == Some(&c) {
                        p += 1;
                        t += 1;
                        continue;
                    }
                }
                _ => {
                    let n = char_len(pattern, p);
                    if let Some(after) = match_char(&pattern[p..p + n], &text[t..], fold) {
                        p += n;
                        t = tb.len() - after.len();
                        continue;
                    }
                }
            }
        } else if t == tb.len() || star.is_some_and(|(sp, _)| sp == pb.len()) {
            // All matched, or a last `*` takes the rest.
            return true;
        }
        match star {
            Some((sp, st)) if st < tb.len() => {
                let nt = st + char_len(text, st);
                star = Some((sp, nt));
                p = sp;
                t = nt;
            }
            _ => return false,
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
    fn wildcard_match_agrees_with_compiled_parts() {
        let cases = [
            ("s3:Get*", "s3:getobject"),
            ("s3:get*", "s3:getobject"),
            ("*", ""),
            ("a*b*c", "axbyc"),
            ("a*b*c", "axby"),
            ("s3:getobjec?", "s3:getobject"),
            ("*abc", "ababc"),
            ("é?", "éü"),
            ("?", "é"),
            ("a**", "a"),
            ("", "x"),
        ];
        for (p, t) in cases {
            let compiled = matches(Template::parse(p, true, false, true).parts(), t);
            assert_eq!(wildcard_match(p, t, true), compiled, "{p} {t}");
        }
        assert!(!wildcard_match("S3:*", "s3:x", false));
    }

    #[test]
    fn special_variables_are_literal() {
        let t = Template::parse("a${*}b", true, true, false);
        assert!(matches(t.parts(), "a*b"));
        assert!(!matches(t.parts(), "axb"));
        let t = Template::parse("${aws:PrincipalTag/team, 'none'}", true, true, false);
        assert_eq!(
            t.parts(),
            [Part::Var(Box::new(Var {
                key: "aws:principaltag/team".into(),
                default: Some("none".into())
            }))]
        );
    }
}
