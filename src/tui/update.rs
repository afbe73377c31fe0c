//! The pure state transition: `update(app, action)` changes the [`App`] and returns
//! the [`Task`]s the event loop must start. No I/O, no clock, no terminal.
//!
//! This file dispatches: commands and keys go to the screen (or popup) that owns them
//! (`screens/<screen>/update.rs`); what is left is global — quitting, going back,
//! opening screens and popups.

use crate::eval::PrincipalRef;
use crate::load::Input;

use super::action::{Action, Command, InputKey, MouseKind, Task};
use super::app::{App, GraphState, Overlay, Pane, Screen};
use super::screens::explorer::update as explorer;
use super::screens::{blast, context, diff, paths, step_within, study, trust, who_can};
use super::search::filter_commands;

pub use super::screens::explorer::update::details_max_scroll;
pub use super::screens::who_can::update::{COMPLETION_LIMIT, DEBOUNCE_TICKS};

/// Most search results shown.
pub const SEARCH_LIMIT: usize = 200;

/// Applies `action` to `app`; returns the work to start in the background.
pub fn update(app: &mut App, action: Action) -> Vec<Task> {
    let mut fx = Vec::new();
    if super::findings::update(app, &action, &mut fx) {
        return fx;
    }
    let before = app.trust.evidence_key();
    match action {
        Action::Command(c) => command(app, c, &mut fx),
        Action::Input(k) => input(app, k, &mut fx),
        Action::Mouse(kind, x, y) => mouse(app, kind, x, y),
        Action::Resize(w, h) => {
            app.size = (w, h);
            explorer::clamp_details(app);
        }
        Action::Tick => who_can::update::tick(app, &mut fx),
        Action::WhoCanResults { id, rows, deciding } => {
            who_can::update::results(app, id, rows, deciding);
        }
        Action::WhoCanStatements { id, statements } => {
            who_can::update::statements(app, id, statements);
        }
        Action::Explained { id, explanation } => {
            who_can::update::explained(app, id, explanation);
        }
        Action::Evidence { id, evidence } => {
            if id == app.trust.evidence_id {
                app.trust.evidence = Some(evidence);
            }
        }
        Action::Blasted { id, answer } => blast::update::answered(app, id, answer),
        Action::PathsFound { id, answer } => paths::update::answered(app, id, answer),
        Action::Replayed { id, requests } => paths::update::replayed(app, id, requests),
        Action::GraphReady { generation, graph } => {
            if generation == app.generation {
                app.graph = GraphState::Ready(graph);
                trust::update::graph_ready(app);
                blast::update::graph_ready(app, &mut fx);
                paths::update::graph_ready(app, &mut fx);
                who_can::update::graph_ready(app, &mut fx);
            }
        }
        Action::DiffReady { generation, result } => diff::update::ready(app, generation, result),
        // Handled by the findings view, above.
        Action::FindingsReady { .. } => {}
        Action::Loaded(Ok(model)) => {
            let source = model.account.source.clone();
            app.set_model(*model);
            app.loading = None;
            app.status = Some(format!("opened {source}"));
            study::update::loaded(app);
        }
        Action::Loaded(Err(e)) => {
            app.loading = None;
            app.study.pending_link = None;
            app.status = Some(format!("could not open: {e}"));
        }
        Action::QuizReady {
            id,
            options,
            questions,
            involved,
        } => study::update::quiz_ready(app, id, questions, involved, &options, &mut fx),
        Action::ProgressNotSaved(why) => study::update::not_saved(app, why),
    }
    if app.trust.evidence_key() != before {
        app.trust.evidence = None;
        app.trust.evidence_id = 0;
    }
    sync_requests(app, &mut fx);
    fx
}

/// Starts building the graph if nobody has yet.
pub fn ensure_graph(app: &mut App, fx: &mut Vec<Task>) {
    if matches!(app.graph, GraphState::NotBuilt) && app.who_can_available {
        app.graph = GraphState::Building(Default::default());
        fx.push(Task::BuildGraph {
            generation: app.generation,
        });
    }
}

