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
        EdgeKind::UpdateCloudFormationStack => Some(WorkloadKind::CloudFormationStack),
        EdgeKind::StartCodeBuildProject => Some(WorkloadKind::CodeBuildProject),
        EdgeKind::OpenSageMakerNotebook => Some(WorkloadKind::SageMakerNotebook),
        EdgeKind::EcsExecOnService => Some(WorkloadKind::EcsService),
        _ => None,
    }
}

/// The bundle file that lists workloads of `kind` for a region.
fn inventory_file(kind: WorkloadKind) -> String {
    match kind {
        WorkloadKind::EcsService => {
            "workloads/ecs/<region>/services-<cluster>.json (with its task-definitions/)".into()
        }
        WorkloadKind::SageMakerNotebook => "workloads/sagemaker/<region>/<notebook>.json".into(),
        _ => format!("workloads/{}/<region>.json", kind.folder()),
    }
}

/// The resources a takeover of `w` is asked on, each needed: the workload's own ARN,
/// except for ECS Exec, which AWS authorizes on the service's cluster and on the task
/// (a task of the service, whose id the inventory does not know).
fn request_resources(w: &Workload) -> Vec<String> {
    if w.kind != WorkloadKind::EcsService {
        return vec![w.arn.clone()];
    }
    // `…:service/<cluster>/<name>`; the older `…:service/<name>` has no cluster, which
    // the file it came from (`services-<cluster>.json`) names.
    let Some((prefix, rest)) = w.arn.split_once(":service/") else {
        return vec![w.arn.clone()];
    };
    let cluster = match rest.split_once('/') {
        Some((cluster, _)) => cluster,
        None => w
            .file
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .trim_end_matches(".json")
            .trim_start_matches("services-"),
    };
    vec![
        format!("{prefix}:cluster/{cluster}"),
        format!("{prefix}:task/{cluster}/*"),
    ]
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
        None => format!(
            "{base} (unknown: the bundle has no {}, which would settle it)",
            inventory_file(kind)
        ),
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

/// Why taking `w` over needs more than the permission, or `None` when it cannot be
/// taken over this way at all (a terminated instance, an instance Systems Manager does
/// not manage, a notebook being deleted, a service without ECS Exec or inactive).
fn workload_assumptions(w: &Workload) -> Option<Vec<String>> {
    match w.kind {
        WorkloadKind::Ec2Instance => instance_assumptions(w),
        WorkloadKind::SageMakerNotebook => match w.state.as_deref() {
            Some("Deleting") => None,
            Some(state @ ("Stopped" | "Stopping" | "Failed")) => Some(vec![format!(
                "notebook {} is {}: it must be started first (sagemaker:StartNotebookInstance)",
                w.name,
                state.to_lowercase()
            )]),
            _ => Some(Vec::new()),
        },
        WorkloadKind::EcsService => service_assumptions(w),
        _ => Some(Vec::new()),
    }
}

/// ECS Exec needs the service to allow it (`enableExecuteCommand`, kept in
/// `ssm_managed`: ECS Exec is a Systems Manager session) and a running task.
fn service_assumptions(w: &Workload) -> Option<Vec<String>> {
    let mut out = Vec::new();
    match w.ssm_managed {
        Some(false) => return None,
        Some(true) => {}
        None => out.push(format!(
            "ECS service {} has ECS Exec enabled (enableExecuteCommand in {} would tell)",
            w.name, w.file
        )),
    }
    match w.state.as_deref() {
        Some("inactive") => return None,
        Some("stopped") => out.push(format!(
            "ECS service {} has no running task: it must be scaled up first",
            w.name
        )),
        _ => {}
    }
    Some(out)
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
        let Some(assumptions) = workload_assumptions(w) else {
            continue;
        };
        let roles: Vec<RoleId> = roles_of(b, w, service).collect();
        if roles.is_empty() {
            continue;
        }
        let resources = request_resources(w);
        // The first action allowed on every resource the request names.
        let Some(proofs) = actions.iter().find_map(|a| {
            resources
                .iter()
                .map(|r| ask(engine, who, Proof::on(a, r, ProofContext::Unknown)))
                .collect::<Option<Vec<_>>>()
        }) else {
            continue;
        };
        for r in roles {
            let entry = by_role.entry(b.graph.role_node(r) as u32).or_default();
            for proof in &proofs {
                if !entry.0.contains(proof) {
                    entry.0.push(proof.clone());
                }
            }
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

/// How a workload of `kind` holds its role, for facts.
fn relation(kind: WorkloadKind) -> &'static str {
    match kind {
        WorkloadKind::CloudFormationStack | WorkloadKind::CodeBuildProject => {
            "runs with service role"
        }
        WorkloadKind::EcsService => "runs its tasks as",
        _ => "runs as",
    }
}

/// What the inventory shows about a takeover edge: each workload its requests were
/// asked on, and the role it runs as ("function thumbnailer (us-east-1) runs as
/// role/service-role/thumbnailer-lambda", "stack network (us-east-1) runs with service
/// role role/cfn-deploy"). Empty for other edges.
pub fn facts(engine: &Engine<'_>, graph: &super::Graph, edge: &Edge) -> Vec<String> {
    let account: &Account = engine.account();
    let Some(kind) = workload_kind(edge.kind) else {
        return Vec::new();
    };
    let target = graph.arns[edge.to].as_ref();
    let mut out = Vec::new();
    let asked = |w: &&Workload| {
        let resources = request_resources(w);
        edge.proofs
            .iter()
            .any(|p| resources.iter().any(|r| r.as_str() == p.resource.as_ref()))
    };
    for w in account.workloads.of(kind).filter(asked) {
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
            "{} {} ({}) {} role/{role}{via}",
            w.kind.noun(),
            w.name,
            w.region,
            relation(w.kind)
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
