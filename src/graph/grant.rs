//! Grants: the graph's stored edges, each from every node of one end to every node of
//! the other (see the module docs of [`super`]).

use std::sync::Arc;

use serde::Serialize;

use super::edge::{EdgeKind, Proof};
use crate::eval::Decision;

/// One end of a grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum End {
    /// One node.
    Node(usize),
    /// Every member of a node set ([`super::Graph::set`]).
    Set(usize),
    /// The source node itself (self-escalation targets).
    Itself,
}

/// A compressed edge: every node of `from` can act as every node of `to` (itself
/// excluded, unless `to` is [`End::Itself`]) by the same technique and decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    /// Who.
    pub from: End,
    /// Whom.
    pub to: End,
    /// How.
    pub kind: EdgeKind,
    /// True when the edges depend on context keys or on facts the bundle lacks.
    pub conditional: bool,
    /// The context keys that decide a conditional edge (shared: a graph keeps one copy
    /// of each key, which tens of thousands of grants name).
    pub missing_keys: Vec<Arc<str>>,
    /// What must also be true that the bundle cannot tell.
    pub assumptions: Vec<String>,
    /// The requests the evaluator allowed, for one representative pair; a proof with
    /// `on_target` is asked on each target's own ARN.
    pub proofs: Vec<Proof>,
}

impl Grant {
    /// A grant made of these allowed requests.
    pub fn new(
        from: End,
        to: End,
        kind: EdgeKind,
        proofs: Vec<(Decision, Proof)>,
        assumptions: Vec<String>,
    ) -> Grant {
        let mut grant = Grant {
            from,
            to,
            kind,
            conditional: !assumptions.is_empty(),
            missing_keys: Vec::new(),
            assumptions,
            proofs: Vec::with_capacity(proofs.len()),
        };
        for (decision, proof) in proofs {
            if let Decision::Conditional {
                missing_keys,
                reasons,
            } = &decision
            {
                grant.conditional = true;
                for k in missing_keys {
                    if !grant.missing_keys.iter().any(|m| **m == **k) {
                        grant.missing_keys.push(k.as_str().into());
                    }
                }
                for r in reasons {
                    if !grant.assumptions.contains(r) {
                        grant.assumptions.push(r.clone());
                    }
                }
            }
            grant.proofs.push(proof);
        }
        grant
    }
}
