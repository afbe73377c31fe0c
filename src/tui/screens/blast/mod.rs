//! The blast-radius screen: for the selected principal, everything it can become by
//! hop (with technique and evidence), what it can do as each, whether it reaches
//! admin, and the sensitive data within reach. Enter on a hop opens that principal;
//! the way there stays as breadcrumbs.

pub mod update;
pub mod view;

use crate::eval::PrincipalRef;
use crate::query::blast::BlastRadius;

/// A principal shown before, to come back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlastCrumb {
    /// The principal.
    pub principal: PrincipalRef,
    /// Its selected row.
    pub selected: usize,
}

/// The blast-radius screen.
#[derive(Debug, Clone, Default)]
pub struct BlastState {
    /// Whose radius is shown (or asked for).
    pub principal: Option<PrincipalRef>,
    /// True while the request waits for the graph.
    pub pending: bool,
    /// The principals opened before this one, first first.
    pub crumbs: Vec<BlastCrumb>,
    /// The answer for `principal`, once computed.
    pub answer: Option<Box<BlastRadius>>,
    /// Id of the request in flight (0: none).
    pub request_id: u64,
    /// The selected row of the "can become" list (0: the principal itself).
    pub selected: usize,
    /// First line of the selected row's details shown.
    pub scroll: usize,
}
