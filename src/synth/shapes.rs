//! Serializable mirrors of the GAAD response, with fields in the AWS CLI's order.
//!
//! Structs (not `serde_json::Value`) keep the key order of `aws iam
//! get-account-authorization-details` output; absent optional fields are omitted.

use serde::Serialize;

use super::doc::PolicyDoc;

/// The whole document.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Gaad {
    pub user_detail_list: Vec<UserDetail>,
    pub group_detail_list: Vec<GroupDetail>,
    pub role_detail_list: Vec<RoleDetail>,
    pub policies: Vec<ManagedPolicyDetail>,
}

/// An inline policy (`UserPolicyList`, `GroupPolicyList`, `RolePolicyList`).
#[derive(Serialize, Clone)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct InlinePolicy {
    pub policy_name: String,
    pub policy_document: PolicyDoc,
}

/// An `AttachedManagedPolicies` entry.
#[derive(Serialize, Clone)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AttachedPolicy {
    pub policy_name: String,
    pub policy_arn: String,
}

/// A `PermissionsBoundary` object.
#[derive(Serialize, Clone)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Boundary {
    pub permissions_boundary_type: &'static str,
    pub permissions_boundary_arn: String,
}

/// A tag.
#[derive(Serialize, Clone)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Tag {
    pub key: String,
    pub value: String,
}

/// A `UserDetail`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct UserDetail {
    pub path: String,
    pub user_name: String,
    pub user_id: String,
    pub arn: String,
    pub create_date: String,
    pub user_policy_list: Vec<InlinePolicy>,
    pub group_list: Vec<String>,
    pub attached_managed_policies: Vec<AttachedPolicy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<Boundary>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// A `GroupDetail`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct GroupDetail {
    pub path: String,
    pub group_name: String,
    pub group_id: String,
    pub arn: String,
    pub create_date: String,
    pub group_policy_list: Vec<InlinePolicy>,
    pub attached_managed_policies: Vec<AttachedPolicy>,
}

/// The `Role` shape nested in an instance profile's `Roles`.
#[derive(Serialize, Clone)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ProfileRole {
    pub path: String,
    pub role_name: String,
    pub role_id: String,
    pub arn: String,
    pub create_date: String,
    pub assume_role_policy_document: PolicyDoc,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub max_session_duration: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<Boundary>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
    pub role_last_used: RoleLastUsed,
}

/// An `InstanceProfile`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct InstanceProfile {
    pub path: String,
    pub instance_profile_name: String,
    pub instance_profile_id: String,
    pub arn: String,
    pub create_date: String,
    pub roles: Vec<ProfileRole>,
}

/// `RoleLastUsed`: both fields present, or `{}` when the role was never used.
#[derive(Serialize, Clone, Default)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct RoleLastUsed {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_used_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// A `RoleDetail`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct RoleDetail {
    pub path: String,
    pub role_name: String,
    pub role_id: String,
    pub arn: String,
    pub create_date: String,
    pub assume_role_policy_document: PolicyDoc,
    pub instance_profile_list: Vec<InstanceProfile>,
    pub role_policy_list: Vec<InlinePolicy>,
    pub attached_managed_policies: Vec<AttachedPolicy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<Boundary>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
    pub role_last_used: RoleLastUsed,
    pub max_session_duration: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A `PolicyVersion`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct PolicyVersion {
    pub document: PolicyDoc,
    pub version_id: String,
    pub is_default_version: bool,
    pub create_date: String,
}

/// A `ManagedPolicyDetail`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ManagedPolicyDetail {
    pub policy_name: String,
    pub policy_id: String,
    pub arn: String,
    pub path: String,
    pub default_version_id: String,
    pub attachment_count: u32,
    pub permissions_boundary_usage_count: u32,
    pub is_attachable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub create_date: String,
    pub update_date: String,
    pub policy_version_list: Vec<PolicyVersion>,
}
