//! Building the graph: nodes, then admin status, trust grants, self-escalation and
//! escalation grants, each decided by the evaluator once per (class, block), on every
//! core (rayon).

use std::collections::HashSet;
use std::sync::Arc;

use super::adjacency::Adjacency;
use super::edge::{EdgeKind, Proof, ProofContext};
use super::grant::{End, Grant};
use super::node::Node;
use super::progress::Progress;
use super::{admin, escalation, self_escalation, trust, Graph};
use crate::eval::{Decision, Engine, PrincipalRef};
use crate::fast_hash::{FastMap, FastSet};
use crate::model::{RoleId, UserId};

/// True for the decisions that create an edge: Allow, or Conditional on context.
pub fn grants(decision: &Decision) -> bool {
    matches!(decision, Decision::Allow | Decision::Conditional { .. })
}

/// A grant whose ends are still plain node lists (built in parallel, interned after).
pub struct Pending {
    /// Source nodes.
    pub from: Vec<u32>,
    /// Target nodes; `None`: the source itself.
    pub to: Option<Vec<u32>>,
    /// How.
    pub kind: EdgeKind,
    /// The allowed requests.
    pub proofs: Vec<(Decision, Proof)>,
    /// What must also hold.
    pub assumptions: Vec<String>,
}

/// The grants found so far, their node lists interned as they arrive: a pattern
/// grant's targets (every role trusting the account…) repeat across thousands of
/// grants, and holding each copy until the end was the build's peak memory. Sets are
/// numbered in the order they first appear, sources before targets, as
/// [`Graph::sets`] keeps them.
///
/// Each grant is made as it arrives (its decisions folded in and dropped), and its
/// proofs' resources share one string per distinct ARN (the node's own for a target's).
/// Grants found in one go, at most: [`gather`] interns them a chunk of items at a time.
const GATHER_CHUNK: usize = 256;

/// Runs `make` on every item on both cores and adds the grants it finds to `sink` in
/// the items' order, a chunk at a time: found grants are interned as they come instead
/// of all being held until a step ends (the trust step's were ~17 MiB on 5k/5k).
pub fn gather<T: Sync>(
    sink: &mut PendingGrants,
    items: &[T],
    make: impl Fn(&T) -> Vec<Pending> + Sync,
) {
    use rayon::prelude::*;
    for chunk in items.chunks(GATHER_CHUNK) {
        let found: Vec<Pending> = chunk.par_iter().flat_map_iter(&make).collect();
        sink.extend(found);
    }
}

#[derive(Default)]
pub struct PendingGrants {
    found: Vec<Grant>,
    /// Each distinct node set of two or more, and its index in [`Graph::sets`] (a fast
    /// hash: tens of thousands of grants look their ends up here).
    sets: FastMap<Box<[u32]>, usize>,
    /// The proofs' resources and the grants' context keys so far, one copy each.
    resources: FastSet<Arc<str>>,
}

impl PendingGrants {
    /// Adds one grant; one without a source or a target stands for no edge and is
    /// dropped.
    pub fn push(&mut self, p: Pending) {
        let Some(from) = self.end(p.from) else {
            return;
        };
        let to = match p.to {
            None => End::Itself,
            Some(nodes) => match self.end(nodes) {
                Some(end) => end,
                None => return,
            },
        };
        let mut grant = Grant::new(from, to, p.kind, p.proofs, p.assumptions);
        for proof in &mut grant.proofs {
            proof.resource = self.shared(&proof.resource);
        }
        for key in &mut grant.missing_keys {
            *key = self.shared(key);
        }
        grant.proofs.shrink_to_fit();
        self.found.push(grant);
    }

    /// The one copy of `resource`, made now if it is new.
    fn shared(&mut self, resource: &Arc<str>) -> Arc<str> {
        if let Some(r) = self.resources.get(resource) {
            return Arc::clone(r);
        }
        self.resources.insert(Arc::clone(resource));
        Arc::clone(resource)
    }

