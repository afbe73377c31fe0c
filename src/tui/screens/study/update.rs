//! What keys and answers do to the study screen. Pure: saving progress and generating
//! a quiz are [`Task`]s for the event loop.

use crate::load::Input;
use crate::study::{EntityLink, LinkTarget, Question, QuizOptions, Topic, DECISION_CHOICES};
use crate::tui::action::{Command, Task};
use crate::tui::app::{App, Pane, Screen};
use crate::tui::screens::step_within;
use crate::tui::tree::{entity_target, Target};

use super::state::QUIZ_LENGTH;
use super::state::{LessonItem, LessonState, MenuItem, Quiz, QuizPhase, QuizStatus, StudyView};

/// `:study` / `s`: the study screen, where the learner left it.
pub fn open(app: &mut App) {
    app.overlay = crate::tui::app::Overlay::None;
    app.screen = Screen::Study;
    app.study.return_depth = None;
}

/// Jump-back in the explorer after a lesson or quiz opened an entity: back to the
/// study screen once the explorer's own history is unwound. True when it did.
pub fn jump_back(app: &mut App) -> bool {
    if app.screen != Screen::Explorer || app.study.return_depth != Some(app.history.len()) {
        return false;
    }
    app.study.return_depth = None;
    app.screen = Screen::Study;
    app.status = None;
    true
}

/// Another account was opened: a quiz on the previous one is dropped; a lesson's link
/// that waited for its sample is followed.
pub fn loaded(app: &mut App) {
    app.study.quiz = QuizStatus::None;
    app.study.return_depth = None;
    if let Some(link) = app.study.pending_link.take() {
        if !jump_to(app, &link) {
            app.status = Some(format!("{} is not in this account", link.display()));
        }
    }
}

/// A quiz arrived for request `id`: the learner's session starts.
pub fn quiz_ready(
    app: &mut App,
    id: u64,
    questions: Vec<Question>,
    involved: Vec<Vec<crate::study::EntityLink>>,
    options: &QuizOptions,
    fx: &mut Vec<Task>,
) {
    if !matches!(app.study.quiz, QuizStatus::Generating { id: want } if want == id) {
        return;
    }
    if questions.is_empty() {
        let which: Vec<&str> = options.topics.iter().map(|t| t.slug()).collect();
        let which = if which.is_empty() {
            "any topic".to_string()
        } else {
            which.join(", ")
        };
        app.study.quiz = QuizStatus::Empty(format!("This account has no question on {which}."));
        return;
    }
    app.study.progress.start_session();
    save(app, fx);
    app.study.quiz = QuizStatus::Ready(Box::new(Quiz::new(
        questions,
        involved,
        options.seed,
        options.topics.clone(),
    )));
}

/// Progress could not be saved: say so (it is still kept for this session).
pub fn not_saved(app: &mut App, why: String) {
    app.status = Some(format!("study progress not saved: {why}"));
}

fn save(app: &App, fx: &mut Vec<Task>) {
    if app.study.store.path().is_some() {
        fx.push(Task::SaveProgress {
            store: app.study.store.clone(),
            progress: app.study.progress.clone(),
        });
    }
}

/// Asks for a quiz on the open account (all topics when `topics` is empty).
fn start_quiz(app: &mut App, topics: Vec<Topic>, fx: &mut Vec<Task>) {
    let id = app.new_id();
    // Pure and reproducible: the same day and session give the same quiz.
    let seed = (app.today.max(0) as u64) * 1000 + app.study.progress.sessions + 1;
    app.study.quiz = QuizStatus::Generating { id };
    app.study.view = StudyView::Quiz;
    fx.push(Task::GenerateQuiz {
        id,
        options: QuizOptions {
            count: QUIZ_LENGTH,
            seed,
            topics,
        },
    });
}

/// The tree target of the entity `link` names in `account`, if it has one: an
/// Organizations policy under the account whose organization path holds it.
pub fn link_target(account: &crate::model::Account, link: &EntityLink) -> Option<Target> {
    match link.resolve(account)? {
        LinkTarget::Entity(e) => entity_target(e),
        LinkTarget::ResourcePolicy(i) => Some(Target::ResourcePolicy(i)),
        LinkTarget::OrgPolicy(a, i) => Some(Target::OrgPolicy(a, i)),
    }
}

