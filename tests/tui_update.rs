//! Unit tests of the pure `update` function: every action, in the contexts where it
//! matters. No terminal is involved.

use std::sync::Arc;

use iamscope::eval::Engine;
use iamscope::graph::Graph;
use iamscope::load::{self, Input};
use iamscope::model::Account;
use iamscope::tui::action::{Action, Command, Effect, InputKey, MouseKind};
use iamscope::tui::analysis::{Explanation, Request};
use iamscope::tui::app::{
    App, GraphState, Model, Overlay, Pane, Screen, Side, WhoCanField, WhoCanStatus,
};
use iamscope::tui::layout::inner;
use iamscope::tui::test_app;
use iamscope::tui::tree::{Category, Target};
use iamscope::tui::update::{details_max_scroll, update, DEBOUNCE_TICKS};
use iamscope::tui::who_can::WhoCanRow;

/// The account the tests run on (switch to the fixture with
/// `"tests/fixtures/gaad-cli-shape.json"`).
const ACCOUNT: &str = "sample:startup";

fn account() -> Account {
    load::load(&Input::from_arg(Some(ACCOUNT))).expect("test account loads")
}

fn app() -> App {
    test_app(account(), 120, 40, false)
}

fn cmd(app: &mut App, c: Command) -> Vec<Effect> {
    update(app, Action::Command(c))
}

fn key(app: &mut App, k: InputKey) -> Vec<Effect> {
    update(app, Action::Input(k))
}

fn typ(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| key(app, InputKey::Char(c)))
        .collect()
}

fn selected_target(app: &App) -> Target {
    app.model.tree.node(app.selected().unwrap()).target
}

fn selected_label(app: &App) -> String {
    app.model.tree.node(app.selected().unwrap()).label.clone()
}

/// Selects the category `c` (the tree starts with every category closed).
fn goto_category(app: &mut App, c: Category) {
    cmd(app, Command::Top);
    while selected_target(app) != Target::Category(c) {
        cmd(app, Command::Down);
    }
}

#[test]
fn starts_on_users_with_categories_closed() {
    let app = app();
    assert_eq!(app.visible.len(), 8);
    assert_eq!(selected_target(&app), Target::Category(Category::Users));
    assert!(!app.details.is_empty());
    assert_eq!(app.screen, Screen::Explorer);
    assert_eq!(app.focus, Pane::Tree);
}

#[test]
fn up_down_top_bottom_move_the_cursor_and_clamp() {
    let mut app = app();
    cmd(&mut app, Command::Up);
    assert_eq!(app.cursor, 0);
    cmd(&mut app, Command::Down);
    assert_eq!(selected_target(&app), Target::Category(Category::Groups));
    cmd(&mut app, Command::Bottom);
    assert_eq!(app.cursor, app.visible.len() - 1);
    cmd(&mut app, Command::Down);
    assert_eq!(app.cursor, app.visible.len() - 1);
    cmd(&mut app, Command::Top);
    assert_eq!(app.cursor, 0);
}

#[test]
fn pages_move_by_the_tree_height() {
    let mut app = app();
    cmd(&mut app, Command::ExpandAll);
    let page = inner(app.areas().tree).height as usize;
    cmd(&mut app, Command::PageDown);
    assert_eq!(app.cursor, page);
    cmd(&mut app, Command::HalfPageUp);
    assert_eq!(app.cursor, page - page / 2);
    cmd(&mut app, Command::HalfPageDown);
    assert_eq!(app.cursor, page);
    cmd(&mut app, Command::PageUp);
    assert_eq!(app.cursor, 0);
}

#[test]
fn right_opens_then_enters_left_closes_then_goes_up() {
    let mut app = app();
    cmd(&mut app, Command::Right);
    assert!(app.opened.contains(&app.selected().unwrap()));
    assert_eq!(app.visible.len(), 8 + 8);
    cmd(&mut app, Command::Right);
    assert_eq!(selected_label(&app), "alice");
    cmd(&mut app, Command::Left);
    assert_eq!(selected_target(&app), Target::Category(Category::Users));
    cmd(&mut app, Command::Left);
    assert_eq!(app.visible.len(), 8);
}

