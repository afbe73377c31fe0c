//! The decision for one request over an explicit set of policies: AWS's flow, step by step.

mod layer;
mod plan;

use std::borrow::Cow;
use std::cell::OnceCell;

use crate::model::PolicySource;
use crate::policy::{CallerKind, PolicyDocument, PolicyError, StatementInput, Tri};

use super::decision::{Decision, Layer, Trace};
use super::request::{Request, RequestKeys};
use super::service_rules::service_rule;
use layer::{LayerOut, Walker};
pub(crate) use plan::QueryPlan;

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
        NamedPolicy::from_result(name, source.parsed())
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

/// How a resource-based policy counts for a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResourceRule {
    /// An ordinary resource policy: in the same account, it or the identity side suffices.
    #[default]
    Optional,
    /// A role's trust policy (`sts:AssumeRole*`): it must allow, even in the same account.
    Trust,
    /// A KMS key policy: it must allow; identity policies count only when it allows the
    /// account ("Key policies in AWS KMS").
    KeyPolicy,
}

impl ResourceRule {
    /// True for the policies that must allow whatever the identity side says.
    pub fn required(self) -> bool {
        self != ResourceRule::Optional
    }

    fn layer(self) -> Layer {
        match self {
            ResourceRule::Optional => Layer::ResourcePolicy,
            ResourceRule::Trust => Layer::TrustPolicy,
            ResourceRule::KeyPolicy => Layer::KeyPolicy,
        }
    }

    fn name(self) -> &'static str {
        match self {
            ResourceRule::Optional => "the resource policy",
            ResourceRule::Trust => "the trust policy",
            ResourceRule::KeyPolicy => "the key policy",
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
    /// organization.
    pub scp_levels: &'a [Vec<NamedPolicy<'a>>],
    /// RCPs by level of the resource's account path, root first.
    pub rcp_levels: &'a [Vec<NamedPolicy<'a>>],
    /// The resource-based policy (a role's trust policy for `sts:AssumeRole*`, a key
    /// policy for KMS keys).
    pub resource: Option<&'a NamedPolicy<'a>>,
    /// How `resource` counts.
    pub resource_rule: ResourceRule,
    /// Why the resource-based policy is unknown, when it is (a resource outside the
    /// bundle, a key policy that was not exported): it may grant and it may deny.
    pub resource_unknown: Option<&'a str>,
    /// Why the caller's own side is unknown, when it is (a principal outside the
    /// bundle): its identity policies, boundary and SCPs may or may not allow.
    pub identity_unknown: Option<&'a str>,
    /// The principal's account is its organization's management account: SCPs never
    /// apply to it.
    pub principal_is_management: bool,
    /// The resource's account is the management account: RCPs never apply to it.
    pub resource_is_management: bool,
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

/// The unknowns of one decision, gathered from its layers: whether a Deny may match,
/// and the keys and reasons that would settle it.
#[derive(Default)]
struct Pending {
    deny: Tri,
    deny_keys: Vec<String>,
    allow_keys: Vec<String>,
    deny_reasons: Vec<String>,
    allow_reasons: Vec<String>,
}

