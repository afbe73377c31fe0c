//! Entities added, removed and changed: every user, group, role, managed policy,
//! instance profile, identity provider, resource policy and Organizations policy of
//! the two exports, matched by ARN (Organizations policies by id), compared attribute
//! by attribute and document by document ([`super::statements`]).

use std::collections::HashMap;

use serde::Serialize;

use super::statements::{diff_documents, StatementChange};
use super::ChangeKind;
use crate::model::{Account, OrgPolicyKind, PolicySource};

/// What kind of entity changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// The account's place in its organization (id, management account, OU path).
    Organization,
    /// A service control policy.
    Scp,
    /// A resource control policy.
    Rcp,
    /// An IAM user.
    User,
    /// An IAM group.
    Group,
    /// An IAM role.
    Role,
    /// A managed policy (customer- or AWS-managed).
    ManagedPolicy,
    /// An instance profile.
    InstanceProfile,
    /// A SAML provider.
    SamlProvider,
    /// An OIDC provider.
    OidcProvider,
    /// A resource-based policy (bucket, key, queue, topic, function, secret).
    ResourcePolicy,
}

impl EntityKind {
    /// The snake_case name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            EntityKind::Organization => "organization",
            EntityKind::Scp => "scp",
            EntityKind::Rcp => "rcp",
            EntityKind::User => "user",
            EntityKind::Group => "group",
            EntityKind::Role => "role",
            EntityKind::ManagedPolicy => "managed_policy",
            EntityKind::InstanceProfile => "instance_profile",
            EntityKind::SamlProvider => "saml_provider",
            EntityKind::OidcProvider => "oidc_provider",
            EntityKind::ResourcePolicy => "resource_policy",
        }
    }
}

/// One document of an entity whose statements changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentChange {
    /// Which document: `trust policy`, `inline policy NAME`, `default version`,
    /// `resource policy`, `content`.
    pub document: String,
    /// Added, removed or changed (the document itself).
    pub kind: ChangeKind,
    /// Its statements that were added, removed or changed.
    pub statements: Vec<StatementChange>,
}

/// One entity added, removed or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityChange {
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// The entity's kind.
    pub entity: EntityKind,
    /// Its ARN (the resource's ARN for a resource policy, the policy id for an SCP or
    /// RCP, the organization id for the organization).
    pub id: String,
    /// Attributes that changed, one line each: `groups: +admins`, `path: / → /ops/`.
    pub details: Vec<String>,
    /// Documents whose statements changed.
    pub documents: Vec<DocumentChange>,
    /// The old entity, one line per attribute then each document (for side-by-side
    /// views; not in the JSON).
    #[serde(skip)]
    pub old_view: Vec<String>,
    /// The new entity, likewise.
    #[serde(skip)]
    pub new_view: Vec<String>,
}