#[test]
fn open_toggles_and_follows_links_and_jump_back_returns() {
    let mut app = app();
    cmd(&mut app, Command::Open);
    assert_eq!(app.visible.len(), 16);
    cmd(&mut app, Command::Down); // alice
    cmd(&mut app, Command::Open);
    cmd(&mut app, Command::Down); // alice's first child: a group link
    let link = app.selected().unwrap();
    assert!(app.model.tree.node(link).link, "{}", selected_label(&app));
    assert!(selected_label(&app).starts_with("group "));
    cmd(&mut app, Command::Open);
    assert!(matches!(selected_target(&app), Target::Group(_)));
    assert!(!app.model.tree.node(app.selected().unwrap()).link);
    cmd(&mut app, Command::JumpBack);
    assert_eq!(app.selected(), Some(link));
    // Open on a leaf that is not a link focuses the details.
    cmd(&mut app, Command::Bottom);
    cmd(&mut app, Command::Open);
    cmd(&mut app, Command::Bottom);
    while !app
        .model
        .tree
        .node(app.selected().unwrap())
        .children
        .is_empty()
        || app.model.tree.node(app.selected().unwrap()).link
    {
        cmd(&mut app, Command::Up);
    }
    cmd(&mut app, Command::Open);
    assert_eq!(app.focus, Pane::Details);
}

#[test]
fn expand_all_and_collapse_all() {
    let mut app = app();
    cmd(&mut app, Command::ExpandAll);
    assert_eq!(app.visible.len(), app.model.tree.nodes.len());
    cmd(&mut app, Command::Bottom);
    cmd(&mut app, Command::CollapseAll);
    assert_eq!(app.visible.len(), 8);
    assert_eq!(
        selected_target(&app),
        Target::Category(Category::ResourcePolicies)
    );
}

#[test]
fn panes_switch_and_details_scroll() {
    let mut app = app();
    // Short enough that the first role's details scroll.
    app.size = (120, 24);
    goto_category(&mut app, Category::Roles);
    cmd(&mut app, Command::Right);
    cmd(&mut app, Command::Right); // first role: long details
    assert!(app.details.len() > 30, "{}", app.details.len());
    cmd(&mut app, Command::NextPane);
    assert_eq!(app.focus, Pane::Details);
    cmd(&mut app, Command::Down);
    assert_eq!(app.details_scroll, 1);
    cmd(&mut app, Command::Bottom);
    let max = details_max_scroll(&app);
    assert!(max > 0 && max < app.details.len());
    assert_eq!(app.details_scroll, max);
    cmd(&mut app, Command::Top);
    assert_eq!(app.details_scroll, 0);
    cmd(&mut app, Command::PrevPane);
    assert_eq!(app.focus, Pane::Tree);
    cmd(&mut app, Command::NextPane);
    cmd(&mut app, Command::Left);
    assert_eq!(app.focus, Pane::Tree);
}

#[test]
fn back_closes_overlay_then_screen_then_pane_then_quits() {
    let mut app = app();
    cmd(&mut app, Command::Help);
    assert_eq!(app.overlay, Overlay::Help);
    cmd(&mut app, Command::Back);
    assert_eq!(app.overlay, Overlay::None);
    cmd(&mut app, Command::TrustGraph);
    assert_eq!(app.screen, Screen::TrustGraph);
    cmd(&mut app, Command::Back);
    assert_eq!(app.screen, Screen::Explorer);
    cmd(&mut app, Command::NextPane);
    cmd(&mut app, Command::Back);
    assert_eq!(app.focus, Pane::Tree);
    assert!(!app.should_quit);
    cmd(&mut app, Command::Back);
    assert!(app.should_quit);
}

#[test]
fn quit_quits() {
    let mut app = app();
    cmd(&mut app, Command::Search);
    cmd(&mut app, Command::Quit);
    assert!(app.should_quit);
}

