//! Everything that can happen to the TUI: named commands (bindable to keys and listed
//! in the palette and the help), text input, mouse, resize, timer and worker results.

use std::sync::Arc;

use crate::graph::{Evidence, Graph};
use crate::load::Input;
use crate::query::blast::BlastRadius;
use crate::query::explain::Explanation;
use crate::query::paths_to::{PathsAnswer, ReplayedRequest};
use crate::query::who_can::WhoCanRow;

use super::analysis::Request;
use super::app::Model;

/// A named command: what a key binding or a palette entry triggers.
///
/// The name ([`Command::name`]) is what the config file and the palette use; the help
/// overlay lists [`Command::ALL`] with the keys bound to each, so it never drifts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Command {
    /// Go back one level: close the overlay or screen, or leave the details pane.
    /// Never quits.
    Back,
    /// Quit at once.
    Quit,
    /// Move the selection (or scroll) up one line.
    Up,
    /// Move the selection (or scroll) down one line.
    Down,
    /// Collapse the node, or go to its parent.
    Left,
    /// Expand the node, or go to its first child.
    Right,
    /// Go to the first line.
    Top,
    /// Go to the last line.
    Bottom,
    /// Half a page down.
    HalfPageDown,
    /// Half a page up.
    HalfPageUp,
    /// A page down.
    PageDown,
    /// A page up.
    PageUp,
    /// Expand or collapse the node; follow a link to the entity it names.
    Open,
    /// Go back to where the last followed link was.
    JumpBack,
    /// Focus the next pane.
    NextPane,
    /// Focus the previous pane.
    PrevPane,
    /// Fuzzy search every entity by name and ARN.
    Search,
    /// The command palette.
    Palette,
    /// The help overlay.
    Help,
    /// The "who can" screen: an action, a resource, the principals allowed.
    WhoCan,
    /// The trust graph of the selected principal.
    TrustGraph,
    /// "Can" mode: the selected principal's decision and trace, live.
    Can,
    /// Blast radius of the selected principal: whom it can become, what it can do.
    Blast,
    /// Paths from the selected principal to a principal, to admin, or to an action.
    Paths,
    /// The context editor: condition keys the requests are asked with.
    Context,
    /// The list of sample accounts, to open one.
    Samples,
    /// Expand every node of the tree.
    ExpandAll,
    /// Collapse every node of the tree.
    CollapseAll,
    /// The findings of the account audit, most severe first.
    Findings,
    /// The account compared with a second export (`iamscope --diff OLD NEW`).
    Diff,
    /// Study: lessons, quizzes graded by the evaluator, progress.
    Study,
}