/// The tree node a link names in the open account, opened in the explorer. False when
/// the account has no such entity.
fn jump_to(app: &mut App, link: &EntityLink) -> bool {
    let target = link_target(&app.model.account, link);
    let Some(node) = target.and_then(|t| app.model.tree.primary(t)) else {
        return false;
    };
    app.study.return_depth = Some(app.history.len());
    app.screen = Screen::Explorer;
    app.focus = Pane::Tree;
    app.reveal(node);
    app.open(node);
    let back = app.keymap.hint(Command::JumpBack);
    app.status = Some(format!("{back} returns to study"));
    true
}

/// A lesson's link: opened in the open account, or in the lesson's sample (loaded
/// first) when the open account lacks it.
fn follow_lesson_link(app: &mut App, link: EntityLink, fx: &mut Vec<Task>) {
    if jump_to(app, &link) {
        return;
    }
    let Some(sample) = app.study.current_lesson().map(|l| l.sample.clone()) else {
        return;
    };
    let source = format!("sample:{sample}");
    if app.model.account.source == source {
        app.status = Some(format!("{} is not in this account", link.display()));
        return;
    }
    app.study.pending_link = Some(link);
    app.loading = Some(source);
    app.status = Some(format!("this lesson walks through the {sample} sample"));
    fx.push(Task::Load(Input::Sample(sample)));
}

/// Moves the selection (or the choice) by `delta`.
pub fn vertical(app: &mut App, delta: isize) {
    let s = &mut app.study;
    match s.view {
        StudyView::Menu => {
            let n = s.menu_items().len();
            s.menu_selected = step_within(s.menu_selected, delta, n);
        }
        StudyView::Lesson => {
            let n = s.lesson_items().len();
            if let Some(l) = s.lesson.as_mut() {
                let before = l.selected;
                l.selected = step_within(l.selected, delta, n);
                if l.selected != before {
                    l.link = 0;
                }
            }
        }
        StudyView::Quiz => {
            if let QuizStatus::Ready(q) = &mut s.quiz {
                match q.phase() {
                    QuizPhase::Asking => {
                        q.choice = step_within(q.choice, delta, DECISION_CHOICES.len());
                    }
                    QuizPhase::Revealed => {
                        let n = 1 + q.involved.get(q.current).map_or(0, Vec::len);
                        q.selected = step_within(q.selected, delta, n);
                    }
                    QuizPhase::Summary => {
                        q.selected = step_within(q.selected, delta, q.questions.len());
                    }
                }
            }
        }
    }
}

/// Scrolls the lesson's text or the trace by `delta` lines.
fn scroll(app: &mut App, delta: isize) {
    let s = &mut app.study;
    match s.view {
        StudyView::Lesson => {
            if let Some(l) = s.lesson.as_mut() {
                l.scroll = l.scroll.saturating_add_signed(delta);
            }
        }
        StudyView::Quiz => {
            if let QuizStatus::Ready(q) = &mut s.quiz {
                q.trace_scroll = q.trace_scroll.saturating_add_signed(delta);
            }
        }
        StudyView::Menu => {}
    }
}

fn open_menu_item(app: &mut App, fx: &mut Vec<Task>) {
    let items = app.study.menu_items();
    match items.get(app.study.menu_selected).cloned() {
        Some(MenuItem::ResumeQuiz) => app.study.view = StudyView::Quiz,
        Some(MenuItem::NewQuiz) => start_quiz(app, Vec::new(), fx),
        Some(MenuItem::Review(topics)) => start_quiz(app, topics, fx),
        Some(MenuItem::Lesson(index)) => {
            app.study.lesson = Some(LessonState {
                index,
                ..LessonState::default()
            });
            app.study.view = StudyView::Lesson;
        }
        None => {}
    }
}

