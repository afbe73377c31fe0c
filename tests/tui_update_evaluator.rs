//! Unit tests of the pure `update` function on the evaluator's screens: who-can
//! answers and traces, "can" mode, the trust graph, switching accounts.

mod common;

use std::sync::Arc;

use common::*;
use iamscope::eval::Engine;
use iamscope::graph::Graph;
use iamscope::query::explain::Explanation;
use iamscope::query::who_can::WhoCanRow;
use iamscope::tui::action::{Action, Command, InputKey, Task};
use iamscope::tui::analysis::Request;
use iamscope::tui::app::{App, GraphState, Model, Screen, Side, WhoCanStatus};
use iamscope::tui::test_app;
use iamscope::tui::tree::Category;
use iamscope::tui::update::{update, DEBOUNCE_TICKS};

// --- The evaluator's screens: who-can answers, traces, "can" mode, trust graph. ---

fn live_app() -> App {
    test_app(account(), 120, 40, true)
}

/// Types an action, closes the completion list and lets the debounce run out;
/// returns the effects.
fn ask(app: &mut App, action: &str) -> Vec<Task> {
    let mut fx = typ(app, action);
    if app.who_can.popup {
        fx.extend(key(app, InputKey::Cancel));
    }
    for _ in 0..DEBOUNCE_TICKS {
        fx.extend(update(app, Action::Tick));
    }
    fx
}

fn answer_who_can(app: &mut App, rows: Vec<WhoCanRow>, with_statements: usize) {
    let id = app.who_can.last_id;
    let deciding = (0..rows.len())
        .map(|i| (i < with_statements).then(|| vec!["AdministratorAccess#1".to_string()]))
        .collect();
    update(app, Action::WhoCanResults { id, rows, deciding });
}

