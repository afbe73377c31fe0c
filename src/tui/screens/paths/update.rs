//! What keys and answers do to the paths screen.

use crate::eval::PrincipalRef;
use crate::query::paths_to::{PathsAnswer, ReplayedRequest};
use crate::tui::action::{InputKey, Task};
use crate::tui::analysis::{PathsGoal, Request};
use crate::tui::app::{App, Screen};
use crate::tui::screens::edit;

/// Reads the target field: empty or `admin`; `ACTION [RESOURCE]` (an action has a
/// colon and is not an ARN); otherwise a principal's name or ARN.
pub fn parse_goal(text: &str) -> PathsGoal {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("admin") {
        return PathsGoal::Admin;
    }
    let mut words = text.split_whitespace();
    let first = words.next().unwrap_or_default();
    if first.contains(':') && !first.starts_with("arn:") {
        return PathsGoal::CanDo {
            action: first.to_string(),
            resource: words.next().unwrap_or("*").to_string(),
        };
    }
    PathsGoal::Named(text.to_string())
}

/// `:paths`: paths from `principal` (the tree's selection, or the one the blast screen
/// shows) to the target field (`admin` at first).
pub fn open(app: &mut App, principal: Option<PrincipalRef>, fx: &mut Vec<Task>) {
    app.screen = Screen::Paths;
    if let Some(p) = principal {
        app.paths.from = Some(p);
        send(app, fx);
    }
    crate::tui::update::ensure_graph(app, fx);
}

/// Asks for the paths of the current fields (when the graph is ready; else once it is).
pub fn send(app: &mut App, fx: &mut Vec<Task>) {
    let Some(from) = app.paths.from else {
        return;
    };
    let p = &mut app.paths;
    p.edited = false;
    p.trace_open = false;
    p.replay = None;
    p.selected = (0, 0);
    if app.graph.ready().is_none() || !app.who_can_available {
        p.pending = true;
        return;
    }
    p.pending = false;
    let goal = parse_goal(&p.target);
    let depth = p.depth;
    let context = app.context.context();
    let id = app.new_id();
    app.paths.request_id = id;
    app.paths.answer = None;
    fx.push(Task::Analyze(Request::Paths {
        id,
        from,
        goal,
        depth,
        context,
    }));
}

/// The graph became ready.
pub fn graph_ready(app: &mut App, fx: &mut Vec<Task>) {
    if app.paths.pending {
        send(app, fx);
    }
}

/// Paths arrived.
pub fn answered(app: &mut App, id: u64, answer: Result<Box<PathsAnswer>, String>) {
    if id == app.paths.request_id {
        app.paths.answer = Some(answer);
        app.paths.request_id = 0;
    }
}

/// A hop's replay arrived.
pub fn replayed(app: &mut App, id: u64, requests: Vec<ReplayedRequest>) {
    if id == app.paths.replay_id {
        app.paths.replay = Some(requests);
        app.paths.replay_id = 0;
    }
}

/// Every (path, hop) of the answer, in order.
pub fn hops(app: &App) -> Vec<(usize, usize)> {
    app.paths
        .found()
        .map(|a| {
            a.paths
                .iter()
                .enumerate()
                .flat_map(|(i, p)| (0..p.len()).map(move |j| (i, j)))
                .collect()
        })
        .unwrap_or_default()
}

/// Moves the selection hop by hop across paths, or scrolls the replay.
pub fn vertical(app: &mut App, delta: isize) {
    if app.paths.trace_open {
        let p = &mut app.paths;
        p.trace_scroll = p.trace_scroll.saturating_add_signed(delta);
        return;
    }
    let all = hops(app);
    let at = all
        .iter()
        .position(|&h| h == app.paths.selected)
        .unwrap_or(0);
    let next = crate::tui::screens::step_within(at, delta, all.len());
    if let Some(&h) = all.get(next) {
        app.paths.selected = h;
    }
}

/// Enter on a hop: replay its requests.
fn replay(app: &mut App, fx: &mut Vec<Task>) {
    let (i, j) = app.paths.selected;
    let Some(edge) = app
        .paths
        .found()
        .and_then(|a| a.edges.get(i))
        .and_then(|p| p.get(j))
        .cloned()
    else {
        return;
    };
    let id = app.new_id();
    let p = &mut app.paths;
    p.trace_open = true;
    p.trace_scroll = 0;
    p.replay = None;
    p.replay_id = id;
    fx.push(Task::Analyze(Request::Replay { id, edge }));
}

/// A key typed on the paths screen: the target field, Enter (search, or replay the
/// selected hop), Ctrl-e (every path up to 4, 6, 8 hops, then the shortest again),
/// Ctrl-k (context), arrows.
pub fn input(app: &mut App, key: InputKey, fx: &mut Vec<Task>) {
    let page = (app.size.1 as isize / 2).max(1);
    match key {
        InputKey::Context => crate::tui::screens::context::update::open(app),
        InputKey::Cancel if app.paths.trace_open => app.paths.trace_open = false,
        InputKey::Cancel => app.screen = Screen::Explorer,
        InputKey::Prev => vertical(app, -1),
        InputKey::Next => vertical(app, 1),
        InputKey::PageUp => vertical(app, -page),
        InputKey::PageDown => vertical(app, page),
        InputKey::Toggle => {
            app.paths.depth = app.paths.next_depth();
            send(app, fx);
        }
        InputKey::Accept if app.paths.trace_open => app.paths.trace_open = false,
        InputKey::Accept => {
            if app.paths.edited || app.paths.answer.is_none() {
                send(app, fx);
            } else {
                replay(app, fx);
            }
        }
        k => {
            if edit(&mut app.paths.target, k) {
                app.paths.edited = true;
            }
        }
    }
}
