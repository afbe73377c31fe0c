//! Evidence: what shows a finding is real.

use serde::Serialize;

use crate::eval::{Decision, Engine, Layer, Query, Trace};
use crate::graph::statement_label;
use crate::policy::{Effect, Tri};
use crate::query::hop::Hop;

use super::sanitize;

/// One piece of evidence of a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// A statement of a policy (`PolicyName/Sid`, or `PolicyName#index` without a Sid;
    /// trust policies are `trust:ROLE`).
    Statement {
        /// The statement's label.
        statement: String,
        /// What about it matters.
        note: String,
    },
    /// A request the evaluator decided, and the statements that allowed it.
    Request {
        /// Who asked (an ARN, a service or a provider).
        principal: String,
        /// The action.
        action: String,
        /// The resource.
        resource: String,
        /// The context it was asked with, `key=value` or `key absent`; keys not listed
        /// were unknown unless `complete`.
        context: Vec<String>,
        /// True when keys not listed were absent (rather than unknown).
        complete: bool,
        /// `Allow`, `Conditional (depends on …)`, `ImplicitDeny`, `ExplicitDeny`.
        decision: String,
        /// The Allow statements that matched (or may match).
        statements: Vec<String>,
    },
    /// A path through the principal graph, hop by hop.
    Path {
        /// The hops.
        hops: Vec<Hop>,
    },
    /// A cell of the credential report.
    Credential {
        /// The report's user (`<root_account>` for root).
        user: String,
        /// The column.
        column: String,
        /// Its value.
        value: String,
    },
    /// Anything else, in words.
    Note {
        /// The text.
        text: String,
    },
}

impl Evidence {
    /// A statement evidence.
    pub fn statement(statement: impl Into<String>, note: impl Into<String>) -> Evidence {
        Evidence::Statement {
            statement: statement.into(),
            note: note.into(),
        }
    }

    /// A credential-report cell.
    pub fn credential(user: &str, column: &str, value: Option<&str>) -> Evidence {
        Evidence::Credential {
            user: user.to_string(),
            column: column.to_string(),
            value: value.unwrap_or("N/A").to_string(),
        }
    }

    /// A note.
    pub fn note(text: impl Into<String>) -> Evidence {
        Evidence::Note { text: text.into() }
    }

    /// The evidence in words, one line per item, safe for a terminal (data passes
    /// through [`sanitize`]): what the CLI prints and the TUI shows.
    pub fn lines(&self) -> Vec<String> {
        let clean = sanitize;
        match self {
            Evidence::Statement { statement, note } => {
                vec![format!("{}: {}", clean(statement), clean(note))]
            }
            Evidence::Request {
                principal,
                action,
                resource,
                context,
                complete,
                decision,
                statements,
            } => {
                let mut ctx: Vec<String> = context.iter().map(|c| clean(c)).collect();
                ctx.push(if *complete {
                    "other keys absent".to_string()
                } else {
                    "other keys unknown".to_string()
                });
                let mut line = format!(
                    "{} {} on {} [{}] => {}",
                    clean(principal),
                    clean(action),
                    clean(resource),
                    ctx.join(", "),
                    clean(decision)
                );
                if !statements.is_empty() {
                    let s: Vec<String> = statements.iter().map(|s| clean(s)).collect();
                    line += &format!(" by {}", s.join(", "));
                }
                vec![line]
            }
            Evidence::Path { hops } => hops
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    let mut by: Vec<String> = Vec::new();
                    for s in h.evidence.iter().flat_map(|ev| ev.statements.iter()) {
                        if !by.contains(&clean(s)) {
                            by.push(clean(s));
                        }
                    }
                    format!(
                        "hop {}: {} --{}--> {}{}{}",
                        i + 1,
                        clean(&h.from),
                        h.kind,
                        clean(&h.to),
                        if by.is_empty() {
                            String::new()
                        } else {
                            format!(" by {}", by.join(", "))
                        },
                        if h.conditional {
                            let mut why = h.missing_keys.clone();
                            why.extend(h.assumptions.iter().cloned());
                            format!(" [only if: {}]", clean(&why.join("; ")))
                        } else {
                            String::new()
                        }
                    )
                })
                .collect(),
            Evidence::Credential {
                user,
                column,
                value,
            } => vec![format!(
                "credential report: {} {} = {}",
                clean(user),
                clean(column),
                clean(value)
            )],
            Evidence::Note { text } => vec![clean(text)],
        }
    }
}

