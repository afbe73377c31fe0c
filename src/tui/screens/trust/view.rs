//! The trust-graph screen: breadcrumbs on top; the principal in the middle, the edges
//! into it (who can become it) on the left, the edges out of it (whom it can become)
//! on the right; below, the selected edge with its conditions and evidence.

use crate::sanitize::display;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::graph::Node;
use crate::tui::app::{App, GraphState};
use crate::tui::layout::inner;
use crate::tui::theme::Theme;
use crate::tui::views::{decision_cell, fit, pane, scroll_for, wrap_fit};

use super::{EdgeRow, Side};

/// Marker of an administrator (or a principal that can make itself one).
pub const ADMIN: &str = "★";
/// Marker of a conditional edge.
pub const CONDITIONAL: &str = "?";

fn why(row: &EdgeRow) -> Vec<String> {
    let mut out: Vec<String> = row.edge.missing_keys.clone();
    out.extend(row.edge.assumptions.iter().cloned());
    out
}

fn edge_lines(
    rows: &[EdgeRow],
    selected: Option<usize>,
    area: Rect,
    arrow: &str,
    t: &Theme,
) -> Vec<Line<'static>> {
    let inside = inner(area);
    let width = inside.width as usize;
    let per_page = (inside.height as usize / 2).max(1);
    if rows.is_empty() {
        return vec![Line::styled("(none)", t.muted)];
    }
    let start = scroll_for(selected.unwrap_or(0), per_page);
    let mut out: Vec<(bool, Vec<Line<'static>>)> = Vec::new();
    for (i, r) in rows.iter().enumerate().skip(start).take(per_page) {
        let sel = Some(i) == selected;
        let style = |s| if sel { t.selected } else { s };
        let self_loop = r.edge.from == r.edge.to;
        let who = if self_loop {
            "(itself: self-escalation)".to_string()
        } else {
            r.label.clone()
        };
        let marks = format!(
            "{}{}",
            if r.admin && !self_loop { ADMIN } else { "" },
            if r.edge.conditional { CONDITIONAL } else { "" }
        );
        let head = if marks.is_empty() {
            format!("{arrow} {who}")
        } else {
            format!("{arrow} {who} {marks}")
        };
        let keys = why(r);
        let mut detail = format!("  {}", r.edge.kind.name());
        if !keys.is_empty() {
            detail.push_str(&format!(" · {}", keys.join("; ")));
        }
        // The selected row shows in full, wrapped; the others are cut to one line each.
        let shown = |text: &str| {
            if sel {
                wrap_fit(text, width)
            } else {
                vec![fit(text, width)]
            }
        };
        let head_style = style(if r.admin && !self_loop {
            t.deny
        } else {
            t.text
        });
        let detail_style = style(if r.edge.conditional {
            t.conditional
        } else {
            t.muted
        });
        let mut row: Vec<Line<'static>> = shown(&head)
            .into_iter()
            .map(|l| Line::styled(l, head_style))
            .collect();
        row.extend(
            shown(&detail)
                .into_iter()
                .map(|l| Line::styled(l, detail_style)),
        );
        out.push((sel, row));
    }
    // Keep the selected row on screen when its wrapping takes more room: drop rows
    // above it, then below it.
    let room = inside.height as usize;
    let lines = |rows: &[(bool, Vec<Line<'static>>)]| rows.iter().map(|r| r.1.len()).sum::<usize>();
    while lines(&out) > room && out.len() > 1 && !out[0].0 {
        out.remove(0);
    }
    while lines(&out) > room && out.len() > 1 && !out[out.len() - 1].0 {
        out.pop();
    }
    out.into_iter().flat_map(|(_, row)| row).collect()
}

/// Draws the trust screen.
pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let t = &app.theme;
    let tr = &app.trust;
    let account = &app.model.account;
    let graph = match (&app.graph, tr.node) {
        (GraphState::Ready(g), Some(_)) => g,
        (GraphState::Ready(_), None) | (GraphState::NotBuilt, _)
            if tr.pending.is_none() || !app.who_can_available =>
        {
            let msg = if app.who_can_available {
                "Select a user or role in the explorer, then press t."
            } else {
                "evaluator not available: no trust graph in this session"
            };
            frame.render_widget(
                Paragraph::new(Line::styled(msg, t.muted)).block(pane("Trust graph", true, t)),
                area,
            );
            return;
        }
        _ => {
            frame.render_widget(
                Paragraph::new(vec![
                    Line::styled(crate::tui::views::graph_progress(app), t.accent),
                    Line::styled(
                        "Every trust policy and escalation technique is evaluated for every principal; this takes a few seconds on a large account.",
                        t.muted,
                    ),
                ])
                .wrap(Wrap { trim: false })
                .block(pane("Trust graph", true, t)),
                area,
            );
            return;
        }
    };
    let Some(node) = tr.node else { return };

    // Breadcrumbs.
    let mut crumbs: Vec<Span<'static>> = vec![Span::styled(" path: ", t.muted)];
    for c in &tr.crumbs {
        crumbs.push(Span::styled(
            display(&graph.nodes[c.node].label(account)).into_owned(),
            t.text,
        ));
        crumbs.push(Span::styled(" › ", t.muted));
    }
    crumbs.push(Span::styled(
        display(&graph.nodes[node].label(account)).into_owned(),
        t.heading,
    ));
    let crumb_r = Rect::new(area.x, area.y, area.width, 1.min(area.height));
    frame.render_widget(Paragraph::new(Line::from(crumbs)), crumb_r);

    let body = Rect::new(
        area.x,
        area.y + 1.min(area.height),
        area.width,
        area.height.saturating_sub(1),
    );
    let top_h = (body.height * 3 / 5).max(5.min(body.height));
    let center_w = (body.width * 3 / 10).clamp(20, 36).min(body.width);
    let side_w = (body.width - center_w) / 2;
    let left = Rect::new(body.x, body.y, side_w, top_h);
    let middle = Rect::new(body.x + side_w, body.y, center_w, top_h);
    let right = Rect::new(
        body.x + side_w + center_w,
        body.y,
        body.width - side_w - center_w,
        top_h,
    );
    let details = Rect::new(body.x, body.y + top_h, body.width, body.height - top_h);

    let sel_in = (tr.side == Side::Inbound).then_some(tr.selected[0]);
    let sel_out = (tr.side == Side::Outbound).then_some(tr.selected[1]);
    let in_title = format!("Who can become it ({})", tr.inbound.len());
    let out_title = format!("Whom it can become ({})", tr.outbound.len());
    frame.render_widget(
        Paragraph::new(edge_lines(&tr.inbound, sel_in, left, "←", t)).block(pane(
            &in_title,
            tr.side == Side::Inbound,
            t,
        )),
        left,
    );
    frame.render_widget(
        Paragraph::new(edge_lines(&tr.outbound, sel_out, right, "→", t)).block(pane(
            &out_title,
            tr.side == Side::Outbound,
            t,
        )),
        right,
    );

    // The principal.
    let n = &graph.nodes[node];
    let kind = match n {
        Node::User(_) => "user",
        Node::Role(_) => "role",
        Node::Account(_) => "other account",
        Node::Anyone => "anyone",
        Node::Service(_) => "service",
        Node::Federated(_) => "identity provider",
    };
    let mut mid = vec![
        Line::styled(n.label(account), t.heading),
        Line::styled(kind, t.muted),
        Line::default(),
    ];
    if graph.is_admin(node) {
        let cond = graph.admins[node]
            .as_ref()
            .filter(|a| !a.missing_keys.is_empty())
            .map(|a| format!(" (if {})", a.missing_keys.join(", ")))
            .unwrap_or_default();
        mid.push(Line::styled(format!("{ADMIN} administrator{cond}"), t.deny));
    } else if graph.can_self_escalate(node) {
        mid.push(Line::styled(
            format!("{ADMIN} can make itself admin"),
            t.warning,
        ));
    }
    if n.is_internal() && tr.admins > 0 {
        mid.push(Line::styled(
            format!("+{} admin(s) can act as it", tr.admins),
            t.muted,
        ));
    }
    mid.push(Line::default());
    mid.push(Line::styled(
        format!("{ADMIN} admin  {CONDITIONAL} conditional"),
        t.muted,
    ));
    frame.render_widget(
        Paragraph::new(mid)
            .wrap(Wrap { trim: false })
            .block(pane("Principal", false, t)),
        middle,
    );

    // The selected edge.
    let mut lines = Vec::new();
    match tr.selected_edge() {
        None => lines.push(Line::styled(
            "No edge: nobody in this bundle can become it, and it can become nobody.",
            t.muted,
        )),
        Some(row) => {
            let from = graph.nodes[row.edge.from].label(account);
            let to = graph.nodes[row.edge.to].label(account);
            lines.push(Line::from(vec![
                Span::styled(display(&from).into_owned(), t.text),
                Span::styled(format!(" --{}--> ", row.edge.kind.name()), t.key),
                Span::styled(display(&to).into_owned(), t.text),
                Span::styled(
                    if row.edge.from != node && row.edge.to != node {
                        "  (as one of \"anyone\")".to_string()
                    } else {
                        String::new()
                    },
                    t.muted,
                ),
            ]));
            if row.edge.conditional {
                if !row.edge.missing_keys.is_empty() {
                    lines.push(Line::styled(
                        format!(
                            "{CONDITIONAL} conditional on {}",
                            row.edge.missing_keys.join(", ")
                        ),
                        t.conditional,
                    ));
                }
                for a in &row.edge.assumptions {
                    lines.push(Line::styled(
                        format!("{CONDITIONAL} assumes {a}"),
                        t.conditional,
                    ));
                }
            }
            lines.push(Line::styled("Evidence", t.heading));
            match &tr.evidence {
                None => lines.push(Line::styled("computing…", t.muted)),
                Some(ev) if ev.is_empty() => {
                    lines.push(Line::styled("(no request recorded)", t.muted))
                }
                Some(ev) => {
                    for e in ev {
                        lines.push(Line::from(vec![
                            Span::styled(format!("{} ", display(&e.action)), t.text),
                            Span::styled(format!("on {} ", display(&e.resource)), t.muted),
                            decision_cell(t, &e.decision, 0),
                        ]));
                        let s = if e.statements.is_empty() {
                            "(no statement named)".to_string()
                        } else {
                            e.statements.join(", ")
                        };
                        lines.push(Line::styled(format!("  by {s}"), t.muted));
                    }
                }
            }
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(pane("Edge", false, t)),
        details,
    );
}
