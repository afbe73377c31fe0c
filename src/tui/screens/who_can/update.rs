//! What keys and answers do to the who-can screen.

use crate::catalog::Catalog;
use crate::eval::PrincipalRef;
use crate::tui::action::{InputKey, Task};
use crate::tui::analysis::Request;
use crate::tui::app::{App, Screen};
use crate::tui::screens::{edit, step_within};

use super::{WhoCanField, WhoCanStatus};

/// Ticks (about 50 ms each) of quiet typing before a who-can request is sent.
pub const DEBOUNCE_TICKS: u8 = 3;
/// Most action completions shown.
pub const COMPLETION_LIMIT: usize = 8;

/// `:who-can` / `w`: the screen in who-can mode (no principal).
pub fn open_who_can(app: &mut App, fx: &mut Vec<Task>) {
    app.screen = Screen::WhoCan;
    let was_can = app.who_can.can_mode();
    app.who_can.principal.clear();
    app.who_can.trace_open = false;
    if app.who_can.field == WhoCanField::Principal {
        app.who_can.field = WhoCanField::Action;
    }
    refresh_completions(app);
    if was_can {
        send(app, fx);
    }
}

/// `:can` / `c`: "can" mode for `principal` (from the tree), or with the principal
/// field focused to type one.
pub fn open_can(app: &mut App, principal: Option<PrincipalRef>, fx: &mut Vec<Task>) {
    app.screen = Screen::WhoCan;
    let w = &mut app.who_can;
    w.trace_open = false;
    w.trace_scroll = 0;
    match principal {
        Some(p) => {
            app.who_can.principal = principal_text(app, p);
            app.who_can.field = if app.who_can.action.trim().is_empty() {
                WhoCanField::Action
            } else {
                WhoCanField::Resource
            };
        }
        None => app.who_can.field = WhoCanField::Principal,
    }
    refresh_completions(app);
    send(app, fx);
}

/// `user/NAME` or `role/NAME`.
pub fn principal_text(app: &App, p: PrincipalRef) -> String {
    let acc = &app.model.account;
    match p {
        PrincipalRef::User(u) => format!("user/{}", acc.user(u).common.name),
        PrincipalRef::Role(r) => format!("role/{}", acc.role(r).common.name),
    }
}

/// A who-can answer arrived.
pub fn results(
    app: &mut App,
    id: u64,
    rows: Vec<crate::query::who_can::WhoCanRow>,
    deciding: Vec<Option<Vec<String>>>,
) {
    let w = &mut app.who_can;
    if id == w.last_id && w.status == WhoCanStatus::Computing(id) {
        w.deciding = deciding;
        w.deciding.resize(rows.len(), None);
        w.rows = rows;
        w.rows_id = id;
        w.selected = w.selected.min(w.rows.len().saturating_sub(1));
        w.status = WhoCanStatus::Done;
    }
}

/// Deciding statements of rows scrolled into view arrived.
pub fn statements(app: &mut App, id: u64, statements: Vec<(usize, Vec<String>)>) {
    let w = &mut app.who_can;
    if id == w.rows_id {
        for (i, s) in statements {
            if let Some(slot) = w.deciding.get_mut(i) {
                *slot = Some(s);
            }
        }
    }
}

/// An explanation arrived.
pub fn explained(app: &mut App, id: u64, explanation: crate::query::explain::Explanation) {
    let w = &mut app.who_can;
    if id == w.explain_id {
        w.explanation = Some(explanation);
        if w.can_mode() && w.status == WhoCanStatus::Computing(id) {
            w.status = WhoCanStatus::Done;
        }
    }
}

/// The catalogue's completions of the action field.
pub fn refresh_completions(app: &mut App) {
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
fn edited(app: &mut App) {
    if app.who_can.field == WhoCanField::Action {
        refresh_completions(app);
    }
    if app.who_can_available {
        app.who_can.debounce = Some(DEBOUNCE_TICKS);
        app.who_can.status = WhoCanStatus::Typing;
    }
}

/// Asks the current question now (also when the context changes).
pub fn send(app: &mut App, fx: &mut Vec<Task>) {
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
        w.deciding.clear();
        w.explanation = None;
        return;
    }
    let resource = app.who_can.resource_or_any();
    let context = app.context.context();
    // The row count is not known yet: the rows that would be in view if there are
    // enough of them.
    let in_view = super::rows_in_view(app, app.who_can.selected, usize::MAX);
    let id = app.new_id();
    let w = &mut app.who_can;
    w.last_id = id;
    w.status = WhoCanStatus::Computing(id);
    if w.can_mode() {
        w.explain_id = id;
        fx.push(Task::Analyze(Request::Explain {
            id,
            principal: w.principal.trim().to_string(),
            action,
            resource,
            context,
        }));
    } else {
        let escalation = w.escalation;
        if w.trace_open {
            // The trace shown belongs to the old answer.
            w.trace_open = false;
        }
        fx.push(Task::Analyze(Request::WhoCan {
            id,
            action,
            resource,
            context,
            escalation,
            in_view,
        }));
        if escalation {
            crate::tui::update::ensure_graph(app, fx);
        }
    }
}

