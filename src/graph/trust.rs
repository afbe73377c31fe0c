//! Trust edges: who can assume each role — the account's own principals (trust policy
//! plus, where AWS requires it, their identity policy), other accounts, `*`, services
//! and identity providers.

use std::collections::{BTreeSet, HashMap, HashSet};

use rayon::prelude::*;

use super::build::{ask, grants, target_proof, Builder, Pending, RoleTrust};
use super::class;
use super::edge::{EdgeKind, Proof, ProofContext};
use super::node::Node;
use super::sides::AssumeSides;
use super::targets::Universe;
use crate::eval::{Decision, Engine, PrincipalRef};
use crate::model::RoleId;
use crate::policy::{ActionName, Effect, PrincipalEntry};

/// Who a role's trust policy names, sorted into the account's principals and outsiders.
#[derive(Default)]
struct Named {
    /// Principals of the account named directly (user, role, session ARNs).
    direct: BTreeSet<PrincipalRef>,
    /// Accounts of the bundle it names (delegation to their identity policies), as
    /// indices into [`crate::model::Account::account_ids`].
    accounts: Vec<u16>,
    /// `*`: everyone, inside and outside.
    anyone: bool,
    outside: BTreeSet<Node>,
    /// A condition reads the caller's own identity (`aws:PrincipalArn`, …): each
    /// principal is decided on its own.
    dependent: bool,
}

/// The index of a held account in [`crate::model::Account::account_ids`].
fn held_index(ids: &[&str], id: &str) -> Option<u16> {
    ids.iter().position(|a| *a == id).map(|i| i as u16)
}