#[test]
fn help_toggles_and_scrolls() {
    let mut app = app();
    cmd(&mut app, Command::Help);
    cmd(&mut app, Command::Down);
    cmd(&mut app, Command::Down);
    assert_eq!(app.help_scroll, 2);
    cmd(&mut app, Command::Help);
    assert_eq!(app.overlay, Overlay::None);
    cmd(&mut app, Command::Help);
    cmd(&mut app, Command::Open);
    assert_eq!(app.overlay, Overlay::None);
}

#[test]
fn search_finds_and_jumps_to_a_role() {
    let mut app = app();
    cmd(&mut app, Command::Search);
    assert_eq!(app.overlay, Overlay::Search);
    assert!(!app.search.hits.is_empty());
    typ(&mut app, "role/gh-deplo");
    let first = &app.model.search.entries[app.search.hits[0].entry];
    assert_eq!(
        (first.kind, first.name.as_str()),
        ("role", "github-actions-deploy")
    );
    key(&mut app, InputKey::Backspace);
    key(&mut app, InputKey::Char('y'));
    key(&mut app, InputKey::Next);
    assert_eq!(app.search.selected, 1.min(app.search.hits.len() - 1));
    key(&mut app, InputKey::Prev);
    key(&mut app, InputKey::Accept);
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(selected_label(&app), "github-actions-deploy");
    assert!(matches!(selected_target(&app), Target::Role(_)));
    assert!(app.opened.contains(&app.selected().unwrap()));
    // Jump back returns to where the search started.
    cmd(&mut app, Command::JumpBack);
    assert_eq!(selected_target(&app), Target::Category(Category::Users));
}

#[test]
fn search_by_arn_narrows_and_widens() {
    let mut app = app();
    cmd(&mut app, Command::Search);
    let all = app.search.matched.len();
    typ(&mut app, "policy/");
    let narrowed = app.search.matched.len();
    assert!(narrowed < all && narrowed > 0);
    key(&mut app, InputKey::Clear);
    assert_eq!(app.search.matched.len(), all);
    typ(&mut app, "zzzzqqq");
    assert!(app.search.hits.is_empty());
    key(&mut app, InputKey::Accept);
    assert_eq!(
        app.overlay,
        Overlay::Search,
        "accept with no hit keeps the popup"
    );
    key(&mut app, InputKey::Cancel);
    assert_eq!(app.overlay, Overlay::None);
}

#[test]
fn palette_filters_and_runs_commands() {
    let mut app = app();
    cmd(&mut app, Command::Palette);
    assert_eq!(app.palette.items.len(), Command::ALL.len());
    typ(&mut app, "who-can");
    assert_eq!(app.palette.items[0], Command::WhoCan);
    key(&mut app, InputKey::Accept);
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(app.screen, Screen::WhoCan);
    key(&mut app, InputKey::Cancel);
    cmd(&mut app, Command::Palette);
    typ(&mut app, ":quit");
    key(&mut app, InputKey::Tab);
    key(&mut app, InputKey::BackTab);
    key(&mut app, InputKey::Accept);
    assert!(app.should_quit);
}

#[test]
fn samples_overlay_requests_a_load() {
    let mut app = app();
    cmd(&mut app, Command::Samples);
    assert_eq!(app.overlay, Overlay::Samples);
    assert!(!app.samples.samples.is_empty());
    assert_eq!(app.samples.samples[app.samples.selected].0, "startup");
    cmd(&mut app, Command::Bottom);
    let name = app.samples.samples[app.samples.selected].0.clone();
    let fx = cmd(&mut app, Command::Open);
    assert_eq!(fx, vec![Effect::Load(Input::Sample(name))]);
    assert!(app.loading.is_some());
    assert_eq!(app.overlay, Overlay::None);
}

#[test]
fn loaded_replaces_the_account_and_errors_are_shown() {
    let mut app = app();
    cmd(&mut app, Command::ExpandAll);
    let other = load::load(&Input::from_arg(Some("tests/fixtures/gaad-cli-shape.json"))).unwrap();
    let model = Model::build(std::sync::Arc::new(other), &app.theme);
    app.loading = Some("x".into());
    update(&mut app, Action::Loaded(Ok(Box::new(model))));
    assert!(app.loading.is_none());
    assert_eq!(app.model.account.id, "123456789012");
    assert_eq!(app.visible.len(), 8);
    update(&mut app, Action::Loaded(Err("no such sample".into())));
    assert!(app.status.as_deref().unwrap().contains("no such sample"));
}