/// The graph became ready: an escalation question waiting for it is asked again.
pub fn graph_ready(app: &mut App, fx: &mut Vec<Task>) {
    if app.who_can.escalation && !app.who_can.can_mode() {
        send(app, fx);
    }
}

/// The debounce timer.
pub fn tick(app: &mut App, fx: &mut Vec<Task>) {
    match app.who_can.debounce {
        Some(n) if n <= 1 => send(app, fx),
        Some(n) => app.who_can.debounce = Some(n - 1),
        None => {}
    }
}

/// Asks for the deciding statements of the rows in view that have none yet.
pub fn sync_statements(app: &mut App, fx: &mut Vec<Task>) {
    let context = app.context.context();
    let in_view = super::rows_in_view(app, app.who_can.selected, app.who_can.rows.len());
    let w = &mut app.who_can;
    if w.status != WhoCanStatus::Done || w.can_mode() || w.trace_open {
        return;
    }
    let mut rows = Vec::new();
    for i in in_view {
        if w.deciding[i].is_none() && w.rows[i].via.is_empty() {
            w.deciding[i] = Some(Vec::new());
            rows.push((i, w.rows[i].principal.clone()));
        }
    }
    if !rows.is_empty() {
        fx.push(Task::Analyze(Request::Statements {
            id: w.rows_id,
            action: w.action.trim().to_string(),
            resource: w.resource_or_any(),
            context,
            rows,
        }));
    }
}

/// Moves the selection, or scrolls the trace.
pub fn vertical(app: &mut App, delta: isize) {
    let w = &mut app.who_can;
    if w.trace_open || w.can_mode() {
        let n = w.explanation.as_ref().map_or(0, |e| e.steps.len() + 4);
        let hops = w.rows.get(w.selected).map_or(0, |r| r.via.len() * 4);
        w.trace_scroll = step_within(w.trace_scroll, delta, n + hops);
    } else {
        w.selected = step_within(w.selected, delta, w.rows.len());
    }
}

/// Enter on a row: its trace. An indirect row's trace is that of the principal its
/// path reaches, shown after the path.
fn open_trace(app: &mut App, fx: &mut Vec<Task>) {
    let w = &app.who_can;
    let Some(row) = w.rows.get(w.selected) else {
        return;
    };
    let principal = row
        .via
        .last()
        .map_or_else(|| row.principal.clone(), |hop| hop.to.clone());
    let action = w.action.trim().to_string();
    let resource = w.resource_or_any();
    let context = app.context.context();
    let id = app.new_id();
    let w = &mut app.who_can;
    w.trace_open = true;
    w.trace_scroll = 0;
    w.explanation = None;
    w.explain_id = id;
    fx.push(Task::Analyze(Request::Explain {
        id,
        principal,
        action,
        resource,
        context,
    }));
}

/// A key typed on the who-can screen.
pub fn input(app: &mut App, key: InputKey, fx: &mut Vec<Task>) {
    let page = (app.size.1 as isize / 2).max(1);
    if key == InputKey::Context {
        crate::tui::screens::context::update::open(app);
        return;
    }
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
                let cur = w.completion.unwrap_or(0);
                w.completion = Some(step_within(cur, delta, w.completions.len()));
            } else {
                vertical(app, delta);
            }
        }
        InputKey::PageUp => vertical(app, -page),
        InputKey::PageDown => vertical(app, page),
        InputKey::Toggle => {
            w.escalation = !w.escalation;
            if !w.can_mode() {
                send(app, fx);
            }
        }
        InputKey::Tab | InputKey::Accept if w.popup => {
            if let Some(c) = w.completion.and_then(|i| w.completions.get(i)).cloned() {
                w.action = c;
            }
            edited(app);
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
            if ready && !w.can_mode() && w.selected < w.rows.len() {
                open_trace(app, fx);
            } else {
                send(app, fx);
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
                edited(app);
            }
        }
    }
}
