//! Which layer and statement decided a request, read from the evaluator's trace.
//!
//! Nothing here re-evaluates: the decision and the trace are the evaluator's, and this
//! only points at the step that explains them (the matching Deny, the statement that
//! granted, the first layer with no Allow, the statement that depends on a missing key).

use serde::Serialize;

use crate::eval::{Decision, Layer, Trace, TraceStep};
use crate::policy::{Effect, PrincipalMatch, Tri};

/// The step of a trace that decided a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deciding {
    /// The layer that decided.
    pub layer: Layer,
    /// The deciding policy's name as the trace shows it (empty for an implicit deny:
    /// no statement decides it, the layer's lack of an Allow does).
    pub policy: String,
    /// The statement's index in its policy.
    pub statement: Option<usize>,
    /// The statement's Sid.
    pub sid: Option<String>,
    /// Index of the step in the trace, when one step decided.
    pub step: Option<usize>,
    /// The explanation in plain words.
    pub summary: String,
}

/// What the trace shows about the request beyond the deciding step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TraceFacts {
    /// An Allow statement matched in the identity, resource, trust or key policy.
    pub some_grant: bool,
    /// An Allow matched in the identity-based policies.
    pub identity_grant: bool,
    /// A resource, trust or key policy Allow matched naming the caller or its role.
    pub resource_grant_direct: bool,
}

fn is_resource_layer(l: Layer) -> bool {
    matches!(
        l,
        Layer::ResourcePolicy | Layer::TrustPolicy | Layer::KeyPolicy
    )
}

fn allow_match(s: &TraceStep) -> bool {
    s.effect == Some(Effect::Allow) && s.matched == Some(Tri::True)
}

/// The grants the trace shows.
pub fn trace_facts(trace: &Trace) -> TraceFacts {
    let mut f = TraceFacts::default();
    for s in trace.steps.iter().filter(|s| allow_match(s)) {
        if s.layer == Layer::Identity {
            f.identity_grant = true;
            f.some_grant = true;
        } else if is_resource_layer(s.layer) {
            f.some_grant = true;
            if matches!(
                s.principal_match,
                Some(PrincipalMatch::Direct | PrincipalMatch::Role)
            ) {
                f.resource_grant_direct = true;
            }
        }
    }
    f
}

fn from_step(i: usize, s: &TraceStep, summary: String) -> Deciding {
    Deciding {
        layer: s.layer,
        policy: s.policy.clone(),
        statement: s.statement,
        sid: s.sid.clone(),
        step: Some(i),
        summary,
    }
}

fn statement_name(s: &TraceStep) -> String {
    let mut out = s.policy.clone();
    if let Some(i) = s.statement {
        // Counted from 1, as the trace and the details pane number statements.
        out.push_str(&format!(" #{}", i + 1));
    }
    if let Some(sid) = &s.sid {
        out.push_str(&format!(" ({sid})"));
    }
    out
}

/// A layer in words, as a sentence names it.
pub fn layer_words(l: Layer) -> String {
    match l {
        Layer::Scp(n) => format!("SCPs at level {n} of the principal's organization path"),
        Layer::Rcp(n) => format!("RCPs at level {n} of the resource's organization path"),
        Layer::ResourcePolicy => "resource-based policy".into(),
        Layer::TrustPolicy => "role's trust policy".into(),
        Layer::KeyPolicy => "KMS key policy".into(),
        Layer::Identity => "identity-based policies".into(),
        Layer::Boundary => "permissions boundary".into(),
        Layer::Session => "session policies".into(),
        Layer::ServiceRule => "service's own rules".into(),
        Layer::Decision => "final decision".into(),
    }
}

fn layer_only(layer: Layer, summary: String) -> Deciding {
    Deciding {
        layer,
        policy: String::new(),
        statement: None,
        sid: None,
        step: None,
        summary,
    }
}

/// The layers a trace looked at, in trace order, each once (the final `decision`
/// layer left out): the choices for "which layer decided?".
pub fn layers_of(trace: &Trace) -> Vec<Layer> {
    let mut out: Vec<Layer> = Vec::new();
    for s in &trace.steps {
        if s.layer != Layer::Decision && !out.contains(&s.layer) {
            out.push(s.layer);
        }
    }
    out
}

