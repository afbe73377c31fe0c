//! Blast radius: if this principal's credentials leak, what can the holder reach?
//! Every principal it can become, by hop, with the technique and evidence of the way
//! there; what it can do as each (actions by service and access level); whether it
//! reaches administrator; and the sensitive data actions it reaches, by resource.
//!
//! Built on the graph's reachability and shortest paths and on [`what_can`]: the cost
//! is one search from the principal plus one what-can per principal within reach.
//! Administrators are not enumerated action by action: they can do everything.

use std::collections::BTreeMap;

use serde::Serialize;

use super::hop::{hops, Hop};
use super::what_can::what_can;
use crate::eval::{Engine, PrincipalRef};
use crate::graph::search::Target;
use crate::graph::Graph;

/// Data-reading actions a responder asks about first: secrets, keys, objects,
/// parameters, table items.
pub const SENSITIVE_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "kms:Decrypt",
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "rds-db:connect",
    "lambda:GetFunction",
    "ecr:BatchGetImage",
];

/// What a principal can do in one service: action counts by access level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceSummary {
    /// Service prefix, e.g. `s3`.
    pub service: String,
    /// Access level → number of actions allowed (or conditionally allowed).
    pub levels: BTreeMap<String, usize>,
}

/// A principal within reach (the start itself at hop 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reached {
    /// Its ARN.
    pub principal: String,
    /// Hops of the shortest way there.
    pub hops: usize,
    /// The shortest way there, hop by hop with technique and evidence; empty for the
    /// start.
    pub path: Vec<Hop>,
    /// True when some hop of the way depends on context or facts the bundle lacks.
    pub conditional: bool,
    /// True when it holds administrator permissions or can make itself an
    /// administrator (see `self_escalation`).
    pub administrator: bool,
    /// Self-escalation techniques open to it.
    pub self_escalation: Vec<String>,
    /// What it can do, by service; empty for an administrator (it can do everything).
    pub services: Vec<ServiceSummary>,
}

/// One sensitive action allowed on a resource, and as whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SensitiveGrant {
    /// `service:Action`.
    pub action: String,
    /// The principal (ARN) the holder acts as.
    pub principal: String,
    /// `Allow` or `Conditional`.
    pub decision: String,
}

/// The sensitive actions reachable on one resource pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SensitiveResource {
    /// The resource as the policies write it (`*`, `arn:aws:s3:::bucket/*`).
    pub resource: String,
    /// What can be done to it, and as whom.
    pub grants: Vec<SensitiveGrant>,
}

/// The answer to "what can this principal reach?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlastRadius {
    /// The principal's ARN.
    pub principal: String,
    /// The shortest way to an administrator: `Some([])` when it already is one, `None`
    /// when no path leads there.
    pub admin_path: Option<Vec<Hop>>,
    /// The principal itself, then every principal it can become, nearest first.
    pub reached: Vec<Reached>,
    /// Sensitive data actions within reach, by resource (`*` first).
    pub sensitive: Vec<SensitiveResource>,
    /// When it reaches an administrator, it can become any principal of the account:
    /// their number (the list above has only those reached by real edges).
    pub every_principal: Option<usize>,
}

impl BlastRadius {
    /// True when an administrator is within reach (or it is one).
    pub fn reaches_admin(&self) -> bool {
        self.admin_path.is_some()
    }
}

fn reached(engine: &Engine<'_>, graph: &Graph, node: usize, path: Vec<Hop>) -> Reached {
    let account = engine.account();
    let self_escalation: Vec<String> = graph
        .outgoing(node)
        .filter(|e| e.kind.is_self_escalation())
        .map(|e| e.kind.name())
        .collect();
    let administrator = graph.is_admin(node) || !self_escalation.is_empty();
    let services = match graph.principal(node) {
        Some(who) if !administrator => what_can(engine, None, who)
            .services
            .into_iter()
            .map(|s| ServiceSummary {
                service: s.service,
                levels: s.levels.into_iter().map(|(l, a)| (l, a.len())).collect(),
            })
            .collect(),
        _ => Vec::new(),
    };
    Reached {
        principal: graph.nodes[node].arn(account),
        hops: path.len(),
        conditional: path.iter().any(|h| h.conditional),
        path,
        administrator,
        self_escalation,
        services,
    }
}

/// The sensitive actions `who` is allowed, as (resource, grant) pairs.
fn sensitive_of(
    engine: &Engine<'_>,
    who: PrincipalRef,
    admin: bool,
) -> Vec<(String, SensitiveGrant)> {
    let arn = engine.facts(who).caller.arn.clone();
    if admin {
        return SENSITIVE_ACTIONS
            .iter()
            .map(|a| {
                let grant = SensitiveGrant {
                    action: (*a).to_string(),
                    principal: arn.clone(),
                    decision: "Allow".into(),
                };
                ("*".to_string(), grant)
            })
            .collect();
    }
    let mut out = Vec::new();
    for service in what_can(engine, None, who).services {
        for access in service.levels.into_values().flatten() {
            let sensitive = SENSITIVE_ACTIONS
                .iter()
                .any(|s| s.eq_ignore_ascii_case(&access.action));
            if !sensitive {
                continue;
            }
            for resource in &access.resources {
                let grant = SensitiveGrant {
                    action: access.action.clone(),
                    principal: arn.clone(),
                    decision: access.decision.clone(),
                };
                out.push((resource.to_string(), grant));
            }
        }
    }
    out
}

