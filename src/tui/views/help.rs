//! The help overlay, generated from the keymap so that it never drifts.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tui::action::Command;
use crate::tui::app::App;
use crate::tui::keymap::{Keymap, INPUT_KEYS};
use crate::tui::layout::{centered, inner};
use crate::tui::theme::Theme;

use super::{clear, fit, pane, window};

/// Every row of the help: (keys, command name, description); a row with empty keys
/// and name is a section heading (its description is the title).
pub fn help_rows(keymap: &Keymap) -> Vec<(String, String, String)> {
    let mut rows = vec![(String::new(), String::new(), "Keys".to_string())];
    for &cmd in Command::ALL {
        let keys = keymap.keys_for(cmd);
        let keys = if keys.is_empty() {
            "(none)".to_string()
        } else {
            keys.join(" ")
        };
        rows.push((keys, cmd.name().to_string(), cmd.description().to_string()));
    }
    rows.push((
        String::new(),
        String::new(),
        "In text fields (search, palette, who-can, paths, context)".into(),
    ));
    for (k, what) in INPUT_KEYS {
        rows.push((k.to_string(), String::new(), what.to_string()));
    }
    rows.push((String::new(), String::new(), "Mouse".into()));
    rows.push((
        "click".into(),
        String::new(),
        "select; click again to open".into(),
    ));
    rows.push((
        "wheel".into(),
        String::new(),
        "scroll the pane under the pointer".into(),
    ));
    rows
}

fn lines(app: &App, t: &Theme) -> Vec<Line<'static>> {
    let rows = help_rows(&app.keymap);
    let kw = rows
        .iter()
        .filter(|r| !r.1.is_empty())
        .map(|r| r.0.chars().count())
        .max()
        .unwrap_or(8)
        .min(22);
    let mut out = Vec::new();
    for (keys, name, what) in rows {
        if keys.is_empty() && name.is_empty() {
            if !out.is_empty() {
                out.push(Line::default());
            }
            out.push(Line::styled(what, t.heading));
        } else if name.is_empty() {
            out.push(Line::from(vec![
                Span::styled(format!("{keys:<28}"), t.key),
                Span::raw(what),
            ]));
        } else {
            out.push(Line::from(vec![
                Span::styled(format!("{} ", fit(&keys, kw)), t.key),
                Span::styled(format!(":{name:<15}"), t.muted),
                Span::raw(what),
            ]));
        }
    }
    out.push(Line::default());
    let config = if app.config_path.is_empty() {
        "config.toml".to_string()
    } else {
        app.config_path.clone()
    };
    out.push(Line::styled(
        format!("Rebind keys in {config}, section [keys]."),
        t.muted,
    ));
    out
}

/// Draws the help over the body.
pub fn draw(frame: &mut Frame<'_>, body: Rect, app: &App) {
    let area = centered(body, 90, body.height);
    clear(frame, area);
    let all = lines(app, &app.theme);
    let h = inner(area).height as usize;
    let scroll = app.help_scroll.min(all.len().saturating_sub(h));
    let block = pane("Help", true, &app.theme);
    frame.render_widget(Paragraph::new(window(&all, scroll, h)).block(block), area);
}
