//! The pure state transition: `update(app, action)` changes the [`App`] and returns
//! the [`Effect`]s the event loop must start. No I/O, no clock, no terminal.

use crate::catalog::Catalog;
use crate::load::Input;

use std::sync::Arc;

use crate::eval::PrincipalRef;

use super::action::{Action, Command, Effect, InputKey, MouseKind};
use super::analysis::Request;
use super::app::{
    App, Crumb, EdgeRow, GraphState, Overlay, Pane, Screen, Side, WhoCanField, WhoCanStatus,
};
use super::layout::inner;
use super::search::filter_commands;
use super::tree::Target;

/// Ticks (about 50 ms each) of quiet typing before a who-can request is sent.
pub const DEBOUNCE_TICKS: u8 = 3;
/// Most search results shown.
pub const SEARCH_LIMIT: usize = 200;
/// Most action completions shown.
pub const COMPLETION_LIMIT: usize = 8;
/// Lines moved by one wheel step.
pub const WHEEL_LINES: usize = 3;

/// Applies `action` to `app`; returns the work to start in the background.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let mut fx = Vec::new();
    let before = trust_key(app);
    match action {
        Action::Command(c) => command(app, c, &mut fx),
        Action::Input(k) => input(app, k, &mut fx),
        Action::Mouse(kind, x, y) => mouse(app, kind, x, y, &mut fx),
        Action::Resize(w, h) => {
            app.size = (w, h);
            clamp_details(app);
        }
        Action::Tick => tick(app, &mut fx),
        Action::WhoCanResults { id, rows } => {
            if id == app.who_can.last_id && app.who_can.status == WhoCanStatus::Computing(id) {
                app.who_can.rows = rows;
                app.who_can.rows_id = id;
                app.who_can.selected = 0;
                app.who_can.status = WhoCanStatus::Done;
            }
        }
        Action::WhoCanStatements { id, statements } => {
            if id == app.who_can.rows_id {
                for (i, s) in statements {
                    if let Some(row) = app.who_can.rows.get_mut(i) {
                        row.detail = Some(s);
                    }
                }
            }
        }
        Action::Explained { id, explanation } => {
            let w = &mut app.who_can;
            if id == w.explain_id {
                w.explanation = Some(explanation);
                if w.can_mode() && w.status == WhoCanStatus::Computing(id) {
                    w.status = WhoCanStatus::Done;
                }
            }
        }
        Action::Evidence { id, evidence } => {
            if id == app.trust.evidence_id {
                app.trust.evidence = Some(evidence);
            }
        }
        Action::GraphReady { generation, graph } => {
            if generation == app.generation {
                app.graph = GraphState::Ready(graph);
                if let Some(p) = app.trust.pending.take() {
                    show_principal(app, p);
                }
                if app.who_can.escalation && !app.who_can.can_mode() {
                    send_who_can(app, &mut fx);
                }
            }
        }
        Action::Loaded(Ok(model)) => {
            let source = model.account.source.clone();
            app.set_model(*model);
            app.loading = None;
            app.status = Some(format!("opened {source}"));
        }
        Action::Loaded(Err(e)) => {
            app.loading = None;
            app.status = Some(format!("could not open: {e}"));
        }
    }
    let after = trust_key(app);
    if after != before {
        app.trust.evidence = None;
        app.trust.evidence_id = 0;
    }
    sync_requests(app, &mut fx);
    fx
}

/// What the evidence shown is for: node, side, selected row.
fn trust_key(app: &App) -> (Option<usize>, Side, [usize; 2]) {
    (app.trust.node, app.trust.side, app.trust.selected)
}

fn tree_page(app: &App) -> usize {
    (inner(app.areas().tree).height as usize).max(1)
}

fn details_page(app: &App) -> usize {
    (inner(app.areas().details).height as usize).max(1)
}

