//! Issue 15: taking over an existing CloudFormation stack, CodeBuild project, SageMaker
//! notebook, ECS service or Glue dev endpoint. With the bundle's workload inventory the
//! edge is a fact naming the workload and goes only to the role it runs as; when that
//! part of the inventory is absent, the edge stays conditional, goes to every role the
//! service could run as, and names the bundle file that would settle it.

use std::collections::BTreeMap;
use std::path::Path;

use iamscope::eval::Engine;
use iamscope::graph::{EdgeKind, Graph};
use iamscope::load::{load, Input};
use iamscope::model::Account;
use serde_json::json;

const ACCOUNT: &str = "123456789012";

fn role(name: &str, service: &str) -> serde_json::Value {
    json!({
        "RoleName": name, "Path": "/", "RoleId": format!("AROA{}", name.len()),
        "Arn": format!("arn:aws:iam::{ACCOUNT}:role/{name}"),
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]},
        "InstanceProfileList": [], "RolePolicyList": [], "AttachedManagedPolicies": []
    })
}

fn user(name: &str, statements: serde_json::Value) -> serde_json::Value {
    json!({
        "UserName": name, "Path": "/", "UserId": format!("AIDA{}", name.len()),
        "Arn": format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
        "GroupList": [], "AttachedManagedPolicies": [],
        "UserPolicyList": [{"PolicyName": "takeover", "PolicyDocument":
            {"Version": "2012-10-17", "Statement": statements}}]
    })
}

/// `operator` may take over anything; `half-exec` may run ECS Exec on the cluster but
/// not on its tasks, which AWS also requires.
fn gaad() -> String {
    let mut roles = Vec::new();
    for (prefix, service) in [
        ("cfn", "cloudformation.amazonaws.com"),
        ("build", "codebuild.amazonaws.com"),
        ("nb", "sagemaker.amazonaws.com"),
        ("task", "ecs-tasks.amazonaws.com"),
        ("glue", "glue.amazonaws.com"),
    ] {
        roles.push(role(&format!("{prefix}-used"), service));
        roles.push(role(&format!("{prefix}-idle"), service));
    }
    roles.push(role("nb-stopped", "sagemaker.amazonaws.com"));
    roles.push(role("task-noexec", "ecs-tasks.amazonaws.com"));
    let operator = user(
        "operator",
        json!([{"Effect": "Allow", "Resource": "*", "Action": [
            "cloudformation:UpdateStack", "codebuild:StartBuild",
            "sagemaker:CreatePresignedNotebookInstanceUrl", "ecs:ExecuteCommand",
            "glue:UpdateDevEndpoint"]}]),
    );
    let half = user(
        "half-exec",
        json!([{"Effect": "Allow", "Action": "ecs:ExecuteCommand",
                "Resource": format!("arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/prod")}]),
    );
    json!({"UserDetailList": [operator, half], "GroupDetailList": [],
           "RoleDetailList": roles, "Policies": []})
    .to_string()
}

fn arn(rest: &str) -> String {
    rest.replace("ACCOUNT", ACCOUNT)
}

