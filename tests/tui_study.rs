//! The study screen: pure update tests (a lesson's steps open their entities and come
//! back, interview answers only when asked, quiz answers graded by the evaluator before
//! its trace shows, progress saved only where there is a store) and TestBackend
//! snapshots at 80×24 and 160×48 of the real lessons and of quizzes generated from the
//! vulnerable sample.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use iamscope::eval::Engine;
use iamscope::load::{self, Input};
use iamscope::model::Account;
use iamscope::study::{ProgressStore, Topic, DECISION_CHOICES};
use iamscope::tui::action::{Action, Command, InputKey, Task};
use iamscope::tui::analysis::generate_quiz;
use iamscope::tui::app::{App, Model, Screen};
use iamscope::tui::screens::study::state::QuizPhase;
use iamscope::tui::screens::study::update::link_target;
use iamscope::tui::screens::study::{LessonItem, MenuItem, StudyView};
use iamscope::tui::search::filter_commands;
use iamscope::tui::tree::Target;
use iamscope::tui::update::update;
use iamscope::tui::views::help_rows;
use iamscope::tui::{render_to_test_backend, test_app};

fn sample(name: &str) -> Account {
    load::load(&Input::Sample(name.to_string())).expect("sample loads")
}

fn cmd(app: &mut App, c: Command) -> Vec<Task> {
    update(app, Action::Command(c))
}

/// Every character of the frame, row by row.
fn screen(app: &mut App) -> String {
    let terminal = render_to_test_backend(app);
    let buffer = terminal.backend().buffer();
    let width = buffer.area.width as usize;
    let mut out = String::new();
    for (i, cell) in buffer.content.iter().enumerate() {
        out.push_str(cell.symbol());
        if (i + 1) % width == 0 {
            out.push('\n');
        }
    }
    out
}

fn selected_target(app: &App) -> Target {
    app.model.tree.node(app.selected().unwrap()).target
}

/// Opens the study screen and the lesson of `topic` with the keys a learner presses.
fn open_lesson(app: &mut App, topic: Topic) {
    cmd(app, Command::Study);
    let at = app
        .study
        .menu_items()
        .iter()
        .position(|i| matches!(i, MenuItem::Lesson(l) if app.study.lessons[*l].topic == topic))
        .expect("the lesson is in the menu");
    cmd(app, Command::Top);
    for _ in 0..at {
        cmd(app, Command::Down);
    }
    cmd(app, Command::Open);
    assert_eq!(app.study.view, StudyView::Lesson);
    assert_eq!(app.study.current_lesson().unwrap().topic, topic);
}

/// Selects lesson item `item`.
fn select_item(app: &mut App, item: LessonItem) {
    let at = app
        .study
        .lesson_items()
        .iter()
        .position(|i| *i == item)
        .expect("the lesson has the item");
    cmd(app, Command::Top);
    for _ in 0..at {
        cmd(app, Command::Down);
    }
    assert_eq!(app.study.lesson_item(), Some(item));
}

/// Starts a new quiz from the menu and feeds it the generated questions, as the event
/// loop's worker would.
fn start_quiz(app: &mut App, account: &Account) {
    cmd(app, Command::Study);
    if app.study.view != StudyView::Menu {
        cmd(app, Command::Back);
    }
    let at = app
        .study
        .menu_items()
        .iter()
        .position(|i| *i == MenuItem::NewQuiz)
        .unwrap();
    cmd(app, Command::Top);
    for _ in 0..at {
        cmd(app, Command::Down);
    }
    let fx = cmd(app, Command::Open);
    let [Task::GenerateQuiz { id, options }] = fx.as_slice() else {
        panic!("expected one quiz request: {fx:?}");
    };
    assert_eq!(options.count, 10);
    assert!(options.topics.is_empty());
    update(app, generate_quiz(account, *id, options.clone()));
}

