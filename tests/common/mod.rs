//! Helpers shared by the TUI update tests: the test account and keystrokes.

#![allow(dead_code)]

use iamscope::load::{self, Input};
use iamscope::model::Account;
use iamscope::query::who_can::WhoCanRow;
use iamscope::tui::action::{Action, Command, InputKey, Task};
use iamscope::tui::app::App;
use iamscope::tui::test_app;
use iamscope::tui::tree::{Category, Target};
use iamscope::tui::update::update;

/// The account the tests run on (switch to the fixture with
/// `"tests/fixtures/gaad-cli-shape.json"`).
const ACCOUNT: &str = "sample:startup";

pub fn account() -> Account {
    load::load(&Input::from_arg(Some(ACCOUNT))).expect("test account loads")
}

pub fn app() -> App {
    test_app(account(), 120, 40, false)
}

pub fn cmd(app: &mut App, c: Command) -> Vec<Task> {
    update(app, Action::Command(c))
}

pub fn key(app: &mut App, k: InputKey) -> Vec<Task> {
    update(app, Action::Input(k))
}

pub fn typ(app: &mut App, text: &str) -> Vec<Task> {
    text.chars()
        .flat_map(|c| key(app, InputKey::Char(c)))
        .collect()
}

pub fn selected_target(app: &App) -> Target {
    app.model.tree.node(app.selected().unwrap()).target
}

pub fn selected_label(app: &App) -> String {
    app.model.tree.node(app.selected().unwrap()).label.clone()
}

/// Selects the category `c` (the tree starts with every category closed).
pub fn goto_category(app: &mut App, c: Category) {
    cmd(app, Command::Top);
    while selected_target(app) != Target::Category(c) {
        cmd(app, Command::Down);
    }
}

/// A row as update sees it (these tests check the state machine, not the evaluator;
/// the snapshots and the end-to-end test show real answers).
pub fn row(who: &str) -> WhoCanRow {
    WhoCanRow {
        principal: format!("arn:aws:iam::111111111111:{who}"),
        decision: "Allow".into(),
        missing_keys: Vec::new(),
        via: Vec::new(),
        note: None,
    }
}