#[test]
fn resize_changes_layout_and_clamps_scroll() {
    let mut app = app();
    goto_category(&mut app, Category::Roles);
    cmd(&mut app, Command::Right);
    cmd(&mut app, Command::Right);
    cmd(&mut app, Command::NextPane);
    cmd(&mut app, Command::Bottom);
    update(&mut app, Action::Resize(200, 100));
    assert_eq!(app.size, (200, 100));
    assert_eq!(app.details_scroll, details_max_scroll(&app));
}

#[test]
fn mouse_click_selects_and_wheel_scrolls() {
    let mut app = app();
    let tree = inner(app.areas().tree);
    update(
        &mut app,
        Action::Mouse(MouseKind::Click, tree.x + 2, tree.y + 2),
    );
    assert_eq!(selected_target(&app), Target::Category(Category::Roles));
    // A second click on the selection opens it.
    update(
        &mut app,
        Action::Mouse(MouseKind::Click, tree.x + 2, tree.y + 2),
    );
    assert!(app.opened.contains(&app.selected().unwrap()));
    update(
        &mut app,
        Action::Mouse(MouseKind::ScrollDown, tree.x + 2, tree.y + 2),
    );
    assert_eq!(app.cursor, 5);
    update(
        &mut app,
        Action::Mouse(MouseKind::ScrollUp, tree.x + 2, tree.y + 2),
    );
    assert_eq!(app.cursor, 2);
    let details = inner(app.areas().details);
    cmd(&mut app, Command::Down);
    cmd(&mut app, Command::Open); // a role: long details
    update(
        &mut app,
        Action::Mouse(MouseKind::ScrollDown, details.x + 1, details.y + 1),
    );
    assert_eq!(app.focus, Pane::Details);
    assert_eq!(app.details_scroll, 3.min(details_max_scroll(&app)));
    update(
        &mut app,
        Action::Mouse(MouseKind::Click, details.x + 1, details.y + 1),
    );
    assert_eq!(app.focus, Pane::Details);
    // Clicks outside any pane, or below the last node, change nothing.
    cmd(&mut app, Command::CollapseAll);
    let before = app.cursor;
    update(
        &mut app,
        Action::Mouse(MouseKind::Click, tree.x + 1, tree.y + tree.height - 1),
    );
    assert_eq!(app.cursor, before);
}

#[test]
fn who_can_without_evaluator_says_so_and_sends_nothing() {
    let mut app = app();
    cmd(&mut app, Command::WhoCan);
    assert_eq!(app.screen, Screen::WhoCan);
    assert_eq!(app.who_can.status, WhoCanStatus::Unavailable);
    let mut fx = typ(&mut app, "s3:GetObj");
    for _ in 0..10 {
        fx.extend(update(&mut app, Action::Tick));
    }
    fx.extend(key(&mut app, InputKey::Accept));
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(app.who_can.status, WhoCanStatus::Unavailable);
}

#[test]
fn who_can_completes_actions_from_the_catalogue() {
    let mut app = app();
    cmd(&mut app, Command::WhoCan);
    typ(&mut app, "s3:GetObj");
    assert!(app.who_can.popup);
    assert!(app
        .who_can
        .completions
        .iter()
        .all(|c| c.starts_with("s3:GetObj")));
    key(&mut app, InputKey::Next);
    assert_eq!(app.who_can.completion, Some(1));
    key(&mut app, InputKey::Prev);
    key(&mut app, InputKey::Tab);
    assert_eq!(app.who_can.action, "s3:GetObject");
    assert!(!app.who_can.popup);
    assert_eq!(app.who_can.field, WhoCanField::Resource);
    typ(&mut app, "arn:aws:s3:::b/k");
    assert_eq!(app.who_can.resource, "arn:aws:s3:::b/k");
    key(&mut app, InputKey::Backspace);
    assert_eq!(app.who_can.resource, "arn:aws:s3:::b/");
    key(&mut app, InputKey::BackTab);
    assert_eq!(app.who_can.field, WhoCanField::Action);
    key(&mut app, InputKey::Clear);
    typ(&mut app, "iam:PassR");
    key(&mut app, InputKey::Cancel);
    assert!(!app.who_can.popup, "Esc closes the completion list first");
    assert_eq!(app.screen, Screen::WhoCan);
    key(&mut app, InputKey::Cancel);
    assert_eq!(app.screen, Screen::Explorer);
}