/// The largest useful details scroll: the first line from which the rest fits on the
/// page once wrapped. Wrapping is estimated a little pessimistically (words move
/// whole to the next row), so the last line is always reachable.
pub fn details_max_scroll(app: &App) -> usize {
    let area = inner(app.areas().details);
    let width = (area.width as usize).saturating_sub(6).max(1);
    let mut rows = 0;
    for (i, line) in app.details.iter().enumerate().rev() {
        rows += line.width().div_ceil(width).max(1);
        if rows > area.height as usize {
            return i + 1;
        }
    }
    0
}

fn clamp_details(app: &mut App) {
    app.details_scroll = app.details_scroll.min(details_max_scroll(app));
}

/// Moves the tree cursor by `delta` lines, clamped.
fn move_cursor(app: &mut App, delta: isize) {
    if app.visible.is_empty() {
        return;
    }
    let last = app.visible.len() - 1;
    app.cursor = app.cursor.saturating_add_signed(delta).min(last);
    app.sync_selection();
}

fn scroll_details(app: &mut App, delta: isize) {
    app.details_scroll = app.details_scroll.saturating_add_signed(delta);
    clamp_details(app);
}

/// `index` moved by `delta`, kept within a list of `len` items.
fn step_within(index: usize, delta: isize, len: usize) -> usize {
    index
        .saturating_add_signed(delta)
        .min(len.saturating_sub(1))
}

/// Moves the selection or scrolls, in whatever has the focus.
fn vertical(app: &mut App, delta: isize) {
    match (app.overlay, app.screen, app.focus) {
        (Overlay::Help, _, _) => {
            app.help_scroll = app.help_scroll.saturating_add_signed(delta);
        }
        (Overlay::Samples, _, _) => {
            app.samples.selected =
                step_within(app.samples.selected, delta, app.samples.samples.len());
        }
        (Overlay::Search, _, _) => {
            app.search.selected = step_within(app.search.selected, delta, app.search.hits.len());
        }
        (Overlay::Palette, _, _) => {
            app.palette.selected =
                step_within(app.palette.selected, delta, app.palette.items.len());
        }
        (Overlay::None, Screen::WhoCan, _) => {
            let w = &mut app.who_can;
            if w.trace_open || w.can_mode() {
                let n = w.explanation.as_ref().map_or(0, |e| e.steps.len() + 4);
                w.trace_scroll = w
                    .trace_scroll
                    .saturating_add_signed(delta)
                    .min(n.saturating_sub(1));
            } else {
                let n = w.rows.len();
                w.selected = w
                    .selected
                    .saturating_add_signed(delta)
                    .min(n.saturating_sub(1));
            }
        }
        (Overlay::None, Screen::TrustGraph, _) => {
            let t = &mut app.trust;
            let (i, n) = match t.side {
                Side::Inbound => (0, t.inbound.len()),
                Side::Outbound => (1, t.outbound.len()),
            };
            t.selected[i] = t.selected[i]
                .saturating_add_signed(delta)
                .min(n.saturating_sub(1));
        }
        (Overlay::None, Screen::Explorer, Pane::Tree) => move_cursor(app, delta),
        (Overlay::None, Screen::Explorer, Pane::Details) => scroll_details(app, delta),
    }
}

fn page(app: &App) -> isize {
    match (app.overlay, app.focus) {
        (Overlay::None, Pane::Tree) => tree_page(app) as isize,
        _ => details_page(app) as isize,
    }
}

/// Follows a link node to the entity it names, remembering where we were.
fn follow(app: &mut App, node: super::tree::NodeId) -> bool {
    let n = app.model.tree.node(node);
    if !n.link {
        return false;
    }
    let Some(target) = app.model.tree.primary(n.target) else {
        return false;
    };
    app.history.push(node);
    app.reveal(target);
    true
}

fn open_selected(app: &mut App) {
    let Some(node) = app.selected() else {
        return;
    };
    if follow(app, node) {
        return;
    }
    if app.model.tree.node(node).children.is_empty() {
        app.focus = Pane::Details;
    } else if app.opened.contains(&node) {
        app.close(node);
    } else {
        app.open(node);
    }
    app.sync_selection();
}

