//! The graph as Graphviz DOT, Mermaid, or JSON, written as it goes (nothing of the
//! output is held in memory). Only nodes with an edge (and administrators) are drawn:
//! the rest of a large account would be noise. A grant to or from a set of nodes is
//! drawn once, through a hub node for the set (`N principals`) linked to its members.

use std::io::{self, Write};

use serde_json::json;

use super::grant::End;
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
    /// Nodes worth drawing: those on a grant, and administrators.
    fn drawn(&self) -> Vec<usize> {
        let mut used = vec![false; self.nodes.len()];
        for g in &self.grants {
            for end in [g.from, g.to] {
                match end {
                    End::Node(n) => used[n] = true,
                    End::Set(s) => self.set(s).iter().for_each(|&m| used[m as usize] = true),
                    End::Itself => {}
                }
            }
        }
        (0..self.nodes.len())
            .filter(|&n| used[n] || self.is_admin(n))
            .collect()
    }

    /// Sets used by some grant, in order.
    fn drawn_sets(&self) -> Vec<usize> {
        let mut used = vec![false; self.set_count()];
        for g in &self.grants {
            for end in [g.from, g.to] {
                if let End::Set(s) = end {
                    used[s] = true;
                }
            }
        }
        (0..used.len()).filter(|&s| used[s]).collect()
    }

    fn end_id(end: End, from: End) -> String {
        match (end, from) {
            (End::Node(n), _) | (End::Itself, End::Node(n)) => format!("n{n}"),
            (End::Set(s), _) | (End::Itself, End::Set(s)) => format!("s{s}"),
            (End::Itself, End::Itself) => String::new(),
        }
    }

    /// Graphviz DOT (`dot -Tsvg`).
    pub fn write_dot(&self, account: &Account, w: &mut impl Write) -> io::Result<()> {
        // Labels are data: control characters become visible escapes first, and
        // those escapes' backslashes are then quoted like any other.
        let quote = |s: &str| {
            let s = terminal_safe(s);
            format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
        };
        w.write_all(b"digraph iamscope {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n")?;
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
            writeln!(
                w,
                "  n{n} [label={}, shape={shape}{admin}];",
                quote(&node.label(account))
            )?;
        }
        for s in self.drawn_sets() {
            writeln!(
                w,
                "  s{s} [label=\"{} principals\", shape=hexagon];",
                self.set(s).len()
            )?;
            for m in self.set(s) {
                writeln!(w, "  s{s} -> n{m} [style=dotted, arrowhead=none];")?;
            }
        }
        for g in &self.grants {
            let style = if g.conditional { ", style=dashed" } else { "" };
            let color = if g.kind.is_trust() {
                ""
            } else {
                ", color=darkorange"
            };
            writeln!(
                w,
                "  {} -> {} [label={}{style}{color}];",
                Self::end_id(g.from, g.from),
                Self::end_id(g.to, g.from),
                quote(&g.kind.name())
            )?;
        }
        w.write_all(b"}\n")
    }

    /// A Mermaid flowchart.
    pub fn write_mermaid(&self, account: &Account, w: &mut impl Write) -> io::Result<()> {
        let text = |s: &str| terminal_safe(s).replace('"', "#quot;");
        w.write_all(b"flowchart LR\n")?;
        let drawn = self.drawn();
        for &n in &drawn {
            let label = text(&self.nodes[n].label(account));
            match self.nodes[n] {
                Node::User(_) => writeln!(w, "  n{n}[\"{label}\"]")?,
                Node::Role(_) => writeln!(w, "  n{n}(\"{label}\")")?,
                _ => writeln!(w, "  n{n}([\"{label}\"])")?,
            }
        }
        for s in self.drawn_sets() {
            writeln!(w, "  s{s}{{{{\"{} principals\"}}}}", self.set(s).len())?;
            for m in self.set(s) {
                writeln!(w, "  s{s} --- n{m}")?;
            }
        }
        for g in &self.grants {
            let arrow = if g.conditional { "-.->" } else { "-->" };
            writeln!(
                w,
                "  {} {arrow}|\"{}\"| {}",
                Self::end_id(g.from, g.from),
                g.kind.name(),
                Self::end_id(g.to, g.from)
            )?;
        }
        let admins: Vec<String> = drawn
            .into_iter()
            .filter(|&n| self.is_admin(n))
            .map(|n| format!("n{n}"))
            .collect();
        if !admins.is_empty() {
            w.write_all(b"  classDef admin stroke:#d00,stroke-width:3px\n")?;
            writeln!(w, "  class {} admin", admins.join(","))?;
        }
        Ok(())
    }

    /// JSON: `{"nodes": [...], "sets": [...], "edges": [...]}`. Nodes by ARN; an edge's
    /// `from`/`to` is a node's ARN or a set's id (`set:N`, listed in `sets` with its
    /// members' ARNs), meaning every member; a self-escalation's `to` is its `from`.
    pub fn write_json(&self, account: &Account, w: &mut impl Write) -> io::Result<()> {
        let end = |e: End, from: End| match (e, from) {
            (End::Node(n), _) | (End::Itself, End::Node(n)) => self.nodes[n].arn(account),
            (End::Set(s), _) | (End::Itself, End::Set(s)) => format!("set:{s}"),
            (End::Itself, End::Itself) => String::new(),
        };
        w.write_all(b"{\n  \"nodes\": [")?;
        for (i, n) in self.drawn().into_iter().enumerate() {
            w.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
            let node = json!({
                "arn": self.nodes[n].arn(account),
                "label": self.nodes[n].label(account),
                "kind": kind_of(&self.nodes[n]),
                "admin": self.is_admin(n),
                "self_escalation": self.can_self_escalate(n),
            });
            serde_json::to_writer(&mut *w, &node)?;
        }
        w.write_all(b"\n  ],\n  \"sets\": [")?;
        for (i, s) in self.drawn_sets().into_iter().enumerate() {
            w.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
            let members: Vec<String> = self
                .set(s)
                .iter()
                .map(|&m| self.nodes[m as usize].arn(account))
                .collect();
            serde_json::to_writer(
                &mut *w,
                &json!({"id": format!("set:{s}"), "members": members}),
            )?;
        }
        w.write_all(b"\n  ],\n  \"edges\": [")?;
        for (i, g) in self.grants.iter().enumerate() {
            w.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
            let edge = json!({
                "from": end(g.from, g.from),
                "to": end(g.to, g.from),
                "kind": g.kind.name(),
                "conditional": g.conditional,
                "missing_keys": g.missing_keys,
                "assumptions": g.assumptions,
                "requests": g.proofs,
            });
            serde_json::to_writer(&mut *w, &edge)?;
        }
        w.write_all(b"\n  ]\n}\n")
    }
}
