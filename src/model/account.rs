//! The [`Account`]: every entity, plus indices by ARN and by name.

use std::collections::HashMap;

use super::*;

/// Which optional parts of a bundle were present (serialized as `summary --json`'s
/// `parts`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct BundleParts {
    /// `account-aliases.json`.
    pub account_aliases: bool,
    /// `saml-providers.json`.
    pub saml_providers: bool,
    /// `oidc-providers/`.
    pub oidc_providers: bool,
    /// `instance-profiles.json`.
    pub instance_profiles: bool,
    /// `organizations/` with SCP data.
    pub scps: bool,
    /// `organizations/` with RCP data.
    pub rcps: bool,
    /// `resource-policies/`.
    pub resource_policies: bool,
    /// `credential-report.csv`.
    pub credential_report: bool,
    /// `workloads/`: the inventory of functions, instances, services… and their roles.
    pub workloads: bool,
}

/// Something in the bundle that was not fatal but that the user should know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadWarning {
    /// Bundle-relative file.
    pub file: String,
    /// JSON path inside the file, when it applies.
    pub json_path: Option<String>,
    /// Line and column (1-based), when known.
    pub position: Option<(usize, usize)>,
    /// What happened.
    pub message: String,
}

impl std::fmt::Display for LoadWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(path) = &self.json_path {
            write!(f, ": {path}")?;
        }
        if let Some((line, col)) = self.position {
            write!(f, " (line {line}, column {col})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A reference to any entity of the account, for lookups by name or ARN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityRef {
    /// A user.
    User(UserId),
    /// A group.
    Group(GroupId),
    /// A role.
    Role(RoleId),
    /// A managed policy.
    Policy(PolicyId),
    /// An instance profile.
    InstanceProfile(InstanceProfileId),
    /// A SAML provider (index into [`Account::saml_providers`]).
    SamlProvider(usize),
    /// An OIDC provider (index into [`Account::oidc_providers`]).
    OidcProvider(usize),
}

/// One AWS account's IAM, as loaded from a bundle.
#[derive(Debug, Clone, Default)]
pub struct Account {
    /// 12-digit account id, taken from the ARNs.
    pub id: String,
    /// Partition (`aws`, `aws-cn`, `aws-us-gov`).
    pub partition: String,
    /// The first account alias, if exported.
    pub alias: Option<String>,
    /// Users.
    pub users: Vec<User>,
    /// Groups.
    pub groups: Vec<Group>,
    /// Roles.
    pub roles: Vec<Role>,
    /// Instance profiles (from the roles and from `instance-profiles.json`).
    pub instance_profiles: Vec<InstanceProfile>,
    /// SAML providers.
    pub saml_providers: Vec<SamlProvider>,
    /// OIDC providers.
    pub oidc_providers: Vec<OidcProvider>,
    /// Managed policies: those exported plus placeholders for ones only referenced.
    pub managed_policies: Vec<ManagedPolicy>,
    /// Organizations data, when the bundle has it.
    pub organization: Option<Organization>,
    /// Resource-based policies.
    pub resource_policies: Vec<ResourcePolicy>,
    /// Credential report rows, when the bundle has one.
    pub credential_report: Option<Vec<CredentialReportRow>>,
    /// When the credential report was made, as near as it says: the latest date it
    /// holds (ISO 8601). Ages (of access keys, passwords) are measured from it, not
    /// from the system clock, so an old report reads as it did when it was made.
    pub credential_report_as_of: Option<String>,
    /// The workload inventory (`workloads/`); empty when the bundle has none.
    pub workloads: Inventory,
    /// Which optional parts were present.
    pub parts: BundleParts,
    /// Non-fatal problems found while loading.
    pub warnings: Vec<LoadWarning>,
    /// Where the account came from (path, `-` or `sample:NAME`).
    pub source: String,
    pub(crate) by_arn: HashMap<Box<str>, EntityRef>,
}

impl Account {
    /// Looks an entity up by exact ARN.
    pub fn by_arn(&self, arn: &str) -> Option<EntityRef> {
        self.by_arn.get(arn).copied()
    }

    /// The user with this id.
    pub fn user(&self, id: UserId) -> &User {
        &self.users[id.index()]
    }
    /// The group with this id.
    pub fn group(&self, id: GroupId) -> &Group {
        &self.groups[id.index()]
    }
    /// The role with this id.
    pub fn role(&self, id: RoleId) -> &Role {
        &self.roles[id.index()]
    }
    /// The managed policy with this id.
    pub fn policy(&self, id: PolicyId) -> &ManagedPolicy {
        &self.managed_policies[id.index()]
    }

    /// Finds a user by name (case-sensitive, as IAM names are unique case-insensitively
    /// but displayed as created).
    pub fn user_named(&self, name: &str) -> Option<UserId> {
        find_named(self.users.iter().map(|u| &u.common.name), name).map(|i| UserId(i as u32))
    }
    /// Finds a group by name.
    pub fn group_named(&self, name: &str) -> Option<GroupId> {
        find_named(self.groups.iter().map(|g| &g.common.name), name).map(|i| GroupId(i as u32))
    }
    /// Finds a role by name.
    pub fn role_named(&self, name: &str) -> Option<RoleId> {
        find_named(self.roles.iter().map(|r| &r.common.name), name).map(|i| RoleId(i as u32))
    }

    /// The common fields of a user, group or role.
    pub fn identity(&self, id: IdentityId) -> &IdentityCommon {
        match id {
            IdentityId::User(u) => &self.user(u).common,
            IdentityId::Group(g) => &self.group(g).common,
            IdentityId::Role(r) => &self.role(r).common,
        }
    }

    /// Total number of inline policies over users, groups and roles.
    pub fn inline_policy_count(&self) -> usize {
        self.users
            .iter()
            .map(|u| u.common.inline_policies.len())
            .chain(self.groups.iter().map(|g| g.common.inline_policies.len()))
            .chain(self.roles.iter().map(|r| r.common.inline_policies.len()))
            .sum()
    }

    /// Every policy document of the account: inline, trust, every managed policy
    /// version, Organizations policies and resource policies.
    pub fn policy_sources(&self) -> impl Iterator<Item = &PolicySource> {
        let identities = self
            .users
            .iter()
            .map(|u| &u.common)
            .chain(self.groups.iter().map(|g| &g.common))
            .chain(self.roles.iter().map(|r| &r.common));
        identities
            .flat_map(|c| c.inline_policies.iter().map(|p| &p.document))
            .chain(self.roles.iter().map(|r| &r.trust_policy))
            .chain(
                self.managed_policies
                    .iter()
                    .flat_map(|p| p.versions.iter().map(|v| &v.document)),
            )
            .chain(
                self.organization
                    .iter()
                    .flat_map(|o| o.policies.iter().filter_map(|p| p.content.as_ref())),
            )
            .chain(self.resource_policies.iter().map(|r| &r.policy))
    }

    /// Builds the ARN index. Called by the loader once every entity is in place.
    pub(crate) fn rebuild_index(&mut self) {
        let mut by_arn = HashMap::with_capacity(
            self.users.len()
                + self.groups.len()
                + self.roles.len()
                + self.managed_policies.len()
                + self.instance_profiles.len(),
        );
        for (i, u) in self.users.iter().enumerate() {
            by_arn.insert(
                u.common.arn.as_str().into(),
                EntityRef::User(UserId(i as u32)),
            );
        }
        for (i, g) in self.groups.iter().enumerate() {
            by_arn.insert(
                g.common.arn.as_str().into(),
                EntityRef::Group(GroupId(i as u32)),
            );
        }
        for (i, r) in self.roles.iter().enumerate() {
            by_arn.insert(
                r.common.arn.as_str().into(),
                EntityRef::Role(RoleId(i as u32)),
            );
        }
        for (i, p) in self.managed_policies.iter().enumerate() {
            by_arn.insert(p.arn.as_str().into(), EntityRef::Policy(PolicyId(i as u32)));
        }
        for (i, p) in self.instance_profiles.iter().enumerate() {
            by_arn.insert(
                p.arn.as_str().into(),
                EntityRef::InstanceProfile(InstanceProfileId(i as u32)),
            );
        }
        for (i, p) in self.saml_providers.iter().enumerate() {
            by_arn.insert(p.arn.as_str().into(), EntityRef::SamlProvider(i));
        }
        for (i, p) in self.oidc_providers.iter().enumerate() {
            by_arn.insert(p.arn.as_str().into(), EntityRef::OidcProvider(i));
        }
        self.by_arn = by_arn;
    }
}

fn find_named<'a>(mut names: impl Iterator<Item = &'a String>, wanted: &str) -> Option<usize> {
    names.position(|n| n == wanted)
}
