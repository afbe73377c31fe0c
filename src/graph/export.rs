//! The graph as Graphviz DOT, Mermaid, or JSON. Only nodes with an edge (and
//! administrators) are drawn: the rest of a large account would be noise.

use serde_json::json;

use super::{Graph, Node};
use crate::model::Account;
use crate::sanitize::terminal_safe;

fn kind_of(node: &Node) -> &'static str {
    match node {
        Node::User(_) => "user",
        Node::Role(_) => "role",
        Node::Account(_) => "account",
        Node::Anyone => "anyone",
        Node::Service(_) => "service",
        Node::Federated(_) => "federated",
    }
}

impl Graph {
    /// Nodes worth drawing: those on an edge, and administrators.
    fn drawn(&self) -> Vec<usize> {
        let mut used = vec![false; self.nodes.len()];
        for e in &self.edges {
            used[e.from] = true;
            used[e.to] = true;
        }
        (0..self.nodes.len())
            .filter(|&n| used[n] || self.is_admin(n))
            .collect()
    }

    /// Graphviz DOT (`dot -Tsvg`).
    pub fn to_dot(&self, account: &Account) -> String {
        // Labels are data: control characters become visible escapes first, and
        // those escapes' backslashes are then quoted like any other.
        let quote = |s: &str| {
            let s = terminal_safe(s);
            format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
        };
        let mut out = String::from(
            "digraph iamscope {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
        );
        for n in self.drawn() {
            let node = &self.nodes[n];
            let shape = match node {
                Node::User(_) => "box",
                Node::Role(_) => "box, style=rounded",
                _ => "ellipse",
            };
            let admin = if self.is_admin(n) {
                ", color=red, penwidth=2"
            } else {
                ""
            };
            out += &format!(
                "  n{n} [label={}, shape={shape}{admin}];\n",
                quote(&node.label(account))
            );
        }
        for e in &self.edges {
            let style = if e.conditional { ", style=dashed" } else { "" };
            let color = if e.kind.is_trust() {
                ""
            } else {
                ", color=darkorange"
            };
            out += &format!(
                "  n{} -> n{} [label={}{style}{color}];\n",
                e.from,
                e.to,
                quote(&e.kind.name())
            );
        }
        out += "}\n";
        out
    }

    /// A Mermaid flowchart.
    pub fn to_mermaid(&self, account: &Account) -> String {
        let text = |s: &str| terminal_safe(s).replace('"', "#quot;");
        let mut out = String::from("flowchart LR\n");
        for n in self.drawn() {
            let label = text(&self.nodes[n].label(account));
            let shape = match self.nodes[n] {
                Node::User(_) => format!("n{n}[\"{label}\"]"),
                Node::Role(_) => format!("n{n}(\"{label}\")"),
                _ => format!("n{n}([\"{label}\"])"),
            };
            out += &format!("  {shape}\n");
        }
        for e in &self.edges {
            let arrow = if e.conditional { "-.->" } else { "-->" };
            out += &format!("  n{} {arrow}|\"{}\"| n{}\n", e.from, e.kind.name(), e.to);
        }
        let admins: Vec<String> = self
            .drawn()
            .into_iter()
            .filter(|&n| self.is_admin(n))
            .map(|n| format!("n{n}"))
            .collect();
        if !admins.is_empty() {
            out += "  classDef admin stroke:#d00,stroke-width:3px\n";
            out += &format!("  class {} admin\n", admins.join(","));
        }
        out
    }

    /// JSON: `{"nodes": [...], "edges": [...]}` with ARNs.
    pub fn to_json(&self, account: &Account) -> serde_json::Value {
        let nodes: Vec<serde_json::Value> = self
            .drawn()
            .into_iter()
            .map(|n| {
                json!({
                    "arn": self.nodes[n].arn(account),
                    "label": self.nodes[n].label(account),
                    "kind": kind_of(&self.nodes[n]),
                    "admin": self.is_admin(n),
                    "self_escalation": self.can_self_escalate(n),
                })
            })
            .collect();
        let edges: Vec<serde_json::Value> = self
            .edges
            .iter()
            .map(|e| {
                json!({
                    "from": self.nodes[e.from].arn(account),
                    "to": self.nodes[e.to].arn(account),
                    "kind": e.kind.name(),
                    "conditional": e.conditional,
                    "missing_keys": e.missing_keys,
                    "assumptions": e.assumptions,
                    "requests": e.proofs,
                })
            })
            .collect();
        json!({ "nodes": nodes, "edges": edges })
    }
}
