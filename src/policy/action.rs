//! Action patterns (`s3:Get*`), compiled lower-case and split by service prefix.

use super::glob::wildcard_match;

/// A request's action, lower-cased once and split at the service prefix.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ActionName {
    lower: Box<str>,
    colon: usize,
}

impl ActionName {
    /// `s3:GetObject` → service `s3`, name `getobject`.
    pub fn new(action: &str) -> ActionName {
        let lower: Box<str> = action.to_lowercase().into();
        let colon = lower.find(':').unwrap_or(lower.len());
        ActionName { lower, colon }
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
}
