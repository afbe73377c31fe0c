//! Access that changed, as the principal graph sees it: roles a principal can newly
//! assume (or no longer), principals that newly reach administrator (or no longer),
//! and principals outside the account that a role newly trusts (or no longer).
//!
//! Cost: one reverse search to administrator per export, the trust grants of outside
//! principals, and the edges of the principals and roles whose inputs changed.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::access::{AccessChange, AccessDelta, AccessState};
use crate::eval::Engine;
use crate::graph::search::Target;
use crate::graph::{Edge, EdgeKind, Graph, Node};
use crate::query::hop::{hops, Hop};

/// One export's evaluator and graph.
pub struct Analysed<'e, 'a> {
    /// The evaluator.
    pub engine: &'e Engine<'a>,
    /// The principal graph.
    pub graph: &'e Graph,
}

impl Analysed<'_, '_> {
    /// The graph node of the account principal with this exact ARN.
    fn node(&self, arn: &str) -> Option<usize> {
        let p = self.engine.resolve(arn)?;
        (self.engine.facts(p).caller.arn == arn).then(|| self.graph.node_of(p))
    }

    fn arn(&self, node: usize) -> String {
        self.graph.nodes[node].arn(self.engine.account())
    }
}

fn edge_state(e: &Edge) -> AccessState {
    AccessState {
        decision: if e.conditional {
            "Conditional"
        } else {
            "Allow"
        }
        .into(),
        missing_keys: e.missing_keys.clone(),
        reasons: e.assumptions.clone(),
        statements: Vec::new(),
    }
}

fn no_edge() -> AccessState {
    AccessState {
        decision: "none".into(),
        missing_keys: Vec::new(),
        reasons: Vec::new(),
        statements: Vec::new(),
    }
}

type EdgeMap = BTreeMap<(String, String), AccessState>;

/// Internal `assume_role` edges leaving (or entering) `arn`'s node, by (from, to).
fn assume_edges(side: &Analysed<'_, '_>, arn: &str, leaving: bool) -> EdgeMap {
    let Some(node) = side.node(arn) else {
        return EdgeMap::new();
    };
    let edges: Vec<Edge> = if leaving {
        side.graph.outgoing(node).collect()
    } else {
        side.graph.incoming(node)
    };
    let mut out = EdgeMap::new();
    for e in edges {
        let internal =
            side.graph.nodes[e.from].is_internal() && side.graph.nodes[e.to].is_internal();
        if e.kind == EdgeKind::AssumeRole && internal && e.from != e.to {
            let key = (side.arn(e.from), side.arn(e.to));
            let state = edge_state(&e);
            // Several grants may say the same: keep the strongest.
            let keep = out
                .get(&key)
                .is_none_or(|s: &AccessState| s.level() < state.level());
            if keep {
                out.insert(key, state);
            }
        }
    }
    out
}

fn compare_edges(old: EdgeMap, new: EdgeMap, out: &mut Vec<AccessChange>) {
    let keys: BTreeSet<&(String, String)> = old.keys().chain(new.keys()).collect();
    for key in keys {
        let o = old.get(key).cloned().unwrap_or_else(no_edge);
        let n = new.get(key).cloned().unwrap_or_else(no_edge);
        if let Some(change) = AccessDelta::between(&o, &n) {
            out.push(AccessChange {
                principal: key.0.clone(),
                action: "sts:AssumeRole".into(),
                resource: key.1.clone(),
                change,
                grew: change.grew(),
                old: o,
                new: n,
                decided_by: "graph",
            });
        }
    }
}

/// The roles `arn` can assume that changed.
pub fn assumable_from(
    old: &Analysed<'_, '_>,
    new: &Analysed<'_, '_>,
    arn: &str,
    out: &mut Vec<AccessChange>,
) {
    compare_edges(
        assume_edges(old, arn, true),
        assume_edges(new, arn, true),
        out,
    );
}

/// The principals of the account that can assume role `arn` that changed.
pub fn assumers_of(
    old: &Analysed<'_, '_>,
    new: &Analysed<'_, '_>,
    arn: &str,
    out: &mut Vec<AccessChange>,
) {
    compare_edges(
        assume_edges(old, arn, false),
        assume_edges(new, arn, false),
        out,
    );
}

/// A principal outside the account that a role trusts (or trusted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrustChange {
    /// The outside principal: an account's root ARN, `*`, a provider ARN or a service.
    pub principal: String,
    /// `account`, `anyone`, `federated` or `service`.
    pub principal_kind: &'static str,
    /// The role's ARN.
    pub role: String,
    /// The edge kind, e.g. `assume_role`, `assume_role_with_web_identity`.
    pub via: String,
    /// What happened.
    pub change: AccessDelta,
    /// True when trust grew.
    pub grew: bool,
    /// Before (`none` when there was no such trust).
    pub old: AccessState,
    /// After.
    pub new: AccessState,
}

fn outside_kind(node: &Node) -> &'static str {
    match node {
        Node::Account(_) => "account",
        Node::Anyone => "anyone",
        Node::Federated(_) => "federated",
        _ => "service",
    }
}

