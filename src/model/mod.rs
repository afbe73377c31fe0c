//! The account model: every IAM entity of one account, typed and indexed.
//!
//! Built once by [`crate::load`] and immutable afterwards. Entities refer to each
//! other by typed indices ([`UserId`], [`RoleId`], …), never by reference, so the model
//! is cheap to share with the evaluator and the TUI.

mod account;
mod arn;
mod credential_report;
mod entities;
mod ids;
mod member;
mod organization;
mod policy_source;
mod resource_policy;

pub use account::{Account, BundleParts, EntityRef, LoadWarning};
pub use arn::Arn;
pub use credential_report::{AccessKeyStatus, CredentialReportRow};
pub use entities::{
    Group, IdentityCommon, InlinePolicy, InstanceProfile, ManagedPolicy, OidcProvider, PolicyUsage,
    PolicyVersion, Role, RoleLastUsed, SamlProvider, Tag, User,
};
pub use ids::{GroupId, IdentityId, InstanceProfileId, PolicyId, RoleId, UserId};
pub use member::{MemberAccount, OrgAccount};
pub use organization::{OrgLevel, OrgNodeKind, OrgPolicy, OrgPolicyKind, Organization};
pub use policy_source::PolicySource;
pub use resource_policy::ResourcePolicy;
