//! TUI frame cost on the large generated account (5,000 users, 5,000 roles): one
//! keypress through the pure `update` plus a render into a 160×48 `TestBackend`.
//! Also the one-time cost of building the tree and search index, and a who-can
//! keystroke: its own frame (the answer comes from the worker thread), the worker's
//! answer with the deciding statements of the rows in view only, and both together
//! computed synchronously (as the worker would). Target: keystroke → frame < 16 ms.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use iamscope::eval::{Engine, Query};
use iamscope::model::{Account, UserId};
use iamscope::query::explain::deciding;
use iamscope::synth::large_account;
use iamscope::tui::action::{Action, Command, InputKey};
use iamscope::tui::analysis::{drive, Analyst};
use iamscope::tui::app::{App, Model};
use iamscope::tui::screens::who_can::rows_in_view;
use iamscope::tui::theme::Theme;
use iamscope::tui::tree::{Category, Target};
use iamscope::tui::update::{update, DEBOUNCE_TICKS};
use iamscope::tui::{test_app, views};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn frame(terminal: &mut Terminal<TestBackend>, app: &mut App, action: Action) {
    update(app, action);
    terminal
        .draw(|f| views::draw(f, app))
        .expect("test backend");
}

/// Types `x` and deletes it, turn by turn, so that the fields stay the same.
fn toggle_key(typed: bool) -> InputKey {
    if typed {
        InputKey::Char('x')
    } else {
        InputKey::Backspace
    }
}

/// An app at 160×48 with the Users and Roles categories open.
fn app(account: &Account) -> App {
    let mut app = test_app(account.clone(), 160, 48, false);
    for c in [Category::Users, Category::Roles] {
        let node = app
            .model
            .tree
            .primary(Target::Category(c))
            .expect("category");
        app.open(node);
    }
    app
}

