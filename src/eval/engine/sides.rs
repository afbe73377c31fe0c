//! Deciding a request in two halves: the caller's side (SCPs, identity policies,
//! boundary) and the resource's side (RCPs, its trust or resource policy), each worked
//! out alone and then combined by AWS's rules. The trust graph asks `sts:AssumeRole`
//! of many (principal, role) pairs whose caller sides are shared by a whole class of
//! principals and whose trust sides are shared by every role with the same trust
//! policy: it works each side out once and combines them per pair. The combination
//! is the evaluator's own ([`super::super::flow`]), so a decision made from the sides
//! of the very request is exactly [`Engine::decide`]'s.

use super::{Caller, Engine, PrincipalRef, Query};
use crate::eval::flow::{caller_out, decide_from_sides, resource_out, CallerOut, ResourceOut};
use crate::eval::Decision;

/// What the caller's side of one request says, layer by layer (unknown keys listed).
/// Equal values combine alike: a caller side may stand for another request's when the
/// caller's statements treat both alike.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CallerSide(CallerOut);

/// What the resource's side of one request says (RCPs, the resource-based policy).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TargetSide(ResourceOut);

impl<'a> Engine<'a> {
    fn caller_of(&self, who: PrincipalRef) -> Caller<'_, 'a> {
        let p = self.prepared(who);
        Caller {
            facts: &p.facts,
            identity: &p.identity,
            boundary: p.boundary.as_ref(),
            unknown: None,
        }
    }

    /// The caller's side of `who`'s `query` alone.
    pub fn caller_side(&self, who: PrincipalRef, query: &Query) -> CallerSide {
        let side = self.resource_side(query);
        let caller = self.caller_of(who);
        CallerSide(self.in_request(&caller, query, &side, None, |set, req, _| {
            caller_out(set, req)
        }))
    }

    /// The resource's side of `who`'s `query` alone.
    pub fn target_side(&self, who: PrincipalRef, query: &Query) -> TargetSide {
        let side = self.resource_side(query);
        let caller = self.caller_of(who);
        TargetSide(self.in_request(&caller, query, &side, None, |set, req, _| {
            resource_out(set, req)
        }))
    }

    /// The decision on `who`'s `query` combined from two sides: [`Engine::decide`]'s
    /// decision when they are this request's own (or equal to them).
    pub fn decide_from_sides(
        &self,
        who: PrincipalRef,
        query: &Query,
        caller: &CallerSide,
        target: &TargetSide,
    ) -> Decision {
        let side = self.resource_side(query);
        let me = self.caller_of(who);
        self.in_request(&me, query, &side, None, |set, req, _| {
            decide_from_sides(set, req, &caller.0, &target.0)
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::{Context, Engine, Query};
    use crate::load::{load, Input};

    /// Every principal of the samples against every role, and a few other requests:
    /// the decision made from the two sides is the evaluator's.
    #[test]
    fn sides_combine_into_the_evaluators_decision() {
        for sample in ["vulnerable", "startup", "enterprise", "org"] {
            let account = load(&Input::Sample(sample.into())).expect("sample loads");
            let engine = Engine::new(&account);
            let mut resources: Vec<String> = account
                .roles
                .iter()
                .map(|r| r.common.arn.to_string())
                .collect();
            resources.push("*".into());
            let mut compared = 0;
            for action in ["sts:AssumeRole", "iam:PassRole", "s3:GetObject"] {
                for resource in &resources {
                    let query = Query::new(action, resource).with_context(Context::new(false));
                    for who in engine.principals() {
                        let caller = engine.caller_side(who, &query);
                        let target = engine.target_side(who, &query);
                        assert_eq!(
                            engine.decide_from_sides(who, &query, &caller, &target),
                            engine.decide(who, &query),
                            "{sample}: {who:?} {action} {resource}"
                        );
                        compared += 1;
                    }
                }
            }
            assert!(compared > 0);
        }
    }
}
