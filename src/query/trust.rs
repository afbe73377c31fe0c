//! Who can assume a role: directly (its trust policy, with conditions) and
//! transitively (through other roles and escalation techniques).

use serde::Serialize;

use std::collections::HashSet;

use super::hop::{hop, hops, Hop};
use crate::eval::Engine;
use crate::graph::search::Step;
use crate::graph::{EdgeKind, Graph, Node};
use crate::model::RoleId;

/// A principal that can reach the role through other principals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transitive {
    /// The principal's ARN.
    pub principal: String,
    /// Number of hops of the shortest path.
    pub hops: usize,
    /// The shortest path.
    pub path: Vec<Hop>,
}

/// Who can assume a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrustReport {
    /// The role's ARN.
    pub role: String,
    /// One hop each: the principals that can assume it or act as it directly.
    pub direct: Vec<Hop>,
    /// Principals that get there in two hops or more.
    pub transitive: Vec<Transitive>,
    /// Administrators (and principals that can make themselves one) can act as any role.
    pub administrators: Vec<String>,
}

/// Builds the trust report of `role`: its incoming edges, then one reverse search
/// for everyone who reaches it in more hops.
pub fn trust(engine: &Engine<'_>, graph: &Graph, role: RoleId) -> TrustReport {
    let account = engine.account();
    let target = graph.role_node(role);
    let mut incoming: Vec<_> = graph
        .incoming(target)
        .into_iter()
        .filter(|e| e.from != e.to)
        .collect();
    // A trust of `*` admits the account's principals as it admits anyone: only those
    // whose own policies make a difference are listed besides `*`.
    let anyone: Vec<(bool, Vec<String>)> = incoming
        .iter()
        .filter(|e| graph.nodes[e.from] == Node::Anyone)
        .map(|e| (e.conditional, e.missing_keys.clone()))
        .collect();
    incoming.retain(|e| {
        !(graph.nodes[e.from].is_internal()
            && e.kind == EdgeKind::AssumeRole
            && anyone.contains(&(e.conditional, e.missing_keys.clone())))
    });
    let direct: Vec<Hop> = incoming.iter().map(|e| hop(engine, graph, e)).collect();
    let direct_from: HashSet<usize> = incoming.iter().map(|e| e.from).collect();
    // Who reaches the role through real edges, and the shortest way for each, where an
    // administrator on the way takes the role by its control of every principal.
    let reaching = graph.towards_with(&[target], &[], |_, _| None);
    let late: Vec<usize> = (0..graph.nodes.len())
        .filter(|&n| n != target && graph.nodes[n].is_internal() && graph.admin_capable(n))
        .filter(|&n| graph.controls(n, target))
        .collect();
    let shortest = graph.towards_with(&[target], &late, |_, n| {
        Some(Step::AdminControl {
            from: n,
            to: target,
        })
    });
    let mut transitive: Vec<Transitive> = (0..graph.nodes.len())
        .filter(|&n| n != target && reaching.depth[n] != usize::MAX)
        .filter(|n| !direct_from.contains(n) && graph.nodes[*n].is_internal())
        .filter(|&n| shortest.depth[n] > 1 && shortest.depth[n] != usize::MAX)
        .map(|n| {
            let path: Vec<_> = shortest
                .steps(n)
                .into_iter()
                .map(|s| graph.hop(s))
                .collect();
            Transitive {
                principal: graph.nodes[n].arn(account),
                hops: path.len(),
                path: hops(engine, graph, &path),
            }
        })
        .collect();
    transitive.sort_by(|a, b| (a.hops, &a.principal).cmp(&(b.hops, &b.principal)));
    let administrators = (0..graph.nodes.len())
        .filter(|&n| n != target && matches!(graph.nodes[n], Node::User(_) | Node::Role(_)))
        .filter(|&n| graph.admin_capable(n))
        .map(|n| graph.nodes[n].arn(account))
        .collect();
    TrustReport {
        role: account.role(role).common.arn.to_string(),
        direct,
        transitive,
        administrators,
    }
}
