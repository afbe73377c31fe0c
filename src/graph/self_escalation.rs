//! Self-escalation: a principal that can rewrite its own permissions (its policies,
//! its group's, a policy version, its group membership) is an administrator in waiting.
//! Each technique becomes an edge from the principal to itself.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::admin::{admin_if_unrestricted, admin_with, probes_covered, ADMIN_PROBES};
use super::build::{ask, Builder, Pending};
use super::class;
use super::edge::{EdgeKind, Proof, ProofContext};
use super::trust::graph_node;
use crate::eval::{Decision, Engine, IdentityChange, NamedPolicy, PrincipalRef};
use crate::model::{Account, GroupId, ManagedPolicy, PolicyId, PolicyVersion};
use crate::policy::ActionName;

/// A technique found: its kind, the allowed requests, and what else must hold.
type Found = (EdgeKind, Vec<(Decision, Proof)>, Vec<String>);

/// The ARN of AWS's AdministratorAccess policy in the account's partition.
fn admin_policy_arn(account: &Account) -> String {
    format!(
        "arn:{}:iam::aws:policy/AdministratorAccess",
        partition(account)
    )
}

/// The managed policies that shape `who`'s permissions: its own and its groups'.
fn attached_policies(account: &Account, who: PrincipalRef) -> Vec<PolicyId> {
    let mut out = Vec::new();
    match who {
        PrincipalRef::User(u) => {
            let user = account.user(u);
            out.extend(&user.common.attached_policies);
            for g in &user.groups {
                out.extend(&account.group(*g).common.attached_policies);
            }
        }
        PrincipalRef::Role(r) => out.extend(&account.role(r).common.attached_policies),
    }
    out.sort();
    out.dedup();
    out
}

/// A group's policies as the evaluator names them.
pub fn group_policies(account: &Account, group: GroupId) -> Vec<NamedPolicy<'_>> {
    let g = account.group(group);
    let mut out: Vec<NamedPolicy<'_>> = g
        .common
        .inline_policies
        .iter()
        .map(|p| NamedPolicy::new(format!("group/{}:{}", g.common.name, p.name), &p.document))
        .collect();
    for id in &g.common.attached_policies {
        let policy = account.policy(*id);
        if let Some(v) = policy.default_version() {
            out.push(NamedPolicy::new(policy.arn.as_str(), &v.document));
        }
    }
    out
}

/// The actions a self-escalation technique asks, and the admin probes: principals whose
/// statements for all of them are the same decide every request on a resource other
/// than their own ARN alike.
const ACTIONS: &[&str] = &[
    "iam:PutUserPolicy",
    "iam:AttachUserPolicy",
    "iam:PutRolePolicy",
    "iam:AttachRolePolicy",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:PutGroupPolicy",
    "iam:AttachGroupPolicy",
    "iam:AddUserToGroup",
    "iam:CreateRole",
];

/// Adds the self-escalation edges of every principal that is not already an admin.
/// Requests on shared resources (a group, a policy, the new role) and the what-if
/// checks are decided once per class of principals; only the requests on a
/// principal's own ARN are asked per principal.
pub fn add_self_escalations(b: &mut Builder<'_, '_>) {
    let engine = b.engine;
    let principals: Vec<PrincipalRef> = b
        .sources()
        .into_iter()
        .filter(|p| !b.graph.is_admin(b.graph.node_of(*p)))
        .collect();
    let account = engine.account();
    let group_probes: Vec<u8> = (0..account.groups.len())
        .map(|g| probes_covered(&group_policies(account, GroupId(g as u32))))
        .collect();
    let actions: Vec<ActionName> = ACTIONS
        .iter()
        .chain(ADMIN_PROBES)
        .map(|a| ActionName::new(a))
        .collect();
    let classes = class::classes(
        engine,
        &b.statement_ids,
        &principals,
        &actions,
        &HashSet::new(),
    );
    let allowed = &b.allowed_probes;
    let found: Vec<Pending> = classes
        .par_iter()
        .flat_map_iter(|class| {
            let may = |action: &str| {
                ACTIONS
                    .iter()
                    .position(|a| *a == action)
                    .is_some_and(|k| class.allows[k])
            };
            let mut memo = Memo::default();
            let mut out = Vec::new();
            for &who in &class.members {
                let node = graph_node(account, who);
                let lacking = !allowed[node as usize] & ((1u8 << ADMIN_PROBES.len()) - 1);
                // Joining a group makes an administrator only if the group's policies
                // cover every probe the principal lacks.
                let useful = |g: GroupId| group_probes[g.index()] & lacking == lacking;
                for (kind, proofs, assumptions) in techniques(engine, who, &may, &useful, &mut memo)
                {
                    out.push(Pending {
                        from: vec![node],
                        to: None,
                        kind,
                        proofs,
                        assumptions,
                    });
                }
            }
            out
        })
        .collect();
    b.pending.extend(found);
}

