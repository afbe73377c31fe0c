//! Which principals already hold administrator permissions, and whether a principal
//! that rewrote its own policies would be one (its boundary and SCPs may stop it).

use super::build::{grants, Builder};
use super::AdminStatus;
use crate::eval::{
    allow_everything, Context, Decision, IdentityChange, NamedPolicy, PrincipalRef, Query,
};

/// Requests an administrator can make: IAM writes plus high-impact actions across
/// services. Allowed on all of them means administrator.
pub const ADMIN_PROBES: &[&str] = &[
    "iam:PutRolePolicy",
    "iam:CreateUser",
    "iam:AttachUserPolicy",
    "ec2:RunInstances",
    "s3:PutBucketPolicy",
    "lambda:CreateFunction",
    "kms:Decrypt",
];

fn probe_query(action: &str) -> Query {
    Query::new(action, "*").with_context(Context::new(false))
}

/// Marks every principal that is allowed all the [`ADMIN_PROBES`], at least under
/// some context (an MFA condition, say): the evidence then says `Conditional`.
pub fn mark_admins(b: &mut Builder<'_, '_>) {
    let principals: Vec<PrincipalRef> = b.engine.principals().collect();
    b.graph.admins = vec![None; b.graph.nodes.len()];
    for who in principals {
        let mut status = AdminStatus::default();
        let all = ADMIN_PROBES.iter().all(|a| {
            let decision = b.engine.decide(who, &probe_query(a));
            for k in decision.missing_keys() {
                if !status.missing_keys.contains(k) {
                    status.missing_keys.push(k.clone());
                }
            }
            grants(&decision)
        });
        if all {
            let node = b.graph.node_of(who);
            b.graph.admins[node] = Some(status);
        }
    }
}

/// Whether `who` would be an administrator with these identity policies (its boundary
/// and SCPs unchanged).
pub fn admin_with(b: &Builder<'_, '_>, who: PrincipalRef, change: IdentityChange<'_, '_>) -> bool {
    ADMIN_PROBES
        .iter()
        .all(|a| b.engine.decide_with(who, change, &probe_query(a), None) == Decision::Allow)
}

/// Whether `who` would be an administrator once it can write its own policies.
pub fn admin_if_unrestricted(b: &Builder<'_, '_>, who: PrincipalRef) -> bool {
    let everything: &[NamedPolicy<'_>] = std::slice::from_ref(allow_everything());
    admin_with(b, who, IdentityChange::Replace(everything))
}
