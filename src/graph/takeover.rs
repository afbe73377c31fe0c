//! Takeover edges and the workload inventory: with `workloads/` in the bundle, "replace
//! the code of a function that runs as this role" is asked on each listed function and
//! becomes a fact (or nothing); only regions the inventory does not list stay an
//! assumption, and the assumption names the file that would settle it.

use std::collections::BTreeMap;

use super::build::{ask, Builder};
use super::edge::{Edge, EdgeKind, Proof, ProofContext};
use crate::eval::{Decision, Engine, PrincipalRef};
use crate::model::{Account, EntityRef, Inventory, RoleId, Workload, WorkloadKind};

/// The inventory kind a takeover technique's targets are.
pub fn workload_kind(kind: EdgeKind) -> Option<WorkloadKind> {
    match kind {
        EdgeKind::UpdateLambdaCode => Some(WorkloadKind::LambdaFunction),
        EdgeKind::SsmOnInstance => Some(WorkloadKind::Ec2Instance),
        EdgeKind::UpdateGlueDevEndpoint => Some(WorkloadKind::GlueDevEndpoint),
        _ => None,
    }
}

/// The region a resource pattern names; `None` when it could be any (`*`, a wildcard
/// in the region field, or no region field).
fn pattern_region(pattern: &str) -> Option<&str> {
    let region = pattern.split(':').nth(3)?;
    (!region.is_empty() && !region.contains(['*', '?'])).then_some(region)
}

/// True when `pattern` (a resource an Allow statement names) could be a workload of
/// `kind` that the inventory does not list: a region it has no file for, or any
/// region when the enabled regions are not all listed.
pub(super) fn could_be_unlisted(inventory: &Inventory, kind: WorkloadKind, pattern: &str) -> bool {
    if inventory.complete(kind) {
        return false;
    }
    match pattern_region(pattern) {
        Some(region) => !inventory.covers(kind, region),
        None => true,
    }
}

/// The assumption of a takeover edge the inventory cannot settle, naming what would.
pub(super) fn unlisted_assumption(inventory: &Inventory, kind: WorkloadKind, base: &str) -> String {
    let folder = kind.folder();
    match inventory.covered.get(&kind) {
        None => format!("{base} (unknown: the bundle has no workloads/{folder}/<region>.json, which would settle it)"),
        Some(regions) => {
            let listed: Vec<&str> = regions.iter().map(String::as_str).collect();
            format!(
                "{base} in a region workloads/{folder}/ does not list (it lists {}; workloads/regions.json and a file per enabled region would settle it)",
                listed.join(", ")
            )
        }
    }
}

/// The roles of this account `w` runs as that trust `service`.
fn roles_of<'a>(
    b: &'a Builder<'_, '_>,
    w: &'a Workload,
    service: &'a str,
) -> impl Iterator<Item = RoleId> + 'a {
    let account = b.engine.account();
    w.roles
        .iter()
        .filter_map(move |arn| match account.by_arn(arn) {
            Some(EntityRef::Role(r))
                if b.roles[r.index()].services.iter().any(|s| s == service) =>
            {
                Some(r)
            }
            _ => None,
        })
}

/// Why an instance's takeover needs more than the permission, or `None` when it cannot
/// be taken over through Systems Manager at all (terminated, or not managed by SSM).
fn instance_assumptions(w: &Workload) -> Option<Vec<String>> {
    if matches!(w.state.as_deref(), Some("terminated" | "shutting-down")) {
        return None;
    }
    let mut out = Vec::new();
    match w.ssm_managed {
        Some(false) => return None,
        Some(true) => {}
        None => out.push(format!(
            "instance {} runs the SSM agent, registered with Systems Manager (workloads/ssm/{}.json would tell)",
            w.name, w.region
        )),
    }
    if w.state.as_deref() == Some("stopped") {
        out.push(format!(
            "instance {} is stopped: it must be started first",
            w.name
        ));
    }
    Some(out)
}

/// One fact edge's pieces: the target role node, the allowed requests, what must also hold.
pub(super) type FactEdge = (u32, Vec<(Decision, Proof)>, Vec<String>);

