//! The who-can screen: two fields (action with completion from the catalogue,
//! resource), and the answer from the provider, or why there is none.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::catalog::Catalog;
use crate::tui::app::{App, WhoCanField, WhoCanStatus};
use crate::tui::layout::inner;

use super::{clear, fit, pane, scroll_for};

/// Draws the who-can screen in `area`.
pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let t = &app.theme;
    let w = &app.who_can;
    let field = |frame: &mut Frame<'_>,
                 r: Rect,
                 title: &str,
                 text: &str,
                 focused: bool,
                 placeholder: &str| {
        let mut spans = vec![Span::raw(text.to_string())];
        if focused {
            spans.push(Span::styled("▏", t.accent));
        }
        if text.is_empty() {
            spans.push(Span::styled(placeholder.to_string(), t.muted));
        }
        frame.render_widget(
            Paragraph::new(Line::from(spans)).block(pane(title, focused, t)),
            r,
        );
    };
    let h = area.height;
    let action_r = Rect::new(area.x, area.y, area.width, 3.min(h));
    let resource_r = Rect::new(
        area.x,
        area.y + 3.min(h),
        area.width,
        3.min(h.saturating_sub(3)),
    );
    let results_r = Rect::new(area.x, area.y + 6.min(h), area.width, h.saturating_sub(6));
    field(
        frame,
        action_r,
        "Action",
        &w.action,
        w.field == WhoCanField::Action,
        "e.g. s3:GetObject",
    );
    field(
        frame,
        resource_r,
        "Resource",
        &w.resource,
        w.field == WhoCanField::Resource,
        "ARN, or empty for *",
    );

    let mut lines = Vec::new();
    if let Some(info) = Catalog::get().action(w.action.trim()) {
        let types: Vec<&str> = info.resource_types.iter().map(|r| r.name).collect();
        lines.push(Line::from(vec![
            Span::styled(info.full_name(), t.heading),
            Span::styled(
                format!("  {} · {}", info.service_name, info.access_level.as_str()),
                t.muted,
            ),
            Span::styled(
                if types.is_empty() {
                    "  · no resource type (use *)".to_string()
                } else {
                    format!("  · resources: {}", types.join(", "))
                },
                t.muted,
            ),
        ]));
        lines.push(Line::default());
    }
    let inside = inner(results_r);
    match &w.status {
        WhoCanStatus::Unavailable => {
            lines.push(Line::styled("evaluator not available yet", t.warning));
            lines.push(Line::styled(
                "The policy evaluator is not plugged into this build; no results are shown rather than guessed ones.",
                t.muted,
            ));
            lines.push(Line::styled(
                "The same question will be available from the CLI as `iamscope who-can ACTION RESOURCE`.",
                t.muted,
            ));
        }
        WhoCanStatus::Idle => lines.push(Line::styled(
            "Type an action (Tab completes from the AWS catalogue) and optionally a resource ARN.",
            t.muted,
        )),
        WhoCanStatus::Typing => lines.push(Line::styled("…", t.muted)),
        WhoCanStatus::Computing(_) => lines.push(Line::styled("computing…", t.muted)),
        WhoCanStatus::Done if w.rows.is_empty() => {
            lines.push(Line::styled("no principal can do this", t.muted));
        }
        WhoCanStatus::Done => {
            let pw = (inside.width as usize * 2 / 5).clamp(16, 48);
            lines.push(Line::styled(
                format!(
                    "{} {:<12} {}",
                    fit("principal", pw),
                    "decision",
                    "deciding statement"
                ),
                t.heading,
            ));
            let rows = (inside.height as usize).saturating_sub(lines.len());
            let start = scroll_for(w.selected, rows);
            for (i, r) in w.rows.iter().enumerate().skip(start).take(rows) {
                let sel = i == w.selected;
                let dstyle = match r.decision.as_str() {
                    "Allow" => t.allow,
                    d if d.contains("Deny") => t.deny,
                    _ => t.warning,
                };
                let style = |s| if sel { t.selected } else { s };
                let own = format!("arn:aws:iam::{}:", app.model.account.id);
                let who = r
                    .principal_arn
                    .strip_prefix(&own)
                    .unwrap_or(&r.principal_arn);
                lines.push(Line::from(vec![
                    Span::styled(format!("{} ", fit(who, pw)), style(t.text)),
                    Span::styled(format!("{:<12} ", r.decision), style(dstyle)),
                    Span::styled(r.detail.clone(), style(t.muted)),
                ]));
            }
        }
    }
    let table = w.status == WhoCanStatus::Done && !w.rows.is_empty();
    let mut para = Paragraph::new(lines).block(pane("Who can", false, t));
    if !table {
        para = para.wrap(Wrap { trim: false });
    }
    frame.render_widget(para, results_r);

    if w.popup && !w.completions.is_empty() {
        let width = w
            .completions
            .iter()
            .map(|c| c.chars().count())
            .max()
            .unwrap_or(10) as u16
            + 4;
        let height = w.completions.len() as u16 + 2;
        let pop = Rect::new(
            action_r.x + 1,
            action_r.y + action_r.height.saturating_sub(1),
            width.min(area.width.saturating_sub(2)),
            height.min(area.height.saturating_sub(action_r.height)),
        );
        clear(frame, pop);
        let lines: Vec<Line<'static>> = w
            .completions
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let style = if Some(i) == w.completion {
                    t.selected
                } else {
                    t.text
                };
                Line::styled(format!(" {c} "), style)
            })
            .collect();
        frame.render_widget(Paragraph::new(lines).block(pane("Tab", true, t)), pop);
    }
}
