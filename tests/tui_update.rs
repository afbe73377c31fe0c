//! Unit tests of the pure `update` function on the explorer, popups and who-can form:
//! every action, in the contexts where it matters. No terminal is involved. The
//! evaluator's screens are in `tui_update_evaluator.rs`, the responder's in
//! `tui_update_screens.rs`.

mod common;

use common::*;
use iamscope::eval::Context;
use iamscope::load::{self, Input};
use iamscope::tui::action::Task;
use iamscope::tui::action::{Action, Command, InputKey, MouseKind};
use iamscope::tui::analysis::Request;
use iamscope::tui::app::{App, Model, Overlay, Pane, Screen, WhoCanField, WhoCanStatus};
use iamscope::tui::layout::inner;
use iamscope::tui::test_app;
use iamscope::tui::tree::{Category, Target};
use iamscope::tui::update::{details_max_scroll, update, DEBOUNCE_TICKS};

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
    while app.model.tree.node(app.selected().unwrap()).has_children()
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
fn back_closes_overlay_then_screen_then_pane_and_never_quits() {
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
    assert!(!app.should_quit, "Esc on the main screen never quits");
    assert_eq!(app.status.as_deref(), Some("q quits"));
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
    assert_eq!(fx, vec![Task::Load(Input::Sample(name))]);
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
        context: Context::new(false),
        escalation: false,
        // 40 lines less the header and status bar, the 5-line form, the list's
        // borders, its header and its footer: 27 rows in view.
        in_view: 0..27,
    };
    assert_eq!(fx, vec![Task::Analyze(request)]);
    assert_eq!(app.who_can.status, WhoCanStatus::Computing(1));
    // Typing more makes the answer to request 1 stale.
    key(&mut app, InputKey::Tab);
    typ(&mut app, "arn:aws:s3:::b/*");
    let fx = key(&mut app, InputKey::Accept);
    assert!(
        matches!(&fx[..], [Task::Analyze(Request::WhoCan { id: 2, resource, .. })] if resource == "arn:aws:s3:::b/*")
    );
    let row = row("user/alice");
    update(
        &mut app,
        Action::WhoCanResults {
            id: 1,
            rows: vec![row.clone()],
            deciding: vec![None],
        },
    );
    assert!(app.who_can.rows.is_empty());
    update(
        &mut app,
        Action::WhoCanResults {
            id: 2,
            rows: vec![row.clone(), row],
            deciding: Vec::new(),
        },
    );
    assert_eq!(app.who_can.deciding.len(), 2, "one slot per row");
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
        |a| {
            cmd(a, Command::Blast);
        },
        |a| {
            cmd(a, Command::Paths);
        },
        |a| {
            cmd(a, Command::Context);
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
                InputKey::Context,
                InputKey::Delete,
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

#[test]
fn rcps_are_in_the_tree_beside_scps() {
    let account = load::load(&Input::from_arg(Some("sample:enterprise"))).unwrap();
    let org = account
        .organization
        .clone()
        .expect("enterprise is in an organization");
    let mut app = test_app(account, 120, 40, false);
    cmd(&mut app, Command::ExpandAll);
    let labels: Vec<String> = app
        .visible
        .iter()
        .map(|&n| app.model.tree.node(n).label.clone())
        .collect();
    let rcps: Vec<&str> = org
        .policies
        .iter()
        .filter(|p| p.kind == iamscope::model::OrgPolicyKind::Rcp)
        .map(|p| p.name.as_str())
        .collect();
    assert!(!rcps.is_empty(), "the sample has RCPs");
    for name in rcps {
        assert!(
            labels.iter().any(|l| *l == format!("rcp {name}")),
            "{name} not in the tree: {labels:?}"
        );
    }
    assert!(labels.iter().any(|l| l.starts_with("SCPs and RCPs")));
}

/// The same items: identifiers and children, all the way down.
fn same_items(
    a: &[tui_tree_widget::TreeItem<'_, u32>],
    b: &[tui_tree_widget::TreeItem<'_, u32>],
) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.identifier() == y.identifier()
                && x.height() == y.height()
                && same_items(x.children(), y.children())
        })
}

#[test]
fn an_entitys_children_are_made_when_it_first_opens_and_the_items_follow_the_open_set() {
    let mut app = app();
    let user = app
        .model
        .tree
        .primary(Target::User(iamscope::model::UserId(0)))
        .expect("a user");
    let node = app.model.tree.node(user);
    assert!(node.deferred && node.children.is_empty() && node.has_children());
    let made = app.model.tree.nodes.len();
    app.reveal(user);
    cmd(&mut app, Command::Open);
    let node = app.model.tree.node(user);
    assert!(!node.deferred && !node.children.is_empty());
    assert_eq!(
        app.model.tree.nodes.len(),
        made + node.children.len(),
        "only the user's children were made"
    );
    assert!(app.visible.contains(&node.children[0]));
    // After each step the items kept up to date equal items made afresh.
    let steps = [
        Command::Down,
        Command::Open,
        Command::Right,
        Command::Left,
        Command::Left,
        Command::Left,
        Command::Bottom,
        Command::Open,
        Command::Open,
        Command::Top,
        Command::Open,
        Command::ExpandAll,
        Command::Left,
        Command::CollapseAll,
        Command::Open,
        Command::Down,
        Command::Open,
    ];
    for (i, c) in steps.into_iter().enumerate() {
        cmd(&mut app, c);
        let fresh = app.model.tree.items(&app.opened);
        assert!(
            same_items(&app.tree_items, &fresh),
            "step {i} ({c:?}): the widget's items differ from the open set's"
        );
    }
    // Expand all made every node, and each shows.
    cmd(&mut app, Command::ExpandAll);
    assert!(app.model.tree.nodes.iter().all(|n| !n.deferred));
    assert_eq!(app.visible.len(), app.model.tree.nodes.len());
}

#[test]
fn searching_an_inline_policy_makes_its_owners_children_and_selects_it() {
    let mut app = app();
    let (entry, owner) = app
        .model
        .search
        .entries
        .iter()
        .enumerate()
        .find_map(|(i, e)| match e.target {
            Target::Inline(..) => Some((i, e.node)),
            _ => None,
        })
        .expect("the account has an inline policy");
    assert!(app.model.tree.node(owner).deferred, "not made before");
    let name = app.model.search.entries[entry].name.clone();
    cmd(&mut app, Command::Search);
    typ(&mut app, &name);
    let hit = app.search.hits.iter().position(|h| h.entry == entry);
    app.search.selected = hit.expect("the search finds it");
    key(&mut app, InputKey::Accept);
    assert!(matches!(selected_target(&app), Target::Inline(..)));
    assert_eq!(
        app.model.tree.node(app.selected().unwrap()).parent,
        Some(owner)
    );
}
