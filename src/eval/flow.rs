//! The decision for one request over an explicit set of policies: AWS's flow, step by step.

use std::borrow::Cow;
use std::cell::{Cell, OnceCell};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::model::PolicySource;
use crate::policy::{
    ActionName, Caller, CallerKind, Effect, Mismatch, PolicyDocument, PolicyError, PrincipalMatch,
    Statement, StatementInput, StatementMatch, Tri, Unknowns,
};

use super::decision::{Decision, Layer, Trace, TraceStep};
use super::request::{QueryKeys, Request, RequestKeys};
use super::Context;

/// A policy with the name the trace shows; invalid documents are kept to be noted.
#[derive(Debug, Clone)]
pub struct NamedPolicy<'a> {
    /// Display name, e.g. `alice/inline:s3-read` or `arn:aws:iam::aws:policy/ReadOnlyAccess`.
    pub name: Cow<'a, str>,
    /// The compiled document, or why it is invalid (then skipped).
    pub document: Result<&'a PolicyDocument, &'a PolicyError>,
}

impl<'a> NamedPolicy<'a> {
    /// From a loaded policy source.
    pub fn new(name: impl Into<Cow<'a, str>>, source: &'a PolicySource) -> NamedPolicy<'a> {
        NamedPolicy::from_result(name, &source.parsed)
    }

    /// From a parse result.
    pub fn from_result(
        name: impl Into<Cow<'a, str>>,
        parsed: &'a Result<PolicyDocument, PolicyError>,
    ) -> NamedPolicy<'a> {
        NamedPolicy {
            name: name.into(),
            document: parsed.as_ref(),
        }
    }
}

/// Every policy that applies to one request, by layer.
#[derive(Debug, Clone, Copy, Default)]
pub struct PolicySet<'a> {
    /// The principal's identity-based policies (a user's groups' included).
    pub identity: &'a [NamedPolicy<'a>],
    /// The permissions boundary, if any.
    pub boundary: Option<&'a NamedPolicy<'a>>,
    /// Session policies; empty when the session has none.
    pub session: &'a [NamedPolicy<'a>],
    /// SCPs by level of the principal's account path, root first; empty: not in an
    /// organization (or the management account).
    pub scp_levels: &'a [Vec<NamedPolicy<'a>>],
    /// RCPs by level of the resource's account path, root first.
    pub rcp_levels: &'a [Vec<NamedPolicy<'a>>],
    /// The resource-based policy (a role's trust policy for `sts:AssumeRole*`).
    pub resource: Option<&'a NamedPolicy<'a>>,
    /// True when `resource` is a trust policy (for the trace).
    pub resource_is_trust: bool,
}

/// Services whose resources RCPs govern (AWS Organizations documentation, 2025).
pub const RCP_SERVICES: &[&str] = &[
    "s3",
    "sts",
    "kms",
    "sqs",
    "secretsmanager",
    "ecr",
    "aoss",
    "cognito-identity",
    "logs",
    "dynamodb",
];

#[derive(Debug, Default, Clone)]
pub(crate) struct LayerOut {
    deny: Tri,
    allow: Tri,
    /// Allow grants by how the Principal matched: Account, Role, Direct.
    grant: [Tri; 3],
    deny_keys: Vec<String>,
    allow_keys: Vec<String>,
}

