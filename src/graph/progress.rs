//! How far a graph build has got, and a way to stop it: shared between the thread
//! that builds and whoever waits (the TUI draws it; quitting or opening another
//! account cancels it). Plain atomic counters, so reading never blocks the build.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The steps of a build, in order.
pub const STEPS: [&str; 6] = [
    "outside trust",
    "administrators",
    "self-escalation",
    "trust between principals",
    "escalation techniques",
    "indexing grants",
];

/// Counters of one graph build and its cancel flag.
#[derive(Debug, Default)]
pub struct Progress {
    /// Steps started so far (1 while the first runs; `STEPS.len() + 1` when done).
    started: AtomicUsize,
    /// Nodes of the graph (the account's principals, then outside ones as found).
    nodes: AtomicUsize,
    /// Grants found so far.
    grants: AtomicUsize,
    cancelled: AtomicBool,
}

/// What a [`Progress`] says at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgressView {
    /// The step running (0-based), `None` before the first and after the last.
    pub step: Option<usize>,
    /// Number of steps.
    pub steps: usize,
    /// Nodes so far.
    pub nodes: usize,
    /// Grants so far.
    pub grants: usize,
    /// Cancel was asked for.
    pub cancelled: bool,
}

impl ProgressView {
    /// The name of the step running.
    pub fn step_name(&self) -> Option<&'static str> {
        self.step.and_then(|s| STEPS.get(s).copied())
    }
}

impl Progress {
    /// Asks the build to stop; it returns `None` at its next check.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// True once [`Progress::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// Records the start of step `step` (an index into [`STEPS`]) with the counts so
    /// far; false when the build should stop instead.
    pub fn begin(&self, step: usize, nodes: usize, grants: usize) -> bool {
        self.nodes.store(nodes, Ordering::Relaxed);
        self.grants.store(grants, Ordering::Relaxed);
        self.started.store(step + 1, Ordering::Relaxed);
        !self.is_cancelled()
    }

    /// Records the end of the build with its final counts.
    pub fn finish(&self, nodes: usize, grants: usize) {
        self.nodes.store(nodes, Ordering::Relaxed);
        self.grants.store(grants, Ordering::Relaxed);
        self.started.store(STEPS.len() + 1, Ordering::Relaxed);
    }

    /// The counters now.
    pub fn view(&self) -> ProgressView {
        let started = self.started.load(Ordering::Relaxed);
        ProgressView {
            step: (1..=STEPS.len()).contains(&started).then(|| started - 1),
            steps: STEPS.len(),
            nodes: self.nodes.load(Ordering::Relaxed),
            grants: self.grants.load(Ordering::Relaxed),
            cancelled: self.is_cancelled(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_counts_and_cancel_are_seen_by_the_reader() {
        let p = Progress::default();
        assert_eq!(p.view().step, None);
        assert!(p.begin(0, 10, 0));
        assert!(p.begin(3, 12, 40));
        let v = p.view();
        assert_eq!(v.step, Some(3));
        assert_eq!(v.step_name(), Some("trust between principals"));
        assert_eq!((v.nodes, v.grants, v.cancelled), (12, 40, false));
        p.cancel();
        assert!(!p.begin(4, 12, 41), "a cancelled build is told to stop");
        assert!(p.view().cancelled);
        p.finish(12, 50);
        assert_eq!(p.view().step, None);
        assert_eq!(p.view().grants, 50);
    }
}
