//! Paths through the graph: shortest and all simple paths to a principal or to
//! administrator, and reachability (blast radius).
//!
//! Searches walk node sets as hubs: a grant into a set of 5,000 users is expanded once
//! per search (the first time a search reaches it, which in breadth-first order is at
//! its least depth), not once per principal holding it. Only the path returned is
//! turned into per-pair [`Edge`]s.
//!
//! An administrator — already, or after a self-escalation edge — can become any
//! principal of the account; paths show that as an `admin_control` hop.

use std::collections::VecDeque;

use super::edge::{Edge, EdgeKind};
use super::grant::End;
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Grant `grant` taken from `from` to `to`.
    Grant {
        /// The grant.
        grant: usize,
        /// Its source node.
        from: usize,
        /// Its target node.
        to: usize,
    },
    /// An administrator (or self-escalator) `from` controls `to`.
    AdminControl {
        /// The administrator.
        from: usize,
        /// The principal it controls.
        to: usize,
    },
}

impl Step {
    /// Where the step leads.
    pub fn to(self) -> usize {
        match self {
            Step::Grant { to, .. } | Step::AdminControl { to, .. } => to,
        }
    }
}

/// For every node, the first step of a shortest way towards some goal (see
/// [`Graph::towards`]).
#[derive(Debug, Clone)]
pub struct Towards {
    /// Hops to the nearest goal; `usize::MAX` when none is reachable.
    pub depth: Vec<usize>,
    /// The first step of that way (`None` for goals and unreachable nodes).
    pub next: Vec<Option<Step>>,
}

impl Towards {
    /// The steps from `node` to its goal.
    pub fn steps(&self, node: usize) -> Vec<Step> {
        let mut out = Vec::new();
        let mut at = node;
        while let Some(step) = self.next[at] {
            out.push(step);
            at = step.to();
            if out.len() > self.next.len() {
                break;
            }
        }
        out
    }
}

impl Graph {
    /// True when `node` is an administrator or can make itself one.
    pub fn admin_capable(&self, node: usize) -> bool {
        self.is_admin(node) || self.can_self_escalate(node)
    }

    /// The account of a node's ARN (empty for services and `*`).
    pub fn account_of(&self, node: usize) -> &str {
        self.arns[node].split(':').nth(4).unwrap_or_default()
    }

    /// Whether an administrator at `admin` controls `target`: only the principals of
    /// its own account (an organization bundle holds several).
    pub fn controls(&self, admin: usize, target: usize) -> bool {
        self.account_of(admin) == self.account_of(target)
    }

    /// Calls `visit` with every step leaving `node` (not self-escalations); a grant
    /// into a set is expanded only when `expanded` has not seen that set yet (pass
    /// `None` to expand every time).
    fn each_step(
        &self,
        node: usize,
        mut expanded: Option<&mut [bool]>,
        mut visit: impl FnMut(Step),
    ) {
        for g in self.grants_from(node) {
            match self.grants[g].to {
                End::Itself => {}
                End::Node(to) => {
                    if to != node {
                        visit(Step::Grant {
                            grant: g,
                            from: node,
                            to,
                        });
                    }
                }
                End::Set(s) => {
                    if let Some(done) = expanded.as_deref_mut() {
                        if done[s] {
                            continue;
                        }
                        done[s] = true;
                    }
                    for &to in self.set(s) {
                        let to = to as usize;
                        if to != node {
                            visit(Step::Grant {
                                grant: g,
                                from: node,
                                to,
                            });
                        }
                    }
                }
            }
        }
    }

