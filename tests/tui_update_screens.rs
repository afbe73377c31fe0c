//! Pure update tests of the responder's screens — blast radius, paths, the context
//! editor — with the requests they send checked one by one, and the evaluator's real
//! answers fed back where the state depends on them.

mod common;

use std::sync::Arc;

use common::{cmd, key, typ};
use iamscope::eval::{Engine, PrincipalRef};
use iamscope::graph::Graph;
use iamscope::load::{self, Input};
use iamscope::model::Account;
use iamscope::tui::action::{Action, Command, InputKey, Task};
use iamscope::tui::analysis::{Analyst, PathsGoal, Request};
use iamscope::tui::app::{App, Overlay, Screen};
use iamscope::tui::screens::paths::update::parse_goal;
use iamscope::tui::test_app;
use iamscope::tui::tree::{Category, Target};
use iamscope::tui::update::update;

fn vulnerable() -> Account {
    load::load(&Input::from_arg(Some("sample:vulnerable"))).unwrap()
}

/// Selects user `name` in the tree.
fn select_user(app: &mut App, name: &str) {
    let cat = app
        .model
        .tree
        .primary(Target::Category(Category::Users))
        .unwrap();
    let node = app.model.tree.nodes[cat as usize]
        .children
        .iter()
        .copied()
        .find(|&n| app.model.tree.node(n).label == name)
        .unwrap();
    app.reveal(node);
}

/// Answers one task as the worker would.
fn answer(analyst: &Analyst<'_, '_>, task: &Task) -> Action {
    match task {
        Task::Analyze(r) => analyst.answer(r).expect("answered"),
        other => panic!("not a request: {other:?}"),
    }
}

fn user(account: &Account, name: &str) -> PrincipalRef {
    PrincipalRef::User(account.user_named(name).unwrap())
}

#[test]
fn blast_waits_for_the_graph_follows_a_hop_and_returns() {
    let account = vulnerable();
    let engine = Engine::new(&account);
    let graph = Arc::new(Graph::build(&engine));
    let analyst = Analyst {
        engine: &engine,
        graph: Some(Arc::clone(&graph)),
    };
    let mut app = test_app(account.clone(), 120, 40, true);
    select_user(&mut app, "ec2-launcher");
    let fx = cmd(&mut app, Command::Blast);
    assert_eq!(app.screen, Screen::Blast);
    assert_eq!(
        fx,
        vec![Task::BuildGraph { generation: 0 }],
        "no request before the graph"
    );
    assert!(app.blast.pending);
    let fx = update(
        &mut app,
        Action::GraphReady {
            generation: 0,
            graph,
        },
    );
    let launcher = user(&account, "ec2-launcher");
    let id = match &fx[..] {
        [Task::Analyze(Request::Blast { id, principal })] if *principal == launcher => *id,
        other => panic!("{other:?}"),
    };
    let reply = answer(&analyst, &fx[0]);
    // A stale answer is dropped; the current one is kept.
    if let Action::Blasted { answer, .. } = &reply {
        update(
            &mut app,
            Action::Blasted {
                id: id + 50,
                answer: answer.clone(),
            },
        );
        assert!(app.blast.answer.is_none());
    }
    update(&mut app, reply);
    let reached = app.blast.answer.as_ref().unwrap().reached.clone();
    assert!(app.blast.answer.as_ref().unwrap().reaches_admin());
    // Enter on the start itself does nothing; on a hop it opens that principal.
    assert!(cmd(&mut app, Command::Open).is_empty());
    let at = reached
        .iter()
        .position(|r| r.principal.ends_with("role/dvia-ec2-admin-role"))
        .unwrap();
    for _ in 0..at {
        cmd(&mut app, Command::Down);
    }
    assert_eq!(app.blast.selected, at);
    let fx = cmd(&mut app, Command::Open);
    let role = PrincipalRef::Role(account.role_named("dvia-ec2-admin-role").unwrap());
    assert!(
        matches!(&fx[..], [Task::Analyze(Request::Blast { principal, .. })] if *principal == role)
    );
    assert_eq!(app.blast.crumbs.len(), 1);
    assert!(
        app.blast.answer.is_none(),
        "the old answer is not shown for the new principal"
    );
    update(&mut app, answer(&analyst, &fx[0]));
    assert!(app.blast.answer.as_ref().unwrap().reached[0].administrator);
    // Backspace returns to the start, its selection kept.
    let fx = cmd(&mut app, Command::JumpBack);
    assert!(
        matches!(&fx[..], [Task::Analyze(Request::Blast { principal, .. })] if *principal == launcher)
    );
    assert!(app.blast.crumbs.is_empty());
    update(&mut app, answer(&analyst, &fx[0]));
    assert_eq!(app.blast.selected, at);
    // `p` from the blast screen: paths from the principal shown.
    let fx = cmd(&mut app, Command::Paths);
    assert_eq!(app.screen, Screen::Paths);
    assert_eq!(app.paths.from, Some(launcher));
    assert!(matches!(
        &fx[..],
        [Task::Analyze(Request::Paths {
            goal: PathsGoal::Admin,
            ..
        })]
    ));
    cmd(&mut app, Command::Back);
    assert_eq!(app.screen, Screen::Explorer);
}

