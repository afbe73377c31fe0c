//! The TUI's state: plain data, changed only by [`super::update::update`] and read by
//! the views.

use std::collections::HashSet;
use std::sync::Arc;

use ratatui::text::Line;
use tui_tree_widget::{TreeItem, TreeState};

use crate::graph::progress::Progress;
use crate::graph::Graph;
use crate::model::Account;

use super::action::Command;
use super::details::details;
use super::keymap::Keymap;
use super::search::{SearchHit, SearchIndex};
use super::theme::Theme;
use super::tree::{NodeId, TreeModel};

pub use super::screens::blast::BlastState;
pub use super::screens::context::ContextState;
pub use super::screens::diff::{DiffState, DiffStatus};
pub use super::screens::paths::PathsState;
pub use super::screens::study::StudyState;
pub use super::screens::trust::{Crumb, EdgeRow, Side, TrustState};
pub use super::screens::who_can::{WhoCanField, WhoCanState, WhoCanStatus};

/// An account with everything derived from it once: the tree and the search index.
#[derive(Debug)]
pub struct Model {
    /// The account.
    pub account: Arc<Account>,
    /// The entity tree.
    pub tree: TreeModel,
    /// The search index.
    pub search: SearchIndex,
    /// The condition keys the policies reference (the context editor completes them).
    pub context_keys: Vec<String>,
}

impl Model {
    /// Builds the tree and the search index of `account`. Can take a while on a large
    /// account: the event loop runs it off the UI thread when it opens another account.
    pub fn build(account: Arc<Account>, theme: &Theme) -> Model {
        let tree = TreeModel::build(&account, theme);
        let search = SearchIndex::build(&account, &tree);
        let context_keys = crate::query::context_keys::referenced_keys(&account);
        Model {
            account,
            tree,
            search,
            context_keys,
        }
    }
}

/// Full-screen views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Tree and details.
    Explorer,
    /// Who can do an action on a resource.
    WhoCan,
    /// Inbound and outbound edges of a principal in the trust graph.
    TrustGraph,
    /// Blast radius of a principal.
    Blast,
    /// Paths from a principal to a target.
    Paths,
    /// The account compared with a second export.
    Diff,
    /// Lessons, quizzes and progress.
    Study,
}

/// Panes of the explorer screen that can have the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// The entity tree.
    Tree,
    /// The details of the selection.
    Details,
}

/// Popups over the current screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    /// Nothing.
    None,
    /// Fuzzy search (`/`).
    Search,
    /// Command palette (`:`).
    Palette,
    /// Key bindings (`?`).
    Help,
    /// Sample accounts.
    Samples,
    /// The context editor.
    Context,
}

/// The search popup.
#[derive(Debug, Clone, Default)]
pub struct SearchState {
    /// What was typed.
    pub query: String,
    /// The best matches, best first.
    pub hits: Vec<SearchHit>,
    /// The highlighted hit.
    pub selected: usize,
    /// Every entry matching `query`.
    pub matched: Vec<usize>,
    /// Earlier queries with their matches, each a prefix of the next: a longer query
    /// searches only the matches of the longest prefix, and Backspace finds its
    /// answer here.
    pub narrowing: Vec<(String, Vec<usize>)>,
}

/// The command palette.
#[derive(Debug, Clone, Default)]
pub struct PaletteState {
    /// What was typed after `:`.
    pub query: String,
    /// Commands matching the query, best first.
    pub items: Vec<Command>,
    /// The highlighted command.
    pub selected: usize,
}

/// The sample-account chooser.
#[derive(Debug, Clone, Default)]
pub struct SamplesState {
    /// Name and description of each sample.
    pub samples: Vec<(String, String)>,
    /// The highlighted sample.
    pub selected: usize,
}

/// The trust graph of the account, built in the background on first use.
#[derive(Debug, Clone, Default)]
pub enum GraphState {
    /// Not asked for yet.
    #[default]
    NotBuilt,
    /// Being built; the builder records its steps and counts here, and stops when
    /// it is cancelled (quit, another account opened).
    Building(Arc<Progress>),
    /// Ready.
    Ready(Arc<Graph>),
}

impl GraphState {
    /// The graph, when ready.
    pub fn ready(&self) -> Option<&Arc<Graph>> {
        match self {
            GraphState::Ready(g) => Some(g),
            _ => None,
        }
    }

    /// Stops a build in progress (its answer would be dropped anyway).
    pub fn cancel(&self) {
        if let GraphState::Building(p) = self {
            p.cancel();
        }
    }
}

