//! What keys and the mouse do to the tree and the details pane.

use crate::eval::PrincipalRef;
use crate::tui::action::{Command, MouseKind};
use crate::tui::app::{App, Pane};
use crate::tui::layout::inner;
use crate::tui::tree::{NodeId, Target};

/// Lines moved by one wheel step.
pub const WHEEL_LINES: usize = 3;

/// Lines of the tree pane.
pub fn tree_page(app: &App) -> usize {
    (inner(app.areas().tree).height as usize).max(1)
}

/// Lines of the details pane.
pub fn details_page(app: &App) -> usize {
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

/// Keeps the details scroll within the text.
pub fn clamp_details(app: &mut App) {
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

/// Moves the cursor or scrolls the details, whichever has the focus.
pub fn vertical(app: &mut App, delta: isize) {
    match app.focus {
        Pane::Tree => move_cursor(app, delta),
        Pane::Details => scroll_details(app, delta),
    }
}

/// A page of the focused pane.
pub fn page(app: &App) -> isize {
    match app.focus {
        Pane::Tree => tree_page(app) as isize,
        Pane::Details => details_page(app) as isize,
    }
}

/// Follows a link node to the entity it names, remembering where we were.
fn follow(app: &mut App, node: NodeId) -> bool {
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
    if !app.model.tree.node(node).has_children() {
        app.focus = Pane::Details;
    } else if app.opened.contains(&node) {
        app.close(node);
    } else {
        app.open(node);
    }
    app.sync_selection();
}

/// The user or role the tree selection stands for (a role's trust node counts).
pub fn selected_principal(app: &App) -> Option<PrincipalRef> {
    match app.model.tree.node(app.selected()?).target {
        Target::User(u) => Some(PrincipalRef::User(u)),
        Target::Role(r) | Target::Trust(r) => Some(PrincipalRef::Role(r)),
        _ => None,
    }
}

/// The commands the explorer handles itself; false for the others.
pub fn command(app: &mut App, cmd: Command) -> bool {
    match cmd {
        Command::Left => {
            if app.focus == Pane::Details {
                app.focus = Pane::Tree;
                return true;
            }
            let Some(node) = app.selected() else {
                return true;
            };
            if app.opened.contains(&node) {
                app.close(node);
            } else if let Some(parent) = app.model.tree.node(node).parent {
                app.reveal(parent);
            }
            app.sync_selection();
        }
        Command::Right => {
            if app.focus != Pane::Tree {
                return true;
            }
            let Some(node) = app.selected() else {
                return true;
            };
            let first = app.model.tree.node(node).children.first().copied();
            match first {
                Some(child) if app.opened.contains(&node) => app.reveal(child),
                _ if app.model.tree.node(node).has_children() => app.open(node),
                _ => {}
            }
            app.sync_selection();
        }
        Command::Open if app.focus == Pane::Tree => open_selected(app),
        Command::NextPane | Command::PrevPane => {
            app.focus = match app.focus {
                Pane::Tree => Pane::Details,
                Pane::Details => Pane::Tree,
            };
        }
        _ => return false,
    }
    true
}

/// Expands every node of the tree.
pub fn expand_all(app: &mut App) {
    app.expand_all();
    app.sync_selection();
}

/// Collapses every node, keeping the selection's category selected.
pub fn collapse_all(app: &mut App) {
    let root = app.selected().map(|n| app.model.tree.path(n)[0]);
    app.opened.clear();
    app.tree_state.close_all();
    app.rebuild_items();
    app.recompute_visible();
    if let Some(root) = root {
        app.reveal(root);
    }
}

/// A mouse event on the explorer: click selects (again: opens), wheel scrolls the
/// pane under the pointer.
pub fn mouse(app: &mut App, kind: MouseKind, x: u16, y: u16) {
    let delta = match kind {
        MouseKind::ScrollUp => -(WHEEL_LINES as isize),
        MouseKind::ScrollDown => WHEEL_LINES as isize,
        MouseKind::Click => 0,
    };
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