impl Evidence {
    /// Drops what [`Evidence::lines`] does not show, keeping its lines the same: a
    /// path's hops keep their ends, technique, conditions and the statements behind
    /// each hop (once each), not the requests replayed to find them. For a viewer that
    /// shows evidence only as lines (the TUI), on an account with thousands of paths.
    pub fn compact(&mut self) {
        let Evidence::Path { hops } = self else {
            return;
        };
        for h in hops {
            let mut statements: Vec<String> = Vec::new();
            for s in std::mem::take(&mut h.evidence)
                .into_iter()
                .flat_map(|ev| ev.statements)
            {
                if !statements.contains(&s) {
                    statements.push(s);
                }
            }
            h.facts = Vec::new();
            if !statements.is_empty() {
                statements.shrink_to_fit();
                h.evidence = vec![crate::graph::Evidence {
                    action: String::new(),
                    resource: String::new(),
                    decision: String::new(),
                    statements,
                    conditions: Vec::new(),
                }];
            }
        }
    }
}

/// Decides `query` for `principal` (an ARN, a name, a service or a provider) with a
/// trace, and returns the decision and its evidence.
pub fn decide(engine: &Engine<'_>, principal: &str, query: &Query) -> (Decision, Evidence) {
    let (decision, evidence, _) = decide_traced(engine, principal, query);
    (decision, evidence)
}

fn decide_traced(
    engine: &Engine<'_>,
    principal: &str,
    query: &Query,
) -> (Decision, Evidence, Trace) {
    let mut trace = Trace::default();
    let decision = engine.decide_arn(principal, query, Some(&mut trace));
    let context = query
        .context
        .entries()
        .into_iter()
        .map(|(k, v)| match v {
            Some(values) => format!("{k}={}", values.join(",")),
            None => format!("{k} absent"),
        })
        .collect();
    let evidence = Evidence::Request {
        principal: principal.to_string(),
        // As AWS spells it (the query holds it lower-cased).
        action: crate::catalog::Catalog::get()
            .action(query.action.as_str())
            .map_or_else(|| query.action.as_str().to_string(), |a| a.full_name()),
        resource: query.resource.clone(),
        context,
        complete: query.context.is_complete(),
        decision: decision.to_string(),
        statements: allowing_statements(&trace),
    };
    (decision, evidence, trace)
}

/// The Allow statements a trace matched or may have matched, labelled, without repeats.
pub fn allowing_statements(trace: &Trace) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in &trace.steps {
        let counts = s.effect == Some(Effect::Allow)
            && matches!(s.matched, Some(Tri::True | Tri::Unknown))
            && matches!(
                s.layer,
                Layer::Identity | Layer::TrustPolicy | Layer::KeyPolicy | Layer::ResourcePolicy
            )
            && !s.policy.starts_with("(assumed");
        if counts {
            let label = statement_label(&s.policy, s.statement, s.sid.as_deref());
            if !out.contains(&label) {
                out.push(label);
            }
        }
    }
    out
}

/// True when this account lets the request in: Allow, or Conditional only on what the
/// bundle cannot see (a caller's own account's policies), with no context key left to
/// decide.
pub fn account_allows(decision: &Decision) -> bool {
    match decision {
        Decision::Allow => true,
        Decision::Conditional { missing_keys, .. } => missing_keys.is_empty(),
        _ => false,
    }
}

/// True when the decision may allow: Allow, or Conditional on some context.
pub fn may_allow(decision: &Decision) -> bool {
    matches!(decision, Decision::Allow | Decision::Conditional { .. })
}
