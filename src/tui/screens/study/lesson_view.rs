//! A lesson: its text above (scrolled with the page keys), its steps, interview
//! questions and actions below; the selected step shows the entities it links, one
//! of them picked with Left/Right and opened with Enter.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::study::{render_links, Lesson};
use crate::tui::app::App;
use crate::tui::layout::inner;
use crate::tui::theme::Theme;
use crate::tui::views::{fit, pane, window};

use super::state::{LessonItem, QUIZ_LENGTH};
use super::view::{hanging_wrap, visible_rows, word_wrap, DONE, POINTER};

/// The lesson's text before its steps, as lines of at most `width` characters:
/// headings styled, paragraphs joined and wrapped.
fn prose_lines(lesson: &Lesson, width: usize, t: &Theme) -> Vec<Line<'static>> {
    let intro = lesson.body.split("\n## Steps").next().unwrap_or_default();
    let mut paragraphs: Vec<(bool, String)> = Vec::new();
    let mut open = false;
    for line in render_links(intro).lines() {
        let line = line.trim_end();
        if line.strip_prefix("# ") == Some(lesson.title.as_str()) {
            // The title is the pane's.
            continue;
        }
        if let Some(h) = line.strip_prefix('#') {
            paragraphs.push((true, h.trim_start_matches('#').trim().to_string()));
            open = false;
        } else if line.is_empty() {
            open = false;
        } else if open && !line.starts_with("- ") {
            if let Some(last) = paragraphs.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else {
            if !paragraphs.is_empty() {
                paragraphs.push((false, String::new()));
            }
            paragraphs.push((false, line.to_string()));
            open = true;
        }
    }
    let mut out = Vec::new();
    if paragraphs.first().is_some_and(|p| p.1.is_empty()) {
        paragraphs.remove(0);
    }
    for (heading, text) in paragraphs {
        let style = if heading { t.heading } else { t.text };
        out.extend(
            word_wrap(&text, width)
                .into_iter()
                .map(|l| Line::styled(l, style)),
        );
    }
    out
}

fn item_rows(app: &App, lesson: &Lesson, width: usize) -> Vec<(bool, Vec<Line<'static>>)> {
    let t = &app.theme;
    let s = &app.study;
    let Some(state) = &s.lesson else {
        return Vec::new();
    };
    let mut rows: Vec<(bool, Vec<Line<'static>>)> = Vec::new();
    let heading = |text: &str| (false, vec![Line::styled(text.to_string(), t.heading)]);
    for (i, item) in s.lesson_items().into_iter().enumerate() {
        let sel = i == state.selected;
        let pointer = if sel { POINTER } else { " " };
        let style = |st| if sel { t.selected } else { st };
        // The selected entry shows in full; the others one line each.
        let shown = |text: String, st| -> Vec<Line<'static>> {
            if sel {
                hanging_wrap(&text, width, 5)
                    .into_iter()
                    .map(|l| Line::styled(fit(&l, width), style(st)))
                    .collect()
            } else {
                vec![Line::styled(fit(&text, width), st)]
            }
        };
        let lines = match item {
            LessonItem::Step(n) => {
                if n == 0 {
                    rows.push(heading("Steps"));
                }
                let step = &lesson.steps[n];
                let text = render_links(&step.text)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                let mut lines = shown(format!("{pointer} {}. {text}", n + 1), t.text);
                if sel && !step.links.is_empty() {
                    let mut spans = vec![Span::styled("   open: ", t.muted)];
                    for (k, link) in step.links.iter().enumerate() {
                        let name = link.display();
                        if k == state.link {
                            spans.push(Span::styled(format!("[{name}]"), t.accent));
                        } else {
                            spans.push(Span::styled(format!(" {name} "), t.key));
                        }
                    }
                    lines.push(Line::from(spans));
                }
                lines
            }
            LessonItem::Interview(n) => {
                if n == 0 {
                    rows.push((false, vec![Line::default()]));
                    rows.push(heading("Interview questions"));
                }
                let q = &lesson.interview[n];
                let mut lines = shown(format!("{pointer} Q: {}", q.question), t.text);
                if state.revealed.contains(&n) {
                    lines.extend(
                        word_wrap(&format!("A: {}", q.answer), width.saturating_sub(4))
                            .into_iter()
                            .map(|l| Line::styled(format!("    {l}"), t.allow)),
                    );
                } else if sel {
                    lines.push(Line::styled(
                        "    (try it first: Enter shows the model answer)",
                        t.muted,
                    ));
                }
                lines
            }
            LessonItem::MarkDone => {
                rows.push((false, vec![Line::default()]));
                let done = s.progress.lessons_done.contains(&lesson.topic);
                let text = if done {
                    format!("{pointer} {DONE} Lesson done")
                } else {
                    format!("{pointer} Mark this lesson done")
                };
                shown(text, if done { t.allow } else { t.key })
            }
            LessonItem::Quiz => shown(
                format!(
                    "{pointer} Quiz on {}: {QUIZ_LENGTH} questions on this account",
                    lesson.topic.slug()
                ),
                t.key,
            ),
        };
        rows.push((sel, lines));
    }
    rows
}

/// Draws the lesson being read.
pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let t = &app.theme;
    let Some(lesson) = app.study.current_lesson() else {
        return;
    };
    let top_h = (area.height * 2 / 5).max(4.min(area.height));
    let top = Rect::new(area.x, area.y, area.width, top_h);
    let bottom = Rect::new(area.x, area.y + top_h, area.width, area.height - top_h);

    let inside = inner(top);
    let width = inside.width as usize;
    let open = app.model.account.source == format!("sample:{}", lesson.sample);
    let mut prose = vec![Line::styled(
        if open {
            format!("on the {} sample, open now", lesson.sample)
        } else {
            format!(
                "on the {} sample: Enter on a step opens it in the explorer",
                lesson.sample
            )
        },
        t.muted,
    )];
    prose.extend(prose_lines(lesson, width, t));
    let h = inside.height as usize;
    let scroll = app
        .study
        .lesson
        .as_ref()
        .map_or(0, |l| l.scroll)
        .min(prose.len().saturating_sub(h));
    let title = format!("Lesson: {}", lesson.title);
    frame.render_widget(
        Paragraph::new(window(&prose, scroll, h)).block(pane(&title, false, t)),
        top,
    );

    let inside = inner(bottom);
    let rows = item_rows(app, lesson, inside.width as usize);
    frame.render_widget(
        Paragraph::new(visible_rows(rows, inside.height as usize)).block(pane(
            "Steps and questions",
            true,
            t,
        )),
        bottom,
    );
}