/// The evaluator's decision for the question shown, asked again.
fn evaluator_answer(app: &App, engine: &Engine<'_>) -> &'static str {
    let q = app.study.ready_quiz().unwrap().question().unwrap();
    engine.decide_arn(&q.principal, &q.query(), None).name()
}

/// Picks decision `choice` and answers.
fn answer(app: &mut App, choice: &str) -> Vec<Task> {
    let index = DECISION_CHOICES.iter().position(|c| *c == choice).unwrap();
    cmd(app, Command::Top);
    for _ in 0..index {
        cmd(app, Command::Down);
    }
    cmd(app, Command::Open)
}

fn phase(app: &App) -> QuizPhase {
    app.study.ready_quiz().unwrap().phase()
}

#[test]
fn the_study_screen_has_a_key_a_palette_entry_and_a_help_row() {
    let mut app = test_app(sample("vulnerable"), 120, 40, true);
    let s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::NONE);
    assert_eq!(app.keymap.command(s), Some(Command::Study));
    let samples = KeyEvent::new(KeyCode::Char('S'), KeyModifiers::SHIFT);
    assert_eq!(app.keymap.command(samples), Some(Command::Samples));
    assert_eq!(filter_commands("study").first(), Some(&Command::Study));
    assert!(help_rows(&app.keymap)
        .iter()
        .any(|(keys, name, _)| keys == "s" && name == "study"));

    // From the palette, as a person would: `:study` Enter.
    cmd(&mut app, Command::Palette);
    for c in "study".chars() {
        update(&mut app, Action::Input(InputKey::Char(c)));
    }
    update(&mut app, Action::Input(InputKey::Accept));
    assert_eq!(app.screen, Screen::Study);
    assert_eq!(app.study.view, StudyView::Menu);
    assert!(screen(&mut app).contains("New quiz: 10 questions on sample:vulnerable"));
    // Esc: back to the explorer.
    cmd(&mut app, Command::Back);
    assert_eq!(app.screen, Screen::Explorer);
    // From over the findings view too.
    cmd(&mut app, Command::Findings);
    assert!(app.findings.open);
    cmd(&mut app, Command::Study);
    assert!(!app.findings.open);
    assert_eq!(app.screen, Screen::Study);
}

#[test]
fn passrole_lesson_steps_open_their_entities_and_come_back() {
    let account = sample("vulnerable");
    let launcher = account.user_named("ec2-launcher").unwrap();
    let admin_role = account.role_named("dvia-ec2-admin-role").unwrap();
    let mut app = test_app(account, 120, 40, true);
    open_lesson(&mut app, Topic::Passrole);
    assert_eq!(app.study.lesson_item(), Some(LessonItem::Step(0)));

    // Step 1 names user/ec2-launcher first: Enter opens it in the explorer.
    let fx = cmd(&mut app, Command::Open);
    assert!(fx.is_empty(), "the entity is in the open account: {fx:?}");
    assert_eq!(app.screen, Screen::Explorer);
    assert_eq!(selected_target(&app), Target::User(launcher));
    assert!(app.status.as_deref().unwrap().contains("returns to study"));

    // A search in the explorer goes into its own history: Backspace undoes it first,
    // then returns to the lesson where it was.
    cmd(&mut app, Command::Search);
    for c in "role/dvia-lambda-admin".chars() {
        update(&mut app, Action::Input(InputKey::Char(c)));
    }
    update(&mut app, Action::Input(InputKey::Accept));
    assert_ne!(selected_target(&app), Target::User(launcher));
    cmd(&mut app, Command::JumpBack);
    assert_eq!(app.screen, Screen::Explorer);
    assert_eq!(selected_target(&app), Target::User(launcher));
    cmd(&mut app, Command::JumpBack);
    assert_eq!(app.screen, Screen::Study);
    assert_eq!(app.study.view, StudyView::Lesson);
    assert_eq!(app.study.lesson_item(), Some(LessonItem::Step(0)));
    assert_eq!(app.status, None, "the hint is gone once back");

    // Right picks the step's next link, the admin role.
    cmd(&mut app, Command::Right);
    assert!(screen(&mut app).contains("[role/dvia-ec2-admin-role]"));
    cmd(&mut app, Command::Open);
    assert_eq!(selected_target(&app), Target::Role(admin_role));
    cmd(&mut app, Command::JumpBack);
    assert_eq!(app.screen, Screen::Study);

    // Every link of every step of the lesson opens its entity.
    let lesson = app.study.current_lesson().unwrap().clone();
    for (i, step) in lesson.steps.iter().enumerate() {
        for (k, link) in step.links.iter().enumerate() {
            select_item(&mut app, LessonItem::Step(i));
            // Back to the step's first link (the link picked last time is kept).
            for _ in 0..step.links.len() {
                cmd(&mut app, Command::Left);
            }
            for _ in 0..k {
                cmd(&mut app, Command::Right);
            }
            cmd(&mut app, Command::Open);
            assert_eq!(app.screen, Screen::Explorer, "step {} link {k}", i + 1);
            let want = link_target(&app.model.account, link).unwrap();
            assert_eq!(selected_target(&app), want, "{}", link.display());
            cmd(&mut app, Command::JumpBack);
            assert_eq!(app.screen, Screen::Study);
        }
    }
}

