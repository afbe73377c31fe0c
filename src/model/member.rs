//! The accounts of an organization bundle: which accounts the model holds, each with
//! its own place in the organization (its SCP and RCP chain).

use super::{BundleParts, Organization};

/// One account of an organization bundle, loaded from its own sub-bundle.
#[derive(Debug, Clone, Default)]
pub struct MemberAccount {
    /// 12-digit account id.
    pub id: String,
    /// The account's name in the organization (`accounts.json`), when listed.
    pub name: Option<String>,
    /// Its first account alias, if exported.
    pub alias: Option<String>,
    /// Its place in the organization: the SCPs that limit its principals and the RCPs
    /// that limit its resources.
    pub organization: Option<Organization>,
    /// Which optional parts its sub-bundle had.
    pub parts: BundleParts,
    /// Where it came from.
    pub source: String,
    /// Its users: a range of [`super::Account::users`].
    pub users: std::ops::Range<u32>,
    /// Its groups: a range of [`super::Account::groups`].
    pub groups: std::ops::Range<u32>,
    /// Its roles: a range of [`super::Account::roles`].
    pub roles: std::ops::Range<u32>,
    /// Its resource policies: a range of [`super::Account::resource_policies`].
    pub resource_policies: std::ops::Range<u32>,
    /// Its customer-managed policies (AWS-managed ones are shared by every account).
    pub customer_policies: usize,
}

/// An account the organization lists (`accounts.json`), whether or not the bundle holds
/// its IAM: a principal of such an account is inside the organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgAccount {
    /// 12-digit account id.
    pub id: String,
    /// Its name.
    pub name: Option<String>,
    /// `ACTIVE`, `SUSPENDED`, … as listed.
    pub status: Option<String>,
}