impl LayerOut {
    /// Adds one statement's outcome (`keys`: its unknown keys).
    fn add(&mut self, st: &Statement, m: &StatementMatch, keys: &[String]) {
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
    fn merge(&mut self, other: &LayerOut, keys: bool) {
        self.deny = self.deny.or(other.deny);
        self.allow = self.allow.or(other.allow);
        for (g, o) in self.grant.iter_mut().zip(other.grant) {
            *g = g.or(o);
        }
        if keys {
            self.deny_keys.extend(other.deny_keys.iter().cloned());
            self.allow_keys.extend(other.allow_keys.iter().cloned());
        }
    }
}

/// What one document contributes to a given query, worked out once for every principal
/// (see [`QueryPlan`]).
#[derive(Debug, Clone)]
pub(crate) enum DocPlan {
    /// The same outcome for every principal: no statement that can match the action
    /// depends on the principal (no Principal element, no derived key consulted).
    Fixed(LayerOut),
    /// Some statements depend on the principal.
    Dynamic {
        /// The statements (document order) that can match the action; the others
        /// contribute nothing. Evaluated when the unknown keys are wanted (in order).
        relevant: Vec<u32>,
        /// The outcome of the relevant statements that do not depend on the principal
        /// (without keys)…
        fixed: LayerOut,
        /// …and those that do: the only ones to evaluate for a decision alone.
        dependent: Vec<u32>,
    },
}

impl DocPlan {
    /// Plans `doc` for a request with this action, resource and context.
    pub(crate) fn new(
        doc: &PolicyDocument,
        action: &ActionName,
        resource: &str,
        context: &Context,
    ) -> DocPlan {
        // The caller only matters to Principal elements, which make a statement dependent.
        let nobody = Caller::from_arn("", false);
        let input = StatementInput {
            action,
            resource,
            caller: &nobody,
            has_boundary: false,
        };
        let mut fixed = LayerOut::default();
        let mut relevant = Vec::new();
        let mut dependent = Vec::new();
        let mut unknown = Vec::new();
        for (i, st) in doc.statements.iter().enumerate() {
            if !st.action_matches(action) {
                continue;
            }
            relevant.push(i as u32);
            if st.principal.is_some() {
                dependent.push(i as u32);
                continue;
            }
            let keys = QueryKeys {
                context,
                principal_dependent: Cell::new(false),
            };
            unknown.clear();
            let m = st.evaluate(&input, &keys, &mut unknown);
            if keys.principal_dependent.get() {
                dependent.push(i as u32);
            } else {
                fixed.add(st, &m, &unknown);
            }
        }
        if dependent.is_empty() {
            DocPlan::Fixed(fixed)
        } else {
            fixed.deny_keys = Vec::new();
            fixed.allow_keys = Vec::new();
            DocPlan::Dynamic {
                relevant,
                fixed,
                dependent,
            }
        }
    }
}

/// Hashes a document's address (already unique; spread it over the bits).
#[derive(Default)]
pub(crate) struct AddrHasher(u64);

impl Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_usize(&mut self, n: usize) {
        let h = (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = h ^ (h >> 29);
    }
}

/// Per-query plans of the documents many principals share (managed policies, group
/// policies, SCPs, RCPs), keyed by document address. Used only without a trace.
#[derive(Debug, Default)]
pub(crate) struct QueryPlan {
    docs: HashMap<usize, DocPlan, BuildHasherDefault<AddrHasher>>,
}

impl QueryPlan {
    /// Plans every document of `docs` for this action, resource and context.
    pub(crate) fn new<'d>(
        docs: impl IntoIterator<Item = &'d PolicyDocument>,
        action: &ActionName,
        resource: &str,
        context: &Context,
    ) -> QueryPlan {
        let docs = docs
            .into_iter()
            .map(|d| (addr(d), DocPlan::new(d, action, resource, context)))
            .collect();
        QueryPlan { docs }
    }

    fn get(&self, doc: &PolicyDocument) -> Option<&DocPlan> {
        self.docs.get(&addr(doc))
    }
}

fn addr(doc: &PolicyDocument) -> usize {
    doc as *const PolicyDocument as usize
}

