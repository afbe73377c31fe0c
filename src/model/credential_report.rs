//! Rows of the IAM credential report (`credential-report.csv`).

/// One access key's columns in the credential report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessKeyStatus {
    /// Whether the key is active.
    pub active: bool,
    /// Last rotation time (ISO 8601), if any.
    pub last_rotated: Option<String>,
    /// Last use time (ISO 8601), if any.
    pub last_used_date: Option<String>,
    /// Region of last use.
    pub last_used_region: Option<String>,
    /// Service of last use.
    pub last_used_service: Option<String>,
}

/// One user's row of the credential report. `None` means `N/A` or `no_information`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CredentialReportRow {
    /// User name (`<root_account>` for the root user).
    pub user: String,
    /// User ARN.
    pub arn: String,
    /// Creation time.
    pub user_creation_time: Option<String>,
    /// Whether a console password is set.
    pub password_enabled: bool,
    /// Password last used.
    pub password_last_used: Option<String>,
    /// Password last changed.
    pub password_last_changed: Option<String>,
    /// Whether an MFA device is active.
    pub mfa_active: bool,
    /// First access key.
    pub access_key_1: AccessKeyStatus,
    /// Second access key.
    pub access_key_2: AccessKeyStatus,
}

impl CredentialReportRow {
    /// True for the account's root user row.
    pub fn is_root(&self) -> bool {
        self.user == "<root_account>"
    }
}
