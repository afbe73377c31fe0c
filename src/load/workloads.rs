//! `workloads/`: the verbatim AWS CLI listings of what runs as a role, per region.
//!
//! | file | command |
//! |---|---|
//! | `workloads/regions.json` | `aws ec2 describe-regions` (the enabled regions) |
//! | `workloads/lambda/<region>.json` | `aws lambda list-functions` |
//! | `workloads/ec2/<region>.json` | `aws ec2 describe-instances` |
//! | `workloads/ssm/<region>.json` | `aws ssm describe-instance-information` |
//! | `workloads/ecs/<region>/services-<cluster>.json` | `aws ecs describe-services` |
//! | `workloads/ecs/<region>/task-definitions/<family>-<revision>.json` | `aws ecs describe-task-definition` |
//! | `workloads/cloudformation/<region>.json` | `aws cloudformation describe-stacks` |
//! | `workloads/codebuild/<region>.json` | `aws codebuild batch-get-projects` |
//! | `workloads/glue/<region>.json` | `aws glue get-dev-endpoints` |
//! | `workloads/sagemaker/<region>/<notebook>.json` | `aws sagemaker describe-notebook-instance` |

use std::collections::{BTreeSet, HashMap};

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::builder::AccountBuilder;
use super::providers::partition;
use super::{json, LoadError};
use crate::model::{Workload, WorkloadKind};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawRegions {
    regions: Vec<RawRegion>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawRegion {
    region_name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawFunctions {
    functions: Vec<RawFunction>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawFunction {
    function_name: String,
    function_arn: Option<String>,
    role: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawReservations {
    reservations: Vec<RawReservation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawReservation {
    #[serde(default)]
    instances: Vec<RawInstance>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawInstance {
    instance_id: String,
    iam_instance_profile: Option<RawArnOnly>,
    state: Option<RawState>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawArnOnly {
    arn: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawState {
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawSsm {
    instance_information_list: Vec<RawSsmInstance>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawSsmInstance {
    instance_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawServices {
    services: Vec<RawService>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawService {
    service_name: String,
    service_arn: Option<String>,
    task_definition: Option<String>,
    /// ECS Exec allowed into its tasks.
    enable_execute_command: Option<bool>,
    running_count: Option<u64>,
    status: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawTaskDefinitionFile {
    task_definition: RawTaskDefinition,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawTaskDefinition {
    task_definition_arn: String,
    task_role_arn: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawStacks {
    stacks: Vec<RawStack>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawStack {
    stack_name: String,
    stack_id: Option<String>,
    #[serde(rename = "RoleARN")]
    role_arn: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawProjects {
    projects: Vec<RawProject>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawProject {
    name: String,
    arn: Option<String>,
    service_role: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawDevEndpoints {
    dev_endpoints: Vec<RawDevEndpoint>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawDevEndpoint {
    endpoint_name: String,
    role_arn: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawNotebook {
    notebook_instance_name: String,
    notebook_instance_arn: Option<String>,
    role_arn: Option<String>,
    notebook_instance_status: Option<String>,
}

/// Every JSON page of bundle file `rel` (paginated CLI runs append pages to one file).
fn pages<T: DeserializeOwned>(
    builder: &AccountBuilder<'_>,
    rel: &str,
) -> Result<Vec<T>, LoadError> {
    let Some(bytes) = builder.source().read(rel)? else {
        return Ok(Vec::new());
    };
    let path = builder.display_path(rel);
    let text = super::text::check_text(&path, &bytes)?;
    Ok(json::parse_pages::<T>(&path, text)?
        .into_iter()
        .map(|(page, _)| page)
        .collect())
}

/// The last path segment without `.json`.
fn stem(rel: &str) -> &str {
    rel.rsplit('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".json")
}

fn json_files(builder: &AccountBuilder<'_>, dir: &str) -> Result<Vec<String>, LoadError> {
    Ok(builder
        .source()
        .list_files(dir)?
        .into_iter()
        .filter(|f| f.ends_with(".json"))
        .collect())
}

/// What the readers share: the account's ARN prefix pieces and the workloads so far.
struct Reader<'b, 's> {
    builder: &'b mut AccountBuilder<'s>,
    partition: String,
    account: String,
}

impl Reader<'_, '_> {
    fn arn(&self, service: &str, region: &str, rest: &str) -> String {
        format!(
            "arn:{}:{service}:{region}:{}:{rest}",
            self.partition, self.account
        )
    }

    fn cover(&mut self, kind: WorkloadKind, region: &str) {
        self.builder
            .account
            .workloads
            .covered
            .entry(kind)
            .or_default()
            .insert(region.to_string());
    }

    /// Takes `region` back out of `kind`'s coverage (and the kind, with no region left).
    fn uncover(&mut self, kind: WorkloadKind, region: &str) {
        let covered = &mut self.builder.account.workloads.covered;
        if let Some(regions) = covered.get_mut(&kind) {
            regions.remove(region);
            if regions.is_empty() {
                covered.remove(&kind);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: WorkloadKind,
        region: &str,
        name: String,
        arn: String,
        roles: Vec<String>,
        file: &str,
    ) -> &mut Workload {
        let list = &mut self.builder.account.workloads.workloads;
        list.push(Workload {
            kind,
            region: region.to_string(),
            name,
            arn,
            roles,
            instance_profile: None,
            state: None,
            ssm_managed: None,
            file: file.to_string(),
        });
        let last = list.len() - 1;
        &mut list[last]
    }

    /// `workloads/<folder>/<region>.json` files, each parsed as `T`.
    fn per_region<T: DeserializeOwned>(
        &mut self,
        folder: &str,
    ) -> Result<Vec<(String, String, Vec<T>)>, LoadError> {
        let mut out = Vec::new();
        for rel in json_files(self.builder, &format!("workloads/{folder}"))? {
            let region = stem(&rel).to_string();
            let pages = pages::<T>(self.builder, &rel)?;
            out.push((region, rel, pages));
        }
        Ok(out)
    }
}

/// Reads `workloads/` when present.
pub fn read(builder: &mut AccountBuilder<'_>) -> Result<(), LoadError> {
    let partition = partition(builder);
    let account = builder.account.id.clone();
    let mut r = Reader {
        builder,
        partition,
        account,
    };
    if let Some(regions) = pages::<RawRegions>(r.builder, "workloads/regions.json")?
        .into_iter()
        .reduce(|mut a, b| {
            a.regions.extend(b.regions);
            a
        })
    {
        r.builder.account.workloads.enabled_regions =
            Some(regions.regions.into_iter().map(|x| x.region_name).collect());
    }
    read_lambda(&mut r)?;
    read_ec2(&mut r)?;
    read_ecs(&mut r)?;
    read_stacks(&mut r)?;
    read_codebuild(&mut r)?;
    read_glue(&mut r)?;
    read_sagemaker(&mut r)?;
    let inventory = &r.builder.account.workloads;
    r.builder.account.parts.workloads = inventory.is_present();
    Ok(())
}

fn read_lambda(r: &mut Reader<'_, '_>) -> Result<(), LoadError> {
    let kind = WorkloadKind::LambdaFunction;
    for (region, rel, pages) in r.per_region::<RawFunctions>("lambda")? {
        r.cover(kind, &region);
        for f in pages.into_iter().flat_map(|p| p.functions) {
            let arn = f.function_arn.unwrap_or_else(|| {
                r.arn("lambda", &region, &format!("function:{}", f.function_name))
            });
            r.push(
                kind,
                &region,
                f.function_name,
                arn,
                f.role.into_iter().collect(),
                &rel,
            );
        }
    }
    Ok(())
}

fn read_ec2(r: &mut Reader<'_, '_>) -> Result<(), LoadError> {
    let kind = WorkloadKind::Ec2Instance;
    let mut managed: HashMap<String, BTreeSet<String>> = HashMap::new();
    for (region, _, pages) in r.per_region::<RawSsm>("ssm")? {
        r.builder
            .account
            .workloads
            .ssm_regions
            .insert(region.clone());
        managed.entry(region).or_default().extend(
            pages
                .into_iter()
                .flat_map(|p| p.instance_information_list)
                .map(|i| i.instance_id),
        );
    }
    for (region, rel, pages) in r.per_region::<RawReservations>("ec2")? {
        r.cover(kind, &region);
        let instances = pages
            .into_iter()
            .flat_map(|p| p.reservations)
            .flat_map(|res| res.instances);
        for i in instances {
            let arn = r.arn("ec2", &region, &format!("instance/{}", i.instance_id));
            let ssm = managed.get(&region).map(|ids| ids.contains(&i.instance_id));
            let w = r.push(kind, &region, i.instance_id, arn, Vec::new(), &rel);
            w.instance_profile = i.iam_instance_profile.map(|p| p.arn);
            w.state = i.state.map(|s| s.name);
            w.ssm_managed = ssm;
        }
    }
    // An instance runs as the roles of its profile.
    let profiles: HashMap<String, Vec<String>> = r
        .builder
        .account
        .instance_profiles
        .iter()
        .map(|p| {
            let roles = p
                .roles
                .iter()
                .map(|&id| r.builder.account.role(id).common.arn.as_str().to_string())
                .collect();
            (p.arn.as_str().to_string(), roles)
        })
        .collect();
    for w in r.builder.account.workloads.workloads.iter_mut() {
        if let Some(roles) = w.instance_profile.as_ref().and_then(|p| profiles.get(p)) {
            w.roles.clone_from(roles);
        }
    }
    Ok(())
}

fn read_ecs(r: &mut Reader<'_, '_>) -> Result<(), LoadError> {
    for region_dir in r.builder.source().list_dirs("workloads/ecs")? {
        let region = stem(&region_dir).to_string();
        let mut task_roles: HashMap<String, Option<String>> = HashMap::new();
        let kind = WorkloadKind::EcsTaskDefinition;
        for rel in json_files(r.builder, &format!("{region_dir}/task-definitions"))? {
            r.cover(kind, &region);
            for file in pages::<RawTaskDefinitionFile>(r.builder, &rel)? {
                let t = file.task_definition;
                let name = t
                    .task_definition_arn
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_string();
                task_roles.insert(t.task_definition_arn.clone(), t.task_role_arn.clone());
                let roles = t.task_role_arn.into_iter().collect();
                r.push(kind, &region, name, t.task_definition_arn, roles, &rel);
            }
        }
        let kind = WorkloadKind::EcsService;
        let mut task_role_unknown = false;
        for rel in json_files(r.builder, &region_dir)? {
            r.cover(kind, &region);
            for s in pages::<RawServices>(r.builder, &rel)?
                .into_iter()
                .flat_map(|p| p.services)
            {
                let cluster = stem(&rel).trim_start_matches("services-").to_string();
                let arn = s.service_arn.unwrap_or_else(|| {
                    r.arn(
                        "ecs",
                        &region,
                        &format!("service/{cluster}/{}", s.service_name),
                    )
                });
                let role = s
                    .task_definition
                    .as_ref()
                    .and_then(|t| task_roles.get(t).cloned().flatten());
                let listed = s
                    .task_definition
                    .as_ref()
                    .is_some_and(|t| task_roles.contains_key(t));
                if s.task_definition.is_some() && !listed {
                    task_role_unknown = true;
                    r.builder.warn(
                        &rel,
                        None,
                        format!(
                            "ECS service {} uses a task definition that is not in task-definitions/: its task role is unknown",
                            s.service_name
                        ),
                    );
                }
                let w = r.push(
                    kind,
                    &region,
                    s.service_name,
                    arn,
                    role.into_iter().collect(),
                    &rel,
                );
                // ECS Exec is a Systems Manager session into the service's tasks.
                w.ssm_managed = s.enable_execute_command;
                w.state = match (s.status.as_deref(), s.running_count) {
                    (Some("INACTIVE"), _) => Some("inactive".into()),
                    (_, Some(0)) => Some("stopped".into()),
                    (_, Some(_)) => Some("running".into()),
                    _ => None,
                };
            }
        }
        // A service whose task role is unknown may run as any task role: the region's
        // services do not settle a takeover (fail closed), though they stay listed.
        if task_role_unknown {
            r.uncover(kind, &region);
        }
    }
    Ok(())
}

fn read_stacks(r: &mut Reader<'_, '_>) -> Result<(), LoadError> {
    let kind = WorkloadKind::CloudFormationStack;
    for (region, rel, pages) in r.per_region::<RawStacks>("cloudformation")? {
        r.cover(kind, &region);
        for s in pages.into_iter().flat_map(|p| p.stacks) {
            let arn = s.stack_id.unwrap_or_else(|| {
                r.arn(
                    "cloudformation",
                    &region,
                    &format!("stack/{}", s.stack_name),
                )
            });
            r.push(
                kind,
                &region,
                s.stack_name,
                arn,
                s.role_arn.into_iter().collect(),
                &rel,
            );
        }
    }
    Ok(())
}

fn read_codebuild(r: &mut Reader<'_, '_>) -> Result<(), LoadError> {
    let kind = WorkloadKind::CodeBuildProject;
    for (region, rel, pages) in r.per_region::<RawProjects>("codebuild")? {
        r.cover(kind, &region);
        for p in pages.into_iter().flat_map(|p| p.projects) {
            let arn = p
                .arn
                .unwrap_or_else(|| r.arn("codebuild", &region, &format!("project/{}", p.name)));
            let roles = p.service_role.into_iter().collect();
            r.push(kind, &region, p.name, arn, roles, &rel);
        }
    }
    Ok(())
}

fn read_glue(r: &mut Reader<'_, '_>) -> Result<(), LoadError> {
    let kind = WorkloadKind::GlueDevEndpoint;
    for (region, rel, pages) in r.per_region::<RawDevEndpoints>("glue")? {
        r.cover(kind, &region);
        for e in pages.into_iter().flat_map(|p| p.dev_endpoints) {
            let arn = r.arn("glue", &region, &format!("devEndpoint/{}", e.endpoint_name));
            let roles = e.role_arn.into_iter().collect();
            r.push(kind, &region, e.endpoint_name, arn, roles, &rel);
        }
    }
    Ok(())
}

fn read_sagemaker(r: &mut Reader<'_, '_>) -> Result<(), LoadError> {
    let kind = WorkloadKind::SageMakerNotebook;
    for region_dir in r.builder.source().list_dirs("workloads/sagemaker")? {
        let region = stem(&region_dir).to_string();
        r.cover(kind, &region);
        for rel in json_files(r.builder, &region_dir)? {
            for n in pages::<RawNotebook>(r.builder, &rel)? {
                let arn = n.notebook_instance_arn.unwrap_or_else(|| {
                    r.arn(
                        "sagemaker",
                        &region,
                        &format!(
                            "notebook-instance/{}",
                            n.notebook_instance_name.to_lowercase()
                        ),
                    )
                });
                let roles = n.role_arn.into_iter().collect();
                let w = r.push(kind, &region, n.notebook_instance_name, arn, roles, &rel);
                w.state = n.notebook_instance_status;
            }
        }
    }
    Ok(())
}
