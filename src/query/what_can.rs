//! What can a principal do: its allowed actions grouped by service and access level
//! (wildcards expanded with the action catalogue), and every principal it can become
//! (its blast radius).

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::action_classes::{classes, Candidates};
use super::action_index::ActionIndex;
use crate::catalog::{ActionRef, Catalog};
use crate::eval::{Context, Decision, Engine, PrincipalRef, Query};
use crate::graph::Graph;
use crate::policy::PolicyDocument;

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

/// The candidate resources of one action that the evaluator allows (or allows
/// conditionally), by text, with the best decision among them; `None` when none.
fn allowed_resources<'r>(
    action: &str,
    resources: impl Iterator<Item = &'r str>,
    mut decide: impl FnMut(&Query, &str) -> Decision,
) -> Option<(Vec<String>, Decision)> {
    let mut allowed = Vec::new();
    let mut best: Option<Decision> = None;
    // One query, its resource replaced for each candidate.
    let mut query = Query::new(action, "").with_context(Context::new(false));
    for resource in resources {
        query.resource.clear();
        query.resource.push_str(resource);
        let d = decide(&query, resource);
        if matches!(d, Decision::Allow | Decision::Conditional { .. }) {
            allowed.push(resource.to_string());
            if best.as_ref().is_none_or(|b| !b.is_allow()) {
                best = Some(d);
            }
        }
    }
    best.map(|d| (allowed, d))
}

/// The texts of `list` (indices into `all`).
fn texts<'r>(all: &'r [String], list: &'r [u32]) -> impl Iterator<Item = &'r str> {
    list.iter().map(|&r| all[r as usize].as_str())
}

/// What `who` can do, and whom it can become.
///
/// Linear in the principal's statements: each document's actions are expanded against
/// the catalogue once (and kept with it); actions that no document tells apart are
/// decided once for all (`action_classes`); and each resource is decided with a plan
/// holding only the statements that can match it (`action_index`).
pub fn what_can(engine: &Engine<'_>, graph: Option<&Graph>, who: PrincipalRef) -> WhatCan {
    let catalog = Catalog::get();
    let facts = engine.facts(who);
    let docs: Vec<&PolicyDocument> = engine
        .identity_policies(who)
        .iter()
        .filter_map(|p| p.document.ok())
        .collect();
    let candidates = Candidates::of(engine, who, &docs);
    let index = ActionIndex::new(
        docs.iter()
            .copied()
            .chain(engine.boundary(who).and_then(|b| b.document.ok())),
        catalog,
    );
    let mut by_service: BTreeMap<String, BTreeMap<String, Vec<ActionAccess>>> = BTreeMap::new();
    let mut add = |service: &str, level: String, access: ActionAccess| {
        by_service
            .entry(service.to_string())
            .or_default()
            .entry(level)
            .or_default()
            .push(access);
    };
    // Each class is decided on its own, so classes are split over the cores.
    let classes = classes(engine, &index, &candidates);
    let decided: Vec<_> = classes
        .par_iter()
        .map(|class| {
            let first = ActionRef::new(catalog, class.members[0] as usize);
            let plan = index.plan(&class.matching);
            let resources = texts(&candidates.resources, &candidates.by_id[&class.members[0]]);
            allowed_resources(&first.full_name(), resources, |query, resource| {
                engine.decide_planned(who, query, &plan.for_resource(resource))
            })
        })
        .collect();
    for (class, decided) in classes.iter().zip(decided) {
        let Some((allowed, decision)) = decided else {
            continue;
        };
        for &id in &class.members {
            let a = ActionRef::new(catalog, id as usize);
            add(
                a.service_prefix(),
                a.access_level().to_string(),
                ActionAccess {
                    action: a.full_name(),
                    resources: allowed.clone(),
                    decision: decision.name().to_string(),
                    missing_keys: decision.missing_keys().to_vec(),
                },
            );
        }
    }
    // Names outside the catalogue may match patterns the index does not list under any
    // id: each is decided over every statement.
    for (action, resources) in &candidates.by_name {
        let Some((allowed, decision)) = allowed_resources(
            action,
            texts(&candidates.resources, resources),
            |query, _| engine.decide(who, query),
        ) else {
            continue;
        };
        let (service, level) = match catalog.action_ref(action) {
            Some(a) => (a.service_prefix(), a.access_level().to_string()),
            None => (
                action.split(':').next().unwrap_or_default(),
                "Unknown".to_string(),
            ),
        };
        add(
            service,
            level,
            ActionAccess {
                action: action.clone(),
                resources: allowed,
                decision: decision.name().to_string(),
                missing_keys: decision.missing_keys().to_vec(),
            },
        );
    }
    for actions in by_service
        .values_mut()
        .flat_map(|levels| levels.values_mut())
    {
        actions.sort_by(|a, b| a.action.cmp(&b.action));
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
