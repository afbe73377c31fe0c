//! What keys do in the context editor, and asking again when the context changes.

use crate::query::context_keys::complete_key;
use crate::tui::action::{InputKey, Task};
use crate::tui::app::{App, Overlay, Screen};
use crate::tui::screens::{edit, step_within};

/// Most key completions shown.
pub const COMPLETION_LIMIT: usize = 8;

/// Opens the editor over the current screen.
pub fn open(app: &mut App) {
    app.overlay = Overlay::Context;
    app.context.message = None;
    refresh_completions(app);
}

fn refresh_completions(app: &mut App) {
    let key = app
        .context
        .input
        .trim()
        .trim_start_matches(['!', '-'])
        .to_string();
    let c = &mut app.context;
    c.completions = if key.is_empty() || key.contains('=') {
        Vec::new()
    } else {
        complete_key(&app.model.context_keys, &key, COMPLETION_LIMIT)
    };
    if c.completions.len() == 1 && c.completions[0].eq_ignore_ascii_case(&key) {
        c.completions.clear();
    }
    c.completion = (!c.completions.is_empty()).then_some(0);
}

/// The context changed: ask again whatever answer depends on it.
pub fn changed(app: &mut App, fx: &mut Vec<Task>) {
    if !app.who_can.action.trim().is_empty() {
        crate::tui::screens::who_can::update::send(app, fx);
    }
    if app.screen == Screen::Paths {
        crate::tui::screens::paths::update::send(app, fx);
    }
}

/// A key typed in the editor.
pub fn input(app: &mut App, key: InputKey, fx: &mut Vec<Task>) {
    let c = &mut app.context;
    match key {
        InputKey::Cancel | InputKey::Context => app.overlay = Overlay::None,
        InputKey::Tab if c.completion.is_some() => {
            let typed = c.input.trim();
            let prefix: String = typed
                .chars()
                .take_while(|ch| matches!(ch, '!' | '-'))
                .collect();
            if let Some(k) = c.completion.and_then(|i| c.completions.get(i)).cloned() {
                c.input = if prefix.is_empty() {
                    format!("{k}=")
                } else {
                    format!("{prefix}{k}")
                };
            }
            refresh_completions(app);
        }
        InputKey::Prev | InputKey::Next | InputKey::Tab | InputKey::BackTab => {
            let delta = if matches!(key, InputKey::Prev | InputKey::BackTab) {
                -1
            } else {
                1
            };
            match c.completion {
                Some(i) => c.completion = Some(step_within(i, delta, c.completions.len())),
                None => c.selected = step_within(c.selected, delta, c.entries.len()),
            }
        }
        InputKey::Delete => {
            if let Some(e) = c.entries.get(c.selected).cloned() {
                c.unset(&e.key);
                c.message = Some(format!("{} unset (unknown again)", e.key));
                changed(app, fx);
            }
        }
        InputKey::Accept => {
            if c.input.trim().is_empty() {
                app.overlay = Overlay::None;
                return;
            }
            let line = std::mem::take(&mut c.input);
            match c.apply(&line) {
                Ok(msg) => {
                    c.message = Some(msg);
                    refresh_completions(app);
                    changed(app, fx);
                }
                Err(why) => {
                    c.input = line;
                    c.message = Some(why);
                }
            }
        }
        k => {
            if edit(&mut c.input, k) {
                refresh_completions(app);
            }
        }
    }
}