/// An allowed request and its proof.
type Proven = (Decision, Proof);

/// What one class of principals has been decided on so far.
#[derive(Default)]
struct Memo {
    /// Requests on shared resources: (action, resource, with the admin policy ARN).
    asks: HashMap<(&'static str, String, bool), Option<Proven>>,
    /// Whether joining a group would make an administrator.
    joins: HashMap<GroupId, bool>,
    /// Whether a stored policy version would make an administrator.
    versions: HashMap<(PolicyId, usize), bool>,
    /// Whether writing its own policies would make an administrator.
    unrestricted: Option<bool>,
}

impl Memo {
    /// [`ask_on`] on a resource every member shares, asked once for the class.
    fn ask(
        &mut self,
        engine: &Engine<'_>,
        who: PrincipalRef,
        action: &'static str,
        resource: &str,
        context: ProofContext,
    ) -> Option<(Decision, Proof)> {
        let key = (
            action,
            resource.to_string(),
            context != ProofContext::Unknown,
        );
        self.asks
            .entry(key)
            .or_insert_with(|| ask_on(engine, who, action, resource, context))
            .clone()
    }
}

fn ask_on(
    engine: &Engine<'_>,
    who: PrincipalRef,
    action: &'static str,
    resource: &str,
    context: ProofContext,
) -> Option<(Decision, Proof)> {
    ask(engine, who, Proof::on(action, resource, context))
}

/// `who`'s identity policies with `policy`'s default version replaced by `version`.
fn with_version<'a>(
    engine: &Engine<'a>,
    who: PrincipalRef,
    policy: &'a ManagedPolicy,
    version: &'a PolicyVersion,
) -> Vec<NamedPolicy<'a>> {
    engine
        .identity_policies(who)
        .iter()
        .map(|p| {
            if p.name == policy.arn.as_str() {
                NamedPolicy::new(policy.arn.as_str(), &version.document)
            } else {
                p.clone()
            }
        })
        .collect()
}