/// Every inventory file the techniques read, all in us-east-1, the one enabled region.
fn inventory() -> Vec<(&'static str, String)> {
    vec![
        (
            "workloads/regions.json",
            r#"{"Regions": [{"RegionName": "us-east-1"}]}"#.into(),
        ),
        (
            "workloads/cloudformation/us-east-1.json",
            arn(r#"{"Stacks": [
                {"StackName": "network", "StackStatus": "UPDATE_COMPLETE",
                 "StackId": "arn:aws:cloudformation:us-east-1:ACCOUNT:stack/network/1a2b",
                 "RoleARN": "arn:aws:iam::ACCOUNT:role/cfn-used"},
                {"StackName": "no-role", "StackStatus": "CREATE_COMPLETE",
                 "StackId": "arn:aws:cloudformation:us-east-1:ACCOUNT:stack/no-role/3c4d"}]}"#),
        ),
        (
            "workloads/codebuild/us-east-1.json",
            arn(r#"{"projects": [{"name": "release",
                "arn": "arn:aws:codebuild:us-east-1:ACCOUNT:project/release",
                "serviceRole": "arn:aws:iam::ACCOUNT:role/build-used"}],
                "projectsNotFound": []}"#),
        ),
        (
            "workloads/sagemaker/us-east-1/lab.json",
            arn(
                r#"{"NotebookInstanceName": "lab", "NotebookInstanceStatus": "InService",
                "NotebookInstanceArn": "arn:aws:sagemaker:us-east-1:ACCOUNT:notebook-instance/lab",
                "RoleArn": "arn:aws:iam::ACCOUNT:role/nb-used"}"#,
            ),
        ),
        (
            "workloads/sagemaker/us-east-1/old.json",
            arn(
                r#"{"NotebookInstanceName": "old", "NotebookInstanceStatus": "Stopped",
                "NotebookInstanceArn": "arn:aws:sagemaker:us-east-1:ACCOUNT:notebook-instance/old",
                "RoleArn": "arn:aws:iam::ACCOUNT:role/nb-stopped"}"#,
            ),
        ),
        (
            "workloads/ecs/us-east-1/services-prod.json",
            arn(r#"{"services": [
                {"serviceName": "api", "status": "ACTIVE", "runningCount": 2,
                 "serviceArn": "arn:aws:ecs:us-east-1:ACCOUNT:service/prod/api",
                 "taskDefinition": "arn:aws:ecs:us-east-1:ACCOUNT:task-definition/api:3",
                 "enableExecuteCommand": true},
                {"serviceName": "batch", "status": "ACTIVE", "runningCount": 1,
                 "serviceArn": "arn:aws:ecs:us-east-1:ACCOUNT:service/prod/batch",
                 "taskDefinition": "arn:aws:ecs:us-east-1:ACCOUNT:task-definition/batch:1",
                 "enableExecuteCommand": false}], "failures": []}"#),
        ),
        (
            "workloads/ecs/us-east-1/task-definitions/api-3.json",
            arn(r#"{"taskDefinition": {
                "taskDefinitionArn": "arn:aws:ecs:us-east-1:ACCOUNT:task-definition/api:3",
                "taskRoleArn": "arn:aws:iam::ACCOUNT:role/task-used"}}"#),
        ),
        (
            "workloads/ecs/us-east-1/task-definitions/batch-1.json",
            arn(r#"{"taskDefinition": {
                "taskDefinitionArn": "arn:aws:ecs:us-east-1:ACCOUNT:task-definition/batch:1",
                "taskRoleArn": "arn:aws:iam::ACCOUNT:role/task-noexec"}}"#),
        ),
        (
            "workloads/glue/us-east-1.json",
            arn(r#"{"DevEndpoints": [{"EndpointName": "dev",
                "RoleArn": "arn:aws:iam::ACCOUNT:role/glue-used"}]}"#),
        ),
    ]
}

fn open(files: &[(&str, String)]) -> (tempfile::TempDir, Account) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("gaad.json"), gaad()).expect("gaad");
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    let account = load(&Input::Path(Path::new(dir.path()).to_path_buf())).expect("loads");
    (dir, account)
}

/// One takeover edge as seen from its source: target, conditional, assumptions, facts.
#[derive(Debug, PartialEq)]
struct Seen {
    conditional: bool,
    assumptions: Vec<String>,
    facts: Vec<String>,
}

fn edges(account: &Account, from: &str, kind: EdgeKind) -> BTreeMap<String, Seen> {
    let engine = Engine::new(account);
    let graph = Graph::build(&engine);
    let who = engine.resolve(from).expect("principal");
    graph
        .outgoing(graph.node_of(who))
        .filter(|e| e.kind == kind)
        .map(|e| {
            let hop = iamscope::query::hop::hop(&engine, &graph, &e);
            let seen = Seen {
                conditional: e.conditional,
                assumptions: e.assumptions.clone(),
                facts: hop.facts,
            };
            (graph.nodes[e.to].label(account), seen)
        })
        .collect()
}

fn fact(text: &str) -> Seen {
    Seen {
        conditional: false,
        assumptions: Vec::new(),
        facts: vec![text.to_string()],
    }
}