#[test]
fn who_can_debounces_and_drops_stale_answers() {
    let mut app = test_app(account(), 120, 40, true);
    cmd(&mut app, Command::WhoCan);
    assert_eq!(app.who_can.status, WhoCanStatus::Idle);
    assert!(typ(&mut app, "s3:GetObject").is_empty());
    assert_eq!(app.who_can.status, WhoCanStatus::Typing);
    let mut fx = Vec::new();
    for _ in 0..DEBOUNCE_TICKS - 1 {
        fx.extend(update(&mut app, Action::Tick));
    }
    assert!(fx.is_empty(), "no request before typing pauses");
    fx.extend(update(&mut app, Action::Tick));
    let request = Request::WhoCan {
        id: 1,
        action: "s3:GetObject".into(),
        resource: "*".into(),
        escalation: false,
    };
    assert_eq!(fx, vec![Effect::Analyze(request)]);
    assert_eq!(app.who_can.status, WhoCanStatus::Computing(1));
    // Typing more makes the answer to request 1 stale.
    key(&mut app, InputKey::Tab);
    typ(&mut app, "arn:aws:s3:::b/*");
    let fx = key(&mut app, InputKey::Accept);
    assert!(
        matches!(&fx[..], [Effect::Analyze(Request::WhoCan { id: 2, resource, .. })] if resource == "arn:aws:s3:::b/*")
    );
    let row = WhoCanRow {
        principal_arn: "arn:aws:iam::111111111111:user/alice".into(),
        decision: "Allow".into(),
        detail: Some("AdministratorAccess".into()),
        ..WhoCanRow::default()
    };
    update(
        &mut app,
        Action::WhoCanResults {
            id: 1,
            rows: vec![row.clone()],
        },
    );
    assert!(app.who_can.rows.is_empty());
    update(
        &mut app,
        Action::WhoCanResults {
            id: 2,
            rows: vec![row.clone(), row],
        },
    );
    assert_eq!(app.who_can.status, WhoCanStatus::Done);
    assert_eq!(app.who_can.rows.len(), 2);
    key(&mut app, InputKey::Next);
    assert_eq!(app.who_can.selected, 1);
    // An empty action asks nothing.
    key(&mut app, InputKey::BackTab);
    key(&mut app, InputKey::Clear);
    let fx = key(&mut app, InputKey::Accept);
    assert!(fx.is_empty());
    assert_eq!(app.who_can.status, WhoCanStatus::Idle);
}

#[test]
fn tick_without_pending_work_changes_nothing() {
    let mut app = app();
    let before = (app.cursor, app.who_can.status.clone());
    assert!(update(&mut app, Action::Tick).is_empty());
    assert_eq!((app.cursor, app.who_can.status.clone()), before);
}

#[test]
fn every_command_is_safe_in_every_context() {
    let contexts: Vec<fn(&mut App)> = vec![
        |_| {},
        |a| {
            cmd(a, Command::Search);
        },
        |a| {
            cmd(a, Command::Palette);
        },
        |a| {
            cmd(a, Command::Help);
        },
        |a| {
            cmd(a, Command::Samples);
        },
        |a| {
            cmd(a, Command::WhoCan);
        },
        |a| {
            cmd(a, Command::TrustGraph);
        },
        |a| {
            cmd(a, Command::Can);
        },
        |a| {
            cmd(a, Command::NextPane);
        },
    ];
    for setup in contexts {
        for &c in Command::ALL {
            let mut app = app();
            setup(&mut app);
            cmd(&mut app, c);
            for k in [
                InputKey::Char('x'),
                InputKey::Backspace,
                InputKey::Clear,
                InputKey::Prev,
                InputKey::Next,
                InputKey::Tab,
                InputKey::BackTab,
                InputKey::Accept,
                InputKey::Toggle,
                InputKey::PageUp,
                InputKey::PageDown,
                InputKey::Cancel,
            ] {
                key(&mut app, k);
            }
            for m in [MouseKind::Click, MouseKind::ScrollDown, MouseKind::ScrollUp] {
                update(&mut app, Action::Mouse(m, 10, 10));
            }
            update(&mut app, Action::Resize(20, 5));
            update(&mut app, Action::Tick);
        }
    }
}

