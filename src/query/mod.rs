//! The questions users ask of an account: summary, who can, what can, paths, trust.

pub mod hop;
pub mod input;
pub mod paths;
pub mod resolve;
pub mod summary;
pub mod trust;
pub mod what_can;
pub mod who_can;