fn command(app: &mut App, cmd: Command, fx: &mut Vec<Effect>) {
    match cmd {
        Command::Quit => app.should_quit = true,
        Command::Back => {
            if app.overlay != Overlay::None {
                app.overlay = Overlay::None;
            } else if app.screen != Screen::Explorer {
                app.screen = Screen::Explorer;
            } else if app.focus == Pane::Details {
                app.focus = Pane::Tree;
            } else {
                app.should_quit = true;
            }
        }
        Command::Up => vertical(app, -1),
        Command::Down => vertical(app, 1),
        Command::HalfPageDown => vertical(app, (page(app) / 2).max(1)),
        Command::HalfPageUp => vertical(app, -(page(app) / 2).max(1)),
        Command::PageDown => vertical(app, page(app)),
        Command::PageUp => vertical(app, -page(app)),
        Command::Top => vertical(app, isize::MIN / 2),
        Command::Bottom => vertical(app, isize::MAX / 2),
        Command::Left | Command::Right
            if app.overlay == Overlay::None && app.screen == Screen::TrustGraph =>
        {
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
        Command::Left => {
            if app.overlay != Overlay::None || app.screen != Screen::Explorer {
                return;
            }
            if app.focus == Pane::Details {
                app.focus = Pane::Tree;
                return;
            }
            let Some(node) = app.selected() else {
                return;
            };
            if app.opened.contains(&node) {
                app.close(node);
            } else if let Some(parent) = app.model.tree.node(node).parent {
                app.reveal(parent);
            }
            app.sync_selection();
        }
        Command::Right => {
            if app.overlay != Overlay::None
                || app.screen != Screen::Explorer
                || app.focus != Pane::Tree
            {
                return;
            }
            let Some(node) = app.selected() else {
                return;
            };
            let first = app.model.tree.node(node).children.first().copied();
            match first {
                Some(child) if app.opened.contains(&node) => app.reveal(child),
                Some(_) => app.open(node),
                None => {}
            }
            app.sync_selection();
        }
        Command::Open => match (app.overlay, app.screen) {
            (Overlay::Samples, _) => {
                if let Some((name, _)) = app.samples.samples.get(app.samples.selected).cloned() {
                    app.overlay = Overlay::None;
                    app.loading = Some(format!("sample:{name}"));
                    fx.push(Effect::Load(Input::Sample(name)));
                }
            }
            (Overlay::Help, _) => app.overlay = Overlay::None,
            (Overlay::None, Screen::Explorer) if app.focus == Pane::Tree => open_selected(app),
            (Overlay::None, Screen::TrustGraph) => follow_edge(app),
            _ => {}
        },
        Command::JumpBack if app.overlay == Overlay::None && app.screen == Screen::TrustGraph => {
            trust_back(app);
        }
        Command::JumpBack => {
            if let Some(node) = app.history.pop() {
                app.screen = Screen::Explorer;
                app.overlay = Overlay::None;
                app.reveal(node);
            }
        }
        Command::NextPane | Command::PrevPane => {
            if app.overlay == Overlay::None && app.screen == Screen::Explorer {
                app.focus = match app.focus {
                    Pane::Tree => Pane::Details,
                    Pane::Details => Pane::Tree,
                };
            }
        }
        Command::Search => {
            app.overlay = Overlay::Search;
            app.search.query.clear();
            app.search.narrowing.clear();
            refresh_search(app);
        }
        Command::Palette => {
            app.overlay = Overlay::Palette;
            app.palette.query.clear();
            app.palette.items = filter_commands("");
            app.palette.selected = 0;
        }
        Command::Help => {
            app.overlay = if app.overlay == Overlay::Help {
                Overlay::None
            } else {
                Overlay::Help
            };
            app.help_scroll = 0;
        }
        Command::Samples => {
            app.overlay = Overlay::Samples;
            app.samples.samples = crate::samples::all()
                .iter()
                .map(|s| (s.name.to_string(), s.description()))
                .collect();
            let current = app
                .model
                .account
                .source
                .strip_prefix("sample:")
                .map(str::to_string);
            app.samples.selected = app
                .samples
                .samples
                .iter()
                .position(|(n, _)| Some(n) == current.as_ref())
                .unwrap_or(0);
        }
        Command::WhoCan => {
            app.overlay = Overlay::None;
            app.screen = Screen::WhoCan;
            let was_can = app.who_can.can_mode();
            app.who_can.principal.clear();
            app.who_can.trace_open = false;
            if app.who_can.field == WhoCanField::Principal {
                app.who_can.field = WhoCanField::Action;
            }
            refresh_completions(app);
            if was_can {
                send_who_can(app, fx);
            }
        }
        Command::Can => {
            app.overlay = Overlay::None;
            let from_tree = app.screen == Screen::Explorer;
            app.screen = Screen::WhoCan;
            let w = &mut app.who_can;
            w.trace_open = false;
            w.trace_scroll = 0;
            match selected_principal(app).filter(|_| from_tree) {
                Some(p) => {
                    let acc = &app.model.account;
                    app.who_can.principal = match p {
                        PrincipalRef::User(u) => format!("user/{}", acc.user(u).common.name),
                        PrincipalRef::Role(r) => format!("role/{}", acc.role(r).common.name),
                    };
                    app.who_can.field = if app.who_can.action.trim().is_empty() {
                        WhoCanField::Action
                    } else {
                        WhoCanField::Resource
                    };
                }
                None => app.who_can.field = WhoCanField::Principal,
            }
            refresh_completions(app);
            send_who_can(app, fx);
        }
        Command::TrustGraph => {
            app.overlay = Overlay::None;
            let from_tree = app.screen == Screen::Explorer;
            app.screen = Screen::TrustGraph;
            if let Some(p) = selected_principal(app).filter(|_| from_tree) {
                app.trust.crumbs.clear();
                app.trust.node = None;
                match app.graph.ready() {
                    Some(_) => show_principal(app, p),
                    None => app.trust.pending = Some(p),
                }
            }
            ensure_graph(app, fx);
        }
        Command::ExpandAll => {
            let parents: Vec<_> = (0..app.model.tree.nodes.len() as u32)
                .filter(|&n| !app.model.tree.node(n).children.is_empty())
                .collect();
            for n in parents {
                if app.opened.insert(n) {
                    app.tree_state.open(app.model.tree.path(n));
                }
            }
            app.recompute_visible();
            app.sync_selection();
        }
        Command::CollapseAll => {
            let root = app.selected().map(|n| app.model.tree.path(n)[0]);
            app.opened.clear();
            app.tree_state.close_all();
            app.recompute_visible();
            if let Some(root) = root {
                app.reveal(root);
            }
        }
    }
}

fn refresh_search(app: &mut App) {
    let q = app.search.query.clone();
    let st = &mut app.search;
    while st
        .narrowing
        .last()
        .is_some_and(|(prev, _)| !q.starts_with(prev.as_str()))
    {
        st.narrowing.pop();
    }
    let within = st
        .narrowing
        .last()
        .filter(|(prev, _)| !prev.trim().is_empty())
        .map(|(_, m)| m.as_slice());
    let (hits, matched) = app.model.search.query(&q, SEARCH_LIMIT, within);
    st.hits = hits;
    st.matched.clone_from(&matched);
    if st.narrowing.last().is_none_or(|(prev, _)| *prev != q) {
        st.narrowing.push((q, matched));
    }
    st.selected = 0;
}

fn refresh_completions(app: &mut App) {
    let w = &mut app.who_can;
    w.completions = if w.action.trim().is_empty() {
        Vec::new()
    } else {
        Catalog::get()
            .complete(&w.action, COMPLETION_LIMIT)
            .iter()
            .map(|a| a.full_name())
            .collect()
    };
    let exact = w.completions.len() == 1 && w.completions[0].eq_ignore_ascii_case(w.action.trim());
    w.popup = !w.completions.is_empty() && !exact && w.field == WhoCanField::Action;
    w.completion = w.popup.then_some(0);
}

/// The who-can fields changed: (re)start the debounce.
fn who_can_edited(app: &mut App) {
    if app.who_can.field == WhoCanField::Action {
        refresh_completions(app);
    }
    if app.who_can_available {
        app.who_can.debounce = Some(DEBOUNCE_TICKS);
        app.who_can.status = WhoCanStatus::Typing;
    }
}

fn send_who_can(app: &mut App, fx: &mut Vec<Effect>) {
    app.who_can.debounce = None;
    if !app.who_can_available {
        app.who_can.status = WhoCanStatus::Unavailable;
        return;
    }
    let action = app.who_can.action.trim().to_string();
    if action.is_empty() {
        let w = &mut app.who_can;
        w.status = WhoCanStatus::Idle;
        w.rows.clear();
        w.explanation = None;
        return;
    }
    let resource = match app.who_can.resource.trim() {
        "" => "*".to_string(),
        r => r.to_string(),
    };
    let id = app.new_id();
    let w = &mut app.who_can;
    w.last_id = id;
    w.status = WhoCanStatus::Computing(id);
    if w.can_mode() {
        w.explain_id = id;
        fx.push(Effect::Analyze(Request::Explain {
            id,
            principal: w.principal.trim().to_string(),
            action,
            resource,
        }));
    } else {
        let escalation = w.escalation;
        fx.push(Effect::Analyze(Request::WhoCan {
            id,
            action,
            resource,
            escalation,
        }));
        if escalation {
            ensure_graph(app, fx);
        }
    }
}

/// Starts building the graph if nobody has yet.
fn ensure_graph(app: &mut App, fx: &mut Vec<Effect>) {
    if matches!(app.graph, GraphState::NotBuilt) && app.who_can_available {
        app.graph = GraphState::Building;
        fx.push(Effect::BuildGraph {
            generation: app.generation,
        });
    }
}

/// The user or role the tree selection stands for (a role's trust node counts).
fn selected_principal(app: &App) -> Option<PrincipalRef> {
    match app.model.tree.node(app.selected()?).target {
        Target::User(u) => Some(PrincipalRef::User(u)),
        Target::Role(r) | Target::Trust(r) => Some(PrincipalRef::Role(r)),
        _ => None,
    }
}

fn show_principal(app: &mut App, p: PrincipalRef) {
    let Some(graph) = app.graph.ready() else {
        return;
    };
    let node = graph.node_of(p);
    app.trust.crumbs.clear();
    show_node(app, node, Side::Inbound, [0, 0]);
}

/// Puts `node` in the middle of the trust screen and lists its edges.
pub fn show_node(app: &mut App, node: usize, side: Side, selected: [usize; 2]) {
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
    if inbound.is_empty() && !outbound.is_empty() {
        t.side = Side::Outbound;
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

/// Enter on the trust screen: go to the other end of the selected edge.
fn follow_edge(app: &mut App) {
    let t = &app.trust;
    let (Some(node), Some(row)) = (t.node, t.selected_edge()) else {
        return;
    };
    if row.other == node {
        return;
    }
    let other = row.other;
    let crumb = Crumb {
        node,
        side: t.side,
        selected: t.selected,
    };
    app.trust.crumbs.push(crumb);
    show_node(app, other, Side::Inbound, [0, 0]);
}

/// Backspace on the trust screen: back to the previous principal.
fn trust_back(app: &mut App) {
    if let Some(c) = app.trust.crumbs.pop() {
        show_node(app, c.node, c.side, c.selected);
    }
}

/// Asks for what the screen shows but nobody has computed yet: the evidence of the
/// selected trust edge, the deciding statements of the who-can rows in view.
fn sync_requests(app: &mut App, fx: &mut Vec<Effect>) {
    if app.overlay != Overlay::None || !app.who_can_available {
        return;
    }
    match app.screen {
        Screen::TrustGraph => {
            if app.trust.evidence.is_none() && app.trust.evidence_id == 0 {
                if let Some(row) = app.trust.selected_edge() {
                    let edge = row.edge.clone();
                    let id = app.new_id();
                    app.trust.evidence_id = id;
                    fx.push(Effect::Analyze(Request::Evidence { id, edge }));
                }
            }
        }
        Screen::WhoCan => {
            let w = &mut app.who_can;
            if w.status != WhoCanStatus::Done || w.can_mode() || w.trace_open {
                return;
            }
            let h = app.size.1 as usize;
            let start = w.selected.saturating_sub(h);
            let end = (w.selected + h).min(w.rows.len());
            let mut rows = Vec::new();
            for i in start..end {
                if w.rows[i].detail.is_none() {
                    w.rows[i].detail = Some(String::new());
                    rows.push((i, w.rows[i].principal_arn.clone()));
                }
            }
            if !rows.is_empty() {
                fx.push(Effect::Analyze(Request::Statements {
                    id: w.rows_id,
                    action: w.action.trim().to_string(),
                    resource: match w.resource.trim() {
                        "" => "*".to_string(),
                        r => r.to_string(),
                    },
                    rows,
                }));
            }
        }
        Screen::Explorer => {}
    }
}

fn tick(app: &mut App, fx: &mut Vec<Effect>) {
    match app.who_can.debounce {
        Some(n) if n <= 1 => send_who_can(app, fx),
        Some(n) => app.who_can.debounce = Some(n - 1),
        None => {}
    }
}

fn edit(text: &mut String, key: InputKey) -> bool {
    match key {
        InputKey::Char(c) => text.push(c),
        InputKey::Backspace => return text.pop().is_some(),
        InputKey::Clear => {
            let changed = !text.is_empty();
            text.clear();
            return changed;
        }
        _ => return false,
    }
    true
}

fn input(app: &mut App, key: InputKey, fx: &mut Vec<Effect>) {
    match app.overlay {
        Overlay::Search => match key {
            InputKey::Cancel => app.overlay = Overlay::None,
            InputKey::Prev | InputKey::BackTab => vertical(app, -1),
            InputKey::Next | InputKey::Tab => vertical(app, 1),
            InputKey::Accept => {
                if let Some(hit) = app.search.hits.get(app.search.selected) {
                    let node = app.model.search.entries[hit.entry].node;
                    if let Some(from) = app.selected() {
                        app.history.push(from);
                    }
                    app.overlay = Overlay::None;
                    app.screen = Screen::Explorer;
                    app.focus = Pane::Tree;
                    app.reveal(node);
                    if !app.model.tree.node(node).children.is_empty() {
                        app.open(node);
                    }
                }
            }
            k => {
                if edit(&mut app.search.query, k) {
                    refresh_search(app);
                }
            }
        },
        Overlay::Palette => match key {
            InputKey::Cancel => app.overlay = Overlay::None,
            InputKey::Prev | InputKey::BackTab => vertical(app, -1),
            InputKey::Next | InputKey::Tab => vertical(app, 1),
            InputKey::Accept => {
                let cmd = app.palette.items.get(app.palette.selected).copied();
                app.overlay = Overlay::None;
                if let Some(cmd) = cmd {
                    command(app, cmd, fx);
                }
            }
            k => {
                if edit(&mut app.palette.query, k) {
                    let q = app
                        .palette
                        .query
                        .strip_prefix(':')
                        .unwrap_or(&app.palette.query);
                    app.palette.items = filter_commands(q);
                    app.palette.selected = 0;
                }
            }
        },
        Overlay::None if app.screen == Screen::WhoCan => who_can_input(app, key, fx),
        _ => {}
    }
}

fn who_can_input(app: &mut App, key: InputKey, fx: &mut Vec<Effect>) {
    let page = (app.size.1 as isize / 2).max(1);
    let w = &mut app.who_can;
    if w.trace_open {
        match key {
            InputKey::Cancel | InputKey::Accept => w.trace_open = false,
            InputKey::Prev => vertical(app, -1),
            InputKey::Next => vertical(app, 1),
            InputKey::PageUp => vertical(app, -page),
            InputKey::PageDown => vertical(app, page),
            _ => {}
        }
        return;
    }
    match key {
        InputKey::Cancel => {
            if w.popup {
                w.popup = false;
                w.completion = None;
            } else {
                app.screen = Screen::Explorer;
            }
        }
        InputKey::Prev | InputKey::Next => {
            let delta = if key == InputKey::Prev { -1 } else { 1 };
            if w.popup {
                let n = w.completions.len();
                let cur = w.completion.unwrap_or(0);
                w.completion = Some(cur.saturating_add_signed(delta).min(n.saturating_sub(1)));
            } else {
                vertical(app, delta);
            }
        }
        InputKey::PageUp => vertical(app, -page),
        InputKey::PageDown => vertical(app, page),
        InputKey::Toggle => {
            w.escalation = !w.escalation;
            if !w.can_mode() {
                send_who_can(app, fx);
            }
        }
        InputKey::Tab | InputKey::Accept if w.popup => {
            if let Some(c) = w.completion.and_then(|i| w.completions.get(i)).cloned() {
                w.action = c;
            }
            w.popup = false;
            w.completion = None;
            who_can_edited(app);
            app.who_can.popup = false;
            app.who_can.completion = None;
            if key == InputKey::Tab {
                app.who_can.field = WhoCanField::Resource;
            }
        }
        InputKey::Tab => {
            w.field = w.field.next();
            w.popup = false;
        }
        InputKey::BackTab => {
            w.field = w.field.prev();
            w.popup = false;
        }
        InputKey::Accept => {
            let ready = w.status == WhoCanStatus::Done && w.debounce.is_none();
            match w.rows.get(w.selected) {
                Some(row) if ready && !w.can_mode() => {
                    let principal = row.principal_arn.clone();
                    let action = w.action.trim().to_string();
                    let resource = match w.resource.trim() {
                        "" => "*".to_string(),
                        r => r.to_string(),
                    };
                    let id = app.new_id();
                    let w = &mut app.who_can;
                    w.trace_open = true;
                    w.trace_scroll = 0;
                    w.explanation = None;
                    w.explain_id = id;
                    fx.push(Effect::Analyze(Request::Explain {
                        id,
                        principal,
                        action,
                        resource,
                    }));
                }
                _ => send_who_can(app, fx),
            }
        }
        k => {
            let text = match w.field {
                WhoCanField::Action => &mut w.action,
                WhoCanField::Resource => &mut w.resource,
                WhoCanField::Principal => &mut w.principal,
            };
            if edit(text, k) {
                if w.field == WhoCanField::Principal && !w.can_mode() {
                    w.explanation = None;
                }
                who_can_edited(app);
            }
        }
    }
}

fn mouse(app: &mut App, kind: MouseKind, x: u16, y: u16, _fx: &mut [Effect]) {
    let delta = match kind {
        MouseKind::ScrollUp => -(WHEEL_LINES as isize),
        MouseKind::ScrollDown => WHEEL_LINES as isize,
        MouseKind::Click => 0,
    };
    if app.overlay != Overlay::None || app.screen != Screen::Explorer {
        if delta != 0 {
            vertical(app, delta.signum());
        }
        return;
    }
    let a = app.areas();
    let pos = ratatui::layout::Position::new(x, y);
    if a.tree.contains(pos) {
        app.focus = Pane::Tree;
        if kind == MouseKind::Click {
            let inside = inner(a.tree);
            if !inside.contains(pos) {
                return;
            }
            let index = app.tree_state.get_offset() + (y - inside.y) as usize;
            if index == app.cursor {
                open_selected(app);
            } else if index < app.visible.len() {
                app.cursor = index;
                app.sync_selection();
            }
        } else {
            move_cursor(app, delta);
        }
    } else if a.details.contains(pos) {
        app.focus = Pane::Details;
        scroll_details(app, delta);
    }
}
