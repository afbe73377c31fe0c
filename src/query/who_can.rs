//! Who can do ACTION on RESOURCE: every principal of the account the evaluator allows
//! (or allows conditionally), principals outside the account that the resource's own
//! policy admits, and — when asked — principals that get there through the graph.

use std::collections::HashSet;

use serde::Serialize;

use super::hop::{hops, Hop};
use crate::eval::{Decision, Engine, PrincipalRef, Query};
use crate::graph::search::Step;
use crate::graph::{Edge, Graph};
use crate::policy::{Effect, PrincipalEntry};

/// One principal that can.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WhoCanRow {
    /// The principal's ARN (or service / provider name, or `*`).
    pub principal: String,
    /// `Allow` or `Conditional`.
    pub decision: String,
    /// Context keys a Conditional depends on.
    pub missing_keys: Vec<String>,
    /// The path to a principal that can, when this one gets there indirectly; empty
    /// when it can directly.
    pub via: Vec<Hop>,
    /// For principals outside the account: what else must hold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How far to look.
#[derive(Debug, Clone, Copy, Default)]
pub struct WhoCanOptions<'g> {
    /// Also report principals that reach a direct one through this graph.
    pub through: Option<&'g Graph>,
}

fn row(principal: String, decision: &Decision, via: Vec<Hop>, note: Option<String>) -> WhoCanRow {
    WhoCanRow {
        principal,
        decision: decision.name().to_string(),
        missing_keys: decision.missing_keys().to_vec(),
        via,
        note,
    }
}

/// The account's principals the evaluator allows (or conditionally allows) directly.
pub fn direct(engine: &Engine<'_>, query: &Query) -> Vec<(PrincipalRef, Decision)> {
    engine
        .decide_all(query)
        .into_iter()
        .filter(|(_, d)| matches!(d, Decision::Allow | Decision::Conditional { .. }))
        .collect()
}

/// Answers who-can: direct principals first (allowed before conditional), then
/// outside principals the resource policy admits, then indirect ones by path length.
pub fn who_can(engine: &Engine<'_>, query: &Query, options: WhoCanOptions<'_>) -> Vec<WhoCanRow> {
    let direct = direct(engine, query);
    let mut rows = direct_rows(engine, query, &direct);
    if let Some(graph) = options.through {
        rows.extend(indirect(engine, graph, &direct));
    }
    rows
}

/// [`who_can`] with the indirect principals (`--escalation`), searched over only the
/// part of the graph that can reach the direct ones ([`Graph::build_towards`]).
pub fn who_can_escalation(engine: &Engine<'_>, query: &Query) -> Vec<WhoCanRow> {
    let direct = direct(engine, query);
    let mut rows = direct_rows(engine, query, &direct);
    let goals: Vec<PrincipalRef> = direct.iter().map(|(p, _)| *p).collect();
    let graph = Graph::build_towards(engine, &goals);
    rows.extend(indirect(engine, &graph, &direct));
    rows
}

/// The direct principals' rows (allowed before conditional), then the outside ones.
fn direct_rows(
    engine: &Engine<'_>,
    query: &Query,
    direct: &[(PrincipalRef, Decision)],
) -> Vec<WhoCanRow> {
    let mut rows: Vec<WhoCanRow> = direct
        .iter()
        .map(|(p, d)| row(engine.facts(*p).caller.arn.clone(), d, Vec::new(), None))
        .collect();
    rows.sort_by(|a, b| {
        (a.decision != "Allow", &a.principal).cmp(&(b.decision != "Allow", &b.principal))
    });
    rows.extend(outside(engine, query));
    rows
}

