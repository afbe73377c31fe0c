//! The explorer screen: the entity tree and the details of the selection. Its state
//! (tree, cursor, details) lives in [`crate::tui::app::App`], since every screen
//! starts from the selection.

pub mod details_view;
pub mod tree_view;
pub mod update;