type TrustMap = BTreeMap<(String, String, String), (&'static str, AccessState)>;

/// Every trust edge from a principal outside the account into one of its roles.
fn outside_trust(side: &Analysed<'_, '_>) -> TrustMap {
    let g = side.graph;
    let mut out = TrustMap::new();
    for (i, grant) in g.grants.iter().enumerate() {
        if !grant.kind.is_trust() {
            continue;
        }
        // Outside nodes come after the account's users and roles, and sets are sorted:
        // walk a source set from its end while its members are outside.
        let from: Vec<usize> = match grant.from {
            crate::graph::End::Set(s) => g
                .set(s)
                .iter()
                .rev()
                .map(|&n| n as usize)
                .take_while(|&n| !g.nodes[n].is_internal())
                .collect(),
            end => g
                .end_nodes(end, usize::MAX)
                .filter(|&n| n < g.nodes.len())
                .collect(),
        };
        for f in from.into_iter().filter(|&n| !g.nodes[n].is_internal()) {
            for to in g.end_nodes(grant.to, f).filter(|&t| t != f) {
                let e = g.expand(i, f, to);
                let key = (side.arn(f), side.arn(to), e.kind.name());
                let state = edge_state(&e);
                let keep = out.get(&key).is_none_or(|(_, s)| s.level() < state.level());
                if keep {
                    out.insert(key, (outside_kind(&g.nodes[f]), state));
                }
            }
        }
    }
    out
}

/// Trust from outside the account that changed.
pub fn external_trust(old: &Analysed<'_, '_>, new: &Analysed<'_, '_>) -> Vec<TrustChange> {
    let (before, after) = (outside_trust(old), outside_trust(new));
    let keys: BTreeSet<&(String, String, String)> = before.keys().chain(after.keys()).collect();
    let mut out = Vec::new();
    for key in keys {
        let (kind_o, o) = before.get(key).cloned().unwrap_or(("", no_edge()));
        let (kind_n, n) = after.get(key).cloned().unwrap_or(("", no_edge()));
        if let Some(change) = AccessDelta::between(&o, &n) {
            out.push(TrustChange {
                principal: key.0.clone(),
                principal_kind: if kind_n.is_empty() { kind_o } else { kind_n },
                role: key.1.clone(),
                via: key.2.clone(),
                change,
                grew: change.grew(),
                old: o,
                new: n,
            });
        }
    }
    out
}

/// A principal whose way to administrator changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdminChange {
    /// The principal's ARN.
    pub principal: String,
    /// `gained` (it now reaches administrator), `lost`, `widened` (its shortest way
    /// no longer depends on anything unknown) or `narrowed`.
    pub change: AccessDelta,
    /// True when access grew.
    pub grew: bool,
    /// The shortest way before: `null` when there was none, `[]` when it was an
    /// administrator itself.
    pub old_path: Option<Vec<Hop>>,
    /// The shortest way now, likewise.
    pub new_path: Option<Vec<Hop>>,
}

fn admin_path(side: &Analysed<'_, '_>, node: usize) -> Option<Vec<Edge>> {
    side.graph.shortest_path(node, Target::Admin)
}

fn path_state(side: &Analysed<'_, '_>, node: usize, path: &Option<Vec<Edge>>) -> AccessState {
    match path {
        None => no_edge(),
        Some(p) => {
            let end = p.last().map_or(node, |e| e.to);
            let mut keys: Vec<String> = p.iter().flat_map(|e| e.missing_keys.clone()).collect();
            if let Some(Some(status)) = side.graph.admins.get(end) {
                keys.extend(status.missing_keys.clone());
            }
            let conditional = p.iter().any(|e| e.conditional) || !keys.is_empty();
            AccessState {
                decision: if conditional { "Conditional" } else { "Allow" }.into(),
                missing_keys: keys,
                reasons: p.iter().flat_map(|e| e.assumptions.clone()).collect(),
                statements: Vec::new(),
            }
        }
    }
}

/// Principals whose way to administrator changed: every principal whose reachability
/// changed (one reverse search per export), and among `dirty` (principals whose
/// inputs changed) those whose shortest way became or stopped being conditional.
pub fn admin_changes(
    old: &Analysed<'_, '_>,
    new: &Analysed<'_, '_>,
    dirty: &BTreeSet<String>,
) -> Vec<AdminChange> {
    let reach = |side: &Analysed<'_, '_>| -> BTreeMap<String, usize> {
        let depth = side.graph.distances_to(Target::Admin);
        side.engine
            .principals()
            .map(|p| side.graph.node_of(p))
            .filter(|&n| depth.get(n).is_some_and(|&d| d != usize::MAX))
            .map(|n| (side.arn(n), n))
            .collect()
    };
    let (before, after) = (reach(old), reach(new));
    let mut asked: BTreeSet<&String> = before
        .keys()
        .filter(|k| !after.contains_key(*k))
        .chain(after.keys().filter(|k| !before.contains_key(*k)))
        .collect();
    asked.extend(
        dirty
            .iter()
            .filter(|d| before.contains_key(*d) && after.contains_key(*d)),
    );
    let mut out = Vec::new();
    for arn in asked {
        let o = before.get(arn).map(|&n| (n, admin_path(old, n)));
        let n = after.get(arn).map(|&n| (n, admin_path(new, n)));
        let state = |side: &Analysed<'_, '_>, v: &Option<(usize, Option<Vec<Edge>>)>| match v {
            Some((node, path)) => path_state(side, *node, path),
            None => no_edge(),
        };
        let (so, sn) = (state(old, &o), state(new, &n));
        let Some(change) = AccessDelta::between(&so, &sn) else {
            continue;
        };
        let show = |side: &Analysed<'_, '_>, v: Option<(usize, Option<Vec<Edge>>)>| {
            v.and_then(|(_, p)| p)
                .map(|p| hops(side.engine, side.graph, &p))
        };
        out.push(AdminChange {
            principal: arn.clone(),
            change,
            grew: change.grew(),
            old_path: show(old, o),
            new_path: show(new, n),
        });
    }
    out
}
