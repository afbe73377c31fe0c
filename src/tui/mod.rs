//! The terminal user interface: an explorer of the account's IAM in the spirit of
//! k9s and lazygit.
//!
//! Shape (ratatui's event-driven template): [`app::App`] is plain state;
//! [`action::Action`] is everything that can happen; [`update::update`] is the pure
//! transition, dispatching to the screen that owns the action ([`screens`]) and
//! returning [`action::Task`]s that this module starts on other threads; [`views`]
//! and each screen's view draw from the state. This module owns the terminal: it is
//! restored on quit, on error, on panic and on every signal ([`terminal`]: the TUI
//! also ends when its terminal goes away), and the event loop never waits more than
//! one tick (50 ms) for anything.

pub mod action;
pub mod analysis;
pub mod app;
pub mod details;
pub mod findings;
pub mod json;
pub mod keymap;
pub mod layout;
pub mod safe_text;
pub mod screens;
pub mod search;
pub mod terminal;
pub mod theme;
pub mod tree;
pub mod update;
pub mod views;

use std::io::{self, IsTerminal, Stdout};
use std::process::ExitCode;
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Once};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crossterm::event::{self, Event, KeyEventKind, MouseButton, MouseEventKind};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use crate::load::{self, Input};
use crate::model::Account;

use action::{Action, Command, MouseKind, Task};
use analysis::WorkerMsg;
use app::{App, Model};
use keymap::Keymap;
use theme::Theme;

/// Time between two ticks of the event loop.
pub const TICK: Duration = Duration::from_millis(50);

/// Exit code when the TUI cannot start because standard output is not a terminal.
pub const EXIT_NOT_A_TERMINAL: u8 = 2;

/// How the TUI is set up.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Run without the evaluator: the who-can, can and trust screens say it is not
    /// available (the default plugs it in).
    pub without_evaluator: bool,
    /// Keep no study progress (`--no-save`): nothing is read from or written to the
    /// data directory.
    pub no_save: bool,
}

/// Today in days since 1970-01-01, from the system clock.
pub fn today() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| (d.as_secs() / 86_400) as i64)
        .unwrap_or(0)
}

/// The message shown when `iamscope [PATH]` runs without a terminal.
pub fn not_a_terminal_message() -> &'static str {
    "iamscope: standard output is not a terminal, so the interactive explorer cannot start.\n\
     Use a subcommand for scripts and pipes:\n\
     \x20 iamscope summary [-b PATH] [--json]   the account at a glance\n\
     \x20 iamscope samples                      the built-in sample accounts\n\
     (more to come: can, who-can, …; see `iamscope --help`)"
}

/// Entry point of the bare `iamscope [PATH]` form: checks for a terminal, loads the
/// account, runs the TUI.
pub fn main(bundle: Option<String>, options: Options) -> anyhow::Result<ExitCode> {
    if !io::stdout().is_terminal() {
        eprintln!("{}", not_a_terminal_message());
        return Ok(ExitCode::from(EXIT_NOT_A_TERMINAL));
    }
    let input = Input::from_arg(bundle.as_deref());
    let big = bundle_bytes(&input).filter(|&n| n >= BIG_BUNDLE_BYTES);
    if let (Some(n), Some(path)) = (big, bundle.as_deref()) {
        // Before the TUI has the screen: a plain line on standard error, replaced when
        // the next step starts. Ctrl-C still works as in any command.
        let path = crate::sanitize::terminal_safe(path);
        eprint!("iamscope: loading {path} ({:.1} MB)…", n as f64 / 1e6);
    }
    let account = load::load(&input)?;
    if big.is_some() {
        eprint!(
            "\r\x1b[Kiamscope: indexing {} users, {} roles, {} groups, {} policies…",
            account.users.len(),
            account.roles.len(),
            account.groups.len(),
            account.managed_policies.len()
        );
    }
    let app = new_app(account, &options);
    if big.is_some() {
        eprint!("\r\x1b[K");
    }
    run_app(app, options)
}

