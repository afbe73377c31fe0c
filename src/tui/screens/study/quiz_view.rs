//! The quiz: the question with its choices; once answered, the evaluator's answer, the
//! layer and statement that decided it, the entities involved and the whole trace;
//! after the last question, the score and every question with its answer.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::sanitize::display;
use crate::study::{Question, DECISION_CHOICES};
use crate::tui::app::App;
use crate::tui::layout::inner;
use crate::tui::theme::Theme;
use crate::tui::views::{decision_cell, fit, pane, window};

use super::state::{Quiz, QuizPhase, QuizStatus};
use super::view::{hanging_wrap, short_arn, visible_rows, word_wrap, DONE, POINTER, WRONG};

/// The request of a question, a field a line.
fn request_lines(q: &Question, t: &Theme, account_id: &str) -> Vec<Line<'static>> {
    let field = |name: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("  {name:<10}"), t.muted),
            Span::styled(value, t.text),
        ])
    };
    vec![
        Line::styled(
            "Can this principal call this action on this resource?",
            t.heading,
        ),
        field("principal", short_arn(&q.principal, account_id)),
        field("action", display(&q.action).into_owned()),
        field("resource", short_arn(&q.resource, account_id)),
        field("context", display(&q.context.describe()).into_owned()),
    ]
}

/// Where the question is and the score so far.
fn title(quiz: &Quiz) -> String {
    let (right, answered) = quiz.score();
    match quiz.question() {
        Some(q) => format!(
            "Question {} of {} · {} · score {right}/{answered}",
            quiz.current + 1,
            quiz.questions.len(),
            q.topic
        ),
        None => format!("Score {right}/{answered}"),
    }
}

fn asking(quiz: &Quiz, q: &Question, app: &App) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut lines = request_lines(q, t, &app.model.account.id);
    lines.push(Line::default());
    lines.push(Line::styled(
        "What does AWS decide? Pick an answer and press Enter:",
        t.text,
    ));
    for (i, c) in DECISION_CHOICES.iter().enumerate() {
        let sel = i == quiz.choice;
        let pointer = if sel { POINTER } else { " " };
        lines.push(Line::styled(
            format!("  {pointer} {} {c}", i + 1),
            if sel { t.selected } else { t.key },
        ));
    }
    lines
}

fn revealed(quiz: &Quiz, q: &Question, app: &App, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    // The request without its heading: the answer needs the room.
    let mut lines = request_lines(q, t, &app.model.account.id).split_off(1);
    let given = quiz.answers[quiz.current].unwrap_or_default();
    let verdict = if q.is_correct(given) {
        Span::styled(format!("{DONE} right"), t.allow)
    } else {
        Span::styled(format!("{WRONG} wrong"), t.deny)
    };
    lines.push(Line::from(vec![
        Span::styled(format!("You said {given}: "), t.text),
        verdict,
        Span::styled("   the evaluator: ", t.text),
        decision_cell(t, q.answer, 0),
    ]));
    if !q.decision.missing_keys().is_empty() {
        lines.push(Line::styled(
            format!("  {}", display(&q.decision.to_string())),
            t.conditional,
        ));
    }
    let d = &q.deciding;
    let mut at = format!("[{}]", d.layer);
    if !d.policy.is_empty() {
        at.push_str(&format!(" {}", d.policy));
    }
    if let Some(i) = d.statement {
        at.push_str(&format!(" #{}", i + 1));
    }
    if let Some(sid) = &d.sid {
        at.push_str(&format!(" ({sid})"));
    }
    lines.push(Line::from(vec![
        Span::styled("Decided by: ", t.muted),
        Span::styled(display(&at).into_owned(), t.accent),
    ]));
    for l in word_wrap(&format!("Why: {}", display(&d.summary)), width) {
        lines.push(Line::styled(l, t.text));
    }
    let involved = quiz
        .involved
        .get(quiz.current)
        .map_or(&[][..], Vec::as_slice);
    let last = quiz.current + 1 == quiz.questions.len()
        || quiz.answers[quiz.current + 1..].iter().all(Option::is_some);
    let next = if last {
        "See the score".to_string()
    } else {
        format!(
            "Next question ({} of {})",
            quiz.current + 2,
            quiz.questions.len()
        )
    };
    let mut items = vec![next];
    items.extend(
        involved
            .iter()
            .map(|l| format!("Open {}", display(&l.display()))),
    );
    for (i, text) in items.into_iter().enumerate() {
        let sel = i == quiz.selected;
        let pointer = if sel { POINTER } else { " " };
        lines.push(Line::styled(
            fit(&format!("{pointer} {text}"), width),
            if sel { t.selected } else { t.key },
        ));
    }
    lines
}

/// The trace, a step a row wrapped to `width`, the deciding step highlighted.
fn trace_lines(q: &Question, t: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for (i, s) in q.trace.steps.iter().enumerate() {
        let style = if Some(i) == q.deciding.step {
            t.accent
        } else {
            t.text
        };
        let text = format!("{:>3}. {}", i + 1, display(&s.to_string()));
        out.extend(
            hanging_wrap(&text, width, 5)
                .into_iter()
                .map(|l| Line::styled(l, style)),
        );
    }
    out
}

