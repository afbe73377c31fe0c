//! The questions users ask of an account: summary, who can, what can, paths, trust.

pub mod document_view;
pub mod blast;
pub mod context_keys;
pub mod explain;
pub mod hop;
pub mod paths;
pub mod paths_to;
pub mod summary;
pub mod trust;
pub mod what_can;
pub mod who_can;