/// The self-escalation techniques open to `who` that would leave it an administrator.
fn techniques(
    engine: &Engine<'_>,
    who: PrincipalRef,
    may: &dyn Fn(&str) -> bool,
    useful_group: &dyn Fn(GroupId) -> bool,
    memo: &mut Memo,
) -> Vec<Found> {
    let account = engine.account();
    let admin_arn = admin_policy_arn(account);
    let arn = engine.facts(who).caller.arn.clone();
    let mut found: Vec<Found> = Vec::new();
    let (put, attach) = match who {
        PrincipalRef::User(_) => ("iam:PutUserPolicy", "iam:AttachUserPolicy"),
        PrincipalRef::Role(_) => ("iam:PutRolePolicy", "iam:AttachRolePolicy"),
    };
    if may(put) {
        if let Some(p) = ask_on(engine, who, put, &arn, ProofContext::Unknown) {
            found.push((EdgeKind::PutOwnPolicy, vec![p], Vec::new()));
        }
    }
    let admin_ctx = || ProofContext::PolicyArn(admin_arn.as_str().into());
    if may(attach) {
        if let Some(p) = ask_on(engine, who, attach, &arn, admin_ctx()) {
            found.push((EdgeKind::AttachOwnPolicy, vec![p], Vec::new()));
        }
    }
    let attached = attached_policies(account, who);
    if may("iam:CreatePolicyVersion") {
        for id in &attached {
            let policy = account.policy(*id);
            if policy.is_aws_managed() {
                continue;
            }
            let arn = policy.arn.as_str();
            if let Some(p) = memo.ask(
                engine,
                who,
                "iam:CreatePolicyVersion",
                arn,
                ProofContext::Unknown,
            ) {
                found.push((EdgeKind::CreatePolicyVersion, vec![p], Vec::new()));
            }
        }
    }
    // Going back to another stored version escalates only when that version makes the
    // principal an administrator (its boundary and SCPs still apply).
    if may("iam:SetDefaultPolicyVersion") {
        for id in &attached {
            let policy = account.policy(*id);
            if policy.is_aws_managed() {
                continue;
            }
            let better = policy
                .versions
                .iter()
                .enumerate()
                .filter(|(_, v)| !v.is_default)
                .find(|&(k, v)| {
                    *memo.versions.entry((*id, k)).or_insert_with(|| {
                        let policies = with_version(engine, who, policy, v);
                        admin_with(engine, who, IdentityChange::Replace(&policies))
                    })
                })
                .map(|(_, v)| v);
            let Some(version) = better else {
                continue;
            };
            let arn = policy.arn.as_str();
            if let Some(p) = memo.ask(
                engine,
                who,
                "iam:SetDefaultPolicyVersion",
                arn,
                ProofContext::Unknown,
            ) {
                let note = format!(
                    "stored version {} of {} grants administrator",
                    version.version_id, policy.name
                );
                found.push((EdgeKind::SetDefaultPolicyVersion, vec![p], vec![note]));
            }
        }
    }
    if let PrincipalRef::User(u) = who {
        let user = account.user(u);
        for g in &user.groups {
            let group_arn = account.group(*g).common.arn.as_str();
            if may("iam:PutGroupPolicy") {
                if let Some(p) = memo.ask(
                    engine,
                    who,
                    "iam:PutGroupPolicy",
                    group_arn,
                    ProofContext::Unknown,
                ) {
                    found.push((EdgeKind::PutGroupPolicy, vec![p], Vec::new()));
                }
            }
            if may("iam:AttachGroupPolicy") {
                if let Some(p) =
                    memo.ask(engine, who, "iam:AttachGroupPolicy", group_arn, admin_ctx())
                {
                    found.push((EdgeKind::AttachGroupPolicy, vec![p], Vec::new()));
                }
            }
        }
        if may("iam:AddUserToGroup") {
            for (gi, group) in account.groups.iter().enumerate() {
                let gid = GroupId(gi as u32);
                if user.groups.contains(&gid) || !useful_group(gid) {
                    continue;
                }
                let group_arn = group.common.arn.as_str();
                let Some(p) = memo.ask(
                    engine,
                    who,
                    "iam:AddUserToGroup",
                    group_arn,
                    ProofContext::Unknown,
                ) else {
                    continue;
                };
                let joins = *memo.joins.entry(gid).or_insert_with(|| {
                    let extra = group_policies(account, gid);
                    admin_with(engine, who, IdentityChange::Add(&extra))
                });
                if joins {
                    found.push((EdgeKind::AddUserToGroup, vec![p], Vec::new()));
                }
            }
        }
    }
    if may("iam:CreateRole") {
        let new_role = format!(
            "arn:{}:iam::{}:role/iamscope-new-role",
            partition(account),
            engine
                .facts(who)
                .caller
                .account
                .as_deref()
                .unwrap_or(&account.id)
        );
        if let Some(create) = memo.ask(
            engine,
            who,
            "iam:CreateRole",
            &new_role,
            ProofContext::Unknown,
        ) {
            let grant = memo
                .ask(engine, who, "iam:AttachRolePolicy", &new_role, admin_ctx())
                .or_else(|| {
                    memo.ask(
                        engine,
                        who,
                        "iam:PutRolePolicy",
                        &new_role,
                        ProofContext::Unknown,
                    )
                });
            if let Some(grant) = grant {
                found.push((EdgeKind::CreateAdminRole, vec![create, grant], Vec::new()));
            }
        }
    }
    if found.is_empty() {
        return found;
    }
    // Rewriting one's own policies is bounded by one's boundary and SCPs. A new role
    // has no boundary but the SCPs still bound it: when `who` has none either, the same
    // check says whether the new role would be an administrator (with a boundary, the
    // new role's power cannot be told from `who`'s, and the edge is kept). A group's
    // policies and a stored version were checked by what they grant.
    let unrestricted = *memo
        .unrestricted
        .get_or_insert_with(|| admin_if_unrestricted(engine, who));
    found.retain(|(kind, _, _)| match kind {
        EdgeKind::AddUserToGroup | EdgeKind::SetDefaultPolicyVersion => true,
        EdgeKind::CreateAdminRole => unrestricted || engine.boundary(who).is_some(),
        _ => unrestricted,
    });
    found
}

fn partition(account: &Account) -> &str {
    if account.partition.is_empty() {
        "aws"
    } else {
        &account.partition
    }
}