struct Walker<'r, 'a> {
    keys: RequestKeys<'r, 'a>,
    input: StatementInput<'r>,
    trace: Option<&'r mut Trace>,
    plan: Option<&'r QueryPlan>,
    /// Record unknown keys (with a trace, or when the decision is Conditional).
    keys_wanted: bool,
    /// The request's resource split into its ARN fields, once.
    split: OnceCell<Option<[&'r str; 6]>>,
    scratch: Vec<String>,
}

impl Walker<'_, '_> {
    fn layer(&mut self, layer: Layer, policies: &[NamedPolicy<'_>]) -> LayerOut {
        let mut out = LayerOut::default();
        for p in policies {
            let doc = match p.document {
                Ok(d) => d,
                Err(e) => {
                    if let Some(t) = self.trace.as_deref_mut() {
                        t.steps.push(step(
                            layer,
                            &p.name,
                            None,
                            None,
                            format!("invalid policy skipped: {e}"),
                        ));
                    }
                    continue;
                }
            };
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
                        for &i in run {
                            self.statement(&mut out, &doc.statements[i as usize]);
                        }
                    }
                    None => {
                        for st in &doc.statements {
                            self.statement(&mut out, st);
                        }
                    }
                }
                continue;
            };
            for (i, st) in doc.statements.iter().enumerate() {
                self.scratch.clear();
                let m = st.evaluate(&self.input, &self.keys, &mut self.scratch);
                out.add(st, &m, &self.scratch);
                let mut s = step(layer, &p.name, Some((i, st)), Some(&m), describe(st, &m));
                s.unknown_keys = self.scratch.clone();
                t.steps.push(s);
            }
        }
        out
    }

    /// Evaluates one statement into `out`, without a trace.
    fn statement(&mut self, out: &mut LayerOut, st: &Statement) {
        if !self.keys_wanted {
            let m = st.evaluate_into(&self.input, &self.split, &self.keys, &mut Unknowns(None));
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

    fn note(&mut self, layer: Layer, text: impl FnOnce() -> String) {
        if let Some(t) = self.trace.as_deref_mut() {
            t.note(layer, text());
        }
    }
}

fn step(
    layer: Layer,
    policy: &str,
    st: Option<(usize, &Statement)>,
    m: Option<&StatementMatch>,
    note: String,
) -> TraceStep {
    TraceStep {
        layer,
        policy: policy.to_string(),
        statement: st.map(|(i, _)| i),
        sid: st.and_then(|(_, s)| s.sid.clone()),
        effect: st.map(|(_, s)| s.effect),
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

/// Drops the keys that repeat an earlier one (key names are case-insensitive).
fn dedup_keys(keys: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(keys.len());
    if keys.len() > 16 {
        let mut seen = std::collections::HashSet::new();
        out.extend(keys.into_iter().filter(|k| seen.insert(k.to_lowercase())));
        return out;
    }
    let same = |a: &str, b: &str| {
        if a.is_ascii() && b.is_ascii() {
            a.eq_ignore_ascii_case(b)
        } else {
            a.to_lowercase() == b.to_lowercase()
        }
    };
    for k in keys {
        if !out.iter().any(|o| same(o, &k)) {
            out.push(k);
        }
    }
    out
}

fn verdict(t: Tri) -> &'static str {
    match t {
        Tri::True => "allows",
        Tri::False => "does not allow",
        Tri::Unknown => "may allow (unknown keys)",
    }
}

/// Decides one request over `set`, following AWS's policy evaluation logic; records
/// every step into `trace` when given.
pub fn evaluate(set: &PolicySet<'_>, req: &Request<'_>, trace: Option<&mut Trace>) -> Decision {
    evaluate_planned(set, req, trace, None)
}

/// [`evaluate`], reading the documents `plan` covers from it when there is no trace.
/// The plan must have been made for this request's action, resource and context.
pub(crate) fn evaluate_planned(
    set: &PolicySet<'_>,
    req: &Request<'_>,
    trace: Option<&mut Trace>,
    plan: Option<&QueryPlan>,
) -> Decision {
    if trace.is_some() {
        return decide(set, req, trace, plan, true);
    }
    // The decision does not depend on the unknown keys: leave them out, and only when
    // the decision turns out Conditional, decide again to list them.
    match decide(set, req, None, plan, false) {
        Decision::Conditional { .. } => decide(set, req, None, plan, true),
        d => d,
    }
}

fn decide(
    set: &PolicySet<'_>,
    req: &Request<'_>,
    trace: Option<&mut Trace>,
    plan: Option<&QueryPlan>,
    keys_wanted: bool,
) -> Decision {
    let facts = req.principal;
    let caller = &facts.caller;
    let iam = caller.is_iam();
    let input = StatementInput {
        action: req.action,
        resource: req.resource,
        caller,
        has_boundary: set.boundary.is_some(),
    };
    let mut w = Walker {
        keys: RequestKeys { request: req },
        input,
        trace,
        plan,
        keys_wanted,
        split: OnceCell::new(),
        scratch: Vec::new(),
    };
    let mut deny = Tri::False;
    let mut deny_keys: Vec<String> = Vec::new();
    let mut allow_keys: Vec<String> = Vec::new();
    let mut absorb = |out: &mut LayerOut, allow_matters: Tri, deny: &mut Tri| {
        *deny = deny.or(out.deny);
        deny_keys.append(&mut out.deny_keys);
        if allow_matters == Tri::Unknown {
            allow_keys.append(&mut out.allow_keys);
        }
    };

    // SCPs: every level of the principal's account path must allow.
    let mut scp_ok = Tri::True;
    if iam && !facts.service_linked && !set.scp_levels.is_empty() {
        for (i, level) in set.scp_levels.iter().enumerate() {
            let mut out = w.layer(Layer::Scp(i), level);
            scp_ok = scp_ok.and(out.allow);
            w.note(Layer::Scp(i), || {
                format!("level {i} {} the action", verdict(out.allow))
            });
            let a = out.allow;
            absorb(&mut out, a, &mut deny);
        }
    } else {
        w.note(Layer::Scp(0), || {
            if !iam {
                "SCPs do not apply: the caller is not an IAM principal".into()
            } else if facts.service_linked {
                "SCPs do not apply to service-linked roles".into()
            } else {
                "no SCPs (account not in an organization, or management account)".into()
            }
        });
    }

    // RCPs: every level of the resource's account path must allow.
    let mut rcp_ok = Tri::True;
    let rcp_applies = !set.rcp_levels.is_empty()
        && RCP_SERVICES.contains(&req.action.service())
        && caller.kind != CallerKind::Service
        && !facts.service_linked;
    if rcp_applies {
        for (i, level) in set.rcp_levels.iter().enumerate() {
            let mut out = w.layer(Layer::Rcp(i), level);
            rcp_ok = rcp_ok.and(out.allow);
            w.note(Layer::Rcp(i), || {
                format!("level {i} {} the action", verdict(out.allow))
            });
            let a = out.allow;
            absorb(&mut out, a, &mut deny);
        }
    } else if !set.rcp_levels.is_empty() {
        w.note(Layer::Rcp(0), || {
            "RCPs do not apply (unsupported service, service principal or service-linked role)"
                .into()
        });
    }

    // Resource-based policy (or trust policy).
    let rp_layer = if set.resource_is_trust {
        Layer::TrustPolicy
    } else {
        Layer::ResourcePolicy
    };
    let mut grant = [Tri::False; 3];
    let mut rp_out = match set.resource {
        Some(p) => {
            let out = w.layer(rp_layer, std::slice::from_ref(p));
            grant = out.grant;
            Some(out)
        }
        None => {
            w.note(rp_layer, || "no resource-based policy".into());
            None
        }
    };
    let [g_account, g_role, g_direct] = grant;

    // Identity, boundary, session.
    let mut id_out = if iam {
        Some(w.layer(Layer::Identity, set.identity))
    } else {
        None
    };
    let identity_allow = match (&id_out, caller.kind) {
        (_, CallerKind::Root) => Tri::True,
        (Some(o), _) => o.allow,
        (None, _) => Tri::False,
    };
    let mut b_out = match (iam, set.boundary) {
        (true, Some(b)) => Some(w.layer(Layer::Boundary, std::slice::from_ref(b))),
        _ => None,
    };
    let boundary_allow = b_out.as_ref().map_or(Tri::True, |o| o.allow);
    let mut s_out = if iam && !set.session.is_empty() {
        Some(w.layer(Layer::Session, set.session))
    } else {
        None
    };
    let session_allow = s_out.as_ref().map_or(Tri::True, |o| o.allow);
    let principal_side = identity_allow.and(boundary_allow).and(session_allow);

    let same_account = match (caller.account.as_deref(), req.resource_account()) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    let base = if !iam {
        g_direct.or(g_role)
    } else if same_account && set.resource_is_trust {
        // A role's trust policy is required even in its own account: naming the caller
        // grants, naming the account delegates to the caller's own policies, and
        // without either the identity side alone is not enough.
        g_direct
            .or(g_role.and(boundary_allow).and(session_allow))
            .or(g_account.and(principal_side))
    } else if same_account {
        g_direct
            .or(g_role.and(boundary_allow).and(session_allow))
            .or(principal_side)
    } else {
        principal_side.and(g_direct.or(g_role).or(g_account))
    };
    let allow = scp_ok.and(rcp_ok).and(base);

    if let Some(o) = rp_out.as_mut() {
        let matters = g_direct
            .or(g_role)
            .or(if same_account && !set.resource_is_trust {
                Tri::False
            } else {
                g_account
            });
        absorb(o, matters, &mut deny);
    }
    for o in [id_out.as_mut(), b_out.as_mut(), s_out.as_mut()]
        .into_iter()
        .flatten()
    {
        let a = o.allow;
        absorb(o, a, &mut deny);
    }

    w.note(Layer::Decision, || {
        let mut s = match deny {
            Tri::True => "an explicit Deny matches".to_string(),
            Tri::Unknown => "an explicit Deny may match (unknown keys)".to_string(),
            Tri::False => "no explicit Deny".to_string(),
        };
        if iam {
            s.push_str(&format!("; the identity side {}", verdict(identity_allow)));
            if set.boundary.is_some() {
                s.push_str(&format!(", the boundary {}", verdict(boundary_allow)));
            }
            if !set.session.is_empty() {
                s.push_str(&format!(", session policies {}", verdict(session_allow)));
            }
        }
        let named = [
            (g_direct, "the caller"),
            (g_role, "the caller's role"),
            (g_account, "the caller's account"),
        ]
        .into_iter()
        .filter(|(g, _)| *g != Tri::False)
        .map(|(g, who)| match g {
            Tri::Unknown => format!("may name {who}"),
            _ => format!("names {who}"),
        })
        .collect::<Vec<_>>();
        let policy = if set.resource_is_trust { "the trust policy" } else { "the resource policy" };
        s.push_str(&match (set.resource.is_some(), named.is_empty()) {
            (false, _) => "; no resource policy".to_string(),
            (true, true) => format!("; {policy} grants nothing to the caller"),
            (true, false) => format!("; {policy} {}", named.join(", ")),
        });
        s.push_str(if same_account && set.resource_is_trust {
            ". Same account, a role: its trust policy must name the caller, or name the account and the caller's own policies must allow"
        } else if same_account {
            ". Same account: the resource policy or the identity side suffices"
        } else {
            ". Cross-account: both the identity side and the resource policy must allow"
        });
        s
    });

    let decision = match (deny, allow) {
        (Tri::True, _) => Decision::ExplicitDeny,
        (_, Tri::False) => Decision::ImplicitDeny,
        (Tri::False, Tri::True) => Decision::Allow,
        _ => {
            let mut keys = Vec::new();
            if deny == Tri::Unknown {
                keys.append(&mut deny_keys);
            }
            if allow == Tri::Unknown {
                keys.append(&mut allow_keys);
            }
            Decision::Conditional {
                missing_keys: dedup_keys(keys),
            }
        }
    };
    w.note(Layer::Decision, || format!("=> {decision}"));
    decision
}