/// Bundles at least this big say what they are doing while they load.
pub const BIG_BUNDLE_BYTES: u64 = 4_000_000;

/// The size of the GAAD a path input names (the file, or `gaad.json` in the folder).
fn bundle_bytes(input: &Input) -> Option<u64> {
    let Input::Path(path) = input else {
        return None;
    };
    let meta = std::fs::metadata(path).ok()?;
    if meta.is_dir() {
        std::fs::metadata(path.join("gaad.json"))
            .ok()
            .map(|m| m.len())
    } else {
        Some(meta.len())
    }
}

/// Builds the app for `account` as `run` does, with the user's keymap and theme.
pub fn new_app(account: Account, options: &Options) -> App {
    let theme = Theme::from_env();
    let (keymap, problems) = Keymap::load();
    let model = Model::build(Arc::new(account), &theme);
    let mut app = App::new(model, theme, keymap, today(), !options.without_evaluator);
    app.config_path = Keymap::config_path()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let mut problems = problems;
    let (store, progress) = study_progress(options.no_save, &mut problems);
    app.study = app::StudyState::new(store, progress);
    if !problems.is_empty() {
        app.status = Some(problems.join("; "));
    }
    app
}

/// The learner's progress and where to save it: the platform data directory, or
/// nowhere with `no_save`, or when it cannot be read (a file that is not progress is
/// left alone, never overwritten).
fn study_progress(
    no_save: bool,
    problems: &mut Vec<String>,
) -> (crate::study::ProgressStore, crate::study::Progress) {
    use crate::study::{Progress, ProgressStore};
    if no_save {
        return (ProgressStore::none(), Progress::default());
    }
    let loaded = ProgressStore::open_default().and_then(|s| s.load().map(|p| (s, p)));
    loaded.unwrap_or_else(|e| {
        problems.push(format!("study progress will not be kept: {e}"));
        (ProgressStore::none(), Progress::default())
    })
}

/// A deterministic app for tests and benchmarks: colour theme, default keys, a fixed
/// "today" (2025-06-01), terminal size `width` × `height`.
pub fn test_app(account: Account, width: u16, height: u16, who_can_available: bool) -> App {
    let theme = Theme::colored();
    let model = Model::build(Arc::new(account), &theme);
    let today = crate::findings::days_from_iso("2025-06-01").unwrap_or(0);
    let mut app = App::new(model, theme, Keymap::default(), today, who_can_available);
    app.size = (width, height);
    app.config_path = "~/.config/iamscope/config.toml".into();
    app
}

/// Draws `app` into a `TestBackend` of its size and returns the terminal, for
/// snapshot tests and benchmarks.
pub fn render_to_test_backend(app: &mut App) -> Terminal<ratatui::backend::TestBackend> {
    let backend = ratatui::backend::TestBackend::new(app.size.0, app.size.1);
    let mut terminal = Terminal::new(backend).expect("a test backend never fails");
    terminal
        .draw(|f| views::draw(f, app))
        .expect("a test backend never fails");
    terminal
}

/// Entry point of `iamscope --diff OLD [NEW]`: the explorer on NEW, opened on the
/// diff screen comparing OLD with it.
pub fn main_diff(
    bundle: Option<String>,
    old: String,
    options: Options,
) -> anyhow::Result<ExitCode> {
    if !io::stdout().is_terminal() {
        eprintln!("{}", not_a_terminal_message());
        return Ok(ExitCode::from(EXIT_NOT_A_TERMINAL));
    }
    let account = load::load(&Input::from_arg(bundle.as_deref()))?;
    let mut app = new_app(account, &options);
    app.diff.against = Some(Input::from_arg(Some(&old)));
    run_app(app, options)
}

/// Runs the TUI on `account` until the user quits or a signal arrives.
pub fn run(account: Account, options: Options) -> anyhow::Result<ExitCode> {
    run_app(new_app(account, &options), options)
}

