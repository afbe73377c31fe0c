//! iamscope: explore an AWS account's IAM offline.
//!
//! Data flows one way: bytes on disk are loaded ([`load`]) into an immutable
//! [`model::Account`]; policies are parsed and compiled once ([`policy`]); the
//! evaluator ([`eval`]) decides one request with a trace; [`graph`] and [`query`]
//! answer the questions users ask; [`findings`] audits the whole account with evidence.
//! The CLI and the TUI only call this core.

pub mod catalog;
pub mod cli;
pub mod diff;
pub mod eval;
mod fast_hash;
pub mod findings;
pub mod graph;
pub mod load;
pub mod model;
pub mod policy;
pub mod query;
pub mod samples;
pub mod sanitize;
pub mod study;
pub mod synth;
pub mod tui;
