//! What keys and answers do to the diff screen.

use std::sync::Arc;

use crate::diff::view::{changes, ChangeView};
use crate::diff::Diff;
use crate::tui::action::{Command, Task};
use crate::tui::app::{App, Screen};
use crate::tui::screens::step_within;

use super::DiffStatus;

/// `:diff` / `D`: the screen, computing the comparison the first time.
pub fn open(app: &mut App, fx: &mut Vec<Task>) {
    app.screen = Screen::Diff;
    let Some(old) = app.diff.against.clone() else {
        app.status =
            Some("no second export to compare with: start with iamscope --diff OLD NEW".into());
        return;
    };
    if app.diff.status == DiffStatus::NotAsked {
        app.diff.status = DiffStatus::Computing;
        fx.push(Task::ComputeDiff {
            generation: app.generation,
            old,
        });
    }
}

/// The comparison of the account of `generation` arrived (or failed).
pub fn ready(app: &mut App, generation: u64, result: Result<Arc<Diff>, String>) {
    if generation != app.generation {
        return;
    }
    let d = &mut app.diff;
    match result {
        Ok(diff) => {
            d.changes = changes(&diff);
            d.diff = Some(diff);
            d.status = DiffStatus::Ready;
        }
        Err(e) => {
            d.changes.clear();
            d.diff = None;
            d.status = DiffStatus::Failed(e);
        }
    }
    d.selected = 0;
    d.open = false;
    d.scroll = 0;
}

/// Moves the selection, or scrolls the versions when they are open.
pub fn vertical(app: &mut App, delta: isize) {
    let d = &mut app.diff;
    if d.open {
        d.scroll = d.scroll.saturating_add_signed(delta);
    } else {
        d.selected = step_within(d.selected, delta, d.changes.len());
    }
}

/// Where the two versions first differ, less a line of context: where the
/// side-by-side view starts.
pub fn first_difference(c: &ChangeView) -> usize {
    let n = c.old.len().max(c.new.len());
    (0..n)
        .find(|&i| c.old.get(i) != c.new.get(i))
        .unwrap_or(0)
        .saturating_sub(1)
}

/// The commands the diff screen handles itself; false for the others.
pub fn command(app: &mut App, cmd: Command) -> bool {
    let d = &mut app.diff;
    match cmd {
        Command::Open | Command::Right if !d.open && !d.changes.is_empty() => {
            d.open = true;
            d.scroll = d.changes.get(d.selected).map_or(0, first_difference);
        }
        Command::Back | Command::Left | Command::JumpBack if d.open => d.open = false,
        _ => return false,
    }
    true
}