/// Everything the TUI shows and remembers.
#[derive(Debug)]
pub struct App {
    /// The account and what is derived from it.
    pub model: Model,
    /// Styles.
    pub theme: Theme,
    /// Key bindings.
    pub keymap: Keymap,
    /// Today, in days since 1970-01-01 (for the age of access keys).
    pub today: i64,
    /// Terminal size (width, height).
    pub size: (u16, u16),
    /// The full-screen view.
    pub screen: Screen,
    /// The focused pane of the explorer.
    pub focus: Pane,
    /// The popup, if any.
    pub overlay: Overlay,
    /// Open tree nodes.
    pub opened: HashSet<NodeId>,
    /// Visible tree nodes, in order (derived from `opened`).
    pub visible: Vec<NodeId>,
    /// Index of the selected node in `visible`.
    pub cursor: usize,
    /// The tree widget's state (selection, open paths, scroll offset).
    pub tree_state: TreeState<NodeId>,
    /// The tree widget's items for the open nodes (derived from `opened`).
    pub tree_items: Vec<TreeItem<'static, NodeId>>,
    /// Nodes to return to with jump-back.
    pub history: Vec<NodeId>,
    /// The details of the selected node, built when the selection changes.
    pub details: Vec<Line<'static>>,
    /// The node `details` is for.
    pub details_node: Option<NodeId>,
    /// First line of `details` shown.
    pub details_scroll: usize,
    /// Search popup.
    pub search: SearchState,
    /// Command palette.
    pub palette: PaletteState,
    /// First line of the help shown.
    pub help_scroll: usize,
    /// Sample chooser.
    pub samples: SamplesState,
    /// Who-can screen.
    pub who_can: WhoCanState,
    /// Whether an analyst (evaluator worker) answers the who-can, can and trust
    /// questions.
    pub who_can_available: bool,
    /// The trust graph.
    pub graph: GraphState,
    /// The trust-graph screen.
    pub trust: TrustState,
    /// The blast-radius screen.
    pub blast: BlastState,
    /// The paths screen.
    pub paths: PathsState,
    /// The context keys in force, and their editor.
    pub context: ContextState,
    /// Bumped when another account is opened, so that late answers about the previous
    /// one are dropped.
    pub generation: u64,
    /// Last request id handed out.
    pub next_id: u64,
    /// One-line message for the status bar.
    pub status: Option<String>,
    /// What is loading in the background, if anything.
    pub loading: Option<String>,
    /// Set when the event loop should end.
    pub should_quit: bool,
    /// Where the config file is read from, for the help.
    pub config_path: String,
    /// The findings view and the account's audit.
    pub findings: super::findings::FindingsState,
    /// The comparison with a second export.
    pub diff: DiffState,
    /// The study screen, with the learner's progress.
    pub study: StudyState,
}

impl App {
    /// A new app on `model`, the tree's categories shown and the first selected.
    pub fn new(
        model: Model,
        theme: Theme,
        keymap: Keymap,
        today: i64,
        who_can_available: bool,
    ) -> App {
        let mut app = App {
            model,
            theme,
            keymap,
            today,
            size: (80, 24),
            screen: Screen::Explorer,
            focus: Pane::Tree,
            overlay: Overlay::None,
            opened: HashSet::new(),
            visible: Vec::new(),
            cursor: 0,
            tree_state: TreeState::default(),
            tree_items: Vec::new(),
            history: Vec::new(),
            details: Vec::new(),
            details_node: None,
            details_scroll: 0,
            search: SearchState::default(),
            palette: PaletteState::default(),
            help_scroll: 0,
            samples: SamplesState::default(),
            who_can: WhoCanState::new(who_can_available),
            who_can_available,
            graph: GraphState::NotBuilt,
            trust: TrustState::default(),
            blast: BlastState::default(),
            paths: PathsState::default(),
            context: ContextState::default(),
            generation: 0,
            next_id: 0,
            status: None,
            loading: None,
            should_quit: false,
            config_path: String::new(),
            findings: Default::default(),
            diff: DiffState::default(),
            study: StudyState::default(),
        };
        app.reset_tree();
        app
    }

    /// Replaces the account (after loading another), keeping screen and settings.
    pub fn set_model(&mut self, model: Model) {
        self.graph.cancel();
        self.model = model;
        self.history.clear();
        self.search = SearchState::default();
        self.who_can = WhoCanState::new(self.who_can_available);
        self.graph = GraphState::NotBuilt;
        self.trust = TrustState::default();
        self.blast = BlastState::default();
        self.paths = PathsState::default();
        self.findings = Default::default();
        self.diff = DiffState {
            against: self.diff.against.take(),
            ..DiffState::default()
        };
        self.generation += 1;
        self.reset_tree();
    }

    fn reset_tree(&mut self) {
        self.opened.clear();
        self.tree_state = TreeState::default();
        self.cursor = 0;
        self.rebuild_items();
        self.recompute_visible();
        self.sync_selection();
    }

    /// The selected node.
    pub fn selected(&self) -> Option<NodeId> {
        self.visible.get(self.cursor).copied()
    }

    /// Rebuilds `visible` from `opened`, keeping the selected node selected. The
    /// widget's items are kept by whoever changes `opened` ([`App::refresh_item`],
    /// [`App::rebuild_items`]).
    pub fn recompute_visible(&mut self) {
        let sel = self.selected();
        self.visible = self.model.tree.visible(&self.opened);
        if let Some(sel) = sel {
            if let Some(i) = self.visible.iter().position(|&n| n == sel) {
                self.cursor = i;
            }
        }
        self.cursor = self.cursor.min(self.visible.len().saturating_sub(1));
    }