/// The step of `trace` that decided `decision`.
pub fn deciding_step(decision: &Decision, trace: &Trace) -> Deciding {
    let steps = &trace.steps;
    let find = |p: &dyn Fn(&TraceStep) -> bool| steps.iter().enumerate().find(|(_, s)| p(s));
    if let Some((i, s)) = find(&|s| s.layer == Layer::ServiceRule) {
        return from_step(i, s, s.note.clone());
    }
    match decision {
        Decision::ExplicitDeny => {
            match find(&|s| s.effect == Some(Effect::Deny) && s.matched == Some(Tri::True)) {
                Some((i, s)) => from_step(
                    i,
                    s,
                    format!(
                        "the Deny {} in the {} matches, and an explicit Deny wins over every Allow",
                        statement_name(s),
                        layer_words(s.layer)
                    ),
                ),
                None => layer_only(Layer::Decision, "an explicit Deny matches".into()),
            }
        }
        Decision::Conditional { .. } => match find(&|s| s.matched == Some(Tri::Unknown)) {
            Some((i, s)) => {
                let keys = if s.unknown_keys.is_empty() {
                    "what the request leaves unknown".to_string()
                } else {
                    s.unknown_keys.join(", ")
                };
                let effect = match s.effect {
                    Some(Effect::Deny) => "Deny",
                    _ => "Allow",
                };
                from_step(
                        i,
                        s,
                        format!(
                            "the {effect} {} in the {} depends on {keys}, which the request does not give",
                            statement_name(s),
                            layer_words(s.layer)
                        ),
                    )
            }
            None => layer_only(
                Layer::Decision,
                format!(
                    "cannot be decided from the bundle: {}",
                    decision.reasons().join("; ")
                ),
            ),
        },
        Decision::Allow => {
            let grant = |layer_ok: &dyn Fn(Layer) -> bool| {
                find(&|s: &TraceStep| layer_ok(s.layer) && allow_match(s))
            };
            let required = grant(&|l| matches!(l, Layer::TrustPolicy | Layer::KeyPolicy));
            let identity = grant(&|l| l == Layer::Identity);
            let resource = grant(&|l| l == Layer::ResourcePolicy);
            match required.or(identity).or(resource) {
                Some((i, s)) => {
                    let how = match (s.layer, identity.is_some()) {
                        (Layer::ResourcePolicy, false) => {
                            ", without any Allow in the identity-based policies"
                        }
                        _ => "",
                    };
                    from_step(
                        i,
                        s,
                        format!(
                            "the Allow {} in the {} grants it{how}, and nothing denies",
                            statement_name(s),
                            layer_words(s.layer)
                        ),
                    )
                }
                None => layer_only(
                    Layer::Decision,
                    "allowed; no statement grants it in the trace".into(),
                ),
            }
        }
        Decision::ImplicitDeny => implicit_deny(steps),
    }
}

