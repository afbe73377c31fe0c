//! The who-can screen: the question (action with completion from the catalogue,
//! resource, and in "can" mode a principal), then the answer: the principals that can
//! with the deciding statements, a row's trace, or the fixed principal's trace.

use crate::sanitize::display;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::catalog::Catalog;
use crate::query::explain::Explanation;
use crate::query::who_can::WhoCanRow;
use crate::tui::analysis::short;
use crate::tui::app::{App, GraphState};
use crate::tui::layout::inner;
use crate::tui::views::hops::hop_lines;
use crate::tui::views::{clear, decision_cell, fit, pane, scroll_for};

use super::{WhoCanField, WhoCanStatus};

/// Height of the question block (three fields and the borders).
pub const FORM_HEIGHT: u16 = 5;

/// How an indirect row gets there, in one line: `self-escalates (attach_user_policy),
/// then --admin_control--> role/x` or `via --assume_role--> role/a …`.
pub fn via_text(app: &App, row: &WhoCanRow) -> String {
    let account = &app.model.account;
    let mut parts = Vec::new();
    for (i, h) in row.via.iter().enumerate() {
        let first_escalation = h
            .assumptions
            .iter()
            .find_map(|a| a.strip_prefix("first escalates with "));
        if h.from == h.to {
            parts.push(format!("self-escalates ({})", h.kind));
        } else if let Some(technique) = first_escalation {
            parts.push(format!(
                "self-escalates ({technique}), then --{}--> {}",
                h.kind,
                short(account, &h.to)
            ));
        } else if i == 0 {
            parts.push(format!("via --{}--> {}", h.kind, short(account, &h.to)));
        } else {
            parts.push(format!("--{}--> {}", h.kind, short(account, &h.to)));
        }
    }
    parts.join(" ")
}

/// True when the row's principal gets there by making itself an administrator.
pub fn self_escalator(row: &WhoCanRow) -> bool {
    row.via.first().is_some_and(|h| {
        h.from == h.to
            || h.assumptions
                .iter()
                .any(|a| a.starts_with("first escalates with "))
    })
}

/// The path of an indirect row, hop by hop with the evidence of each.
fn path_lines(app: &App, row: &WhoCanRow) -> Vec<Line<'static>> {
    let t = &app.theme;
    let account = &app.model.account;
    let mut lines = vec![Line::from(vec![
        Span::styled(short(account, &row.principal), t.heading),
        Span::raw("  →  "),
        decision_cell(t, &row.decision, 0),
        Span::styled(
            if self_escalator(row) {
                "  (self-escalator: it makes itself an administrator first)"
            } else {
                "  (indirectly, through this path)"
            },
            t.muted,
        ),
    ])];
    lines.extend(hop_lines(app, &row.via));
    lines.push(Line::default());
    lines
}

/// The lines of an explanation: decision, deciding statements, then the trace.
fn explanation_lines(app: &App, e: &Explanation, reached: bool) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut lines = Vec::new();
    let who = short(&app.model.account, &e.principal);
    if let Some(err) = &e.error {
        lines.push(Line::styled(err.clone(), t.warning));
        return lines;
    }
    let mut head = vec![
        Span::styled(
            if reached {
                format!("then, as {}", display(&who))
            } else {
                display(&who).into_owned()
            },
            t.heading,
        ),
        Span::raw("  →  "),
        decision_cell(t, &e.decision, 0),
    ];
    if !e.missing_keys.is_empty() {
        head.push(Span::styled(
            format!("  depends on {}", e.missing_keys.join(", ")),
            t.conditional,
        ));
    }
    lines.push(Line::from(head));
    lines.push(Line::from(vec![
        Span::styled("deciding: ", t.muted),
        Span::raw(if e.statements.is_empty() {
            "(no statement named)".to_string()
        } else {
            e.statements.join(", ")
        }),
    ]));
    lines.push(Line::default());
    lines.push(Line::styled("Evaluation, step by step", t.heading));
    for s in &e.steps {
        let style = if s.contains(": MATCH") || s.contains(": MAYBE") {
            t.text
        } else {
            t.muted
        };
        lines.push(Line::styled(s.clone(), style));
    }
    lines
}

