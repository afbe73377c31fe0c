//! Building the graph: nodes, then admin status, trust edges, self-escalation and
//! escalation edges, each decided by the evaluator.

use std::collections::HashMap;

use super::edge::{Edge, EdgeKind, Proof, ProofContext};
use super::node::Node;
use super::{admin, escalation, self_escalation, trust, Graph};
use crate::eval::{Decision, Engine, PrincipalRef};
use crate::model::{RoleId, UserId};

/// The graph under construction, with the engine that decides its edges.
pub struct Builder<'e, 'a> {
    /// The evaluator.
    pub engine: &'e Engine<'a>,
    /// The graph so far.
    pub graph: Graph,
    /// For each role: the services its trust policy lets assume it.
    pub service_trust: HashMap<RoleId, Vec<String>>,
}

/// True for the decisions that create an edge: Allow, or Conditional on context.
pub fn grants(decision: &Decision) -> bool {
    matches!(decision, Decision::Allow | Decision::Conditional { .. })
}

/// An edge made of these allowed requests.
pub fn make_edge(
    from: usize,
    to: usize,
    kind: EdgeKind,
    proofs: Vec<(Decision, Proof)>,
    assumptions: Vec<String>,
) -> Edge {
    let mut edge = Edge {
        from,
        to,
        kind,
        conditional: !assumptions.is_empty(),
        missing_keys: Vec::new(),
        assumptions,
        proofs: Vec::with_capacity(proofs.len()),
    };
    for (decision, proof) in proofs {
        edge.absorb(&decision);
        edge.proofs.push(proof);
    }
    edge
}

/// Runs `work` over `items` on every core, concatenating the results in order.
pub fn parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> Vec<R> + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < 64 {
        return items.iter().flat_map(&work).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                let work = &work;
                scope.spawn(move || part.iter().flat_map(work).collect::<Vec<R>>())
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

impl<'e, 'a> Builder<'e, 'a> {
    fn new(engine: &'e Engine<'a>) -> Builder<'e, 'a> {
        let account = engine.account();
        let mut graph = Graph {
            users: account.users.len(),
            ..Graph::default()
        };
        let nodes = (0..account.users.len())
            .map(|i| Node::User(UserId(i as u32)))
            .chain((0..account.roles.len()).map(|i| Node::Role(RoleId(i as u32))));
        for node in nodes {
            graph.index.insert(node.clone(), graph.nodes.len());
            graph.nodes.push(node);
        }
        Builder {
            engine,
            graph,
            service_trust: HashMap::new(),
        }
    }

    /// The roles (other than `who`) whose trust policy lets `service` assume them.
    pub fn roles_trusting<'s>(
        &'s self,
        service: &'s str,
        who: PrincipalRef,
    ) -> impl Iterator<Item = RoleId> + 's {
        self.service_trust
            .iter()
            .filter(move |(_, services)| services.iter().any(|s| s == service))
            .map(|(r, _)| *r)
            .filter(move |r| PrincipalRef::Role(*r) != who)
    }

    /// The node's index, adding it when new.
    pub fn node(&mut self, node: Node) -> usize {
        if let Some(&i) = self.graph.index.get(&node) {
            return i;
        }
        let i = self.graph.nodes.len();
        self.graph.index.insert(node.clone(), i);
        self.graph.nodes.push(node);
        i
    }

    /// Asks whether `who` may do `action` on `resource`; when it may, returns the
    /// decision and the request as a proof.
    pub fn ask(
        &self,
        who: PrincipalRef,
        action: &'static str,
        resource: &str,
        context: ProofContext,
    ) -> Option<(Decision, Proof)> {
        let proof = Proof {
            action,
            resource: resource.into(),
            context,
            caller: None,
        };
        let decision = self.engine.decide(who, &proof.query());
        grants(&decision).then_some((decision, proof))
    }

    /// Adds an edge made of these allowed requests.
    pub fn edge(
        &mut self,
        from: usize,
        to: usize,
        kind: EdgeKind,
        proofs: Vec<(Decision, Proof)>,
        assumptions: Vec<String>,
    ) {
        self.graph
            .edges
            .push(make_edge(from, to, kind, proofs, assumptions));
    }

    fn finish(mut self) -> Graph {
        let g = &mut self.graph;
        g.edges.sort_by_key(|e| (e.from, e.to, e.kind));
        g.edges
            .dedup_by(|a, b| (a.from, a.to, a.kind) == (b.from, b.to, b.kind));
        g.outgoing = vec![Vec::new(); g.nodes.len()];
        g.incoming = vec![Vec::new(); g.nodes.len()];
        for (i, e) in g.edges.iter().enumerate() {
            g.outgoing[e.from].push(i);
            g.incoming[e.to].push(i);
        }
        g.admins.resize(g.nodes.len(), None);
        self.graph
    }
}

impl Graph {
    /// Builds the graph of the engine's account.
    pub fn build(engine: &Engine<'_>) -> Graph {
        let mut builder = Builder::new(engine);
        admin::mark_admins(&mut builder);
        trust::add_trust_edges(&mut builder);
        self_escalation::add_self_escalations(&mut builder);
        escalation::add_escalations(&mut builder);
        builder.finish()
    }
}