// --- The evaluator's screens: who-can answers, traces, "can" mode, trust graph. ---

fn live_app() -> App {
    test_app(account(), 120, 40, true)
}

fn row(who: &str) -> WhoCanRow {
    WhoCanRow {
        principal_arn: format!("arn:aws:iam::111111111111:{who}"),
        decision: "Allow".into(),
        detail: Some("AdministratorAccess#0".into()),
        ..WhoCanRow::default()
    }
}

/// Types an action, closes the completion list and lets the debounce run out;
/// returns the effects.
fn ask(app: &mut App, action: &str) -> Vec<Effect> {
    let mut fx = typ(app, action);
    if app.who_can.popup {
        fx.extend(key(app, InputKey::Cancel));
    }
    for _ in 0..DEBOUNCE_TICKS {
        fx.extend(update(app, Action::Tick));
    }
    fx
}

fn answer_who_can(app: &mut App, rows: Vec<WhoCanRow>) {
    let id = app.who_can.last_id;
    update(app, Action::WhoCanResults { id, rows });
}

#[test]
fn enter_on_a_row_asks_for_its_trace_and_esc_closes_it() {
    let mut app = live_app();
    cmd(&mut app, Command::WhoCan);
    ask(&mut app, "s3:GetObject");
    answer_who_can(&mut app, vec![row("user/alice"), row("user/bob")]);
    key(&mut app, InputKey::Next);
    let fx = key(&mut app, InputKey::Accept);
    let id = match &fx[..] {
        [Effect::Analyze(Request::Explain {
            id,
            principal,
            action,
            resource,
        })] => {
            assert_eq!(principal, "arn:aws:iam::111111111111:user/bob");
            assert_eq!((action.as_str(), resource.as_str()), ("s3:GetObject", "*"));
            *id
        }
        other => panic!("{other:?}"),
    };
    assert!(app.who_can.trace_open);
    let explanation = Explanation {
        principal: "arn:aws:iam::111111111111:user/bob".into(),
        decision: "Allow".into(),
        steps: (1..=40).map(|i| format!("{i:>3}. step")).collect(),
        ..Explanation::default()
    };
    update(
        &mut app,
        Action::Explained {
            id: id + 100,
            explanation: explanation.clone(),
        },
    );
    assert!(
        app.who_can.explanation.is_none(),
        "stale answers are dropped"
    );
    update(&mut app, Action::Explained { id, explanation });
    assert_eq!(app.who_can.explanation.as_ref().unwrap().steps.len(), 40);
    // Up/Down and pages scroll the trace, not the rows; typing is ignored.
    key(&mut app, InputKey::Next);
    key(&mut app, InputKey::PageDown);
    assert!(app.who_can.trace_scroll > 1);
    assert_eq!(app.who_can.selected, 1);
    assert!(key(&mut app, InputKey::Char('x')).is_empty());
    assert_eq!(app.who_can.action, "s3:GetObject");
    key(&mut app, InputKey::Cancel);
    assert!(!app.who_can.trace_open);
    assert_eq!(app.screen, Screen::WhoCan);
}

