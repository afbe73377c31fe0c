//! Data on its way into the TUI's frames: [`scrub_lines`] shows control characters
//! as visible escapes (via [`crate::sanitize::display`]) when styled lines are built,
//! and [`scrub_buffer`] makes sure, once per frame, that no cell holds one anyway
//! (a string that reached a span some other way).

use std::borrow::Cow;

use ratatui::buffer::Buffer;
use ratatui::text::{Line, Span};

use crate::sanitize::{self, is_unsafe};

/// Escapes control characters and masks secrets in every span of `lines`.
pub fn scrub_lines(lines: &mut [Line<'_>]) {
    for line in lines {
        scrub_spans(&mut line.spans);
    }
}

/// Escapes control characters and masks secrets in every span.
pub fn scrub_spans(spans: &mut [Span<'_>]) {
    for span in spans {
        if let Cow::Owned(safe) = sanitize::display(&span.content) {
            span.content = Cow::Owned(safe);
        }
    }
}

/// The visible stand-in for a cell that held only a control character: its Unicode
/// control picture (`␛` for ESC, `␡` for DEL), `�` for the others.
fn picture(c: char) -> char {
    match c as u32 {
        n @ 0..=0x1f => char::from_u32(0x2400 + n).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        _ => '\u{fffd}',
    }
}

/// Replaces what no terminal must receive raw in the frame: a cell's unsafe
/// characters are dropped, and a cell that held nothing else shows a control
/// picture, so the layout (one symbol per cell) stays as drawn.
pub fn scrub_buffer(buffer: &mut Buffer) {
    for cell in &mut buffer.content {
        let symbol = cell.symbol();
        if !symbol.chars().any(is_unsafe) {
            continue;
        }
        let kept: String = symbol.chars().filter(|&c| !is_unsafe(c)).collect();
        if kept.is_empty() {
            let first = symbol.chars().next().unwrap_or(' ');
            cell.set_char(picture(first));
        } else {
            cell.set_symbol(&kept);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::widgets::{Paragraph, Widget};

    #[test]
    fn lines_show_escapes() {
        let mut lines = vec![Line::from(vec![
            Span::raw("role "),
            Span::raw("x\u{1b}]0;t\u{7}\u{202e}"),
        ])];
        scrub_lines(&mut lines);
        assert_eq!(lines[0].spans[1].content, "x\\x1b]0;t\\x07\\u202e");
    }

    #[test]
    fn no_cell_keeps_a_control_character() {
        let area = Rect::new(0, 0, 20, 1);
        let mut buffer = Buffer::empty(area);
        Paragraph::new("a b").render(area, &mut buffer);
        // ratatui 0.30 drops control characters itself when it renders text; a cell
        // can still be given one directly, which the scrub must catch.
        for (x, symbol) in ["\u{1b}", "c\u{202e}", "\u{9b}", "\u{7f}"]
            .iter()
            .enumerate()
        {
            buffer[(x as u16 + 4, 0)].set_symbol(symbol);
        }
        assert!(buffer
            .content
            .iter()
            .any(|c| c.symbol().chars().any(is_unsafe)));
        scrub_buffer(&mut buffer);
        for cell in &buffer.content {
            assert!(!cell.symbol().chars().any(is_unsafe), "{:?}", cell.symbol());
        }
    }
}