#[test]
fn enter_on_a_row_asks_for_its_trace_and_esc_closes_it() {
    let mut app = live_app();
    cmd(&mut app, Command::WhoCan);
    ask(&mut app, "s3:GetObject");
    answer_who_can(&mut app, vec![row("user/alice"), row("user/bob")], 2);
    key(&mut app, InputKey::Next);
    let fx = key(&mut app, InputKey::Accept);
    let id = match &fx[..] {
        [Task::Analyze(Request::Explain {
            id,
            principal,
            action,
            resource,
            ..
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
    assert!(fx.contains(&Task::BuildGraph { generation: 0 }), "{fx:?}");
    assert!(fx.iter().any(|f| matches!(
        f,
        Task::Analyze(Request::WhoCan {
            escalation: true,
            ..
        })
    )));
    assert!(matches!(app.graph, GraphState::Building(_)));
    // Off and on again: no second build.
    key(&mut app, InputKey::Toggle);
    let fx = key(&mut app, InputKey::Toggle);
    assert!(!fx.iter().any(|f| matches!(f, Task::BuildGraph { .. })));
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
    assert!(matches!(app.graph, GraphState::Building(_)));
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
        matches!(&fx[..], [Task::Analyze(Request::WhoCan { id, escalation: true, .. })] if *id > before),
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
        [Task::Analyze(Request::Explain { id, principal, .. })] => {
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
    assert!(matches!(&fx[..], [Task::Analyze(Request::Explain { .. })]));
    let fx = cmd(&mut app, Command::WhoCan);
    assert!(!app.who_can.can_mode());
    assert!(matches!(&fx[..], [Task::Analyze(Request::WhoCan { .. })]));
}

#[test]
fn deciding_statements_are_asked_for_rows_scrolled_into_view() {
    let mut app = live_app();
    cmd(&mut app, Command::WhoCan);
    let fx = ask(&mut app, "s3:GetObject");
    // 40 lines less the header and status bar, the 5-line form, the list's borders,
    // header and footer: 27 rows in view, and only they are explained with the answer.
    let in_view = match &fx[..] {
        [Task::Analyze(Request::WhoCan { in_view, .. })] => in_view.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(in_view, 0..27);
    let rows: Vec<WhoCanRow> = (0..300).map(|i| row(&format!("user/u{i}"))).collect();
    answer_who_can(&mut app, rows, 27);
    let rows_id = app.who_can.rows_id;
    // Half a page down (20 rows) stays within the rows explained: nothing to ask.
    let fx = key(&mut app, InputKey::PageDown);
    assert_eq!(app.who_can.selected, 20);
    assert!(fx.is_empty(), "{fx:?}");
    // Row 40 selected: rows 14..41 in view, of which 27..41 are new.
    let fx = key(&mut app, InputKey::PageDown);
    assert_eq!(app.who_can.selected, 40);
    let asked: Vec<usize> = match &fx[..] {
        [Task::Analyze(Request::Statements { id, rows, .. })] => {
            assert_eq!(*id, rows_id);
            rows.iter().map(|(i, _)| *i).collect()
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(asked, (27..41).collect::<Vec<_>>());
    // Asked once: moving within the same rows asks nothing more.
    assert!(key(&mut app, InputKey::Prev).is_empty());
    update(
        &mut app,
        Action::WhoCanStatements {
            id: rows_id + 1,
            statements: vec![(30, vec!["stale".into()])],
        },
    );
    assert_ne!(app.who_can.deciding[30], Some(vec!["stale".to_string()]));
    update(
        &mut app,
        Action::WhoCanStatements {
            id: rows_id,
            statements: vec![(30, vec!["DeveloperAccess/Read".into()])],
        },
    );
    assert_eq!(
        app.who_can.deciding[30],
        Some(vec!["DeveloperAccess/Read".to_string()])
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
    select_user(&mut app, "carol");
    let fx = cmd(&mut app, Command::TrustGraph);
    assert_eq!(fx, vec![Task::BuildGraph { generation: 0 }]);
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
    assert!(matches!(&fx[..], [Task::Analyze(Request::Evidence { .. })]));
    // Moving asks for the evidence of the new edge; stale evidence is dropped.
    let first_id = app.trust.evidence_id;
    let fx = cmd(&mut app, Command::Down);
    assert!(matches!(&fx[..], [Task::Analyze(Request::Evidence { id, .. })] if *id > first_id));
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
    assert_eq!(
        app.trust.side,
        Side::Outbound,
        "after following an edge, focus stays on the list followed"
    );
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

/// Every character of a rendered screen, row by row.
/// Opens the Users category and moves the selection to `name`.
fn select_user(app: &mut App, name: &str) {
    goto_category(app, Category::Users);
    cmd(app, Command::Right);
    while selected_label(app) != name {
        cmd(app, Command::Down);
    }
}

fn screen_text(app: &mut App) -> String {
    let terminal = iamscope::tui::render_to_test_backend(app);
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}

#[test]
fn the_trust_screen_shows_the_build_progress_and_quitting_cancels_the_build() {
    let mut app = test_app(account(), 160, 40, true);
    let principals = app.model.account.users.len() + app.model.account.roles.len();
    select_user(&mut app, "carol");
    let fx = cmd(&mut app, Command::TrustGraph);
    assert_eq!(fx, vec![Task::BuildGraph { generation: 0 }]);
    let GraphState::Building(progress) = &app.graph else {
        panic!("building: {:?}", app.graph);
    };
    let progress = Arc::clone(progress);
    assert!(screen_text(&mut app).contains("building trust graph… starting"));
    // The builder reaches its fourth step with 1,234 grants found.
    assert!(progress.begin(3, principals, 1_234));
    let text = screen_text(&mut app);
    let line = format!(
        "building trust graph… step 4 of 6 (trust between principals) · {principals} principals · 1,234 grants so far"
    );
    assert!(text.contains(&line), "{text}");
    // Quitting tells the builder to stop.
    assert!(!progress.is_cancelled());
    cmd(&mut app, Command::Quit);
    assert!(app.should_quit);
    assert!(progress.is_cancelled());
    assert!(!progress.begin(4, principals, 1_300), "the build stops");
}

#[test]
fn opening_another_account_cancels_the_build_of_the_previous_one() {
    let mut app = live_app();
    goto_category(&mut app, Category::Users);
    cmd(&mut app, Command::Right);
    cmd(&mut app, Command::TrustGraph);
    let GraphState::Building(progress) = &app.graph else {
        panic!("building: {:?}", app.graph);
    };
    let progress = Arc::clone(progress);
    let theme = app.theme.clone();
    app.set_model(Model::build(Arc::new(account()), &theme));
    assert!(progress.is_cancelled());
    assert!(matches!(app.graph, GraphState::NotBuilt));
}
