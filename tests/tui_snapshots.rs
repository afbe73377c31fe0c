//! Snapshot tests of every view, rendered into ratatui's `TestBackend` at 80×24 and
//! 160×48. Review changes with `cargo insta review` (or `INSTA_UPDATE=always cargo
//! test` and read the `.snap` diffs).

use iamscope::load::{self, Input};
use iamscope::model::Account;
use iamscope::tui::action::{Action, Command, InputKey};
use iamscope::tui::app::App;
use iamscope::tui::tree::{Category, Target};
use iamscope::tui::update::update;
use iamscope::tui::who_can::WhoCanRow;
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
fn who_can_results() {
    snap("who_can_results", true, |app| {
        cmd(app, Command::WhoCan);
        typ(app, "s3:GetObject");
        update(app, Action::Input(InputKey::Tab));
        let fx = update(app, Action::Input(InputKey::Accept));
        assert_eq!(fx.len(), 1);
        let row = |who: &str, decision: &str, detail: &str| WhoCanRow {
            principal_arn: format!("arn:aws:iam::111111111111:{who}"),
            decision: decision.into(),
            detail: detail.into(),
        };
        let rows = vec![
            row("user/alice", "Allow", "AdministratorAccess: Statement #1"),
            row(
                "role/acme-web-app-ec2",
                "Conditional",
                "needs aws:SourceVpce",
            ),
            row("user/bob", "ExplicitDeny", "DenyOutsideEU"),
        ];
        update(
            app,
            Action::WhoCanResults {
                id: app.who_can.last_id,
                rows,
            },
        );
    });
}

#[test]
fn trust_graph_screen() {
    snap("trust_graph", false, |app| {
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
