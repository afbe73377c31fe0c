//! Paths through the graph: shortest and all simple paths to a principal or to
//! administrator, and reachability (blast radius).
//!
//! An administrator — already, or after a self-escalation edge — can become any
//! principal of the account; paths show that as an `admin_control` hop.

use std::collections::VecDeque;

use super::edge::{Edge, EdgeKind};
use super::node::Node;
use super::Graph;

/// Where a path should end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// This node.
    Node(usize),
    /// Any administrator: a node that already is one, or a self-escalation.
    Admin,
}

/// A path: its hops in order. Empty when the start already satisfies the target.
pub type Path = Vec<Edge>;

/// One move of a search, cheap to copy; turned into a hop only for the path returned.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// A stored edge taken from `from` (which differs from the edge's own source when
    /// an account principal takes an edge of `*`).
    Edge {
        edge: usize,
        from: usize,
    },
    AdminControl {
        from: usize,
        to: usize,
    },
}

impl Graph {
    /// Moves a search may make from `node` towards `target`: real edges between
    /// distinct nodes, plus, for an admin-capable node, the admin's control of the target.
    fn steps(&self, node: usize, target: Target) -> Vec<Step> {
        let mut out: Vec<Step> = self
            .moves(node)
            .filter(|&e| self.edges[e].to != node && self.edges[e].from != self.edges[e].to)
            .map(|edge| Step::Edge { edge, from: node })
            .collect();
        if let Target::Node(t) = target {
            let admin_capable = self.is_admin(node) || self.self_escalation(node).is_some();
            if t != node && self.nodes[t].is_internal() && admin_capable {
                out.push(Step::AdminControl { from: node, to: t });
            }
        }
        out
    }

    fn step_to(&self, step: Step) -> usize {
        match step {
            Step::Edge { edge, .. } => self.edges[edge].to,
            Step::AdminControl { to, .. } => to,
        }
    }

    /// The hop a step stands for.
    fn hop(&self, step: Step) -> Edge {
        match step {
            Step::Edge { edge, from } => {
                let mut hop = self.edges[edge].clone();
                hop.from = from;
                hop
            }
            Step::AdminControl { from, to } => {
                let prefix = if self.is_admin(from) {
                    Vec::new()
                } else {
                    self.self_escalation(from).cloned().into_iter().collect()
                };
                self.admin_control(from, to, prefix)
            }
        }
    }

    fn self_escalation(&self, node: usize) -> Option<&Edge> {
        self.outgoing(node).find(|e| e.kind.is_self_escalation())
    }

    /// A synthetic hop: an administrator (after a self-escalation `prefix`, if any)
    /// controls `to`. Its proofs are the prefix's; the admin probes are shown as
    /// evidence by [`Graph::admin_evidence`].
    fn admin_control(&self, from: usize, to: usize, prefix: Vec<Edge>) -> Edge {
        let admin_keys = self.admins[from]
            .as_ref()
            .map(|a| a.missing_keys.clone())
            .unwrap_or_default();
        let conditional = !admin_keys.is_empty() || prefix.iter().any(|e| e.conditional);
        Edge {
            from,
            to,
            kind: EdgeKind::AdminControl,
            conditional,
            missing_keys: prefix
                .iter()
                .flat_map(|e| e.missing_keys.clone())
                .chain(admin_keys)
                .collect(),
            assumptions: prefix
                .iter()
                .map(|e| format!("first escalates with {}", e.kind.name()))
                .collect(),
            proofs: prefix.into_iter().flat_map(|e| e.proofs).collect(),
        }
    }

    /// Whether a search standing at `node` has reached `target`; for
    /// [`Target::Admin`], the self-escalation hop that gets there, if one is needed.
    fn reached(&self, node: usize, target: Target) -> Option<Option<Edge>> {
        match target {
            Target::Node(t) => (node == t).then_some(None),
            Target::Admin if self.is_admin(node) => Some(None),
            Target::Admin => self.self_escalation(node).map(|e| Some(e.clone())),
        }
    }

