//! The findings view: the audit grouped by severity, and the highlighted finding's
//! explanation, evidence and remediation.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::findings::{sanitize, Finding, Severity};
use crate::tui::app::App;
use crate::tui::findings::{counts, FindingsStatus};
use crate::tui::layout::inner;
use crate::tui::theme::Theme;

use super::{clear, fit, pane, scroll_for};

/// The style of a severity's label.
pub fn severity_style(theme: &Theme, s: Severity) -> Style {
    match s {
        Severity::Critical => theme.deny.add_modifier(Modifier::BOLD),
        Severity::High => theme.deny,
        Severity::Medium => theme.warning,
        Severity::Low => theme.muted,
    }
}

/// Draws the view over `area`.
pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    clear(frame, area);
    let theme = &app.theme;
    let findings = match &app.findings.status {
        FindingsStatus::Ready(list) => list,
        FindingsStatus::Computing => {
            let p = Paragraph::new("Auditing the account…").block(pane("Findings", true, theme));
            frame.render_widget(p, area);
            return;
        }
        FindingsStatus::NotStarted => {
            let p = Paragraph::new("Findings need the evaluator, which is off.")
                .block(pane("Findings", true, theme));
            frame.render_widget(p, area);
            return;
        }
    };
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let title = {
        let parts: Vec<String> = counts(findings)
            .into_iter()
            .map(|(s, n)| format!("{n} {s}"))
            .collect();
        format!("Findings: {}", parts.join(", "))
    };
    let h = inner(list_area).height as usize;
    let w = inner(list_area).width as usize;
    let rows = list_lines(findings, app.findings.selected, theme, w);
    // The row of the selected finding, counting the severity headings above it.
    let at = rows
        .iter()
        .position(|(i, _)| *i == Some(app.findings.selected))
        .unwrap_or(0);
    let start = scroll_for(at, h);
    let lines: Vec<Line<'static>> = rows
        .into_iter()
        .skip(start)
        .take(h)
        .map(|(_, l)| l)
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(pane(&title, true, theme)),
        list_area,
    );
    let detail = findings
        .get(app.findings.selected)
        .map(|f| detail_lines(f, theme))
        .unwrap_or_default();
    frame.render_widget(
        Paragraph::new(detail)
            .block(pane("Evidence (Enter: go to the entity)", false, theme))
            .wrap(Wrap { trim: false }),
        detail_area,
    );
}

/// The list: a heading per severity, then one line per finding (with its index).
fn list_lines(
    findings: &[Finding],
    selected: usize,
    theme: &Theme,
    width: usize,
) -> Vec<(Option<usize>, Line<'static>)> {
    let mut out = Vec::new();
    for s in Severity::ALL {
        let of: Vec<(usize, &Finding)> = findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.severity == s)
            .collect();
        if of.is_empty() {
            continue;
        }
        out.push((
            None,
            Line::styled(
                format!("{} ({})", s.as_str().to_uppercase(), of.len()),
                severity_style(theme, s),
            ),
        ));
        for (i, f) in of {
            let text = format!(
                "  {}  {}  {}",
                f.id,
                short_entity(&f.entity),
                sanitize(&f.summary)
            );
            let style = if i == selected {
                theme.selected
            } else {
                theme.text
            };
            out.push((Some(i), Line::styled(fit(&text, width), style)));
        }
    }
    out
}

/// `role/name` for an IAM ARN, the ARN otherwise.
fn short_entity(arn: &str) -> String {
    let short = arn
        .strip_prefix("arn:aws:iam::")
        .and_then(|r| r.split_once(':'))
        .map_or(arn, |(_, rest)| rest);
    sanitize(short)
}

/// The finding in full: title, entity, summary, explanation, evidence, remediation.
pub fn detail_lines(f: &Finding, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = vec![
        Line::from(vec![
            Span::styled(
                format!("{} ", f.severity.as_str().to_uppercase()),
                severity_style(theme, f.severity),
            ),
            Span::styled(format!("{} {}", f.id, f.title), theme.heading),
        ]),
        Line::styled(sanitize(&f.entity), theme.tag),
        Line::raw(sanitize(&f.summary)),
        Line::default(),
        Line::styled(f.explanation.to_string(), theme.muted),
        Line::default(),
    ];
    for e in &f.evidence {
        for line in e.lines() {
            out.push(Line::from(vec![
                Span::styled("• ", theme.accent),
                Span::raw(line),
            ]));
        }
    }
    out.push(Line::default());
    out.push(Line::from(vec![
        Span::styled("Fix: ", theme.heading),
        Span::raw(f.remediation.to_string()),
    ]));
    out
}
