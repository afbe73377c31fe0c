//! The title line: account, source, the context keys in force, and the screens.

use crate::sanitize::display;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tui::app::{App, Screen};

/// Draws the header.
pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let t = &app.theme;
    let acc = &app.model.account;
    let mut spans = vec![Span::styled(" iamscope ", t.selected), Span::raw(" ")];
    if acc.is_org() {
        let org = acc.organization.as_ref().and_then(|o| o.org_id());
        let title = match org {
            Some(id) => format!("{} ({} accounts)", display(id), acc.members.len()),
            None => format!("organization ({} accounts)", acc.members.len()),
        };
        spans.push(Span::styled(title, t.heading));
    } else {
        spans.push(Span::styled(display(&acc.id).into_owned(), t.heading));
        if let Some(alias) = &acc.alias {
            spans.push(Span::raw(format!(" ({})", display(alias))));
        }
    }
    if app.context.entries.is_empty() {
        spans.push(Span::styled(format!("  {}", display(&acc.source)), t.muted));
    } else {
        spans.push(Span::styled("  ctx ", t.key));
        spans.push(Span::styled(
            display(&app.context.summary()).into_owned(),
            t.accent,
        ));
    }
    let tabs = [
        (Screen::Explorer, "explorer"),
        (Screen::WhoCan, "who-can"),
        (Screen::TrustGraph, "trust"),
        (Screen::Blast, "blast"),
        (Screen::Paths, "paths"),
    ];
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let tab_text: Vec<(String, bool)> = tabs
        .iter()
        .map(|(s, name)| (format!(" {name} "), *s == app.screen))
        .collect();
    let tabs_width: usize = tab_text.iter().map(|(s, _)| s.chars().count() + 1).sum();
    if used + tabs_width < area.width as usize {
        spans.push(Span::raw(
            " ".repeat(area.width as usize - used - tabs_width),
        ));
        for (text, active) in tab_text {
            spans.push(Span::styled(
                text,
                if active { t.selected } else { t.muted },
            ));
            spans.push(Span::raw(" "));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