    /// The hop a step stands for.
    pub fn hop(&self, step: Step) -> Edge {
        match step {
            Step::Grant { grant, from, to } => self.expand(grant, from, to),
            Step::AdminControl { from, to } => {
                let prefix = if self.is_admin(from) {
                    Vec::new()
                } else {
                    self.self_escalation_edge(from).into_iter().collect()
                };
                self.admin_control(from, to, prefix)
            }
        }
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
            Target::Admin => self.self_escalation_edge(node).map(Some),
        }
    }

    fn admin_step(&self, node: usize, target: Target) -> Option<Step> {
        match target {
            Target::Node(t)
                if t != node
                    && self.nodes[t].is_internal()
                    && self.admin_capable(node)
                    && self.controls(node, t) =>
            {
                Some(Step::AdminControl { from: node, to: t })
            }
            _ => None,
        }
    }

    /// The shortest path from `from` to `target` (fewest hops), if any.
    pub fn shortest_path(&self, from: usize, target: Target) -> Option<Path> {
        let mut previous: Vec<Option<Step>> = vec![None; self.nodes.len()];
        let mut depth = vec![usize::MAX; self.nodes.len()];
        let mut expanded = vec![false; self.sets.len()];
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
            let d = depth[node] + 1;
            let mut visit = |step: Step| {
                let to = step.to();
                if depth[to] == usize::MAX {
                    depth[to] = d;
                    previous[to] = Some(step);
                    queue.push_back(to);
                }
            };
            self.each_step(node, Some(&mut expanded), &mut visit);
            if let Some(step) = self.admin_step(node, target) {
                visit(step);
            }
        }
        let (_, end, last) = best?;
        let mut path: Path = last.into_iter().collect();
        let mut at = end;
        while let Some(step) = previous[at] {
            path.push(self.hop(step));
            at = match step {
                Step::Grant { from, .. } | Step::AdminControl { from, .. } => from,
            };
        }
        path.reverse();
        Some(path)
    }

    /// For every node, how many hops it needs to reach `target` (a final
    /// self-escalation counted), through real edges and administrators' control.
    pub fn distances_to(&self, target: Target) -> Vec<usize> {
        match target {
            Target::Node(t) => {
                let seeds = [t];
                let late: Vec<usize> = if self.nodes[t].is_internal() {
                    (0..self.nodes.len())
                        .filter(|&n| n != t && self.admin_capable(n) && self.controls(n, t))
                        .collect()
                } else {
                    Vec::new()
                };
                self.towards_with(&seeds, &late, |_, _| None).depth
            }
            Target::Admin => self.towards_admin().depth,
        }
    }

    /// Every simple path from `from` to `target` with at most `max_hops` hops, shortest
    /// first; at most `limit` paths. Only steps that can still reach the target within
    /// the hops left are tried.
    pub fn all_paths(
        &self,
        from: usize,
        target: Target,
        max_hops: usize,
        limit: usize,
    ) -> Vec<Path> {
        let distance = self.distances_to(target);
        let mut out = Vec::new();
        let mut on_path = vec![false; self.nodes.len()];
        let mut path = Vec::new();
        let mut walk = Walk {
            graph: self,
            target,
            limit,
            distance: &distance,
            on_path: &mut on_path,
            path: &mut path,
            out: &mut out,
        };
        walk.walk(from, max_hops);
        out.sort_by_key(Vec::len);
        out
    }

    /// Every node reachable from `from` through real edges (not admin control), with
    /// the number of hops to it; `from` itself is not included.
    pub fn reachable(&self, from: usize) -> Vec<(usize, usize)> {
        let mut depth = vec![usize::MAX; self.nodes.len()];
        let mut expanded = vec![false; self.sets.len()];
        depth[from] = 0;
        let mut queue = VecDeque::from([from]);
        let mut out = Vec::new();
        while let Some(node) = queue.pop_front() {
            let d = depth[node] + 1;
            self.each_step(node, Some(&mut expanded), |step| {
                let to = step.to();
                if depth[to] == usize::MAX {
                    depth[to] = d;
                    out.push((to, d));
                    queue.push_back(to);
                }
            });
        }
        out
    }

    /// Every node that can reach `to` through real edges, with the hop count.
    pub fn reaching(&self, to: usize) -> Vec<(usize, usize)> {
        let towards = self.towards_with(&[to], &[], |_, _| None);
        let mut out: Vec<(usize, usize)> = (0..self.nodes.len())
            .filter(|&n| n != to && towards.depth[n] != usize::MAX)
            .map(|n| (n, towards.depth[n]))
            .collect();
        out.sort_by_key(|&(n, d)| (d, n));
        out
    }

    /// A reverse breadth-first search from `goals` (depth 0). Nodes in `late` join at
    /// depth 1 before anything else is, with the step `late_step` gives them (an
    /// administrator's control of a goal, say); `None` leaves them to the search.
    pub fn towards_with(
        &self,
        goals: &[usize],
        late: &[usize],
        late_step: impl Fn(&Graph, usize) -> Option<Step>,
    ) -> Towards {
        let seeds = goals.iter().map(|&g| (g, 0));
        self.reverse_search(seeds, late, late_step)
    }

    /// Every node's shortest way to an administrator, in one reverse search: what
    /// [`Graph::shortest_path`] to [`Target::Admin`] finds from each node, for all of
    /// them at once. Administrators are at depth 0 and self-escalators (not
    /// administrators) at depth 1, both seeded before the search expands anything, so
    /// a self-escalator's way is its own self-escalation even when it also holds a
    /// grant into an administrator, as the forward search prefers. Among ways of equal
    /// length the choice is deterministic: the first found in breadth-first order from
    /// the administrators (by node), then the self-escalators (by node), each node's
    /// incoming grants in the graph's order; it can differ from the forward search's,
    /// never in length.
    pub fn towards_admin(&self) -> Towards {
        let n = self.nodes.len();
        let admins = (0..n).filter(|&m| self.is_admin(m)).map(|m| (m, 0));
        let escalators = (0..n)
            .filter(|&m| !self.is_admin(m) && self.can_self_escalate(m))
            .map(|m| (m, 1));
        self.reverse_search(admins.chain(escalators), &[], |_, _| None)
    }

    /// The shortest path from `node` to an administrator that `towards` (made by
    /// [`Graph::towards_admin`]) holds: its grants, then the self-escalation its last
    /// node needs if that one is not an administrator itself. `None` when there is none.
    pub fn admin_path(&self, towards: &Towards, node: usize) -> Option<Path> {
        if towards.depth[node] == usize::MAX {
            return None;
        }
        let mut path: Path = towards
            .steps(node)
            .into_iter()
            .map(|s| self.hop(s))
            .collect();
        let end = path.last().map_or(node, |e| e.to);
        if !self.is_admin(end) {
            path.extend(self.self_escalation_edge(end));
        }
        Some(path)
    }

    /// The reverse breadth-first search of [`Graph::towards_with`], from `seeds`
    /// (node, depth) given in order of depth, each without a step of its own.
    fn reverse_search(
        &self,
        seeds: impl IntoIterator<Item = (usize, usize)>,
        late: &[usize],
        late_step: impl Fn(&Graph, usize) -> Option<Step>,
    ) -> Towards {
        let n = self.nodes.len();
        let mut depth = vec![usize::MAX; n];
        let mut next: Vec<Option<Step>> = vec![None; n];
        let mut into_done = vec![false; self.sets.len()];
        let mut from_done = vec![false; self.sets.len()];
        let mut queue = VecDeque::new();
        for (g, d) in seeds {
            if depth[g] == usize::MAX {
                depth[g] = d;
                queue.push_back(g);
            }
        }
        let mut late_pending = !late.is_empty();
        loop {
            let Some(node) = queue.pop_front() else {
                if late_pending {
                    late_pending = false;
                    self.add_late(late, &late_step, &mut depth, &mut next, &mut queue);
                    continue;
                }
                break;
            };
            if late_pending && depth[node] >= 1 {
                late_pending = false;
                self.add_late(late, &late_step, &mut depth, &mut next, &mut queue);
                queue.push_front(node);
                continue;
            }
            let d = depth[node] + 1;
            let mut via_sets: Vec<u32> = self.into_node[node].to_vec();
            for &s in &self.member_of[node] {
                if !into_done[s as usize] {
                    into_done[s as usize] = true;
                    via_sets.extend(&self.into_set[s as usize]);
                }
            }
            for g in via_sets {
                let g = g as usize;
                let (single, set): (Option<usize>, &[u32]) = match self.grants[g].from {
                    End::Node(x) => (Some(x), &[]),
                    End::Set(s) => {
                        if from_done[s] {
                            continue;
                        }
                        from_done[s] = true;
                        (None, self.set(s))
                    }
                    End::Itself => continue,
                };
                for m in single.into_iter().chain(set.iter().map(|&m| m as usize)) {
                    if m != node && depth[m] == usize::MAX {
                        depth[m] = d;
                        next[m] = Some(Step::Grant {
                            grant: g,
                            from: m,
                            to: node,
                        });
                        queue.push_back(m);
                    }
                }
            }
        }
        Towards { depth, next }
    }

    fn add_late(
        &self,
        late: &[usize],
        late_step: &impl Fn(&Graph, usize) -> Option<Step>,
        depth: &mut [usize],
        next: &mut [Option<Step>],
        queue: &mut VecDeque<usize>,
    ) {
        for &m in late {
            if depth[m] == usize::MAX {
                depth[m] = 1;
                next[m] = late_step(self, m);
                queue.push_back(m);
            }
        }
    }
}

struct Walk<'w> {
    graph: &'w Graph,
    target: Target,
    limit: usize,
    distance: &'w [usize],
    on_path: &'w mut [bool],
    path: &'w mut Path,
    out: &'w mut Vec<Path>,
}

impl Walk<'_> {
    fn walk(&mut self, node: usize, hops_left: usize) {
        let g = self.graph;
        if self.out.len() >= self.limit {
            return;
        }
        if let Some(last) = g.reached(node, self.target) {
            // A final self-escalation is a hop too, and must fit in the budget.
            if last.is_none() || hops_left > 0 {
                let mut found = self.path.clone();
                found.extend(last);
                self.out.push(found);
            }
            return;
        }
        if hops_left == 0 {
            return;
        }
        self.on_path[node] = true;
        let mut steps = Vec::new();
        g.each_step(node, None, |s| steps.push(s));
        steps.extend(g.admin_step(node, self.target));
        for step in steps {
            let to = step.to();
            if self.on_path[to] || self.distance[to] > hops_left - 1 {
                continue;
            }
            self.path.push(g.hop(step));
            self.walk(to, hops_left - 1);
            self.path.pop();
        }
        self.on_path[node] = false;
    }
}
