//! The details pane: the selection's text, built by `details.rs`, scrolled.

use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::tui::app::{App, Pane};
use crate::tui::layout::inner;

use crate::tui::views::{pane, window};

/// Draws the visible part of the details.
pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let focused = app.focus == Pane::Details;
    let h = inner(area).height as usize;
    let total = app.details.len();
    let title = if total > h || app.details_scroll > 0 {
        format!("Details {}/{}", app.details_scroll + 1, total)
    } else {
        "Details".to_string()
    };
    let block = pane(&title, focused, &app.theme);
    let lines = window(&app.details, app.details_scroll, h);
    // Only the lines on screen are wrapped: scrolling stays by logical line.
    let para = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false });
    frame.render_widget(para, area);
}
