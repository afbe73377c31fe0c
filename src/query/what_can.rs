//! What can a principal do: its allowed actions grouped by service and access level
//! (wildcards expanded with the action catalogue), and every principal it can become
//! (its blast radius).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::action_index::{listed_actions, ActionIndex};
use crate::catalog::{ActionRef, Catalog};
use crate::eval::{Context, Decision, Engine, PrincipalRef, Query};
use crate::graph::Graph;
use crate::policy::{ActionName, Effect, PolicyDocument};

/// One allowed action and the resources it is allowed on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionAccess {
    /// `service:Action`.
    pub action: String,
    /// The resources (as the policies write them) it is allowed on.
    pub resources: Vec<String>,
    /// `Allow`, or `Conditional` when every grant depends on context.
    pub decision: String,
    /// Context keys a Conditional depends on.
    pub missing_keys: Vec<String>,
}

/// A service's allowed actions by access level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceAccess {
    /// Service prefix, e.g. `s3`.
    pub service: String,
    /// Access level (`List`, `Read`, `Write`, `Permissions management`, `Tagging`, or
    /// `Unknown` for actions the catalogue lacks) → actions.
    pub levels: BTreeMap<String, Vec<ActionAccess>>,
}

/// A principal within reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reach {
    /// Its ARN.
    pub principal: String,
    /// Hops of the shortest way there.
    pub hops: usize,
}

/// The answer to what-can.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WhatCan {
    /// The principal's ARN.
    pub principal: String,
    /// Whether it already holds administrator permissions.
    pub administrator: bool,
    /// Self-escalation techniques open to it (it can make itself an administrator).
    pub self_escalation: Vec<String>,
    /// Allowed actions by service.
    pub services: Vec<ServiceAccess>,
    /// Principals it can become, nearest first (its blast radius). An administrator (or
    /// a principal that can become one) can become every principal of the account.
    pub reachable: Vec<Reach>,
}

/// The resource text of a statement with the principal's own variables filled in.
pub(crate) fn resolve_variables(
    resource: &str,
    username: Option<&str>,
    userid: Option<&str>,
) -> String {
    let mut out = resource.to_string();
    if let Some(u) = username {
        out = out.replace("${aws:username}", u);
    }
    if let Some(id) = userid {
        out = out.replace("${aws:userid}", id);
    }
    out
}

/// `service:Action` of a catalogue id.
fn catalog_name(catalog: &Catalog, id: u32) -> String {
    ActionRef::new(catalog, id as usize).full_name()
}

