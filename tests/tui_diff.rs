//! The diff screen: pure update tests (opening, answers, stale answers, selection,
//! side by side) and TestBackend snapshots, on the startup sample against a copy
//! modified here (a statement granting a secret read, an outside account trusted).

use std::sync::Arc;

use iamscope::diff::diff;
use iamscope::eval::Engine;
use iamscope::load::{self, Input};
use iamscope::model::Account;
use iamscope::tui::action::{Action, Command, Task};
use iamscope::tui::analysis::{drive, Analyst};
use iamscope::tui::app::{App, DiffStatus, Screen};
use iamscope::tui::update::update;
use iamscope::tui::{render_to_test_backend, test_app};
use serde_json::json;

#[path = "support/copy.rs"]
mod copy;
use copy::{copy_sample, grant_carol_secret_read, named, Copy};

fn modified() -> Copy {
    let new = copy_sample("startup");
    new.edit_gaad(|v| {
        grant_carol_secret_read(v, "Extra");
        let role = named(v, "RoleDetailList", "RoleName", "acme-support");
        role["AssumeRolePolicyDocument"]["Statement"]
            .as_array_mut()
            .unwrap()
            .push(json!({
                "Sid": "Vendor", "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::999999999999:root"},
                "Action": "sts:AssumeRole"
            }));
    });
    new
}

/// The modified copy, named so that snapshots do not show a temporary path.
fn new_account(copy: &Copy) -> Account {
    let mut account = load::load(&Input::from_arg(Some(copy.arg()))).expect("copy loads");
    account.source = "startup-modified".into();
    account
}

fn cmd(app: &mut App, c: Command) -> Vec<Task> {
    update(app, Action::Command(c))
}

#[test]
fn without_a_second_export_the_screen_says_how_to_get_one() {
    let copy = modified();
    let mut app = test_app(new_account(&copy), 120, 30, true);
    let fx = cmd(&mut app, Command::Diff);
    assert_eq!(app.screen, Screen::Diff);
    assert!(fx.is_empty());
    assert!(app.status.as_deref().unwrap().contains("--diff OLD NEW"));
    assert_eq!(app.diff.status, DiffStatus::NotAsked);
}

#[test]
fn the_comparison_is_asked_once_and_stale_answers_are_dropped() {
    let copy = modified();
    let old = load::load(&Input::from_arg(Some("sample:startup"))).unwrap();
    let new = new_account(&copy);
    let answer = Arc::new(diff(&old, &new));
    let mut app = test_app(new, 120, 30, true);
    app.diff.against = Some(Input::from_arg(Some("sample:startup")));
    let fx = cmd(&mut app, Command::Diff);
    assert_eq!(
        fx,
        vec![Task::ComputeDiff {
            generation: app.generation,
            old: Input::from_arg(Some("sample:startup")),
        }]
    );
    assert_eq!(app.diff.status, DiffStatus::Computing);
    cmd(&mut app, Command::Back);
    assert_eq!(app.screen, Screen::Explorer);
    assert!(cmd(&mut app, Command::Diff).is_empty(), "asked only once");
    // An answer about another account (an earlier generation) is dropped.
    let generation = app.generation;
    update(
        &mut app,
        Action::DiffReady {
            generation: generation + 1,
            result: Ok(Arc::clone(&answer)),
        },
    );
    assert_eq!(app.diff.status, DiffStatus::Computing);
    update(
        &mut app,
        Action::DiffReady {
            generation,
            result: Ok(answer),
        },
    );
    assert_eq!(app.diff.status, DiffStatus::Ready);
    // Growth first: carol's new secret read, then the vendor's trust.
    let first = &app.diff.changes[0];
    assert_eq!(first.mark, '+');
    assert!(first
        .title
        .contains("user/carol secretsmanager:GetSecretValue on *"));
    assert!(app
        .diff
        .changes
        .iter()
        .any(|c| c.title.contains("arn:aws:iam::999999999999:root (account) --assume_role--> arn:aws:iam::111111111111:role/acme-support")));
}

#[test]
fn a_failed_load_of_the_old_export_is_shown() {
    let copy = modified();
    let mut app = test_app(new_account(&copy), 120, 30, true);
    app.diff.against = Some(Input::from_arg(Some("/nonexistent/old")));
    cmd(&mut app, Command::Diff);
    let generation = app.generation;
    update(
        &mut app,
        Action::DiffReady {
            generation,
            result: Err("cannot read /nonexistent/old".into()),
        },
    );
    assert!(matches!(app.diff.status, DiffStatus::Failed(ref e) if e.contains("nonexistent")));
    assert!(app.diff.changes.is_empty());
    cmd(&mut app, Command::Open);
    assert!(!app.diff.open, "nothing to open");
}

/// The app on the modified copy with the diff against the sample computed, as the
/// event loop would (the old export loaded, the comparison made).
fn ready_app(copy: &Copy, width: u16, height: u16) -> App {
    let account = new_account(copy);
    let engine = Engine::new(&account);
    let mut analyst = Analyst {
        engine: &engine,
        graph: None,
    };
    let mut app = test_app(account.clone(), width, height, true);
    app.diff.against = Some(Input::from_arg(Some("sample:startup")));
    drive(&mut app, Action::Command(Command::Diff), &mut analyst);
    assert_eq!(app.diff.status, DiffStatus::Ready);
    app
}

#[test]
fn enter_shows_both_versions_and_esc_goes_back_to_the_list() {
    let copy = modified();
    let mut app = ready_app(&copy, 120, 30);
    let entity = app
        .diff
        .changes
        .iter()
        .position(|c| c.title == "changed user arn:aws:iam::111111111111:user/carol")
        .expect("carol's entity change");
    cmd(&mut app, Command::Top);
    for _ in 0..entity {
        cmd(&mut app, Command::Down);
    }
    assert_eq!(app.diff.selected, entity);
    cmd(&mut app, Command::Open);
    assert!(app.diff.open);
    let c = &app.diff.changes[entity];
    assert!(!c.old.iter().any(|l| l.contains("inline policy Extra")));
    assert!(c.new.iter().any(|l| l.contains("inline policy Extra")));
    // The view starts a line above the first difference: the tags line is the last
    // attribute, and the new inline policy follows it.
    let first = c.new.iter().position(|l| l.is_empty()).unwrap();
    assert_eq!(app.diff.scroll, first - 1);
    cmd(&mut app, Command::Down);
    assert_eq!(app.diff.scroll, first, "Down scrolls the versions");
    assert_eq!(app.diff.selected, entity);
    cmd(&mut app, Command::Back);
    assert!(!app.diff.open);
    assert_eq!(app.screen, Screen::Diff);
    cmd(&mut app, Command::Back);
    assert_eq!(app.screen, Screen::Explorer);
}

#[test]
fn diff_list_snapshots() {
    let copy = modified();
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = ready_app(&copy, w, h);
        let terminal = render_to_test_backend(&mut app);
        insta::assert_snapshot!(format!("diff_list_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn diff_side_by_side_snapshots() {
    let copy = modified();
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = ready_app(&copy, w, h);
        let trust = app
            .diff
            .changes
            .iter()
            .position(|c| c.title == "changed role arn:aws:iam::111111111111:role/acme-support")
            .expect("the role's entity change");
        for _ in 0..trust {
            cmd(&mut app, Command::Down);
        }
        cmd(&mut app, Command::Open);
        let terminal = render_to_test_backend(&mut app);
        insta::assert_snapshot!(format!("diff_side_by_side_{w}x{h}"), terminal.backend());
    }
}
