//! Resource ARN patterns, pre-split into the five prefix fields and the resource part.

use std::cell::OnceCell;

use super::glob::{Part, Template, TemplateMatch};
use super::keys::{KeyLookup, KeyValues};
use super::tri::Tri;

/// One compiled entry of `Resource`/`NotResource`.
///
/// A `*` in one of the first five colon-separated fields (`arn`, partition, service,
/// region, account) stays within that field; in the resource part it matches anything,
/// `/` and `:` included. Matching is case-sensitive.
#[derive(Debug, Clone)]
pub struct ResourcePattern {
    raw: Box<str>,
    kind: Kind,
}

/// How a pattern matches. The usual shapes (an exact ARN, an ARN ending in `*`) match
/// against the pattern's own text; only the rest keep compiled parts, boxed.
#[derive(Debug, Clone)]
enum Kind {
    /// `*` alone.
    Any,
    /// No wildcard, no variable: the resource equals the text.
    Exact,
    /// The text ends in its only wildcard, a `*`, after a literal holding the five ARN
    /// fields (or no ARN fields at all): the resource starts with the text before it.
    Prefix,
    /// Anything else.
    Compiled(Box<Compiled>),
}

#[derive(Debug, Clone)]
enum Compiled {
    /// `arn:…`: five prefix fields and the resource part.
    Arn([Template; 6]),
    /// `arn:…` whose five prefix fields are plain text: the text up to the resource
    /// part, colons included, and the resource part.
    ArnPrefix(Box<str>, Template),
    /// Anything else: matched as a whole.
    Whole(Template),
}