/// An entity reduced to what is compared: attributes (each a list of values) and
/// documents by name.
struct Facets<'a> {
    attrs: Vec<(&'static str, Vec<String>)>,
    docs: Vec<(String, &'a PolicySource)>,
}

impl<'a> Facets<'a> {
    fn new() -> Facets<'a> {
        Facets {
            attrs: Vec::new(),
            docs: Vec::new(),
        }
    }
    fn attr(mut self, name: &'static str, values: Vec<String>) -> Facets<'a> {
        self.attrs.push((name, values));
        self
    }
    fn one(self, name: &'static str, value: Option<&str>) -> Facets<'a> {
        self.attr(name, value.map(str::to_string).into_iter().collect())
    }
    fn doc(mut self, name: String, source: &'a PolicySource) -> Facets<'a> {
        self.docs.push((name, source));
        self
    }

    fn view(&self, id: &str) -> Vec<String> {
        let mut out = vec![id.to_string()];
        for (name, values) in &self.attrs {
            out.push(format!("{name}: {}", values.join(", ")));
        }
        for (name, source) in &self.docs {
            out.push(String::new());
            out.push(format!("── {name} ──"));
            let pretty = serde_json::from_str::<serde_json::Value>(&source.text)
                .ok()
                .and_then(|v| serde_json::to_string_pretty(&v).ok())
                .unwrap_or_else(|| source.text.to_string());
            out.extend(pretty.lines().map(str::to_string));
        }
        out
    }
}

type Keyed<'a> = Vec<((EntityKind, String), Facets<'a>)>;

fn names<T>(items: &[T], name: impl Fn(&T) -> String) -> Vec<String> {
    let mut out: Vec<String> = items.iter().map(name).collect();
    out.sort();
    out
}

fn tags(tags: &[crate::model::Tag]) -> Vec<String> {
    names(tags, |t| format!("{}={}", t.key, t.value))
}

/// Every entity of `account` with its facets.
fn entities(account: &Account) -> Keyed<'_> {
    let policy_arn = |id: &crate::model::PolicyId| {
        account
            .managed_policies
            .get(id.index())
            .map_or_else(String::new, |p| p.arn.to_string())
    };
    let mut out: Keyed<'_> = Vec::new();
    // Each member's place in the organization; each SCP and RCP once, with where it
    // is attached in every member's path.
    let mut org_policies: std::collections::BTreeMap<
        (EntityKind, String),
        (&crate::model::OrgPolicy, Vec<String>),
    > = std::collections::BTreeMap::new();
    for id in account.account_ids() {
        let Some(org) = account.organization_of(id) else {
            continue;
        };
        let key = match org.org_id() {
            Some(o) if account.is_org() => format!("{o} (account {id})"),
            Some(o) => o.to_string(),
            None => format!("organization (account {id})"),
        };
        let facets = Facets::new()
            .one("organization id", org.org_id())
            .one("management account", org.management_account.as_deref())
            .attr(
                "path",
                org.path.iter().map(|l| l.target_id.clone()).collect(),
            );
        out.push(((EntityKind::Organization, key), facets));
        for (i, p) in org.policies.iter().enumerate() {
            let kind = match p.kind {
                OrgPolicyKind::Scp => EntityKind::Scp,
                OrgPolicyKind::Rcp => EntityKind::Rcp,
            };
            let entry = org_policies
                .entry((kind, p.id.clone()))
                .or_insert((p, Vec::new()));
            for l in org
                .path
                .iter()
                .filter(|l| l.scps.contains(&i) || l.rcps.contains(&i))
            {
                let at = if account.is_org() {
                    format!("{} (account {id})", l.target_id)
                } else {
                    l.target_id.clone()
                };
                if !entry.1.contains(&at) {
                    entry.1.push(at);
                }
            }
        }
    }
    for ((kind, id), (p, mut attached)) in org_policies {
        attached.sort();
        let mut facets = Facets::new()
            .one("name", Some(&p.name))
            .attr("attached at", attached);
        if let Some(content) = &p.content {
            facets = facets.doc("content".into(), content);
        }
        out.push(((kind, id), facets));
    }
    for u in &account.users {
        let c = &u.common;
        let mut f = Facets::new()
            .one("id", Some(&c.id))
            .one("path", Some(&c.path))
            .attr(
                "groups",
                names(&u.groups, |g| account.group(*g).common.name.clone()),
            )
            .attr("attached policies", names(&c.attached_policies, policy_arn))
            .one(
                "permissions boundary",
                u.permissions_boundary.map(|b| policy_arn(&b)).as_deref(),
            )
            .attr("tags", tags(&u.tags));
        for p in &c.inline_policies {
            f = f.doc(format!("inline policy {}", p.name), &p.document);
        }
        out.push(((EntityKind::User, c.arn.to_string()), f));
    }
    for g in &account.groups {
        let c = &g.common;
        let mut f = Facets::new()
            .one("id", Some(&c.id))
            .one("path", Some(&c.path))
            .attr("attached policies", names(&c.attached_policies, policy_arn));
        for p in &c.inline_policies {
            f = f.doc(format!("inline policy {}", p.name), &p.document);
        }
        out.push(((EntityKind::Group, c.arn.to_string()), f));
    }
    for r in &account.roles {
        let c = &r.common;
        let mut f = Facets::new()
            .one("id", Some(&c.id))
            .one("path", Some(&c.path))
            .attr("attached policies", names(&c.attached_policies, policy_arn))
            .one(
                "permissions boundary",
                r.permissions_boundary.map(|b| policy_arn(&b)).as_deref(),
            )
            .one(
                "max session duration",
                r.max_session_duration.map(|d| d.to_string()).as_deref(),
            )
            .attr(
                "instance profiles",
                names(&r.instance_profiles, |p| {
                    account.instance_profiles[p.index()].name.clone()
                }),
            )
            .attr("tags", tags(&r.tags))
            .doc("trust policy".into(), &r.trust_policy);
        for p in &c.inline_policies {
            f = f.doc(format!("inline policy {}", p.name), &p.document);
        }
        out.push(((EntityKind::Role, c.arn.to_string()), f));
    }
    for p in &account.managed_policies {
        let mut f = Facets::new()
            .one(
                "id",
                Some(&p.id).filter(|i| !i.is_empty()).map(|s| s.as_str()),
            )
            .one("path", Some(&p.path))
            .one("default version", p.default_version_id.as_deref())
            .one(
                "in the export",
                Some(if p.in_export {
                    "yes"
                } else {
                    "no (only referenced)"
                }),
            );
        if let Some(v) = p.default_version() {
            f = f.doc("default version".into(), &v.document);
        }
        out.push(((EntityKind::ManagedPolicy, p.arn.to_string()), f));
    }
    for p in &account.instance_profiles {
        let f = Facets::new().one("path", Some(&p.path)).attr(
            "roles",
            names(&p.roles, |r| account.role(*r).common.name.clone()),
        );
        out.push(((EntityKind::InstanceProfile, p.arn.to_string()), f));
    }
    for p in &account.saml_providers {
        let f = Facets::new().one("valid until", p.valid_until.as_deref());
        out.push(((EntityKind::SamlProvider, p.arn.to_string()), f));
    }
    for p in &account.oidc_providers {
        let mut thumbprints = p.thumbprints.clone();
        thumbprints.sort();
        let mut clients = p.client_ids.clone();
        clients.sort();
        let f = Facets::new()
            .one("url", Some(&p.url))
            .attr("client ids", clients)
            .attr("thumbprints", thumbprints);
        out.push(((EntityKind::OidcProvider, p.arn.to_string()), f));
    }
    for rp in &account.resource_policies {
        let f = Facets::new()
            .one("service", Some(&rp.service))
            .doc("resource policy".into(), &rp.policy);
        out.push(((EntityKind::ResourcePolicy, rp.resource_arn.clone()), f));
    }
    out
}

/// What changed in one attribute: `groups: +admins -developers`, `path: / → /ops/`.
fn attr_change(name: &str, old: &[String], new: &[String]) -> Option<String> {
    if old == new {
        return None;
    }
    if old.len() <= 1 && new.len() <= 1 {
        let show = |v: &[String]| v.first().cloned().unwrap_or_else(|| "(none)".into());
        return Some(format!("{name}: {} → {}", show(old), show(new)));
    }
    let mut parts: Vec<String> = new
        .iter()
        .filter(|v| !old.contains(v))
        .map(|v| format!("+{v}"))
        .collect();
    parts.extend(
        old.iter()
            .filter(|v| !new.contains(v))
            .map(|v| format!("-{v}")),
    );
    if parts.is_empty() {
        // Same values, another order: order matters only for the path.
        parts.push(format!("{} → {}", old.join(", "), new.join(", ")));
    }
    Some(format!("{name}: {}", parts.join(" ")))
}

fn find<'f>(docs: &[(String, &'f PolicySource)], name: &str) -> Option<&'f PolicySource> {
    docs.iter().find(|(n, _)| n == name).map(|(_, s)| *s)
}

