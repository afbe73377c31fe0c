//! What keys and answers do to the blast-radius screen.

use crate::eval::PrincipalRef;
use crate::model::EntityRef;
use crate::query::blast::BlastRadius;
use crate::tui::action::{Command, Task};
use crate::tui::analysis::Request;
use crate::tui::app::{App, Screen};
use crate::tui::screens::step_within;

use super::BlastCrumb;

/// `:blast` / `b`: the radius of `principal` (the tree's selection), built on the
/// graph (started if needed). Without a principal, the last one shown stays.
pub fn open(app: &mut App, principal: Option<PrincipalRef>, fx: &mut Vec<Task>) {
    app.screen = Screen::Blast;
    if let Some(p) = principal {
        app.blast.crumbs.clear();
        show(app, p, 0, fx);
    }
    crate::tui::update::ensure_graph(app, fx);
}

fn show(app: &mut App, p: PrincipalRef, selected: usize, fx: &mut Vec<Task>) {
    let b = &mut app.blast;
    b.principal = Some(p);
    b.answer = None;
    b.selected = selected;
    b.scroll = 0;
    b.pending = true;
    request(app, fx);
}

/// Sends the request once the graph is ready.
fn request(app: &mut App, fx: &mut Vec<Task>) {
    let Some(p) = app.blast.principal else {
        return;
    };
    if !app.blast.pending || app.graph.ready().is_none() || !app.who_can_available {
        return;
    }
    let id = app.new_id();
    app.blast.pending = false;
    app.blast.request_id = id;
    fx.push(Task::Analyze(Request::Blast { id, principal: p }));
}

/// The graph became ready.
pub fn graph_ready(app: &mut App, fx: &mut Vec<Task>) {
    request(app, fx);
}

/// An answer arrived.
pub fn answered(app: &mut App, id: u64, answer: Box<BlastRadius>) {
    let b = &mut app.blast;
    if id == b.request_id {
        b.selected = b.selected.min(answer.reached.len().saturating_sub(1));
        b.answer = Some(answer);
        b.request_id = 0;
    }
}

/// The principal an ARN of the account names.
fn principal_of(app: &App, arn: &str) -> Option<PrincipalRef> {
    match app.model.account.by_arn(arn)? {
        EntityRef::User(u) => Some(PrincipalRef::User(u)),
        EntityRef::Role(r) => Some(PrincipalRef::Role(r)),
        _ => None,
    }
}

/// Moves the selection.
pub fn vertical(app: &mut App, delta: isize) {
    let b = &mut app.blast;
    let n = b.answer.as_ref().map_or(0, |a| a.reached.len());
    let before = b.selected;
    b.selected = step_within(b.selected, delta, n);
    if b.selected != before {
        b.scroll = 0;
    }
}

/// Enter: open the selected principal's own radius, keeping the way as crumbs.
fn follow(app: &mut App, fx: &mut Vec<Task>) {
    let b = &app.blast;
    let (Some(current), Some(answer)) = (b.principal, b.answer.as_ref()) else {
        return;
    };
    let Some(row) = answer.reached.get(b.selected) else {
        return;
    };
    if row.hops == 0 {
        return;
    }
    let Some(next) = principal_of(app, &row.principal) else {
        return;
    };
    let crumb = BlastCrumb {
        principal: current,
        selected: app.blast.selected,
    };
    app.blast.crumbs.push(crumb);
    show(app, next, 0, fx);
}

/// The principal shown, for the commands that start from it (paths, can, trust).
pub fn current(app: &App) -> Option<PrincipalRef> {
    app.blast.principal
}

/// The commands the blast screen handles itself; false for the others.
pub fn command(app: &mut App, cmd: Command, fx: &mut Vec<Task>) -> bool {
    match cmd {
        Command::Open | Command::Right => follow(app, fx),
        Command::JumpBack | Command::Left => {
            if let Some(c) = app.blast.crumbs.pop() {
                show(app, c.principal, c.selected, fx);
            }
        }
        Command::HalfPageDown | Command::PageDown => {
            app.blast.scroll = app.blast.scroll.saturating_add(app.size.1 as usize / 2);
        }
        Command::HalfPageUp | Command::PageUp => {
            app.blast.scroll = app.blast.scroll.saturating_sub(app.size.1 as usize / 2);
        }
        _ => return false,
    }
    true
}