fn summary_rows(quiz: &Quiz, app: &App, width: usize) -> Vec<(bool, Vec<Line<'static>>)> {
    let t = &app.theme;
    let id = &app.model.account.id;
    let (right, answered) = quiz.score();
    let mut by_topic: std::collections::BTreeMap<_, (usize, usize)> = Default::default();
    for (q, a) in quiz.questions.iter().zip(&quiz.answers) {
        let e = by_topic.entry(q.topic).or_default();
        e.1 += 1;
        if a.is_some_and(|a| q.is_correct(a)) {
            e.0 += 1;
        }
    }
    let topics: Vec<String> = by_topic
        .iter()
        .map(|(topic, (r, n))| format!("{topic} {r}/{n}"))
        .collect();
    let mut head = vec![Line::styled(
        format!("You answered {right} of {answered} right."),
        t.heading,
    )];
    head.extend(
        word_wrap(&format!("By topic: {}", topics.join(", ")), width)
            .into_iter()
            .map(|l| Line::styled(l, t.text)),
    );
    head.push(Line::styled(
        "Enter on a question shows its trace again; Esc returns to the study menu.",
        t.muted,
    ));
    head.push(Line::default());
    let mut rows = vec![(false, head)];
    for (i, (q, a)) in quiz.questions.iter().zip(&quiz.answers).enumerate() {
        let sel = i == quiz.selected;
        let pointer = if sel { POINTER } else { " " };
        let given = a.unwrap_or("-");
        let (mark, style) = if q.is_correct(given) {
            (DONE, t.allow)
        } else {
            (WRONG, t.deny)
        };
        let text = if q.is_correct(given) {
            format!(
                "{pointer} {mark} Q{} [{}] {} {} on {}: {}",
                i + 1,
                q.topic,
                short_arn(&q.principal, id),
                display(&q.action),
                short_arn(&q.resource, id),
                q.answer
            )
        } else {
            format!(
                "{pointer} {mark} Q{} [{}] {} {} on {}: you {given}, evaluator {}",
                i + 1,
                q.topic,
                short_arn(&q.principal, id),
                display(&q.action),
                short_arn(&q.resource, id),
                q.answer
            )
        };
        let lines = if sel {
            hanging_wrap(&text, width, 4)
                .into_iter()
                .map(|l| Line::styled(fit(&l, width), t.selected))
                .collect()
        } else {
            vec![Line::styled(fit(&text, width), style)]
        };
        rows.push((sel, lines));
    }
    rows
}

/// Draws the quiz.
pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let t = &app.theme;
    let quiz = match &app.study.quiz {
        QuizStatus::Ready(q) => q,
        QuizStatus::Generating { .. } => {
            let msg = vec![
                Line::styled("generating a quiz from the account…", t.accent),
                Line::styled(
                    "Requests where policy layers interact, each decided by the evaluator.",
                    t.muted,
                ),
            ];
            frame.render_widget(
                Paragraph::new(msg)
                    .wrap(Wrap { trim: false })
                    .block(pane("Quiz", true, t)),
                area,
            );
            return;
        }
        QuizStatus::Empty(why) => {
            frame.render_widget(
                Paragraph::new(Line::styled(why.clone(), t.warning))
                    .wrap(Wrap { trim: false })
                    .block(pane("Quiz", true, t)),
                area,
            );
            return;
        }
        QuizStatus::None => {
            frame.render_widget(
                Paragraph::new(Line::styled(
                    "No quiz yet: start one from the menu.",
                    t.muted,
                ))
                .block(pane("Quiz", true, t)),
                area,
            );
            return;
        }
    };
    let title = title(quiz);
    let width = inner(area).width as usize;
    match (quiz.phase(), quiz.question()) {
        (QuizPhase::Asking, Some(q)) => {
            frame.render_widget(
                Paragraph::new(asking(quiz, q, app)).block(pane(&title, true, t)),
                area,
            );
        }
        (QuizPhase::Revealed, Some(q)) => {
            let top_lines = revealed(quiz, q, app, width);
            // The trace gets what the answer leaves, at least a quarter of the screen.
            let top_h = (top_lines.len() as u16 + 2)
                .min(area.height.saturating_sub((area.height / 4).max(5)));
            let top = Rect::new(area.x, area.y, area.width, top_h);
            let bottom = Rect::new(area.x, area.y + top_h, area.width, area.height - top_h);
            // Keep the selected entry in view when the answer takes more room.
            let h = inner(top).height as usize;
            let list_start = top_lines.len() - (1 + quiz.involved[quiz.current].len());
            let start = (list_start + quiz.selected + 1).saturating_sub(h);
            frame.render_widget(
                Paragraph::new(window(&top_lines, start, h)).block(pane(&title, true, t)),
                top,
            );
            let trace = trace_lines(q, t, inner(bottom).width as usize);
            let th = inner(bottom).height as usize;
            let scroll = quiz.trace_scroll.min(trace.len().saturating_sub(th));
            frame.render_widget(
                Paragraph::new(window(&trace, scroll, th)).block(pane(
                    "The evaluator's trace (PgUp/PgDn)",
                    false,
                    t,
                )),
                bottom,
            );
        }
        _ => {
            let h = inner(area).height as usize;
            frame.render_widget(
                Paragraph::new(visible_rows(summary_rows(quiz, app, width), h))
                    .block(pane(&title, true, t)),
                area,
            );
        }
    }
}
