//! The questions users ask of an account.

pub mod summary;