fn run_app(mut app: App, options: Options) -> anyhow::Result<ExitCode> {
    let lifecycle = terminal::Lifecycle::start()?;
    install_panic_hook();
    let mut terminal = setup()?;
    let result = event_loop(&mut terminal, &mut app, &options, &lifecycle);
    app.graph.cancel();
    restore();
    // The process ends next: freeing a large account's tree, index and graph would
    // only delay the exit.
    std::mem::forget(app);
    if let Some(code) = lifecycle.exit_code() {
        return Ok(ExitCode::from(code));
    }
    result?;
    Ok(ExitCode::SUCCESS)
}

type Term = Terminal<CrosstermBackend<Stdout>>;

fn setup() -> io::Result<Term> {
    crossterm::terminal::enable_raw_mode()?;
    let mut out = io::stdout();
    if let Err(e) = execute!(out, EnterAlternateScreen, event::EnableMouseCapture) {
        restore();
        return Err(e);
    }
    Terminal::new(CrosstermBackend::new(out)).inspect_err(|_| restore())
}

/// Puts the terminal back as it was: main screen, cooked mode, cursor shown, no mouse
/// capture. Safe to call more than once and from the panic hook.
pub fn restore() {
    let _ = execute!(
        io::stdout(),
        event::DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = crossterm::terminal::disable_raw_mode();
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// Maps a terminal event to an action, given what has the keyboard.
pub fn action_for_event(app: &App, ev: Event) -> Option<Action> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => {
            if keymap::is_interrupt(k) {
                Some(Action::Command(Command::Quit))
            } else if app.text_input_active() {
                keymap::input_key(k).map(Action::Input)
            } else {
                app.keymap.command(k).map(Action::Command)
            }
        }
        Event::Mouse(m) => {
            let kind = match m.kind {
                MouseEventKind::Down(MouseButton::Left) => MouseKind::Click,
                MouseEventKind::ScrollUp => MouseKind::ScrollUp,
                MouseEventKind::ScrollDown => MouseKind::ScrollDown,
                _ => return None,
            };
            Some(Action::Mouse(kind, m.column, m.row))
        }
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    }
}

struct Runner {
    tx: Sender<Action>,
    worker: Option<Sender<WorkerMsg>>,
    theme: Theme,
}

impl Runner {
    fn start(&self, app: &App, tasks: Vec<Task>) {
        for task in tasks {
            match task {
                Task::Analyze(req) => {
                    if let Some(w) = &self.worker {
                        let _ = w.send(WorkerMsg::Request(req));
                    }
                }
                Task::BuildGraph { generation } => {
                    let tx = self.tx.clone();
                    let account = Arc::clone(&app.model.account);
                    let progress = match &app.graph {
                        app::GraphState::Building(p) => Arc::clone(p),
                        _ => Arc::default(),
                    };
                    let _ = std::thread::Builder::new()
                        .name("iamscope-graph".into())
                        .spawn(move || {
                            if let Some(graph) = analysis::build_graph(&account, &progress) {
                                let graph = Arc::new(graph);
                                let _ = tx.send(Action::GraphReady { generation, graph });
                            }
                        });
                }
                Task::ComputeFindings { generation } => {
                    let tx = self.tx.clone();
                    let account = Arc::clone(&app.model.account);
                    let graph = app.graph.ready().cloned();
                    let _ = std::thread::Builder::new()
                        .name("iamscope-findings".into())
                        .spawn(move || {
                            let findings = Arc::new(analysis::audit(&account, graph));
                            let _ = tx.send(Action::FindingsReady {
                                generation,
                                findings,
                            });
                        });
                }
                Task::ComputeDiff { generation, old } => {
                    let tx = self.tx.clone();
                    let account = Arc::clone(&app.model.account);
                    let _ = std::thread::Builder::new()
                        .name("iamscope-diff".into())
                        .spawn(move || {
                            let result = load::load(&old)
                                .map(|old| Arc::new(crate::diff::diff(&old, &account)))
                                .map_err(|e| e.to_string());
                            let _ = tx.send(Action::DiffReady { generation, result });
                        });
                }
                Task::GenerateQuiz { id, options } => {
                    let tx = self.tx.clone();
                    let account = Arc::clone(&app.model.account);
                    let _ = std::thread::Builder::new()
                        .name("iamscope-quiz".into())
                        .spawn(move || {
                            let _ = tx.send(analysis::generate_quiz(&account, id, options));
                        });
                }
                // A small file, written at once so that saves never race.
                Task::SaveProgress { store, progress } => {
                    if let Err(e) = store.save(&progress) {
                        let _ = self.tx.send(Action::ProgressNotSaved(e.to_string()));
                    }
                }
                Task::Load(input) => {
                    let tx = self.tx.clone();
                    let theme = self.theme.clone();
                    std::thread::spawn(move || {
                        let result = load::load(&input)
                            .map(|account| Box::new(Model::build(Arc::new(account), &theme)))
                            .map_err(|e| e.to_string());
                        let _ = tx.send(Action::Loaded(result));
                    });
                }
            }
        }
    }

