//! One principal's decision explained: the decision, the statements that decided it
//! and the evaluator's trace, line by line. The TUI's trace panels and "can" mode
//! show this; `iamscope can --json` prints the same statements.

use serde::Serialize;

use super::resolve::{resolve_caller, ResolvedCaller, UnknownPrincipal};
use crate::eval::{Decision, Engine, Layer, Query, Trace};
use crate::graph::{statement_label, ANYONE_ARN};
use crate::policy::{Effect, Tri};

/// One principal's decision, explained.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Explanation {
    /// The principal as resolved (ARN), or as typed when unknown.
    pub principal: String,
    /// `Allow`, `ExplicitDeny`, `ImplicitDeny`, `Conditional`; empty on error.
    pub decision: String,
    /// Keys a Conditional depends on.
    pub missing_keys: Vec<String>,
    /// The deciding statements (see [`deciding_statements`]).
    pub statements: Vec<String>,
    /// The trace, one line per step (`  1. [identity] …`).
    pub steps: Vec<String>,
    /// Why there is no answer (unknown principal, no action).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The statements that decided: the matching Deny statements of a deny, else the
/// Allow statements that matched (or may match) in the identity, resource and trust
/// policies — and for a Conditional, the Deny statements that may match, as
/// `unless NAME`.
pub fn deciding_statements(decision: &Decision, trace: &Trace) -> Vec<String> {
    let want = if *decision == Decision::ExplicitDeny {
        Effect::Deny
    } else {
        Effect::Allow
    };
    let mut out: Vec<String> = Vec::new();
    let mut push = |label: String| {
        if !out.contains(&label) {
            out.push(label);
        }
    };
    for s in &trace.steps {
        let layer_ok = want == Effect::Deny
            || matches!(
                s.layer,
                Layer::Identity | Layer::TrustPolicy | Layer::ResourcePolicy
            );
        if s.effect == Some(want)
            && matches!(s.matched, Some(Tri::True | Tri::Unknown))
            && layer_ok
            && !s.policy.starts_with("(assumed")
        {
            push(statement_label(&s.policy, s.statement, s.sid.as_deref()));
        }
    }
    if matches!(decision, Decision::Conditional { .. }) {
        for s in &trace.steps {
            if s.effect == Some(Effect::Deny) && s.matched == Some(Tri::Unknown) {
                push(format!(
                    "unless {}",
                    statement_label(&s.policy, s.statement, s.sid.as_deref())
                ));
            }
        }
    }
    out
}

/// Decides `principal` (an account principal, or one outside it) with a trace; an
/// error with suggestions when the text names no principal (see
/// [`resolve_caller`]).
fn decide(
    engine: &Engine<'_>,
    principal: &str,
    query: &Query,
) -> Result<(String, Decision, Trace), UnknownPrincipal> {
    match resolve_caller(engine, principal)? {
        ResolvedCaller::Local(p) => {
            let (d, t) = engine.explain(p, query);
            Ok((engine.facts(p).caller.arn.clone(), d, t))
        }
        ResolvedCaller::Other(text) => {
            let caller = if text == "*" { ANYONE_ARN } else { &text };
            let mut trace = Trace::default();
            let decision = engine.decide_outside(caller, query, Some(&mut trace));
            Ok((text, decision, trace))
        }
    }
}

/// Decides and traces `principal` (ARN, `user/NAME`, `role/NAME`, a bare name, or an
/// outside principal) for `query`.
pub fn explain(engine: &Engine<'_>, principal: &str, query: &Query) -> Explanation {
    let principal = principal.trim();
    if query.action.as_str().trim().is_empty() {
        return Explanation {
            principal: principal.to_string(),
            error: Some("type an action".into()),
            ..Explanation::default()
        };
    }
    let (arn, decision, trace) = match decide(engine, principal, query) {
        Ok(found) => found,
        Err(unknown) => {
            return Explanation {
                principal: principal.to_string(),
                error: Some(unknown.to_string()),
                ..Explanation::default()
            }
        }
    };
    Explanation {
        principal: arn,
        decision: decision.name().to_string(),
        missing_keys: decision.missing_keys().to_vec(),
        statements: deciding_statements(&decision, &trace),
        steps: trace.to_string().lines().map(str::to_string).collect(),
        error: None,
    }
}

/// The deciding statements of `principal` for `query`, empty when it is unknown.
pub fn deciding(engine: &Engine<'_>, principal: &str, query: &Query) -> Vec<String> {
    decide(engine, principal, query)
        .map(|(_, d, t)| deciding_statements(&d, &t))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::Context;
    use crate::load::{self, Input};

    fn startup() -> crate::model::Account {
        load::load(&Input::from_arg(Some("sample:startup"))).expect("sample loads")
    }

    fn q(action: &str, resource: &str) -> Query {
        Query::new(action, resource).with_context(Context::new(false))
    }

    #[test]
    fn admin_allow_names_the_admin_statement_and_the_tls_deny() {
        let account = startup();
        let engine = Engine::new(&account);
        let e = explain(
            &engine,
            "user/alice",
            &q("s3:GetObject", "arn:aws:s3:::acme-webapp-assets/index.html"),
        );
        assert_eq!(e.decision, "Conditional");
        assert_eq!(e.missing_keys, vec!["aws:SecureTransport"]);
        assert!(
            e.statements.contains(&"AdministratorAccess#1".to_string()),
            "{e:?}"
        );
        assert!(
            e.statements
                .contains(&"unless acme-webapp-assets/DenyInsecureTransport".to_string()),
            "{e:?}"
        );
        assert!(e.steps.iter().any(|s| s.contains("[identity]")));
    }

    #[test]
    fn known_context_settles_the_decision() {
        let account = startup();
        let engine = Engine::new(&account);
        let mut ctx = Context::new(false);
        ctx.set("aws:SecureTransport", vec!["true".into()]);
        let query = Query::new("s3:GetObject", "arn:aws:s3:::acme-webapp-assets/index.html")
            .with_context(ctx);
        let e = explain(&engine, "user/alice", &query);
        assert_eq!(e.decision, "Allow", "{e:?}");
        assert_eq!(deciding(&engine, "user/alice", &query), e.statements);
    }

    #[test]
    fn unknown_principal_and_empty_action_are_errors() {
        let account = startup();
        let engine = Engine::new(&account);
        let e = explain(&engine, "alicia", &q("s3:GetObject", "*"));
        let error = e.error.unwrap();
        assert!(error.contains("alicia"), "{error}");
        assert!(error.contains("did you mean user/alice"), "{error}");
        let e = explain(&engine, "user/alice", &q(" ", "*"));
        assert_eq!(e.error.as_deref(), Some("type an action"));
        assert!(deciding(&engine, "nobody-here", &q("s3:GetObject", "*")).is_empty());
    }
}
