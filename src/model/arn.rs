//! Amazon Resource Names, parsed once.

use std::fmt;

/// A parsed ARN: `arn:partition:service:region:account:resource`.
///
/// Keeps the original text and the offsets of its fields, so comparing and
/// hashing are string operations and field access allocates nothing.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Arn {
    text: Box<str>,
    /// Byte offsets of the four colons that end partition, service, region, account.
    colons: [u32; 4],
}

impl Arn {
    /// Parses `text` as an ARN; `None` when it has fewer than six colon-separated fields
    /// or does not start with `arn:`.
    pub fn parse(text: &str) -> Option<Arn> {
        if !text.starts_with("arn:") || text.len() > u32::MAX as usize {
            return None;
        }
        let mut colons = [0u32; 4];
        let mut found = 0;
        for (i, b) in text.bytes().enumerate().skip(4) {
            if b == b':' {
                colons[found] = i as u32;
                found += 1;
                if found == 4 {
                    break;
                }
            }
        }
        (found == 4).then(|| Arn {
            text: text.into(),
            colons,
        })
    }

    fn field(&self, index: usize) -> &str {
        let start = if index == 0 {
            4
        } else {
            self.colons[index - 1] as usize + 1
        };
        let end = if index == 4 {
            self.text.len()
        } else {
            self.colons[index] as usize
        };
        &self.text[start..end]
    }

    /// The whole ARN.
    pub fn as_str(&self) -> &str {
        &self.text
    }
    /// `aws`, `aws-cn`, `aws-us-gov`, …
    pub fn partition(&self) -> &str {
        self.field(0)
    }
    /// Service namespace, e.g. `iam`, `s3`.
    pub fn service(&self) -> &str {
        self.field(1)
    }
    /// Region; empty for global services.
    pub fn region(&self) -> &str {
        self.field(2)
    }
    /// Account id; empty for S3 buckets and AWS-managed policies (`aws`).
    pub fn account(&self) -> &str {
        self.field(3)
    }
    /// Everything after the fifth colon, e.g. `role/path/Name`.
    pub fn resource(&self) -> &str {
        self.field(4)
    }
    /// The last `/`-separated part of the resource: the entity name for IAM ARNs.
    pub fn name(&self) -> &str {
        let r = self.resource();
        r.rsplit('/').next().unwrap_or(r)
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Arn({})", self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_of_a_role_arn() {
        let arn = Arn::parse("arn:aws:iam::123456789012:role/ops/Deploy").unwrap();
        assert_eq!(arn.partition(), "aws");
        assert_eq!(arn.service(), "iam");
        assert_eq!(arn.region(), "");
        assert_eq!(arn.account(), "123456789012");
        assert_eq!(arn.resource(), "role/ops/Deploy");
        assert_eq!(arn.name(), "Deploy");
    }

    #[test]
    fn resource_part_keeps_colons() {
        let arn = Arn::parse("arn:aws:sns:us-east-1:111122223333:topic:sub").unwrap();
        assert_eq!(arn.resource(), "topic:sub");
    }

    #[test]
    fn rejects_non_arns() {
        assert!(Arn::parse("role/Deploy").is_none());
        assert!(Arn::parse("arn:aws:iam").is_none());
        assert!(Arn::parse("").is_none());
    }
}
