//! [`Question`]: one quiz question, its answer and explanation — the evaluator's.

use std::collections::BTreeMap;

use serde::Serialize;

use super::deciding::Deciding;
use super::topic::Topic;
use crate::eval::{Context, Decision, Layer, Query, Trace};

/// The four possible decisions, in the order they are offered.
pub const DECISION_CHOICES: [&str; 4] = ["Allow", "ExplicitDeny", "ImplicitDeny", "Conditional"];

/// The context of a question's request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QuestionContext {
    /// Keys not listed are absent (true) or unknown (false), as `can --context-complete`.
    pub complete: bool,
    /// The keys given, with their values (`can --context KEY=VALUE`).
    pub values: BTreeMap<String, Vec<String>>,
}

impl QuestionContext {
    /// The evaluator's context.
    pub fn to_context(&self) -> Context {
        let mut c = Context::new(self.complete);
        for (k, vs) in &self.values {
            for v in vs {
                c.add(k, v.clone());
            }
        }
        c
    }

    /// The `can` arguments that give this context.
    pub fn can_args(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (k, vs) in &self.values {
            for v in vs {
                out.push("--context".to_string());
                out.push(format!("{k}={v}"));
            }
        }
        if self.complete {
            out.push("--context-complete".to_string());
        }
        out
    }

    /// In words: what the request says about its context.
    pub fn describe(&self) -> String {
        let given: Vec<String> = self
            .values
            .iter()
            .map(|(k, vs)| format!("{k}={}", vs.join(",")))
            .collect();
        match (given.is_empty(), self.complete) {
            (true, true) => "no context keys (every key absent)".to_string(),
            (true, false) => "context unknown (no key given)".to_string(),
            (false, true) => format!("{}, every other key absent", given.join(" ")),
            (false, false) => format!("{}, other keys unknown", given.join(" ")),
        }
    }
}

/// One generated question. `answer` and `explanation` are the evaluator's decision for
/// the request and the step of its trace that decided it; nothing is written per question.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    /// 1-based position in the quiz.
    pub number: usize,
    /// The topic it exercises (a lesson's slug).
    pub topic: Topic,
    /// The caller, as `can` takes it.
    pub principal: String,
    /// The action.
    pub action: String,
    /// The resource ARN or `*`.
    pub resource: String,
    /// The request context.
    pub context: QuestionContext,
    /// The question in words.
    pub prompt: String,
    /// The decisions to choose from.
    pub choices: Vec<&'static str>,
    /// The right choice: the evaluator's decision's name.
    pub answer: &'static str,
    /// The evaluator's decision in full (a Conditional's keys and reasons).
    pub decision: Decision,
    /// Which layer and statement decided it.
    pub deciding: Deciding,
    /// The layers the trace went through: the choices for "which layer decided?".
    pub layer_choices: Vec<Layer>,
    /// The evaluator's trace.
    pub trace: Trace,
}

impl Question {
    /// The evaluator's query for this question's request.
    pub fn query(&self) -> Query {
        Query::new(&self.action, &self.resource).with_context(self.context.to_context())
    }

    /// Whether `choice` (a decision name, case-insensitive) is the answer.
    pub fn is_correct(&self, choice: &str) -> bool {
        choice.eq_ignore_ascii_case(self.answer)
    }
}

/// Reads a learner's answer: `1`–`4`, a decision name, or its initial (`a`, `e`, `i`,
/// `c`). `None` when it is none of those.
pub fn parse_choice(input: &str) -> Option<&'static str> {
    let t = input.trim().to_ascii_lowercase();
    let by_initial = match t.as_str() {
        "1" | "a" => Some(0),
        "2" | "e" => Some(1),
        "3" | "i" => Some(2),
        "4" | "c" => Some(3),
        _ => None,
    };
    by_initial.map(|i| DECISION_CHOICES[i]).or_else(|| {
        DECISION_CHOICES
            .into_iter()
            .find(|c| c.eq_ignore_ascii_case(&t))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_parse_by_number_initial_and_name() {
        assert_eq!(parse_choice(" 1 "), Some("Allow"));
        assert_eq!(parse_choice("e"), Some("ExplicitDeny"));
        assert_eq!(parse_choice("implicitdeny"), Some("ImplicitDeny"));
        assert_eq!(parse_choice("4"), Some("Conditional"));
        assert_eq!(parse_choice("5"), None);
        assert_eq!(parse_choice(""), None);
    }

    #[test]
    fn context_args_replay_the_context() {
        let mut c = QuestionContext {
            complete: true,
            values: BTreeMap::new(),
        };
        c.values
            .insert("aws:MultiFactorAuthPresent".into(), vec!["true".into()]);
        assert_eq!(
            c.can_args(),
            [
                "--context",
                "aws:MultiFactorAuthPresent=true",
                "--context-complete"
            ]
        );
        assert_eq!(
            c.describe(),
            "aws:MultiFactorAuthPresent=true, every other key absent"
        );
        let ctx = c.to_context();
        assert!(ctx.is_complete());
        assert_eq!(ctx.entries().len(), 1);
    }
}
