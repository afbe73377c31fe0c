//! Which principals already hold administrator permissions, and whether a principal
//! that rewrote its own policies would be one (its boundary and SCPs may stop it).

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::build::{grants, Builder};
use super::candidates::covers_action;
use super::{class, AdminStatus};
use crate::eval::{
    allow_everything, Context, Decision, Engine, IdentityChange, NamedPolicy, PrincipalRef, Query,
};
use crate::policy::ActionName;

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
/// some context (an MFA condition, say): the evidence then says `Conditional`. Each
/// probe is decided once per principal class.
pub fn mark_admins(b: &mut Builder<'_, '_>) {
    let engine = b.engine;
    let principals = b.sources();
    let mut status: Vec<Option<AdminStatus>> = vec![Some(AdminStatus::default()); principals.len()];
    let none = HashSet::new();
    // Each source's place in `status`.
    let slot: HashMap<usize, usize> = principals
        .iter()
        .enumerate()
        .map(|(k, p)| (b.graph.node_of(*p), k))
        .collect();
    for (bit, probe) in ADMIN_PROBES.iter().enumerate() {
        let classes = class::classes(
            engine,
            &b.statement_ids,
            &principals,
            &[ActionName::new(probe)],
            &none,
        );
        let decisions: Vec<Decision> = classes
            .par_iter()
            .map(|c| {
                if c.allows[0] {
                    engine.decide(c.representative(), &probe_query(probe))
                } else {
                    Decision::ImplicitDeny
                }
            })
            .collect();
        for (class, decision) in classes.iter().zip(decisions) {
            for who in &class.members {
                let i = b.graph.node_of(*who);
                if decision == Decision::Allow {
                    b.allowed_probes[i] |= 1 << bit;
                }
                let Some(s) = status[slot[&i]].as_mut() else {
                    continue;
                };
                if !grants(&decision) {
                    status[slot[&i]] = None;
                    continue;
                }
                for k in decision.missing_keys() {
                    if !s.missing_keys.contains(k) {
                        s.missing_keys.push(k.clone());
                    }
                }
            }
        }
    }
    for (who, s) in principals.iter().zip(status) {
        let i = b.graph.node_of(*who);
        b.graph.admins[i] = s;
    }
}

/// The [`ADMIN_PROBES`] (as bits) that some Allow statement of `policies` covers on a
/// resource that can be `*` (the probes' resource): a principal lacking a probe can get
/// it only from a policy with such a statement.
pub fn probes_covered(policies: &[NamedPolicy<'_>]) -> u8 {
    let mut mask = 0;
    for (bit, probe) in ADMIN_PROBES.iter().enumerate() {
        let action = ActionName::new(probe);
        let covered = policies
            .iter()
            .filter_map(|p| p.document.ok())
            .flat_map(|d| d.statements.iter())
            .any(|s| {
                s.effect == crate::policy::Effect::Allow
                    && covers_action(s, &action)
                    && may_match_everything(s)
            });
        if covered {
            mask |= 1 << bit;
        }
    }
    mask
}

/// Whether a statement's Resource element can match the resource `*`: a NotResource
/// or no element can, and so can a pattern of wildcards only or one with a policy
/// variable (its value is not known here).
pub fn may_match_everything(s: &crate::policy::Statement) -> bool {
    let Some(r) = &s.resource else {
        return true;
    };
    r.negated
        || r.patterns.iter().any(|p| {
            let text = p.as_str();
            text.contains("${")
                || (text.contains('*') && text.chars().all(|c| c == '*' || c == '?'))
                || text == "?"
        })
}

/// Whether `who` would be an administrator with these identity policies (its boundary
/// and SCPs unchanged). The probes in `first` (bits) are asked first: those `who` lacks
/// today are the likeliest to fail, and the first failure ends the question.
pub fn admin_with<'a>(
    engine: &Engine<'a>,
    who: PrincipalRef,
    change: IdentityChange<'_, 'a>,
    first: u8,
) -> bool {
    let allowed = |bit: usize| {
        engine.decide_with(who, change, &probe_query(ADMIN_PROBES[bit]), None) == Decision::Allow
    };
    let leads = |bit: &usize| first & (1 << bit) != 0;
    let bits = 0..ADMIN_PROBES.len();
    bits.clone()
        .filter(leads)
        .chain(bits.filter(|b| !leads(b)))
        .all(allowed)
}

/// The [`ADMIN_PROBES`] (as bits) `who` would be allowed with `Allow * on *` added to
/// its identity policies: its own Denies, boundary and SCPs still apply.
pub fn probes_with_everything(engine: &Engine<'_>, who: PrincipalRef) -> u8 {
    let everything: &[NamedPolicy<'_>] = std::slice::from_ref(allow_everything());
    let mut mask = 0;
    for (bit, a) in ADMIN_PROBES.iter().enumerate() {
        let change = IdentityChange::Add(everything);
        if engine.decide_with(who, change, &probe_query(a), None) == Decision::Allow {
            mask |= 1 << bit;
        }
    }
    mask
}

/// Whether `who` would be an administrator once it can write its own policies.
pub fn admin_if_unrestricted(engine: &Engine<'_>, who: PrincipalRef) -> bool {
    let everything: &[NamedPolicy<'_>] = std::slice::from_ref(allow_everything());
    admin_with(engine, who, IdentityChange::Replace(everything), 0)
}
