//! The paths screen: from the selected principal to a target — `admin`, a principal,
//! or any principal that can do `ACTION [RESOURCE]` — shortest first, or every simple
//! path on request; each hop replayable as the evaluator's decision with its trace.

pub mod update;
pub mod view;

use crate::eval::PrincipalRef;
use crate::query::paths_to::{PathsAnswer, ReplayedRequest};

/// The depths Ctrl-e steps through after "shortest only".
pub const DEPTHS: [usize; 3] = [4, 6, 8];

/// The paths screen.
#[derive(Debug, Clone)]
pub struct PathsState {
    /// Where the paths start.
    pub from: Option<PrincipalRef>,
    /// The target as typed: `admin`, a principal, or `ACTION [RESOURCE]`.
    pub target: String,
    /// Every simple path up to this many hops; `None`: the shortest only. Ctrl-e
    /// steps through [`DEPTHS`].
    pub depth: Option<usize>,
    /// True when the target was edited since the answer shown.
    pub edited: bool,
    /// True while the request waits for the graph.
    pub pending: bool,
    /// The answer, or why there is none.
    pub answer: Option<Result<Box<PathsAnswer>, String>>,
    /// Id of the paths request in flight (0: none).
    pub request_id: u64,
    /// The selected hop: (path, hop) indices.
    pub selected: (usize, usize),
    /// The selected hop's requests replayed with traces, when open.
    pub replay: Option<Vec<ReplayedRequest>>,
    /// Id of the replay request in flight (0: none).
    pub replay_id: u64,
    /// True while the replay of the selected hop is shown.
    pub trace_open: bool,
    /// First line of the replay shown.
    pub trace_scroll: usize,
}

impl Default for PathsState {
    fn default() -> PathsState {
        PathsState {
            from: None,
            target: "admin".into(),
            depth: None,
            edited: false,
            pending: false,
            answer: None,
            request_id: 0,
            selected: (0, 0),
            replay: None,
            replay_id: 0,
            trace_open: false,
            trace_scroll: 0,
        }
    }
}

impl PathsState {
    /// The next setting of Ctrl-e: shortest → every path up to 4, 6, 8 hops → shortest.
    pub fn next_depth(&self) -> Option<usize> {
        match self.depth {
            None => Some(DEPTHS[0]),
            Some(d) => DEPTHS.iter().copied().find(|&x| x > d),
        }
    }

    /// The paths of the answer, when there is one.
    pub fn found(&self) -> Option<&PathsAnswer> {
        self.answer
            .as_ref()
            .and_then(|a| a.as_ref().ok())
            .map(|b| b.as_ref())
    }
}
