//! A compressed graph's per-pair edges, expanded here from its grants (not by the
//! graph's own code), for the tests that compare graphs edge by edge.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use iamscope::graph::{EdgeKind, End, Graph};
use iamscope::model::Account;
use iamscope::synth::{generate_gaad_json, SynthOptions};

/// (from, to, kind) → (conditional, missing keys).
pub type Expanded = BTreeMap<(usize, usize, EdgeKind), (bool, BTreeSet<String>)>;

/// Every per-pair edge of the graph; a self-escalation is an edge to its source.
pub fn expand(graph: &Graph) -> Expanded {
    let mut out = Expanded::new();
    for g in &graph.grants {
        let ends = |e| match e {
            End::Node(n) => vec![n],
            End::Set(s) => graph.set(s).iter().map(|&m| m as usize).collect(),
            End::Itself => Vec::new(),
        };
        let froms = ends(g.from);
        let tos = if g.to == End::Itself {
            None
        } else {
            Some(ends(g.to))
        };
        for &from in &froms {
            let targets = tos.clone().unwrap_or_else(|| vec![from]);
            for to in targets {
                if to == from && tos.is_some() {
                    continue;
                }
                // Proofs (and so conditionality) are the grant's.
                let keys: BTreeSet<String> = g.missing_keys.iter().map(|k| k.to_string()).collect();
                out.insert((from, to, g.kind), (g.conditional, keys));
            }
        }
    }
    out
}

/// A generated account of `users` and `roles` (12 groups, 40 policies), the size the
/// graph comparisons run on.
pub fn generated(users: usize, roles: usize, seed: u64) -> Account {
    let opts = SynthOptions {
        users,
        roles,
        groups: 12,
        policies: 40,
        seed,
        ..SynthOptions::default()
    };
    iamscope::load::load_gaad_bytes("generated", generate_gaad_json(&opts).into_bytes())
        .expect("generated account loads")
}
