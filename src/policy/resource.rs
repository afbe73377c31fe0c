//! Resource ARN patterns, pre-split into the five prefix fields and the resource part.

use super::glob::{Template, TemplateMatch};
use super::keys::KeyLookup;
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

#[derive(Debug, Clone)]
enum Kind {
    /// `*` alone.
    Any,
    /// `arn:…`: five prefix fields and the resource part.
    Arn(Box<[Template; 6]>),
    /// Anything else: matched as a whole.
    Whole(Template),
}

/// Splits `text` at its first five colons (the ARN fields and the resource part),
/// ignoring colons inside `${…}` when `skip_vars`; `None` with fewer than five colons.
/// Allocation-free: it runs for every resource pattern of every statement.
pub(crate) fn split_fields(text: &str, skip_vars: bool) -> Option<[&str; 6]> {
    let mut out = [""; 6];
    let mut n = 0;
    let mut start = 0;
    let mut depth = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && n < 5 {
        match bytes[i] {
            b'$' if skip_vars && bytes.get(i + 1) == Some(&b'{') => depth = true,
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
        } else if let Some(fields) = split_fields(raw, variables) {
            let t = |s: &str| Template::parse(s, true, variables, false);
            Kind::Arn(Box::new([
                t(fields[0]),
                t(fields[1]),
                t(fields[2]),
                t(fields[3]),
                t(fields[4]),
                t(fields[5]),
            ]))
        } else {
            Kind::Whole(Template::parse(raw, true, variables, false))
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

    /// Whether `resource` matches; Unknown when a variable's key is unknown.
    pub fn matches(&self, resource: &str, keys: &dyn KeyLookup) -> (Tri, Option<String>) {
        match &self.kind {
            Kind::Any => (Tri::True, None),
            Kind::Whole(t) => one(t, resource, keys),
            Kind::Arn(fields) => {
                let Some(parts) = split_fields(resource, false) else {
                    // A `*`-ending pattern may still match a non-ARN resource as a whole.
                    return (Tri::False, None);
                };
                let mut acc = Tri::True;
                let mut unknown = None;
                for (t, text) in fields.iter().zip(parts) {
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

fn one(t: &Template, text: &str, keys: &dyn KeyLookup) -> (Tri, Option<String>) {
    match t.matches_with(text, keys) {
        TemplateMatch::Matched(b) => (Tri::from_bool(b), None),
        TemplateMatch::Absent => (Tri::False, None),
        TemplateMatch::Unknown(k) => (Tri::Unknown, Some(k.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::keys::KeyValues;

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
}