    fn apply(&self, app: &mut App, action: Action) {
        if let (Action::Loaded(Ok(model)), Some(w)) = (&action, &self.worker) {
            let _ = w.send(WorkerMsg::Account(Arc::clone(&model.account)));
        }
        let ready = match &action {
            Action::GraphReady { generation, graph } if *generation == app.generation => {
                Some(Arc::clone(graph))
            }
            _ => None,
        };
        if let (Some(g), Some(w)) = (ready, &self.worker) {
            let _ = w.send(WorkerMsg::Graph(g));
        }
        let fx = update::update(app, action);
        self.start(app, fx);
    }
}

fn event_loop(
    terminal: &mut Term,
    app: &mut App,
    options: &Options,
    lifecycle: &terminal::Lifecycle,
) -> anyhow::Result<()> {
    let (tx, rx) = mpsc::channel::<Action>();
    let worker = (!options.without_evaluator)
        .then(|| analysis::spawn_worker(Arc::clone(&app.model.account), tx.clone()));
    // Parse the action catalogue off the UI thread, before the who-can pane needs it.
    std::thread::spawn(|| {
        let _ = crate::catalog::Catalog::get();
    });
    let runner = Runner {
        tx,
        worker,
        theme: app.theme.clone(),
    };
    let size = terminal.size()?;
    runner.apply(app, Action::Resize(size.width, size.height));
    if app.diff.against.is_some() {
        runner.apply(app, Action::Command(Command::Diff));
    }
    let mut dirty = true;
    let mut last_tick = Instant::now();
    loop {
        if lifecycle.should_stop() || app.should_quit {
            return Ok(());
        }
        if lifecycle.take_suspend() {
            terminal::suspend()?;
            lifecycle.take_resumed();
            terminal.clear()?;
            dirty = true;
        }
        if lifecycle.take_resumed() {
            terminal::reenter()?;
            terminal.clear()?;
            dirty = true;
        }
        if dirty {
            terminal.draw(|f| views::draw(f, app))?;
            dirty = false;
        }
        let timeout = TICK.saturating_sub(last_tick.elapsed());
        if event::poll(timeout)? {
            // Drain every pending event before drawing again, so that held keys and
            // wheel bursts cost one frame, not one per event.
            loop {
                let ev = event::read()?;
                if terminal::is_suspend_key(&ev) {
                    lifecycle.request_suspend();
                } else if let Some(action) = action_for_event(app, ev) {
                    runner.apply(app, action);
                    dirty = true;
                }
                if app.should_quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        if last_tick.elapsed() >= TICK {
            last_tick = Instant::now();
            let before = app.who_can.status.clone();
            runner.apply(app, Action::Tick);
            // A build in progress moves its counters on every tick.
            dirty |=
                app.who_can.status != before || matches!(app.graph, app::GraphState::Building(_));
        }
        while let Ok(action) = rx.try_recv() {
            runner.apply(app, action);
            dirty = true;
        }
    }
}
