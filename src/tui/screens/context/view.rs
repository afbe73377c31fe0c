//! The context editor popup: the keys in force, the input line with completion from
//! the keys the policies reference, and how to type.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::tui::app::App;
use crate::tui::layout::centered;
use crate::tui::views::{clear, pane};

use super::Setting;

/// Draws the editor over `body`.
pub fn draw(frame: &mut Frame<'_>, body: Rect, app: &App) {
    let t = &app.theme;
    let c = &app.context;
    let area = centered(
        body,
        body.width.saturating_sub(4).min(90),
        body.height.saturating_sub(2).min(20),
    );
    clear(frame, area);
    let mut lines = vec![Line::from(vec![
        Span::styled("context> ", t.key),
        Span::raw(c.input.clone()),
        Span::styled("▏", t.accent),
    ])];
    for (i, k) in c.completions.iter().enumerate() {
        let style = if Some(i) == c.completion {
            t.selected
        } else {
            t.text
        };
        lines.push(Line::styled(format!("   {k}"), style));
    }
    if let Some(m) = &c.message {
        lines.push(Line::styled(m.clone(), t.accent));
    }
    lines.push(Line::default());
    if c.entries.is_empty() {
        lines.push(Line::styled(
            "No key set: every condition key is unknown, so answers that depend on one are Conditional.",
            t.muted,
        ));
    } else {
        lines.push(Line::styled(
            format!("In force ({})", c.entries.len()),
            t.heading,
        ));
    }
    for (i, e) in c.entries.iter().enumerate() {
        let sel = i == c.selected && c.completion.is_none();
        let (mark, style) = match e.setting {
            Setting::Values(_) => ("=", t.text),
            Setting::Absent => ("∅", t.muted),
        };
        let style = if sel { t.selected } else { style };
        lines.push(Line::styled(format!(" {mark} {}", e.text()), style));
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        "KEY=V1,V2 set · !KEY absent · -KEY unset · Tab complete · ↑↓ select · Del unset selected · Esc close",
        t.muted,
    ));
    let para =
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(pane("Context keys", true, t));
    frame.render_widget(para, area);
}
