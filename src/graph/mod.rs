//! The principal graph: who can become whom.
//!
//! Nodes are the account's users and roles plus the outside principals its trust
//! policies name. Edges say how a principal can act as another: assuming a role
//! (trust), a service assuming it, federation, and privilege-escalation techniques
//! (PMapper's and Rhino Security Labs' catalogue). Self-escalation techniques are
//! edges from a principal to itself that leave it an administrator. Every edge is
//! decided by the evaluator, with the statements that allow it as evidence; edges
//! that depend on unknown context or on resources the bundle cannot see are kept and
//! marked conditional.

mod admin;
mod build;
mod candidates;
mod edge;
mod escalation;
mod evidence;
pub mod export;
mod node;
pub mod search;
mod self_escalation;
mod trust;

use std::collections::{HashMap, HashSet};

pub use edge::{Edge, EdgeKind, Evidence, Proof, ProofContext};
pub use evidence::statement_label;
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

/// The principal graph of one account.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// Users first (by [`UserId`]), then roles (by [`RoleId`]), then outside principals.
    pub nodes: Vec<Node>,
    /// Every edge.
    pub edges: Vec<Edge>,
    /// For each node: whether it is already an administrator (see [`AdminStatus`]).
    pub admins: Vec<Option<AdminStatus>>,
    /// (principal node, role node) pairs where the principal may not take the edge of
    /// [`Node::Anyone`] into the role: its own policies decide differently (it then has
    /// an edge of its own if it can still assume the role).
    pub anyone_blocked: HashSet<(usize, usize)>,
    users: usize,
    outgoing: Vec<Vec<usize>>,
    incoming: Vec<Vec<usize>>,
    index: HashMap<Node, usize>,
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

    /// Edges leaving `node` that the graph stores. An account principal can also take
    /// every edge of [`Node::Anyone`] (it is one of "anyone"): see [`Graph::moves`].
    pub fn outgoing(&self, node: usize) -> impl Iterator<Item = &Edge> + '_ {
        self.outgoing
            .get(node)
            .into_iter()
            .flatten()
            .map(|&e| &self.edges[e])
    }

    /// Edges arriving at `node`.
    pub fn incoming(&self, node: usize) -> impl Iterator<Item = &Edge> + '_ {
        self.incoming
            .get(node)
            .into_iter()
            .flatten()
            .map(|&e| &self.edges[e])
    }

    /// True when the node already holds administrator permissions.
    pub fn is_admin(&self, node: usize) -> bool {
        self.admins.get(node).is_some_and(Option::is_some)
    }

    /// True when the node can make itself an administrator (a self-escalation edge).
    pub fn can_self_escalate(&self, node: usize) -> bool {
        self.outgoing(node).any(|e| e.kind.is_self_escalation())
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
