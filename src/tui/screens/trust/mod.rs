//! The trust-graph screen: a principal with the edges into it (who can become it) and
//! out of it (whom it can become), followed edge by edge with breadcrumbs.

pub mod update;
pub mod view;

use crate::graph::{Edge, Evidence};

/// Which list of the trust screen has the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Side {
    /// Inbound edges (who can become the principal), on the left.
    #[default]
    Inbound,
    /// Outbound edges (whom it can become), on the right.
    Outbound,
}

/// One edge as the trust screen lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdgeRow {
    /// The edge.
    pub edge: Edge,
    /// The node at the other end (the source of an inbound edge, the target of an
    /// outbound one; the principal itself for a self-escalation).
    pub other: usize,
    /// Its label (`role/deploy`, `oidc token.actions…`).
    pub label: String,
    /// The other end is an administrator, or can make itself one.
    pub admin: bool,
}

/// A place on the trust screen to come back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crumb {
    /// The node shown.
    pub node: usize,
    /// The selected side.
    pub side: Side,
    /// The selected row of each side.
    pub selected: [usize; 2],
}

/// The trust-graph screen.
#[derive(Debug, Clone, Default)]
pub struct TrustState {
    /// The principal to show once the graph is ready.
    pub pending: Option<crate::eval::PrincipalRef>,
    /// The node in the middle.
    pub node: Option<usize>,
    /// Edges into it.
    pub inbound: Vec<EdgeRow>,
    /// Edges out of it (its own and those of "anyone").
    pub outbound: Vec<EdgeRow>,
    /// Which list has the selection.
    pub side: Side,
    /// The selected row of each list.
    pub selected: [usize; 2],
    /// The nodes visited before, to return to with Backspace.
    pub crumbs: Vec<Crumb>,
    /// The evidence of the selected edge, when known.
    pub evidence: Option<Vec<Evidence>>,
    /// Id of the evidence request in flight.
    pub evidence_id: u64,
    /// Number of principals that hold (or can take) administrator permissions: any of
    /// them can act as this principal.
    pub admins: usize,
}

impl TrustState {
    /// The selected edge.
    pub fn selected_edge(&self) -> Option<&EdgeRow> {
        match self.side {
            Side::Inbound => self.inbound.get(self.selected[0]),
            Side::Outbound => self.outbound.get(self.selected[1]),
        }
    }

    /// What the evidence shown is for: node, side, selected row.
    pub fn evidence_key(&self) -> (Option<usize>, Side, [usize; 2]) {
        (self.node, self.side, self.selected)
    }
}