fn bench(c: &mut Criterion) {
    let account = large_account();
    let shared = Arc::new(account.clone());
    c.bench_function("build tree + search index (10k principals)", |b| {
        let theme = Theme::colored();
        b.iter(|| black_box(Model::build(Arc::clone(&shared), &theme)))
    });

    let mut app = app(&account);
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("test backend");
    c.bench_function("tree: j (down) + render, 10k open nodes", |b| {
        b.iter(|| {
            let action = if app.cursor + 1 >= app.visible.len() {
                Command::Top
            } else {
                Command::Down
            };
            frame(&mut terminal, &mut app, Action::Command(action));
        })
    });
    c.bench_function("tree: Ctrl-d (half page) + render", |b| {
        b.iter(|| {
            let action = if app.cursor + 30 >= app.visible.len() {
                Command::Top
            } else {
                Command::HalfPageDown
            };
            frame(&mut terminal, &mut app, Action::Command(action));
        })
    });
    c.bench_function("tree: G / g (bottom, top) + render", |b| {
        let mut top = false;
        b.iter(|| {
            top = !top;
            let action = if top { Command::Top } else { Command::Bottom };
            frame(&mut terminal, &mut app, Action::Command(action));
        })
    });
    // A user (its groups and policies below it), not a category of 5,000.
    let user = app
        .model
        .tree
        .primary(Target::User(UserId(0)))
        .expect("a user");
    app.reveal(user);
    assert_eq!(app.selected(), Some(user));
    // Its children are made when it first opens.
    app.open(user);
    app.close(user);
    let children = app.model.tree.node(user).children.len();
    assert!(
        (1..50).contains(&children),
        "a user with a few children, not {children}"
    );
    c.bench_function("tree: open/close a user + render", |b| {
        b.iter(|| frame(&mut terminal, &mut app, Action::Command(Command::Open)))
    });
    assert_eq!(app.selected(), Some(user), "the bench toggled the user");
    c.bench_function("details: j (scroll) + render", |b| {
        update(&mut app, Action::Command(Command::NextPane));
        b.iter(|| {
            let action = if app.details_scroll > 0 {
                Command::Top
            } else {
                Command::Down
            };
            frame(&mut terminal, &mut app, Action::Command(action));
        });
        update(&mut app, Action::Command(Command::PrevPane));
    });
    c.bench_function("search: keystroke over 10k+ entities + render", |b| {
        update(&mut app, Action::Command(Command::Search));
        b.iter(|| {
            frame(&mut terminal, &mut app, Action::Input(InputKey::Char('a')));
            frame(&mut terminal, &mut app, Action::Input(InputKey::Backspace));
        });
        update(&mut app, Action::Input(InputKey::Cancel));
    });
    let engine = Engine::new(&account);
    let mut analyst = Analyst {
        engine: &engine,
        graph: None,
    };
    let mut who = test_app(account.clone(), 160, 48, true);
    drive(&mut who, Action::Command(Command::WhoCan), &mut analyst);
    for ch in "s3:GetObject".chars() {
        drive(&mut who, Action::Input(InputKey::Char(ch)), &mut analyst);
    }
    drive(&mut who, Action::Input(InputKey::Tab), &mut analyst);
    for ch in "arn:aws:s3:::data-bucket/report.csv".chars() {
        drive(&mut who, Action::Input(InputKey::Char(ch)), &mut analyst);
    }
    // The keystroke's own frame: the pure update and the render; the answer is
    // computed on the worker thread meanwhile (the list says "updating…").
    c.bench_function("who-can: keystroke + render (answer off-thread)", |b| {
        let mut typed = false;
        b.iter(|| {
            typed = !typed;
            let key = toggle_key(typed);
            frame(&mut terminal, &mut who, Action::Input(key));
        })
    });
    for _ in 0..DEBOUNCE_TICKS {
        drive(&mut who, Action::Tick, &mut analyst);
    }
    // The worker's part: the answer over 10k principals and the deciding statements of
    // the rows in view only, then the frame that shows them.
    let in_view = rows_in_view(&who, who.who_can.selected, usize::MAX);
    assert!(
        (20..60).contains(&in_view.len()),
        "the rows of a 48-line screen: {in_view:?}"
    );
    let question = Query::new(who.who_can.action.trim(), &who.who_can.resource_or_any())
        .with_context(who.context.context());
    c.bench_function(
        "who-can: answer (10k principals), rows in view explained",
        |b| b.iter(|| black_box(analyst.who_can(&question, false, in_view.clone()))),
    );
    c.bench_function("who-can: deciding statements of the rows in view", |b| {
        let (rows, _) = analyst.who_can(&question, false, 0..0);
        let arns: Vec<&str> = rows
            .iter()
            .take(in_view.len())
            .map(|r| r.principal.as_str())
            .collect();
        b.iter(|| {
            for arn in &arns {
                black_box(deciding(&engine, arn, &question));
            }
        })
    });
    // One keystroke, the debounce running out, the who-can answer over 10k principals
    // (with the deciding statements of the rows in view), the frame.
    let mut keystroke = |who: &mut App, analyst: &mut Analyst<'_, '_>, key: InputKey| {
        drive(who, Action::Input(key), analyst);
        for _ in 0..DEBOUNCE_TICKS {
            drive(who, Action::Tick, analyst);
        }
        terminal
            .draw(|f| views::draw(f, who))
            .expect("test backend");
    };
    c.bench_function(
        "who-can: keystroke + answer (10k principals, rows in view explained) + render",
        |b| {
            let mut typed = false;
            b.iter(|| {
                typed = !typed;
                let key = toggle_key(typed);
                keystroke(&mut who, &mut analyst, key);
            })
        },
    );
    assert!(!who.who_can.rows.is_empty(), "the bench answers something");
    who.who_can.principal = who.model.account.users[0].common.name.clone();
    c.bench_function("can: keystroke + decision with trace + render", |b| {
        let mut typed = false;
        b.iter(|| {
            typed = !typed;
            let key = toggle_key(typed);
            keystroke(&mut who, &mut analyst, key);
        })
    });

    c.bench_function("render only (no change)", |b| {
        b.iter(|| {
            terminal
                .draw(|f| views::draw(f, &mut app))
                .expect("test backend");
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
