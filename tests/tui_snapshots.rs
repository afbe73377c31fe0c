//! Snapshot tests of every view, rendered into ratatui's `TestBackend` at 80×24 and
//! 160×48. Review changes with `cargo insta review` (or `INSTA_UPDATE=always cargo
//! test` and read the `.snap` diffs).

use iamscope::eval::Engine;
use iamscope::load::{self, Input};
use iamscope::model::Account;
use iamscope::tui::action::{Action, Command, InputKey};
use iamscope::tui::analysis::{drive, Analyst};
use iamscope::tui::app::App;
use iamscope::tui::tree::{Category, Target};
use iamscope::tui::update::update;
use iamscope::tui::update::DEBOUNCE_TICKS;
use iamscope::tui::{render_to_test_backend, test_app};

/// The account the snapshots show (the fixture is
/// `"tests/fixtures/gaad-cli-shape.json"`).
const ACCOUNT: &str = "sample:startup";

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn account() -> Account {
    load::load(&Input::from_arg(Some(ACCOUNT))).expect("test account loads")
}

fn cmd(app: &mut App, c: Command) {
    update(app, Action::Command(c));
}

fn typ(app: &mut App, text: &str) {
    for c in text.chars() {
        update(app, Action::Input(InputKey::Char(c)));
    }
}

/// Selects the first node whose label is `label` under category `c`, opening both.
fn select(app: &mut App, c: Category, label: &str) {
    let cat = app.model.tree.primary(Target::Category(c)).unwrap();
    let node = app.model.tree.nodes[cat as usize]
        .children
        .iter()
        .copied()
        .find(|&n| app.model.tree.node(n).label.starts_with(label))
        .unwrap_or_else(|| panic!("no {label} under {c:?}"));
    app.reveal(node);
}

/// Like [`snap`], with the real evaluator answering every request synchronously.
fn snap_live(name: &str, sizes: &[(u16, u16)], setup: impl Fn(&mut App, &mut Analyst<'_, '_>)) {
    snap_live_on(ACCOUNT, name, sizes, setup);
}

/// [`snap_live`] on another sample.
fn snap_live_on(
    sample: &str,
    name: &str,
    sizes: &[(u16, u16)],
    setup: impl Fn(&mut App, &mut Analyst<'_, '_>),
) {
    let account = load::load(&Input::from_arg(Some(sample))).expect("sample loads");
    let engine = Engine::new(&account);
    for &(w, h) in sizes {
        let mut analyst = Analyst {
            engine: &engine,
            graph: None,
        };
        let mut app = test_app(account.clone(), w, h, true);
        setup(&mut app, &mut analyst);
        let terminal = render_to_test_backend(&mut app);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
    }
}

fn live_typ(app: &mut App, analyst: &mut Analyst<'_, '_>, text: &str) {
    for c in text.chars() {
        drive(app, Action::Input(InputKey::Char(c)), analyst);
    }
}

/// Lets the debounce run out, answering what it sends.
fn settle(app: &mut App, analyst: &mut Analyst<'_, '_>) {
    for _ in 0..DEBOUNCE_TICKS {
        drive(app, Action::Tick, analyst);
    }
}

fn who_can_s3(app: &mut App, analyst: &mut Analyst<'_, '_>) {
    drive(app, Action::Command(Command::WhoCan), analyst);
    live_typ(app, analyst, "s3:GetObject");
    drive(app, Action::Input(InputKey::Tab), analyst);
    live_typ(app, analyst, "arn:aws:s3:::acme-webapp-assets/index.html");
    settle(app, analyst);
}

const ALL_SIZES: [(u16, u16); 3] = [(80, 24), (160, 48), (100, 30)];

#[test]
fn who_can_live_results() {
    snap_live("who_can_live", &ALL_SIZES, who_can_s3);
}

#[test]
fn who_can_live_trace() {
    snap_live("who_can_trace", &SIZES, |app, analyst| {
        who_can_s3(app, analyst);
        drive(app, Action::Input(InputKey::Accept), analyst);
        assert!(app.who_can.trace_open);
    });
}

#[test]
fn who_can_escalation() {
    snap_live("who_can_escalation", &SIZES, |app, analyst| {
        who_can_s3(app, analyst);
        drive(app, Action::Input(InputKey::Toggle), analyst);
        assert!(app.graph.ready().is_some());
    });
}