/// Asks for what the screen shows but nobody has computed yet: the evidence of the
/// selected trust edge, the deciding statements of the who-can rows in view.
fn sync_requests(app: &mut App, fx: &mut Vec<Task>) {
    if app.overlay != Overlay::None || !app.who_can_available {
        return;
    }
    match app.screen {
        Screen::TrustGraph => trust::update::sync_evidence(app, fx),
        Screen::WhoCan => who_can::update::sync_statements(app, fx),
        Screen::Explorer | Screen::Blast | Screen::Paths | Screen::Diff | Screen::Study => {}
    }
}

/// Moves the selection or scrolls, in whatever has the focus.
fn vertical(app: &mut App, delta: isize) {
    match app.overlay {
        Overlay::Help => app.help_scroll = app.help_scroll.saturating_add_signed(delta),
        Overlay::Samples => {
            let s = &mut app.samples;
            s.selected = step_within(s.selected, delta, s.samples.len());
        }
        Overlay::Search => {
            let s = &mut app.search;
            s.selected = step_within(s.selected, delta, s.hits.len());
        }
        Overlay::Palette => {
            let p = &mut app.palette;
            p.selected = step_within(p.selected, delta, p.items.len());
        }
        Overlay::Context => {
            let c = &mut app.context;
            c.selected = step_within(c.selected, delta, c.entries.len());
        }
        Overlay::None => match app.screen {
            Screen::Explorer => explorer::vertical(app, delta),
            Screen::WhoCan => who_can::update::vertical(app, delta),
            Screen::TrustGraph => trust::update::vertical(app, delta),
            Screen::Blast => blast::update::vertical(app, delta),
            Screen::Paths => paths::update::vertical(app, delta),
            Screen::Diff => diff::update::vertical(app, delta),
            Screen::Study => study::update::vertical(app, delta),
        },
    }
}

fn page(app: &App) -> isize {
    match (app.overlay, app.screen) {
        (Overlay::None, Screen::Explorer) => explorer::page(app),
        _ => explorer::details_page(app) as isize,
    }
}

/// The principal a new screen starts from: the tree's selection from the explorer,
/// the principal shown on the blast screen, the start of the paths screen.
fn current_principal(app: &App) -> Option<PrincipalRef> {
    match app.screen {
        Screen::Explorer => explorer::selected_principal(app),
        Screen::Blast => blast::update::current(app),
        Screen::Paths => app.paths.from,
        Screen::TrustGraph => {
            let graph = app.graph.ready()?;
            graph.principal(app.trust.node?)
        }
        Screen::WhoCan | Screen::Diff | Screen::Study => None,
    }
}

/// Esc: back one level — a popup, a screen, the details pane. Never quits.
fn back(app: &mut App) {
    if app.overlay != Overlay::None {
        app.overlay = Overlay::None;
    } else if app.screen != Screen::Explorer {
        app.screen = Screen::Explorer;
    } else if app.focus == Pane::Details {
        app.focus = Pane::Tree;
    } else {
        let quit = app.keymap.hint(Command::Quit);
        app.status = Some(format!("{quit} quits"));
    }
}