#[test]
fn escalation_toggle_builds_the_graph_once_and_asks_again_when_ready() {
    let mut app = live_app();
    cmd(&mut app, Command::WhoCan);
    ask(&mut app, "s3:GetObject");
    let fx = key(&mut app, InputKey::Toggle);
    assert!(app.who_can.escalation);
    assert!(fx.contains(&Effect::BuildGraph { generation: 0 }), "{fx:?}");
    assert!(fx.iter().any(|f| matches!(
        f,
        Effect::Analyze(Request::WhoCan {
            escalation: true,
            ..
        })
    )));
    assert!(matches!(app.graph, GraphState::Building));
    // Off and on again: no second build.
    key(&mut app, InputKey::Toggle);
    let fx = key(&mut app, InputKey::Toggle);
    assert!(!fx.iter().any(|f| matches!(f, Effect::BuildGraph { .. })));
    // A graph for another account is dropped; this account's is kept, and the
    // question is asked again with it.
    let graph = Arc::new(Graph::default());
    update(
        &mut app,
        Action::GraphReady {
            generation: 7,
            graph: Arc::clone(&graph),
        },
    );
    assert!(matches!(app.graph, GraphState::Building));
    let before = app.who_can.last_id;
    let fx = update(
        &mut app,
        Action::GraphReady {
            generation: 0,
            graph,
        },
    );
    assert!(app.graph.ready().is_some());
    assert!(
        matches!(&fx[..], [Effect::Analyze(Request::WhoCan { id, escalation: true, .. })] if *id > before),
        "{fx:?}"
    );
}

#[test]
fn can_mode_fixes_the_selected_principal_and_explains_live() {
    let mut app = live_app();
    goto_category(&mut app, Category::Roles);
    cmd(&mut app, Command::Right);
    while selected_label(&app) != "github-actions-deploy" {
        cmd(&mut app, Command::Down);
    }
    let fx = cmd(&mut app, Command::Can);
    assert!(fx.is_empty(), "no action yet: {fx:?}");
    assert_eq!(app.screen, Screen::WhoCan);
    assert_eq!(app.who_can.principal, "role/github-actions-deploy");
    assert!(app.who_can.can_mode());
    let fx = ask(&mut app, "s3:PutObject");
    let id = match &fx[..] {
        [Effect::Analyze(Request::Explain { id, principal, .. })] => {
            assert_eq!(principal, "role/github-actions-deploy");
            *id
        }
        other => panic!("{other:?}"),
    };
    let explanation = Explanation {
        principal: "arn:aws:iam::111111111111:role/github-actions-deploy".into(),
        decision: "Allow".into(),
        ..Explanation::default()
    };
    update(&mut app, Action::Explained { id, explanation });
    assert_eq!(app.who_can.status, WhoCanStatus::Done);
    assert_eq!(app.who_can.explanation.as_ref().unwrap().decision, "Allow");
    // Each keystroke asks again (after the debounce); `w` goes back to who-can.
    let fx = ask(&mut app, "x");
    assert!(matches!(
        &fx[..],
        [Effect::Analyze(Request::Explain { .. })]
    ));
    let fx = cmd(&mut app, Command::WhoCan);
    assert!(!app.who_can.can_mode());
    assert!(matches!(&fx[..], [Effect::Analyze(Request::WhoCan { .. })]));
}

#[test]
fn deciding_statements_are_asked_for_rows_scrolled_into_view() {
    let mut app = live_app();
    cmd(&mut app, Command::WhoCan);
    ask(&mut app, "s3:GetObject");
    let mut rows: Vec<WhoCanRow> = (0..300).map(|i| row(&format!("user/u{i}"))).collect();
    for r in rows.iter_mut().skip(64) {
        r.detail = None;
    }
    answer_who_can(&mut app, rows);
    let rows_id = app.who_can.rows_id;
    // The first rows came with their statements: nothing to ask near the top.
    let mut fx = key(&mut app, InputKey::PageDown);
    assert!(fx.is_empty(), "{fx:?}");
    while fx.is_empty() && app.who_can.selected < 299 {
        fx = key(&mut app, InputKey::PageDown);
    }
    let asked: Vec<usize> = match &fx[..] {
        [Effect::Analyze(Request::Statements { id, rows, .. })] => {
            assert_eq!(*id, rows_id);
            rows.iter().map(|(i, _)| *i).collect()
        }
        other => panic!("{other:?}"),
    };
    assert!(asked.iter().all(|&i| i >= 64));
    assert!(asked.len() < 100, "only rows near the view: {asked:?}");
    // Asked once: moving within the same rows asks nothing more.
    assert!(key(&mut app, InputKey::Prev).is_empty());
    update(
        &mut app,
        Action::WhoCanStatements {
            id: rows_id + 1,
            statements: vec![(64, "stale".into())],
        },
    );
    assert_ne!(app.who_can.rows[64].detail.as_deref(), Some("stale"));
    update(
        &mut app,
        Action::WhoCanStatements {
            id: rows_id,
            statements: vec![(64, "DeveloperAccess/Read".into())],
        },
    );
    assert_eq!(
        app.who_can.rows[64].detail.as_deref(),
        Some("DeveloperAccess/Read")
    );
}

