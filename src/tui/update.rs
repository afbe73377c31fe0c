//! The pure state transition: `update(app, action)` changes the [`App`] and returns
//! the [`Effect`]s the event loop must start. No I/O, no clock, no terminal.

use crate::catalog::Catalog;
use crate::load::Input;

use super::action::{Action, Command, Effect, InputKey, MouseKind};
use super::app::{App, Overlay, Pane, Screen, WhoCanField, WhoCanStatus};
use super::layout::inner;
use super::search::filter_commands;
use super::who_can::WhoCanRequest;

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
                app.who_can.selected = 0;
                app.who_can.status = WhoCanStatus::Done;
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
    fx
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

/// Moves the selection or scrolls, in whatever has the focus.
fn vertical(app: &mut App, delta: isize) {
    match (app.overlay, app.screen, app.focus) {
        (Overlay::Help, _, _) => {
            app.help_scroll = app.help_scroll.saturating_add_signed(delta);
        }
        (Overlay::Samples, _, _) => {
            let n = app.samples.samples.len();
            app.samples.selected = app
                .samples
                .selected
                .saturating_add_signed(delta)
                .min(n.saturating_sub(1));
        }
        (Overlay::Search, _, _) => {
            let n = app.search.hits.len();
            app.search.selected = app
                .search
                .selected
                .saturating_add_signed(delta)
                .min(n.saturating_sub(1));
        }
        (Overlay::Palette, _, _) => {
            let n = app.palette.items.len();
            app.palette.selected = app
                .palette
                .selected
                .saturating_add_signed(delta)
                .min(n.saturating_sub(1));
        }
        (Overlay::None, Screen::WhoCan, _) => {
            let n = app.who_can.rows.len();
            app.who_can.selected = app
                .who_can
                .selected
                .saturating_add_signed(delta)
                .min(n.saturating_sub(1));
        }
        (Overlay::None, Screen::TrustGraph, _) => {}
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
            _ => {}
        },
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
            refresh_completions(app);
        }
        Command::TrustGraph => {
            app.overlay = Overlay::None;
            app.screen = Screen::TrustGraph;
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
    let w = &mut app.who_can;
    w.debounce = None;
    if !app.who_can_available {
        w.status = WhoCanStatus::Unavailable;
        return;
    }
    let action = w.action.trim().to_string();
    if action.is_empty() {
        w.status = WhoCanStatus::Idle;
        w.rows.clear();
        return;
    }
    let resource = match w.resource.trim() {
        "" => "*".to_string(),
        r => r.to_string(),
    };
    w.last_id += 1;
    w.status = WhoCanStatus::Computing(w.last_id);
    fx.push(Effect::WhoCan(WhoCanRequest {
        id: w.last_id,
        action,
        resource,
    }));
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
    let w = &mut app.who_can;
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
        InputKey::Tab | InputKey::BackTab => {
            w.field = match w.field {
                WhoCanField::Action => WhoCanField::Resource,
                WhoCanField::Resource => WhoCanField::Action,
            };
            w.popup = false;
        }
        InputKey::Accept => send_who_can(app, fx),
        k => {
            let text = match w.field {
                WhoCanField::Action => &mut w.action,
                WhoCanField::Resource => &mut w.resource,
            };
            if edit(text, k) {
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
