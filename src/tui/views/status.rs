//! The status bar: key hints for the current context, messages, background work.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tui::action::Command;
use crate::tui::app::{App, GraphState, Overlay, Screen};

/// Draws the status bar.
pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let t = &app.theme;
    let k = |c: Command| app.keymap.hint(c);
    let hints: Vec<(String, &str)> = match (app.overlay, app.screen) {
        (Overlay::Search, _) | (Overlay::Palette, _) => vec![
            ("Enter".into(), "go"),
            ("↑↓".into(), "select"),
            ("Esc".into(), "close"),
        ],
        (Overlay::Context, _) => vec![
            ("Enter".into(), "apply"),
            ("Tab".into(), "complete"),
            ("Del".into(), "unset"),
            ("Esc".into(), "close"),
        ],
        (Overlay::Help, _) | (Overlay::Samples, _) => vec![
            (k(Command::Down), "down"),
            (k(Command::Up), "up"),
            (k(Command::Open), "open"),
            (k(Command::Back), "close"),
        ],
        (Overlay::None, Screen::WhoCan) if app.who_can.trace_open => {
            vec![("↑↓ PgUp/PgDn".into(), "scroll"), ("Esc".into(), "back")]
        }
        (Overlay::None, Screen::WhoCan) => vec![
            ("Tab".into(), "next field"),
            ("Enter".into(), "trace"),
            ("↑↓".into(), "select"),
            ("Ctrl-e".into(), "escalation"),
            ("Ctrl-k".into(), "context"),
            ("Esc".into(), "back"),
        ],
        (Overlay::None, Screen::Paths) if app.paths.trace_open => {
            vec![("↑↓ PgUp/PgDn".into(), "scroll"), ("Esc".into(), "back")]
        }
        (Overlay::None, Screen::Paths) => vec![
            ("Enter".into(), "search / replay hop"),
            ("↑↓".into(), "hop"),
            ("Ctrl-e".into(), "every path ≤ 4/6/8"),
            ("Ctrl-k".into(), "context"),
            ("Esc".into(), "back"),
        ],
        (Overlay::None, Screen::Blast) => vec![
            (k(Command::Open), "open principal"),
            (k(Command::JumpBack), "return"),
            (k(Command::Paths), "paths"),
            (k(Command::HalfPageDown), "scroll"),
            (k(Command::Back), "close"),
        ],
        (Overlay::None, Screen::Diff) if app.diff.open => vec![
            (format!("{}/{}", k(Command::Up), k(Command::Down)), "scroll"),
            (k(Command::Back), "list"),
        ],
        (Overlay::None, Screen::Diff) => vec![
            (k(Command::Open), "old | new"),
            (format!("{}/{}", k(Command::Up), k(Command::Down)), "select"),
            (k(Command::Back), "close"),
        ],
        (Overlay::None, Screen::TrustGraph) => vec![
            (k(Command::Open), "follow"),
            (k(Command::JumpBack), "return"),
            (
                format!("{}/{}", k(Command::Left), k(Command::Right)),
                "in/out",
            ),
            (k(Command::Back), "close"),
        ],
        (Overlay::None, Screen::Study) => crate::tui::screens::study::view::hints(app),
        (Overlay::None, Screen::Explorer) => vec![
            (k(Command::Open), "open"),
            (k(Command::Search), "search"),
            (k(Command::Palette), "commands"),
            (k(Command::WhoCan), "who-can"),
            (k(Command::Blast), "blast"),
            (k(Command::TrustGraph), "trust"),
            (k(Command::Help), "help"),
            (k(Command::Quit), "quit"),
            (k(Command::NextPane), "pane"),
        ],
    };
    let mut spans = Vec::new();
    for (key, what) in hints {
        spans.push(Span::styled(format!(" {key}"), t.key));
        spans.push(Span::styled(format!(" {what} "), t.muted));
    }
    let message = match (&app.loading, &app.graph, &app.status) {
        (Some(what), _, _) => Some(format!("loading {what}…")),
        (None, GraphState::Building(_), _) => Some(super::graph_progress(app)),
        (None, _, Some(s)) => Some(s.clone()),
        _ => None,
    };
    if let Some(m) = message {
        let used: usize = spans.iter().map(|s| s.width()).sum();
        let room = (area.width as usize).saturating_sub(used + 1);
        if room >= 10 {
            let m = super::fit(&m, room);
            spans.push(Span::raw(" "));
            spans.push(Span::styled(m.trim_end().to_string(), t.accent));
        } else {
            spans = vec![Span::styled(m, t.accent)];
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
