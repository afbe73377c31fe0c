//! The TUI on an organization bundle (the `org` sample: the enterprise and analytics
//! accounts): the tree has an account level at the top, each account holding its own
//! categories, and the trust screen follows edges from one account into the other.

use iamscope::eval::Engine;
use iamscope::load::{self, Input};
use iamscope::model::Account;
use iamscope::tui::action::{Action, Command};
use iamscope::tui::analysis::{drive, Analyst};
use iamscope::tui::app::App;
use iamscope::tui::tree::{Category, Target};
use iamscope::tui::update::update;
use iamscope::tui::{render_to_test_backend, test_app};

fn org() -> Account {
    load::load(&Input::from_arg(Some("sample:org"))).expect("the org sample loads")
}

fn label(app: &App, node: u32) -> String {
    app.model.tree.node(node).label.clone()
}

/// The children of `node` whose target is a category, by label.
fn categories(app: &App, node: u32) -> Vec<String> {
    app.model
        .tree
        .node(node)
        .children
        .iter()
        .filter(|&&c| matches!(app.model.tree.node(c).target, Target::Category(_)))
        .map(|&c| label(app, c))
        .collect()
}

#[test]
fn the_tree_starts_with_one_node_per_account() {
    let app = test_app(org(), 120, 40, false);
    let roots: Vec<(Target, String)> = app
        .visible
        .iter()
        .map(|&n| (app.model.tree.node(n).target, label(&app, n)))
        .collect();
    assert_eq!(roots.len(), 2, "{roots:?}");
    assert_eq!(roots[0].0, Target::Account(0));
    assert_eq!(roots[1].0, Target::Account(1));
    // Enterprise: 3 users + 11 roles; analytics (named in accounts.json): 1 + 3.
    assert_eq!(
        roots[0].1,
        "Account 222222222222 globex-prod (14 principals)"
    );
    assert_eq!(
        roots[1].1,
        "Account 333333333333 globex-analytics (4 principals)"
    );
    // Each account holds its own entities: analytics has 1 user, 1 group, 3 roles,
    // its 2 customer policies plus AdministratorAccess (attached to its
    // OrganizationAccountAccessRole), its 1 bucket policy and its 3 SCPs + 2 RCPs.
    let analytics = app.visible[1];
    assert_eq!(
        categories(&app, analytics),
        [
            "Users (1)",
            "Groups (1)",
            "Roles (3)",
            "Instance profiles (0)",
            "Identity providers (0)",
            "Managed policies (3)",
            "SCPs and RCPs (5)",
            "Resource policies (1)",
        ]
    );
    let enterprise = app.visible[0];
    assert_eq!(categories(&app, enterprise)[2], "Roles (11)");
}

#[test]
fn opening_an_account_shows_its_categories_and_details() {
    let mut app = test_app(org(), 120, 40, false);
    update(&mut app, Action::Command(Command::Down));
    assert_eq!(
        app.model.tree.node(app.selected().unwrap()).target,
        Target::Account(1)
    );
    let details: String = app
        .details
        .iter()
        .map(|l| l.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(details.contains("globex-analytics"), "{details}");
    assert!(
        details.contains("r-g7x2 → ou-g7x2-7anl3x9q → 333333333333"),
        "{details}"
    );
    update(&mut app, Action::Command(Command::Right));
    assert_eq!(app.visible.len(), 2 + 8);
    update(&mut app, Action::Command(Command::Right));
    assert_eq!(
        app.model.tree.node(app.selected().unwrap()).target,
        Target::Category(Category::Users)
    );
}

/// OktaDevelopers (enterprise) can assume prod-dashboards (analytics), whose trust
/// names it; following that edge shows prod-dashboards with OktaDevelopers inbound.
#[test]
fn the_trust_screen_crosses_accounts() {
    let account = org();
    let engine = Engine::new(&account);
    let mut analyst = Analyst {
        engine: &engine,
        graph: None,
    };
    let mut app = test_app(account.clone(), 120, 40, true);
    let role = account
        .role_in("222222222222", "OktaDevelopers")
        .expect("OktaDevelopers");
    let node = app
        .model
        .tree
        .primary(Target::Role(role))
        .expect("its node");
    app.reveal(node);
    drive(&mut app, Action::Command(Command::TrustGraph), &mut analyst);
    let outbound: Vec<&str> = app
        .trust
        .outbound
        .iter()
        .map(|r| r.label.as_str())
        .collect();
    assert!(
        outbound.contains(&"333333333333:role/prod-dashboards"),
        "{outbound:?}"
    );
    let at = outbound
        .iter()
        .position(|l| *l == "333333333333:role/prod-dashboards")
        .unwrap_or_default();
    drive(&mut app, Action::Command(Command::Right), &mut analyst);
    for _ in 0..at {
        drive(&mut app, Action::Command(Command::Down), &mut analyst);
    }
    drive(&mut app, Action::Command(Command::Open), &mut analyst);
    assert_eq!(app.trust.crumbs.len(), 1);
    let inbound: Vec<&str> = app.trust.inbound.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(inbound, ["222222222222:role/OktaDevelopers"]);
    let screen = format!("{:?}", render_to_test_backend(&mut app).backend());
    assert!(
        screen.contains("333333333333:role/prod-dashboards"),
        "{screen}"
    );
}

#[test]
fn org_tree_snapshot() {
    let mut app = test_app(org(), 100, 30, false);
    update(&mut app, Action::Command(Command::Down));
    update(&mut app, Action::Command(Command::Right));
    let terminal = render_to_test_backend(&mut app);
    insta::assert_snapshot!("org_tree_100x30", terminal.backend());
}
