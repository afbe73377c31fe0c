//! Entity links in lessons: `[[role:dvia-admin-role]]`, resolved against an account so
//! a test can check every one and the TUI can jump to the entity.

use serde::Serialize;

use crate::model::{Account, EntityRef};

/// What kind of entity a link names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// `[[user:NAME]]`.
    User,
    /// `[[group:NAME]]`.
    Group,
    /// `[[role:NAME]]`.
    Role,
    /// `[[policy:NAME]]`: a managed policy.
    Policy,
    /// `[[instance-profile:NAME]]`.
    InstanceProfile,
    /// `[[saml-provider:NAME]]`.
    SamlProvider,
    /// `[[oidc-provider:HOST]]`.
    OidcProvider,
    /// `[[resource:ARN]]`: a resource with a resource-based policy in the bundle.
    Resource,
    /// `[[org-policy:NAME]]`: an SCP or RCP.
    OrgPolicy,
}

impl LinkKind {
    const ALL: [(&'static str, LinkKind); 9] = [
        ("user", LinkKind::User),
        ("group", LinkKind::Group),
        ("role", LinkKind::Role),
        ("policy", LinkKind::Policy),
        ("instance-profile", LinkKind::InstanceProfile),
        ("saml-provider", LinkKind::SamlProvider),
        ("oidc-provider", LinkKind::OidcProvider),
        ("resource", LinkKind::Resource),
        ("org-policy", LinkKind::OrgPolicy),
    ];

    /// The kind written before the colon.
    pub fn from_word(w: &str) -> Option<LinkKind> {
        LinkKind::ALL.iter().find(|(s, _)| *s == w).map(|(_, k)| *k)
    }

    /// The word written before the colon.
    pub fn word(self) -> &'static str {
        LinkKind::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("", |(s, _)| s)
    }
}

/// One `[[kind:name]]` link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityLink {
    /// The kind.
    pub kind: LinkKind,
    /// The name (an ARN for resources, the host for OIDC providers).
    pub name: String,
    /// For an Organizations policy in an organization bundle, the account whose place
    /// in the organization it is looked up in (a quiz's caller: the SCPs that limited
    /// it are its account's); `None` for the first account that has one of that name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}

/// Where a link points in an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTarget {
    /// A user, group, role, managed policy, instance profile or provider.
    Entity(EntityRef),
    /// An index into [`Account::resource_policies`].
    ResourcePolicy(usize),
    /// An Organizations policy: the index of the account (in [`Account::members`]; 0 for
    /// a single account) whose organization path holds it, and its index in that
    /// path's `policies`.
    OrgPolicy(u16, usize),
}

impl EntityLink {
    /// How the link reads in text: `role/NAME`, or the resource's ARN.
    pub fn display(&self) -> String {
        match self.kind {
            LinkKind::Resource => self.name.clone(),
            k => format!("{}/{}", k.word(), self.name),
        }
    }

    /// The entity it names in `account`, if there is one.
    pub fn resolve(&self, account: &Account) -> Option<LinkTarget> {
        let n = self.name.as_str();
        let entity = |e: Option<EntityRef>| e.map(LinkTarget::Entity);
        match self.kind {
            LinkKind::User => entity(account.user_named(n).map(EntityRef::User)),
            LinkKind::Group => entity(account.group_named(n).map(EntityRef::Group)),
            LinkKind::Role => entity(account.role_named(n).map(EntityRef::Role)),
            LinkKind::Policy => entity(
                account
                    .managed_policies
                    .iter()
                    .position(|p| p.name == n)
                    .and_then(|i| account.by_arn(account.managed_policies[i].arn.as_str())),
            ),
            LinkKind::InstanceProfile => entity(
                account
                    .instance_profiles
                    .iter()
                    .find(|p| p.name == n)
                    .and_then(|p| account.by_arn(p.arn.as_str())),
            ),
            LinkKind::SamlProvider => account
                .saml_providers
                .iter()
                .position(|p| p.arn.name() == n)
                .map(|i| LinkTarget::Entity(EntityRef::SamlProvider(i))),
            LinkKind::OidcProvider => account
                .oidc_providers
                .iter()
                .position(|p| p.host() == n)
                .map(|i| LinkTarget::Entity(EntityRef::OidcProvider(i))),
            LinkKind::Resource => account
                .resource_policies
                .iter()
                .position(|p| p.resource_arn == n)
                .map(LinkTarget::ResourcePolicy),
            LinkKind::OrgPolicy => {
                let accounts = account.members.len().max(1);
                // A single account has one organization path, whoever the link names.
                let wanted = |i: usize| match (&self.account, account.members.get(i)) {
                    (Some(id), Some(member)) => member.id == *id,
                    _ => true,
                };
                (0..accounts).filter(|&i| wanted(i)).find_map(|i| {
                    let index = u16::try_from(i).ok()?;
                    let org = account.organization_at(index)?;
                    let policy = org.policies.iter().position(|p| p.name == n)?;
                    Some(LinkTarget::OrgPolicy(index, policy))
                })
            }
        }
    }
}

/// Every `[[kind:name]]` in `text`, in order; `Err` names a malformed one.
pub fn links_in(text: &str) -> Result<Vec<EntityLink>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("[[") {
        let after = &rest[start + 2..];
        let end = after
            .find("]]")
            .ok_or_else(|| format!("unclosed link `{}`", &rest[start..]))?;
        let inner = &after[..end];
        let (kind, name) = inner
            .split_once(':')
            .ok_or_else(|| format!("link `[[{inner}]]` has no kind"))?;
        let kind =
            LinkKind::from_word(kind).ok_or_else(|| format!("link `[[{inner}]]`: unknown kind"))?;
        if name.is_empty() {
            return Err(format!("link `[[{inner}]]` has no name"));
        }
        out.push(EntityLink {
            kind,
            name: name.to_string(),
            account: None,
        });
        rest = &after[end + 2..];
    }
    Ok(out)
}

/// `text` with every link replaced by its [`EntityLink::display`] form.
pub fn render_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[[") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("]]") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &after[..end];
        match inner
            .split_once(':')
            .and_then(|(k, n)| Some((LinkKind::from_word(k)?, n)))
        {
            Some((kind, name)) => out.push_str(
                &EntityLink {
                    kind,
                    name: name.to_string(),
                    account: None,
                }
                .display(),
            ),
            None => out.push_str(&rest[start..start + end + 4]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_parse_and_render() {
        let t = "Open [[role:dvia-admin-role]] and [[resource:arn:aws:s3:::b]].";
        let links = links_in(t).unwrap();
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].kind, LinkKind::Role);
        assert_eq!(links[1].name, "arn:aws:s3:::b");
        assert_eq!(
            render_links(t),
            "Open role/dvia-admin-role and arn:aws:s3:::b."
        );
        assert!(links_in("[[nope:x]]").is_err());
        assert!(links_in("[[role:]]").is_err());
        assert!(links_in("[[role:x").is_err());
        assert!(links_in("[[x]]").is_err());
    }
}
