//! Drawing: one file per pane or popup. Views read the [`App`]; the only state they
//! touch is the tree widget's scroll offset, which `tui-tree-widget` keeps itself.

mod findings;
mod header;
mod help;
pub mod hops;
mod overlays;
mod status;

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders};
use ratatui::Frame;

use super::app::{App, Overlay, Screen};
use super::screens;
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
            screens::explorer::tree_view::draw(frame, a.tree, app);
            screens::explorer::details_view::draw(frame, a.details, app);
        }
        Screen::WhoCan => screens::who_can::view::draw(frame, a.body, app),
        Screen::TrustGraph => screens::trust::view::draw(frame, a.body, app),
        Screen::Blast => screens::blast::view::draw(frame, a.body, app),
        Screen::Paths => screens::paths::view::draw(frame, a.body, app),
        Screen::Diff => screens::diff::view::draw(frame, a.body, app),
        Screen::Study => screens::study::view::draw(frame, a.body, app),
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
        Overlay::Context => screens::context::view::draw(frame, a.body, app),
    }
    super::safe_text::scrub_buffer(frame.buffer_mut());
}

/// The mark of a decision, so that it reads without colour too: `✓` allow, `?`
/// conditional, `✗` deny.
pub fn decision_mark(decision: &str) -> &'static str {
    match decision {
        "Allow" => "✓",
        "Conditional" => "?",
        _ => "✗",
    }
}

/// A decision as a cell: mark and name in the decision's style (allow green,
/// conditional yellow, deny red), padded to `width` columns when `width > 0`.
pub fn decision_cell(t: &Theme, decision: &str, width: usize) -> Span<'static> {
    let style = match decision {
        "Allow" => t.allow,
        "Conditional" => t.conditional,
        _ => t.deny,
    };
    let text = format!("{} {decision}", decision_mark(decision));
    let text = if width > 0 { fit(&text, width) } else { text };
    Span::styled(text, style)
}

/// A bordered block with a title, highlighted when focused.
pub fn pane<'a>(title: &'a str, focused: bool, theme: &Theme) -> Block<'a> {
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
pub fn window(lines: &[Line<'static>], start: usize, height: usize) -> Vec<Line<'static>> {
    let start = start.min(lines.len());
    let end = (start + height).min(lines.len());
    lines[start..end].to_vec()
}

/// The first index to show so that `selected` is visible in `height` rows.
pub fn scroll_for(selected: usize, height: usize) -> usize {
    if height == 0 {
        return 0;
    }
    selected.saturating_sub(height - 1)
}

/// Pads or truncates `s` to exactly `w` columns (by chars).
pub fn fit(s: &str, w: usize) -> String {
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

/// `s` cut into lines of `w` characters (the later ones indented by two), each padded
/// to `w`: the selected row of a list shows in full instead of being cut.
pub fn wrap_fit(s: &str, w: usize) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= w || w < 4 {
        return vec![fit(s, w)];
    }
    let mut out = vec![chars[..w].iter().collect::<String>()];
    for chunk in chars[w..].chunks(w - 2) {
        out.push(fit(&format!("  {}", chunk.iter().collect::<String>()), w));
    }
    out
}

/// Clears `area` before a popup is drawn on it.
pub fn clear(frame: &mut Frame<'_>, area: Rect) {
    frame.render_widget(ratatui::widgets::Clear, area);
    frame.render_widget(Block::default().style(Style::default()), area);
}

#[cfg(test)]
mod tests {
    use super::wrap_fit;

    #[test]
    fn a_long_selected_label_wraps_instead_of_being_cut() {
        let label = "arn:aws:iam::111111111111:role/a-very-long-role-name-that-does-not-fit";
        let lines = wrap_fit(label, 20);
        assert!(lines.iter().all(|l| l.chars().count() == 20), "{lines:?}");
        let joined: String = lines.iter().map(|l| l.trim()).collect();
        assert_eq!(joined, label);
        assert!(!lines.concat().contains('…'));
        assert_eq!(wrap_fit("short", 8), vec!["short   ".to_string()]);
    }
}

/// What the trust graph's build has done so far, for every pane that waits on it:
/// `building trust graph… step 4 of 6 (trust between principals) · 10,000
/// principals · 1,234 grants so far`. Without a build in progress: `building trust
/// graph…`.
pub fn graph_progress(app: &App) -> String {
    let super::app::GraphState::Building(progress) = &app.graph else {
        return "building trust graph…".into();
    };
    let v = progress.view();
    let account = &app.model.account;
    match v.step {
        None => "building trust graph… starting".into(),
        Some(step) => format!(
            "building trust graph… step {} of {} ({}) · {} principals · {} grants so far",
            step + 1,
            v.steps,
            v.step_name().unwrap_or_default(),
            grouped(account.users.len() + account.roles.len()),
            grouped(v.grants),
        ),
    }
}

/// `n` with thousands separated by commas: `12,345`.
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod grouped_tests {
    use super::grouped;

    #[test]
    fn grouped_separates_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }
}