/// Draws the who-can screen in `area`.
pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let t = &app.theme;
    let w = &app.who_can;
    let h = area.height;
    let form_r = Rect::new(area.x, area.y, area.width, FORM_HEIGHT.min(h));
    let results_r = Rect::new(
        area.x,
        area.y + FORM_HEIGHT.min(h),
        area.width,
        h.saturating_sub(FORM_HEIGHT),
    );

    // The question.
    let field = |label: &str, text: &str, which: WhoCanField, placeholder: &str| {
        let focused = w.field == which;
        let mut spans = vec![
            Span::styled(format!("{label:<9}"), if focused { t.key } else { t.muted }),
            Span::raw(text.to_string()),
        ];
        if focused {
            spans.push(Span::styled("▏", t.accent));
        }
        if text.is_empty() {
            spans.push(Span::styled(placeholder.to_string(), t.muted));
        }
        Line::from(spans)
    };
    let form = vec![
        field(
            "Action",
            &w.action,
            WhoCanField::Action,
            "e.g. s3:GetObject",
        ),
        field(
            "Resource",
            &w.resource,
            WhoCanField::Resource,
            "ARN, or empty for *",
        ),
        field(
            "As",
            &w.principal,
            WhoCanField::Principal,
            "anyone (who-can); a principal here asks \"can it?\"",
        ),
    ];
    let mode = if w.can_mode() { "Can" } else { "Who can" };
    let escalation = match (w.escalation, &app.graph) {
        (false, _) => String::new(),
        (true, GraphState::Ready(_)) => " · escalation on".into(),
        (true, _) => format!(" · escalation: {}", crate::tui::views::graph_progress(app)),
    };
    let title = format!("{mode}{escalation}");
    frame.render_widget(Paragraph::new(form).block(pane(&title, true, t)), form_r);

    // The answer.
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
    }
    let inside = inner(results_r);
    let mut title = "Principals".to_string();
    let mut scroll = None;
    let mut wrap_all = false;
    match &w.status {
        WhoCanStatus::Unavailable => {
            lines.push(Line::styled("evaluator not available", t.warning));
            lines.push(Line::styled(
                "This session runs without the policy evaluator; no results are shown rather than guessed ones.",
                t.muted,
            ));
        }
        WhoCanStatus::Idle => lines.push(Line::styled(
            "Type an action (Tab completes from the AWS catalogue) and optionally a resource ARN; \
             Ctrl-e adds principals that get there through roles and escalation.",
            t.muted,
        )),
        _ if w.trace_open || w.can_mode() => {
            let indirect = w
                .rows
                .get(w.selected)
                .filter(|r| !r.via.is_empty() && w.trace_open);
            if let Some(row) = indirect {
                lines.extend(path_lines(app, row));
            }
            title = if w.trace_open {
                "Trace (Esc back)".to_string()
            } else {
                "Decision and trace".to_string()
            };
            match &w.explanation {
                Some(e) => {
                    lines.extend(explanation_lines(app, e, indirect.is_some()));
                    scroll = Some(w.trace_scroll);
                }
                None => lines.push(Line::styled("computing…", t.muted)),
            }
            if matches!(w.status, WhoCanStatus::Typing | WhoCanStatus::Computing(_)) && w.can_mode()
            {
                title.push_str(" · updating…");
            }
        }
        WhoCanStatus::Typing if w.rows.is_empty() => lines.push(Line::styled("…", t.muted)),
        WhoCanStatus::Computing(_) if w.rows.is_empty() => {
            lines.push(Line::styled("computing…", t.muted));
        }
        WhoCanStatus::Done if w.rows.is_empty() => {
            lines.push(Line::styled("no principal can do this", t.muted));
        }
        status => {
            title = format!("Principals ({})", w.rows.len());
            if *status != WhoCanStatus::Done {
                title.push_str(" · updating…");
            }
            // Widest principal among the rows in view only: a frame costs the same
            // with 10 rows or 10,000.
            // Two rows at the bottom show the selected row in full, wrapped: the
            // table cuts long values to its width.
            let rows = (inside.height as usize).saturating_sub(lines.len() + 4);
            let start = scroll_for(w.selected, rows);
            let mut full: Option<String> = None;
            let longest = w
                .rows
                .iter()
                .skip(start)
                .take(rows)
                .map(|r| short(&app.model.account, &r.principal).chars().count())
                .max()
                .unwrap_or(9);
            let pw = longest.clamp(9, (inside.width as usize * 2 / 5).clamp(16, 52));
            let dw = 14;
            lines.push(Line::styled(
                format!(
                    "{} {} {}",
                    fit("principal", pw),
                    fit("decision", dw),
                    "deciding statement(s)"
                ),
                t.heading,
            ));
            for (i, r) in w.rows.iter().enumerate().skip(start).take(rows) {
                let sel = i == w.selected;
                let style = |s| if sel { t.selected } else { s };
                let who = short(&app.model.account, &r.principal);
                let mut detail = if !r.via.is_empty() {
                    via_text(app, r)
                } else {
                    match w.deciding.get(i).cloned().flatten() {
                        None => "…".to_string(),
                        Some(d) if d.is_empty() => "…".to_string(),
                        Some(d) => d.join(", "),
                    }
                };
                if !r.missing_keys.is_empty() {
                    detail = format!("{detail} · needs {}", r.missing_keys.join(", "));
                }
                if let Some(note) = &r.note {
                    detail = format!("{detail} · {note}");
                }
                if sel {
                    full = Some(format!(
                        "{} {} · {}",
                        display(&r.principal),
                        r.decision,
                        display(&detail)
                    ));
                }
                let room = (inside.width as usize).saturating_sub(pw + dw + 2);
                let detail = fit(&detail, room).trim_end().to_string();
                lines.push(Line::from(vec![
                    Span::styled(format!("{} ", fit(&display(&who), pw)), style(t.text)),
                    {
                        let cell = decision_cell(t, &r.decision, dw);
                        Span::styled(format!("{} ", cell.content), style(cell.style))
                    },
                    Span::styled(display(&detail).into_owned(), style(t.muted)),
                ]));
            }
            let shown = lines.len();
            let pad = (inside.height as usize).saturating_sub(shown + 2);
            lines.extend(std::iter::repeat_n(Line::default(), pad));
            if let Some(full) = full {
                lines.push(Line::styled(full, t.text));
            }
            wrap_all = true;
        }
    }
    let mut para = Paragraph::new(lines).block(pane(&title, false, t));
    match scroll {
        Some(s) => {
            para = para
                .wrap(Wrap { trim: false })
                .scroll((s.min(u16::MAX as usize) as u16, 0));
        }
        None if wrap_all || w.rows.is_empty() || w.status == WhoCanStatus::Idle => {
            para = para.wrap(Wrap { trim: false });
        }
        None => {}
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
            form_r.x + 10,
            form_r.y + 2,
            width.min(area.width.saturating_sub(11)),
            height.min(area.height.saturating_sub(2)),
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
