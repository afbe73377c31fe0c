//! Assembles the [`Account`] from the readers' pieces: resolves references by ARN
//! and name, derives reverse links, and records warnings.

use std::collections::HashMap;
use std::path::PathBuf;

use super::gaad::{parse_arn, tags};
use super::gaad_raw::RawInstanceProfile;
use super::source::BundleSource;
use super::LoadError;
use crate::model::*;

/// The account under construction.
pub struct AccountBuilder<'s> {
    /// What has been read so far.
    pub account: Account,
    source: &'s dyn BundleSource,
    policy_by_arn: HashMap<String, PolicyId>,
    role_by_arn: HashMap<String, RoleId>,
    profile_by_arn: HashMap<String, InstanceProfileId>,
}

impl<'s> AccountBuilder<'s> {
    /// An empty account read from `source`.
    pub fn new(source: &'s dyn BundleSource, name: String) -> AccountBuilder<'s> {
        AccountBuilder {
            account: Account {
                source: name,
                ..Account::default()
            },
            source,
            policy_by_arn: HashMap::new(),
            role_by_arn: HashMap::new(),
            profile_by_arn: HashMap::new(),
        }
    }

    /// The bundle the account is read from.
    pub fn source(&self) -> &'s dyn BundleSource {
        self.source
    }

    /// How to name a bundle-relative file in messages.
    pub fn display_path(&self, rel: &str) -> PathBuf {
        self.source.display_path(rel)
    }

    /// `error` about bundle file `rel` with the line:column of its JSON path, found by
    /// reading the file again (only on this error path).
    pub fn place(&self, rel: &str, error: LoadError) -> LoadError {
        if error.position.is_some() || error.json_path.is_none() {
            return error;
        }
        let Ok(Some(bytes)) = self.source.read(rel) else {
            return error;
        };
        match std::str::from_utf8(&bytes) {
            Ok(text) => error.placed_in(text, 0),
            Err(_) => error,
        }
    }

    /// Records a non-fatal problem.
    pub fn warn(&mut self, file: &str, json_path: Option<String>, message: String) {
        self.account.warnings.push(LoadWarning {
            file: file.to_string(),
            json_path,
            position: None,
            message,
        });
    }

    /// Takes the account id and partition from the first ARN that has them.
    pub fn note_account(&mut self, arn: &Arn) {
        if self.account.id.is_empty() && arn.account().len() == 12 {
            self.account.id = arn.account().to_string();
            self.account.partition = arn.partition().to_string();
        }
    }

    /// Adds a managed policy unless one with its ARN is already there.
    pub fn add_managed_policy(&mut self, file: &str, at: &str, policy: ManagedPolicy) {
        if self.policy_by_arn.contains_key(policy.arn.as_str()) {
            self.warn(
                file,
                Some(at.to_string()),
                format!("policy {} is listed twice; the first is kept", policy.arn),
            );
            return;
        }
        let id = PolicyId(self.account.managed_policies.len() as u32);
        self.policy_by_arn
            .insert(policy.arn.as_str().to_string(), id);
        self.account.managed_policies.push(policy);
    }

    /// The managed policy with this ARN; a placeholder without document when the
    /// export references a policy it does not include.
    pub fn policy_ref(&mut self, file: &str, at: &str, arn_text: &str) -> Option<PolicyId> {
        if let Some(&id) = self.policy_by_arn.get(arn_text) {
            return Some(id);
        }
        let Some(arn) = Arn::parse(arn_text) else {
            self.warn(
                file,
                Some(at.to_string()),
                format!("{arn_text:?} is not a policy ARN; ignored"),
            );
            return None;
        };
        self.warn(
            file,
            Some(at.to_string()),
            format!("policy {arn_text} is referenced but its document is not in the export; it grants nothing here"),
        );
        let id = PolicyId(self.account.managed_policies.len() as u32);
        self.policy_by_arn.insert(arn_text.to_string(), id);
        self.account.managed_policies.push(ManagedPolicy {
            name: arn.name().to_string(),
            id: String::new(),
            path: String::new(),
            arn,
            description: None,
            default_version_id: None,
            versions: Vec::new(),
            attachment_count: None,
            usage: PolicyUsage::default(),
            in_export: false,
        });
        Some(id)
    }