    /// Shares `arn` (a node's) with the proofs asked on it.
    fn share(&mut self, arn: &Arc<str>) {
        self.resources.insert(Arc::clone(arn));
    }

    /// Adds each grant of `found`.
    pub fn extend(&mut self, found: impl IntoIterator<Item = Pending>) {
        for p in found {
            self.push(p);
        }
    }

    /// Grants so far.
    pub fn len(&self) -> usize {
        self.found.len()
    }

    /// The members of each set so far, by index.
    fn members(&self) -> Vec<&[u32]> {
        let mut members: Vec<&[u32]> = vec![&[]; self.sets.len()];
        for (nodes, &i) in &self.sets {
            members[i] = nodes;
        }
        members
    }

    /// The nodes at the source end (`sources`) or the target end of the grants found
    /// since the first `since`, each once, sorted; a self-escalation's target is its
    /// source.
    pub fn ends_since(&self, since: usize, sources: bool) -> Vec<u32> {
        let members = self.members();
        let mut out = Vec::new();
        for f in &self.found[since.min(self.found.len())..] {
            let end = if sources || f.to == End::Itself {
                f.from
            } else {
                f.to
            };
            match end {
                End::Node(n) => out.push(n as u32),
                End::Set(s) => out.extend_from_slice(members[s]),
                End::Itself => {}
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The nodes with a grant to themselves (self-escalation) so far.
    pub fn self_escalating(&self) -> HashSet<u32> {
        let members = self.members();
        let mut out = HashSet::new();
        for f in self.found.iter().filter(|f| f.to == End::Itself) {
            match f.from {
                End::Node(n) => {
                    out.insert(n as u32);
                }
                End::Set(s) => out.extend(members[s].iter().copied()),
                End::Itself => {}
            }
        }
        out
    }

    /// The end standing for `nodes`: `None` when empty, the node when one, else the
    /// interned set.
    fn end(&mut self, mut nodes: Vec<u32>) -> Option<End> {
        nodes.sort_unstable();
        nodes.dedup();
        match nodes.len() {
            0 => None,
            1 => Some(End::Node(nodes[0] as usize)),
            _ => {
                let next = self.sets.len();
                let set = *self.sets.entry(nodes.into_boxed_slice()).or_insert(next);
                Some(End::Set(set))
            }
        }
    }
}

/// What the trust phase learns about each role, for the phases after it.
#[derive(Debug, Default, Clone)]
pub struct RoleTrust {
    /// The services its trust policy lets assume it.
    pub services: Vec<String>,
    /// Id of its trust policy's text (equal ids: equal documents).
    pub group: u32,
    /// Id of what its trust says to the account's principals it does not name (equal
    /// ids: they are decided alike).
    pub inside: u32,
    /// The accounts of the bundle the trust delegates to (names their `…:root`), as
    /// indices into [`crate::model::Account::account_ids`].
    pub names_accounts: Vec<u16>,
    /// The trust admits `*`.
    pub anyone: bool,
    /// The account's principals the trust names (in any statement).
    pub direct: Vec<PrincipalRef>,
    /// A trust condition reads the caller's identity or tags.
    pub dependent: bool,
    /// The outside principals other than services its trust names.
    pub outside: Vec<Node>,
    /// The services its trust admits, with their edges.
    pub service_edges: Vec<super::trust::OutsideEdge>,
}

/// Which grants a build decides: those leaving [`Scope::sources`] and arriving at
/// [`Scope::targets`]. A full build decides all; a one-principal question decides the
/// part a search from (or to) that principal walks ([`super::partial`]).
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// By node: the account principals whose outgoing grants are decided (`None`: all).
    pub sources: Option<Vec<bool>>,
    /// By node: the account principals whose incoming grants are decided (`None`: all).
    pub targets: Option<Vec<bool>>,
    /// Leave out the grants of outside principals (other accounts, `*`, services,
    /// identity providers): a search from an account principal never reaches them.
    pub skip_outsiders: bool,
}

impl Scope {
    /// True when the grants leaving `node` are decided.
    pub fn is_source(&self, node: usize) -> bool {
        self.sources
            .as_ref()
            .is_none_or(|s| s.get(node).copied().unwrap_or(false))
    }

    /// True when the grants arriving at `node` are decided.
    pub fn is_target(&self, node: usize) -> bool {
        self.targets
            .as_ref()
            .is_none_or(|s| s.get(node).copied().unwrap_or(false))
    }
}

/// The graph under construction, with the engine that decides its edges.
pub struct Builder<'e, 'a> {
    /// The evaluator.
    pub engine: &'e Engine<'a>,
    /// The graph so far (nodes, admins).
    pub graph: Graph,
    /// For each role: what its trust policy admits.
    pub roles: Vec<RoleTrust>,
    /// Grants found so far.
    pub pending: PendingGrants,
    /// For each node: the admin probes it is allowed outright (bit i: probe i).
    pub allowed_probes: Vec<u8>,
    /// Content ids of the principals' statements, for their classes.
    pub statement_ids: super::class::StatementIds<'a>,
    /// Which grants this build decides.
    pub scope: Scope,
}

impl<'e, 'a> Builder<'e, 'a> {
    /// A builder with the account's principals as nodes and nothing decided yet, every
    /// principal's statements numbered.
    pub fn new(engine: &'e Engine<'a>) -> Builder<'e, 'a> {
        Builder::with_ids(engine, super::class::StatementIds::new(engine))
    }

    /// A builder whose statement ids are `statement_ids` (a partial build numbers the
    /// principals it decides as it reaches them).
    pub fn with_ids(
        engine: &'e Engine<'a>,
        statement_ids: super::class::StatementIds<'a>,
    ) -> Builder<'e, 'a> {
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
            graph.arns.push(node.arn(account).into());
            graph.nodes.push(node);
        }
        graph.admins = vec![None; graph.nodes.len()];
        let principals = graph.nodes.len();
        let mut pending = PendingGrants::default();
        for arn in &graph.arns {
            pending.share(arn);
        }
        Builder {
            engine,
            graph,
            roles: vec![RoleTrust::default(); account.roles.len()],
            pending,
            allowed_probes: vec![0; principals],
            statement_ids,
            scope: Scope::default(),
        }
    }

    /// The node's index, adding it when new.
    pub fn node(&mut self, node: Node) -> usize {
        if let Some(&i) = self.graph.index.get(&node) {
            return i;
        }
        let i = self.graph.nodes.len();
        self.graph.index.insert(node.clone(), i);
        let arn: Arc<str> = node.arn(self.engine.account()).into();
        self.pending.share(&arn);
        self.graph.arns.push(arn);
        self.graph.nodes.push(node);
        self.graph.admins.push(None);
        i
    }

    /// The roles in the scope's targets whose trust policy lets `service` assume them.
    pub fn roles_trusting<'s>(&'s self, service: &'s str) -> impl Iterator<Item = RoleId> + 's {
        self.roles
            .iter()
            .enumerate()
            .filter(move |(_, t)| t.services.iter().any(|s| s == service))
            .map(|(i, _)| RoleId(i as u32))
            .filter(|&r| self.scope.is_target(self.graph.role_node(r)))
    }

    /// The account's principals in the scope's sources, in [`Engine::principals`] order.
    pub fn sources(&self) -> Vec<PrincipalRef> {
        self.engine
            .principals()
            .filter(|p| self.scope.is_source(self.graph.node_of(*p)))
            .collect()
    }

    /// The graph of the grants found so far, the builder kept for more.
    pub fn snapshot(&self) -> Graph {
        let sets: Vec<Box<[u32]>> = self.pending.members().into_iter().map(Box::from).collect();
        index(self.graph.clone(), sets, self.pending.found.clone())
    }

    /// The graph of the grants found.
    pub fn finish(self) -> Graph {
        let PendingGrants { found, sets, .. } = self.pending;
        let mut ordered: Vec<(usize, Box<[u32]>)> = sets.into_iter().map(|(k, i)| (i, k)).collect();
        ordered.sort_unstable_by_key(|(i, _)| *i);
        index(
            self.graph,
            ordered.into_iter().map(|(_, k)| k).collect(),
            found,
        )
    }
}

/// The graph `g` with these sets and grants, indexed for searches.
fn index(mut g: Graph, sets: Vec<Box<[u32]>>, found: Vec<Grant>) -> Graph {
    g.sets = sets;
    // The first of equal (from, to, kind) grants is kept, in place.
    let mut found = found;
    let mut seen = HashSet::with_capacity(found.len());
    found.retain(|p| {
        let self_loop = p.from == p.to && !matches!(p.from, End::Set(_));
        !self_loop && seen.insert((p.from, p.to, p.kind))
    });
    drop(seen);
    found.shrink_to_fit();
    g.grants = found;
    let n = g.nodes.len();
    let sets = &g.sets;
    let memberships = sets
        .iter()
        .enumerate()
        .flat_map(|(s, members)| members.iter().map(move |&m| (m as usize, s as u32)));
    g.member_of = Adjacency::from_pairs(n, memberships);
    let numbered = || {
        g.grants
            .iter()
            .enumerate()
            .map(|(i, grant)| (i as u32, grant))
    };
    let node_of = |end: End| match end {
        End::Node(x) => Some(x),
        _ => None,
    };
    let set_of = |end: End| match end {
        End::Set(s) => Some(s),
        _ => None,
    };
    let index = |keys: usize, key: &dyn Fn(&Grant) -> Option<usize>| {
        Adjacency::from_pairs(keys, numbered().filter_map(|(i, gr)| Some((key(gr)?, i))))
    };
    g.from_node = index(n, &|gr| node_of(gr.from));
    g.into_node = index(n, &|gr| node_of(gr.to));
    g.from_set = index(sets.len(), &|gr| set_of(gr.from));
    g.into_set = index(sets.len(), &|gr| set_of(gr.to));
    g.self_escalation = vec![None; n];
    for (i, grant) in numbered() {
        if let (End::Node(x), End::Itself) = (grant.from, grant.to) {
            g.self_escalation[x].get_or_insert(i);
        }
    }
    g
}

/// A request on the target of an edge, asked of the representative target `arn`.
pub fn target_proof(action: &'static str, arn: &str, context: ProofContext) -> Proof {
    Proof::on(action, arn, context).per_target()
}

/// Asks whether `who` may do `action` on `resource`; when it may, returns the decision
/// and the request as a proof.
pub fn ask(engine: &Engine<'_>, who: PrincipalRef, proof: Proof) -> Option<(Decision, Proof)> {
    let decision = engine.decide(who, &proof.query());
    grants(&decision).then_some((decision, proof))
}

impl Graph {
    /// Builds the graph of the engine's account.
    pub fn build(engine: &Engine<'_>) -> Graph {
        let never_cancelled = Progress::default();
        Graph::build_with(engine, &never_cancelled).unwrap_or_default()
    }

    /// Builds the graph, recording each step in `progress`; `None` when `progress` is
    /// cancelled (checked between steps).
    pub fn build_with(engine: &Engine<'_>, progress: &Progress) -> Option<Graph> {
        let mut builder = Builder::new(engine);
        let steps: [fn(&mut Builder<'_, '_>); 5] = [
            |b| {
                trust::plan_roles(b);
                trust::add_outside_trust(b);
            },
            admin::mark_admins,
            self_escalation::add_self_escalations,
            trust::add_internal_trust,
            escalation::add_escalations,
        ];
        for (i, step) in steps.into_iter().enumerate() {
            let (nodes, grants) = (builder.graph.nodes.len(), builder.pending.len());
            progress.begin(i, nodes, grants).then_some(())?;
            step(&mut builder);
        }
        let (nodes, grants) = (builder.graph.nodes.len(), builder.pending.len());
        progress.begin(steps.len(), nodes, grants).then_some(())?;
        let graph = builder.finish();
        progress.finish(graph.nodes.len(), graph.grants.len());
        Some(graph)
    }
}