/// Principals outside the account that the resource's policy names and admits, as far
/// as this bundle can tell (their own account must allow the request too).
fn outside(engine: &Engine<'_>, query: &Query) -> Vec<WhoCanRow> {
    let account = engine.account();
    let Some(policy) = engine.resource_policy_for(query) else {
        return Vec::new();
    };
    let Ok(doc) = policy.document else {
        return Vec::new();
    };
    let mut named: Vec<String> = Vec::new();
    for statement in doc.statements.iter().filter(|s| s.effect == Effect::Allow) {
        for entry in statement.principal.iter().flat_map(|p| p.entries.iter()) {
            let arn = match entry {
                PrincipalEntry::Any => "*".to_string(),
                PrincipalEntry::Account(id) if !account.holds(id) => {
                    format!("arn:aws:iam::{id}:root")
                }
                PrincipalEntry::User(a) | PrincipalEntry::Session(a)
                    if engine.resolve(a).is_none() =>
                {
                    a.clone()
                }
                PrincipalEntry::Role {
                    account: acct,
                    name,
                } if !account.holds(acct) => {
                    format!("arn:aws:iam::{acct}:role/{name}")
                }
                PrincipalEntry::Service(s) | PrincipalEntry::Federated(s) => s.clone(),
                _ => continue,
            };
            if !named.contains(&arn) {
                named.push(arn);
            }
        }
    }
    named
        .into_iter()
        .filter_map(|arn| {
            let caller = if arn == "*" {
                crate::graph::ANYONE_ARN
            } else {
                &arn
            };
            let d = engine.decide_outside(caller, query, None);
            let iam = caller.starts_with("arn:") && !caller.contains("-provider/");
            let note = iam.then(|| {
                "outside this account: its own identity policies must allow it too".to_string()
            });
            matches!(d, Decision::Allow | Decision::Conditional { .. })
                .then(|| row(arn, &d, Vec::new(), note))
        })
        .collect()
}

/// Principals that are not allowed themselves but reach one that is: one reverse
/// search from the direct principals, where any administrator (or self-escalator)
/// reaches every principal of the account in one hop.
fn indirect(
    engine: &Engine<'_>,
    graph: &Graph,
    direct: &[(PrincipalRef, Decision)],
) -> Vec<WhoCanRow> {
    let Some((first, _)) = direct.first() else {
        return Vec::new();
    };
    let goal = graph.node_of(*first);
    let n = graph.nodes.len();
    let goals: Vec<usize> = direct.iter().map(|(p, _)| graph.node_of(*p)).collect();
    let is_direct: HashSet<usize> = goals.iter().copied().collect();
    // An administrator controls the principals of its own account: it reaches a
    // direct principal of that account, if there is one.
    let goal_in = |from: usize| goals.iter().copied().find(|&g| graph.controls(from, g));
    let late: Vec<usize> = (0..n)
        .filter(|&i| graph.nodes[i].is_internal() && !is_direct.contains(&i))
        .filter(|&i| graph.admin_capable(i) && goal_in(i).is_some())
        .collect();
    let towards = graph.towards_with(&goals, &late, |_, from| {
        Some(Step::AdminControl {
            from,
            to: goal_in(from).unwrap_or(goal),
        })
    });
    let mut order: Vec<usize> = (0..n)
        .filter(|&i| graph.nodes[i].is_internal() && !is_direct.contains(&i))
        .filter(|&i| towards.depth[i] != usize::MAX)
        .collect();
    order.sort_by_key(|&i| (towards.depth[i], !graph.admin_capable(i), i));
    order
        .into_iter()
        .map(|start| {
            let path: Vec<Edge> = towards
                .steps(start)
                .into_iter()
                .map(|s| graph.hop(s))
                .collect();
            let at = path.last().map_or(start, |e| e.to);
            let conditional = path.iter().any(|e| e.conditional);
            let reached = direct.iter().find(|(p, _)| graph.node_of(*p) == at);
            let decision = match reached {
                Some((_, Decision::Allow)) if !conditional => Decision::Allow,
                Some((_, d)) => Decision::Conditional {
                    missing_keys: d
                        .missing_keys()
                        .iter()
                        .cloned()
                        .chain(path.iter().flat_map(|e| e.missing_keys.clone()))
                        .collect(),
                    reasons: d.reasons().to_vec(),
                },
                None => Decision::conditional_on(Vec::new()),
            };
            let principal = graph.nodes[start].arn(engine.account());
            row(principal, &decision, hops(engine, graph, &path), None)
        })
        .collect()
}
