//! Where each pane goes, for a terminal size. Shared by the views (to draw) and by
//! `update` (mouse hit-testing, page sizes), so both always agree.

use ratatui::layout::Rect;

/// Widths below this stack the tree above the details.
pub const SIDE_BY_SIDE_MIN_WIDTH: u16 = 100;

/// The areas of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// Title line.
    pub header: Rect,
    /// Everything between header and status bar.
    pub body: Rect,
    /// The tree pane (with its border).
    pub tree: Rect,
    /// The details pane (with its border).
    pub details: Rect,
    /// Key hints and messages.
    pub status: Rect,
}

/// Splits a terminal of `width` × `height`. When the panes are stacked (narrow
/// terminals), the focused one gets the larger share, as in lazygit.
pub fn areas(width: u16, height: u16, details_focused: bool) -> Areas {
    let header = Rect::new(0, 0, width, height.min(1));
    let status = Rect::new(0, height.saturating_sub(1), width, height.min(1));
    let body = Rect::new(0, 1.min(height), width, height.saturating_sub(2));
    let (tree, details) = if width >= SIDE_BY_SIDE_MIN_WIDTH {
        let tw = (width * 2 / 5).clamp(30, 64);
        (
            Rect::new(body.x, body.y, tw, body.height),
            Rect::new(body.x + tw, body.y, width - tw, body.height),
        )
    } else {
        let share = if details_focused { 2 } else { 3 };
        let th = (body.height * share / 5).max(3.min(body.height));
        (
            Rect::new(body.x, body.y, width, th),
            Rect::new(body.x, body.y + th, width, body.height - th),
        )
    };
    Areas {
        header,
        body,
        tree,
        details,
        status,
    }
}

/// The inside of a bordered area.
pub fn inner(r: Rect) -> Rect {
    Rect::new(
        r.x.saturating_add(1),
        r.y.saturating_add(1),
        r.width.saturating_sub(2),
        r.height.saturating_sub(2),
    )
}

/// A centred popup of at most `w` × `h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacked_when_narrow_side_by_side_when_wide() {
        let a = areas(80, 24, false);
        assert_eq!(a.tree.width, 80);
        assert!(a.details.y > a.tree.y);
        assert_eq!(a.tree.height + a.details.height, 22);
        assert!(a.tree.height > a.details.height);
        let b = areas(80, 24, true);
        assert!(b.tree.height < b.details.height);
        let a = areas(160, 48, false);
        assert_eq!(a.tree.y, a.details.y);
        assert_eq!(a.tree.width + a.details.width, 160);
    }

    #[test]
    fn tiny_terminals_do_not_underflow() {
        for (w, h) in [(0, 0), (1, 1), (5, 2), (10, 3)] {
            let _ = areas(w, h, false);
        }
    }
}
