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
    /// Which optional parts were present.
    pub parts: BundleParts,
    /// Non-fatal problems found while loading.
    pub warnings: Vec<LoadWarning>,
    /// Where the account came from (path, `-` or `sample:NAME`).
    pub source: String,
    /// The accounts of an organization bundle (empty for one account): the model then
    /// holds every member's principals, and `id`/`organization` are those of the
    /// first member (the management account when the bundle holds it).
    pub members: Vec<MemberAccount>,
    /// Every account the organization lists (`organizations/accounts.json`), held in the
    /// bundle or not.
    pub org_accounts: Vec<OrgAccount>,
    pub(crate) by_arn: HashMap<Box<str>, EntityRef>,
    /// `ACCOUNT/NAME` of every user and role (the first of a name wins), so a principal
    /// named by account and name (a trust policy's role ARN without its path) is found
    /// without a scan.
    pub(crate) by_account_name: HashMap<Box<str>, EntityRef>,
}

impl Account {
    /// Whether the bundle holds account `id`'s IAM: the account itself, or a member of
    /// an organization bundle.
    pub fn holds(&self, id: &str) -> bool {
        if self.members.is_empty() {
            id == self.id
        } else {
            self.members.iter().any(|m| m.id == id)
        }
    }

    /// Whether this is an organization bundle (several accounts).
    pub fn is_org(&self) -> bool {
        !self.members.is_empty()
    }

    /// The member account `id` of an organization bundle.
    pub fn member(&self, id: &str) -> Option<&MemberAccount> {
        self.members.iter().find(|m| m.id == id)
    }

    /// Account `id`'s place in its organization (its SCP and RCP chain), when the bundle
    /// holds the account and has Organizations data for it.
    pub fn organization_of(&self, id: &str) -> Option<&Organization> {
        if self.members.is_empty() {
            return (id == self.id)
                .then_some(self.organization.as_ref())
                .flatten();
        }
        self.member(id)?.organization.as_ref()
    }

    /// The organization path of the account at `index` of [`Account::members`] (of the
    /// account itself, index 0, for a single-account bundle).
    pub fn organization_at(&self, index: u16) -> Option<&Organization> {
        if self.members.is_empty() {
            return self.organization.as_ref().filter(|_| index == 0);
        }
        self.members.get(index as usize)?.organization.as_ref()
    }

    /// Whether account `id` belongs to the bundle's organization, as far as the bundle
    /// tells: an account it holds, one `accounts.json` lists, or the management account.
    pub fn in_organization(&self, id: &str) -> bool {
        self.holds(id)
            || self.org_accounts.iter().any(|a| a.id == id)
            || self
                .organization
                .as_ref()
                .and_then(|o| o.management_account.as_deref())
                == Some(id)
    }

    /// Every account id the bundle holds: the members of an organization bundle, else
    /// the one account.
    pub fn account_ids(&self) -> Vec<&str> {
        if self.members.is_empty() {
            vec![self.id.as_str()]
        } else {
            self.members.iter().map(|m| m.id.as_str()).collect()
        }
    }

    /// The role named `name` in account `account_id`.
    pub fn role_in(&self, account_id: &str, name: &str) -> Option<RoleId> {
        if self.by_account_name.is_empty() {
            // An account built by hand, without the loader's index.
            return self
                .roles
                .iter()
                .position(|r| r.common.name == name && r.common.arn.account() == account_id)
                .map(|i| RoleId(i as u32));
        }
        match self
            .by_account_name
            .get(format!("{account_id}/role/{name}").as_str())
        {
            Some(EntityRef::Role(r)) => Some(*r),
            _ => None,
        }
    }

    /// The user named `name` in account `account_id`.
    pub fn user_in(&self, account_id: &str, name: &str) -> Option<UserId> {
        if self.by_account_name.is_empty() {
            // An account built by hand, without the loader's index.
            return self
                .users
                .iter()
                .position(|u| u.common.name == name && u.common.arn.account() == account_id)
                .map(|i| UserId(i as u32));
        }
        match self
            .by_account_name
            .get(format!("{account_id}/user/{name}").as_str())
        {
            Some(EntityRef::User(u)) => Some(*u),
            _ => None,
        }
    }

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
        let mut by_account_name = HashMap::with_capacity(self.users.len() + self.roles.len());
        for (i, u) in self.users.iter().enumerate() {
            let key = format!("{}/user/{}", u.common.arn.account(), u.common.name);
            by_account_name
                .entry(key.into_boxed_str())
                .or_insert(EntityRef::User(UserId(i as u32)));
        }
        for (i, r) in self.roles.iter().enumerate() {
            let key = format!("{}/role/{}", r.common.arn.account(), r.common.name);
            by_account_name
                .entry(key.into_boxed_str())
                .or_insert(EntityRef::Role(RoleId(i as u32)));
        }
        self.by_account_name = by_account_name;
    }
}

fn find_named<'a>(mut names: impl Iterator<Item = &'a String>, wanted: &str) -> Option<usize> {
    names.position(|n| n == wanted)
}