    /// Adds a user.
    pub fn add_user(&mut self, user: User) -> UserId {
        self.account.users.push(user);
        UserId(self.account.users.len() as u32 - 1)
    }

    /// Adds a group.
    pub fn add_group(&mut self, group: Group) -> GroupId {
        self.account.groups.push(group);
        GroupId(self.account.groups.len() as u32 - 1)
    }

    /// Adds a role.
    pub fn add_role(&mut self, role: Role) -> RoleId {
        let id = RoleId(self.account.roles.len() as u32);
        self.role_by_arn
            .insert(role.common.arn.as_str().to_string(), id);
        self.account.roles.push(role);
        id
    }

    /// The role with this ARN, if loaded.
    pub fn role_by_arn(&self, arn: &str) -> Option<RoleId> {
        self.role_by_arn.get(arn).copied()
    }

    /// Adds an instance profile, or merges it with the one of the same ARN. `role` is
    /// the role it was found under (GAAD); otherwise its `Roles` are resolved by ARN.
    pub fn add_instance_profile(
        &mut self,
        file: &str,
        at: &str,
        raw: &RawInstanceProfile,
        role: Option<RoleId>,
    ) -> Result<(), LoadError> {
        let arn = parse_arn(&self.display_path(file), &format!("{at}.Arn"), &raw.arn)?;
        let mut roles = Vec::new();
        if let Some(role) = role {
            roles.push(role);
        } else {
            for (k, r) in raw.roles.iter().enumerate() {
                match self.role_by_arn(&r.arn) {
                    Some(id) => roles.push(id),
                    None => self.warn(
                        file,
                        Some(format!("{at}.Roles[{k}]")),
                        format!(
                            "instance profile {} holds role {}, which the export does not list",
                            raw.instance_profile_name, r.arn
                        ),
                    ),
                }
            }
        }
        let id = match self.profile_by_arn.get(arn.as_str()) {
            Some(&id) => id,
            None => {
                let id = InstanceProfileId(self.account.instance_profiles.len() as u32);
                self.profile_by_arn.insert(arn.as_str().to_string(), id);
                self.account.instance_profiles.push(InstanceProfile {
                    name: raw.instance_profile_name.clone(),
                    id: raw.instance_profile_id.clone(),
                    arn,
                    path: raw.path.clone(),
                    create_date: raw.create_date.clone(),
                    roles: Vec::new(),
                    tags: tags(&raw.tags),
                });
                id
            }
        };
        let profile = &mut self.account.instance_profiles[id.index()];
        for role in roles {
            if !profile.roles.contains(&role) {
                profile.roles.push(role);
                self.account.roles[role.index()].instance_profiles.push(id);
            }
        }
        Ok(())
    }

    /// Derives the reverse links and indices; the account is complete.
    pub fn finish(mut self) -> Account {
        derive_links(&mut self.account);
        for warning in &mut self.account.warnings {
            warning.file = self
                .source
                .display_path(&warning.file)
                .display()
                .to_string();
        }
        self.account
    }
}

/// Derives each managed policy's usage (who it is attached to, whose boundary it is)
/// and the ARN index, from the entities in place.
pub(crate) fn derive_links(account: &mut Account) {
    let mut usage: Vec<PolicyUsage> = vec![PolicyUsage::default(); account.managed_policies.len()];
    let identities = (0..account.users.len())
        .map(|i| IdentityId::User(UserId(i as u32)))
        .chain((0..account.groups.len()).map(|i| IdentityId::Group(GroupId(i as u32))))
        .chain((0..account.roles.len()).map(|i| IdentityId::Role(RoleId(i as u32))));
    for identity in identities {
        for p in &account.identity(identity).attached_policies {
            usage[p.index()].attached_to.push(identity);
        }
        let boundary = match identity {
            IdentityId::User(u) => account.user(u).permissions_boundary,
            IdentityId::Role(r) => account.role(r).permissions_boundary,
            IdentityId::Group(_) => None,
        };
        if let Some(p) = boundary {
            usage[p.index()].boundary_of.push(identity);
        }
    }
    for (policy, usage) in account.managed_policies.iter_mut().zip(usage) {
        policy.usage = usage;
    }
    account.rebuild_index();
}
