//! The entities a quiz question involves — the caller, the resource, every policy its
//! trace went through — as [`EntityLink`]s, so the learner can open each one.
//!
//! Read from the question's request and the evaluator's trace; only links that resolve
//! in the account are returned (a caller from another account has no entity here).

use super::link::{EntityLink, LinkKind};
use super::question::Question;
use crate::eval::{Layer, TraceStep};
use crate::model::{Account, EntityRef};

/// The entities `q` involves, in order (caller, resource, then the trace's policies),
/// each once, every one resolving in `account`.
pub fn involved(q: &Question, account: &Account) -> Vec<EntityLink> {
    let mut out: Vec<EntityLink> = Vec::new();
    let mut push = |link: Option<EntityLink>| {
        if let Some(l) = link {
            if !out.contains(&l) && l.resolve(account).is_some() {
                out.push(l);
            }
        }
    };
    push(arn_link(account, &q.principal));
    push(arn_link(account, &q.resource));
    push(resource_policy_of(account, &q.resource));
    for step in &q.trace.steps {
        if !step.policy.is_empty() {
            push(policy_link(account, &step.policy, org_account_of(q, step)));
        }
    }
    out
}

/// The link of an entity of the account named by ARN.
fn arn_link(account: &Account, arn: &str) -> Option<EntityLink> {
    let (kind, name) = match account.by_arn(arn)? {
        EntityRef::User(u) => (LinkKind::User, account.user(u).common.name.clone()),
        EntityRef::Group(g) => (LinkKind::Group, account.group(g).common.name.clone()),
        EntityRef::Role(r) => (LinkKind::Role, account.role(r).common.name.clone()),
        EntityRef::Policy(p) => (LinkKind::Policy, account.policy(p).name.clone()),
        EntityRef::InstanceProfile(i) => (
            LinkKind::InstanceProfile,
            account.instance_profiles[i.0 as usize].name.clone(),
        ),
        EntityRef::SamlProvider(i) => (
            LinkKind::SamlProvider,
            account.saml_providers[i].arn.name().to_string(),
        ),
        EntityRef::OidcProvider(i) => (
            LinkKind::OidcProvider,
            account.oidc_providers[i].host().to_string(),
        ),
    };
    Some(EntityLink {
        kind,
        name,
        account: None,
    })
}

/// The resource policy of `resource`: the same ARN, or the bucket of an object.
fn resource_policy_of(account: &Account, resource: &str) -> Option<EntityLink> {
    account
        .resource_policies
        .iter()
        .find(|p| {
            resource == p.resource_arn
                || resource
                    .strip_prefix(p.resource_arn.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .map(|p| EntityLink {
            kind: LinkKind::Resource,
            name: p.resource_arn.clone(),
            account: None,
        })
}

/// The entity a trace step's policy name stands for: `user/NAME:Inline` and
/// `role/NAME:trust` name their owner, an ARN a managed policy, `service:name` a
/// resource or key policy, anything else an Organizations policy.
fn policy_link(account: &Account, policy: &str, org_account: Option<&str>) -> Option<EntityLink> {
    if policy.starts_with("arn:") {
        return arn_link(account, policy);
    }
    for (prefix, kind) in [
        ("user/", LinkKind::User),
        ("group/", LinkKind::Group),
        ("role/", LinkKind::Role),
    ] {
        if let Some(rest) = policy.strip_prefix(prefix) {
            let owner = rest.rsplit_once(':').map_or(rest, |(owner, _)| owner);
            return Some(EntityLink {
                kind,
                name: owner.to_string(),
                account: None,
            });
        }
    }
    if let Some((service, name)) = policy.split_once(':') {
        if let Some(p) = account
            .resource_policies
            .iter()
            .find(|p| p.service == service && p.name == name)
        {
            return Some(EntityLink {
                kind: LinkKind::Resource,
                name: p.resource_arn.clone(),
                account: None,
            });
        }
    }
    Some(EntityLink {
        kind: LinkKind::OrgPolicy,
        name: policy.to_string(),
        account: org_account.map(str::to_string),
    })
}

/// The account whose place in the organization an Organizations policy of `step` is
/// looked up in: the caller's for an SCP (they limit principals), the resource's for
/// an RCP (they limit resources); `None` when its ARN names no account.
fn org_account_of<'q>(q: &'q Question, step: &TraceStep) -> Option<&'q str> {
    let arn = match step.layer {
        Layer::Rcp(_) => &q.resource,
        _ => &q.principal,
    };
    arn.split(':').nth(4).filter(|id| !id.is_empty())
}
