//! The diff screen's view: a summary line, the list of changes (marks so that it
//! reads without colour: `+` grew or added, `-` shrank or removed, `~` changed), and
//! on Enter the selected change's old and new versions side by side (stacked on
//! narrow terminals).

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::DiffStatus;
use crate::diff::view::{ChangeView, Section};
use crate::tui::app::App;
use crate::tui::layout::{inner, SIDE_BY_SIDE_MIN_WIDTH};
use crate::tui::views::{fit, pane, scroll_for, window, wrap_fit};

fn style(app: &App, c: &ChangeView) -> Style {
    let t = &app.theme;
    match (c.section, c.mark) {
        (Section::Entity | Section::Finding, _) => t.text,
        _ if c.grew => t.deny,
        _ => t.allow,
    }
}

fn summary(app: &App) -> Line<'static> {
    let t = &app.theme;
    let d = &app.diff;
    match (&d.status, &d.diff) {
        (DiffStatus::Ready, Some(diff)) => {
            let grew = if diff.access_grew {
                Span::styled("access grew", t.deny)
            } else {
                Span::styled("access did not grow", t.allow)
            };
            Line::from(vec![
                Span::styled(
                    format!("{} → {}  ", diff.old.source, diff.new.source),
                    t.heading,
                ),
                grew,
                Span::styled(
                    format!(
                        "  · {} access, {} admin, {} trust, {} findings, {} entities",
                        diff.access.len(),
                        diff.admin_paths.len(),
                        diff.external_trust.len(),
                        diff.findings.len(),
                        diff.entities.len()
                    ),
                    t.muted,
                ),
            ])
        }
        (DiffStatus::Failed(e), _) => Line::styled(format!("could not compare: {e}"), t.deny),
        (DiffStatus::Computing, _) => Line::styled("comparing the two exports…", t.muted),
        _ => Line::styled(
            "No second export: start with `iamscope --diff OLD NEW` to compare OLD with this account.",
            t.muted,
        ),
    }
}

fn list(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let t = &app.theme;
    let d = &app.diff;
    let body = inner(area);
    let width = body.width as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut selected_line = 0;
    for (i, c) in d.changes.iter().enumerate() {
        let text = format!("{} {:<8} {}", c.mark, c.section.label(), c.title);
        if i == d.selected {
            selected_line = lines.len();
            for part in wrap_fit(&text, width) {
                lines.push(Line::styled(part, t.selected));
            }
        } else {
            lines.push(Line::styled(fit(&text, width), style(app, c)));
        }
    }
    if lines.is_empty() && d.status == DiffStatus::Ready {
        lines.push(Line::styled("No differences.", t.allow));
    }
    let start = scroll_for(selected_line, body.height as usize);
    let title = format!("Changes ({})", d.changes.len());
    frame.render_widget(
        Paragraph::new(window(&lines, start, body.height as usize)).block(pane(&title, true, t)),
        area,
    );
}

fn version(frame: &mut Frame<'_>, area: Rect, app: &App, title: &str, text: &[String]) {
    let t = &app.theme;
    let body = inner(area);
    let lines: Vec<Line<'static>> = text
        .iter()
        .map(|l| Line::styled(fit(l, body.width as usize), t.text))
        .collect();
    let start = app.diff.scroll.min(lines.len().saturating_sub(1));
    frame.render_widget(
        Paragraph::new(window(&lines, start, body.height as usize)).block(pane(title, false, t)),
        area,
    );
}

fn side_by_side(frame: &mut Frame<'_>, area: Rect, app: &App, c: &ChangeView) {
    let t = &app.theme;
    let title = Rect::new(area.x, area.y, area.width, 2.min(area.height));
    let head: Vec<Line<'static>> =
        wrap_fit(&format!("{} {}", c.mark, c.title), area.width as usize)
            .into_iter()
            .take(2)
            .map(|l| Line::styled(l, style(app, c)))
            .collect();
    frame.render_widget(Paragraph::new(head).style(t.text), title);
    let body = Rect::new(
        area.x,
        area.y + title.height,
        area.width,
        area.height.saturating_sub(title.height),
    );
    let (left, right) = if area.width >= SIDE_BY_SIDE_MIN_WIDTH {
        let half = body.width / 2;
        (
            Rect::new(body.x, body.y, half, body.height),
            Rect::new(body.x + half, body.y, body.width - half, body.height),
        )
    } else {
        let half = body.height / 2;
        (
            Rect::new(body.x, body.y, body.width, half),
            Rect::new(body.x, body.y + half, body.width, body.height - half),
        )
    };
    version(frame, left, app, "Old", &c.old);
    version(frame, right, app, "New", &c.new);
}

/// Draws the diff screen in `area`.
pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let top = Rect::new(area.x, area.y, area.width, 1.min(area.height));
    frame.render_widget(Paragraph::new(summary(app)), top);
    let rest = Rect::new(
        area.x,
        area.y + top.height,
        area.width,
        area.height.saturating_sub(top.height),
    );
    let d = &app.diff;
    match d.changes.get(d.selected) {
        Some(c) if d.open => side_by_side(frame, rest, app, c),
        _ => list(frame, rest, app),
    }
}
