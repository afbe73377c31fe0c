//! One layer of the evaluation: the statements of its policies matched against the
//! request, with the trace steps they leave.

use std::cell::OnceCell;

use crate::eval::decision::{Layer, Trace, TraceStep};
use crate::eval::request::RequestKeys;
use crate::policy::{
    Effect, Mismatch, PolicyDocument, PrincipalMatch, Statement, StatementInput, StatementMatch,
    Tri, Unknowns,
};

use super::plan::{DocPlan, QueryPlan};
use super::NamedPolicy;

/// What the statements of one layer say about a request.
#[derive(Debug, Default, Clone, PartialEq, Eq, Hash)]
pub(crate) struct LayerOut {
    pub(super) deny: Tri,
    pub(super) allow: Tri,
    /// Allow grants by how the Principal matched: Account, Role, Direct.
    pub(super) grant: [Tri; 3],
    pub(super) deny_keys: Vec<String>,
    pub(super) allow_keys: Vec<String>,
    /// Why a Deny may match beyond unknown keys (an invalid statement or policy).
    pub(super) deny_reasons: Vec<String>,
    /// Why the layer may allow beyond unknown keys (an invalid statement in a guard).
    pub(super) allow_reasons: Vec<String>,
}

impl LayerOut {
    /// Adds one statement's outcome (`keys`: its unknown keys).
    pub(super) fn add(&mut self, st: &Statement, m: &StatementMatch, keys: &[String]) {
        match st.effect {
            Effect::Deny => {
                self.deny = self.deny.or(m.result);
                if m.result == Tri::Unknown {
                    self.deny_keys.extend(keys.iter().cloned());
                }
            }
            Effect::Allow => {
                self.allow = self.allow.or(m.result);
                if let Some(pm) = m.principal {
                    let g = &mut self.grant[pm as usize];
                    *g = g.or(m.result);
                }
                if m.result == Tri::Unknown {
                    self.allow_keys.extend(keys.iter().cloned());
                }
            }
        }
    }

    /// Adds the outcome of other statements (in document order after the ones so far);
    /// their unknown keys too when `keys`.
    pub(super) fn merge(&mut self, other: &LayerOut, keys: bool) {
        self.deny = self.deny.or(other.deny);
        self.allow = self.allow.or(other.allow);
        for (g, o) in self.grant.iter_mut().zip(other.grant) {
            *g = g.or(o);
        }
        if keys {
            self.deny_keys.extend(other.deny_keys.iter().cloned());
            self.allow_keys.extend(other.allow_keys.iter().cloned());
        }
        self.deny_reasons.extend(other.deny_reasons.iter().cloned());
        self.allow_reasons
            .extend(other.allow_reasons.iter().cloned());
    }

    /// Something this layer cannot read: it might deny, and (in a guard layer, where
    /// only an Allow lets the request through) it might allow.
    fn unknown(&mut self, might_deny: bool, might_allow: bool, reason: &str) {
        if might_deny {
            self.deny = self.deny.or(Tri::Unknown);
            self.deny_reasons.push(reason.to_string());
        }
        if might_allow {
            self.allow = self.allow.or(Tri::Unknown);
            self.allow_reasons.push(reason.to_string());
        }
    }
}

/// Layers that must allow for the request to pass (SCPs, RCPs, the boundary): an Allow
/// that cannot be read there makes a denial uncertain, not certain.
fn is_guard(layer: Layer) -> bool {
    matches!(layer, Layer::Scp(_) | Layer::Rcp(_) | Layer::Boundary)
}

