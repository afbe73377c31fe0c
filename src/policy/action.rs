//! Action patterns (`s3:Get*`), compiled lower-case and split by service prefix.

use super::glob::{matches, Template};

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

/// One compiled entry of `Action`/`NotAction`.
#[derive(Debug, Clone)]
pub struct ActionPattern {
    raw: Box<str>,
    /// The service prefix when it holds no wildcard: compared first, cheaply.
    service: Option<Box<str>>,
    /// The name part (when `service` is set) or the whole pattern.
    pattern: Template,
}

impl ActionPattern {
    /// Compiles `raw`; it must be `*` or `service:name`.
    pub fn parse(raw: &str) -> Result<ActionPattern, String> {
        if raw == "*" {
            return Ok(ActionPattern {
                raw: raw.into(),
                service: None,
                pattern: Template::parse("*", true, false, true),
            });
        }
        let Some((service, name)) = raw.split_once(':') else {
            return Err(format!("action `{raw}` is not `service:action` or `*`"));
        };
        if service.is_empty() || name.is_empty() {
            return Err(format!("action `{raw}` is not `service:action` or `*`"));
        }
        if service.contains(['*', '?']) {
            Ok(ActionPattern {
                raw: raw.into(),
                service: None,
                pattern: Template::parse(raw, true, false, true),
            })
        } else {
            Ok(ActionPattern {
                raw: raw.into(),
                service: Some(service.to_lowercase().into()),
                pattern: Template::parse(name, true, false, true),
            })
        }
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// Whether `action` matches (case-insensitively).
    pub fn matches(&self, action: &ActionName) -> bool {
        match &self.service {
            Some(s) => **s == *action.service() && matches(self.pattern.parts(), action.name()),
            None => matches(self.pattern.parts(), action.as_str()),
        }
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
    }
}