/// The blast radius of `who`.
pub fn blast(engine: &Engine<'_>, graph: &Graph, who: PrincipalRef) -> BlastRadius {
    let start = graph.node_of(who);
    let mut nodes = vec![(start, 0)];
    let mut reachable = graph.reachable(start);
    reachable.sort_by_key(|&(n, d)| (d, graph.nodes[n].arn(engine.account())));
    nodes.extend(reachable);
    let mut list = Vec::new();
    let mut by_resource: BTreeMap<String, Vec<SensitiveGrant>> = BTreeMap::new();
    for (node, _) in nodes {
        let path = if node == start {
            Vec::new()
        } else {
            match graph.shortest_path(start, Target::Node(node)) {
                Some(p) => hops(engine, graph, &p),
                None => continue,
            }
        };
        let r = reached(engine, graph, node, path);
        if let Some(p) = graph.principal(node) {
            for (resource, grant) in sensitive_of(engine, p, r.administrator) {
                let grants = by_resource.entry(resource).or_default();
                if !grants.contains(&grant) {
                    grants.push(grant);
                }
            }
        }
        list.push(r);
    }
    let admin_path = graph
        .shortest_path(start, Target::Admin)
        .map(|p| hops(engine, graph, &p));
    let internal = graph.nodes.iter().filter(|n| n.is_internal()).count();
    let mut sensitive: Vec<SensitiveResource> = by_resource
        .into_iter()
        .map(|(resource, grants)| SensitiveResource { resource, grants })
        .collect();
    sensitive
        .sort_by(|a, b| (a.resource != "*", &a.resource).cmp(&(b.resource != "*", &b.resource)));
    BlastRadius {
        principal: engine.facts(who).caller.arn.clone(),
        every_principal: admin_path.as_ref().map(|_| internal.saturating_sub(1)),
        admin_path,
        reached: list,
        sensitive,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{self, Input};

    fn vulnerable() -> crate::model::Account {
        load::load(&Input::from_arg(Some("sample:vulnerable"))).expect("sample loads")
    }

    fn radius(account: &crate::model::Account, name: &str) -> BlastRadius {
        let engine = Engine::new(account);
        let graph = Graph::build(&engine);
        let who = engine.resolve(name).expect("principal exists");
        blast(&engine, &graph, who)
    }

    #[test]
    fn ec2_launcher_reaches_admin_through_pass_role() {
        let account = vulnerable();
        let b = radius(&account, "user/ec2-launcher");
        assert!(b.reaches_admin());
        let path = b.admin_path.as_ref().unwrap();
        assert_eq!(path.len(), 1);
        assert_eq!(path[0].kind, "pass_role_to_ec2");
        assert_eq!(b.reached[0].hops, 0, "the start comes first");
        assert!(!b.reached[0].administrator);
        assert!(b.reached[0].services.iter().any(|s| s.service == "ec2"));
        let role = b
            .reached
            .iter()
            .find(|r| r.principal.ends_with(":role/dvia-ec2-admin-role"))
            .expect("the admin role is within reach");
        assert_eq!(role.hops, 1);
        assert!(role.administrator);
        assert!(
            role.services.is_empty(),
            "an administrator is not enumerated"
        );
        assert!(role.path[0].evidence.iter().any(|e| e
            .statements
            .contains(&"EC2LaunchAccess/PassAdminInstanceRole".to_string())));
        let everything = b.sensitive.iter().find(|s| s.resource == "*").unwrap();
        assert!(everything
            .grants
            .iter()
            .any(|g| g.action == "secretsmanager:GetSecretValue" && g.principal == role.principal));
        assert!(b.every_principal.unwrap() > 10);
    }

    #[test]
    fn a_decoy_reaches_no_admin_and_no_secret() {
        let account = vulnerable();
        // decoy-passrole may pass only a logs-writing role: no administrator, and no
        // secret, key or table within reach.
        let b = radius(&account, "user/decoy-passrole");
        assert!(b.admin_path.is_none(), "{b:?}");
        assert!(b.every_principal.is_none());
        assert!(b.reached.iter().all(|r| !r.administrator));
        assert!(!b
            .sensitive
            .iter()
            .flat_map(|s| &s.grants)
            .any(|g| g.action == "secretsmanager:GetSecretValue" || g.action == "kms:Decrypt"));
    }

    #[test]
    fn a_self_escalator_is_its_own_admin_path() {
        let account = vulnerable();
        let b = radius(&account, "user/self-attacher");
        let path = b.admin_path.unwrap();
        assert_eq!(path.len(), 1);
        assert_eq!(path[0].from, path[0].to);
        assert!(b.reached[0].administrator);
        assert!(!b.reached[0].self_escalation.is_empty());
    }
}