    /// Tells the widget about the selection and rebuilds the details if it changed.
    pub fn sync_selection(&mut self) {
        let Some(node) = self.selected() else {
            return;
        };
        self.tree_state.select(self.model.tree.path(node));
        if self.details_node != Some(node) {
            let target = self.model.tree.node(node).target;
            self.details = details(
                &self.model.account,
                target,
                &self.theme,
                self.findings.list(),
                self.findings.highlight.as_ref(),
            );
            self.details_node = Some(node);
            self.details_scroll = 0;
        }
    }

    /// Makes the widget's items again for the whole tree, from `opened` (after many
    /// nodes opened or closed at once).
    pub fn rebuild_items(&mut self) {
        self.tree_items = self.model.tree.items(&self.opened);
    }

    /// Makes the widget's item of `node` (and its subtree) again, after `node` opened
    /// or closed: the cost is that subtree's open part, not the whole tree's.
    pub fn refresh_item(&mut self, node: NodeId) {
        let tree = &self.model.tree;
        let path = tree.path(node);
        let Some(root) = tree.roots.iter().position(|&r| r == path[0]) else {
            return;
        };
        let mut slot = self.tree_items.get_mut(root);
        for pair in path.windows(2) {
            // Below a closed node the item holds a placeholder, not the children.
            let index = self
                .opened
                .contains(&pair[0])
                .then(|| {
                    tree.node(pair[0])
                        .children
                        .iter()
                        .position(|&c| c == pair[1])
                })
                .flatten();
            slot = slot.zip(index).and_then(|(item, i)| item.child_mut(i));
        }
        // None: an ancestor is closed, so nothing shown changes.
        if let Some(item) = slot {
            *item = tree.item(&self.opened, node);
        }
    }

    /// Rebuilds the details of the selection (after the findings arrive).
    pub fn refresh_details(&mut self) {
        self.details_node = None;
        let scroll = self.details_scroll;
        self.sync_selection();
        self.details_scroll = scroll;
    }

    /// Opens `node` (no effect on a leaf), making its children if they are not made yet.
    pub fn open(&mut self, node: NodeId) {
        if !self.model.tree.node(node).has_children() {
            return;
        }
        let Model { tree, account, .. } = &mut self.model;
        tree.materialize(node, account, &self.theme);
        if self.opened.insert(node) {
            self.tree_state.open(self.model.tree.path(node));
            self.refresh_item(node);
            self.recompute_visible();
        }
    }

    /// Closes `node`.
    pub fn close(&mut self, node: NodeId) {
        if self.opened.remove(&node) {
            self.tree_state.close(&self.model.tree.path(node));
            self.refresh_item(node);
            self.recompute_visible();
        }
    }

    /// The node where `target` lives, made first if it is an inline policy whose owner
    /// has not opened yet.
    pub fn node_for(&mut self, target: super::tree::Target) -> Option<NodeId> {
        let Model { tree, account, .. } = &mut self.model;
        tree.find(target, account, &self.theme)
    }

    /// Makes every node of the tree and opens every node that has children.
    pub fn expand_all(&mut self) {
        let Model { tree, account, .. } = &mut self.model;
        tree.materialize_all(account, &self.theme);
        let parents: Vec<NodeId> = (0..tree.nodes.len() as NodeId)
            .filter(|&n| !tree.node(n).children.is_empty())
            .collect();
        for n in parents {
            if self.opened.insert(n) {
                self.tree_state.open(self.model.tree.path(n));
            }
        }
        self.rebuild_items();
        self.recompute_visible();
    }

    /// Selects `node`, opening its ancestors so that it is visible (a node that is made
    /// has every ancestor made).
    pub fn reveal(&mut self, node: NodeId) {
        let path = self.model.tree.path(node);
        let mut first_opened = None;
        for &anc in &path[..path.len() - 1] {
            if self.opened.insert(anc) {
                self.tree_state.open(self.model.tree.path(anc));
                first_opened = first_opened.or(Some(anc));
            }
        }
        // The highest ancestor opened holds the others in its subtree.
        if let Some(anc) = first_opened {
            self.refresh_item(anc);
            self.recompute_visible();
        }
        if let Some(i) = self.visible.iter().position(|&n| n == node) {
            self.cursor = i;
        }
        self.sync_selection();
    }

    /// The screen areas for the current size and focus.
    pub fn areas(&self) -> super::layout::Areas {
        super::layout::areas(self.size.0, self.size.1, self.focus == Pane::Details)
    }

    /// A fresh request id.
    pub fn new_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// True when keys go to a text field rather than to commands.
    pub fn text_input_active(&self) -> bool {
        matches!(
            self.overlay,
            Overlay::Search | Overlay::Palette | Overlay::Context
        ) || (self.overlay == Overlay::None
            && matches!(self.screen, Screen::WhoCan | Screen::Paths))
    }
}
