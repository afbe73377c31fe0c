//! The questions users ask of an account: summary, who can, what can, paths, trust.

mod action_classes;
pub mod action_index;
mod asked_pairs;
pub mod blast;
pub mod context_keys;
pub mod document_view;
pub mod explain;
pub mod fuzzy;
pub mod hop;
pub mod input;
pub mod paths;
pub mod paths_to;
pub mod policy_lookup;
mod prefix_index;
pub mod resolve;
pub mod summary;
pub mod trust;
pub mod what_can;
pub mod who_can;
