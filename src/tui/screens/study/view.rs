//! The study screen's menu: quizzes and lessons on the left (stacked above on narrow
//! terminals), the learner's progress beside them. The lesson and the quiz draw in
//! [`super::lesson_view`] and [`super::quiz_view`].

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::sanitize::display;
use crate::tui::app::App;
use crate::tui::layout::{inner, SIDE_BY_SIDE_MIN_WIDTH};
use crate::tui::theme::Theme;
use crate::tui::views::{fit, pane};

use crate::tui::action::Command;

use super::state::{MenuItem, Quiz, QuizPhase, QuizStatus, StudyState, StudyView, QUIZ_LENGTH};

/// Mark of a lesson done, a right answer.
pub const DONE: &str = "✓";
/// Mark of a wrong answer.
pub const WRONG: &str = "✗";
/// Mark of the selected entry.
pub const POINTER: &str = "▸";

/// Draws the study screen.
pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    match app.study.view {
        StudyView::Menu => draw_menu(frame, area, app),
        StudyView::Lesson => super::lesson_view::draw(frame, area, app),
        StudyView::Quiz => super::quiz_view::draw(frame, area, app),
    }
}

/// The status bar's key hints on the study screen.
pub fn hints(app: &App) -> Vec<(String, &'static str)> {
    let k = |c: Command| app.keymap.hint(c);
    let updown = format!("{}/{}", k(Command::Up), k(Command::Down));
    match app.study.view {
        StudyView::Menu => vec![
            (k(Command::Open), "open"),
            (updown, "select"),
            (k(Command::Back), "explorer"),
        ],
        StudyView::Lesson => vec![
            (k(Command::Open), "open entity / show answer"),
            (
                format!("{}/{}", k(Command::Left), k(Command::Right)),
                "entity",
            ),
            (k(Command::PageDown), "scroll text"),
            (k(Command::Back), "menu"),
        ],
        StudyView::Quiz => match app.study.ready_quiz().map(Quiz::phase) {
            Some(QuizPhase::Asking) => vec![
                (updown, "choose"),
                (k(Command::Open), "answer"),
                (k(Command::Back), "menu"),
            ],
            Some(QuizPhase::Revealed) => vec![
                (updown, "select"),
                (k(Command::Open), "next / open entity"),
                (k(Command::PageDown), "scroll trace"),
                (k(Command::Back), "menu"),
            ],
            _ => vec![(k(Command::Open), "trace"), (k(Command::Back), "menu")],
        },
    }
}

/// `text` cut at spaces into lines of at most `width` characters (a longer word is
/// cut where it must be).
pub fn word_wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split(' ').filter(|w| !w.is_empty()) {
            let mut word: Vec<char> = word.chars().collect();
            while word.len() > width {
                if !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                }
                out.push(word.drain(..width).collect());
            }
            let word: String = word.into_iter().collect();
            let len = line.chars().count();
            if len > 0 && len + 1 + word.chars().count() > width {
                out.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&word);
        }
        out.push(line);
    }
    out
}

/// `text` wrapped at `width`, the lines after the first indented by `indent` spaces.
pub fn hanging_wrap(text: &str, width: usize, indent: usize) -> Vec<String> {
    let lines = word_wrap(text, width);
    if lines.len() <= 1 || width < indent + 10 {
        return lines;
    }
    let pad = " ".repeat(indent);
    let mut out = vec![lines[0].clone()];
    out.extend(
        word_wrap(&lines[1..].join(" "), width - indent)
            .into_iter()
            .map(|l| format!("{pad}{l}")),
    );
    out
}