impl Command {
    /// Every command, in the order the help lists them.
    pub const ALL: &'static [Command] = &[
        Command::Up,
        Command::Down,
        Command::Left,
        Command::Right,
        Command::Top,
        Command::Bottom,
        Command::HalfPageDown,
        Command::HalfPageUp,
        Command::PageDown,
        Command::PageUp,
        Command::Open,
        Command::JumpBack,
        Command::NextPane,
        Command::PrevPane,
        Command::Search,
        Command::Palette,
        Command::WhoCan,
        Command::TrustGraph,
        Command::Can,
        Command::Blast,
        Command::Paths,
        Command::Context,
        Command::Findings,
        Command::Diff,
        Command::Study,
        Command::Samples,
        Command::ExpandAll,
        Command::CollapseAll,
        Command::Help,
        Command::Back,
        Command::Quit,
    ];

    /// The name used in the config file and the palette (`:who-can`).
    pub fn name(self) -> &'static str {
        match self {
            Command::Back => "back",
            Command::Quit => "quit",
            Command::Up => "up",
            Command::Down => "down",
            Command::Left => "left",
            Command::Right => "right",
            Command::Top => "top",
            Command::Bottom => "bottom",
            Command::HalfPageDown => "half-page-down",
            Command::HalfPageUp => "half-page-up",
            Command::PageDown => "page-down",
            Command::PageUp => "page-up",
            Command::Open => "open",
            Command::JumpBack => "jump-back",
            Command::NextPane => "next-pane",
            Command::PrevPane => "prev-pane",
            Command::Search => "search",
            Command::Palette => "palette",
            Command::Help => "help",
            Command::WhoCan => "who-can",
            Command::TrustGraph => "trust-graph",
            Command::Can => "can",
            Command::Blast => "blast",
            Command::Paths => "paths",
            Command::Context => "context",
            Command::Samples => "samples",
            Command::ExpandAll => "expand-all",
            Command::CollapseAll => "collapse-all",
            Command::Findings => "findings",
            Command::Diff => "diff",
            Command::Study => "study",
        }
    }

    /// One line saying what the command does.
    pub fn description(self) -> &'static str {
        match self {
            Command::Back => "back one level (close overlay, screen or pane); never quits",
            Command::Quit => "quit",
            Command::Up => "up one line",
            Command::Down => "down one line",
            Command::Left => "collapse node / go to parent",
            Command::Right => "expand node / go to first child",
            Command::Top => "first line",
            Command::Bottom => "last line",
            Command::HalfPageDown => "half a page down",
            Command::HalfPageUp => "half a page up",
            Command::PageDown => "a page down",
            Command::PageUp => "a page up",
            Command::Open => "expand/collapse, or follow a link",
            Command::JumpBack => "back to where the last link was followed",
            Command::NextPane => "focus next pane",
            Command::PrevPane => "focus previous pane",
            Command::Search => "fuzzy search entities by name and ARN",
            Command::Palette => "command palette",
            Command::Help => "this help",
            Command::WhoCan => "who can do an action on a resource",
            Command::TrustGraph => "trust graph of the selected principal",
            Command::Can => "can the selected principal: decision and trace",
            Command::Blast => "blast radius: whom it can become, what it can do, admin?",
            Command::Paths => "paths from the selected principal to a principal, admin, or action",
            Command::Context => "context keys the requests are asked with",
            Command::Samples => "open a sample account",
            Command::ExpandAll => "expand every tree node",
            Command::CollapseAll => "collapse every tree node",
            Command::Findings => "findings: the account audit, with evidence",
            Command::Diff => "diff: what changed since the older export",
            Command::Study => "study: lessons, quizzes graded by the evaluator, progress",
        }
    }

    /// The command with this name, as written in the config file or the palette.
    pub fn from_name(name: &str) -> Option<Command> {
        Command::ALL.iter().copied().find(|c| c.name() == name)
    }
}

/// Keys of a text field (search, palette, who-can inputs). Fixed, not configurable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKey {
    /// A printable character.
    Char(char),
    /// Delete the character before the cursor.
    Backspace,
    /// Clear the field.
    Clear,
    /// Accept (run the selected entry, jump to the match, submit).
    Accept,
    /// Cancel and close.
    Cancel,
    /// Select the previous entry of the list.
    Prev,
    /// Select the next entry of the list.
    Next,
    /// Complete, or go to the next field.
    Tab,
    /// Go to the previous field.
    BackTab,
    /// Toggle escalation (indirect principals through the trust graph).
    Toggle,
    /// A page up.
    PageUp,
    /// A page down.
    PageDown,
    /// Open the context editor (from the who-can, can and paths panes).
    Context,
    /// Delete the selected entry (context editor).
    Delete,
}

/// The kind of mouse event, already reduced to what the TUI reacts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MouseKind {
    /// Left button pressed.
    Click,
    /// Wheel up.
    ScrollUp,
    /// Wheel down.
    ScrollDown,
}

