//! [`ListedActions`]: the catalogue actions one statement's `Action`/`NotAction` names,
//! worked out once per document and kept with it (what-can asks it of every principal
//! holding the document; see `crate::query::what_can`).

use std::sync::OnceLock;

/// The catalogue action ids a statement's `Action` (or `NotAction`) patterns match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedActions {
    /// Catalogue ids the patterns match, sorted, without repeats.
    pub ids: Box<[u32]>,
    /// True when `ids` is exactly the catalogue actions the statement applies to: an
    /// `Action` (not `NotAction`) of ASCII patterns. Otherwise the statement must be
    /// checked against every action.
    pub exact: bool,
}

/// A document's memo: one [`ListedActions`] per compiled statement, in order.
pub(crate) type ListedMemo = OnceLock<Box<[ListedActions]>>;