fn documents(old: Option<&Facets<'_>>, new: Option<&Facets<'_>>) -> Vec<DocumentChange> {
    let empty = Vec::new();
    let old_docs = old.map_or(&empty, |f| &f.docs);
    let new_docs = new.map_or(&empty, |f| &f.docs);
    let mut out = Vec::new();
    let mut push = |name: &str, o: Option<&PolicySource>, n: Option<&PolicySource>| {
        let statements = diff_documents(o, n);
        let kind = match (o, n) {
            (None, _) => ChangeKind::Added,
            (_, None) => ChangeKind::Removed,
            _ => ChangeKind::Changed,
        };
        if !statements.is_empty() || (o.is_some() != n.is_some()) {
            out.push(DocumentChange {
                document: name.to_string(),
                kind,
                statements,
            });
        }
    };
    for (name, n) in new_docs {
        push(name, find(old_docs, name), Some(n));
    }
    for (name, o) in old_docs {
        if find(new_docs, name).is_none() {
            push(name, Some(o), None);
        }
    }
    out
}

fn change(
    kind: EntityKind,
    id: &str,
    old: Option<&Facets<'_>>,
    new: Option<&Facets<'_>>,
) -> Option<EntityChange> {
    let mut details = Vec::new();
    if let (Some(o), Some(n)) = (old, new) {
        for (name, new_values) in &n.attrs {
            let old_values = o
                .attrs
                .iter()
                .find(|(m, _)| m == name)
                .map_or(&[][..], |(_, v)| v.as_slice());
            details.extend(attr_change(name, old_values, new_values));
        }
    }
    let documents = documents(old, new);
    let change_kind = match (old, new) {
        (None, _) => ChangeKind::Added,
        (_, None) => ChangeKind::Removed,
        _ if details.is_empty() && documents.is_empty() => return None,
        _ => ChangeKind::Changed,
    };
    Some(EntityChange {
        kind: change_kind,
        entity: kind,
        id: id.to_string(),
        details,
        documents,
        old_view: old.map(|f| f.view(id)).unwrap_or_default(),
        new_view: new.map(|f| f.view(id)).unwrap_or_default(),
    })
}

/// Every entity added, removed or changed from `old` to `new`, by kind then id.
pub fn entity_changes(old: &Account, new: &Account) -> Vec<EntityChange> {
    let before = entities(old);
    let after = entities(new);
    let index: HashMap<&(EntityKind, String), &Facets<'_>> =
        before.iter().map(|(k, f)| (k, f)).collect();
    let now: HashMap<&(EntityKind, String), &Facets<'_>> =
        after.iter().map(|(k, f)| (k, f)).collect();
    let mut out: Vec<EntityChange> = after
        .iter()
        .filter_map(|(key, f)| change(key.0, &key.1, index.get(key).copied(), Some(f)))
        .collect();
    out.extend(
        before
            .iter()
            .filter(|(key, _)| !now.contains_key(key))
            .filter_map(|(key, f)| change(key.0, &key.1, Some(f), None)),
    );
    out.sort_by(|a, b| (a.entity, &a.id, a.kind).cmp(&(b.entity, &b.id, b.kind)));
    out
}
