//! What can a principal do: its allowed actions grouped by service and access level
//! (wildcards expanded with the action catalogue), and every principal it can become
//! (its blast radius).

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::action_classes::{classes, ActionClass, Candidates};
use super::action_index::{ActionIndex, StatementReach};
use super::asked_pairs::{answer, Asked};
use crate::catalog::{ActionRef, Catalog};
use crate::eval::{
    read_by_name, Context, Decision, Engine, PrincipalRef, Query, QueryPlan, ResourceRule,
    ResourceSide,
};
use crate::graph::Graph;
use crate::policy::{ActionName, PolicyDocument};

/// One allowed action and the resources it is allowed on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionAccess {
    /// `service:Action`.
    pub action: String,
    /// The resources (as the policies write them) it is allowed on. Shared: the
    /// actions of one answer hold one copy of each text.
    pub resources: Vec<Arc<str>>,
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

/// Whether what-can lists a resource with this decision.
fn listed(d: &Decision) -> bool {
    matches!(d, Decision::Allow | Decision::Conditional { .. })
}

/// The resources a class or action is allowed on (indices into
/// [`Candidates::resources`]), with the best decision among them.
type Allowed = Option<(Vec<u32>, Decision)>;

/// Keeps `d` as the best decision so far unless an Allow is already kept.
fn keep_best(best: &mut Option<Decision>, d: &Decision) {
    if best.as_ref().is_none_or(|b| !b.is_allow()) {
        *best = Some(d.clone());
    }
}

/// What every question's decision reads (see [`decide_classes`]).
struct Decider<'x, 'e, 'd> {
    engine: &'x Engine<'e>,
    who: PrincipalRef,
    index: &'x ActionIndex<'d>,
    candidates: &'x Candidates<'d>,
    classes: &'x [ActionClass],
    reach: &'x StatementReach,
    /// Each candidate resource's side, for actions outside `sts` and `kms`.
    sides: &'x [ResourceSide<'x, 'e>],
}

/// A worker's reusable query and plan, and the class whose action the query names.
struct Asking {
    query: Query,
    plan: QueryPlan,
    class: Option<usize>,
}

/// Decides every class: each (own statements, resource) once per family, whichever
/// class of the family asks it first (see `action_classes` and `asked_pairs`).
fn decide_classes(x: &Decider<'_, '_, '_>) -> Vec<Allowed> {
    let Decider {
        engine,
        who,
        index,
        candidates,
        classes,
        reach,
        sides,
    } = *x;
    let catalog = Catalog::get();
    let asked: Vec<Asked> = classes
        .par_iter()
        .map(|class| {
            let mut asked = Asked::default();
            let plan = index.plan(&class.matching, reach);
            let ranks = &candidates.by_id[class.members[0] as usize];
            plan.for_each_resource(ranks, &candidates.resources, |r, statements| {
                asked.push(r, statements)
            });
            asked
        })
        .collect();
    let family: Vec<u32> = classes.iter().map(|c| c.family).collect();
    let init = || Asking {
        query: Query::new("", "").with_context(Context::new(false)),
        plan: QueryPlan::default(),
        class: None,
    };
    let answers = answer(&asked, &family, init, |at, c, r, statements| {
        if at.class != Some(c) {
            let first = classes[c].members[0] as usize;
            at.query.action = ActionName::new(&ActionRef::new(catalog, first).full_name());
            at.class = Some(c);
        }
        at.query.resource.clear();
        at.query
            .resource
            .push_str(&candidates.resources[r as usize]);
        index.set_plan(&mut at.plan, statements);
        if read_by_name(&at.query.action) {
            engine.decide_planned(who, &at.query, &at.plan)
        } else {
            engine.decide_planned_on(who, &at.query, &at.plan, &sides[r as usize])
        }
    });
    (0..classes.len())
        .into_par_iter()
        .map(|c| {
            let mut allowed = Vec::new();
            let mut best = None;
            for (r, d) in answers.of_class(&asked, c) {
                if listed(d) {
                    allowed.push(r);
                    keep_best(&mut best, d);
                }
            }
            best.map(|d| (allowed, d))
        })
        .collect()
}

/// What `who` can do, and whom it can become.
///
/// Linear in the principal's statements: each document's actions are expanded against
/// the catalogue once (and kept with it); actions that no document tells apart are
/// decided once for all (`action_classes`); each resource is decided with a plan
/// holding only the statements that can match it (`action_index`); and each (own
/// statements, resource) is decided once per family of actions, so that a wildcard's
/// or a `NotAction`'s resources are decided once, not once per action they name.
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
    let classes = classes(engine, &index, &candidates);
    let reach = index.reach(&candidates.resources);
    // Each resource's side once, for every action outside `sts` and `kms`.
    let sides: Vec<ResourceSide<'_, '_>> = candidates
        .resources
        .par_iter()
        .map(|r| engine.resource_side_under(ResourceRule::Optional, r, None))
        .collect();
    let decider = Decider {
        engine,
        who,
        index: &index,
        candidates: &candidates,
        classes: &classes,
        reach: &reach,
        sides: &sides,
    };
    let decided = decide_classes(&decider);
    // One shared text per resource, for every action allowed on it.
    let shared: Vec<Arc<str>> = candidates
        .resources
        .par_iter()
        .map(|r| Arc::from(&**r))
        .collect();
    let texts = |list: &[u32]| -> Vec<Arc<str>> {
        list.iter()
            .map(|&r| Arc::clone(&shared[r as usize]))
            .collect()
    };
    for (class, decided) in classes.iter().zip(decided) {
        let Some((allowed, decision)) = decided else {
            continue;
        };
        let resources = texts(&allowed);
        for &id in &class.members {
            let a = ActionRef::new(catalog, id as usize);
            add(
                a.service_prefix(),
                a.access_level().to_string(),
                ActionAccess {
                    action: a.full_name(),
                    resources: resources.clone(),
                    decision: decision.name().to_string(),
                    missing_keys: decision.missing_keys().to_vec(),
                },
            );
        }
    }
    // Names outside the catalogue may match patterns the index does not list under any
    // id: each is decided over every statement.
    for (action, resources) in &candidates.by_name {
        let mut query = Query::new(action, "").with_context(Context::new(false));
        let mut allowed = Vec::new();
        let mut best = None;
        for &r in resources {
            query.resource.clear();
            query.resource.push_str(&candidates.resources[r as usize]);
            let d = engine.decide(who, &query);
            if listed(&d) {
                allowed.push(r);
                keep_best(&mut best, &d);
            }
        }
        let Some(decision) = best else {
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
                resources: texts(&allowed),
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