#[test]
fn trust_graph_waits_for_the_graph_then_follows_edges_and_returns() {
    let account = account();
    let graph = {
        let engine = Engine::new(&account);
        Arc::new(Graph::build(&engine))
    };
    let mut app = test_app(account, 120, 40, true);
    goto_category(&mut app, Category::Users);
    cmd(&mut app, Command::Right);
    while selected_label(&app) != "carol" {
        cmd(&mut app, Command::Down);
    }
    let fx = cmd(&mut app, Command::TrustGraph);
    assert_eq!(fx, vec![Effect::BuildGraph { generation: 0 }]);
    assert_eq!(app.screen, Screen::TrustGraph);
    assert!(app.trust.node.is_none());
    let fx = update(
        &mut app,
        Action::GraphReady {
            generation: 0,
            graph,
        },
    );
    let carol = app.trust.node.expect("shown once the graph is ready");
    assert!(app.trust.inbound.is_empty());
    assert_eq!(app.trust.side, Side::Outbound, "the side with edges");
    assert!(matches!(
        &fx[..],
        [Effect::Analyze(Request::Evidence { .. })]
    ));
    // Moving asks for the evidence of the new edge; stale evidence is dropped.
    let first_id = app.trust.evidence_id;
    let fx = cmd(&mut app, Command::Down);
    assert!(matches!(&fx[..], [Effect::Analyze(Request::Evidence { id, .. })] if *id > first_id));
    update(
        &mut app,
        Action::Evidence {
            id: first_id,
            evidence: Vec::new(),
        },
    );
    assert!(app.trust.evidence.is_none());
    let id = app.trust.evidence_id;
    update(
        &mut app,
        Action::Evidence {
            id,
            evidence: Vec::new(),
        },
    );
    assert!(app.trust.evidence.is_some());
    // Enter follows the edge; Backspace returns with the selection kept.
    let selected = app.trust.selected;
    let target = app.trust.selected_edge().unwrap().other;
    cmd(&mut app, Command::Open);
    assert_eq!(app.trust.node, Some(target));
    assert_eq!(app.trust.crumbs.len(), 1);
    assert!(app
        .trust
        .inbound
        .iter()
        .any(|r| r.other == carol && r.edge.to == target));
    cmd(&mut app, Command::Left);
    assert_eq!(app.trust.side, Side::Inbound);
    cmd(&mut app, Command::JumpBack);
    assert_eq!(app.trust.node, Some(carol));
    assert_eq!(app.trust.selected, selected);
    assert_eq!(app.trust.side, Side::Outbound);
    assert!(app.trust.crumbs.is_empty());
    cmd(&mut app, Command::Back);
    assert_eq!(app.screen, Screen::Explorer);
}

#[test]
fn opening_another_account_forgets_the_graph() {
    let mut app = live_app();
    update(
        &mut app,
        Action::GraphReady {
            generation: 0,
            graph: Arc::new(Graph::default()),
        },
    );
    assert!(app.graph.ready().is_some());
    let model = Model::build(Arc::new(account()), &app.theme);
    update(&mut app, Action::Loaded(Ok(Box::new(model))));
    assert_eq!(app.generation, 1);
    assert!(matches!(app.graph, GraphState::NotBuilt));
}
