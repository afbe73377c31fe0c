//! Cheap pre-filters before asking the evaluator: which of a principal's Allow
//! statements could cover an action, and which resources they could cover. They only
//! prune; every edge is still decided by the evaluator.

use crate::eval::{Context, Engine, PrincipalRef, Request, RequestKeys};
use crate::policy::{ActionName, Effect, Statement, Tri};

/// The identity-policy Allow statements of one principal that could cover one action.
pub struct Allowing<'e> {
    statements: Vec<&'e Statement>,
    unknown: Context,
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
        Allowing {
            statements,
            unknown: Context::new(false),
        }
    }

    /// True when no statement could allow the action.
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// Whether some statement's Resource/NotResource could cover `resource` for `who`
    /// (conditions are ignored here; policy variables resolve from `who`'s facts).
    pub fn could_cover(
        &self,
        engine: &Engine<'_>,
        who: PrincipalRef,
        action: &ActionName,
        resource: &str,
    ) -> bool {
        let request = Request {
            principal: engine.facts(who),
            action,
            resource,
            resource_account: None,
            context: &self.unknown,
        };
        let keys = RequestKeys { request: &request };
        self.statements.iter().any(|s| match &s.resource {
            None => true,
            Some(spec) => {
                let any = spec
                    .patterns
                    .iter()
                    .map(|p| p.matches(resource, &keys).0)
                    .fold(Tri::False, Tri::or);
                let r = if spec.negated { any.not() } else { any };
                r != Tri::False
            }
        })
    }
}

/// Whether a statement's Action/NotAction element covers `action`.
pub fn covers_action(statement: &Statement, action: &ActionName) -> bool {
    let hit = statement.action.patterns.iter().any(|p| p.matches(action));
    hit != statement.action.negated
}