#[test]
fn a_lesson_on_another_sample_opens_that_sample_then_the_entity() {
    let mut app = test_app(sample("vulnerable"), 120, 40, true);
    open_lesson(&mut app, Topic::Principals);
    let lesson = app.study.current_lesson().unwrap().clone();
    assert_eq!(lesson.sample, "startup");
    let (step, link) = lesson
        .steps
        .iter()
        .enumerate()
        .find_map(|(i, s)| s.links.first().map(|l| (i, l.clone())))
        .unwrap();
    select_item(&mut app, LessonItem::Step(step));
    let fx = cmd(&mut app, Command::Open);
    assert_eq!(fx, vec![Task::Load(Input::Sample("startup".into()))]);
    assert_eq!(app.screen, Screen::Study, "waits for the sample");
    let startup = sample("startup");
    let model = Model::build(Arc::new(startup.clone()), &app.theme);
    update(&mut app, Action::Loaded(Ok(Box::new(model))));
    assert_eq!(app.screen, Screen::Explorer);
    let want = link_target(&startup, &link).unwrap();
    assert_eq!(selected_target(&app), want);
    cmd(&mut app, Command::JumpBack);
    assert_eq!(app.screen, Screen::Study);
    assert_eq!(app.study.view, StudyView::Lesson);
}

#[test]
fn interview_answers_show_only_when_asked() {
    let mut app = test_app(sample("vulnerable"), 160, 48, true);
    open_lesson(&mut app, Topic::Passrole);
    let lesson = app.study.current_lesson().unwrap().clone();
    for (i, q) in lesson.interview.iter().enumerate() {
        select_item(&mut app, LessonItem::Interview(i));
        // The first words of the model answer, as the screen wraps them.
        let words: String = q.answer.split(' ').take(5).collect::<Vec<_>>().join(" ");
        let before = screen(&mut app);
        assert!(before.contains("Enter shows the model answer"), "{before}");
        assert!(
            !before.contains(&words),
            "answer shown before asked:\n{before}"
        );
        cmd(&mut app, Command::Open);
        let after = screen(&mut app);
        assert!(after.contains(&format!("A: {words}")), "{after}");
    }
}

#[test]
fn marking_a_lesson_done_saves_only_where_there_is_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.json");
    let mut app = test_app(sample("vulnerable"), 120, 40, true);
    app.study.store = ProgressStore::at(&path);
    open_lesson(&mut app, Topic::Passrole);
    select_item(&mut app, LessonItem::MarkDone);
    let fx = cmd(&mut app, Command::Open);
    let [Task::SaveProgress { store, progress }] = fx.as_slice() else {
        panic!("expected a save: {fx:?}");
    };
    assert_eq!(store.path(), Some(path.as_path()));
    assert!(progress.lessons_done.contains(&Topic::Passrole));
    assert!(screen(&mut app).contains("✓ Lesson done"));
    cmd(&mut app, Command::Back);
    assert!(screen(&mut app).contains("✓ passrole"));

    // --no-save: the same, kept in memory only.
    let mut app = test_app(sample("vulnerable"), 120, 40, true);
    assert_eq!(app.study.store.path(), None);
    open_lesson(&mut app, Topic::Passrole);
    select_item(&mut app, LessonItem::MarkDone);
    assert!(cmd(&mut app, Command::Open).is_empty());
    assert!(app.study.progress.lessons_done.contains(&Topic::Passrole));
}

