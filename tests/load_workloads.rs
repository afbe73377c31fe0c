//! Issue 15: the regional resource-policy layout, the workload inventory, and their
//! bad inputs (an error naming the file, JSON path and line:column; never a panic).

use std::path::Path;

use iamscope::load::{load, Input};
use iamscope::model::{Account, WorkloadKind};

const GAAD: &str = r#"{
  "UserDetailList": [],
  "GroupDetailList": [],
  "RoleDetailList": [
    {"RoleName": "fn", "Path": "/", "Arn": "arn:aws:iam::123456789012:role/fn",
     "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
     "InstanceProfileList": [{"InstanceProfileName": "web", "Path": "/", "InstanceProfileId": "AIPA1",
       "Arn": "arn:aws:iam::123456789012:instance-profile/web", "Roles": []}]}
  ],
  "Policies": [
    {"Arn": "arn:aws:iam::123456789012:policy/NoNameInExport", "Path": "/", "DefaultVersionId": "v1",
     "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true,
       "Document": {"Version": "2012-10-17", "Statement": []}}]}
  ]
}"#;

fn bundle(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("gaad.json"), GAAD).expect("gaad");
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

fn open(dir: &Path) -> Account {
    load(&Input::Path(dir.to_path_buf())).expect("loads")
}

fn queue(region: &str) -> String {
    format!(
        r#"{{"Attributes": {{"QueueArn": "arn:aws:sqs:{region}:123456789012:jobs",
             "Policy": "{{\"Version\":\"2012-10-17\",\"Statement\":[]}}"}}}}"#
    )
}

#[test]
fn queues_of_one_name_in_two_regions_and_the_older_flat_layout_all_load() {
    let east = queue("us-east-1");
    let west = queue("eu-west-1");
    let flat = queue("ap-south-1");
    let dir = bundle(&[
        ("resource-policies/sqs/us-east-1/jobs.json", &east),
        ("resource-policies/sqs/eu-west-1/jobs.json", &west),
        ("resource-policies/sqs/jobs.json", &flat),
    ]);
    let account = open(dir.path());
    let mut arns: Vec<&str> = account
        .resource_policies
        .iter()
        .map(|p| p.resource_arn.as_str())
        .collect();
    arns.sort();
    assert_eq!(
        arns,
        [
            "arn:aws:sqs:ap-south-1:123456789012:jobs",
            "arn:aws:sqs:eu-west-1:123456789012:jobs",
            "arn:aws:sqs:us-east-1:123456789012:jobs",
        ]
    );
}

#[test]
fn a_policy_without_policyname_takes_the_name_of_its_arn() {
    let dir = bundle(&[]);
    let account = open(dir.path());
    let names: Vec<&str> = account
        .managed_policies
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["NoNameInExport"]);
}

#[test]
fn the_inventory_lists_workloads_their_roles_and_the_regions_it_covers() {
    let functions = r#"{"Functions": [
        {"FunctionName": "resize", "FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:resize",
         "Role": "arn:aws:iam::123456789012:role/fn", "Runtime": "python3.12", "NewField": {"kept": true}}]}"#;
    let instances = r#"{"Reservations": [{"Instances": [
        {"InstanceId": "i-1", "State": {"Name": "running"},
         "IamInstanceProfile": {"Arn": "arn:aws:iam::123456789012:instance-profile/web"}},
        {"InstanceId": "i-2", "State": {"Name": "stopped"}}]}]}"#;
    let ssm = r#"{"InstanceInformationList": [{"InstanceId": "i-1", "PingStatus": "Online"}]}"#;
    let regions = r#"{"Regions": [{"RegionName": "us-east-1"}, {"RegionName": "eu-west-1"}]}"#;
    let dir = bundle(&[
        ("workloads/lambda/us-east-1.json", functions),
        ("workloads/lambda/eu-west-1.json", r#"{"Functions": []}"#),
        ("workloads/ec2/us-east-1.json", instances),
        ("workloads/ssm/us-east-1.json", ssm),
        ("workloads/regions.json", regions),
    ]);
    let account = open(dir.path());
    assert!(account.parts.workloads);
    let inv = &account.workloads;
    let resize: Vec<_> = inv.of(WorkloadKind::LambdaFunction).collect();
    assert_eq!(resize.len(), 1);
    assert_eq!(resize[0].roles, ["arn:aws:iam::123456789012:role/fn"]);
    assert!(
        inv.complete(WorkloadKind::LambdaFunction),
        "both enabled regions listed"
    );
    assert!(
        !inv.complete(WorkloadKind::Ec2Instance),
        "eu-west-1 has no ec2 file"
    );
    let instances: Vec<_> = inv.of(WorkloadKind::Ec2Instance).collect();
    assert_eq!(instances.len(), 2);
    assert_eq!(
        instances[0].arn,
        "arn:aws:ec2:us-east-1:123456789012:instance/i-1"
    );
    assert_eq!(instances[0].ssm_managed, Some(true));
    assert_eq!(instances[1].ssm_managed, Some(false));
    assert_eq!(instances[1].state.as_deref(), Some("stopped"));
    // The profile is listed under role fn in the GAAD: the instance runs as fn.
    assert_eq!(instances[0].roles, ["arn:aws:iam::123456789012:role/fn"]);
    assert!(instances[1].roles.is_empty(), "no profile");
}

#[test]
fn a_malformed_workload_file_is_an_error_naming_file_path_and_position() {
    let dir = bundle(&[(
        "workloads/lambda/us-east-1.json",
        "{\"Functions\": [\n  {\"Role\": \"arn:aws:iam::123456789012:role/fn\"}\n]}",
    )]);
    let e = load(&Input::Path(dir.path().to_path_buf())).expect_err("no FunctionName");
    assert!(
        e.file.ends_with("workloads/lambda/us-east-1.json"),
        "{}",
        e.file.display()
    );
    assert!(e.message.contains("FunctionName"), "{e}");
    assert_eq!(e.json_path.as_deref(), Some("Functions[0]"), "{e}");
    assert!(e.position.is_some_and(|(line, _)| line == 2), "{e}");
}
