//! What keys and answers do to the trust-graph screen.

use std::sync::Arc;

use crate::eval::PrincipalRef;
use crate::tui::action::{Command, Task};
use crate::tui::analysis::Request;
use crate::tui::app::{App, Screen};
use crate::tui::screens::step_within;

use super::{Crumb, EdgeRow, Side};

/// `:trust-graph` / `t`: the graph of `principal` (from the tree), built if needed.
pub fn open(app: &mut App, principal: Option<PrincipalRef>, fx: &mut Vec<Task>) {
    app.screen = Screen::TrustGraph;
    if let Some(p) = principal {
        app.trust.crumbs.clear();
        app.trust.node = None;
        match app.graph.ready() {
            Some(_) => show_principal(app, p),
            None => app.trust.pending = Some(p),
        }
    }
    crate::tui::update::ensure_graph(app, fx);
}

/// The graph became ready: show the principal waiting for it.
pub fn graph_ready(app: &mut App) {
    if let Some(p) = app.trust.pending.take() {
        show_principal(app, p);
    }
}

fn show_principal(app: &mut App, p: PrincipalRef) {
    let Some(graph) = app.graph.ready() else {
        return;
    };
    let node = graph.node_of(p);
    app.trust.crumbs.clear();
    show_node(app, node, Side::Inbound, [0, 0], false);
}

/// Puts `node` in the middle of the trust screen and lists its edges, with `side`
/// focused — or, unless `keep_side`, the other side when `side` has no edge.
pub fn show_node(app: &mut App, node: usize, side: Side, selected: [usize; 2], keep_side: bool) {
    let Some(graph) = app.graph.ready().map(Arc::clone) else {
        return;
    };
    let account = &app.model.account;
    let row = |e: &crate::graph::Edge, other: usize| EdgeRow {
        edge: e.clone(),
        other,
        label: graph.nodes[other].label(account),
        admin: graph.is_admin(other) || graph.can_self_escalate(other),
    };
    let mut inbound: Vec<EdgeRow> = graph
        .incoming(node)
        .iter()
        .map(|e| row(e, e.from))
        .collect();
    let mut outbound: Vec<EdgeRow> = graph.outgoing(node).map(|e| row(&e, e.to)).collect();
    let key = |r: &EdgeRow| (r.edge.from == r.edge.to, r.label.clone(), r.edge.kind);
    inbound.sort_by_key(key);
    outbound.sort_by_key(key);
    let t = &mut app.trust;
    t.node = Some(node);
    t.side = side;
    let empty = |s: Side| match s {
        Side::Inbound => inbound.is_empty(),
        Side::Outbound => outbound.is_empty(),
    };
    if empty(side) && !keep_side {
        t.side = match side {
            Side::Inbound if !outbound.is_empty() => Side::Outbound,
            Side::Outbound if !inbound.is_empty() => Side::Inbound,
            s => s,
        };
    }
    t.selected = [
        selected[0].min(inbound.len().saturating_sub(1)),
        selected[1].min(outbound.len().saturating_sub(1)),
    ];
    t.inbound = inbound;
    t.outbound = outbound;
    t.evidence = None;
    t.evidence_id = 0;
    t.admins = (0..graph.nodes.len())
        .filter(|&n| n != node && graph.nodes[n].is_internal())
        .filter(|&n| graph.is_admin(n) || graph.can_self_escalate(n))
        .count();
}

/// Enter: go to the other end of the selected edge, staying on the list followed.
fn follow_edge(app: &mut App) {
    let t = &app.trust;
    let (Some(node), Some(row)) = (t.node, t.selected_edge()) else {
        return;
    };
    if row.other == node {
        return;
    }
    let other = row.other;
    let side = t.side;
    let crumb = Crumb {
        node,
        side,
        selected: t.selected,
    };
    app.trust.crumbs.push(crumb);
    show_node(app, other, side, [0, 0], true);
}

/// Backspace: back to the previous principal.
fn back(app: &mut App) {
    if let Some(c) = app.trust.crumbs.pop() {
        show_node(app, c.node, c.side, c.selected, true);
    }
}

/// Moves the selection in the focused list.
pub fn vertical(app: &mut App, delta: isize) {
    let t = &mut app.trust;
    let (i, n) = match t.side {
        Side::Inbound => (0, t.inbound.len()),
        Side::Outbound => (1, t.outbound.len()),
    };
    t.selected[i] = step_within(t.selected[i], delta, n);
}

/// The commands the trust screen handles itself; false for the others.
pub fn command(app: &mut App, cmd: Command) -> bool {
    match cmd {
        Command::Left | Command::Right => {
            let t = &mut app.trust;
            let side = if cmd == Command::Left {
                Side::Inbound
            } else {
                Side::Outbound
            };
            let empty = match side {
                Side::Inbound => t.inbound.is_empty(),
                Side::Outbound => t.outbound.is_empty(),
            };
            if !empty {
                t.side = side;
            }
        }
        Command::Open => follow_edge(app),
        Command::JumpBack => back(app),
        _ => return false,
    }
    true
}

/// Asks for the evidence of the selected edge when nobody has yet.
pub fn sync_evidence(app: &mut App, fx: &mut Vec<Task>) {
    if app.trust.evidence.is_none() && app.trust.evidence_id == 0 {
        if let Some(row) = app.trust.selected_edge() {
            let edge = row.edge.clone();
            let id = app.new_id();
            app.trust.evidence_id = id;
            fx.push(Task::Analyze(Request::Evidence { id, edge }));
        }
    }
}
