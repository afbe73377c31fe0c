//! Self-escalation: a principal that can rewrite its own permissions (its policies,
//! its group's, a policy version, its group membership) is an administrator in waiting.
//! Each technique becomes an edge from the principal to itself.

use super::admin::{admin_if_unrestricted, admin_with};
use super::build::Builder;
use super::candidates::Allowing;
use super::edge::{EdgeKind, Proof, ProofContext};
use crate::eval::{Decision, IdentityChange, NamedPolicy, PrincipalRef};
use crate::model::{Account, GroupId, PolicyId};
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

/// Adds the self-escalation edges of every principal that is not already an admin.
pub fn add_self_escalations(b: &mut Builder<'_, '_>) {
    let engine = b.engine;
    let account = engine.account();
    let admin_arn = admin_policy_arn(account);
    let principals: Vec<PrincipalRef> = engine.principals().collect();
    for who in principals {
        let node = b.graph.node_of(who);
        if b.graph.is_admin(node) {
            continue;
        }
        let arn = engine.facts(who).caller.arn.clone();
        let may = |action: &str| !Allowing::new(engine, who, &ActionName::new(action)).is_empty();
        let mut found: Vec<Found> = Vec::new();
        let (put, attach) = match who {
            PrincipalRef::User(_) => ("iam:PutUserPolicy", "iam:AttachUserPolicy"),
            PrincipalRef::Role(_) => ("iam:PutRolePolicy", "iam:AttachRolePolicy"),
        };
        if may(put) {
            if let Some(p) = b.ask(who, put, &arn, ProofContext::Unknown) {
                found.push((EdgeKind::PutOwnPolicy, vec![p], Vec::new()));
            }
        }
        if may(attach) {
            if let Some(p) = b.ask(
                who,
                attach,
                &arn,
                ProofContext::PolicyArn(admin_arn.as_str().into()),
            ) {
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
                if let Some(p) = b.ask(
                    who,
                    "iam:CreatePolicyVersion",
                    policy.arn.as_str(),
                    ProofContext::Unknown,
                ) {
                    found.push((EdgeKind::CreatePolicyVersion, vec![p], Vec::new()));
                }
            }
        }
        if may("iam:SetDefaultPolicyVersion") {
            for id in &attached {
                let policy = account.policy(*id);
                if policy.is_aws_managed() || policy.versions.len() < 2 {
                    continue;
                }
                if let Some(p) = b.ask(
                    who,
                    "iam:SetDefaultPolicyVersion",
                    policy.arn.as_str(),
                    ProofContext::Unknown,
                ) {
                    let note = format!(
                        "another version of {} grants more than the default one",
                        policy.name
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
                    if let Some(p) =
                        b.ask(who, "iam:PutGroupPolicy", group_arn, ProofContext::Unknown)
                    {
                        found.push((EdgeKind::PutGroupPolicy, vec![p], Vec::new()));
                    }
                }
                if may("iam:AttachGroupPolicy") {
                    if let Some(p) = b.ask(
                        who,
                        "iam:AttachGroupPolicy",
                        group_arn,
                        ProofContext::PolicyArn(admin_arn.as_str().into()),
                    ) {
                        found.push((EdgeKind::AttachGroupPolicy, vec![p], Vec::new()));
                    }
                }
            }
            if may("iam:AddUserToGroup") {
                for (gi, group) in account.groups.iter().enumerate() {
                    let gid = GroupId(gi as u32);
                    if user.groups.contains(&gid) {
                        continue;
                    }
                    let Some(p) = b.ask(
                        who,
                        "iam:AddUserToGroup",
                        group.common.arn.as_str(),
                        ProofContext::Unknown,
                    ) else {
                        continue;
                    };
                    let extra = group_policies(account, gid);
                    if admin_with(b, who, IdentityChange::Add(&extra)) {
                        found.push((EdgeKind::AddUserToGroup, vec![p], Vec::new()));
                    }
                }
            }
        }
        if may("iam:CreateRole") {
            let new_role = format!(
                "arn:{}:iam::{}:role/iamscope-new-role",
                partition(account),
                account.id
            );
            if let Some(create) = b.ask(who, "iam:CreateRole", &new_role, ProofContext::Unknown) {
                let grant = b
                    .ask(
                        who,
                        "iam:AttachRolePolicy",
                        &new_role,
                        ProofContext::PolicyArn(admin_arn.as_str().into()),
                    )
                    .or_else(|| b.ask(who, "iam:PutRolePolicy", &new_role, ProofContext::Unknown));
                if let Some(grant) = grant {
                    found.push((EdgeKind::CreateAdminRole, vec![create, grant], Vec::new()));
                }
            }
        }
        if found.is_empty() {
            continue;
        }
        // Rewriting one's own policies is bounded by one's boundary and SCPs; a new role
        // or a group's policies are checked by what they grant.
        let unrestricted = admin_if_unrestricted(b, who);
        for (kind, proofs, assumptions) in found {
            let bounded = !matches!(kind, EdgeKind::AddUserToGroup | EdgeKind::CreateAdminRole);
            if bounded && !unrestricted {
                continue;
            }
            b.edge(node, node, kind, proofs, assumptions);
        }
    }
}

fn partition(account: &Account) -> &str {
    if account.partition.is_empty() {
        "aws"
    } else {
        &account.partition
    }
}
