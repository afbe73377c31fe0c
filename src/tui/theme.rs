//! Colours and text styles. `NO_COLOR` (any non-empty value) turns colours off; bold,
//! underline and reverse video then carry the meaning instead.

use ratatui::style::{Color, Modifier, Style};

/// Every style the views use, by meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// True when colours are off.
    pub no_color: bool,
    /// Plain text.
    pub text: Style,
    /// Secondary text: counts, ARNs, hints.
    pub muted: Style,
    /// Pane titles and section headings.
    pub heading: Style,
    /// The border of the focused pane.
    pub border_focused: Style,
    /// The border of other panes.
    pub border: Style,
    /// The selected line.
    pub selected: Style,
    /// Key names in the help and status bar.
    pub key: Style,
    /// JSON object keys.
    pub json_key: Style,
    /// JSON strings.
    pub json_string: Style,
    /// JSON numbers, booleans, null.
    pub json_literal: Style,
    /// `Allow`.
    pub allow: Style,
    /// `Deny` (explicit or implicit).
    pub deny: Style,
    /// `Conditional`: depends on context keys or facts the bundle lacks.
    pub conditional: Style,
    /// Warnings about risky settings.
    pub warning: Style,
    /// Kind tags in the tree (`group`, `inline`, …).
    pub tag: Style,
    /// Matched characters in search results, and the text cursor.
    pub accent: Style,
}

impl Theme {
    /// The colour theme, or the monochrome one when `NO_COLOR` is set and non-empty.
    pub fn from_env() -> Theme {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Theme::monochrome(),
            _ => Theme::colored(),
        }
    }

    /// The default colour theme.
    pub fn colored() -> Theme {
        let s = Style::new();
        Theme {
            no_color: false,
            text: s,
            muted: s.fg(Color::DarkGray),
            heading: s.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            border_focused: s.fg(Color::Cyan),
            border: s.fg(Color::DarkGray),
            selected: s
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
            key: s.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            json_key: s.fg(Color::Cyan),
            json_string: s.fg(Color::Yellow),
            json_literal: s.fg(Color::Magenta),
            allow: s.fg(Color::Green).add_modifier(Modifier::BOLD),
            deny: s.fg(Color::Red).add_modifier(Modifier::BOLD),
            conditional: s.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            warning: s.fg(Color::LightRed).add_modifier(Modifier::BOLD),
            tag: s.fg(Color::Blue),
            accent: s.fg(Color::LightYellow).add_modifier(Modifier::BOLD),
        }
    }

    /// No colours: bold, underline and reverse video only.
    pub fn monochrome() -> Theme {
        let s = Style::new();
        let bold = s.add_modifier(Modifier::BOLD);
        Theme {
            no_color: true,
            text: s,
            muted: s,
            heading: bold,
            border_focused: bold,
            border: s,
            selected: s.add_modifier(Modifier::REVERSED),
            key: bold,
            json_key: s,
            json_string: s,
            json_literal: s,
            allow: bold,
            deny: bold.add_modifier(Modifier::UNDERLINED),
            conditional: s.add_modifier(Modifier::ITALIC),
            warning: bold,
            tag: s.add_modifier(Modifier::ITALIC),
            accent: s.add_modifier(Modifier::UNDERLINED),
        }
    }
}

impl Default for Theme {
    fn default() -> Theme {
        Theme::colored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Color;

    #[test]
    fn monochrome_has_no_colours_but_keeps_meaning() {
        let t = Theme::monochrome();
        let styles = [
            t.text,
            t.muted,
            t.heading,
            t.border_focused,
            t.border,
            t.selected,
            t.key,
            t.json_key,
            t.json_string,
            t.json_literal,
            t.allow,
            t.deny,
            t.conditional,
            t.warning,
            t.tag,
            t.accent,
        ];
        for s in styles {
            assert!(matches!(s.fg, None | Some(Color::Reset)), "{s:?}");
            assert!(matches!(s.bg, None | Some(Color::Reset)), "{s:?}");
        }
        assert!(t.selected.add_modifier.contains(Modifier::REVERSED));
        assert_ne!(t.allow, t.deny);
        assert_ne!(t.conditional, t.deny);
        assert_ne!(t.conditional, t.allow);
    }
}

#[cfg(test)]
mod decision_colours {
    use super::*;

    #[test]
    fn allow_green_conditional_yellow_deny_red() {
        let t = Theme::colored();
        assert_eq!(t.allow.fg, Some(Color::Green));
        assert_eq!(t.conditional.fg, Some(Color::Yellow));
        assert_eq!(t.deny.fg, Some(Color::Red));
    }
}
