//! The entity tree pane.

use ratatui::layout::Rect;
use ratatui::Frame;
use tui_tree_widget::Tree;

use crate::tui::app::{App, Pane};

use crate::tui::views::pane;

/// Draws the tree; the widget keeps the selection in view.
pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &mut App) {
    let focused = app.focus == Pane::Tree;
    let title = format!("Account {}/{}", app.cursor + 1, app.visible.len());
    let block = pane(&title, focused, &app.theme);
    let Ok(tree) = Tree::new(&app.tree_items) else {
        return;
    };
    let tree = tree
        .block(block)
        .highlight_style(app.theme.selected)
        .node_closed_symbol("▸ ")
        .node_open_symbol("▾ ")
        .node_no_children_symbol("  ");
    frame.render_stateful_widget(tree, area, &mut app.tree_state);
}