#[test]
fn quiz_is_answered_before_the_trace_and_graded_by_the_evaluator() {
    let account = sample("vulnerable");
    let engine = Engine::new(&account);
    let mut app = test_app(account.clone(), 160, 48, true);
    start_quiz(&mut app, &account);
    assert_eq!(app.study.progress.sessions, 1);
    let quiz = app.study.ready_quiz().unwrap();
    assert_eq!(quiz.questions.len(), 10);

    // Asked: the choices, no answer, no trace.
    let shown = screen(&mut app);
    assert!(shown.contains("Question 1 of 10"), "{shown}");
    assert!(shown.contains("4 Conditional"), "{shown}");
    assert!(!shown.contains("Decided by"), "{shown}");
    assert!(!shown.contains("trace"), "{shown}");

    // The right answer: graded right, the trace and deciding statement revealed.
    let right = evaluator_answer(&app, &engine);
    answer(&mut app, right);
    assert_eq!(phase(&app), QuizPhase::Revealed);
    let q = app.study.ready_quiz().unwrap().question().unwrap().clone();
    let shown = screen(&mut app);
    assert!(
        shown.contains(&format!("You said {right}: ✓ right")),
        "{shown}"
    );
    assert!(shown.contains("Decided by:"), "{shown}");
    assert!(shown.contains("The evaluator's trace"), "{shown}");
    let first_step = q.trace.steps[0].to_string();
    assert!(
        shown.contains(&first_step[..first_step.len().min(40)]),
        "{shown}"
    );
    assert_eq!(app.study.progress.topics[&q.topic].correct, 1);

    // Next question; a wrong answer is recorded as missed with the evaluator's answer.
    cmd(&mut app, Command::Top);
    cmd(&mut app, Command::Open);
    assert_eq!(app.study.ready_quiz().unwrap().current, 1);
    assert_eq!(phase(&app), QuizPhase::Asking);
    let right = evaluator_answer(&app, &engine);
    let wrong = DECISION_CHOICES.iter().find(|c| **c != right).unwrap();
    answer(&mut app, wrong);
    let missed = app.study.progress.missed.last().unwrap();
    assert_eq!(
        (missed.given.as_str(), missed.answer.as_str()),
        (*wrong, right)
    );
    assert!(screen(&mut app).contains(&format!("You said {wrong}: ✗ wrong")));

    // The rest, always "Allow": the score counts the evaluator's Allows.
    let mut expected_right = 1;
    for _ in 2..10 {
        cmd(&mut app, Command::Top);
        cmd(&mut app, Command::Open);
        expected_right += usize::from(evaluator_answer(&app, &engine) == "Allow");
        answer(&mut app, "Allow");
    }
    cmd(&mut app, Command::Top);
    cmd(&mut app, Command::Open);
    assert_eq!(phase(&app), QuizPhase::Summary);
    let quiz = app.study.ready_quiz().unwrap();
    assert_eq!(quiz.score(), (expected_right, 10));
    let shown = screen(&mut app);
    assert!(
        shown.contains(&format!("You answered {expected_right} of 10 right.")),
        "{shown}"
    );
    let asked: u32 = app.study.progress.topics.values().map(|r| r.asked).sum();
    assert_eq!(asked, 10);

    // Enter on a question of the summary shows its trace again.
    cmd(&mut app, Command::Top);
    cmd(&mut app, Command::Open);
    assert_eq!(app.study.ready_quiz().unwrap().current, 0);
    assert_eq!(phase(&app), QuizPhase::Revealed);
}

