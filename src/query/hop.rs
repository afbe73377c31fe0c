//! Hops and paths as the CLI and the TUI show them: ARNs, the technique, and the
//! statements that allow each step.

use serde::Serialize;

use crate::eval::Engine;
use crate::graph::{Edge, EdgeKind, Evidence, Graph};

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hop {
    /// ARN of the principal taking the step.
    pub from: String,
    /// ARN of the principal it becomes (the same for a self-escalation).
    pub to: String,
    /// The technique, e.g. `assume_role`, `pass_role_to_ec2`, `create_policy_version`.
    pub kind: String,
    /// True when the step depends on context keys or on facts the bundle lacks.
    pub conditional: bool,
    /// The context keys that decide a conditional step.
    pub missing_keys: Vec<String>,
    /// What must also hold that the bundle cannot show.
    pub assumptions: Vec<String>,
    /// What the bundle's workload inventory shows, e.g. "function thumbnailer
    /// (us-east-1) runs as role/thumbnailer-lambda" (takeover steps only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<String>,
    /// The requests behind the step and the statements that allow them.
    pub evidence: Vec<Evidence>,
}

/// Turns an edge into a hop, replaying its requests for evidence.
pub fn hop(engine: &Engine<'_>, graph: &Graph, edge: &Edge) -> Hop {
    let account = engine.account();
    let mut evidence = graph.evidence(engine, edge);
    // The admin probes prove an administrator's control; a self-escalator is not one
    // yet (its evidence is the escalation's), and its probes would read as denials.
    if edge.kind == EdgeKind::AdminControl && graph.is_admin(edge.from) {
        evidence.extend(graph.admin_evidence(engine, edge.from));
    }
    Hop {
        from: graph.nodes[edge.from].arn(account),
        to: graph.nodes[edge.to].arn(account),
        kind: edge.kind.name(),
        conditional: edge.conditional,
        missing_keys: edge.missing_keys.clone(),
        assumptions: edge.assumptions.clone(),
        facts: crate::graph::takeover::facts(engine, graph, edge),
        evidence,
    }
}

/// A path as hops.
pub fn hops(engine: &Engine<'_>, graph: &Graph, path: &[Edge]) -> Vec<Hop> {
    path.iter().map(|e| hop(engine, graph, e)).collect()
}

/// One line per hop: `user/a --assume_role--> role/b  [conditional on k]`.
pub fn render_path(engine: &Engine<'_>, graph: &Graph, path: &[Edge]) -> String {
    let account = engine.account();
    let mut out = String::new();
    for edge in path {
        let from = graph.nodes[edge.from].label(account);
        let to = graph.nodes[edge.to].label(account);
        out += &format!("  {from} --{}--> {to}", edge.kind.name());
        if edge.conditional {
            let mut why: Vec<String> = edge.missing_keys.clone();
            why.extend(edge.assumptions.iter().cloned());
            out += &format!("   [conditional: {}]", why.join("; "));
        }
        out.push('\n');
        for fact in crate::graph::takeover::facts(engine, graph, edge) {
            out += &format!("      {fact}\n");
        }
        for ev in graph.evidence(engine, edge) {
            out += &format!(
                "      {} on {}: {}\n",
                ev.action,
                ev.resource,
                if ev.statements.is_empty() {
                    "(no statement named)".to_string()
                } else {
                    ev.statements.join(", ")
                }
            );
        }
    }
    out
}