#[test]
fn can_mode_live() {
    snap_live("can_mode", &SIZES, |app, analyst| {
        select(app, Category::Roles, "github-actions-deploy");
        drive(app, Action::Command(Command::Can), analyst);
        live_typ(app, analyst, "s3:PutObject");
        drive(app, Action::Input(InputKey::Tab), analyst);
        live_typ(app, analyst, "arn:aws:s3:::acme-webapp-assets/index.html");
        settle(app, analyst);
    });
}

fn trust_of_deploy(app: &mut App, analyst: &mut Analyst<'_, '_>) {
    select(app, Category::Roles, "github-actions-deploy");
    drive(app, Action::Command(Command::TrustGraph), analyst);
}

#[test]
fn trust_graph_live() {
    snap_live("trust_graph_live", &ALL_SIZES, trust_of_deploy);
}

#[test]
fn trust_graph_outbound_followed() {
    snap_live("trust_graph_followed", &SIZES, |app, analyst| {
        select(app, Category::Users, "carol");
        drive(app, Action::Command(Command::TrustGraph), analyst);
        drive(app, Action::Command(Command::Right), analyst);
        assert_eq!(app.trust.outbound[0].label, "role/acme-api-ecs-task");
        drive(app, Action::Command(Command::Open), analyst);
        assert_eq!(app.trust.crumbs.len(), 1);
    });
}

#[test]
fn trust_graph_building() {
    snap("trust_graph_building", true, |app| {
        select(app, Category::Roles, "github-actions-deploy");
        let fx = update(app, Action::Command(Command::TrustGraph));
        assert_eq!(fx.len(), 1, "{fx:?}");
    });
}