    /// The shortest path from `from` to `target` (fewest hops), if any.
    pub fn shortest_path(&self, from: usize, target: Target) -> Option<Path> {
        let mut previous: Vec<Option<(usize, Step)>> = vec![None; self.nodes.len()];
        let mut depth = vec![usize::MAX; self.nodes.len()];
        let mut queue = VecDeque::from([from]);
        depth[from] = 0;
        // A self-escalation costs one more hop than the node it starts from, so the
        // first one found is kept only until a shorter way (an existing admin) shows up.
        let mut best: Option<(usize, usize, Option<Edge>)> = None;
        while let Some(node) = queue.pop_front() {
            if best.as_ref().is_some_and(|(len, _, _)| depth[node] >= *len) {
                break;
            }
            if let Some(last) = self.reached(node, target) {
                let len = depth[node] + usize::from(last.is_some());
                if best.as_ref().is_none_or(|(l, _, _)| len < *l) {
                    best = Some((len, node, last));
                }
                if best.as_ref().is_some_and(|(l, _, _)| *l == depth[node]) {
                    break;
                }
                continue;
            }
            for step in self.steps(node, target) {
                let to = self.step_to(step);
                if depth[to] == usize::MAX {
                    depth[to] = depth[node] + 1;
                    previous[to] = Some((node, step));
                    queue.push_back(to);
                }
            }
        }
        let (_, end, last) = best?;
        let mut path: Path = last.into_iter().collect();
        let mut at = end;
        while let Some((before, step)) = previous[at] {
            path.push(self.hop(step));
            at = before;
        }
        path.reverse();
        Some(path)
    }

    /// Every simple path from `from` to `target` with at most `max_hops` hops, shortest
    /// first; at most `limit` paths.
    pub fn all_paths(
        &self,
        from: usize,
        target: Target,
        max_hops: usize,
        limit: usize,
    ) -> Vec<Path> {
        let mut out = Vec::new();
        let mut on_path = vec![false; self.nodes.len()];
        let mut path = Vec::new();
        self.walk(
            from,
            target,
            max_hops,
            limit,
            &mut on_path,
            &mut path,
            &mut out,
        );
        out.sort_by_key(Vec::len);
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn walk(
        &self,
        node: usize,
        target: Target,
        hops_left: usize,
        limit: usize,
        on_path: &mut [bool],
        path: &mut Path,
        out: &mut Vec<Path>,
    ) {
        if out.len() >= limit {
            return;
        }
        if let Some(last) = self.reached(node, target) {
            // A final self-escalation is a hop too, and must fit in the budget.
            if last.is_none() || hops_left > 0 {
                let mut found = path.clone();
                found.extend(last);
                out.push(found);
            }
            return;
        }
        if hops_left == 0 {
            return;
        }
        on_path[node] = true;
        for step in self.steps(node, target) {
            let to = self.step_to(step);
            if on_path[to] {
                continue;
            }
            path.push(self.hop(step));
            self.walk(to, target, hops_left - 1, limit, on_path, path, out);
            path.pop();
        }
        on_path[node] = false;
    }

    /// The edges (indices) a node can take: its own, and for an account principal also
    /// those of [`Node::Anyone`] — a trust of `*` admits it too.
    pub fn moves(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        let anyone = self
            .nodes
            .get(node)
            .is_some_and(Node::is_internal)
            .then(|| self.find(&Node::Anyone))
            .flatten();
        let own = self.outgoing.get(node).into_iter().flatten().copied();
        let via_anyone = anyone
            .and_then(|a| self.outgoing.get(a))
            .into_iter()
            .flatten()
            .copied()
            .filter(move |&e| !self.anyone_blocked.contains(&(node, self.edges[e].to)));
        own.chain(via_anyone)
    }

    /// Every node reachable from `from` through real edges (not admin control), with
    /// the number of hops to it; `from` itself is not included.
    pub fn reachable(&self, from: usize) -> Vec<(usize, usize)> {
        let mut depth = vec![usize::MAX; self.nodes.len()];
        depth[from] = 0;
        let mut queue = VecDeque::from([from]);
        let mut out = Vec::new();
        while let Some(node) = queue.pop_front() {
            for edge in self.moves(node).map(|e| &self.edges[e]) {
                if depth[edge.to] == usize::MAX {
                    depth[edge.to] = depth[node] + 1;
                    out.push((edge.to, depth[edge.to]));
                    queue.push_back(edge.to);
                }
            }
        }
        out
    }

    /// Every node that can reach `to` through real edges, with the hop count. What
    /// [`Node::Anyone`] reaches, every account principal reaches too.
    pub fn reaching(&self, to: usize) -> Vec<(usize, usize)> {
        let mut depth = vec![usize::MAX; self.nodes.len()];
        depth[to] = 0;
        let mut queue = VecDeque::from([to]);
        let mut out = Vec::new();
        while let Some(node) = queue.pop_front() {
            let d = depth[node] + 1;
            for edge in self.incoming(node) {
                let everyone = self.nodes[edge.from] == Node::Anyone;
                let sources =
                    std::iter::once(edge.from).chain((0..self.nodes.len()).filter(|&n| {
                        everyone
                            && self.nodes[n].is_internal()
                            && !self.anyone_blocked.contains(&(n, edge.to))
                    }));
                for n in sources {
                    if depth[n] == usize::MAX {
                        depth[n] = d;
                        out.push((n, d));
                        queue.push_back(n);
                    }
                }
            }
        }
        out
    }
}
