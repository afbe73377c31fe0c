//! The paths screen: the question (from, to, all or shortest), the paths hop by hop
//! with the selected hop highlighted, and below the selected hop's evidence or its
//! replayed traces.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::eval::PrincipalRef;
use crate::tui::analysis::short;
use crate::tui::app::{App, GraphState};
use crate::tui::layout::inner;
use crate::tui::screens::trust::view::CONDITIONAL;
use crate::tui::views::hops::evidence_line;
use crate::tui::views::{decision_cell, pane, scroll_for};

/// Height of the question block.
pub const FORM_HEIGHT: u16 = 4;

fn principal_label(app: &App, p: PrincipalRef) -> String {
    let account = &app.model.account;
    match p {
        PrincipalRef::User(u) => format!("user/{}", account.user(u).common.name),
        PrincipalRef::Role(r) => format!("role/{}", account.role(r).common.name),
    }
}

fn path_lines(app: &App, rows: usize) -> (Vec<Line<'static>>, String) {
    let t = &app.theme;
    let account = &app.model.account;
    let p = &app.paths;
    let Some(found) = p.found() else {
        let msg = match &p.answer {
            Some(Err(e)) => e.clone(),
            _ if p.pending || matches!(app.graph, GraphState::Building(_)) => {
                crate::tui::views::graph_progress(app)
            }
            _ => "searching…".into(),
        };
        return (vec![Line::styled(msg, t.muted)], "Paths".into());
    };
    if found.paths.is_empty() {
        return (
            vec![Line::styled(
                format!(
                    "No path from {} to {}.",
                    short(account, &found.from),
                    found.goal
                ),
                t.allow,
            )],
            "Paths (0)".into(),
        );
    }
    let mut lines = Vec::new();
    let mut selected_line = 0;
    for (i, path) in found.paths.iter().enumerate() {
        if path.is_empty() {
            lines.push(Line::styled(
                format!("{} already is {}", short(account, &found.from), found.goal),
                t.heading,
            ));
            continue;
        }
        let cond = path.iter().any(|h| h.conditional);
        lines.push(Line::styled(
            format!(
                "Path {} · {} hop(s){}",
                i + 1,
                path.len(),
                if cond {
                    format!(" · {CONDITIONAL} conditional")
                } else {
                    String::new()
                }
            ),
            t.heading,
        ));
        for (j, h) in path.iter().enumerate() {
            let sel = p.selected == (i, j);
            if sel {
                selected_line = lines.len();
            }
            let mark = if sel { "›" } else { " " };
            let text = if h.from == h.to {
                format!(
                    "{mark} {} self-escalates by {}",
                    short(account, &h.from),
                    h.kind
                )
            } else {
                format!(
                    "{mark} {} --{}--> {}{}",
                    short(account, &h.from),
                    h.kind,
                    short(account, &h.to),
                    if h.conditional {
                        format!(" {CONDITIONAL}")
                    } else {
                        String::new()
                    }
                )
            };
            lines.push(Line::styled(
                text,
                if sel {
                    t.selected
                } else if h.conditional {
                    t.conditional
                } else {
                    t.text
                },
            ));
        }
    }
    let start = scroll_for(selected_line, rows);
    let title = format!("Paths ({}) to {}", found.paths.len(), found.goal);
    (lines.into_iter().skip(start).collect(), title)
}

fn hop_detail(app: &App) -> (Vec<Line<'static>>, String) {
    let t = &app.theme;
    let p = &app.paths;
    let (i, j) = p.selected;
    let Some(hop) = p
        .found()
        .and_then(|a| a.paths.get(i))
        .and_then(|x| x.get(j))
    else {
        return (Vec::new(), "Hop".into());
    };
    let mut lines = Vec::new();
    if p.trace_open {
        match &p.replay {
            None => lines.push(Line::styled("replaying…", t.muted)),
            Some(reqs) if reqs.is_empty() => lines.push(Line::styled(
                "no request behind this hop: an administrator can act as any principal",
                t.muted,
            )),
            Some(reqs) => {
                for r in reqs {
                    let e = &r.explanation;
                    lines.push(Line::from(vec![
                        Span::styled(
                            format!(
                                "can {} {} {} → ",
                                short(&app.model.account, &e.principal),
                                r.action,
                                r.resource
                            ),
                            t.heading,
                        ),
                        decision_cell(t, &e.decision, 0),
                    ]));
                    lines.push(Line::styled(
                        format!("deciding: {}", e.statements.join(", ")),
                        t.muted,
                    ));
                    for s in &e.steps {
                        lines.push(Line::styled(s.clone(), t.text));
                    }
                    lines.push(Line::default());
                }
            }
        }
        return (lines, "Replayed as `can` (Esc back)".into());
    }
    let mut why = hop.missing_keys.clone();
    why.extend(hop.assumptions.iter().cloned());
    if !why.is_empty() {
        lines.push(Line::styled(
            format!("{CONDITIONAL} {}", why.join("; ")),
            t.conditional,
        ));
    }
    lines.extend(hop.evidence.iter().map(|ev| evidence_line(app, "", ev)));
    (
        lines,
        format!("Hop: {} (Enter replays its requests)", hop.kind),
    )
}

/// Draws the paths screen.
pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let t = &app.theme;
    let p = &app.paths;
    if !app.who_can_available || p.from.is_none() {
        let msg = if app.who_can_available {
            "Select a user or role in the explorer, then run :paths."
        } else {
            "evaluator not available: no paths in this session"
        };
        frame.render_widget(
            Paragraph::new(Line::styled(msg, t.muted)).block(pane("Paths", true, t)),
            area,
        );
        return;
    }
    let from = p.from.map(|f| principal_label(app, f)).unwrap_or_default();
    let form = vec![
        Line::from(vec![Span::styled("From     ", t.muted), Span::raw(from)]),
        Line::from(vec![
            Span::styled("To       ", t.key),
            Span::raw(p.target.clone()),
            Span::styled("▏", t.accent),
            Span::styled("  admin · a principal · ACTION [RESOURCE]", t.muted),
        ]),
    ];
    let next = match p.next_depth() {
        Some(d) => format!("≤ {d} hops"),
        None => "shortest".into(),
    };
    let mode = match p.depth {
        Some(d) => format!("every path ≤ {d} hops (Ctrl-e: {next})"),
        None => format!("shortest (Ctrl-e: every path {next})"),
    };
    let form_r = Rect::new(area.x, area.y, area.width, FORM_HEIGHT.min(area.height));
    frame.render_widget(
        Paragraph::new(form).block(pane(&format!("Paths · {mode}"), true, t)),
        form_r,
    );
    let rest = area.height.saturating_sub(FORM_HEIGHT);
    let list_h = rest / 2;
    let list_r = Rect::new(
        area.x,
        area.y + FORM_HEIGHT.min(area.height),
        area.width,
        list_h,
    );
    let detail_r = Rect::new(list_r.x, list_r.y + list_h, area.width, rest - list_h);
    let (lines, title) = path_lines(app, inner(list_r).height as usize);
    frame.render_widget(Paragraph::new(lines).block(pane(&title, false, t)), list_r);
    let (lines, title) = hop_detail(app);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((p.trace_scroll.min(u16::MAX as usize) as u16, 0))
            .block(pane(&title, false, t)),
        detail_r,
    );
}
