//! Drawing: one file per pane or popup. Views read the [`App`]; the only state they
//! touch is the tree widget's scroll offset, which `tui-tree-widget` keeps itself.

mod details;
mod findings;
mod header;
mod help;
mod overlays;
mod status;
mod tree;
mod trust_graph;
mod who_can;

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders};
use ratatui::Frame;

use super::app::{App, Overlay, Screen};
use super::theme::Theme;

pub use findings::severity_style;
pub use help::help_rows;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame<'_>, app: &mut App) {
    let area = frame.area();
    let a = super::layout::areas(
        area.width,
        area.height,
        app.focus == super::app::Pane::Details,
    );
    header::draw(frame, a.header, app);
    match app.screen {
        Screen::Explorer => {
            tree::draw(frame, a.tree, app);
            details::draw(frame, a.details, app);
        }
        Screen::WhoCan => who_can::draw(frame, a.body, app),
        Screen::TrustGraph => trust_graph::draw(frame, a.body, app),
    }
    if app.findings.open {
        findings::draw(frame, a.body, app);
    }
    status::draw(frame, a.status, app);
    match app.overlay {
        Overlay::None => {}
        Overlay::Search => overlays::search(frame, a.body, app),
        Overlay::Palette => overlays::palette(frame, a.body, app),
        Overlay::Samples => overlays::samples(frame, a.body, app),
        Overlay::Help => help::draw(frame, a.body, app),
    }
}

/// A bordered block with a title, highlighted when focused.
pub(crate) fn pane<'a>(title: &'a str, focused: bool, theme: &Theme) -> Block<'a> {
    let border = if focused {
        theme.border_focused
    } else {
        theme.border
    };
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(border)
        .title(Span::styled(format!(" {title} "), theme.heading))
}

/// Lines `start..start+height` of `lines`, cloned (only what is on screen).
pub(crate) fn window(lines: &[Line<'static>], start: usize, height: usize) -> Vec<Line<'static>> {
    let start = start.min(lines.len());
    let end = (start + height).min(lines.len());
    lines[start..end].to_vec()
}

/// The first index to show so that `selected` is visible in `height` rows.
pub(crate) fn scroll_for(selected: usize, height: usize) -> usize {
    if height == 0 {
        return 0;
    }
    selected.saturating_sub(height - 1)
}

/// Pads or truncates `s` to exactly `w` columns (by chars).
pub(crate) fn fit(s: &str, w: usize) -> String {
    let n = s.chars().count();
    if n > w {
        let mut out: String = s.chars().take(w.saturating_sub(1)).collect();
        if w > 0 {
            out.push('…');
        }
        out
    } else {
        format!("{s}{}", " ".repeat(w - n))
    }
}

/// Clears `area` before a popup is drawn on it.
pub(crate) fn clear(frame: &mut Frame<'_>, area: Rect) {
    frame.render_widget(ratatui::widgets::Clear, area);
    frame.render_widget(Block::default().style(Style::default()), area);
}
