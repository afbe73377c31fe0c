//! Popups: fuzzy search, command palette, sample chooser.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tui::app::App;
use crate::tui::layout::{centered, inner};

use super::{clear, fit, pane, scroll_for};

fn popup(body: Rect) -> Rect {
    centered(
        body,
        body.width.saturating_sub(4).min(110),
        body.height.saturating_sub(2).min(24),
    )
}

fn prompt_line(app: &App, prompt: &str, text: &str, count: String) -> Line<'static> {
    let t = &app.theme;
    Line::from(vec![
        Span::styled(prompt.to_string(), t.key),
        Span::raw(text.to_string()),
        Span::styled("▏", t.accent),
        Span::styled(format!("  {count}"), t.muted),
    ])
}

/// The search popup: the query, then the matches with the matched letters marked.
pub fn search(frame: &mut Frame<'_>, body: Rect, app: &App) {
    let t = &app.theme;
    let area = popup(body);
    clear(frame, area);
    let inside = inner(area);
    let s = &app.search;
    let count = format!("{} of {}", s.matched.len(), app.model.search.entries.len());
    let mut lines = vec![prompt_line(app, "/ ", &s.query, count)];
    let rows = (inside.height as usize).saturating_sub(1);
    let start = scroll_for(s.selected, rows);
    let name_w = 32.min(inside.width as usize / 2);
    for (i, hit) in s.hits.iter().enumerate().skip(start).take(rows) {
        let e = &app.model.search.entries[hit.entry];
        let marks = app.model.search.name_match_positions(hit.entry, &s.query);
        let sel = i == s.selected;
        let base = if sel { t.selected } else { t.text };
        let mut spans = vec![Span::styled(
            format!("{:<9}", e.kind),
            if sel { t.selected } else { t.tag },
        )];
        for (ci, ch) in fit(&e.name, name_w).chars().enumerate() {
            let style = if marks.contains(&ci) {
                base.patch(t.accent)
            } else {
                base
            };
            spans.push(Span::styled(ch.to_string(), style));
        }
        spans.push(Span::styled(
            format!(" {}", e.arn),
            if sel { t.selected } else { t.muted },
        ));
        lines.push(Line::from(spans));
    }
    if s.hits.is_empty() {
        lines.push(Line::styled("no match", t.muted));
    }
    frame.render_widget(Paragraph::new(lines).block(pane("Search", true, t)), area);
}

/// The command palette.
pub fn palette(frame: &mut Frame<'_>, body: Rect, app: &App) {
    let t = &app.theme;
    let area = popup(body);
    clear(frame, area);
    let inside = inner(area);
    let p = &app.palette;
    let mut lines = vec![prompt_line(
        app,
        ": ",
        &p.query,
        format!("{} commands", p.items.len()),
    )];
    let rows = (inside.height as usize).saturating_sub(1);
    let start = scroll_for(p.selected, rows);
    for (i, &cmd) in p.items.iter().enumerate().skip(start).take(rows) {
        let sel = i == p.selected;
        let keys = app.keymap.keys_for(cmd).join(" ");
        let style = |s| if sel { t.selected } else { s };
        lines.push(Line::from(vec![
            Span::styled(format!(":{:<15}", cmd.name()), style(t.key)),
            Span::styled(format!("{:<50}", cmd.description()), style(t.text)),
            Span::styled(keys, style(t.muted)),
        ]));
    }
    frame.render_widget(Paragraph::new(lines).block(pane("Commands", true, t)), area);
}

/// The sample chooser.
pub fn samples(frame: &mut Frame<'_>, body: Rect, app: &App) {
    let t = &app.theme;
    let n = app.samples.samples.len() as u16;
    let area = centered(body, body.width.saturating_sub(4).min(100), (n + 4).max(5));
    clear(frame, area);
    let mut lines = vec![Line::styled("Open a sample account (Enter):", t.muted)];
    if app.samples.samples.is_empty() {
        lines.push(Line::raw("no sample account is built in"));
    }
    for (i, (name, about)) in app.samples.samples.iter().enumerate() {
        let sel = i == app.samples.selected;
        let style = |s| if sel { t.selected } else { s };
        lines.push(Line::from(vec![
            Span::styled(format!("{name:<12}"), style(t.key)),
            Span::styled(about.clone(), style(t.text)),
        ]));
    }
    frame.render_widget(Paragraph::new(lines).block(pane("Samples", true, t)), area);
}
