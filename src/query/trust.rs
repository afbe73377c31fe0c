//! Who can assume a role: directly (its trust policy, with conditions) and
//! transitively (through other roles and escalation techniques).

use serde::Serialize;

use super::hop::{hop, hops, Hop};
use crate::eval::Engine;
use crate::graph::search::Target;
use crate::graph::{Graph, Node};
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

/// Builds the trust report of `role`.
pub fn trust(engine: &Engine<'_>, graph: &Graph, role: RoleId) -> TrustReport {
    let account = engine.account();
    let target = graph.role_node(role);
    let direct: Vec<Hop> = graph
        .incoming(target)
        .filter(|e| e.from != e.to)
        .map(|e| hop(engine, graph, e))
        .collect();
    let direct_from: Vec<usize> = graph.incoming(target).map(|e| e.from).collect();
    let mut transitive: Vec<Transitive> = graph
        .reaching(target)
        .into_iter()
        .filter(|(n, _)| !direct_from.contains(n) && graph.nodes[*n].is_internal())
        .filter_map(|(n, _)| {
            let path = graph.shortest_path(n, Target::Node(target))?;
            Some(Transitive {
                principal: graph.nodes[n].arn(account),
                hops: path.len(),
                path: hops(engine, graph, &path),
            })
        })
        .filter(|t| t.hops > 1)
        .collect();
    transitive.sort_by(|a, b| (a.hops, &a.principal).cmp(&(b.hops, &b.principal)));
    let administrators = (0..graph.nodes.len())
        .filter(|&n| n != target && matches!(graph.nodes[n], Node::User(_) | Node::Role(_)))
        .filter(|&n| graph.is_admin(n) || graph.can_self_escalate(n))
        .map(|n| graph.nodes[n].arn(account))
        .collect();
    TrustReport {
        role: account.role(role).common.arn.to_string(),
        direct,
        transitive,
        administrators,
    }
}