fn named_in_trust(engine: &Engine<'_>, role: RoleId, ids: &[&str]) -> Named {
    let account = engine.account();
    let mut named = Named::default();
    let Ok(doc) = engine.trust_policy(role).document else {
        return named;
    };
    // A NotPrincipal lists callers it treats apart without naming them as trusted:
    // like a condition on the caller's identity, each caller is decided on its own.
    named.dependent = doc.statements.iter().any(|s| {
        let (identity, tags) = class::reads_principal(s);
        identity || tags || s.principal.as_ref().is_some_and(|p| p.negated)
    });
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
                PrincipalEntry::Account(id) if account.holds(id) => {
                    if let Some(i) = held_index(ids, id) {
                        named.accounts.push(i);
                    }
                }
                PrincipalEntry::Account(id) => {
                    named.outside.insert(Node::Account(id.clone()));
                }
                PrincipalEntry::User(arn) | PrincipalEntry::Session(arn) => {
                    match engine.resolve(arn) {
                        Some(p) => {
                            named.direct.insert(p);
                        }
                        None => {
                            if let Some(acct) = arn.split(':').nth(4) {
                                if !account.holds(acct) {
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
                    if account.holds(acct) {
                        if let Some(r) = account.role_in(acct, name) {
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

/// What a trust policy says to the account's principals it does not name: the text of
/// its statements whose Principal can match such a caller (`*`, this account,
/// NotPrincipal, anything unrecognised), reduced to those entries — equal texts decide
/// alike for every such caller. Also every principal of the account a statement names.
fn inside_view(engine: &Engine<'_>, role: RoleId) -> (String, Vec<PrincipalRef>) {
    let account = engine.account();
    let policy = engine.trust_policy(role);
    let doc = match policy.document {
        Ok(doc) => doc,
        Err(e) => return (format!("invalid {e:p}"), Vec::new()),
    };
    let mut key = Vec::new();
    let mut named = Vec::new();
    for statement in &doc.statements {
        let relevant: Vec<String> = match &statement.principal {
            None => vec!["(none)".into()],
            Some(spec) if spec.negated => vec![format!("not {:?}", spec.entries)],
            Some(spec) => spec
                .entries
                .iter()
                .filter_map(|entry| {
                    let here = match entry {
                        PrincipalEntry::User(arn) | PrincipalEntry::Session(arn) => engine
                            .resolve(arn)
                            .filter(|_| arn.split(':').nth(4).is_some_and(|a| account.holds(a))),
                        PrincipalEntry::Role { account: a, name } if account.holds(a) => {
                            account.role_in(a, name).map(PrincipalRef::Role)
                        }
                        _ => None,
                    };
                    if let Some(p) = here {
                        named.push(p);
                        return None;
                    }
                    match entry {
                        PrincipalEntry::Account(id) if !account.holds(id) => None,
                        PrincipalEntry::Role { account: a, .. } if !account.holds(a) => None,
                        PrincipalEntry::User(arn) | PrincipalEntry::Session(arn)
                            if !arn.split(':').nth(4).is_some_and(|a| account.holds(a)) =>
                        {
                            None
                        }
                        PrincipalEntry::Service(_) | PrincipalEntry::Federated(_) => None,
                        other => Some(format!("{other:?}")),
                    }
                })
                .collect(),
        };
        if !relevant.is_empty() {
            key.push(format!(
                "{} {relevant:?}",
                class::statement_text(statement, doc.version)
            ));
        }
    }
    named.sort();
    named.dedup();
    (key.join("\n"), named)
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

/// Adds the edges of the outside principals a trust policy names (other accounts,
/// `*`, services, identity providers) and records, for each role, what its trust
/// admits.
pub fn add_outside_trust(b: &mut Builder<'_, '_>) {
    let engine = b.engine;
    let account = engine.account();
    type Found = (
        Named,
        (String, Vec<PrincipalRef>),
        Vec<(Node, EdgeKind, Decision, Proof)>,
    );
    let ids = account.account_ids();
    let found: Vec<Found> = (0..account.roles.len())
        .into_par_iter()
        .map(|i| {
            let role_id = RoleId(i as u32);
            let role_arn = account.role(role_id).common.arn.as_str();
            let named = named_in_trust(engine, role_id, &ids);
            let inside = inside_view(engine, role_id);
            let edges = named
                .outside
                .iter()
                .filter_map(|outsider| {
                    let (action, kind) = assume_action(outsider);
                    let proof = Proof::on(action, role_arn, ProofContext::Unknown);
                    let decision =
                        engine.decide_outside(&outsider.caller_arn(account), &proof.query(), None);
                    grants(&decision).then(|| (outsider.clone(), kind, decision, proof))
                })
                .collect();
            (named, inside, edges)
        })
        .collect();
    let mut texts: HashMap<&str, u32> = HashMap::new();
    let mut views: HashMap<String, u32> = HashMap::new();
    for (i, (named, (view, mentioned), edges)) in found.into_iter().enumerate() {
        let role = account.role(RoleId(i as u32));
        let to = b.graph.role_node(RoleId(i as u32)) as u32;
        let next = texts.len() as u32;
        let group = *texts.entry(&role.trust_policy.text).or_insert(next);
        let next = views.len() as u32;
        let inside = *views.entry(view).or_insert(next);
        let mut direct: Vec<PrincipalRef> = named.direct.into_iter().collect();
        direct.extend(mentioned);
        direct.sort();
        direct.dedup();
        let mut trust = RoleTrust {
            group,
            inside,
            names_accounts: named.accounts,
            anyone: named.anyone,
            direct,
            dependent: named.dependent,
            services: Vec::new(),
        };
        for (outsider, kind, decision, proof) in edges {
            if let Node::Service(s) = &outsider {
                trust.services.push(s.clone());
            }
            let from = b.node(outsider) as u32;
            b.pending.push(Pending {
                from: vec![from],
                to: Some(vec![to]),
                kind,
                proofs: vec![(decision, proof)],
                assumptions: Vec::new(),
            });
        }
        b.roles[i] = trust;
    }
}

/// Adds the account's own principals' can-assume edges: decided once per class of
/// principals (by their `sts:AssumeRole` statements) and block of roles (same trust
/// policy, same match of those statements).
pub fn add_internal_trust(b: &mut Builder<'_, '_>) {
    let engine = b.engine;
    let account = engine.account();
    let assume = ActionName::new("sts:AssumeRole");
    let principals: Vec<PrincipalRef> = engine.principals().collect();
    let alone: HashSet<PrincipalRef> = b
        .roles
        .iter()
        .flat_map(|t| t.direct.iter().copied())
        .collect();
    let classes = class::classes(
        engine,
        &b.statement_ids,
        &principals,
        std::slice::from_ref(&assume),
        &alone,
    );
    let mut features: HashMap<(u32, &str), u32> = HashMap::new();
    let universe = Universe::new(account.roles.iter().enumerate().map(|(i, r)| {
        let next = features.len() as u32;
        let f = *features
            .entry((b.roles[i].inside, r.common.path.as_str()))
            .or_insert(next);
        (
            b.graph.role_node(RoleId(i as u32)) as u32,
            r.common.arn.as_str(),
            f,
        )
    }));
    let roles = &b.roles;
    let ids = &b.statement_ids;
    let sides = AssumeSides::default();
    let any_open = roles.iter().any(|t| t.anyone);
    // The roles a principal may assume whatever its own policies say: those trusting
    // `*`, and those whose trust names it.
    let anyone: Vec<u32> = (0..roles.len() as u32)
        .filter(|&i| roles[i as usize].anyone)
        .collect();
    let mut naming: HashMap<PrincipalRef, Vec<u32>> = HashMap::new();
    for (i, t) in roles.iter().enumerate() {
        for p in &t.direct {
            naming.entry(*p).or_default().push(i as u32);
        }
    }
    let held = account.account_ids();
    let found: Vec<Pending> = classes
        .par_iter()
        .flat_map_iter(|class| {
            let rep = class.representative();
            let rep_account = engine
                .facts(rep)
                .caller
                .account
                .as_deref()
                .and_then(|a| held_index(&held, a));
            let named_somewhere = alone.contains(&rep);
            if !class.allows[0] && !any_open && !named_somewhere {
                return Vec::new();
            }
            let mut open = anyone.clone();
            open.extend(naming.get(&rep).into_iter().flatten());
            open.sort_unstable();
            open.dedup();
            // A role whose trust names the representative is decided on its own.
            let blocks = universe.blocks(
                engine,
                ids,
                rep,
                &assume,
                |i, allowed| {
                    let t = &roles[i];
                    let delegated = rep_account.is_some_and(|a| t.names_accounts.contains(&a));
                    (allowed && delegated) || t.anyone || t.direct.contains(&rep)
                },
                |i| {
                    if roles[i].direct.contains(&rep) {
                        i as u32 + 1
                    } else {
                        0
                    }
                },
                &open,
            );
            let members: Vec<u32> = class
                .members
                .iter()
                .map(|p| graph_node(account, *p))
                .collect();
            let mut out = Vec::new();
            for block in blocks {
                let first = block.targets[0] as usize;
                let role_arn = universe.arns[first];
                let targets: Vec<u32> = block
                    .targets
                    .iter()
                    .map(|&i| universe.nodes[i as usize])
                    .collect();
                let proof = target_proof("sts:AssumeRole", role_arn, ProofContext::Unknown);
                let edge = |from: Vec<u32>, decision: Decision| Pending {
                    from,
                    to: Some(targets.clone()),
                    kind: EdgeKind::AssumeRole,
                    proofs: vec![(decision, proof.clone())],
                    assumptions: Vec::new(),
                };
                // The trust reads the caller's identity, or names the representative
                // (its trust side is its own): decided for each member, unshared.
                if roles[first].dependent || roles[first].direct.contains(&rep) {
                    for (&who, &node) in class.members.iter().zip(&members) {
                        if let Some((d, _)) = ask(engine, who, proof.clone()) {
                            out.push(edge(vec![node], d));
                        }
                    }
                    continue;
                }
                let role_account = account_of_arn(role_arn);
                let view = (roles[first].inside, role_account);
                let d = sides.decide(engine, class, &block, view, &proof.query());
                if grants(&d) {
                    out.push(edge(members.clone(), d));
                }
            }
            out
        })
        .collect();
    b.pending.extend(found);
}

/// The account field of an ARN.
fn account_of_arn(arn: &str) -> &str {
    arn.split(':').nth(4).unwrap_or_default()
}

/// The graph node of an account principal (users first, then roles).
pub fn graph_node(account: &crate::model::Account, who: PrincipalRef) -> u32 {
    match who {
        PrincipalRef::User(u) => u.0,
        PrincipalRef::Role(r) => (account.users.len() + r.index()) as u32,
    }
}
