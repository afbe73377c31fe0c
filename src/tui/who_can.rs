//! The rows of the who-can pane, as the analyst ([`super::analysis`]) answers them.

/// One principal that can do the action on the resource (Allow or Conditional).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WhoCanRow {
    /// The principal's ARN (or service / provider name, or `*`).
    pub principal_arn: String,
    /// `Allow` or `Conditional`.
    pub decision: String,
    /// Context keys a Conditional depends on.
    pub missing_keys: Vec<String>,
    /// For principals outside the account: what else must hold.
    pub note: Option<String>,
    /// The deciding statements (or the path, for an indirect principal); `None` until
    /// computed — only rows on screen are.
    pub detail: Option<String>,
}
