//! The principal graph: who can become whom.
//!
//! Nodes are the account's users and roles plus the outside principals its trust
//! policies name. Edges say how a principal can act as another: assuming a role
//! (trust), a service assuming it, federation, and privilege-escalation techniques
//! (PMapper's and Rhino Security Labs' catalogue). Self-escalation techniques are
//! edges from a principal to itself that leave it an administrator. Every edge is
//! decided by the evaluator; edges that depend on unknown context or on resources the
//! bundle cannot see are kept and marked conditional.
//!
//! # The graph is compressed
//!
//! Edges are stored as [`Grant`]s between *sets* of nodes. For each technique, the
//! principals whose statements for its actions are the same (the same statements of the
//! same documents, boundary, kind, and — only where a condition reads them — tags) form
//! one class ([`class`]), and the targets that every statement of that class matches
//! alike (and that share the facts the decision reads: trust policy, path, instance
//! profile, credential-report state) form one block ([`targets`]). The evaluator
//! decides one representative (principal, target) per (class, block); the grant holds
//! for every pair of the two sets. Statements that read the principal's own name or
//! ARN (policy variables, `aws:PrincipalArn`, a trust naming the principal) put it in
//! a class of its own, so a grant never claims more than the evaluator would.
//! `sts:AssumeRole` between the account's principals is decided in two halves
//! ([`sides`]): the caller's side once per class and statements that apply, the trust
//! side once per trust policy view, combined by the evaluator for each (class, block).
//!
//! Size: nodes + grants + the members of the distinct sets, where grants are at most
//! (classes × blocks) per technique and identical sets are stored once. It grows with
//! principals + policies + distinct grants, never with their product: a `user/*` grant
//! held by 600 principals is a handful of grants to one set of every user, not 3 M edges.
//! Searches ([`search`]) walk sets as hubs (each set is expanded once per search) and
//! per-pair [`Edge`]s are made only for what is printed ([`Graph::outgoing`],
//! [`Graph::incoming`]); evidence is found again by replaying an edge's requests.
//!
//! One-principal questions build only the part they walk ([`partial`]): the grants
//! leaving what a principal can reach ([`Graph::build_from`]), or arriving at what can
//! reach a set of principals ([`Graph::build_towards`]).

mod adjacency;
mod admin;
mod build;
mod candidates;
mod class;
mod edge;
mod escalation;
mod evidence;
pub mod export;
mod grant;
mod node;
mod partial;
pub mod progress;
pub mod search;
mod self_escalation;
mod sides;
pub mod takeover;
mod targets;
mod trust;

use std::collections::HashMap;
use std::sync::Arc;

use adjacency::Adjacency;

pub use edge::{Edge, EdgeKind, Evidence, Proof, ProofContext};
pub use evidence::statement_label;
pub use grant::{End, Grant};
pub use node::{Node, ANYONE_ARN};

use crate::eval::PrincipalRef;
use crate::model::{RoleId, UserId};

/// A principal that holds administrator permissions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AdminStatus {
    /// Context keys its admin permissions depend on (an MFA condition, say); empty when
    /// unconditional.
    pub missing_keys: Vec<String>,
}

/// The principal graph of one account (compressed: see the module docs).
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// Users first (by [`UserId`]), then roles (by [`RoleId`]), then outside principals.
    pub nodes: Vec<Node>,
    /// For each node: whether it is already an administrator (see [`AdminStatus`]).
    pub admins: Vec<Option<AdminStatus>>,
    /// Every grant: an edge from each node of one end to each node of the other.
    pub grants: Vec<Grant>,
    /// The node sets grants refer to, each sorted and stored once.
    sets: Vec<Box<[u32]>>,
    /// Each node's ARN (or service or provider name), for the proofs of expanded edges.
    arns: Vec<Arc<str>>,
    users: usize,
    index: HashMap<Node, usize>,
    /// For each node: the sets it belongs to.
    member_of: Adjacency,
    /// Grants leaving each node and each set.
    from_node: Adjacency,
    from_set: Adjacency,
    /// Grants arriving at each node and each set.
    into_node: Adjacency,
    into_set: Adjacency,
    /// For each node: its first self-escalation grant, if any.
    self_escalation: Vec<Option<u32>>,
}

impl Graph {
    /// The node of an account principal.
    pub fn node_of(&self, who: PrincipalRef) -> usize {
        match who {
            PrincipalRef::User(u) => u.index(),
            PrincipalRef::Role(r) => self.users + r.index(),
        }
    }

    /// The account principal a node stands for, if it is one.
    pub fn principal(&self, node: usize) -> Option<PrincipalRef> {
        match self.nodes.get(node)? {
            Node::User(u) => Some(PrincipalRef::User(*u)),
            Node::Role(r) => Some(PrincipalRef::Role(*r)),
            _ => None,
        }
    }

    /// The index of a node, if the graph has it.
    pub fn find(&self, node: &Node) -> Option<usize> {
        self.index.get(node).copied()
    }

    /// The members of a set.
    pub fn set(&self, set: usize) -> &[u32] {
        &self.sets[set]
    }

    /// Number of distinct node sets.
    pub fn set_count(&self) -> usize {
        self.sets.len()
    }

