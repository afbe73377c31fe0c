//! The blast-radius screen: breadcrumbs, the verdict (admin reached or not), the list
//! of principals within reach, the selected one's way there and capabilities, and
//! the sensitive data actions within reach.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::query::blast::{BlastRadius, Reached};
use crate::tui::analysis::short;
use crate::tui::app::{App, GraphState};
use crate::tui::layout::{inner, SIDE_BY_SIDE_MIN_WIDTH};
use crate::tui::screens::trust::view::{ADMIN, CONDITIONAL};
use crate::tui::views::hops::hop_lines;
use crate::tui::views::{fit, pane, scroll_for};

/// The selected principal: how it is reached, and what it can do.
fn detail_lines(app: &App, r: &Reached) -> Vec<Line<'static>> {
    let t = &app.theme;
    let who = short(&app.model.account, &r.principal);
    let mut lines = vec![Line::styled(
        if r.hops == 0 {
            format!("{who} (itself)")
        } else {
            format!("As {who}: {} hop(s) away", r.hops)
        },
        t.heading,
    )];
    lines.extend(hop_lines(app, &r.path));
    for technique in &r.self_escalation {
        lines.push(Line::styled(
            format!("{ADMIN} can make itself an administrator: {technique}"),
            t.deny,
        ));
    }
    if r.administrator {
        lines.push(Line::styled(
            format!("{ADMIN} administrator: every action on every resource"),
            t.deny,
        ));
    } else if r.services.is_empty() {
        lines.push(Line::styled("no action allowed", t.muted));
    } else {
        let total: usize = r.services.iter().flat_map(|s| s.levels.values()).sum();
        lines.push(Line::styled(
            format!(
                "Can do {total} action(s) in {} service(s):",
                r.services.len()
            ),
            t.text,
        ));
        for s in &r.services {
            let levels: Vec<String> = s.levels.iter().map(|(l, n)| format!("{l} {n}")).collect();
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<16}", s.service), t.key),
                Span::raw(levels.join(" · ")),
            ]));
        }
    }
    lines
}

fn sensitive_lines(app: &App, a: &BlastRadius) -> Vec<Line<'static>> {
    let t = &app.theme;
    let account = &app.model.account;
    if a.sensitive.is_empty() {
        return vec![Line::styled(
            "none of s3:GetObject, kms:Decrypt, secretsmanager:GetSecretValue, ssm:GetParameter… within reach",
            t.muted,
        )];
    }
    let mut lines = Vec::new();
    for s in &a.sensitive {
        lines.push(Line::styled(s.resource.clone(), t.text));
        let mut by_who: Vec<(String, Vec<String>)> = Vec::new();
        for g in &s.grants {
            let who = short(account, &g.principal);
            let action = if g.decision == "Allow" {
                g.action.clone()
            } else {
                format!("{}{CONDITIONAL}", g.action)
            };
            match by_who.iter_mut().find(|(w, _)| *w == who) {
                Some((_, actions)) => actions.push(action),
                None => by_who.push((who, vec![action])),
            }
        }
        for (who, actions) in by_who {
            lines.push(Line::from(vec![
                Span::styled(format!("  as {who}: "), t.muted),
                Span::raw(actions.join(", ")),
            ]));
        }
    }
    lines
}

fn list_lines(app: &App, a: &BlastRadius, area: Rect) -> Vec<Line<'static>> {
    let t = &app.theme;
    let b = &app.blast;
    let inside = inner(area);
    let rows = inside.height as usize;
    let start = scroll_for(b.selected, rows);
    let width = inside.width as usize;
    a.reached
        .iter()
        .enumerate()
        .skip(start)
        .take(rows)
        .map(|(i, r)| {
            let sel = i == b.selected;
            let marks = format!(
                "{}{}",
                if r.administrator { ADMIN } else { " " },
                if r.conditional { CONDITIONAL } else { " " }
            );
            let how = r
                .path
                .last()
                .map_or_else(|| "itself".to_string(), |h| h.kind.clone());
            let text = format!(
                "{} {marks} {}  {how}",
                r.hops,
                short(&app.model.account, &r.principal)
            );
            let style = if sel {
                t.selected
            } else if r.administrator {
                t.deny
            } else {
                t.text
            };
            Line::styled(fit(&text, width), style)
        })
        .collect()
}