/// The takeover edges `who` has on the listed workloads of `kind`: one per role, with
/// the requests on that role's workloads the evaluator allowed.
pub(super) fn fact_edges(
    b: &Builder<'_, '_>,
    who: PrincipalRef,
    kind: WorkloadKind,
    service: &str,
    actions: &[&'static str],
) -> Vec<FactEdge> {
    let engine = b.engine;
    let account = engine.account();
    type Found = (Vec<(Decision, Proof)>, Vec<String>);
    let mut by_role: BTreeMap<u32, Found> = BTreeMap::new();
    for w in account.workloads.of(kind) {
        let assumptions = match kind {
            WorkloadKind::Ec2Instance => match instance_assumptions(w) {
                Some(a) => a,
                None => continue,
            },
            _ => Vec::new(),
        };
        let roles: Vec<RoleId> = roles_of(b, w, service).collect();
        if roles.is_empty() {
            continue;
        }
        let Some(proof) = actions
            .iter()
            .find_map(|a| ask(engine, who, Proof::on(a, &w.arn, ProofContext::Unknown)))
        else {
            continue;
        };
        for r in roles {
            let entry = by_role.entry(b.graph.role_node(r) as u32).or_default();
            entry.0.push(proof.clone());
            for a in &assumptions {
                if !entry.1.contains(a) {
                    entry.1.push(a.clone());
                }
            }
        }
    }
    by_role
        .into_iter()
        .map(|(node, (proofs, assumptions))| (node, proofs, assumptions))
        .collect()
}

/// What the inventory shows about a takeover edge: each workload its requests were
/// asked on, and the role it runs as ("function thumbnailer (us-east-1) runs as
/// role/service-role/thumbnailer-lambda"). Empty for other edges.
pub fn facts(engine: &Engine<'_>, graph: &super::Graph, edge: &Edge) -> Vec<String> {
    let account: &Account = engine.account();
    if workload_kind(edge.kind).is_none() {
        return Vec::new();
    }
    let target = graph.arns[edge.to].as_ref();
    let mut out = Vec::new();
    for p in &edge.proofs {
        let Some(w) = account.workloads.by_arn(&p.resource) else {
            continue;
        };
        let Some(role) = w.roles.iter().find(|r| r.as_str() == target) else {
            continue;
        };
        let role = role.split_once(":role/").map_or(role.as_str(), |(_, r)| r);
        let via = w
            .instance_profile
            .as_deref()
            .and_then(|p| p.split_once(":instance-profile/"))
            .map(|(_, name)| format!(" through instance profile {name}"))
            .unwrap_or_default();
        let fact = format!(
            "{} {} ({}) runs as role/{role}{via}",
            w.kind.noun(),
            w.name,
            w.region
        );
        if !out.contains(&fact) {
            out.push(fact);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn inventory(regions: &[&str], enabled: Option<&[&str]>) -> Inventory {
        let mut inv = Inventory::default();
        inv.covered.insert(
            WorkloadKind::LambdaFunction,
            regions.iter().map(|r| r.to_string()).collect(),
        );
        inv.enabled_regions =
            enabled.map(|e| e.iter().map(|r| r.to_string()).collect::<BTreeSet<_>>());
        inv
    }

    #[test]
    fn a_pattern_is_unlisted_unless_its_region_is_listed_or_the_inventory_complete() {
        let k = WorkloadKind::LambdaFunction;
        let inv = inventory(&["us-east-1"], None);
        assert!(!could_be_unlisted(
            &inv,
            k,
            "arn:aws:lambda:us-east-1:111111111111:function:f"
        ));
        assert!(could_be_unlisted(
            &inv,
            k,
            "arn:aws:lambda:eu-west-1:111111111111:function:f"
        ));
        assert!(could_be_unlisted(&inv, k, "*"));
        assert!(could_be_unlisted(
            &inv,
            k,
            "arn:aws:lambda:us-*:111111111111:function:f"
        ));
        let complete = inventory(
            &["us-east-1", "eu-west-1"],
            Some(&["us-east-1", "eu-west-1"]),
        );
        assert!(!could_be_unlisted(&complete, k, "*"));
        let partial = inventory(&["us-east-1"], Some(&["us-east-1", "eu-west-1"]));
        assert!(could_be_unlisted(&partial, k, "*"));
        assert!(could_be_unlisted(
            &Inventory::default(),
            k,
            "arn:aws:lambda:us-east-1:1:function:f"
        ));
    }

    #[test]
    fn the_assumption_names_the_file_that_would_settle_it() {
        let k = WorkloadKind::LambdaFunction;
        let none = unlisted_assumption(&Inventory::default(), k, "a function runs");
        assert!(none.contains("workloads/lambda/<region>.json"), "{none}");
        let some = unlisted_assumption(&inventory(&["us-east-1"], None), k, "a function runs");
        assert!(some.contains("it lists us-east-1"), "{some}");
    }
}