fn snap(name: &str, who_can: bool, setup: impl Fn(&mut App)) {
    let account = account();
    for (w, h) in SIZES {
        let mut app = test_app(account.clone(), w, h, who_can);
        setup(&mut app);
        let terminal = render_to_test_backend(&mut app);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn main_screen() {
    snap("main", false, |_| {});
}

#[test]
fn user_opened() {
    snap("user", false, |app| {
        select(app, Category::Users, "alice");
        cmd(app, Command::Open);
    });
}

#[test]
fn role_with_trust() {
    snap("role", false, |app| {
        select(app, Category::Roles, "github-actions-deploy");
        cmd(app, Command::Open);
    });
}

#[test]
fn role_details_scrolled_to_trust() {
    snap("role_trust", false, |app| {
        select(app, Category::Roles, "github-actions-deploy");
        cmd(app, Command::NextPane);
        let at = app
            .details
            .iter()
            .position(|l| l.to_string().starts_with("Trust (who"))
            .unwrap();
        for _ in 0..at {
            cmd(app, Command::Down);
        }
    });
}

#[test]
fn group_opened() {
    snap("group", false, |app| {
        select(app, Category::Groups, "developers");
        cmd(app, Command::Open);
    });
}

#[test]
fn managed_policy_json() {
    snap("policy", false, |app| {
        let cat = app
            .model
            .tree
            .primary(Target::Category(Category::ManagedPolicies))
            .unwrap();
        let first = app.model.tree.nodes[cat as usize].children[0];
        app.reveal(first);
        cmd(app, Command::Open);
    });
}

#[test]
fn statement_selected() {
    snap("statement", false, |app| {
        let cat = app
            .model
            .tree
            .primary(Target::Category(Category::ManagedPolicies))
            .unwrap();
        let first = app.model.tree.nodes[cat as usize].children[0];
        app.reveal(first);
        cmd(app, Command::Right);
        cmd(app, Command::Right);
    });
}

#[test]
fn resource_policy() {
    snap("resource_policy", false, |app| {
        let cat = app
            .model
            .tree
            .primary(Target::Category(Category::ResourcePolicies))
            .unwrap();
        let first = app.model.tree.nodes[cat as usize].children[0];
        app.reveal(first);
        cmd(app, Command::Open);
    });
}

#[test]
fn identity_provider() {
    snap("oidc", false, |app| {
        let cat = app
            .model
            .tree
            .primary(Target::Category(Category::IdentityProviders))
            .unwrap();
        let first = app.model.tree.nodes[cat as usize].children[0];
        app.reveal(first);
        cmd(app, Command::Open);
    });
}

#[test]
fn details_focused_stacked() {
    snap("details_focus", false, |app| {
        select(app, Category::Users, "alice");
        cmd(app, Command::NextPane);
        cmd(app, Command::HalfPageDown);
    });
}

#[test]
fn search_overlay() {
    snap("search", false, |app| {
        cmd(app, Command::Search);
        typ(app, "deploy");
    });
}

#[test]
fn palette_overlay() {
    snap("palette", false, |app| {
        cmd(app, Command::Palette);
        typ(app, "exp");
    });
}

#[test]
fn help_overlay() {
    snap("help", false, |app| cmd(app, Command::Help));
}

#[test]
fn samples_overlay() {
    snap("samples", false, |app| cmd(app, Command::Samples));
}

#[test]
fn who_can_unavailable() {
    snap("who_can_unavailable", false, |app| {
        cmd(app, Command::WhoCan);
        typ(app, "s3:GetObject");
        update(app, Action::Input(InputKey::Tab));
    });
}

#[test]
fn who_can_completion() {
    snap("who_can_completion", false, |app| {
        cmd(app, Command::WhoCan);
        typ(app, "iam:Pass");
    });
}

#[test]
fn trust_graph_screen() {
    snap("trust_graph_unavailable", false, |app| {
        select(app, Category::Roles, "github-actions-deploy");
        cmd(app, Command::TrustGraph);
    });
}

#[test]
fn tiny_terminal_does_not_panic() {
    for (w, h) in [(1, 1), (10, 3), (20, 5), (40, 10)] {
        let mut app = test_app(account(), w, h, false);
        render_to_test_backend(&mut app);
        cmd(&mut app, Command::Help);
        render_to_test_backend(&mut app);
        cmd(&mut app, Command::WhoCan);
        typ(&mut app, "s3:Get");
        render_to_test_backend(&mut app);
    }
}

#[test]
fn every_node_of_every_sample_renders() {
    for sample in iamscope::samples::all() {
        let account = load::load(&Input::Sample(sample.name.to_string())).unwrap();
        let mut app = test_app(account, 80, 24, false);
        cmd(&mut app, Command::ExpandAll);
        for i in 0..app.visible.len() {
            app.cursor = i;
            app.sync_selection();
            assert!(!app.details.is_empty(), "{}: node {i}", sample.name);
            render_to_test_backend(&mut app);
        }
    }
}

// --- The responder's screens, on the vulnerable sample, answered by the evaluator. ---

const VULNERABLE: &str = "sample:vulnerable";

fn blast_of_ec2_launcher(app: &mut App, analyst: &mut Analyst<'_, '_>) {
    select(app, Category::Users, "ec2-launcher");
    drive(app, Action::Command(Command::Blast), analyst);
    let answer = app.blast.answer.as_ref().expect("answered");
    assert!(answer.reaches_admin());
}

#[test]
fn blast_radius() {
    snap_live_on(VULNERABLE, "blast", &SIZES, blast_of_ec2_launcher);
}

#[test]
fn blast_radius_followed_to_the_admin_role() {
    snap_live_on(VULNERABLE, "blast_followed", &SIZES, |app, analyst| {
        blast_of_ec2_launcher(app, analyst);
        let at = app
            .blast
            .answer
            .as_ref()
            .unwrap()
            .reached
            .iter()
            .position(|r| r.principal.ends_with("role/dvia-ec2-admin-role"))
            .unwrap();
        for _ in 0..at {
            drive(app, Action::Command(Command::Down), analyst);
        }
        drive(app, Action::Command(Command::Open), analyst);
        assert_eq!(app.blast.crumbs.len(), 1);
    });
}

fn paths_of_chain_starter(app: &mut App, analyst: &mut Analyst<'_, '_>) {
    select(app, Category::Users, "chain-starter");
    drive(app, Action::Command(Command::Paths), analyst);
    let found = app.paths.found().expect("answered");
    assert_eq!(found.paths[0].len(), 3);
}

#[test]
fn paths_to_admin() {
    snap_live_on(VULNERABLE, "paths_admin", &SIZES, paths_of_chain_starter);
}

#[test]
fn paths_hop_replayed_as_can() {
    snap_live_on(VULNERABLE, "paths_replay", &SIZES, |app, analyst| {
        paths_of_chain_starter(app, analyst);
        drive(app, Action::Input(InputKey::Next), analyst);
        drive(app, Action::Input(InputKey::Accept), analyst);
        let replay = app.paths.replay.as_ref().expect("replayed");
        assert!(replay.iter().all(|r| r.explanation.decision == "Allow"));
    });
}

#[test]
fn paths_to_an_action() {
    snap_live_on(VULNERABLE, "paths_action", &SIZES, |app, analyst| {
        select(app, Category::Users, "ec2-launcher");
        drive(app, Action::Command(Command::Paths), analyst);
        drive(app, Action::Input(InputKey::Clear), analyst);
        live_typ(app, analyst, "secretsmanager:GetSecretValue *");
        drive(app, Action::Input(InputKey::Accept), analyst);
        assert_eq!(app.paths.found().unwrap().paths.len(), 1);
    });
}

fn tls_context(app: &mut App, analyst: &mut Analyst<'_, '_>) {
    who_can_s3(app, analyst);
    assert!(app.who_can.rows.iter().all(|r| r.decision == "Conditional"));
    drive(app, Action::Input(InputKey::Context), analyst);
    live_typ(app, analyst, "aws:SecureTr");
    drive(app, Action::Input(InputKey::Tab), analyst);
    live_typ(app, analyst, "true");
    drive(app, Action::Input(InputKey::Accept), analyst);
}

#[test]
fn context_editor() {
    snap_live("context_editor", &SIZES, tls_context);
}

#[test]
fn who_can_with_tls_context() {
    snap_live("who_can_tls", &SIZES, |app, analyst| {
        tls_context(app, analyst);
        drive(app, Action::Input(InputKey::Cancel), analyst);
        let alice = app
            .who_can
            .rows
            .iter()
            .find(|r| r.principal.ends_with("user/alice"))
            .unwrap();
        assert_eq!(alice.decision, "Allow", "the TLS deny is settled");
    });
}

/// Who can read secrets, escalation on, with row `name` selected and its trace open;
/// checks that the row and its trace agree, and returns the row's index.
fn secrets_trace_of(app: &mut App, analyst: &mut Analyst<'_, '_>, name: &str) -> usize {
    drive(app, Action::Command(Command::WhoCan), analyst);
    live_typ(app, analyst, "secretsmanager:GetSecretValue");
    if app.who_can.popup {
        drive(app, Action::Input(InputKey::Cancel), analyst);
    }
    settle(app, analyst);
    drive(app, Action::Input(InputKey::Toggle), analyst);
    let at = app
        .who_can
        .rows
        .iter()
        .position(|r| r.principal.ends_with(name))
        .expect("an indirect row");
    for _ in 0..at {
        drive(app, Action::Input(InputKey::Next), analyst);
    }
    drive(app, Action::Input(InputKey::Accept), analyst);
    let row = &app.who_can.rows[at];
    let e = app.who_can.explanation.as_ref().unwrap();
    assert_eq!(row.decision, e.decision, "row and trace agree");
    at
}

#[test]
fn who_can_self_escalator_is_labelled_and_its_trace_agrees() {
    snap_live_on(
        VULNERABLE,
        "who_can_self_escalator",
        &SIZES,
        |app, analyst| {
            let at = secrets_trace_of(app, analyst, "user/self-attacher");
            let row = &app.who_can.rows[at];
            assert!(iamscope::tui::screens::who_can::view::self_escalator(row));
            let evidence = &row.via[0].evidence;
            assert!(
                evidence.iter().all(|e| e.decision != "ImplicitDeny"),
                "no admin probe of a principal that is not an administrator yet: {evidence:?}"
            );
        },
    );
}

#[test]
fn who_can_escalation_row_trace_agrees_with_the_row() {
    snap_live_on(
        VULNERABLE,
        "who_can_escalation_trace",
        &SIZES,
        |app, analyst| {
            let at = secrets_trace_of(app, analyst, "user/ec2-launcher");
            let e = app.who_can.explanation.as_ref().unwrap();
            assert!(e.principal.ends_with("role/dvia-ec2-admin-role"));
            assert!(!app.who_can.rows[at].via.is_empty());
        },
    );
}