#[test]
fn with_the_inventory_each_takeover_is_a_fact_naming_the_workload() {
    let (_dir, account) = open(&inventory());
    let cases: [(EdgeKind, Vec<(&str, Seen)>); 5] = [
        (
            EdgeKind::UpdateCloudFormationStack,
            vec![(
                "role/cfn-used",
                fact("stack network (us-east-1) runs with service role role/cfn-used"),
            )],
        ),
        (
            EdgeKind::StartCodeBuildProject,
            vec![(
                "role/build-used",
                fact("CodeBuild project release (us-east-1) runs with service role role/build-used"),
            )],
        ),
        (
            EdgeKind::OpenSageMakerNotebook,
            vec![
                ("role/nb-used", fact("notebook lab (us-east-1) runs as role/nb-used")),
                (
                    "role/nb-stopped",
                    Seen {
                        conditional: true,
                        assumptions: vec![
                            "notebook old is stopped: it must be started first (sagemaker:StartNotebookInstance)"
                                .into(),
                        ],
                        facts: vec!["notebook old (us-east-1) runs as role/nb-stopped".into()],
                    },
                ),
            ],
        ),
        (
            // `batch` does not allow ECS Exec: its task role is not reached.
            EdgeKind::EcsExecOnService,
            vec![(
                "role/task-used",
                fact("ECS service api (us-east-1) runs its tasks as role/task-used"),
            )],
        ),
        (
            EdgeKind::UpdateGlueDevEndpoint,
            vec![(
                "role/glue-used",
                fact("Glue dev endpoint dev (us-east-1) runs as role/glue-used"),
            )],
        ),
    ];
    for (kind, expected) in cases {
        let expected: BTreeMap<String, Seen> = expected
            .into_iter()
            .map(|(role, seen)| (role.to_string(), seen))
            .collect();
        assert_eq!(edges(&account, "operator", kind), expected, "{kind:?}");
    }
}

#[test]
fn ecs_exec_needs_the_task_as_well_as_the_cluster() {
    let (_dir, account) = open(&inventory());
    assert!(edges(&account, "half-exec", EdgeKind::EcsExecOnService).is_empty());
}

#[test]
fn without_that_part_of_the_inventory_each_takeover_stays_conditional_and_names_the_file() {
    let cases = [
        (
            EdgeKind::UpdateCloudFormationStack,
            "cfn",
            "workloads/cloudformation/<region>.json",
        ),
        (
            EdgeKind::StartCodeBuildProject,
            "build",
            "workloads/codebuild/<region>.json",
        ),
        (
            EdgeKind::OpenSageMakerNotebook,
            "nb",
            "workloads/sagemaker/<region>/<notebook>.json",
        ),
        (
            EdgeKind::EcsExecOnService,
            "task",
            "workloads/ecs/<region>/services-<cluster>.json",
        ),
        (
            EdgeKind::UpdateGlueDevEndpoint,
            "glue",
            "workloads/glue/<region>.json",
        ),
    ];
    // No inventory at all, and an inventory with only Lambda functions in it.
    let lambda_only = vec![(
        "workloads/lambda/us-east-1.json",
        r#"{"Functions": []}"#.to_string(),
    )];
    for files in [Vec::new(), lambda_only] {
        let (_dir, account) = open(&files);
        for (kind, prefix, file) in cases {
            let seen = edges(&account, "operator", kind);
            let mut targets: Vec<&str> = seen.keys().map(String::as_str).collect();
            targets.retain(|t| t.starts_with(&format!("role/{prefix}-")));
            let idle = format!("role/{prefix}-idle");
            let used = format!("role/{prefix}-used");
            assert!(
                targets.contains(&idle.as_str()) && targets.contains(&used.as_str()),
                "{kind:?}: every role the service may run as: {targets:?}"
            );
            for (target, s) in &seen {
                assert!(s.conditional, "{kind:?} to {target}");
                assert!(s.facts.is_empty(), "{kind:?} to {target}: {:?}", s.facts);
                let joined = s.assumptions.join(" ");
                assert!(
                    joined.contains(file),
                    "{kind:?} to {target} names {file}: {joined}"
                );
            }
        }
    }
}

/// A service whose task definition the bundle lacks may run as any task role: its
/// region does not settle ECS Exec, so the edges stay conditional (never dropped).
#[test]
fn a_service_with_an_unknown_task_definition_keeps_ecs_exec_conditional() {
    let files: Vec<(&str, String)> = inventory()
        .into_iter()
        .filter(|(rel, _)| !rel.ends_with("task-definitions/api-3.json"))
        .collect();
    let (_dir, account) = open(&files);
    let seen = edges(&account, "operator", EdgeKind::EcsExecOnService);
    for role in ["role/task-used", "role/task-idle"] {
        let s = seen
            .get(role)
            .unwrap_or_else(|| panic!("{role} in {seen:?}"));
        assert!(s.conditional, "{role}");
        assert!(
            s.assumptions
                .join(" ")
                .contains("workloads/ecs/<region>/services-<cluster>.json"),
            "{role}: {:?}",
            s.assumptions
        );
    }
}