#[test]
fn the_paths_target_reads_admin_a_principal_or_an_action() {
    assert_eq!(parse_goal(""), PathsGoal::Admin);
    assert_eq!(parse_goal(" Admin "), PathsGoal::Admin);
    assert_eq!(
        parse_goal("role/deploy"),
        PathsGoal::Named("role/deploy".into())
    );
    assert_eq!(
        parse_goal("arn:aws:iam::1:role/x"),
        PathsGoal::Named("arn:aws:iam::1:role/x".into())
    );
    assert_eq!(
        parse_goal("s3:GetObject arn:aws:s3:::b/*"),
        PathsGoal::CanDo {
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::b/*".into()
        }
    );
    assert_eq!(
        parse_goal("kms:Decrypt"),
        PathsGoal::CanDo {
            action: "kms:Decrypt".into(),
            resource: "*".into()
        }
    );
}

#[test]
fn paths_search_on_enter_toggle_all_and_replay_a_hop() {
    let account = vulnerable();
    let engine = Engine::new(&account);
    let graph = Arc::new(Graph::build(&engine));
    let analyst = Analyst {
        engine: &engine,
        graph: Some(Arc::clone(&graph)),
    };
    let mut app = test_app(account.clone(), 120, 40, true);
    update(
        &mut app,
        Action::GraphReady {
            generation: 0,
            graph,
        },
    );
    select_user(&mut app, "chain-starter");
    let fx = cmd(&mut app, Command::Paths);
    assert!(app.text_input_active(), "the target field takes the keys");
    update(&mut app, answer(&analyst, &fx[0]));
    assert_eq!(app.paths.found().unwrap().paths[0].len(), 3);
    // Typing edits the target without asking; Enter asks.
    key(&mut app, InputKey::Clear);
    assert!(typ(&mut app, "role/dvia-chain-role-b").is_empty());
    assert!(app.paths.edited);
    let fx = key(&mut app, InputKey::Accept);
    assert!(
        matches!(&fx[..], [Task::Analyze(Request::Paths { goal: PathsGoal::Named(n), depth: None, .. })] if n == "role/dvia-chain-role-b")
    );
    update(&mut app, answer(&analyst, &fx[0]));
    assert_eq!(app.paths.found().unwrap().paths[0].len(), 2);
    // An unknown name is an error with suggestions.
    key(&mut app, InputKey::Clear);
    typ(&mut app, "role/dvia-chain-role-z");
    let fx = key(&mut app, InputKey::Accept);
    update(&mut app, answer(&analyst, &fx[0]));
    let err = app.paths.answer.as_ref().unwrap().as_ref().unwrap_err();
    assert!(err.contains("did you mean"), "{err}");
    // Ctrl-e: every path up to 4, 6, 8 hops, then the shortest again.
    key(&mut app, InputKey::Clear);
    let fx = key(&mut app, InputKey::Toggle);
    assert!(matches!(
        &fx[..],
        [Task::Analyze(Request::Paths {
            goal: PathsGoal::Admin,
            depth: Some(4),
            ..
        })]
    ));
    update(&mut app, answer(&analyst, &fx[0]));
    let within_4 = app.paths.found().unwrap().paths.clone();
    assert!(within_4.iter().all(|p| p.len() <= 4));
    for want in [Some(6), Some(8), None, Some(4)] {
        let fx = key(&mut app, InputKey::Toggle);
        assert!(matches!(&fx[..], [Task::Analyze(Request::Paths { depth, .. })] if *depth == want));
        update(&mut app, answer(&analyst, &fx[0]));
    }
    assert_eq!(app.paths.found().unwrap().paths, within_4);
    // Down walks hop by hop; Enter replays the selected hop's edge.
    key(&mut app, InputKey::Next);
    assert_eq!(app.paths.selected, (0, 1));
    let edge = app.paths.found().unwrap().edges[0][1].clone();
    let fx = key(&mut app, InputKey::Accept);
    assert!(matches!(&fx[..], [Task::Analyze(Request::Replay { edge: e, .. })] if *e == edge));
    assert!(app.paths.trace_open);
    update(&mut app, answer(&analyst, &fx[0]));
    let replay = app.paths.replay.as_ref().unwrap();
    assert!(replay.iter().all(|r| r.explanation.decision == "Allow"));
    // Esc: the trace first, then the screen.
    key(&mut app, InputKey::Cancel);
    assert!(!app.paths.trace_open);
    assert_eq!(app.screen, Screen::Paths);
    key(&mut app, InputKey::Cancel);
    assert_eq!(app.screen, Screen::Explorer);
}

#[test]
fn context_editor_sets_keys_and_the_answer_is_asked_again() {
    let account = load::load(&Input::from_arg(Some("sample:startup"))).unwrap();
    let mut app = test_app(account, 120, 40, true);
    cmd(&mut app, Command::WhoCan);
    typ(&mut app, "s3:GetObject");
    key(&mut app, InputKey::Tab);
    key(&mut app, InputKey::Tab);
    // Ctrl-k opens the editor over who-can; keys go to it.
    key(&mut app, InputKey::Context);
    assert_eq!(app.overlay, Overlay::Context);
    assert!(app.text_input_active());
    typ(&mut app, "aws:SecureTr");
    assert_eq!(app.context.completions, vec!["aws:SecureTransport"]);
    key(&mut app, InputKey::Tab);
    assert_eq!(app.context.input, "aws:SecureTransport=");
    typ(&mut app, "true");
    let fx = key(&mut app, InputKey::Accept);
    let context = match &fx[..] {
        [Task::Analyze(Request::WhoCan { context, .. })] => context.clone(),
        other => panic!("asked again with the context: {other:?}"),
    };
    assert!(context.get("aws:securetransport").is_some());
    assert_eq!(app.context.summary(), "aws:SecureTransport=true");
    // A bad line is refused and kept for editing.
    let fx = typ(&mut app, "nonsense");
    assert!(fx.is_empty());
    assert!(key(&mut app, InputKey::Accept).is_empty());
    assert_eq!(app.context.input, "nonsense");
    assert!(app
        .context
        .message
        .as_deref()
        .unwrap()
        .contains("KEY=VALUE"));
    key(&mut app, InputKey::Clear);
    // Delete unsets the selected key and asks again.
    let fx = key(&mut app, InputKey::Delete);
    assert!(app.context.entries.is_empty());
    assert!(matches!(&fx[..], [Task::Analyze(Request::WhoCan { .. })]));
    // Esc closes the editor only.
    key(&mut app, InputKey::Cancel);
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(app.screen, Screen::WhoCan);
    // From the explorer, the `context` command (key x) opens it too.
    key(&mut app, InputKey::Cancel);
    cmd(&mut app, Command::Context);
    assert_eq!(app.overlay, Overlay::Context);
}

#[test]
fn responder_commands_have_keys() {
    let app = test_app(vulnerable(), 80, 24, false);
    assert_eq!(app.keymap.keys_for(Command::Blast), vec!["b"]);
    assert_eq!(app.keymap.keys_for(Command::Paths), vec!["p"]);
    assert_eq!(app.keymap.keys_for(Command::Context), vec!["x"]);
    assert_eq!(app.keymap.keys_for(Command::Quit), vec!["q", "Ctrl-c"]);
    assert_eq!(app.keymap.keys_for(Command::Back), vec!["Esc"]);
}