fn verdict(app: &App, a: &BlastRadius) -> Line<'static> {
    let t = &app.theme;
    let account = &app.model.account;
    match &a.admin_path {
        Some(p) if p.is_empty() => Line::styled(format!("{ADMIN} it is an administrator"), t.deny),
        Some(p) => {
            let way: Vec<String> = p
                .iter()
                .map(|h| {
                    if h.from == h.to {
                        format!("self-escalates ({})", h.kind)
                    } else {
                        format!("--{}--> {}", h.kind, short(account, &h.to))
                    }
                })
                .collect();
            let cond = if p.iter().any(|h| h.conditional) {
                format!(" {CONDITIONAL}")
            } else {
                String::new()
            };
            Line::styled(
                format!(
                    "{ADMIN} reaches admin in {} hop(s){cond}: {}",
                    p.len(),
                    way.join(" ")
                ),
                t.deny,
            )
        }
        None => Line::styled("no administrator within reach", t.allow),
    }
}

/// Draws the blast-radius screen.
pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let t = &app.theme;
    let b = &app.blast;
    let account = &app.model.account;
    let message = match (&app.graph, &b.answer, b.principal) {
        _ if !app.who_can_available => {
            Some("evaluator not available: no blast radius in this session".to_string())
        }
        (_, _, None) => Some("Select a user or role in the explorer, then press b.".to_string()),
        (GraphState::Ready(_), Some(_), _) => None,
        (GraphState::Ready(_), None, _) => Some("computing the blast radius…".to_string()),
        _ => Some(crate::tui::views::graph_progress(app)),
    };
    if let Some(msg) = message {
        frame.render_widget(
            Paragraph::new(Line::styled(msg, t.muted))
                .wrap(Wrap { trim: false })
                .block(pane("Blast radius", true, t)),
            area,
        );
        return;
    }
    let Some(a) = b.answer.as_deref() else {
        return;
    };
    let mut crumbs: Vec<Span<'static>> = vec![Span::styled(" path: ", t.muted)];
    for c in &b.crumbs {
        let arn = match c.principal {
            crate::eval::PrincipalRef::User(u) => account.user(u).common.arn.to_string(),
            crate::eval::PrincipalRef::Role(r) => account.role(r).common.arn.to_string(),
        };
        crumbs.push(Span::styled(short(account, &arn), t.text));
        crumbs.push(Span::styled(" › ", t.muted));
    }
    crumbs.push(Span::styled(short(account, &a.principal), t.heading));
    let top = Rect::new(area.x, area.y, area.width, 1.min(area.height));
    frame.render_widget(Paragraph::new(Line::from(crumbs)), top);
    // The verdict wraps onto a second line rather than being cut.
    let verdict_r = Rect::new(
        area.x,
        area.y + 1.min(area.height),
        area.width,
        2.min(area.height.saturating_sub(1)),
    );
    let mut head = vec![verdict(app, a)];
    if let Some(n) = a.every_principal {
        head[0].spans.push(Span::styled(
            format!("  · as admin it can become any of {n} principals"),
            t.muted,
        ));
    }
    frame.render_widget(Paragraph::new(head).wrap(Wrap { trim: false }), verdict_r);

    let body = Rect::new(
        area.x,
        area.y + 3.min(area.height),
        area.width,
        area.height.saturating_sub(3),
    );
    let (list_r, detail_r, sensitive_r) = if area.width >= SIDE_BY_SIDE_MIN_WIDTH {
        let lw = (body.width * 2 / 5).clamp(30, 60);
        let right = Rect::new(body.x + lw, body.y, body.width - lw, body.height);
        let dh = right.height * 3 / 5;
        (
            Rect::new(body.x, body.y, lw, body.height),
            Rect::new(right.x, right.y, right.width, dh),
            Rect::new(right.x, right.y + dh, right.width, right.height - dh),
        )
    } else {
        let lh = (body.height / 3).max(3.min(body.height));
        let rest = body.height - lh;
        let dh = rest * 3 / 5;
        (
            Rect::new(body.x, body.y, body.width, lh),
            Rect::new(body.x, body.y + lh, body.width, dh),
            Rect::new(body.x, body.y + lh + dh, body.width, rest - dh),
        )
    };
    let title = format!("Can become ({})", a.reached.len().saturating_sub(1));
    frame.render_widget(
        Paragraph::new(list_lines(app, a, list_r)).block(pane(&title, true, t)),
        list_r,
    );
    let detail = a
        .reached
        .get(b.selected)
        .map(|r| detail_lines(app, r))
        .unwrap_or_default();
    frame.render_widget(
        Paragraph::new(detail)
            .wrap(Wrap { trim: false })
            .scroll((b.scroll.min(u16::MAX as usize) as u16, 0))
            .block(pane("Selected", false, t)),
        detail_r,
    );
    frame.render_widget(
        Paragraph::new(sensitive_lines(app, a))
            .wrap(Wrap { trim: false })
            .block(pane("Sensitive data within reach", false, t)),
        sensitive_r,
    );
}
