//! The diff screen: the account compared with a second export (`iamscope --diff OLD
//! NEW`): every change in one list — access that grew first — and, on Enter, the
//! selected change's old and new versions side by side.

pub mod update;
pub mod view;

use std::sync::Arc;

use crate::diff::view::ChangeView;
use crate::diff::Diff;
use crate::load::Input;

/// Where the comparison stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum DiffStatus {
    /// Not asked for yet.
    #[default]
    NotAsked,
    /// Being computed in the background.
    Computing,
    /// Done: see [`DiffState::diff`].
    Ready,
    /// The old export could not be loaded.
    Failed(String),
}

/// The diff screen.
#[derive(Debug, Clone, Default)]
pub struct DiffState {
    /// The old export the account is compared with (`--diff OLD`), if any.
    pub against: Option<Input>,
    /// Where the comparison stands.
    pub status: DiffStatus,
    /// The comparison, once computed.
    pub diff: Option<Arc<Diff>>,
    /// Its changes as listed.
    pub changes: Vec<ChangeView>,
    /// The selected change.
    pub selected: usize,
    /// True while the selected change is shown side by side.
    pub open: bool,
    /// First line of the side-by-side versions shown.
    pub scroll: usize,
}
