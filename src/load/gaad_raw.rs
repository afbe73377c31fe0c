//! Raw serde shapes of `aws iam get-account-authorization-details`, field for field.
//! Unknown fields are ignored; lists default to empty.

use serde::Deserialize;
use serde_json::value::RawValue;

/// The whole GAAD document.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RawGaad<'a> {
    #[serde(borrow)]
    pub user_detail_list: Option<Vec<RawUser<'a>>>,
    #[serde(borrow)]
    pub group_detail_list: Option<Vec<RawGroup<'a>>>,
    #[serde(borrow)]
    pub role_detail_list: Option<Vec<RawRole<'a>>>,
    #[serde(borrow)]
    pub policies: Option<Vec<RawManagedPolicy<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RawUser<'a> {
    #[serde(default)]
    pub path: String,
    pub user_name: String,
    #[serde(default)]
    pub user_id: String,
    pub arn: String,
    #[serde(default)]
    pub create_date: String,
    #[serde(default, borrow)]
    pub user_policy_list: Vec<RawInlinePolicy<'a>>,
    #[serde(default)]
    pub group_list: Vec<String>,
    #[serde(default)]
    pub attached_managed_policies: Vec<RawAttachedPolicy>,
    pub permissions_boundary: Option<RawBoundary>,
    #[serde(default)]
    pub tags: Vec<RawTag>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RawGroup<'a> {
    #[serde(default)]
    pub path: String,
    pub group_name: String,
    #[serde(default)]
    pub group_id: String,
    pub arn: String,
    #[serde(default)]
    pub create_date: String,
    #[serde(default, borrow)]
    pub group_policy_list: Vec<RawInlinePolicy<'a>>,
    #[serde(default)]
    pub attached_managed_policies: Vec<RawAttachedPolicy>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RawRole<'a> {
    #[serde(default)]
    pub path: String,
    pub role_name: String,
    #[serde(default)]
    pub role_id: String,
    pub arn: String,
    #[serde(default)]
    pub create_date: String,
    #[serde(borrow)]
    pub assume_role_policy_document: Option<&'a RawValue>,
    pub description: Option<String>,
    pub max_session_duration: Option<u64>,
    #[serde(default)]
    pub instance_profile_list: Vec<RawInstanceProfile>,
    #[serde(default, borrow)]
    pub role_policy_list: Vec<RawInlinePolicy<'a>>,
    #[serde(default)]
    pub attached_managed_policies: Vec<RawAttachedPolicy>,
    pub permissions_boundary: Option<RawBoundary>,
    #[serde(default)]
    pub tags: Vec<RawTag>,
    pub role_last_used: Option<RawRoleLastUsed>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RawInlinePolicy<'a> {
    pub policy_name: String,
    #[serde(borrow)]
    pub policy_document: &'a RawValue,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RawAttachedPolicy {
    pub policy_arn: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RawBoundary {
    pub permissions_boundary_arn: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RawTag {
    pub key: String,
    #[serde(default)]
    pub value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RawRoleLastUsed {
    pub last_used_date: Option<String>,
    pub region: Option<String>,
}

/// An instance profile, in GAAD's role entries and in `list-instance-profiles`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RawInstanceProfile {
    #[serde(default)]
    pub path: String,
    pub instance_profile_name: String,
    #[serde(default)]
    pub instance_profile_id: String,
    pub arn: String,
    #[serde(default)]
    pub create_date: String,
    #[serde(default)]
    pub roles: Vec<RawRoleRef>,
    #[serde(default)]
    pub tags: Vec<RawTag>,
}

/// A role inside an instance profile: only its ARN matters here.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RawRoleRef {
    pub arn: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RawManagedPolicy<'a> {
    pub policy_name: String,
    #[serde(default)]
    pub policy_id: String,
    pub arn: String,
    #[serde(default)]
    pub path: String,
    pub default_version_id: Option<String>,
    pub attachment_count: Option<u64>,
    pub description: Option<String>,
    #[serde(default, borrow)]
    pub policy_version_list: Vec<RawPolicyVersion<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RawPolicyVersion<'a> {
    #[serde(borrow)]
    pub document: Option<&'a RawValue>,
    #[serde(default)]
    pub version_id: String,
    #[serde(default)]
    pub is_default_version: bool,
    pub create_date: Option<String>,
}