#[test]
fn every_entity_of_a_question_opens_in_the_explorer_and_back() {
    let account = sample("vulnerable");
    let mut app = test_app(account.clone(), 120, 40, true);
    start_quiz(&mut app, &account);
    let mut opened = 0;
    for _ in 0..10 {
        answer(&mut app, "Allow");
        let quiz = app.study.ready_quiz().unwrap();
        let links = quiz.involved[quiz.current].clone();
        let q = quiz.question().unwrap().clone();
        if account.by_arn(&q.principal).is_some() {
            assert!(!links.is_empty(), "{}", q.prompt);
        }
        for (i, link) in links.iter().enumerate() {
            cmd(&mut app, Command::Top);
            for _ in 0..=i {
                cmd(&mut app, Command::Down);
            }
            cmd(&mut app, Command::Open);
            assert_eq!(app.screen, Screen::Explorer, "{}", link.display());
            let want = link_target(&account, link).unwrap();
            assert_eq!(selected_target(&app), want);
            cmd(&mut app, Command::JumpBack);
            assert_eq!(app.screen, Screen::Study);
            assert_eq!(phase(&app), QuizPhase::Revealed);
            opened += 1;
        }
        cmd(&mut app, Command::Top);
        cmd(&mut app, Command::Open);
    }
    assert!(opened >= 10, "only {opened} entities opened");
}

#[test]
fn a_late_quiz_is_dropped_and_another_account_ends_the_quiz() {
    let account = sample("vulnerable");
    let mut app = test_app(account.clone(), 120, 40, true);
    cmd(&mut app, Command::Study);
    let fx = cmd(&mut app, Command::Open);
    let [Task::GenerateQuiz { id, options }] = fx.as_slice() else {
        panic!("{fx:?}");
    };
    let (id, options) = (*id, options.clone());
    assert!(screen(&mut app).contains("generating a quiz"));
    update(&mut app, generate_quiz(&account, id + 7, options.clone()));
    assert!(
        app.study.ready_quiz().is_none(),
        "an answer to another request"
    );
    update(&mut app, generate_quiz(&account, id, options));
    assert!(app.study.ready_quiz().is_some());
    answer(&mut app, "Allow");
    cmd(&mut app, Command::Back);
    assert_eq!(app.study.menu_items()[0], MenuItem::ResumeQuiz);

    let model = Model::build(Arc::new(sample("startup")), &app.theme);
    update(&mut app, Action::Loaded(Ok(Box::new(model))));
    assert!(app.study.ready_quiz().is_none());
    assert_eq!(app.study.menu_items()[0], MenuItem::NewQuiz);
    assert_eq!(app.study.progress.sessions, 1, "progress stays");
}

// Snapshots: real lessons, quizzes generated from the vulnerable sample.

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn snap(name: &str, setup: impl Fn(&mut App, &Account)) {
    let account = sample("vulnerable");
    for (w, h) in SIZES {
        let mut app = test_app(account.clone(), w, h, true);
        setup(&mut app, &account);
        let terminal = render_to_test_backend(&mut app);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
    }
}

/// Answers the first `n` questions: right, then wrong, alternately.
fn answer_some(app: &mut App, account: &Account, n: usize) {
    let engine = Engine::new(account);
    for i in 0..n {
        let right = evaluator_answer(app, &engine);
        let wrong = DECISION_CHOICES.iter().find(|c| **c != right).unwrap();
        answer(app, if i % 2 == 0 { right } else { wrong });
        if i + 1 < n {
            cmd(app, Command::Top);
            cmd(app, Command::Open);
        }
    }
}

#[test]
fn snapshot_menu_with_progress() {
    snap("study_menu", |app, account| {
        open_lesson(app, Topic::Passrole);
        select_item(app, LessonItem::MarkDone);
        cmd(app, Command::Open);
        start_quiz(app, account);
        answer_some(app, account, 4);
        cmd(app, Command::Back);
    });
}

#[test]
fn snapshot_passrole_lesson() {
    snap("study_lesson", |app, _| {
        open_lesson(app, Topic::Passrole);
        cmd(app, Command::Right);
    });
}

#[test]
fn snapshot_quiz_question() {
    snap("study_quiz_question", |app, account| {
        start_quiz(app, account);
        cmd(app, Command::Down);
    });
}

#[test]
fn snapshot_quiz_answer_revealed() {
    snap("study_quiz_revealed", |app, account| {
        start_quiz(app, account);
        answer_some(app, account, 2);
    });
}

