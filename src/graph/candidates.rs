//! Cheap pre-filters before asking the evaluator: which of a principal's Allow
//! statements could cover an action. They only prune; every edge is still decided by
//! the evaluator.

use crate::eval::{Engine, PrincipalRef};
use crate::policy::{ActionName, Effect, Statement};

/// The identity-policy Allow statements of one principal that could cover one action.
pub struct Allowing<'e> {
    statements: Vec<&'e Statement>,
}

impl<'e> Allowing<'e> {
    /// Collects `who`'s Allow statements whose Action/NotAction covers `action`.
    pub fn new(engine: &'e Engine<'_>, who: PrincipalRef, action: &ActionName) -> Allowing<'e> {
        let statements = engine
            .identity_policies(who)
            .iter()
            .filter_map(|p| p.document.ok())
            .flat_map(|d| d.statements.iter())
            .filter(|s| s.effect == Effect::Allow && covers_action(s, action))
            .collect();
        Allowing { statements }
    }

    /// True when no statement could allow the action.
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }
}

/// Whether a statement's Action/NotAction element covers `action`.
pub fn covers_action(statement: &Statement, action: &ActionName) -> bool {
    let hit = statement.action.patterns.iter().any(|p| p.matches(action));
    hit != statement.action.negated
}