    /// The nodes one end of a grant stands for (`source` for [`End::Itself`]).
    pub fn end_nodes(&self, end: End, source: usize) -> EndNodes<'_> {
        match end {
            End::Node(n) => EndNodes::One(Some(n)),
            End::Itself => EndNodes::One(Some(source)),
            End::Set(s) => EndNodes::Many(self.sets[s].iter()),
        }
    }

    /// Grants whose source end includes `node`.
    pub fn grants_from(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        let own = self.from_node.get(node).into_iter().flatten();
        let via_sets = self
            .member_of
            .get(node)
            .into_iter()
            .flatten()
            .flat_map(|&s| &self.from_set[s as usize]);
        own.chain(via_sets).map(|&g| g as usize)
    }

    /// Edges leaving `node`, expanded from its grants (its self-escalations included).
    pub fn outgoing(&self, node: usize) -> impl Iterator<Item = Edge> + '_ {
        self.grants_from(node).flat_map(move |g| {
            let grant = &self.grants[g];
            self.end_nodes(grant.to, node)
                .filter(move |&to| to != node || grant.to == End::Itself)
                .map(move |to| self.expand(g, node, to))
        })
    }

    /// Edges arriving at `node`, expanded from the grants into it. A self-escalation
    /// arrives at its own source.
    pub fn incoming(&self, node: usize) -> Vec<Edge> {
        let mut out = Vec::new();
        let own = self.into_node.get(node).into_iter().flatten();
        let via_sets = self
            .member_of
            .get(node)
            .into_iter()
            .flatten()
            .flat_map(|&s| &self.into_set[s as usize]);
        for &g in own.chain(via_sets) {
            let grant = &self.grants[g as usize];
            for from in self.end_nodes(grant.from, node) {
                if from != node {
                    out.push(self.expand(g as usize, from, node));
                }
            }
        }
        for g in self.grants_from(node) {
            if self.grants[g].to == End::Itself {
                out.push(self.expand(g, node, node));
            }
        }
        out
    }

    /// The per-pair edge `from → to` that grant `g` stands for.
    pub fn expand(&self, g: usize, from: usize, to: usize) -> Edge {
        let grant = &self.grants[g];
        Edge {
            from,
            to,
            kind: grant.kind,
            conditional: grant.conditional,
            missing_keys: grant.missing_keys.iter().map(|k| k.to_string()).collect(),
            assumptions: grant.assumptions.clone(),
            proofs: grant
                .proofs
                .iter()
                .map(|p| {
                    let mut p = p.clone();
                    if p.on_target {
                        p.resource = self.arns[to].clone();
                        p.on_target = false;
                    }
                    p
                })
                .collect(),
        }
    }

    /// Number of per-pair edges the grants stand for (self-loops of non-self-escalation
    /// grants excluded): what an uncompressed graph would store.
    pub fn edge_count(&self) -> usize {
        self.grants
            .iter()
            .map(|g| {
                let size = |e: End| match e {
                    End::Node(_) | End::Itself => 1,
                    End::Set(s) => self.sets[s].len(),
                };
                let pairs = size(g.from) * size(g.to);
                let loops = match (g.from, g.to) {
                    (_, End::Itself) => 0,
                    (End::Node(a), End::Node(b)) => usize::from(a == b),
                    (End::Node(a), End::Set(s)) | (End::Set(s), End::Node(a)) => {
                        usize::from(self.sets[s].binary_search(&(a as u32)).is_ok())
                    }
                    (End::Set(a), End::Set(b)) => {
                        let b = &self.sets[b];
                        self.sets[a]
                            .iter()
                            .filter(|n| b.binary_search(n).is_ok())
                            .count()
                    }
                    (End::Itself, _) => 0,
                };
                pairs - loops
            })
            .sum()
    }

    /// True when the node already holds administrator permissions.
    pub fn is_admin(&self, node: usize) -> bool {
        self.admins.get(node).is_some_and(Option::is_some)
    }

    /// True when the node can make itself an administrator (a self-escalation edge).
    pub fn can_self_escalate(&self, node: usize) -> bool {
        self.self_escalation.get(node).is_some_and(Option::is_some)
    }

    /// Its first self-escalation edge, if the node has one.
    pub fn self_escalation_edge(&self, node: usize) -> Option<Edge> {
        let g = (*self.self_escalation.get(node)?)?;
        Some(self.expand(g as usize, node, node))
    }

    /// Number of users (nodes `0..users` are users).
    pub fn user_count(&self) -> usize {
        self.users
    }

    /// The node of a user.
    pub fn user_node(&self, user: UserId) -> usize {
        user.index()
    }

    /// The node of a role.
    pub fn role_node(&self, role: RoleId) -> usize {
        self.users + role.index()
    }
}

/// The nodes of one end of a grant.
pub enum EndNodes<'g> {
    /// One node (or none left).
    One(Option<usize>),
    /// The members of a set.
    Many(std::slice::Iter<'g, u32>),
}

impl Iterator for EndNodes<'_> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        match self {
            EndNodes::One(n) => n.take(),
            EndNodes::Many(it) => it.next().map(|&n| n as usize),
        }
    }
}
