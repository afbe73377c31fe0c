//! Raw serde shapes of `aws iam get-account-authorization-details`, field for field.
//! Unknown fields are ignored; lists default to empty.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::shape::{one_or_many, some_one_or_many};

/// The whole GAAD document.
#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "get-account-authorization-details output (a JSON object with UserDetailList, GroupDetailList, RoleDetailList, Policies)"
)]
pub struct RawGaad<'a> {
    #[serde(default, borrow, deserialize_with = "some_one_or_many")]
    pub user_detail_list: Option<Vec<RawUser<'a>>>,
    #[serde(default, borrow, deserialize_with = "some_one_or_many")]
    pub group_detail_list: Option<Vec<RawGroup<'a>>>,
    #[serde(default, borrow, deserialize_with = "some_one_or_many")]
    pub role_detail_list: Option<Vec<RawRole<'a>>>,
    #[serde(default, borrow, deserialize_with = "some_one_or_many")]
    pub policies: Option<Vec<RawManagedPolicy<'a>>>,
    /// True when the API had more to give: the export is partial.
    pub is_truncated: Option<bool>,
    /// The raw API's resume point, present when truncated.
    pub marker: Option<String>,
    /// The AWS CLI's resume point (`--max-items`), present when partial.
    pub next_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "a user (a JSON object with UserName and Arn)"
)]
pub struct RawUser<'a> {
    #[serde(default)]
    pub path: String,
    pub user_name: String,
    #[serde(default)]
    pub user_id: String,
    pub arn: String,
    #[serde(default)]
    pub create_date: String,
    #[serde(default, borrow, deserialize_with = "one_or_many")]
    pub user_policy_list: Vec<RawInlinePolicy<'a>>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub group_list: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub attached_managed_policies: Vec<RawAttachedPolicy>,
    pub permissions_boundary: Option<RawBoundary>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub tags: Vec<RawTag>,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "a group (a JSON object with GroupName and Arn)"
)]
pub struct RawGroup<'a> {
    #[serde(default)]
    pub path: String,
    pub group_name: String,
    #[serde(default)]
    pub group_id: String,
    pub arn: String,
    #[serde(default)]
    pub create_date: String,
    #[serde(default, borrow, deserialize_with = "one_or_many")]
    pub group_policy_list: Vec<RawInlinePolicy<'a>>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub attached_managed_policies: Vec<RawAttachedPolicy>,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "a role (a JSON object with RoleName and Arn)"
)]
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
    #[serde(default, deserialize_with = "one_or_many")]
    pub instance_profile_list: Vec<RawInstanceProfile>,
    #[serde(default, borrow, deserialize_with = "one_or_many")]
    pub role_policy_list: Vec<RawInlinePolicy<'a>>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub attached_managed_policies: Vec<RawAttachedPolicy>,
    pub permissions_boundary: Option<RawBoundary>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub tags: Vec<RawTag>,
    pub role_last_used: Option<RawRoleLastUsed>,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "an inline policy (a JSON object with PolicyName and PolicyDocument)"
)]
pub struct RawInlinePolicy<'a> {
    pub policy_name: String,
    #[serde(borrow)]
    pub policy_document: &'a RawValue,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "an attached policy (a JSON object with PolicyArn)"
)]
pub struct RawAttachedPolicy {
    pub policy_arn: String,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "a permissions boundary (a JSON object with PermissionsBoundaryArn)"
)]
pub struct RawBoundary {
    pub permissions_boundary_arn: String,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "a tag (a JSON object with Key and Value)"
)]
pub struct RawTag {
    pub key: String,
    #[serde(default)]
    pub value: String,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "a JSON object with LastUsedDate and Region"
)]
pub struct RawRoleLastUsed {
    pub last_used_date: Option<String>,
    pub region: Option<String>,
}

/// An instance profile, in GAAD's role entries and in `list-instance-profiles`.
#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "an instance profile (a JSON object with InstanceProfileName and Arn)"
)]
pub struct RawInstanceProfile {
    #[serde(default)]
    pub path: String,
    pub instance_profile_name: String,
    #[serde(default)]
    pub instance_profile_id: String,
    pub arn: String,
    #[serde(default)]
    pub create_date: String,
    #[serde(default, deserialize_with = "one_or_many")]
    pub roles: Vec<RawRoleRef>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub tags: Vec<RawTag>,
}

/// A role inside an instance profile: only its ARN matters here.
#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "a role (a JSON object with Arn)"
)]
pub struct RawRoleRef {
    pub arn: String,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "a managed policy (a JSON object with PolicyName and Arn)"
)]
pub struct RawManagedPolicy<'a> {
    /// Empty when the export omits it (moto does); the ARN's last segment is the name.
    #[serde(default)]
    pub policy_name: String,
    #[serde(default)]
    pub policy_id: String,
    pub arn: String,
    #[serde(default)]
    pub path: String,
    pub default_version_id: Option<String>,
    pub attachment_count: Option<u64>,
    pub description: Option<String>,
    #[serde(default, borrow, deserialize_with = "one_or_many")]
    pub policy_version_list: Vec<RawPolicyVersion<'a>>,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "a policy version (a JSON object with Document)"
)]
pub struct RawPolicyVersion<'a> {
    #[serde(borrow)]
    pub document: Option<&'a RawValue>,
    #[serde(default)]
    pub version_id: String,
    #[serde(default)]
    pub is_default_version: bool,
    pub create_date: Option<String>,
}
