//! `sts:AssumeRole` decided in two halves ([`Engine::caller_side`],
//! [`Engine::target_side`]), each worked out once for everything that shares it:
//! - the caller's side (SCPs, identity policies, boundary) once per class of
//!   principals and set of statements that apply on a block of roles, whatever the
//!   roles' trust policies say;
//! - the trust side (RCPs, the trust policy) once per trust policy view (what it says
//!   to principals it does not name) and kind of caller.
//!
//! The evaluator combines the two for each (class, block), so the decision is the one
//! [`Engine::decide`] gives the representative (the equivalence test checks it pair
//! by pair). Trusts that name the caller or read its identity are not shared: the
//! caller of those is decided on its own, outside this memo.

use std::collections::HashMap;
use std::sync::Mutex;

use super::class::{BaseKey, Class};
use super::targets::Block;
use crate::eval::{CallerSide, Decision, Engine, PrincipalRef, Query, TargetSide};

/// A caller side's key: the statements' base, the statements that apply (content id,
/// match) and the role's account (`aws:ResourceAccount`).
type CallerKey = (BaseKey, Vec<(u32, u8)>, Box<str>);

/// A trust side's key: the role's trust view ([`super::build::RoleTrust::inside`]), its
/// account (its RCPs) and what the trust can read of the caller.
type TargetKey = (u32, Box<str>, BaseKey);

/// Both halves, each made once.
#[derive(Default)]
pub struct AssumeSides {
    callers: Mutex<HashMap<CallerKey, CallerSide>>,
    targets: Mutex<HashMap<TargetKey, TargetSide>>,
}

fn memo<K: std::hash::Hash + Eq, V: Clone>(
    map: &Mutex<HashMap<K, V>>,
    key: K,
    make: impl FnOnce() -> V,
) -> V {
    if let Some(v) = map.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return v;
    }
    let v = make();
    if let Ok(mut m) = map.lock() {
        m.insert(key, v.clone());
    }
    v
}

impl AssumeSides {
    /// The decision on `query` (`sts:AssumeRole` on the block's first role, in
    /// `role_account`, whose trust view is `view`) for the class's representative.
    pub fn decide(
        &self,
        engine: &Engine<'_>,
        class: &Class,
        block: &Block,
        (view, role_account): (u32, &str),
        query: &Query,
    ) -> Decision {
        let rep: PrincipalRef = class.representative();
        let caller_key = (
            class.statements_base.clone(),
            block.applying.clone(),
            role_account.into(),
        );
        let caller = memo(&self.callers, caller_key, || engine.caller_side(rep, query));
        let target_key = (view, role_account.into(), class.base.trust_view());
        let target = memo(&self.targets, target_key, || engine.target_side(rep, query));
        engine.decide_from_sides(rep, query, &caller, &target)
    }
}
