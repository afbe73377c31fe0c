//! The evaluator: AWS's decision for one request, with a trace.
//!
//! - [`evaluate`] is a pure function over an explicit [`PolicySet`] (what `simulate`
//!   uses): SCPs, RCPs, resource or trust policy, identity, boundary, session, in AWS's
//!   order, three-valued where the context is unknown.
//! - [`Engine`] borrows a [`crate::model::Account`], gathers each principal's policies
//!   once, and decides requests for a principal given by id or ARN.
//! - [`Engine::decide_all`] (or [`Engine::prepare`] then [`PreparedQuery::decide`]) is
//!   who-can: one query over every principal. It plans the policies principals share
//!   once per query (which statements can match the action; the whole outcome of those
//!   that do not depend on the principal) and gives exactly `decide`'s decisions.

mod context;
mod decision;
mod engine;
mod flow;
mod request;
pub mod scenario;
mod service_rules;

pub use context::Context;
pub use decision::{Decision, Layer, Trace, TraceStep};
pub use engine::{
    allow_everything, CallerSide, Engine, IdentityChange, PreparedQuery, PrincipalRef, Query,
    TargetSide,
};
pub(crate) use engine::{rcp_governed, read_by_name, ResourceSide};
pub(crate) use flow::QueryPlan;
pub use flow::{evaluate, NamedPolicy, PolicySet, ResourceRule, RCP_SERVICES};
pub use request::{PrincipalFacts, Request, RequestKeys};