#[test]
fn snapshot_quiz_summary() {
    snap("study_quiz_summary", |app, account| {
        start_quiz(app, account);
        answer_some(app, account, 10);
        cmd(app, Command::Top);
        cmd(app, Command::Open);
    });
}

/// Issue 15: in an organization bundle, a link to an Organizations policy opens it under
/// the account whose organization path holds it, not the first account's: the org
/// sample's `AnalyticsProdAccessOnlyViaEtl` is attached to the analytics account only,
/// and a quiz's SCP links are looked up in its caller's account.
#[test]
fn org_policy_links_open_under_the_account_that_holds_them() {
    use iamscope::study::{EntityLink, LinkKind};
    let account = sample("org");
    let analytics = account
        .members
        .iter()
        .position(|m| m.id == "333333333333")
        .expect("analytics is a member") as u16;
    assert_ne!(
        analytics, 0,
        "the test needs analytics not to be the first member"
    );
    let named = |index: u16, policy: usize| {
        account.members[index as usize]
            .organization
            .as_ref()
            .map(|o| o.policies[policy].name.clone())
    };
    let link = |name: &str, in_account: Option<&str>| EntityLink {
        kind: LinkKind::OrgPolicy,
        name: name.to_string(),
        account: in_account.map(str::to_string),
    };
    let app = test_app(account.clone(), 120, 40, true);
    let opens = |l: &EntityLink| {
        let target = link_target(&account, l).expect("resolves");
        assert!(
            app.model.tree.primary(target).is_some(),
            "{target:?} has a tree node"
        );
        target
    };
    match opens(&link("AnalyticsProdAccessOnlyViaEtl", None)) {
        Target::OrgPolicy(a, p) => {
            assert_eq!(a, analytics);
            assert_eq!(
                named(a, p).as_deref(),
                Some("AnalyticsProdAccessOnlyViaEtl")
            );
        }
        other => panic!("{other:?}"),
    }
    // A root SCP both accounts have: under the account the link names.
    for (id, index) in [("333333333333", analytics), ("222222222222", 0)] {
        match opens(&link("DenyLeaveOrganization", Some(id))) {
            Target::OrgPolicy(a, p) => {
                assert_eq!(a, index, "{id}");
                assert_eq!(named(a, p).as_deref(), Some("DenyLeaveOrganization"));
            }
            other => panic!("{other:?}"),
        }
    }
    // Enterprise's path does not hold the analytics account's SCP.
    assert!(link_target(
        &account,
        &link("AnalyticsProdAccessOnlyViaEtl", Some("222222222222"))
    )
    .is_none());

    // Quiz questions: an SCP link carries the caller's account.
    let mut seen = 0;
    for q in iamscope::study::generate(
        &account,
        &iamscope::study::QuizOptions {
            count: 120,
            seed: 1,
            topics: Vec::new(),
        },
    ) {
        // SCPs limit the caller's account, RCPs the resource's.
        let account_of = |arn: &str| arn.split(':').nth(4).unwrap_or_default().to_string();
        let scp_of = account_of(&q.principal);
        let rcp_of = account_of(&q.resource);
        for l in iamscope::study::involved(&q, &account) {
            if l.kind != LinkKind::OrgPolicy {
                continue;
            }
            let Some(Target::OrgPolicy(a, p)) = link_target(&account, &l) else {
                panic!("{} resolves to an org policy", l.display());
            };
            let in_trace = |layer_is_rcp: bool| {
                q.trace.steps.iter().any(|s| {
                    s.policy == l.name
                        && matches!(s.layer, iamscope::eval::Layer::Rcp(_)) == layer_is_rcp
                })
            };
            let expected = if in_trace(false) { &scp_of } else { &rcp_of };
            if expected.is_empty() {
                continue;
            }
            assert_eq!(
                l.account.as_deref(),
                Some(expected.as_str()),
                "{}",
                q.prompt
            );
            assert_eq!(&account.members[a as usize].id, expected, "{}", q.prompt);
            assert_eq!(named(a, p).as_deref(), Some(l.name.as_str()));
            seen += 1;
        }
    }
    assert!(seen > 0, "the org sample's quiz links some SCP");
}