/// The first layer, in AWS's order, that had to allow and did not.
fn implicit_deny(steps: &[TraceStep]) -> Deciding {
    let has_statements = |l: Layer| steps.iter().any(|s| s.layer == l && s.statement.is_some());
    let allows = |l: Layer| steps.iter().any(|s| s.layer == l && allow_match(s));
    let mut levels: Vec<Layer> = Vec::new();
    for s in steps {
        if matches!(s.layer, Layer::Scp(_) | Layer::Rcp(_)) && !levels.contains(&s.layer) {
            levels.push(s.layer);
        }
    }
    for l in levels {
        if has_statements(l) && !allows(l) {
            return layer_only(
                l,
                format!(
                    "no policy in the {} allows the action, and every level must allow",
                    layer_words(l)
                ),
            );
        }
    }
    let facts = trace_facts(&Trace {
        steps: steps.to_vec(),
    });
    for l in [Layer::TrustPolicy, Layer::KeyPolicy] {
        if has_statements(l) && !allows(l) {
            return layer_only(
                l,
                format!(
                    "the {} does not allow this caller, and it must",
                    layer_words(l)
                ),
            );
        }
    }
    if !facts.identity_grant && !facts.resource_grant_direct {
        return layer_only(
            Layer::Identity,
            "no identity-based policy allows it (and no resource policy grants it to the caller): implicit deny".into(),
        );
    }
    for l in [Layer::Boundary, Layer::Session] {
        if has_statements(l) && !allows(l) {
            return layer_only(
                l,
                format!(
                    "the {} does not allow it, so the identity-based grant has no effect",
                    layer_words(l)
                ),
            );
        }
    }
    if facts.identity_grant && !facts.resource_grant_direct {
        return layer_only(
            Layer::ResourcePolicy,
            "cross-account: the identity side allows, but no resource-based policy of the resource's account allows this caller".into(),
        );
    }
    layer_only(
        Layer::Decision,
        "no layer that must allow it allows it".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(layer: Layer, policy: &str, effect: Effect, matched: Tri) -> TraceStep {
        TraceStep {
            layer,
            policy: policy.into(),
            statement: Some(0),
            sid: Some("S".into()),
            effect: Some(effect),
            matched: Some(matched),
            principal_match: None,
            unknown_keys: if matched == Tri::Unknown {
                vec!["aws:SourceIp".into()]
            } else {
                Vec::new()
            },
            note: String::new(),
        }
    }

    fn trace(steps: Vec<TraceStep>) -> Trace {
        Trace { steps }
    }

    #[test]
    fn explicit_deny_points_at_the_matching_deny_not_the_allow() {
        let t = trace(vec![
            step(Layer::Identity, "allow", Effect::Allow, Tri::True),
            step(Layer::Identity, "deny", Effect::Deny, Tri::True),
        ]);
        let d = deciding_step(&Decision::ExplicitDeny, &t);
        assert_eq!(
            (d.layer, d.policy.as_str(), d.step),
            (Layer::Identity, "deny", Some(1))
        );
        assert!(trace_facts(&t).identity_grant);
    }

    #[test]
    fn implicit_deny_names_the_first_layer_that_did_not_allow() {
        let boundary_cut = trace(vec![
            step(Layer::Scp(0), "FullAWSAccess", Effect::Allow, Tri::True),
            step(Layer::Identity, "grant", Effect::Allow, Tri::True),
            step(Layer::Boundary, "b", Effect::Allow, Tri::False),
        ]);
        let d = deciding_step(&Decision::ImplicitDeny, &boundary_cut);
        assert_eq!(d.layer, Layer::Boundary);
        assert_eq!(d.statement, None);

        let scp_level = trace(vec![
            step(Layer::Scp(0), "FullAWSAccess", Effect::Allow, Tri::True),
            step(Layer::Scp(1), "OnlyS3", Effect::Allow, Tri::False),
            step(Layer::Identity, "grant", Effect::Allow, Tri::True),
        ]);
        assert_eq!(
            deciding_step(&Decision::ImplicitDeny, &scp_level).layer,
            Layer::Scp(1)
        );

        let nothing = trace(vec![step(Layer::Identity, "x", Effect::Allow, Tri::False)]);
        assert_eq!(
            deciding_step(&Decision::ImplicitDeny, &nothing).layer,
            Layer::Identity
        );
    }

    #[test]
    fn allow_prefers_a_trust_policy_then_identity_then_resource_policy() {
        let mut rp = step(Layer::ResourcePolicy, "bucket", Effect::Allow, Tri::True);
        rp.principal_match = Some(PrincipalMatch::Direct);
        let alone = trace(vec![rp.clone()]);
        let d = deciding_step(&Decision::Allow, &alone);
        assert_eq!(d.layer, Layer::ResourcePolicy);
        assert!(d
            .summary
            .contains("without any Allow in the identity-based policies"));
        let both = trace(vec![
            rp,
            step(Layer::Identity, "id", Effect::Allow, Tri::True),
        ]);
        assert_eq!(
            deciding_step(&Decision::Allow, &both).layer,
            Layer::Identity
        );
    }

    #[test]
    fn conditional_points_at_the_statement_on_the_missing_key() {
        let t = trace(vec![
            step(Layer::Identity, "grant", Effect::Allow, Tri::True),
            step(Layer::Identity, "ip", Effect::Deny, Tri::Unknown),
        ]);
        let d = deciding_step(&Decision::conditional_on(vec!["aws:SourceIp".into()]), &t);
        assert_eq!(d.policy, "ip");
        assert!(d.summary.contains("aws:SourceIp"));
        assert_eq!(layers_of(&t), vec![Layer::Identity]);
    }
}