impl Pending {
    /// Takes a layer's denies, and its unknowns when its Allow matters (`allow_matters`
    /// Unknown).
    fn absorb(&mut self, out: &mut LayerOut, allow_matters: Tri) {
        self.deny = self.deny.or(out.deny);
        self.deny_keys.append(&mut out.deny_keys);
        self.deny_reasons.append(&mut out.deny_reasons);
        if allow_matters == Tri::Unknown {
            self.allow_keys.append(&mut out.allow_keys);
            self.allow_reasons.append(&mut out.allow_reasons);
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

/// What the caller's side of one request says, layer by layer, before the layers are
/// combined: SCPs, identity policies, boundary, session policies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct CallerOut {
    /// Each SCP level, root first; `None` when SCPs do not apply.
    scp: Option<Vec<LayerOut>>,
    identity: Option<LayerOut>,
    boundary: Option<LayerOut>,
    session: Option<LayerOut>,
}

/// What the resource's side of one request says: RCPs and its resource-based policy
/// (a role's trust policy).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct ResourceOut {
    /// Each RCP level, root first; `None` when RCPs do not apply.
    rcp: Option<Vec<LayerOut>>,
    policy: Option<LayerOut>,
}

fn walker<'r, 'a>(
    set: &PolicySet<'_>,
    req: &'r Request<'a>,
    trace: Option<&'r mut Trace>,
    plan: Option<&'r QueryPlan>,
    keys_wanted: bool,
) -> Walker<'r, 'a> {
    Walker {
        keys: RequestKeys { request: req },
        input: StatementInput {
            action: req.action,
            resource: req.resource,
            caller: &req.principal.caller,
            has_boundary: set.boundary.is_some(),
        },
        trace,
        plan,
        keys_wanted,
        split: OnceCell::new(),
        scratch: Vec::new(),
    }
}

/// The caller's side of a request alone (unknown keys listed), for
/// [`decide_from_sides`]: equal outcomes combine into equal decisions.
pub(crate) fn caller_out(set: &PolicySet<'_>, req: &Request<'_>) -> CallerOut {
    let mut w = walker(set, req, None, None, true);
    let scp = scp_layers(&mut w, set, req);
    let (identity, boundary, session) = principal_layers(&mut w, set, req);
    CallerOut {
        scp,
        identity,
        boundary,
        session,
    }
}

/// The resource's side of a request alone (unknown keys listed), for
/// [`decide_from_sides`].
pub(crate) fn resource_out(set: &PolicySet<'_>, req: &Request<'_>) -> ResourceOut {
    let mut w = walker(set, req, None, None, true);
    let rcp = rcp_layers(&mut w, set, req);
    let policy = resource_layer(&mut w, set);
    ResourceOut { rcp, policy }
}

/// The decision on `req` from its two sides, worked out separately (possibly for
/// other requests whose sides came out equal): exactly [`evaluate`]'s decision when
/// the sides are `req`'s own.
pub(crate) fn decide_from_sides(
    set: &PolicySet<'_>,
    req: &Request<'_>,
    caller: &CallerOut,
    resource: &ResourceOut,
) -> Decision {
    if let Some(rule) = service_rule(req) {
        return rule.decision;
    }
    let mut w = walker(set, req, None, None, true);
    combine(&mut w, set, req, caller.clone(), resource.clone())
}

fn decide(
    set: &PolicySet<'_>,
    req: &Request<'_>,
    trace: Option<&mut Trace>,
    plan: Option<&QueryPlan>,
    keys_wanted: bool,
) -> Decision {
    let mut w = walker(set, req, trace, plan, keys_wanted);
    if let Some(rule) = service_rule(req) {
        w.note(Layer::ServiceRule, || rule.note.to_string());
        w.note(Layer::Decision, || format!("=> {}", rule.decision));
        return rule.decision;
    }
    // AWS's order: SCPs, RCPs, the resource-based policy, then the caller's own side.
    let scp = scp_layers(&mut w, set, req);
    let rcp = rcp_layers(&mut w, set, req);
    let policy = resource_layer(&mut w, set);
    let (identity, boundary, session) = principal_layers(&mut w, set, req);
    let caller = CallerOut {
        scp,
        identity,
        boundary,
        session,
    };
    combine(&mut w, set, req, caller, ResourceOut { rcp, policy })
}

/// SCPs: every level of the principal's account path must allow.
fn scp_layers(
    w: &mut Walker<'_, '_>,
    set: &PolicySet<'_>,
    req: &Request<'_>,
) -> Option<Vec<LayerOut>> {
    let facts = req.principal;
    let iam = facts.caller.is_iam();
    let scp_applies =
        iam && !facts.service_linked && !set.scp_levels.is_empty() && !set.principal_is_management;
    if scp_applies {
        let mut outs = Vec::with_capacity(set.scp_levels.len());
        for (i, level) in set.scp_levels.iter().enumerate() {
            let out = w.layer(Layer::Scp(i), level);
            w.note(Layer::Scp(i), || {
                format!("level {i} {} the action", verdict(out.allow))
            });
            outs.push(out);
        }
        return Some(outs);
    }
    w.note(Layer::Scp(0), || {
        if !iam {
            "SCPs do not apply: the caller is not an IAM principal".into()
        } else if facts.service_linked {
            "SCPs do not apply to service-linked roles".into()
        } else if set.principal_is_management {
            "SCPs never apply to the organization's management account".into()
        } else {
            "no SCPs (account not in an organization, or outside the bundle)".into()
        }
    });
    None
}

/// RCPs: every level of the resource's account path must allow. They apply to AWS
/// service principals too (confused-deputy RCPs); only service-linked roles are exempt.
fn rcp_layers(
    w: &mut Walker<'_, '_>,
    set: &PolicySet<'_>,
    req: &Request<'_>,
) -> Option<Vec<LayerOut>> {
    let rcp_applies = !set.rcp_levels.is_empty()
        && RCP_SERVICES.contains(&req.action.service())
        && !req.principal.service_linked
        && !set.resource_is_management;
    if rcp_applies {
        let mut outs = Vec::with_capacity(set.rcp_levels.len());
        for (i, level) in set.rcp_levels.iter().enumerate() {
            let out = w.layer(Layer::Rcp(i), level);
            w.note(Layer::Rcp(i), || {
                format!("level {i} {} the action", verdict(out.allow))
            });
            outs.push(out);
        }
        return Some(outs);
    }
    if !set.rcp_levels.is_empty() {
        w.note(Layer::Rcp(0), || {
            if set.resource_is_management {
                "RCPs never apply to resources of the organization's management account".into()
            } else {
                "RCPs do not apply (unsupported service, or a service-linked role)".into()
            }
        });
    }
    None
}

/// The resource-based policy (trust policy, key policy).
fn resource_layer(w: &mut Walker<'_, '_>, set: &PolicySet<'_>) -> Option<LayerOut> {
    let rp_layer = set.resource_rule.layer();
    match (set.resource, set.resource_unknown) {
        (Some(p), _) => Some(w.layer(rp_layer, std::slice::from_ref(p))),
        (None, Some(why)) => {
            w.note(rp_layer, || format!("{why}: it may grant and it may deny"));
            Some(LayerOut {
                deny: Tri::Unknown,
                allow: Tri::Unknown,
                grant: [Tri::Unknown; 3],
                deny_reasons: vec![why.to_string()],
                allow_reasons: vec![why.to_string()],
                ..LayerOut::default()
            })
        }
        (None, None) => {
            w.note(rp_layer, || "no resource-based policy".into());
            None
        }
    }
}

/// Identity, boundary, session: the caller's side.
fn principal_layers(
    w: &mut Walker<'_, '_>,
    set: &PolicySet<'_>,
    req: &Request<'_>,
) -> (Option<LayerOut>, Option<LayerOut>, Option<LayerOut>) {
    let caller = &req.principal.caller;
    let iam = caller.is_iam();
    let own_side_known = set.identity_unknown.is_none();
    let id_out = match set.identity_unknown {
        _ if !iam => None,
        Some(why) => {
            w.note(Layer::Identity, || why.to_string());
            Some(LayerOut {
                allow: Tri::Unknown,
                allow_reasons: vec![why.to_string()],
                ..LayerOut::default()
            })
        }
        None => Some(w.layer(Layer::Identity, set.identity)),
    };
    let b_out = match (iam && own_side_known, set.boundary) {
        (true, Some(b)) => Some(w.layer(Layer::Boundary, std::slice::from_ref(b))),
        _ => None,
    };
    let s_out = if iam && !set.session.is_empty() {
        Some(w.layer(Layer::Session, set.session))
    } else {
        None
    };
    if s_out.is_none() && caller.kind == CallerKind::FederatedUser {
        // GetFederationToken without a session policy: the session has no permissions
        // but what resource policies grant its federated-user ARN.
        w.note(Layer::Session, || {
            "a federated user session created without a session policy has no \
             permissions of its own; only resource policies naming its ARN grant \
             (IAM User Guide, \"Permissions for GetFederationToken\")"
                .into()
        });
    }
    (id_out, b_out, s_out)
}

/// AWS's decision from the outcomes of every layer of `req`.
fn combine(
    w: &mut Walker<'_, '_>,
    set: &PolicySet<'_>,
    req: &Request<'_>,
    caller_side: CallerOut,
    resource_side: ResourceOut,
) -> Decision {
    let facts = req.principal;
    let caller = &facts.caller;
    let iam = caller.is_iam();
    let CallerOut {
        scp,
        identity: mut id_out,
        boundary: mut b_out,
        session: mut s_out,
    } = caller_side;
    let ResourceOut {
        rcp,
        policy: mut rp_out,
    } = resource_side;
    let mut pending = Pending::default();
    let mut scp_ok = Tri::True;
    for mut out in scp.into_iter().flatten() {
        scp_ok = scp_ok.and(out.allow);
        let a = out.allow;
        pending.absorb(&mut out, a);
    }
    let mut rcp_ok = Tri::True;
    for mut out in rcp.into_iter().flatten() {
        rcp_ok = rcp_ok.and(out.allow);
        let a = out.allow;
        pending.absorb(&mut out, a);
    }
    let rule = set.resource_rule;
    let [g_account, g_role, g_direct] = rp_out.as_ref().map_or([Tri::False; 3], |o| o.grant);

    let own_side_known = set.identity_unknown.is_none();
    let identity_allow = match (&id_out, caller.kind) {
        (Some(o), _) if !own_side_known => o.allow,
        (_, CallerKind::Root) => Tri::True,
        (Some(o), _) => o.allow,
        (None, _) => Tri::False,
    };
    let boundary_allow = b_out.as_ref().map_or(Tri::True, |o| o.allow);
    let federated_user = caller.kind == CallerKind::FederatedUser;
    let session_allow = match &s_out {
        Some(o) => o.allow,
        None if federated_user => Tri::False,
        None => Tri::True,
    };
    let principal_side = identity_allow.and(boundary_allow).and(session_allow);

    let same_account = match (caller.account.as_deref(), req.resource_account()) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    let base = if !iam {
        g_direct.or(g_role)
    } else if same_account && rule.required() {
        // A trust or key policy must allow even in its own account: naming the caller
        // grants (a user's boundary must still allow assuming a role), naming the
        // account delegates to the caller's own policies.
        let named = if rule == ResourceRule::Trust && caller.kind == CallerKind::User {
            g_direct.and(boundary_allow)
        } else {
            g_direct
        };
        named
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
        let delegation_matters = !same_account || rule.required();
        let matters = g_direct.or(g_role).or(if delegation_matters {
            g_account
        } else {
            Tri::False
        });
        pending.absorb(o, matters);
    }
    for o in [id_out.as_mut(), b_out.as_mut(), s_out.as_mut()]
        .into_iter()
        .flatten()
    {
        let a = o.allow;
        pending.absorb(o, a);
    }

    w.note(Layer::Decision, || {
        let mut s = match pending.deny {
            Tri::True => "an explicit Deny matches".to_string(),
            Tri::Unknown => format!(
                "an explicit Deny may match ({})",
                match (pending.deny_keys.is_empty(), pending.deny_reasons.is_empty()) {
                    (false, true) => "unknown keys",
                    (true, false) => "what the bundle cannot show",
                    _ => "unknown keys, and what the bundle cannot show",
                }
            ),
            Tri::False => "no explicit Deny".to_string(),
        };
        if iam {
            s.push_str(&format!("; the identity side {}", verdict(identity_allow)));
            if set.boundary.is_some() {
                s.push_str(&format!(", the boundary {}", verdict(boundary_allow)));
            }
            if !set.session.is_empty() || federated_user {
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
        let policy = rule.name();
        s.push_str(&match (rp_out.is_some(), named.is_empty()) {
            (false, _) => "; no resource policy".to_string(),
            (true, true) => format!("; {policy} grants nothing to the caller"),
            (true, false) => format!("; {policy} {}", named.join(", ")),
        });
        s.push_str(match (same_account, rule) {
            (true, ResourceRule::Trust) => ". Same account, a role: its trust policy must name the caller, or name the account and the caller's own policies must allow",
            (true, ResourceRule::KeyPolicy) => ". A KMS key: its key policy must name the caller, or name the account and the caller's own policies must allow",
            (true, ResourceRule::Optional) => ". Same account: the resource policy or the identity side suffices",
            (false, _) => ". Cross-account: both the identity side and the resource policy must allow",
        });
        s
    });

    let decision = match (pending.deny, allow) {
        (Tri::True, _) => Decision::ExplicitDeny,
        (_, Tri::False) => Decision::ImplicitDeny,
        (Tri::False, Tri::True) => Decision::Allow,
        _ => {
            let mut keys = Vec::new();
            let mut reasons = Vec::new();
            if pending.deny == Tri::Unknown {
                keys.append(&mut pending.deny_keys);
                reasons.append(&mut pending.deny_reasons);
            }
            if allow == Tri::Unknown {
                keys.append(&mut pending.allow_keys);
                reasons.append(&mut pending.allow_reasons);
            }
            let mut seen = std::collections::HashSet::new();
            reasons.retain(|r| seen.insert(r.clone()));
            Decision::Conditional {
                missing_keys: dedup_keys(keys),
                reasons,
            }
        }
    };
    w.note(Layer::Decision, || format!("=> {decision}"));
    decision
}
