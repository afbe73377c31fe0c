//! Trust edges: who can assume each role — the account's own principals (trust policy
//! plus, where AWS requires it, their identity policy), other accounts, `*`, services
//! and identity providers.

use std::collections::BTreeSet;

use super::build::{grants, make_edge, parallel, Builder};
use super::candidates::Allowing;
use super::edge::{EdgeKind, Proof, ProofContext};
use super::node::Node;
use crate::eval::{Context, Decision, PrincipalRef, Query};
use crate::model::RoleId;
use crate::policy::{ActionName, Effect, PrincipalEntry};

/// Who a role's trust policy names, sorted into the account's principals and outsiders.
#[derive(Default)]
struct Named {
    /// Principals of the account named directly (user, role, session ARNs).
    direct: BTreeSet<PrincipalRef>,
    /// The account itself (delegation to its identity policies).
    own_account: bool,
    /// `*`: everyone, inside and outside.
    anyone: bool,
    outside: BTreeSet<Node>,
}

fn named_in_trust(b: &Builder<'_, '_>, role: RoleId) -> Named {
    let account = b.engine.account();
    let mut named = Named::default();
    let Ok(doc) = b.engine.trust_policy(role).document else {
        return named;
    };
    for statement in doc.statements.iter().filter(|s| s.effect == Effect::Allow) {
        let Some(spec) = &statement.principal else {
            continue;
        };
        if spec.negated {
            named.anyone = true;
            continue;
        }
        for entry in &spec.entries {
            match entry {
                PrincipalEntry::Any => named.anyone = true,
                PrincipalEntry::Account(id) if *id == account.id => named.own_account = true,
                PrincipalEntry::Account(id) => {
                    named.outside.insert(Node::Account(id.clone()));
                }
                PrincipalEntry::User(arn) | PrincipalEntry::Session(arn) => {
                    match b.engine.resolve(arn) {
                        Some(p) => {
                            named.direct.insert(p);
                        }
                        None => {
                            if let Some(acct) = arn.split(':').nth(4) {
                                if acct != account.id {
                                    named.outside.insert(Node::Account(acct.to_string()));
                                }
                            }
                        }
                    }
                }
                PrincipalEntry::Role {
                    account: acct,
                    name,
                } => {
                    if *acct == account.id {
                        if let Some(r) = account.role_named(name) {
                            named.direct.insert(PrincipalRef::Role(r));
                        }
                    } else {
                        named.outside.insert(Node::Account(acct.clone()));
                    }
                }
                PrincipalEntry::Service(s) => {
                    named.outside.insert(Node::Service(s.clone()));
                }
                PrincipalEntry::Federated(f) => {
                    named.outside.insert(Node::Federated(f.clone()));
                }
                PrincipalEntry::FederatedUser(_)
                | PrincipalEntry::Other(_)
                | PrincipalEntry::CanonicalUser(_) => {}
            }
        }
    }
    if named.anyone {
        named.outside.insert(Node::Anyone);
    }
    named
}

/// The STS action an outside principal uses to assume a role.
fn assume_action(node: &Node) -> (&'static str, EdgeKind) {
    match node {
        Node::Federated(f) if f.contains(":saml-provider/") => {
            ("sts:AssumeRoleWithSAML", EdgeKind::AssumeRoleWithSaml)
        }
        Node::Federated(_) => (
            "sts:AssumeRoleWithWebIdentity",
            EdgeKind::AssumeRoleWithWebIdentity,
        ),
        Node::Service(_) => ("sts:AssumeRole", EdgeKind::ServiceAssumeRole),
        _ => ("sts:AssumeRole", EdgeKind::AssumeRole),
    }
}

/// Adds every can-assume edge into every role.
pub fn add_trust_edges(b: &mut Builder<'_, '_>) {
    let engine = b.engine;
    let account = engine.account();
    let assume = ActionName::new("sts:AssumeRole");
    // Principals whose own identity policies could allow sts:AssumeRole somewhere: the
    // only ones a trust naming the account (rather than them) can admit.
    let delegated: Vec<(PrincipalRef, Allowing<'_>)> = engine
        .principals()
        .map(|p| (p, Allowing::new(engine, p, &assume)))
        .filter(|(_, a)| !a.is_empty())
        .collect();
    let all: Vec<PrincipalRef> = engine.principals().collect();
    let mut work: Vec<(RoleId, Vec<PrincipalRef>, Option<Decision>)> = Vec::new();
    for (i, role) in account.roles.iter().enumerate() {
        let role_id = RoleId(i as u32);
        let role_arn = role.common.arn.as_str();
        let named = named_in_trust(b, role_id);
        let to = b.graph.role_node(role_id);
        let mut anyone_admitted: Option<Decision> = None;
        for outsider in named.outside {
            let (action, kind) = assume_action(&outsider);
            let proof = Proof {
                action,
                resource: role_arn.into(),
                context: ProofContext::Unknown,
                caller: None,
            };
            let decision =
                engine.decide_outside(&outsider.caller_arn(account), &proof.query(), None);
            if !grants(&decision) {
                continue;
            }
            match &outsider {
                Node::Service(s) => b.service_trust.entry(role_id).or_default().push(s.clone()),
                Node::Anyone => anyone_admitted = Some(decision.clone()),
                _ => {}
            }
            let from = b.node(outsider);
            b.edge(from, to, kind, vec![(decision, proof)], Vec::new());
        }
        // The account's principals: those the trust names, or, when it delegates to
        // the account, those whose own policies could allow sts:AssumeRole on the role.
        // A trust of `*` admits them as it admits anyone (see `Graph::moves`), unless
        // their own policies decide otherwise: every principal is checked, and only
        // those that differ from "anyone" are recorded (blocked, or an edge of their own).
        let mut candidates: BTreeSet<PrincipalRef> = named.direct;
        if named.anyone {
            candidates.extend(all.iter().copied());
        } else if named.own_account {
            candidates.extend(
                delegated
                    .iter()
                    .filter(|(p, a)| a.could_cover(engine, *p, &assume, role_arn))
                    .map(|(p, _)| *p),
            );
        }
        candidates.remove(&PrincipalRef::Role(role_id));
        let candidates: Vec<PrincipalRef> = candidates.into_iter().collect();
        if !candidates.is_empty() {
            work.push((role_id, candidates, anyone_admitted));
        }
    }
    let graph = &b.graph;
    let results = parallel(&work, |(role_id, candidates, anyone)| {
        let role_arn = account.role(*role_id).common.arn.as_str();
        let query = Query::new("sts:AssumeRole", role_arn).with_context(Context::new(false));
        let prepared = engine.prepare(&query);
        let to = graph.role_node(*role_id);
        candidates
            .iter()
            .filter_map(|who| {
                let decision = prepared.decide(*who);
                let from = graph.node_of(*who);
                if anyone.as_ref() == Some(&decision) {
                    return None;
                }
                let edge = grants(&decision).then(|| {
                    let proof = Proof {
                        action: "sts:AssumeRole",
                        resource: role_arn.into(),
                        context: ProofContext::Unknown,
                        caller: None,
                    };
                    make_edge(
                        from,
                        to,
                        EdgeKind::AssumeRole,
                        vec![(decision, proof)],
                        Vec::new(),
                    )
                });
                Some((edge, anyone.is_some().then_some((from, to))))
            })
            .collect()
    });
    for (edge, blocked) in results {
        b.graph.edges.extend(edge);
        b.graph.anyone_blocked.extend(blocked);
    }
}
