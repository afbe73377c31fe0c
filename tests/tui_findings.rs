//! The findings view and the details pane's findings, driven with the real evaluator:
//! pure update tests (open, move, jump, close) and snapshots at 80×24 and 160×48 of
//! the `vulnerable` sample's audit.

use std::sync::Arc;

use iamscope::eval::Engine;
use iamscope::graph::Graph;
use iamscope::load::{self, Input};
use iamscope::model::Account;
use iamscope::tui::action::{Action, Command, Task};
use iamscope::tui::analysis::{drive, Analyst};
use iamscope::tui::app::{App, Pane};
use iamscope::tui::findings::FindingsStatus;
use iamscope::tui::tree::Target;
use iamscope::tui::update::update;
use iamscope::tui::{render_to_test_backend, test_app};

fn account() -> Account {
    load::load(&Input::Sample("vulnerable".into())).expect("sample loads")
}

fn text(app: &App) -> String {
    app.details
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// An app whose audit is done, as the event loop's first action (the size) starts it.
fn with_findings(
    account: &Account,
    w: u16,
    h: u16,
    check: impl Fn(&mut App, &mut Analyst<'_, '_>),
) {
    let engine = Engine::new(account);
    let mut analyst = Analyst {
        engine: &engine,
        graph: None,
    };
    let mut app = test_app(account.clone(), w, h, true);
    drive(&mut app, Action::Resize(w, h), &mut analyst);
    assert!(matches!(app.findings.status, FindingsStatus::Ready(_)));
    check(&mut app, &mut analyst);
}

#[test]
fn the_first_resize_starts_the_audit_once_from_the_one_graph() {
    let mut app = test_app(account(), 80, 24, true);
    // The audit needs the graph: the first resize starts its build, not a second one.
    let fx = update(&mut app, Action::Resize(100, 30));
    assert_eq!(fx, vec![Task::BuildGraph { generation: 0 }]);
    assert!(update(&mut app, Action::Resize(90, 30)).is_empty());
    assert!(matches!(app.findings.status, FindingsStatus::Computing));
    // Opening the trust view meanwhile builds nothing more.
    let fx = update(&mut app, Action::Command(Command::TrustGraph));
    assert!(
        !fx.iter().any(|t| matches!(t, Task::BuildGraph { .. })),
        "{fx:?}"
    );
    // Another account's graph starts nothing; this account's starts the audit once.
    let graph = Arc::new(Graph::default());
    let stale = Action::GraphReady {
        generation: 3,
        graph: Arc::clone(&graph),
    };
    assert!(update(&mut app, stale).is_empty());
    let fx = update(
        &mut app,
        Action::GraphReady {
            generation: 0,
            graph,
        },
    );
    assert_eq!(fx, vec![Task::ComputeFindings { generation: 0 }]);
    assert!(
        app.graph.ready().is_some(),
        "the trust view has the graph too"
    );
    // Without the evaluator there is no audit.
    let mut off = test_app(account(), 80, 24, false);
    assert!(update(&mut off, Action::Resize(100, 30)).is_empty());
}

#[test]
fn stale_findings_are_dropped() {
    let mut app = test_app(account(), 80, 24, true);
    update(&mut app, Action::Resize(80, 24));
    update(
        &mut app,
        Action::FindingsReady {
            generation: 7,
            findings: Default::default(),
        },
    );
    assert!(matches!(app.findings.status, FindingsStatus::Computing));
}

#[test]
fn f_opens_the_view_moves_and_enter_jumps_to_the_entity() {
    let account = account();
    with_findings(&account, 120, 40, |app, analyst| {
        drive(app, Action::Command(Command::Findings), analyst);
        assert!(app.findings.open);
        let list = app.findings.list().expect("ready").to_vec();
        // Most severe first: the open trust of the reports reader.
        assert_eq!(list[0].id, "IAM001");
        update(app, Action::Command(Command::Down));
        assert_eq!(app.findings.selected, 1);
        update(app, Action::Command(Command::Up));
        update(app, Action::Command(Command::Up));
        assert_eq!(app.findings.selected, 0, "stops at the top");
        update(app, Action::Command(Command::Open));
        assert!(!app.findings.open);
        assert_eq!(app.focus, Pane::Details);
        let role = account
            .role_named("dvia-shared-reports-reader")
            .expect("role");
        let node = app.selected().expect("a selection");
        assert_eq!(app.model.tree.node(node).target, Target::Role(role));
        let details = text(app);
        assert!(details.contains("Findings ("), "{details}");
        assert!(details.contains("IAM001 Role trusts any AWS principal"));
        // The highlighted finding shows its evidence.
        assert!(
            details.contains("by trust:dvia-shared-reports-reader/AnyAwsPrincipal"),
            "{details}"
        );
        // Esc from the view goes back without quitting.
        update(app, Action::Command(Command::Findings));
        update(app, Action::Command(Command::Back));
        assert!(!app.findings.open && !app.should_quit);
    });
}

#[test]
fn the_details_of_a_user_list_its_findings_and_no_old_warnings() {
    let account = account();
    with_findings(&account, 120, 40, |app, _| {
        let u = account.user_named("ec2-launcher").expect("user");
        let node = app.model.tree.primary(Target::User(u)).expect("node");
        app.reveal(node);
        let details = text(app);
        assert!(
            details.contains("IAM011 Path to administrator"),
            "{details}"
        );
        assert!(details.contains("IAM030 Console password without MFA"));
        assert!(
            !details.contains("⚠ "),
            "the old UI-made warnings are gone: {details}"
        );
        let alice = account.user_named("admin-alice").expect("user");
        app.reveal(app.model.tree.primary(Target::User(alice)).expect("node"));
        let details = text(app);
        assert!(details.contains("IAM010 Effective administrator"));
        assert!(!details.contains("IAM030"), "alice has MFA");
    });
}

#[test]
fn findings_view_snapshots() {
    let account = account();
    for (w, h) in [(80, 24), (160, 48)] {
        with_findings(&account, w, h, |app, analyst| {
            drive(app, Action::Command(Command::Findings), analyst);
            for _ in 0..3 {
                update(app, Action::Command(Command::Down));
            }
            let terminal = render_to_test_backend(app);
            insta::assert_snapshot!(format!("findings_{w}x{h}"), terminal.backend());
        });
    }
}
