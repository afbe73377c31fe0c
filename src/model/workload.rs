//! The workload inventory: functions, instances, services, stacks, projects, endpoints
//! and notebooks, and the roles they run as. It turns a takeover edge ("replace the
//! code of a function that runs as this role") from an assumption into a fact.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

/// What kind of workload, as the bundle's `workloads/<service>/` folders name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkloadKind {
    /// A Lambda function (`workloads/lambda/`).
    LambdaFunction,
    /// An EC2 instance (`workloads/ec2/`).
    Ec2Instance,
    /// An ECS service (`workloads/ecs/<region>/services-<cluster>.json`).
    EcsService,
    /// An ECS task definition (`workloads/ecs/<region>/task-definitions/`).
    EcsTaskDefinition,
    /// A CloudFormation stack (`workloads/cloudformation/`).
    CloudFormationStack,
    /// A CodeBuild project (`workloads/codebuild/`).
    CodeBuildProject,
    /// A Glue development endpoint (`workloads/glue/`).
    GlueDevEndpoint,
    /// A SageMaker notebook instance (`workloads/sagemaker/`).
    SageMakerNotebook,
}

impl WorkloadKind {
    /// Every kind, in display order.
    pub const ALL: [WorkloadKind; 8] = [
        WorkloadKind::LambdaFunction,
        WorkloadKind::Ec2Instance,
        WorkloadKind::EcsService,
        WorkloadKind::EcsTaskDefinition,
        WorkloadKind::CloudFormationStack,
        WorkloadKind::CodeBuildProject,
        WorkloadKind::GlueDevEndpoint,
        WorkloadKind::SageMakerNotebook,
    ];

    /// The bundle folder under `workloads/` that holds this kind.
    pub fn folder(self) -> &'static str {
        match self {
            WorkloadKind::LambdaFunction => "lambda",
            WorkloadKind::Ec2Instance => "ec2",
            WorkloadKind::EcsService | WorkloadKind::EcsTaskDefinition => "ecs",
            WorkloadKind::CloudFormationStack => "cloudformation",
            WorkloadKind::CodeBuildProject => "codebuild",
            WorkloadKind::GlueDevEndpoint => "glue",
            WorkloadKind::SageMakerNotebook => "sagemaker",
        }
    }

    /// A noun for messages: "function", "instance", …
    pub fn noun(self) -> &'static str {
        match self {
            WorkloadKind::LambdaFunction => "function",
            WorkloadKind::Ec2Instance => "instance",
            WorkloadKind::EcsService => "ECS service",
            WorkloadKind::EcsTaskDefinition => "task definition",
            WorkloadKind::CloudFormationStack => "stack",
            WorkloadKind::CodeBuildProject => "CodeBuild project",
            WorkloadKind::GlueDevEndpoint => "Glue dev endpoint",
            WorkloadKind::SageMakerNotebook => "notebook",
        }
    }
}

/// One workload and the roles it runs as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Workload {
    /// What it is.
    pub kind: WorkloadKind,
    /// Its region.
    pub region: String,
    /// Function name, instance id, service, task definition (`family:revision`), stack,
    /// project, endpoint or notebook name.
    pub name: String,
    /// Its ARN: takeover actions are asked on it.
    pub arn: String,
    /// ARNs of the roles it runs as (execution role, task role, service role), as
    /// exported; they may name roles of other accounts.
    pub roles: Vec<String>,
    /// The instance profile an EC2 instance runs with (its roles are the profile's).
    pub instance_profile: Option<String>,
    /// Its state, when exported: an EC2 instance's (`running`, `stopped`, …), a
    /// notebook's status (`InService`, `Stopped`, …), an ECS service's `running`,
    /// `stopped` (no running task) or `inactive`.
    pub state: Option<String>,
    /// Whether a Systems Manager session can be opened into it: for an EC2 instance,
    /// whether SSM manages it (`workloads/ssm/`); for an ECS service, whether ECS Exec
    /// is enabled (`enableExecuteCommand`). `None` when the bundle does not say.
    pub ssm_managed: Option<bool>,
    /// The bundle-relative file it came from.
    pub file: String,
}

/// Every workload of the bundle, and which `(kind, region)` files it had: a region
/// without a file is unknown, not empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inventory {
    /// The workloads.
    pub workloads: Vec<Workload>,
    /// For each kind, the regions the bundle lists it for.
    pub covered: BTreeMap<WorkloadKind, BTreeSet<String>>,
    /// Regions with Systems Manager data (`workloads/ssm/<region>.json`).
    pub ssm_regions: BTreeSet<String>,
    /// The account's enabled regions (`workloads/regions.json`), when exported: a kind
    /// listed for all of them is complete.
    pub enabled_regions: Option<BTreeSet<String>>,
}

impl Inventory {
    /// True when the bundle has any workload file.
    pub fn is_present(&self) -> bool {
        !self.covered.is_empty()
    }

    /// True when `kind` is listed for `region`.
    pub fn covers(&self, kind: WorkloadKind, region: &str) -> bool {
        self.covered
            .get(&kind)
            .is_some_and(|regions| regions.contains(region))
    }

    /// True when `kind` is listed for every enabled region, so a workload it does not
    /// list does not exist.
    pub fn complete(&self, kind: WorkloadKind) -> bool {
        match (&self.enabled_regions, self.covered.get(&kind)) {
            (Some(enabled), Some(covered)) => enabled.is_subset(covered),
            _ => false,
        }
    }

    /// The workloads of one kind.
    pub fn of(&self, kind: WorkloadKind) -> impl Iterator<Item = &Workload> {
        self.workloads.iter().filter(move |w| w.kind == kind)
    }

    /// The workload with this ARN.
    pub fn by_arn(&self, arn: &str) -> Option<&Workload> {
        self.workloads.iter().find(|w| w.arn == arn)
    }
}
