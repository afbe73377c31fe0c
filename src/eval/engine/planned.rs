//! Deciding with a plan made elsewhere: what-can plans, once per action, which of the
//! principal's statements can match it, and decides every resource with that plan.

use super::resource_side::ResourceSide;
use super::{Caller, Engine, PrincipalRef, Query};
use crate::eval::flow::QueryPlan;
use crate::eval::Decision;

impl<'a> Engine<'a> {
    /// [`Engine::decide`], reading the documents `plan` covers from it. The plan must
    /// leave out only statements that cannot match `query`'s action.
    pub(crate) fn decide_planned(
        &self,
        who: PrincipalRef,
        query: &Query,
        plan: &QueryPlan,
    ) -> Decision {
        self.decide_planned_on(who, query, plan, &self.resource_side(query))
    }

    /// [`Engine::decide_planned`] with `query`'s resource side worked out beforehand
    /// (what-can works out each resource's once, for all the actions it decides there).
    /// `side` must be [`Engine::resource_side`] of `query`, or of a query differing
    /// only in an action with the same [`crate::eval::ResourceRule`].
    pub(crate) fn decide_planned_on(
        &self,
        who: PrincipalRef,
        query: &Query,
        plan: &QueryPlan,
        side: &ResourceSide<'_, 'a>,
    ) -> Decision {
        let p = self.prepared(who);
        let caller = Caller {
            facts: &p.facts,
            identity: &p.identity,
            boundary: p.boundary.as_ref(),
            unknown: None,
        };
        self.run_with(&caller, query, side, None, Some(plan))
    }
}
