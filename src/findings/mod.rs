//! Findings: an audit of the account, each finding with its evidence.
//!
//! Every check family has its own file; each finding is raised only when the evaluator
//! (a request decided against the account's policies) or the principal graph confirms
//! it, never because a name looks risky. A finding carries a stable id (`IAM001`…, see
//! [`RULES`]), a severity, the ARN it is about, a sentence about this case, a paragraph
//! for someone learning IAM, the evidence (statements, requests and their decisions,
//! paths, credential-report cells) and a remediation. The CLI (`iamscope findings`)
//! and the TUI only render them.

mod clock;
mod credentials;
mod documents;
mod evidence;
mod external;
mod privilege;
mod rules;
pub mod sarif;
mod trust;
mod unused;
mod validation;

use std::fmt;

use serde::Serialize;

use crate::eval::Engine;
use crate::graph::Graph;

pub(crate) use clock::civil_from_days;
pub use clock::{as_of, days_from_iso, iso_from_days};
pub use evidence::Evidence;
pub use privilege::SENSITIVE_ACTIONS;
pub use rules::{rule, Family, Rule, RULES};

/// Days without use after which a credential or a role counts as unused, and the age
/// after which an access key should have been rotated.
pub const STALE_DAYS: i64 = 90;

/// How bad a finding is. Ordered: `Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; rarely urgent.
    Low,
    /// A weakness to fix in the normal course of work.
    Medium,
    /// A direct route to more access than intended.
    High,
    /// Anyone, or the account's root, is exposed.
    Critical,
}

impl Severity {
    /// `low`, `medium`, `high` or `critical`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses `low|medium|high|critical` (any case).
    pub fn parse(text: &str) -> Option<Severity> {
        match text.to_ascii_lowercase().as_str() {
            "low" => Some(Severity::Low),
            "medium" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }

    /// Every severity, most severe first.
    pub const ALL: [Severity; 4] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where in the bundle a finding points: a file and, when known, a JSON path in it
/// (by name where AWS's export is a list: `RoleDetailList[?RoleName=='x']`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The bundle file, relative to the bundle (`gaad.json`, `credential-report.csv`, …).
    pub file: String,
    /// A JSON path inside it, or the row for the credential report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json_path: Option<String>,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The stable id of the check, e.g. `IAM001`.
    pub id: &'static str,
    /// The check's title.
    pub title: &'static str,
    /// The check family.
    pub family: Family,
    /// How bad it is in this case.
    pub severity: Severity,
    /// The ARN of what it is about (a role, a user, a policy, a resource).
    pub entity: String,
    /// One sentence about this case.
    pub summary: String,
    /// What the weakness is, for someone learning IAM.
    pub explanation: &'static str,
    /// What shows it: statements, decided requests, paths, credential-report cells.
    pub evidence: Vec<Evidence>,
    /// How to fix it.
    pub remediation: &'static str,
    /// Where in the bundle, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl Finding {
    /// A finding of check `id` (which must be in [`RULES`]) at the check's default
    /// severity.
    pub(crate) fn new(id: &'static str, entity: impl Into<String>, summary: String) -> Finding {
        let r = rule(id).unwrap_or(&RULES[0]);
        Finding {
            id: r.id,
            title: r.title,
            family: r.family,
            severity: r.severity,
            entity: entity.into(),
            summary,
            explanation: r.explanation,
            evidence: Vec::new(),
            remediation: r.remediation,
            location: None,
        }
    }

    pub(crate) fn severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }

    pub(crate) fn evidence(mut self, evidence: impl IntoIterator<Item = Evidence>) -> Finding {
        self.evidence.extend(evidence);
        self
    }

    pub(crate) fn at(mut self, file: &str, json_path: Option<String>) -> Finding {
        self.location = Some(Location {
            file: file.to_string(),
            json_path,
        });
        self
    }
}

/// Settings of an audit.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// "Now", as days since 1970-01-01, for ages and unused credentials. `None`: the
    /// bundle's own date ([`as_of`]); when the bundle has no dates either, the
    /// time-based checks are skipped.
    pub now: Option<i64>,
}

/// What one audit needs: the evaluator, the graph, "now", and whether evidence is
/// kept only as far as its lines show it ([`Evidence::compact`]).
pub(crate) struct Audit<'e, 'a> {
    pub engine: &'e Engine<'a>,
    pub graph: &'e Graph,
    pub now: Option<i64>,
    pub compact: bool,
}

/// Runs every check on the account. Findings are sorted most severe first, then by id
/// and entity, so the order is stable.
pub fn audit(engine: &Engine<'_>, graph: &Graph, options: &Options) -> Vec<Finding> {
    run(engine, graph, options, false)
}

/// [`audit`], each finding's evidence made compact as it is found
/// ([`Evidence::compact`]: the same lines, without the requests replayed for a path's
/// hops), so that neither the result nor the audit's peak holds them: for a viewer
/// that shows evidence only as lines (the TUI).
pub fn audit_compact(engine: &Engine<'_>, graph: &Graph, options: &Options) -> Vec<Finding> {
    run(engine, graph, options, true)
}

fn run(engine: &Engine<'_>, graph: &Graph, options: &Options, compact: bool) -> Vec<Finding> {
    let now = options.now.or_else(|| as_of(engine.account()));
    let a = Audit {
        engine,
        graph,
        now,
        compact,
    };
    let mut out = Vec::new();
    trust::check(&a, &mut out);
    privilege::check(&a, &mut out);
    external::check(&a, &mut out);
    credentials::check(&a, &mut out);
    unused::check(&a, &mut out);
    validation::check(&a, &mut out);
    if compact {
        out.iter_mut()
            .flat_map(|f| f.evidence.iter_mut())
            .for_each(Evidence::compact);
    }
    sort(&mut out);
    out
}

/// Sorts findings most severe first, then by id, entity and summary.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.id.cmp(b.id))
            .then_with(|| a.entity.cmp(&b.entity))
            .then_with(|| a.summary.cmp(&b.summary))
    });
}

/// The findings about one entity (by ARN), in their order.
pub fn about<'f>(findings: &'f [Finding], arn: &str) -> Vec<&'f Finding> {
    findings.iter().filter(|f| f.entity == arn).collect()
}

/// Text from the bundle made safe for a terminal: control characters are shown
/// escaped (`\u{1b}`), never emitted. Every renderer of findings (CLI text, TUI) passes
/// data through here; it stands in for the core sanitiser until that lands.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Findings at or above `min`.
pub fn at_least(findings: Vec<Finding>, min: Severity) -> Vec<Finding> {
    findings.into_iter().filter(|f| f.severity >= min).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_order_and_parse() {
        assert!(Severity::Critical > Severity::High);
        assert!(Severity::Medium > Severity::Low);
        assert_eq!(Severity::parse("HIGH"), Some(Severity::High));
        assert_eq!(Severity::parse("urgent"), None);
        assert_eq!(Severity::High.to_string(), "high");
    }

    #[test]
    fn sort_puts_most_severe_first() {
        let mut v = vec![
            Finding::new("IAM030", "b", String::new()),
            Finding::new("IAM001", "a", String::new()),
            Finding::new("IAM030", "a", String::new()).severity(Severity::High),
        ];
        sort(&mut v);
        let order: Vec<(&str, &str)> = v.iter().map(|f| (f.id, f.entity.as_str())).collect();
        assert_eq!(order, [("IAM001", "a"), ("IAM030", "a"), ("IAM030", "b")]);
    }
}