/// Everything a key, mouse event, resize, timer or worker can cause.
///
/// Worker answers arrive as [`Action::WhoCanResults`], [`Action::WhoCanStatements`],
/// [`Action::Explained`], [`Action::Evidence`], [`Action::Blasted`],
/// [`Action::PathsFound`], [`Action::Replayed`] and [`Action::GraphReady`].
#[derive(Debug)]
pub enum Action {
    /// A named command.
    Command(Command),
    /// A key typed into the focused text field.
    Input(InputKey),
    /// A mouse event at (column, row).
    Mouse(MouseKind, u16, u16),
    /// The terminal was resized to (width, height).
    Resize(u16, u16),
    /// The periodic timer (about 20 per second); drives the who-can debounce.
    Tick,
    /// The who-can worker answered request `id`.
    WhoCanResults {
        /// The request this answers; stale answers are dropped.
        id: u64,
        /// The rows.
        rows: Vec<WhoCanRow>,
        /// The deciding statements of the first rows (`None`: not computed yet).
        deciding: Vec<Option<Vec<String>>>,
    },
    /// Deciding statements of rows of who-can answer `id`: (row index, statements).
    WhoCanStatements {
        /// The who-can answer the rows belong to.
        id: u64,
        /// (row index, statements).
        statements: Vec<(usize, Vec<String>)>,
    },
    /// A principal's decision and trace, for request `id`.
    Explained {
        /// The request this answers.
        id: u64,
        /// The answer.
        explanation: Explanation,
    },
    /// The evidence of a trust-graph edge, for request `id`.
    Evidence {
        /// The request this answers.
        id: u64,
        /// One entry per request behind the edge.
        evidence: Vec<Evidence>,
    },
    /// The blast radius of request `id`.
    Blasted {
        /// The request this answers.
        id: u64,
        /// The answer.
        answer: Box<BlastRadius>,
    },
    /// The paths of request `id`, or why there are none (an unknown target).
    PathsFound {
        /// The request this answers.
        id: u64,
        /// The answer.
        answer: Result<Box<PathsAnswer>, String>,
    },
    /// A hop's requests decided again with traces, for request `id`.
    Replayed {
        /// The request this answers.
        id: u64,
        /// One per request behind the hop.
        requests: Vec<ReplayedRequest>,
    },
    /// The graph of the account of `generation` is built.
    GraphReady {
        /// Which account it is for (see [`super::app::App::generation`]).
        generation: u64,
        /// The graph.
        graph: Arc<Graph>,
    },
    /// The audit of the account of `generation` is done.
    FindingsReady {
        /// Which account it is for.
        generation: u64,
        /// The findings, most severe first.
        findings: Arc<Vec<crate::findings::Finding>>,
    },
    /// The comparison of the account of `generation` with the other export.
    DiffReady {
        /// Which account it is for.
        generation: u64,
        /// The diff, or why the other export could not be loaded.
        result: Result<Arc<crate::diff::Diff>, String>,
    },
    /// A background load finished: the new account with its tree and index, or the
    /// error in words.
    Loaded(Result<Box<Model>, String>),
    /// The quiz of request `id` is generated.
    QuizReady {
        /// The request this answers.
        id: u64,
        /// What was asked for.
        options: crate::study::QuizOptions,
        /// The questions (none when the account has none for the topics).
        questions: Vec<crate::study::Question>,
        /// The entities each question involves.
        involved: Vec<Vec<crate::study::EntityLink>>,
    },
    /// Study progress could not be saved: why.
    ProgressNotSaved(String),
}

/// Work the event loop must start on behalf of [`super::update::update`], which stays
/// pure and never blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Task {
    /// Ask the analyst (the worker thread).
    Analyze(Request),
    /// Build the trust graph of the current account in the background, then send
    /// [`Action::GraphReady`].
    BuildGraph {
        /// The account's generation.
        generation: u64,
    },
    /// Audit the current account in the background with its graph (built: see
    /// [`super::app::GraphState::Ready`]), then send [`Action::FindingsReady`].
    ComputeFindings {
        /// The account's generation.
        generation: u64,
    },
    /// Load an account in the background, then send [`Action::Loaded`].
    Load(Input),
    /// Load `old` and compare it with the current account in the background, then
    /// send [`Action::DiffReady`].
    ComputeDiff {
        /// The account's generation.
        generation: u64,
        /// The old export.
        old: Input,
    },
    /// Generate a quiz on the current account in the background, then send
    /// [`Action::QuizReady`].
    GenerateQuiz {
        /// The request id.
        id: u64,
        /// What to generate.
        options: crate::study::QuizOptions,
    },
    /// Save study progress (a small file, written at once); a failure comes back as
    /// [`Action::ProgressNotSaved`].
    SaveProgress {
        /// Where.
        store: crate::study::ProgressStore,
        /// What.
        progress: crate::study::Progress,
    },
}
