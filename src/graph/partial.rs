//! Building only the part of the graph a one-principal question walks.
//!
//! - [`Graph::build_from`]: what a search *from* a principal can reach (`paths`, blast
//!   radius). The build's steps decide the grants leaving one layer of nodes at a time,
//!   breadth first: the principal, then the nodes its grants lead to, and so on, until
//!   no new node appears (or the caller says the answer is settled). Every node the
//!   search can reach then has all its outgoing grants, its administrator status and
//!   its self-escalations, exactly as in the full graph, so a forward search over the
//!   part answers as over the whole.
//! - [`Graph::build_towards`]: what can reach a set of principals (who-can
//!   `--escalation`, `trust ROLE`). Administrator status and self-escalation are
//!   decided for every principal (an administrator reaches any principal of its
//!   account in one hop, so every one of them is an answer), then the grants *into*
//!   one layer at a time: the goals and the administrators, then the principals with a
//!   grant into them, and so on. Every node that can reach a goal then has all its
//!   incoming grants, so a reverse search over the part answers as over the whole. A
//!   principal is never dropped because the part was cut short: the layers go on until
//!   no new source appears.
//!
//! Cost: the steps' per-principal work for the nodes in reach (or in reverse reach)
//! only, plus what every build pays once (each role's trust plan, the account's nodes);
//! the reverse build also pays administrator status and self-escalation of every
//! principal, and each reverse layer classes every principal again. Once more than an
//! eighth of the account is in reach, everything left is decided in one last layer
//! (a superset of what the search walks, which changes no answer), so a question whose
//! answer spans the account costs about one full build, not one per layer.

use super::build::{Builder, Scope};
use super::class::StatementIds;
use super::{admin, escalation, self_escalation, trust, Graph};
use crate::eval::{Engine, PrincipalRef};

/// By node: true for the nodes listed.
fn mask(len: usize, nodes: &[u32]) -> Vec<bool> {
    let mut out = vec![false; len];
    for &n in nodes {
        out[n as usize] = true;
    }
    out
}

/// The account principals of `nodes` not `seen` before, now seen (outside principals
/// are numbered after them, and are never the end a layer extends to).
fn unseen(nodes: Vec<u32>, seen: &mut [bool]) -> Vec<u32> {
    let out: Vec<u32> = nodes
        .into_iter()
        .filter(|&n| seen.get(n as usize) == Some(&false))
        .collect();
    for &n in &out {
        seen[n as usize] = true;
    }
    out
}

/// When the nodes seen are a large share of the account, a layer by layer build would
/// cost more than the whole (each layer pays its steps' set-up again): `layer` becomes
/// every node not yet `done`, and the answer is true (this is the last layer). Marks
/// the layer's nodes done.
fn the_rest(seen: &[bool], done: &mut [bool], layer: &mut Vec<u32>) -> bool {
    let rest = seen.iter().filter(|&&s| s).count() * REST_FROM > seen.len();
    if rest {
        *layer = (0..done.len() as u32)
            .filter(|&n| !done[n as usize])
            .collect();
    }
    for &n in layer.iter() {
        done[n as usize] = true;
    }
    rest
}

/// Asked after each layer of [`Graph::build_from_until`]: is the answer settled?
pub type Settled<'f> = dyn FnMut(&Graph, usize) -> bool + 'f;

/// A build decides everything left once more than 1 / `REST_FROM` of the principals
/// are in reach.
const REST_FROM: usize = 8;

impl Graph {
    /// The part of the graph reachable from `start` (see the module docs): every grant
    /// leaving a node `start` can reach.
    pub fn build_from(engine: &Engine<'_>, start: PrincipalRef) -> Graph {
        Graph::build_from_until(engine, start, None)
    }

    /// [`Graph::build_from`], stopped once the answer is settled: after each layer,
    /// `settled(part, depth)` is asked with the part built so far, in
    /// which every node within `depth` hops of `start` has all its outgoing grants,
    /// its administrator status and its self-escalations (nodes `depth + 1` hops away
    /// are present, without theirs); returning true stops the build there.
    pub fn build_from_until(
        engine: &Engine<'_>,
        start: PrincipalRef,
        mut settled: Option<&mut Settled<'_>>,
    ) -> Graph {
        let mut b = Builder::with_ids(engine, StatementIds::none(engine));
        let principals = b.graph.nodes.len();
        b.scope = Scope {
            skip_outsiders: true,
            ..Scope::default()
        };
        trust::plan_roles(&mut b);
        let first = b.graph.node_of(start) as u32;
        let mut seen = mask(principals, &[first]);
        // Nodes whose outgoing grants are decided.
        let mut done = vec![false; principals];
        let mut layer = vec![first];
        for depth in 0.. {
            let rest = the_rest(&seen, &mut done, &mut layer);
            b.scope.sources = Some(mask(principals, &layer));
            let sources = b.sources();
            b.statement_ids.number(engine, &sources);
            let before = b.pending.len();
            admin::mark_admins(&mut b);
            self_escalation::add_self_escalations(&mut b);
            trust::add_internal_trust(&mut b);
            escalation::add_escalations(&mut b);
            if rest {
                break;
            }
            layer = unseen(b.pending.ends_since(before, false), &mut seen);
            if layer.is_empty() {
                break;
            }
            if let Some(settled) = settled.as_deref_mut() {
                if settled(&b.snapshot(), depth) {
                    break;
                }
            }
        }
        b.finish()
    }

    /// The part of the graph from which `goals` can be reached (see the module docs):
    /// every grant into a node that can reach a goal, or an administrator, and every
    /// principal's administrator status and self-escalations.
    pub fn build_towards(engine: &Engine<'_>, goals: &[PrincipalRef]) -> Graph {
        let mut b = Builder::new(engine);
        let principals = b.graph.nodes.len();
        trust::plan_roles(&mut b);
        admin::mark_admins(&mut b);
        self_escalation::add_self_escalations(&mut b);
        let escalating = b.pending.self_escalating();
        let mut layer: Vec<u32> = goals.iter().map(|&p| b.graph.node_of(p) as u32).collect();
        layer.extend(
            (0..principals as u32)
                .filter(|&n| b.graph.is_admin(n as usize) || escalating.contains(&n)),
        );
        layer.sort_unstable();
        layer.dedup();
        let mut seen = mask(principals, &layer);
        // Nodes whose incoming grants are decided.
        let mut done = vec![false; principals];
        while !layer.is_empty() {
            let rest = the_rest(&seen, &mut done, &mut layer);
            b.scope.targets = Some(mask(principals, &layer));
            let before = b.pending.len();
            trust::add_outside_trust(&mut b);
            trust::add_internal_trust(&mut b);
            escalation::add_escalations(&mut b);
            if rest {
                break;
            }
            layer = unseen(b.pending.ends_since(before, true), &mut seen);
        }
        b.finish()
    }
}