/// Rows of a list, each with whether it is selected: the rows around the selection
/// that fit in `height`.
pub fn visible_rows(rows: Vec<(bool, Vec<Line<'static>>)>, height: usize) -> Vec<Line<'static>> {
    let total: usize = rows.iter().map(|r| r.1.len()).sum();
    if total <= height {
        return rows.into_iter().flat_map(|r| r.1).collect();
    }
    let sel = rows.iter().position(|r| r.0).unwrap_or(0);
    // Start from the selection and add rows below, then above, while they fit.
    let (mut start, mut end) = (sel, sel + 1);
    let mut used = rows[sel].1.len();
    while end < rows.len() && used + rows[end].1.len() <= height {
        used += rows[end].1.len();
        end += 1;
    }
    while start > 0 && used + rows[start - 1].1.len() <= height {
        start -= 1;
        used += rows[start].1.len();
    }
    rows.into_iter()
        .skip(start)
        .take(end - start)
        .flat_map(|r| r.1)
        .collect()
}

/// An ARN of the open account without its `arn:aws:iam::ACCOUNT:` prefix.
pub fn short_arn(arn: &str, account_id: &str) -> String {
    let prefix = format!("arn:aws:iam::{account_id}:");
    display(arn.strip_prefix(&prefix).unwrap_or(arn)).into_owned()
}

/// The two areas of a screen split in a list and a side pane: side by side on wide
/// terminals, stacked on narrow ones.
pub fn split(area: Rect) -> (Rect, Rect) {
    if area.width >= SIDE_BY_SIDE_MIN_WIDTH {
        let lw = area.width * 11 / 20;
        (
            Rect::new(area.x, area.y, lw, area.height),
            Rect::new(area.x + lw, area.y, area.width - lw, area.height),
        )
    } else {
        let th = area.height * 11 / 20;
        (
            Rect::new(area.x, area.y, area.width, th),
            Rect::new(area.x, area.y + th, area.width, area.height - th),
        )
    }
}

fn menu_rows(app: &App, width: usize) -> Vec<(bool, Vec<Line<'static>>)> {
    let t = &app.theme;
    let s = &app.study;
    let mut rows: Vec<(bool, Vec<Line<'static>>)> =
        vec![(false, vec![Line::styled("Quiz", t.heading)])];
    let source = display(&app.model.account.source).into_owned();
    let mut lessons_heading = false;
    for (i, item) in s.menu_items().into_iter().enumerate() {
        let sel = i == s.menu_selected;
        let style = |st| if sel { t.selected } else { st };
        let pointer = if sel { POINTER } else { " " };
        let text = match &item {
            MenuItem::ResumeQuiz => {
                let at = s.ready_quiz().map_or(0, |q| q.current + 1);
                format!("{pointer} Resume the quiz (question {at} of {QUIZ_LENGTH})")
            }
            MenuItem::NewQuiz => {
                format!("{pointer} New quiz: {QUIZ_LENGTH} questions on {source}")
            }
            MenuItem::Review(topics) => {
                let slugs: Vec<&str> = topics.iter().map(|t| t.slug()).collect();
                format!("{pointer} Review the topics due: {}", slugs.join(", "))
            }
            MenuItem::Lesson(l) => {
                if !lessons_heading {
                    lessons_heading = true;
                    let done = s.progress.lessons_done.len();
                    rows.push((false, vec![Line::default()]));
                    rows.push((
                        false,
                        vec![Line::styled(
                            format!("Lessons ({done} of {} done)", s.lessons.len()),
                            t.heading,
                        )],
                    ));
                }
                let lesson = &s.lessons[*l];
                let mark = if s.progress.lessons_done.contains(&lesson.topic) {
                    DONE
                } else {
                    " "
                };
                format!(
                    "{pointer} {mark} {:<22} {:<10} {}",
                    lesson.topic.slug(),
                    lesson.sample,
                    lesson.title
                )
            }
        };
        rows.push((sel, vec![Line::styled(fit(&text, width), style(t.text))]));
    }
    rows
}

fn progress_lines(s: &StudyState, t: &Theme, width: usize, account_id: &str) -> Vec<Line<'static>> {
    let p = &s.progress;
    let saved = match s.store.path() {
        Some(path) => format!("saved in {}", display(&path.display().to_string())),
        None => "not saved (--no-save or no data directory)".to_string(),
    };
    let mut out = vec![
        Line::styled(saved, t.muted),
        Line::from(vec![
            Span::styled("Lessons done: ", t.text),
            Span::styled(
                format!("{} of {}", p.lessons_done.len(), s.lessons.len()),
                t.accent,
            ),
            Span::styled(format!("   quiz sessions: {}", p.sessions), t.text),
        ]),
        Line::default(),
    ];
    if p.topics.is_empty() {
        out.push(Line::styled(
            "No quiz answered yet: scores by topic appear here.",
            t.muted,
        ));
    } else {
        let boxes = if width >= 45 { "Leitner box" } else { "box" };
        out.push(Line::styled(
            format!("{:<24}{:>8}  {boxes}", "Score by topic", "right"),
            t.heading,
        ));
        for (topic, r) in &p.topics {
            let style = if r.correct == r.asked {
                t.allow
            } else {
                t.text
            };
            out.push(Line::styled(
                format!(
                    "{:<24}{:>8}  {}",
                    topic.slug(),
                    format!("{}/{}", r.correct, r.asked),
                    r.leitner_box
                ),
                style,
            ));
        }
    }
    let due = s.due_topics();
    if !due.is_empty() {
        let slugs: Vec<&str> = due.iter().map(|t| t.slug()).collect();
        out.push(Line::default());
        out.push(Line::styled(
            format!("Due for review: {}", slugs.join(", ")),
            t.warning,
        ));
    }
    if !p.missed.is_empty() {
        out.push(Line::default());
        out.push(Line::styled("Recently missed", t.heading));
        for m in p.missed.iter().rev().take(5) {
            let text = format!(
                "{WRONG} {} {} on {}: you said {}, the evaluator {}",
                short_arn(&m.principal, account_id),
                display(&m.action),
                short_arn(&m.resource, account_id),
                display(&m.given),
                display(&m.answer)
            );
            out.push(Line::styled(fit(&text, width), t.deny));
        }
    }
    out
}

fn draw_menu(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let t = &app.theme;
    let (list, side) = split(area);
    let inside = inner(list);
    let mut lines = visible_rows(
        menu_rows(app, inside.width as usize),
        inside.height as usize,
    );
    if let Some(e) = &app.study.lessons_error {
        lines.push(Line::styled(display(e).into_owned(), t.deny));
    }
    frame.render_widget(Paragraph::new(lines).block(pane("Study", true, t)), list);
    let mut side_lines = progress_lines(
        &app.study,
        t,
        inner(side).width as usize,
        &app.model.account.id,
    );
    if let QuizStatus::Empty(why) = &app.study.quiz {
        side_lines.insert(0, Line::styled(why.clone(), t.warning));
    }
    frame.render_widget(
        Paragraph::new(side_lines)
            .wrap(Wrap { trim: false })
            .block(pane("Progress", false, t)),
        side,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_wrap_breaks_at_spaces_and_cuts_long_words() {
        assert_eq!(word_wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(word_wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(word_wrap("a\nb", 10), ["a", "b"]);
        for line in word_wrap("the quick brown fox jumps over the lazy dog", 9) {
            assert!(line.chars().count() <= 9, "{line}");
        }
    }

    #[test]
    fn hanging_wrap_indents_the_lines_after_the_first() {
        let lines = hanging_wrap("1. alpha beta gamma delta epsilon zeta eta theta", 20, 3);
        assert_eq!(lines[0], "1. alpha beta gamma");
        assert!(lines[1..]
            .iter()
            .all(|l| l.starts_with("   ") && l.len() <= 20));
        let words: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
        assert_eq!(words.len(), 9);
    }

    #[test]
    fn visible_rows_keep_the_selection_on_screen() {
        let row = |sel: bool, n: usize| (sel, vec![Line::raw("x"); n]);
        let rows = vec![row(false, 2), row(false, 2), row(true, 3), row(false, 2)];
        assert_eq!(visible_rows(rows.clone(), 20).len(), 9);
        let shown = visible_rows(rows, 5);
        assert_eq!(shown.len(), 5, "the selection and the row below");
    }
}