/// What `who` can do, and whom it can become.
///
/// Linear in the principal's statements: each document's actions are expanded against
/// the catalogue once (and kept with it), and each candidate action is decided with a
/// plan that evaluates only the statements that can match it.
pub fn what_can(engine: &Engine<'_>, graph: Option<&Graph>, who: PrincipalRef) -> WhatCan {
    let catalog = Catalog::get();
    let facts = engine.facts(who);
    let docs: Vec<&PolicyDocument> = engine
        .identity_policies(who)
        .iter()
        .filter_map(|p| p.document.ok())
        .collect();
    // Candidate (action, resource) pairs from the principal's Allow statements, with
    // the action's catalogue id when it has one.
    let mut candidates: BTreeMap<String, (Option<u32>, BTreeSet<String>)> = BTreeMap::new();
    let mut everything: Option<Vec<(u32, String)>> = None;
    for doc in &docs {
        let listed = listed_actions(doc, catalog);
        for (statement, names) in doc.statements.iter().zip(listed) {
            if statement.effect != Effect::Allow {
                continue;
            }
            let actions: Vec<(Option<u32>, String)> = if statement.action.negated {
                let all = everything.get_or_insert_with(|| {
                    catalog
                        .expand("*")
                        .into_iter()
                        .map(|a| (a.id() as u32, a.full_name()))
                        .collect()
                });
                all.iter()
                    .filter(|(id, _)| names.ids.binary_search(id).is_err())
                    .map(|(id, name)| (Some(*id), name.clone()))
                    .collect()
            } else if names.ids.is_empty() {
                // Not in the catalogue: keep the literal names.
                statement
                    .action
                    .patterns
                    .iter()
                    .map(|p| p.as_str().to_string())
                    .filter(|p| !p.contains(['*', '?']))
                    .map(|p| (None, p))
                    .collect()
            } else {
                names
                    .ids
                    .iter()
                    .map(|&id| (Some(id), catalog_name(catalog, id)))
                    .collect()
            };
            let resources: Vec<String> = match &statement.resource {
                Some(spec) if !spec.negated => spec
                    .patterns
                    .iter()
                    .map(|p| {
                        resolve_variables(
                            p.as_str(),
                            facts.username.as_deref(),
                            facts.userid.as_deref(),
                        )
                    })
                    .collect(),
                _ => vec!["*".to_string()],
            };
            for (id, action) in actions {
                let entry = candidates.entry(action).or_insert((id, BTreeSet::new()));
                entry.1.extend(resources.iter().cloned());
            }
        }
    }
    let index = ActionIndex::new(
        docs.iter()
            .copied()
            .chain(engine.boundary(who).and_then(|b| b.document.ok())),
        catalog,
    );
    let mut by_service: BTreeMap<String, BTreeMap<String, Vec<ActionAccess>>> = BTreeMap::new();
    for (action, (id, resources)) in candidates {
        let name = ActionName::new(&action);
        // A name outside the catalogue may match patterns the index does not list
        // under any id: decide it over every statement.
        let plan = id.map(|id| index.for_action(id, &name));
        let mut allowed = Vec::new();
        let mut best: Option<Decision> = None;
        for resource in resources {
            let query = Query::new(&action, &resource).with_context(Context::new(false));
            let d = match &plan {
                Some(plan) => engine.decide_planned(who, &query, &plan.for_resource(&resource)),
                None => engine.decide(who, &query),
            };
            match d {
                Decision::Allow | Decision::Conditional { .. } => {
                    allowed.push(resource);
                    if best.as_ref().is_none_or(|b| !b.is_allow()) {
                        best = Some(d);
                    }
                }
                _ => {}
            }
        }
        let Some(decision) = best else {
            continue;
        };
        let (service, level) = match id.map(|id| ActionRef::new(catalog, id as usize)) {
            Some(a) => (a.service_prefix().to_string(), a.access_level().to_string()),
            None => match catalog.action_ref(&action) {
                Some(a) => (a.service_prefix().to_string(), a.access_level().to_string()),
                None => (
                    action.split(':').next().unwrap_or_default().to_string(),
                    "Unknown".to_string(),
                ),
            },
        };
        by_service
            .entry(service)
            .or_default()
            .entry(level)
            .or_default()
            .push(ActionAccess {
                action,
                resources: allowed,
                decision: decision.name().to_string(),
                missing_keys: decision.missing_keys().to_vec(),
            });
    }
    let services = by_service
        .into_iter()
        .map(|(service, levels)| ServiceAccess { service, levels })
        .collect();
    let (administrator, self_escalation, reachable) = match graph {
        Some(g) => {
            let node = g.node_of(who);
            let kinds: Vec<String> = g
                .outgoing(node)
                .filter(|e| e.kind.is_self_escalation())
                .map(|e| e.kind.name())
                .collect();
            let mut reach: Vec<Reach> = g
                .reachable(node)
                .into_iter()
                .map(|(n, hops)| Reach {
                    principal: g.nodes[n].arn(engine.account()),
                    hops,
                })
                .collect();
            reach.sort_by(|a, b| (a.hops, &a.principal).cmp(&(b.hops, &b.principal)));
            (g.is_admin(node), kinds, reach)
        }
        None => (false, Vec::new(), Vec::new()),
    };
    WhatCan {
        principal: facts.caller.arn.clone(),
        administrator,
        self_escalation,
        services,
        reachable,
    }
}