fn open_lesson_item(app: &mut App, fx: &mut Vec<Task>) {
    let Some(item) = app.study.lesson_item() else {
        return;
    };
    let Some(lesson) = app.study.current_lesson() else {
        return;
    };
    let topic = lesson.topic;
    match item {
        LessonItem::Step(i) => {
            let link_index = app.study.lesson.as_ref().map_or(0, |l| l.link);
            match lesson.steps[i].links.get(link_index).cloned() {
                Some(link) => follow_lesson_link(app, link, fx),
                None => app.status = Some("this step names no entity".into()),
            }
        }
        LessonItem::Interview(i) => {
            if let Some(l) = app.study.lesson.as_mut() {
                if !l.revealed.insert(i) {
                    l.revealed.remove(&i);
                }
            }
        }
        LessonItem::MarkDone => {
            app.study.progress.lesson_done(topic);
            save(app, fx);
            let done = app.study.progress.lessons_done.len();
            let all = app.study.lessons.len();
            app.status = Some(format!("lesson {topic} done ({done} of {all})"));
        }
        LessonItem::Quiz => start_quiz(app, vec![topic], fx),
    }
}

/// Left/Right on a step: the previous or next entity it links.
fn step_link(app: &mut App, delta: isize) {
    let Some(LessonItem::Step(i)) = app.study.lesson_item() else {
        return;
    };
    let n = app
        .study
        .current_lesson()
        .map_or(0, |l| l.steps[i].links.len());
    if let Some(l) = app.study.lesson.as_mut() {
        l.link = step_within(l.link, delta, n);
    }
}

/// The next question not answered after the current one, else the summary.
fn next_question(q: &mut Quiz) {
    let from = q.current;
    q.current = (from + 1..q.questions.len())
        .find(|&i| q.answers[i].is_none())
        .unwrap_or(q.questions.len());
    q.choice = 0;
    q.trace_scroll = 0;
    q.selected = if q.current == q.questions.len() {
        from.min(q.questions.len().saturating_sub(1))
    } else {
        0
    };
}

fn open_quiz_item(app: &mut App, fx: &mut Vec<Task>) {
    let QuizStatus::Ready(q) = &mut app.study.quiz else {
        return;
    };
    match q.phase() {
        QuizPhase::Asking => {
            let choice = DECISION_CHOICES[q.choice.min(DECISION_CHOICES.len() - 1)];
            q.answers[q.current] = Some(choice);
            q.selected = 0;
            q.trace_scroll = 0;
            let question = q.questions[q.current].clone();
            app.study.progress.record(&question, choice);
            save(app, fx);
        }
        QuizPhase::Revealed if q.selected == 0 => next_question(q),
        QuizPhase::Revealed => {
            let link = q
                .involved
                .get(q.current)
                .and_then(|links| links.get(q.selected - 1))
                .cloned();
            if let Some(link) = link {
                if !jump_to(app, &link) {
                    app.status = Some(format!("{} is not in this account", link.display()));
                }
            }
        }
        QuizPhase::Summary => {
            if q.selected < q.questions.len() {
                q.current = q.selected;
                q.selected = 0;
                q.trace_scroll = 0;
            }
        }
    }
}

/// The commands the study screen handles itself; false for the others.
pub fn command(app: &mut App, cmd: Command, fx: &mut Vec<Task>) -> bool {
    let view = app.study.view;
    let page = (app.size.1 as isize / 2).max(1);
    match cmd {
        Command::Open => match view {
            StudyView::Menu => open_menu_item(app, fx),
            StudyView::Lesson => open_lesson_item(app, fx),
            StudyView::Quiz => open_quiz_item(app, fx),
        },
        Command::Back | Command::JumpBack if view != StudyView::Menu => {
            app.study.view = StudyView::Menu;
        }
        Command::Left if view == StudyView::Lesson => step_link(app, -1),
        Command::Right if view == StudyView::Lesson => step_link(app, 1),
        Command::PageDown | Command::HalfPageDown if view != StudyView::Menu => scroll(app, page),
        Command::PageUp | Command::HalfPageUp if view != StudyView::Menu => scroll(app, -page),
        _ => return false,
    }
    true
}
