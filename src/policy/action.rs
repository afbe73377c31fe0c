//! Action patterns (`s3:Get*`), compiled lower-case and split by service prefix.

use super::glob::wildcard_match;

/// A request's action, lower-cased once and split at the service prefix.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ActionName {
    lower: Box<str>,
    colon: usize,
    /// Its service's bit in a [`ServiceFilter`].
    service_bit: u32,
}

impl ActionName {
    /// `s3:GetObject` → service `s3`, name `getobject`.
    pub fn new(action: &str) -> ActionName {
        let lower: Box<str> = action.to_lowercase().into();
        let colon = lower.find(':').unwrap_or(lower.len());
        let service_bit = service_bit(&lower[..colon]);
        ActionName {
            lower,
            colon,
            service_bit,
        }
    }
    /// The whole action, lower-cased.
    pub fn as_str(&self) -> &str {
        &self.lower
    }
    /// The service prefix, lower-cased.
    pub fn service(&self) -> &str {
        &self.lower[..self.colon]
    }
    /// The action name after the prefix, lower-cased.
    pub fn name(&self) -> &str {
        self.lower.get(self.colon + 1..).unwrap_or("")
    }
}

/// One compiled entry of `Action`/`NotAction`: its text, matched case-insensitively
/// as written (no compiled copy: a large document holds millions of these).
#[derive(Debug, Clone)]
pub struct ActionPattern {
    raw: Box<str>,
}

impl ActionPattern {
    /// Compiles `raw`; it must be `*` or `service:name`.
    pub fn parse(raw: &str) -> Result<ActionPattern, String> {
        if raw != "*" {
            let Some((service, name)) = raw.split_once(':') else {
                return Err(format!("action `{raw}` is not `service:action` or `*`"));
            };
            if service.is_empty() || name.is_empty() {
                return Err(format!("action `{raw}` is not `service:action` or `*`"));
            }
        }
        Ok(ActionPattern { raw: raw.into() })
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// Whether `action` matches (case-insensitively: the pattern's characters are
    /// lower-cased as they are compared).
    pub fn matches(&self, action: &ActionName) -> bool {
        wildcard_match(&self.raw, action.as_str(), true)
    }
}

/// The services a list of action patterns can name, as a 32-bit filter (one bit per
/// hash bucket of the lower-cased service prefix): an action whose service's bit is
/// clear matches none of the patterns, so most statements are passed over without
/// comparing any text. A pattern whose prefix has a wildcard or a non-ASCII character
/// (matched by case folding) sets every bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceFilter(u32);

impl ServiceFilter {
    /// The filter of `patterns`.
    pub fn of(patterns: &[ActionPattern]) -> ServiceFilter {
        let mut bits = 0u32;
        for p in patterns {
            let service = p.raw.split_once(':').map_or(&*p.raw, |(s, _)| s);
            if p.raw.contains(':') && service.is_ascii() && !service.contains(['*', '?']) {
                bits |= service_bit(&service.to_ascii_lowercase());
            } else {
                return ServiceFilter(u32::MAX);
            }
        }
        ServiceFilter(bits)
    }

    /// False when no pattern of the filter's list can match `action`.
    pub fn may_match(self, action: &ActionName) -> bool {
        self.0 & action.service_bit != 0
    }
}

/// A lower-cased service prefix's bit (FNV-1a, folded to 5 bits).
fn service_bit(service: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in service.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    1 << ((h ^ (h >> 5) ^ (h >> 10) ^ (h >> 15) ^ (h >> 20) ^ (h >> 25)) & 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching() {
        let a = ActionName::new("s3:GetObject");
        assert!(ActionPattern::parse("S3:get*").unwrap().matches(&a));
        assert!(ActionPattern::parse("*").unwrap().matches(&a));
        assert!(ActionPattern::parse("s?:*Object").unwrap().matches(&a));
        assert!(!ActionPattern::parse("ec2:*").unwrap().matches(&a));
        assert!(ActionPattern::parse("s3").is_err());
        assert!(!ActionPattern::parse("s3:Get*")
            .unwrap()
            .matches(&ActionName::new("s3x:GetObject")));
        assert!(ActionPattern::parse("S3:GET\u{212A}EY")
            .unwrap()
            .matches(&ActionName::new("s3:getkey")));
    }

    /// The filter never passes over a pattern that matches: checked on every pattern
    /// shape against actions of the same, other and look-alike services.
    #[test]
    fn service_filter_keeps_every_match() {
        let patterns = [
            "*",
            "s3:GetObject",
            "S3:get*",
            "s?:*Object",
            "*3:Get*",
            "iam:*",
            "IAM:PassRole",
            "sts:AssumeRole",
            "kms:Decrypt",
            "\u{212A}ms:Decrypt",
            "ec2:Run*",
            "lambda:CreateFunction",
        ];
        let actions = [
            "s3:GetObject",
            "S3:PutObject",
            "s4:GetObject",
            "iam:PassRole",
            "IAM:putuserpolicy",
            "sts:AssumeRole",
            "kms:decrypt",
            "\u{212A}MS:Decrypt",
            "ec2:RunInstances",
            "lambda:CreateFunction",
            "noservice",
        ];
        let mut pruned = 0;
        for p in patterns {
            let parsed = ActionPattern::parse(p).unwrap();
            let filter = ServiceFilter::of(std::slice::from_ref(&parsed));
            for a in actions {
                let a = ActionName::new(a);
                if parsed.matches(&a) {
                    assert!(
                        filter.may_match(&a),
                        "{p} matches {a:?} but the filter drops it"
                    );
                } else if !filter.may_match(&a) {
                    pruned += 1;
                }
            }
        }
        // And it does prune: a plain service prefix passes over other services.
        assert!(pruned > 40, "only {pruned} pairs pruned");
        let lists = ServiceFilter::of(&[
            ActionPattern::parse("s3:GetObject").unwrap(),
            ActionPattern::parse("iam:PassRole").unwrap(),
        ]);
        assert!(lists.may_match(&ActionName::new("iam:CreateRole")));
        assert!(lists.may_match(&ActionName::new("S3:x")));
        assert!(!ServiceFilter::of(&[]).may_match(&ActionName::new("s3:GetObject")));
    }
}