fn command(app: &mut App, cmd: Command, fx: &mut Vec<Task>) {
    if app.overlay == Overlay::None {
        let handled = match app.screen {
            Screen::Explorer => explorer::command(app, cmd),
            Screen::TrustGraph => trust::update::command(app, cmd),
            Screen::Blast => blast::update::command(app, cmd, fx),
            Screen::Diff => diff::update::command(app, cmd),
            Screen::Study => study::update::command(app, cmd, fx),
            Screen::WhoCan | Screen::Paths => false,
        };
        if handled {
            return;
        }
    }
    match cmd {
        Command::Quit => {
            app.graph.cancel();
            app.should_quit = true;
        }
        Command::Back => back(app),
        Command::Up => vertical(app, -1),
        Command::Down => vertical(app, 1),
        Command::HalfPageDown => vertical(app, (page(app) / 2).max(1)),
        Command::HalfPageUp => vertical(app, -(page(app) / 2).max(1)),
        Command::PageDown => vertical(app, page(app)),
        Command::PageUp => vertical(app, -page(app)),
        Command::Top => vertical(app, isize::MIN / 2),
        Command::Bottom => vertical(app, isize::MAX / 2),
        Command::Open => match app.overlay {
            Overlay::Samples => {
                if let Some((name, _)) = app.samples.samples.get(app.samples.selected).cloned() {
                    app.overlay = Overlay::None;
                    app.loading = Some(format!("sample:{name}"));
                    fx.push(Task::Load(Input::Sample(name)));
                }
            }
            Overlay::Help => app.overlay = Overlay::None,
            _ => {}
        },
        Command::JumpBack => {
            if study::update::jump_back(app) {
                return;
            }
            if let Some(node) = app.history.pop() {
                app.screen = Screen::Explorer;
                app.overlay = Overlay::None;
                app.reveal(node);
            }
        }
        Command::Left | Command::Right | Command::NextPane | Command::PrevPane => {}
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
        Command::Samples => open_samples(app),
        Command::WhoCan => {
            app.overlay = Overlay::None;
            who_can::update::open_who_can(app, fx);
        }
        Command::Can => {
            app.overlay = Overlay::None;
            let p = current_principal(app);
            who_can::update::open_can(app, p, fx);
        }
        Command::TrustGraph => {
            app.overlay = Overlay::None;
            let p = current_principal(app);
            trust::update::open(app, p, fx);
        }
        Command::Blast => {
            app.overlay = Overlay::None;
            let p = current_principal(app);
            blast::update::open(app, p, fx);
        }
        Command::Paths => {
            app.overlay = Overlay::None;
            let p = current_principal(app);
            paths::update::open(app, p, fx);
        }
        Command::Findings => {}
        Command::Diff => {
            app.overlay = Overlay::None;
            diff::update::open(app, fx);
        }
        Command::Study => study::update::open(app),
        Command::Context => context::update::open(app),
        Command::ExpandAll => explorer::expand_all(app),
        Command::CollapseAll => explorer::collapse_all(app),
    }
}

fn open_samples(app: &mut App) {
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

fn input(app: &mut App, key: InputKey, fx: &mut Vec<Task>) {
    match app.overlay {
        Overlay::Search => match key {
            InputKey::Cancel => app.overlay = Overlay::None,
            InputKey::Prev | InputKey::BackTab => vertical(app, -1),
            InputKey::Next | InputKey::Tab => vertical(app, 1),
            InputKey::Accept => {
                if let Some(hit) = app.search.hits.get(app.search.selected) {
                    let entry = &app.model.search.entries[hit.entry];
                    let (target, owner) = (entry.target, entry.node);
                    let node = app.node_for(target).unwrap_or(owner);
                    if let Some(from) = app.selected() {
                        app.history.push(from);
                    }
                    app.overlay = Overlay::None;
                    app.screen = Screen::Explorer;
                    app.focus = Pane::Tree;
                    app.reveal(node);
                    if app.model.tree.node(node).has_children() {
                        app.open(node);
                    }
                }
            }
            k => {
                if super::screens::edit(&mut app.search.query, k) {
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
                if super::screens::edit(&mut app.palette.query, k) {
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
        Overlay::Context => context::update::input(app, key, fx),
        Overlay::None if app.screen == Screen::WhoCan => who_can::update::input(app, key, fx),
        Overlay::None if app.screen == Screen::Paths => paths::update::input(app, key, fx),
        _ => {}
    }
}

fn mouse(app: &mut App, kind: MouseKind, x: u16, y: u16) {
    if app.overlay == Overlay::None && app.screen == Screen::Explorer {
        explorer::mouse(app, kind, x, y);
        return;
    }
    match kind {
        MouseKind::ScrollUp => vertical(app, -1),
        MouseKind::ScrollDown => vertical(app, 1),
        MouseKind::Click => {}
    }
}