/// Splits `text` at its first five colons (the ARN fields and the resource part),
/// ignoring colons inside `${…}` when `skip_vars`; `None` with fewer than five colons.
/// Allocation-free: it runs for every resource pattern of every statement.
pub(crate) fn split_fields(text: &str, skip_vars: bool) -> Option<[&str; 6]> {
    let mut out = [""; 6];
    let mut n = 0;
    if !skip_vars {
        let mut start = 0;
        for (i, &b) in text.as_bytes().iter().enumerate() {
            if b == b':' {
                out[n] = &text[start..i];
                n += 1;
                start = i + 1;
                if n == 5 {
                    out[5] = &text[start..];
                    return Some(out);
                }
            }
        }
        return None;
    }
    let mut start = 0;
    let mut depth = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && n < 5 {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => depth = true,
            b'}' if depth => depth = false,
            b':' if !depth => {
                out[n] = &text[start..i];
                n += 1;
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if n < 5 {
        return None;
    }
    out[5] = &text[start..];
    Some(out)
}

impl ResourcePattern {
    /// Compiles `raw`; `variables` enables `${…}` substitution (version 2012-10-17).
    pub fn parse(raw: &str, variables: bool) -> ResourcePattern {
        let kind = if raw == "*" {
            Kind::Any
        } else if let Some(kind) = simple_kind(raw, variables) {
            kind
        } else {
            Kind::Compiled(Box::new(compile(raw, variables)))
        };
        ResourcePattern {
            raw: raw.into(),
            kind,
        }
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The account field of an ARN (empty when the ARN has none or `text` is no ARN).
    pub fn account_of(text: &str) -> &str {
        split_fields(text, false).map_or("", |f| f[4])
    }

    /// The values its policy variables take from `keys`, in order (`None`: absent with
    /// no default); `None` when some variable's key is unknown. Two lookups giving equal
    /// values make the pattern match exactly the same resources, so a match computed
    /// for one principal holds for every principal with the same values.
    pub fn variable_values(&self, keys: &dyn KeyLookup) -> Option<Vec<Option<String>>> {
        // Only compiled patterns can hold variables.
        let templates: &[Template] = match &self.kind {
            Kind::Any | Kind::Exact | Kind::Prefix => &[],
            Kind::Compiled(c) => match &**c {
                Compiled::Whole(t) | Compiled::ArnPrefix(_, t) => std::slice::from_ref(t),
                Compiled::Arn(fields) => &fields[..],
            },
        };
        let mut out = Vec::new();
        for part in templates.iter().flat_map(|t| t.parts()) {
            let Part::Var(var) = part else {
                continue;
            };
            let (key, default) = (&var.key, &var.default);
            out.push(match keys.lookup(key) {
                KeyValues::One(v) => Some(v.to_string()),
                KeyValues::Many(vs) if !vs.is_empty() => Some(vs[0].clone()),
                KeyValues::Unknown => return None,
                _ => default.as_deref().map(str::to_string),
            });
        }
        Some(out)
    }

    /// Whether `resource` matches; Unknown when a variable's key is unknown.
    pub fn matches(&self, resource: &str, keys: &dyn KeyLookup) -> (Tri, Option<String>) {
        let (r, key) = self.matches_ref(resource, &OnceCell::new(), keys);
        (r, key.map(str::to_string))
    }

    /// [`ResourcePattern::matches`], naming the unknown key without allocating;
    /// `split`: `split_fields(resource, false)`, computed once per request when needed.
    pub(crate) fn matches_ref<'r>(
        &self,
        resource: &'r str,
        split: &OnceCell<Option<[&'r str; 6]>>,
        keys: &dyn KeyLookup,
    ) -> (Tri, Option<&str>) {
        let compiled = match &self.kind {
            Kind::Any => return (Tri::True, None),
            Kind::Exact => return (Tri::from_bool(*self.raw == *resource), None),
            Kind::Prefix => {
                let prefix = &self.raw[..self.raw.len() - 1];
                return (Tri::from_bool(resource.starts_with(prefix)), None);
            }
            Kind::Compiled(c) => c,
        };
        match &**compiled {
            Compiled::Whole(t) => one(t, resource, keys),
            Compiled::ArnPrefix(prefix, rest) => match resource.strip_prefix(&**prefix) {
                Some(r) => one(rest, r, keys),
                None => (Tri::False, None),
            },
            Compiled::Arn(fields) => {
                let Some(parts) = split.get_or_init(|| split_fields(resource, false)) else {
                    // A `*`-ending pattern may still match a non-ARN resource as a whole.
                    return (Tri::False, None);
                };
                let mut acc = Tri::True;
                let mut unknown = None;
                for (t, text) in fields.iter().zip(parts) {
                    let text: &str = text;
                    let (r, u) = one(t, text, keys);
                    if u.is_some() {
                        unknown = u;
                    }
                    acc = acc.and(r);
                    if acc == Tri::False {
                        return (Tri::False, None);
                    }
                }
                (acc, unknown)
            }
        }
    }
}

/// The shapes that match against the pattern's own text, when `raw` has one.
fn simple_kind(raw: &str, variables: bool) -> Option<Kind> {
    if variables && raw.contains("${") {
        return None;
    }
    let wildcards = raw.bytes().filter(|b| matches!(b, b'*' | b'?')).count();
    match wildcards {
        // Split into fields or not, literal text matches only itself.
        0 => Some(Kind::Exact),
        // A last `*` is in the resource part (or the whole pattern, without five
        // colons) and every field before it is literal: a prefix test.
        1 if raw.ends_with('*') => Some(Kind::Prefix),
        _ => None,
    }
}

/// The compiled parts of a pattern that has no simple shape.
fn compile(raw: &str, variables: bool) -> Compiled {
    let Some(fields) = split_fields(raw, variables) else {
        return Compiled::Whole(Template::parse(raw, true, variables, false));
    };
    let t = |s: &str| Template::parse(s, true, variables, false);
    let literal: Option<Vec<String>> = fields[..5]
        .iter()
        .map(|f| t(f).literal().map(str::to_string))
        .collect();
    if let Some(literal) = literal {
        // Literal fields hold no colon (they were split at them), so the resource's
        // fields equal them exactly when it starts with them joined.
        let mut prefix = literal.join(":");
        prefix.push(':');
        return Compiled::ArnPrefix(prefix.into(), t(fields[5]));
    }
    Compiled::Arn([
        t(fields[0]),
        t(fields[1]),
        t(fields[2]),
        t(fields[3]),
        t(fields[4]),
        t(fields[5]),
    ])
}

fn one<'t>(t: &'t Template, text: &str, keys: &dyn KeyLookup) -> (Tri, Option<&'t str>) {
    match t.matches_with(text, keys) {
        TemplateMatch::Matched(b) => (Tri::from_bool(b), None),
        TemplateMatch::Absent => (Tri::False, None),
        TemplateMatch::Unknown(k) => (Tri::Unknown, Some(k)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoKeys;
    impl KeyLookup for NoKeys {
        fn lookup(&self, _: &str) -> KeyValues<'_> {
            KeyValues::Absent
        }
    }

    fn m(p: &str, r: &str) -> bool {
        ResourcePattern::parse(p, true).matches(r, &NoKeys).0 == Tri::True
    }

    #[test]
    fn split_fields_with_and_without_variables() {
        assert_eq!(
            split_fields("arn:aws:s3:::b/k:x", false),
            Some(["arn", "aws", "s3", "", "", "b/k:x"])
        );
        assert_eq!(split_fields("arn:aws:s3::", false), None);
        assert_eq!(
            split_fields("arn:aws:${a:b}:r:1:x", true),
            Some(["arn", "aws", "${a:b}", "r", "1", "x"])
        );
        assert_eq!(
            split_fields("arn:aws:${a:b}:r:1:x", false),
            Some(["arn", "aws", "${a", "b}", "r", "1:x"])
        );
    }

    #[test]
    fn literal_prefix_and_field_wildcards_agree() {
        for (p, r, want) in [
            ("arn:aws:s3:::b/*", "arn:aws:s3:::b/k", true),
            ("arn:aws:s3:::b/*", "arn:aws:s3:::c/k", false),
            ("arn:aws:s3:::b/*", "arn:aws:s3::", false),
            ("arn:aws:s3:::b", "arn:aws:s3:::b:c", false),
            (
                "arn:aws:iam::1:user/${aws:username}",
                "arn:aws:iam::1:user/alice",
                false,
            ),
            (
                "arn:aws:ec2:*:1:instance/*",
                "arn:aws:ec2:eu:1:instance/i",
                true,
            ),
            (
                "arn:aws:ec2:*:1:instance/*",
                "arn:aws:ec2:eu:1:x:instance/i",
                false,
            ),
        ] {
            assert_eq!(m(p, r), want, "{p} {r}");
        }
    }

    #[test]
    fn fields_do_not_cross() {
        assert!(m("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b:c"));
        assert!(!m("arn:aws:s3:::bucket", "arn:aws:s3:::bucket/a"));
        assert!(m(
            "arn:aws:ec2:*:111122223333:instance/*",
            "arn:aws:ec2:eu-west-1:111122223333:instance/i-1"
        ));
        assert!(!m("arn:aws:s3:*::x", "arn:aws:s3:eu:111122223333:x"));
        assert!(!m("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/x"));
        assert!(m("*", "anything"));
        assert!(!m(
            "arn:aws:s3:::home/${aws:username}/*",
            "arn:aws:s3:::home/alice/x"
        ));
    }

    #[test]
    fn variable_values_decide_the_match() {
        struct Team(&'static str);
        impl KeyLookup for Team {
            fn lookup(&self, key: &str) -> KeyValues<'_> {
                match key {
                    "aws:principaltag/team" => KeyValues::One(self.0),
                    "aws:username" => KeyValues::Absent,
                    _ => KeyValues::Unknown,
                }
            }
        }
        let p = ResourcePattern::parse("arn:aws:iam::1:role/${aws:PrincipalTag/team}-*", true);
        assert_eq!(
            p.variable_values(&Team("red")),
            Some(vec![Some("red".to_string())])
        );
        assert_eq!(
            p.matches("arn:aws:iam::1:role/red-x", &Team("red")).0,
            Tri::True
        );
        assert_eq!(
            p.matches("arn:aws:iam::1:role/red-x", &Team("blue")).0,
            Tri::False
        );
        let absent = ResourcePattern::parse("arn:aws:iam::1:user/${aws:username}", true);
        assert_eq!(absent.variable_values(&Team("red")), Some(vec![None]));
        let unknown = ResourcePattern::parse("arn:aws:s3:::${aws:SourceIp}", true);
        assert_eq!(unknown.variable_values(&Team("red")), None);
        assert_eq!(
            ResourcePattern::parse("*", true).variable_values(&Team("red")),
            Some(vec![])
        );
    }
}
