//! Cheap pre-filters before asking the evaluator. They only prune; every edge is still
//! decided by the evaluator.

use crate::policy::{ActionName, Statement};

/// Whether a statement's Action/NotAction element covers `action`.
pub fn covers_action(statement: &Statement, action: &ActionName) -> bool {
    statement.action_matches(action)
}