/// Walks the layers of one request, collecting their outcomes (and the trace).
pub(super) struct Walker<'r, 'a> {
    pub(super) keys: RequestKeys<'r, 'a>,
    pub(super) input: StatementInput<'r>,
    pub(super) trace: Option<&'r mut Trace>,
    pub(super) plan: Option<&'r QueryPlan>,
    /// Record unknown keys (with a trace, or when the decision is Conditional).
    pub(super) keys_wanted: bool,
    /// The request's resource split into its ARN fields, once.
    pub(super) split: OnceCell<Option<[&'r str; 6]>>,
    pub(super) scratch: Vec<String>,
}

impl Walker<'_, '_> {
    /// Matches every statement of `policies` (one layer) against the request.
    pub(super) fn layer(&mut self, layer: Layer, policies: &[NamedPolicy<'_>]) -> LayerOut {
        let mut out = LayerOut::default();
        for p in policies {
            let doc = match p.document {
                Ok(d) => d,
                Err(e) => {
                    // Nothing of it can be read: it never grants, but it might deny.
                    let reason = format!("{} is invalid ({e})", p.name);
                    out.unknown(true, is_guard(layer), &reason);
                    self.note_step(
                        layer,
                        &p.name,
                        format!("invalid policy: never grants; it might deny ({e})"),
                    );
                    continue;
                }
            };
            self.invalid_statements(&mut out, layer, &p.name, doc);
            let Some(t) = self.trace.as_deref_mut() else {
                // The fast path: the query's plan, else every statement, no trace.
                match self.plan.and_then(|plan| plan.get(doc)) {
                    Some(DocPlan::Fixed(f)) => out.merge(f, self.keys_wanted),
                    Some(DocPlan::Dynamic {
                        relevant,
                        fixed,
                        dependent,
                    }) => {
                        let run = if self.keys_wanted {
                            relevant
                        } else {
                            out.merge(fixed, false);
                            dependent
                        };
                        // A plan lists only statements matching the action.
                        for &i in run {
                            self.statement(&mut out, &doc.statements[i as usize], true);
                        }
                    }
                    None => {
                        for st in &doc.statements {
                            self.statement(&mut out, st, false);
                        }
                    }
                }
                continue;
            };
            for st in &doc.statements {
                self.scratch.clear();
                let m = st.evaluate(&self.input, &self.keys, &mut self.scratch);
                out.add(st, &m, &self.scratch);
                let mut s = step(layer, &p.name, Some(st), Some(&m), describe(st, &m));
                s.unknown_keys = self.scratch.clone();
                t.steps.push(s);
            }
        }
        out
    }

    /// The statements of `doc` that did not compile: each that could apply to the
    /// request never grants, but might deny (a Deny, an unreadable Effect) and, in a
    /// guard layer, might allow.
    fn invalid_statements(
        &mut self,
        out: &mut LayerOut,
        layer: Layer,
        name: &str,
        doc: &PolicyDocument,
    ) {
        for inv in &doc.invalid {
            if !inv.could_cover_action(self.input.action) {
                continue;
            }
            let resource = inv.resource.as_ref().map_or(Tri::Unknown, |spec| {
                let any = spec.patterns.iter().fold(Tri::False, |acc, p| {
                    acc.or(p
                        .matches_ref(self.input.resource, &self.split, &self.keys)
                        .0)
                });
                if spec.negated {
                    any.not()
                } else {
                    any
                }
            });
            if resource == Tri::False {
                continue;
            }
            let might_allow = is_guard(layer) && inv.effect != Some(Effect::Deny);
            let reason = inv.describe(name);
            out.unknown(inv.might_deny(), might_allow, &reason);
            if let Some(t) = self.trace.as_deref_mut() {
                t.steps.push(TraceStep {
                    layer,
                    policy: name.to_string(),
                    statement: Some(inv.index),
                    sid: inv.sid.clone(),
                    effect: inv.effect,
                    matched: Some(Tri::Unknown),
                    principal_match: None,
                    unknown_keys: Vec::new(),
                    note: format!(
                        "invalid statement ({}): never grants{}{}",
                        inv.error,
                        if inv.might_deny() {
                            "; it might deny"
                        } else {
                            ""
                        },
                        if might_allow {
                            "; the layer's Allow is uncertain"
                        } else {
                            ""
                        },
                    ),
                });
            }
        }
    }

    /// Evaluates one statement into `out`, without a trace (`matched`: its action is
    /// known to match).
    fn statement(&mut self, out: &mut LayerOut, st: &Statement, matched: bool) {
        if !self.keys_wanted {
            let none = &mut Unknowns(None);
            let m = st.evaluate_into(&self.input, &self.split, &self.keys, none, matched);
            if m.result != Tri::False {
                out.add(st, &m, &[]);
            }
            return;
        }
        self.scratch.clear();
        let m = st.evaluate(&self.input, &self.keys, &mut self.scratch);
        if m.result != Tri::False {
            out.add(st, &m, &self.scratch);
        }
    }

    /// Adds a layer verdict or note to the trace, if there is one.
    pub(super) fn note(&mut self, layer: Layer, text: impl FnOnce() -> String) {
        if let Some(t) = self.trace.as_deref_mut() {
            t.note(layer, text());
        }
    }

    /// Adds a step about a whole policy to the trace, if there is one.
    fn note_step(&mut self, layer: Layer, policy: &str, note: String) {
        if let Some(t) = self.trace.as_deref_mut() {
            t.steps.push(step(layer, policy, None, None, note));
        }
    }
}

fn step(
    layer: Layer,
    policy: &str,
    st: Option<&Statement>,
    m: Option<&StatementMatch>,
    note: String,
) -> TraceStep {
    TraceStep {
        layer,
        policy: policy.to_string(),
        statement: st.map(|s| s.index),
        sid: st.and_then(|s| s.sid.clone()),
        effect: st.map(|s| s.effect),
        matched: m.map(|m| m.result),
        principal_match: m.and_then(|m| m.principal),
        unknown_keys: Vec::new(),
        note,
    }
}

fn describe(st: &Statement, m: &StatementMatch) -> String {
    match (m.result, m.mismatch) {
        (_, Some(Mismatch::Action)) => if st.action.negated {
            "the action is listed in NotAction"
        } else {
            "Action does not cover the action"
        }
        .into(),
        (_, Some(Mismatch::Resource)) => if st.resource.as_ref().is_some_and(|r| r.negated) {
            "the resource is listed in NotResource"
        } else {
            "Resource does not cover the resource"
        }
        .into(),
        (_, Some(Mismatch::Principal)) => "the Principal element does not name the caller".into(),
        (_, Some(Mismatch::Condition(i))) => match st.conditions.get(i) {
            Some(c) => format!(
                "condition {} {} {:?} is false",
                c.operator.name,
                c.key,
                c.raw_values()
            ),
            None => "a condition is false".into(),
        },
        (Tri::Unknown, _) => match m.unknown_condition.and_then(|i| st.conditions.get(i)) {
            Some(c) => format!(
                "condition {} {} {:?} depends on an unknown key",
                c.operator.name,
                c.key,
                c.raw_values()
            ),
            None => "depends on an unknown policy variable".into(),
        },
        _ => {
            let mut s = String::from("action, resource");
            if st.principal.is_some() {
                s.push_str(", principal");
            }
            if !st.conditions.is_empty() {
                s.push_str(" and conditions");
            }
            s.push_str(" match");
            if let Some(pm) = m.principal {
                s.push_str(match pm {
                    PrincipalMatch::Direct => " (names the caller directly)",
                    PrincipalMatch::Role => " (names the caller's role)",
                    PrincipalMatch::Account => " (names the caller's account: delegation only)",
                });
            }
            s
        }
    }
}
