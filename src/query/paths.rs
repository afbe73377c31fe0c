//! How could FROM become TO (a principal, or any administrator)?

use super::hop::{hops, Hop};
use crate::eval::Engine;
use crate::graph::search::Target;
use crate::graph::Graph;

/// Longest path searched by default: deep enough for real role chains.
pub const DEFAULT_MAX_HOPS: usize = 6;
/// Most paths listed by default.
pub const DEFAULT_LIMIT: usize = 50;

/// The paths from node `from` to `to`: the shortest only, or every simple path up to
/// `max_hops` hops (at most `limit`), shortest first. Empty when there is none.
pub fn paths(
    engine: &Engine<'_>,
    graph: &Graph,
    from: usize,
    to: Target,
    all: bool,
    max_hops: usize,
    limit: usize,
) -> Vec<Vec<Hop>> {
    let found = if all {
        graph.all_paths(from, to, max_hops, limit)
    } else {
        graph.shortest_path(from, to).into_iter().collect()
    };
    found.iter().map(|p| hops(engine, graph, p)).collect()
}
