//! Users, groups, roles, instance profiles and identity providers.

use super::{Arn, GroupId, IdentityId, InstanceProfileId, PolicyId, PolicySource, RoleId, UserId};

/// A resource tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Tag key.
    pub key: String,
    /// Tag value.
    pub value: String,
}

/// A policy embedded in one user, group or role.
#[derive(Debug, Clone)]
pub struct InlinePolicy {
    /// The policy's name, unique within its owner.
    pub name: String,
    /// The document.
    pub document: PolicySource,
}

/// Fields every IAM identity has.
#[derive(Debug, Clone)]
pub struct IdentityCommon {
    /// Friendly name.
    pub name: String,
    /// Stable unique id (`AIDA…`, `AGPA…`, `AROA…`).
    pub id: String,
    /// The identity's ARN.
    pub arn: Arn,
    /// IAM path, e.g. `/` or `/developers/`.
    pub path: String,
    /// ISO 8601 creation time as exported.
    pub create_date: String,
    /// Inline policies.
    pub inline_policies: Vec<InlinePolicy>,
    /// Attached managed policies.
    pub attached_policies: Vec<PolicyId>,
}

/// An IAM user.
#[derive(Debug, Clone)]
pub struct User {
    /// Name, id, ARN, path, policies.
    pub common: IdentityCommon,
    /// Groups the user belongs to.
    pub groups: Vec<GroupId>,
    /// Permissions boundary, if set.
    pub permissions_boundary: Option<PolicyId>,
    /// Tags.
    pub tags: Vec<Tag>,
}

/// An IAM group.
#[derive(Debug, Clone)]
pub struct Group {
    /// Name, id, ARN, path, policies.
    pub common: IdentityCommon,
    /// Members, derived from the users' group lists.
    pub members: Vec<UserId>,
}

/// When and where a role was last used, as IAM reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleLastUsed {
    /// ISO 8601 time of last use.
    pub date: Option<String>,
    /// Region of last use.
    pub region: Option<String>,
}

/// An IAM role.
#[derive(Debug, Clone)]
pub struct Role {
    /// Name, id, ARN, path, policies.
    pub common: IdentityCommon,
    /// The trust policy (`AssumeRolePolicyDocument`).
    pub trust_policy: PolicySource,
    /// Description, if any.
    pub description: Option<String>,
    /// Maximum session duration in seconds, if exported.
    pub max_session_duration: Option<u64>,
    /// Permissions boundary, if set.
    pub permissions_boundary: Option<PolicyId>,
    /// Tags.
    pub tags: Vec<Tag>,
    /// Last use, if IAM reported it.
    pub last_used: Option<RoleLastUsed>,
    /// Instance profiles that hold this role.
    pub instance_profiles: Vec<InstanceProfileId>,
}

impl Role {
    /// True for service-linked roles (path `/aws-service-role/`), which SCPs do not limit.
    pub fn is_service_linked(&self) -> bool {
        self.common.path.starts_with("/aws-service-role/")
    }
}

/// An EC2 instance profile: a container for at most one role.
#[derive(Debug, Clone)]
pub struct InstanceProfile {
    /// Name.
    pub name: String,
    /// Unique id (`AIPA…`).
    pub id: String,
    /// ARN.
    pub arn: Arn,
    /// Path.
    pub path: String,
    /// ISO 8601 creation time.
    pub create_date: String,
    /// Roles in the profile (AWS allows one).
    pub roles: Vec<RoleId>,
    /// Tags.
    pub tags: Vec<Tag>,
}

/// A SAML identity provider.
#[derive(Debug, Clone)]
pub struct SamlProvider {
    /// ARN, `arn:aws:iam::ACCOUNT:saml-provider/NAME`.
    pub arn: Arn,
    /// When the metadata document expires.
    pub valid_until: Option<String>,
    /// ISO 8601 creation time.
    pub create_date: Option<String>,
}

/// An OpenID Connect identity provider.
#[derive(Debug, Clone)]
pub struct OidcProvider {
    /// ARN, `arn:aws:iam::ACCOUNT:oidc-provider/HOST[/PATH]`.
    pub arn: Arn,
    /// Issuer URL as exported (scheme may be absent).
    pub url: String,
    /// Audiences (client ids) the provider accepts.
    pub client_ids: Vec<String>,
    /// Server certificate thumbprints.
    pub thumbprints: Vec<String>,
    /// ISO 8601 creation time.
    pub create_date: Option<String>,
    /// Tags.
    pub tags: Vec<Tag>,
}

impl OidcProvider {
    /// The issuer host and path, as used in condition keys (`HOST:aud`, `HOST:sub`).
    pub fn host(&self) -> &str {
        self.arn
            .resource()
            .strip_prefix("oidc-provider/")
            .unwrap_or(self.arn.resource())
    }
}

/// Where a managed policy is attached.
#[derive(Debug, Clone, Default)]
pub struct PolicyUsage {
    /// Identities the policy is attached to as a permissions policy.
    pub attached_to: Vec<IdentityId>,
    /// Identities that use the policy as their permissions boundary.
    pub boundary_of: Vec<IdentityId>,
}

/// One version of a managed policy.
#[derive(Debug, Clone)]
pub struct PolicyVersion {
    /// `v1`, `v2`, …
    pub version_id: String,
    /// Whether this is the version in force.
    pub is_default: bool,
    /// ISO 8601 creation time.
    pub create_date: Option<String>,
    /// The document.
    pub document: PolicySource,
}

/// A managed policy, customer- or AWS-managed.
#[derive(Debug, Clone)]
pub struct ManagedPolicy {
    /// Name.
    pub name: String,
    /// Unique id (`ANPA…`); empty when the bundle only referenced the policy.
    pub id: String,
    /// ARN.
    pub arn: Arn,
    /// Path.
    pub path: String,
    /// Description, if any.
    pub description: Option<String>,
    /// The default version id as exported.
    pub default_version_id: Option<String>,
    /// Every version the bundle holds.
    pub versions: Vec<PolicyVersion>,
    /// Attachment count reported by IAM.
    pub attachment_count: Option<u64>,
    /// Where it is attached, derived from the identities.
    pub usage: PolicyUsage,
    /// False for a placeholder: the export referenced the policy without including it.
    pub in_export: bool,
}

impl ManagedPolicy {
    /// True for AWS-managed policies (`arn:aws:iam::aws:policy/…`).
    pub fn is_aws_managed(&self) -> bool {
        self.arn.account() == "aws"
    }

    /// The default version, the one in force.
    pub fn default_version(&self) -> Option<&PolicyVersion> {
        self.versions.iter().find(|v| v.is_default)
    }
}
