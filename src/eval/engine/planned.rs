//! Deciding with a plan made elsewhere: what-can plans, once per action, which of the
//! principal's statements can match it, and decides every resource with that plan.

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
        let p = self.prepared(who);
        let side = self.resource_side(query);
        let caller = Caller {
            facts: &p.facts,
            identity: &p.identity,
            boundary: p.boundary.as_ref(),
            unknown: None,
        };
        self.run_with(&caller, query, &side, None, Some(plan))
    }
}
