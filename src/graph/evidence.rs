//! Evidence: the statements that allowed an edge's requests, found by replaying them
//! with a trace (edges keep only the requests, so building the graph stays cheap).

use crate::eval::{Context, Decision, Engine, Layer, Query, Trace};
use crate::policy::{Effect, Tri};

use super::admin::ADMIN_PROBES;
use super::edge::{Edge, Evidence, Proof, ProofContext};
use super::Graph;

impl Proof {
    /// The request this proof stands for.
    pub fn query(&self) -> Query {
        let mut context = Context::new(false);
        match &self.context {
            ProofContext::Unknown => {}
            ProofContext::PassedToService(s) => {
                context.set("iam:PassedToService", vec![s.to_string()])
            }
            ProofContext::PolicyArn(arn) => context.set("iam:PolicyARN", vec![arn.to_string()]),
        }
        Query::new(self.action, &self.resource).with_context(context)
    }
}

impl Graph {
    /// Replays one request of node `from` with a trace.
    pub fn replay(&self, engine: &Engine<'_>, from: usize, proof: &Proof) -> (Decision, Trace) {
        let query = proof.query();
        match (proof.caller.as_deref(), self.principal(from)) {
            (None, Some(who)) => engine.explain(who, &query),
            (caller, _) => {
                let mut trace = Trace::default();
                let caller = caller
                    .map(str::to_string)
                    .unwrap_or_else(|| self.nodes[from].caller_arn(engine.account()));
                let decision = engine.decide_outside(&caller, &query, Some(&mut trace));
                (decision, trace)
            }
        }
    }

    /// The evidence of an edge: for each of its requests, the statements that allowed it.
    pub fn evidence(&self, engine: &Engine<'_>, edge: &Edge) -> Vec<Evidence> {
        edge.proofs
            .iter()
            .map(|p| {
                let (decision, trace) = self.replay(engine, edge.from, p);
                let mut evidence = from_trace(p.action, &p.resource, &decision, &trace);
                evidence.conditions = trust_conditions(engine, &trace);
                evidence
            })
            .collect()
    }

    /// Why a node counts as an administrator: the probe requests and what allowed them.
    pub fn admin_evidence(&self, engine: &Engine<'_>, node: usize) -> Vec<Evidence> {
        let Some(who) = self.principal(node) else {
            return Vec::new();
        };
        ADMIN_PROBES
            .iter()
            .map(|a| {
                let (d, t) =
                    engine.explain(who, &Query::new(a, "*").with_context(Context::new(false)));
                from_trace(a, "*", &d, &t)
            })
            .collect()
    }
}

/// The conditions of the trust-policy statements that allowed a request, as text.
fn trust_conditions(engine: &Engine<'_>, trace: &Trace) -> Vec<String> {
    let account = engine.account();
    trace
        .steps
        .iter()
        .filter(|s| {
            s.layer == Layer::TrustPolicy
                && s.effect == Some(Effect::Allow)
                && matches!(s.matched, Some(Tri::True | Tri::Unknown))
        })
        .filter_map(|s| {
            let role = s.policy.strip_prefix("role/")?.strip_suffix(":trust")?;
            let doc = account
                .role(account.role_named(role)?)
                .trust_policy
                .document()?;
            Some(doc.statements.get(s.statement?)?.conditions.iter())
        })
        .flatten()
        .map(|c| {
            format!(
                "{} {} = {}",
                c.operator.name,
                c.key,
                c.raw_values().join(" | ")
            )
        })
        .collect()
}

/// The evidence of one allowed (or conditionally allowed) request.
pub fn from_trace(action: &str, resource: &str, decision: &Decision, trace: &Trace) -> Evidence {
    let mut statements: Vec<String> = trace
        .steps
        .iter()
        .filter(|s| {
            s.effect == Some(Effect::Allow)
                && matches!(s.matched, Some(Tri::True | Tri::Unknown))
                && matches!(
                    s.layer,
                    Layer::Identity | Layer::TrustPolicy | Layer::KeyPolicy | Layer::ResourcePolicy
                )
                // The stand-in for an outside caller's own account is no evidence.
                && !s.policy.starts_with("(assumed")
        })
        .map(|s| statement_label(&s.policy, s.statement, s.sid.as_deref()))
        .collect();
    // The same statement can be looked at twice (a re-run for unknown keys).
    let mut seen = std::collections::HashSet::new();
    statements.retain(|s| seen.insert(s.clone()));
    Evidence {
        action: action.to_string(),
        resource: resource.to_string(),
        decision: decision.name().to_string(),
        statements,
        conditions: Vec::new(),
    }
}

/// `PolicyName/Sid` (or `PolicyName#n` without a Sid, `n` counting from 1 as the
/// details pane and traces do). Managed policies are named
/// by the last part of their ARN, inline policies by their own name, trust policies
/// `trust:ROLE`.
pub fn statement_label(policy: &str, index: Option<usize>, sid: Option<&str>) -> String {
    let name = if let Some(role) = policy
        .strip_prefix("role/")
        .and_then(|r| r.strip_suffix(":trust"))
    {
        format!("trust:{role}")
    } else if policy.starts_with("arn:") {
        policy.rsplit('/').next().unwrap_or(policy).to_string()
    } else if let Some((_, inline)) = policy.split_once(':') {
        inline.to_string()
    } else {
        policy.to_string()
    };
    match (sid, index) {
        (Some(sid), _) => format!("{name}/{sid}"),
        (None, Some(i)) => format!("{name}#{}", i + 1),
        (None, None) => name,
    }
}

#[cfg(test)]
mod tests {
    use super::statement_label;

    #[test]
    fn labels() {
        assert_eq!(
            statement_label("arn:aws:iam::1:policy/team/EC2Launch", Some(0), Some("Run")),
            "EC2Launch/Run"
        );
        assert_eq!(
            statement_label("user/bob:inline-1", Some(2), None),
            "inline-1#3"
        );
        assert_eq!(
            statement_label("role/dvia-admin:trust", Some(0), Some("T")),
            "trust:dvia-admin/T"
        );
        assert_eq!(statement_label("s3:bucket", Some(1), Some("S")), "bucket/S");
    }
}
