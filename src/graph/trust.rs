//! Trust edges: who can assume each role — the account's own principals (trust policy
//! plus, where AWS requires it, their identity policy), other accounts, `*`, services
//! and identity providers.

use std::collections::{BTreeSet, HashMap, HashSet};

use rayon::prelude::*;

use super::build::{ask, gather, grants, target_proof, Builder, Pending, RoleTrust};
use super::class;
use super::edge::{EdgeKind, Proof, ProofContext};
use super::node::Node;
use super::sides::AssumeSides;
use super::targets::{Keep, Universe};
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

/// Works out, for each role, what its trust policy admits ([`RoleTrust`]): the phases
/// after it read that of every role, whatever part of the graph a build decides. The
/// services it admits are decided here (pass-role and takeover edges need them).
pub fn plan_roles(b: &mut Builder<'_, '_>) {
    let engine = b.engine;
    let account = engine.account();
    type Found = (Named, (String, Vec<PrincipalRef>), Vec<OutsideEdge>);
    let ids = account.account_ids();
    let found: Vec<Found> = (0..account.roles.len())
        .into_par_iter()
        .map(|i| {
            let role_id = RoleId(i as u32);
            let named = named_in_trust(engine, role_id, &ids);
            let inside = inside_view(engine, role_id);
            let services = named
                .outside
                .iter()
                .filter(|o| matches!(o, Node::Service(_)))
                .filter_map(|outsider| decide_outsider(engine, role_id, outsider))
                .collect();
            (named, inside, services)
        })
        .collect();
    let mut texts: HashMap<&str, u32> = HashMap::new();
    let mut views: HashMap<String, u32> = HashMap::new();
    for (i, (named, (view, mentioned), service_edges)) in found.into_iter().enumerate() {
        let role = account.role(RoleId(i as u32));
        let next = texts.len() as u32;
        let group = *texts.entry(&role.trust_policy.text).or_insert(next);
        let next = views.len() as u32;
        let inside = *views.entry(view).or_insert(next);
        let mut direct: Vec<PrincipalRef> = named.direct.into_iter().collect();
        direct.extend(mentioned);
        direct.sort();
        direct.dedup();
        let services = service_edges
            .iter()
            .filter_map(|(outsider, ..)| match outsider {
                Node::Service(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        b.roles[i] = RoleTrust {
            group,
            inside,
            names_accounts: named.accounts,
            anyone: named.anyone,
            direct,
            dependent: named.dependent,
            services,
            outside: named
                .outside
                .into_iter()
                .filter(|o| !matches!(o, Node::Service(_)))
                .collect(),
            service_edges,
        };
    }
}

/// An outside principal's edge into a role: who, how, the decision and its request.
pub type OutsideEdge = (Node, EdgeKind, Decision, Proof);

/// The edge `outsider` has into `role`, when its trust admits it.
fn decide_outsider(engine: &Engine<'_>, role: RoleId, outsider: &Node) -> Option<OutsideEdge> {
    let account = engine.account();
    let role_arn = account.role(role).common.arn.as_str();
    let (action, kind) = assume_action(outsider);
    let proof = Proof::on(action, role_arn, ProofContext::Unknown);
    let decision = engine.decide_outside(&outsider.caller_arn(account), &proof.query(), None);
    grants(&decision).then(|| (outsider.clone(), kind, decision, proof))
}

/// Adds the edges of the outside principals a trust policy names (other accounts,
/// `*`, services, identity providers) into the roles of the scope's targets, unless
/// the scope leaves outsiders out. Needs [`plan_roles`] first.
pub fn add_outside_trust(b: &mut Builder<'_, '_>) {
    if b.scope.skip_outsiders {
        return;
    }
    let engine = b.engine;
    let account = engine.account();
    let wanted: Vec<usize> = (0..account.roles.len())
        .filter(|&i| b.scope.is_target(b.graph.role_node(RoleId(i as u32))))
        .collect();
    // The services' edges, decided when the roles were planned, move into the grants
    // (held to the end of the build as well, they were its peak memory).
    let services: Vec<Vec<OutsideEdge>> = wanted
        .iter()
        .map(|&i| std::mem::take(&mut b.roles[i].service_edges))
        .collect();
    let roles = &b.roles;
    let found: Vec<(usize, Vec<OutsideEdge>)> = wanted
        .into_par_iter()
        .zip(services)
        .map(|(i, services)| {
            let others = roles[i]
                .outside
                .iter()
                .filter_map(|o| decide_outsider(engine, RoleId(i as u32), o));
            let mut edges: Vec<OutsideEdge> = others.collect();
            edges.extend(services);
            // Sorted, as `Named::outside` (a set) listed them: outside nodes keep their
            // numbers.
            edges.sort_by(|a, b| a.0.cmp(&b.0));
            (i, edges)
        })
        .collect();
    for (i, edges) in found {
        let to = b.graph.role_node(RoleId(i as u32)) as u32;
        for (outsider, kind, decision, proof) in edges {
            let from = b.node(outsider) as u32;
            b.pending.push(Pending {
                from: vec![from],
                to: Some(vec![to]),
                kind,
                proofs: vec![(decision, proof)],
                assumptions: Vec::new(),
            });
        }
    }
}

/// Adds the account's own principals' can-assume edges: decided once per class of
/// principals (by their `sts:AssumeRole` statements) and block of roles (same trust
/// policy, same match of those statements).
pub fn add_internal_trust(b: &mut Builder<'_, '_>) {
    let engine = b.engine;
    let account = engine.account();
    let assume = ActionName::new("sts:AssumeRole");
    let principals = b.sources();
    // The roles of the scope's targets; the universe's `k`th is `wanted[k]`.
    let wanted: Vec<usize> = (0..account.roles.len())
        .filter(|&i| b.scope.is_target(b.graph.role_node(RoleId(i as u32))))
        .collect();
    if principals.is_empty() || wanted.is_empty() {
        return;
    }
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
    let universe = Universe::new(wanted.iter().map(|&i| {
        let r = &account.roles[i];
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
    // The trust of the universe's `k`th role.
    let trust_at = |k: usize| &roles[wanted[k]];
    let ids = &b.statement_ids;
    let sides = AssumeSides::default();
    let any_open = roles.iter().any(|t| t.anyone);
    // The roles a principal may assume whatever its own policies say: those trusting
    // `*`, and those whose trust names it.
    let anyone: Vec<u32> = (0..universe.len() as u32)
        .filter(|&k| trust_at(k as usize).anyone)
        .collect();
    let mut naming: HashMap<PrincipalRef, Vec<u32>> = HashMap::new();
    for (k, &i) in wanted.iter().enumerate() {
        for p in &roles[i].direct {
            naming.entry(*p).or_default().push(k as u32);
        }
    }
    let held = account.account_ids();
    // For each held account, the roles whose trust delegates to it.
    let delegating: Vec<Vec<u64>> = (0..held.len() as u16)
        .map(|a| {
            universe.bits_of(
                (0..universe.len() as u32)
                    .filter(|&k| trust_at(k as usize).names_accounts.contains(&a)),
            )
        })
        .collect();
    let nobody = universe.bits_of([]);
    let mut sink = std::mem::take(&mut b.pending);
    gather(&mut sink, &classes, |class| {
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
        let named: &[u32] = naming.get(&rep).map_or(&[], Vec::as_slice);
        let mut open = anyone.clone();
        open.extend(named);
        open.sort_unstable();
        open.dedup();
        // An identity Allow counts where the trust delegates to the caller's
        // account; a role whose trust names the representative is decided on its
        // own.
        let blocks = universe.blocks(
            engine,
            ids,
            rep,
            &assume,
            Keep {
                allowed_within: Some(rep_account.map_or(&nobody, |a| &delegating[a as usize])),
                open: &open,
                alone: named,
            },
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
            if trust_at(first).dependent || trust_at(first).direct.contains(&rep) {
                for (&who, &node) in class.members.iter().zip(&members) {
                    if let Some((d, _)) = ask(engine, who, proof.clone()) {
                        out.push(edge(vec![node], d));
                    }
                }
                continue;
            }
            let role_account = account_of_arn(role_arn);
            let view = (trust_at(first).inside, role_account);
            let d = sides.decide(engine, class, &block, view, &proof.query());
            if grants(&d) {
                out.push(edge(members.clone(), d));
            }
        }
        out
    });
    b.pending = sink;
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
