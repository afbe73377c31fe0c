//! IAM access levels, as the AWS Service Authorization Reference names them.

use std::fmt;
use std::str::FromStr;

/// The access level AWS documents for an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AccessLevel {
    /// Lists resources (`iam:ListUsers`).
    List,
    /// Reads resources or their data (`s3:GetObject`).
    Read,
    /// Creates, changes or deletes resources (`ec2:RunInstances`).
    Write,
    /// Changes who may do what (`iam:CreatePolicyVersion`).
    PermissionsManagement,
    /// Only changes tags (`iam:TagRole`).
    Tagging,
}

impl AccessLevel {
    /// All levels, in the order AWS lists them.
    pub const ALL: [AccessLevel; 5] = [
        AccessLevel::List,
        AccessLevel::Read,
        AccessLevel::Write,
        AccessLevel::PermissionsManagement,
        AccessLevel::Tagging,
    ];

    /// The name AWS uses, e.g. `"Permissions management"`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::PermissionsManagement => "Permissions management",
            AccessLevel::Tagging => "Tagging",
        }
    }

    /// The level for a code of the catalogue file (0 List … 4 Tagging).
    pub(crate) fn from_code(code: u8) -> Option<AccessLevel> {
        AccessLevel::ALL.get(usize::from(code)).copied()
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for AccessLevel {
    type Err = String;

    /// Parses the AWS name, case-insensitively (`"permissions management"`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AccessLevel::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown access level {s:?}"))
    }
}
