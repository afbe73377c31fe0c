//! Fail closed, through the real binary on bundles built here: unknown names are
//! errors with suggestions, foreign ARNs never reach local entities, callers and key
//! policies outside the bundle are Conditional, invalid or duplicated statements never
//! grant nor hide a Deny, missing Organizations levels are never a silent deny-all, and
//! the management account is exempt from SCPs. Expected values follow
//! docs/iam-evaluation.md, never the program's output.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{json, Value};

fn iamscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iamscope"))
        .args(args)
        .output()
        .expect("run iamscope")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `can --json` on `bundle`: (exit code, answer).
fn can(bundle: &str, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["can", "-b", bundle, "--json"];
    all.extend_from_slice(args);
    let out = iamscope(&all);
    let code = out.status.code().unwrap_or(-1);
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (code, v)
}

const ACCT: &str = "123456789012";

fn user(name: &str, account: &str, inline: Value) -> Value {
    json!({
        "Path": "/", "UserName": name, "UserId": format!("AID{name}"),
        "Arn": format!("arn:aws:iam::{account}:user/{name}"),
        "CreateDate": "2024-01-01T00:00:00Z",
        "UserPolicyList": [{"PolicyName": "inline", "PolicyDocument": inline}],
        "GroupList": [], "AttachedManagedPolicies": [], "Tags": []
    })
}

fn allow_all() -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn gaad(users: Vec<Value>) -> String {
    serde_json::to_string_pretty(&json!({
        "UserDetailList": users, "GroupDetailList": [], "RoleDetailList": [], "Policies": []
    }))
    .unwrap()
}

#[test]
fn a_name_that_matches_nothing_is_an_error_with_suggestions() {
    for sub in [
        vec![
            "can",
            "-b",
            "sample:vulnerable",
            "chain-startr",
            "s3:GetObject",
            "*",
        ],
        vec!["what-can", "-b", "sample:vulnerable", "chain-startr"],
        vec!["paths", "-b", "sample:vulnerable", "chain-startr", "admin"],
        vec!["trust", "-b", "sample:vulnerable", "dvia-admin-rol"],
    ] {
        let out = iamscope(&sub);
        assert_eq!(out.status.code(), Some(2), "{sub:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("did you mean"),
            "{sub:?}: {}",
            stderr(&out)
        );
    }
    // An ARN of the bundle's own account that names nobody is an error too.
    let out = iamscope(&[
        "can",
        "-b",
        "sample:vulnerable",
        "arn:aws:iam::666666666666:user/ghost",
        "s3:GetObject",
        "*",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn bad_requests_are_errors_not_false_negatives() {
    let cases: &[(&[&str], &str)] = &[
        (&["alice", "s3:GetObjekt", "*"], "did you mean s3:GetObject"),
        (&["alice", "s3:GetObject", "bucket/key"], "is not an ARN"),
        (
            &[
                "alice",
                "s3:GetObject",
                "*",
                "-c",
                "aws:SecureTransport=flase",
            ],
            "not true or false",
        ),
        (
            &[
                "alice",
                "s3:GetObject",
                "*",
                "-c",
                "aws:SourceIp=10.0.0.300",
            ],
            "not an IP address",
        ),
    ];
    for (args, words) in cases {
        let mut all = vec!["can", "-b", "sample:startup"];
        all.extend_from_slice(args);
        let out = iamscope(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(words), "{args:?}: {}", stderr(&out));
    }
    // Forced: an action the catalogue lacks is still decided.
    let out = iamscope(&[
        "can",
        "-b",
        "sample:startup",
        "alice",
        "s3:GetObjekt",
        "*",
        "--allow-unknown-action",
    ]);
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
    // who-can checks the same way.
    let out = iamscope(&["who-can", "-b", "sample:startup", "s3:GetObjekt", "*"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn simulate_refuses_unknown_fields_and_reports_unexpected_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let misspelt = json!([{"name": "x", "request": {"principal": "arn:aws:iam::1:user/a",
        "action": "s3:GetObject", "resource": "*"}, "permission_boundary": null}]);
    let text = serde_json::to_string_pretty(&misspelt).unwrap();
    let line = 1 + text
        .lines()
        .position(|l| l.contains("permission_boundary"))
        .unwrap();
    write(dir.path(), "bad.json", &text);
    let out = iamscope(&["simulate", dir.path().join("bad.json").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("[0].permission_boundary"), "{err}");
    // The loaders' form: file:line:column.
    assert!(err.contains(&format!("bad.json:{line}:")), "{err}");

    let wrong = json!({"name": "y", "request": {"principal": "arn:aws:iam::111122223333:user/a",
        "principal_account": "111122223333", "action": "s3:GetObject", "resource": "*"},
        "identity_policies": [allow_all()], "expected": "ImplicitDeny"});
    write(dir.path(), "wrong.json", &wrong.to_string());
    let out = iamscope(&["simulate", dir.path().join("wrong.json").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn another_accounts_principal_is_outside_and_never_local() {
    // The vulnerable sample has user/chain-starter; the same name in another account is
    // someone else, whose own policies the bundle cannot see.
    let (code, v) = can(
        "sample:vulnerable",
        &[
            "arn:aws:iam::999999999999:user/chain-starter",
            "sts:AssumeRole",
            "arn:aws:iam::666666666666:role/dvia-shared-reports-reader",
        ],
    );
    assert_eq!(code, 3, "{v}");
    assert_eq!(
        v["principal"],
        "arn:aws:iam::999999999999:user/chain-starter"
    );
    assert!(
        v["reasons"][0]
            .as_str()
            .unwrap()
            .contains("another account"),
        "{v}"
    );
    // The local one is decided from its own policies.
    let (code, _) = can(
        "sample:vulnerable",
        &[
            "arn:aws:iam::666666666666:user/chain-starter",
            "sts:AssumeRole",
            "arn:aws:iam::666666666666:role/dvia-shared-reports-reader",
        ],
    );
    assert_eq!(code, 0);
}

#[test]
fn a_key_policy_outside_the_bundle_is_conditional_and_one_inside_decides() {
    // The enterprise sample holds key 8f2c…'s policy; its key users may decrypt.
    let key = "arn:aws:kms:us-east-1:222222222222:key/8f2c4e1a-3b5d-4c7e-9a0f-6d1b2e3c4f5a";
    let (code, v) = can(
        "sample:enterprise",
        &["orders-processor", "kms:Decrypt", key],
    );
    assert_eq!(code, 0, "{v}");
    // A key whose policy is not in the bundle: never Allow, and it says why.
    let other = "arn:aws:kms:us-east-1:222222222222:key/00000000-0000-0000-0000-000000000000";
    let (code, v) = can(
        "sample:enterprise",
        &["orders-processor", "kms:Decrypt", other],
    );
    assert_eq!(code, 3, "{v}");
    assert!(
        v["reasons"][0].as_str().unwrap().contains("key policy"),
        "{v}"
    );
}

#[test]
fn duplicate_keys_make_a_statement_invalid_and_it_cannot_hide_a_deny() {
    let dir = tempfile::tempdir().unwrap();
    // The Deny on s3 is written with a repeated Effect: a lenient JSON reader keeps the
    // last one ("Allow") and would grant; AWS rejects the document.
    let text = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"s3:*","Resource":"*"},
        {"Effect":"Deny","Effect":"Allow","Action":"s3:DeleteObject","Resource":"*"}]}"#;
    let doc: String = serde_json::to_string(text).unwrap();
    let users = format!(
        r#"{{"UserDetailList":[{{"Path":"/","UserName":"alice","UserId":"AIDA1","Arn":"arn:aws:iam::{ACCT}:user/alice","CreateDate":"2024-01-01T00:00:00Z","UserPolicyList":[{{"PolicyName":"dup","PolicyDocument":{doc}}}],"GroupList":[],"AttachedManagedPolicies":[],"Tags":[]}}],"GroupDetailList":[],"RoleDetailList":[],"Policies":[]}}"#
    );
    write(dir.path(), "gaad.json", &users);
    let b = dir.path().to_str().unwrap();
    let (code, v) = can(b, &["alice", "s3:DeleteObject", "arn:aws:s3:::b/k"]);
    assert_eq!(code, 3, "{v}");
    assert!(
        v["reasons"][0].as_str().unwrap().contains("repeated key"),
        "{v}"
    );
    // Other actions are untouched by the broken statement.
    let (code, _) = can(b, &["alice", "s3:GetObject", "arn:aws:s3:::b/k"]);
    assert_eq!(code, 0);
    // And the load says so.
    let out = iamscope(&["summary", "-b", b, "--json"]);
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    let warnings = summary["warnings"].to_string();
    assert!(warnings.contains("repeated key"), "{warnings}");
}

/// A member account's bundle with Organizations data: root → account, the account's
/// SCP file optionally missing, and optionally the organization's description.
fn org_bundle(dir: &Path, account_level_file: bool, management: Option<&str>) {
    write(
        dir,
        "gaad.json",
        &gaad(vec![user("alice", ACCT, allow_all())]),
    );
    write(
        dir,
        "organizations/parents/123456789012.json",
        r#"{"Parents":[{"Id":"r-ab12","Type":"ROOT"}]}"#,
    );
    let full =
        r#"{"Policies":[{"Id":"p-FullAWSAccess","Name":"FullAWSAccess","AwsManaged":true}]}"#;
    write(dir, "organizations/scp/r-ab12.json", full);
    if account_level_file {
        write(
            dir,
            "organizations/scp/123456789012.json",
            r#"{"Policies":[{"Id":"p-deny","Name":"DenyS3","AwsManaged":false}]}"#,
        );
        let content = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#;
        write(
            dir,
            "organizations/policies/p-deny.json",
            &json!({"Policy": {"Content": content}}).to_string(),
        );
    }
    if let Some(m) = management {
        write(
            dir,
            "organizations/organization.json",
            &json!({"Organization": {"Id": "o-ab12cd34ef", "MasterAccountId": m}}).to_string(),
        );
    }
}

#[test]
fn a_missing_organizations_level_is_conditional_not_a_silent_deny_all() {
    let dir = tempfile::tempdir().unwrap();
    org_bundle(dir.path(), false, Some("999999999999"));
    let b = dir.path().to_str().unwrap();
    let (code, v) = can(b, &["alice", "ec2:DescribeInstances", "*"]);
    assert_eq!(code, 3, "{v}");
    assert!(
        v["reasons"].to_string().contains("not in the bundle"),
        "{v}"
    );
    let out = iamscope(&["summary", "-b", b, "--json"]);
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(summary["warnings"]
        .to_string()
        .contains("organizations/scp/123456789012.json"));
}

#[test]
fn scps_bind_members_but_never_the_management_account() {
    let dir = tempfile::tempdir().unwrap();
    org_bundle(dir.path(), true, Some("999999999999"));
    let b = dir.path().to_str().unwrap();
    let (code, _) = can(b, &["alice", "s3:GetObject", "arn:aws:s3:::b/k"]);
    assert_eq!(code, 1, "a member account: the SCP denies");
    let dir = tempfile::tempdir().unwrap();
    org_bundle(dir.path(), true, Some(ACCT));
    let b = dir.path().to_str().unwrap();
    let (code, v) = can(b, &["alice", "s3:GetObject", "arn:aws:s3:::b/k"]);
    assert_eq!(code, 0, "the management account: SCPs never apply: {v}");
    assert!(v["trace"].to_string().contains("management account"), "{v}");
}

#[test]
fn a_gaad_of_several_accounts_keeps_each_principals_account() {
    let dir = tempfile::tempdir().unwrap();
    let bucket = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": "s3:GetObject", "Resource": "*"}]});
    write(
        dir.path(),
        "gaad.json",
        &gaad(vec![
            user("alice", ACCT, bucket.clone()),
            user("carol", "210987654321", bucket),
        ]),
    );
    let b = dir.path().to_str().unwrap();
    // carol's own account is 210987654321: reading a bucket of 123456789012 (the bundle's
    // account, from the first principal) is cross-account and needs the bucket policy.
    let (code, v) = can(
        b,
        &[
            "arn:aws:iam::210987654321:user/carol",
            "s3:GetObject",
            "arn:aws:s3:::b/k",
            "--resource-account",
            ACCT,
        ],
    );
    assert_eq!(code, 1, "{v}");
    let (code, _) = can(b, &["alice", "s3:GetObject", "arn:aws:s3:::b/k"]);
    assert_eq!(code, 0);
}

#[test]
fn an_s3_arn_without_an_account_says_which_account_was_assumed() {
    let (_, v) = can(
        "sample:startup",
        &["alice", "s3:GetObject", "arn:aws:s3:::not-in-bundle/k"],
    );
    assert!(v["trace"].to_string().contains("--resource-account"), "{v}");
    // A bucket whose policy is in the bundle is the bundle's: nothing assumed.
    let (_, v) = can(
        "sample:startup",
        &["alice", "s3:GetObject", "arn:aws:s3:::acme-webapp-assets/k"],
    );
    assert!(
        !v["trace"].to_string().contains("--resource-account"),
        "{v}"
    );
}

#[test]
fn get_caller_identity_is_allowed_whatever_denies() {
    let dir = tempfile::tempdir().unwrap();
    let deny = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]});
    write(
        dir.path(),
        "gaad.json",
        &gaad(vec![user("alice", ACCT, deny)]),
    );
    let (code, v) = can(
        dir.path().to_str().unwrap(),
        &["alice", "sts:GetCallerIdentity", "*"],
    );
    assert_eq!(code, 0, "{v}");
    assert!(v["trace"].to_string().contains("GetCallerIdentity"), "{v}");
}

mod foreign_arns {
    use iamscope::eval::{Engine, Query};
    use iamscope::load::{load, Input};
    use iamscope::query::resolve::{resolve_caller, ResolvedCaller};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Whatever the account id and whichever local principal's name and path it
        /// borrows, another account's ARN never resolves to a local entity, and its
        /// decision is never Allow when it would need its own (unknown) policies.
        #[test]
        fn an_account_foreign_arn_never_reaches_a_local_entity(
            account in "[0-9]{12}",
            pick in any::<prop::sample::Index>(),
            session in any::<bool>(),
        ) {
            let a = load(&Input::from_arg(Some("sample:vulnerable"))).expect("sample");
            prop_assume!(account != a.id);
            let engine = Engine::new(&a);
            let names: Vec<(String, bool)> = a.users.iter().map(|u| (u.common.name.clone(), false))
                .chain(a.roles.iter().map(|r| (r.common.name.clone(), true)))
                .collect();
            let (name, role) = &names[pick.index(names.len())];
            let arn = match (role, session) {
                (true, true) => format!("arn:aws:sts::{account}:assumed-role/{name}/s"),
                (true, false) => format!("arn:aws:iam::{account}:role/{name}"),
                (false, _) => format!("arn:aws:iam::{account}:user/{name}"),
            };
            prop_assert_eq!(engine.resolve(&arn), None);
            prop_assert_eq!(resolve_caller(&engine, &arn), Ok(ResolvedCaller::Other(arn.clone())));
            // Identity-side questions about the bundle's own resources (no resource
            // policy grants them) are never Allow for a stranger.
            for (action, resource) in [
                ("iam:CreateAccessKey", format!("arn:aws:iam::{}:user/svc-admin-automation", a.id)),
                ("iam:PutUserPolicy", format!("arn:aws:iam::{}:user/{name}", a.id)),
            ] {
                let d = engine.decide_arn(&arn, &Query::new(action, &resource), None);
                prop_assert!(!d.is_allow(), "{} {}: {}", action, resource, d);
            }
        }
    }
}

/// A GAAD of one user holding `iam:CreatePolicyVersion` on `*`, with `attached` (in the
/// export, as `get-account-authorization-details` lists attached policies) as its only
/// managed policy.
fn policy_writer_bundle(dir: &Path, attached: &str) {
    let writer = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"], "Resource": "*"}]});
    let mut u = user("mallory", ACCT, writer);
    u["AttachedManagedPolicies"] = json!([{"PolicyName": "P", "PolicyArn": attached}]);
    let read = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": "s3:Get*", "Resource": "*"}]});
    let policies = json!([{"PolicyName": "P", "PolicyId": "ANPA1", "Arn": attached, "Path": "/",
            "DefaultVersionId": "v1", "AttachmentCount": 1, "IsAttachable": true,
            "PolicyVersionList": [{"Document": read, "VersionId": "v1", "IsDefaultVersion": true}]}]);
    let g = json!({"UserDetailList": [u], "GroupDetailList": [], "RoleDetailList": [],
                   "Policies": policies});
    write(dir, "gaad.json", &g.to_string());
}

#[test]
fn no_escalation_rests_on_changing_an_aws_managed_policy() {
    let paths = |dir: &Path| {
        let out = iamscope(&[
            "paths",
            "-b",
            dir.to_str().unwrap(),
            "mallory",
            "admin",
            "--json",
        ]);
        assert!(
            out.status.success() || out.status.code() == Some(1),
            "{}",
            stderr(&out)
        );
        serde_json::from_slice::<Value>(&out.stdout).unwrap_or(Value::Null)
    };
    // Rewriting a customer managed policy attached to oneself is a path to admin…
    let dir = tempfile::tempdir().unwrap();
    policy_writer_bundle(dir.path(), &format!("arn:aws:iam::{ACCT}:policy/P"));
    let found = paths(dir.path());
    assert!(
        found.to_string().contains("create_policy_version"),
        "{found}"
    );
    // …but an AWS managed policy can never be versioned by a customer.
    let dir = tempfile::tempdir().unwrap();
    policy_writer_bundle(dir.path(), "arn:aws:iam::aws:policy/ReadOnlyAccess");
    let found = paths(dir.path());
    assert!(
        !found.to_string().contains("create_policy_version"),
        "{found}"
    );
    // Refused by the rule, which the trace names, not by mistaking "aws" for an account.
    let (code, v) = can(
        dir.path().to_str().unwrap(),
        &[
            "mallory",
            "iam:CreatePolicyVersion",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
        ],
    );
    assert_eq!(code, 1, "{v}");
    let trace = v["trace"].to_string();
    assert!(
        trace.contains("ServiceRule") && trace.contains("AWS managed policies"),
        "{trace}"
    );
    assert!(!trace.contains("Cross-account"), "{trace}");
}

#[test]
fn an_scp_that_denies_the_technique_leaves_no_escalation() {
    let dir = tempfile::tempdir().unwrap();
    policy_writer_bundle(dir.path(), &format!("arn:aws:iam::{ACCT}:policy/P"));
    write(
        dir.path(),
        "organizations/parents/123456789012.json",
        r#"{"Parents":[{"Id":"r-ab12","Type":"ROOT"}]}"#,
    );
    write(
        dir.path(),
        "organizations/organization.json",
        &json!({"Organization": {"Id": "o-ab12cd34ef", "MasterAccountId": "999999999999"}})
            .to_string(),
    );
    write(
        dir.path(),
        "organizations/scp/r-ab12.json",
        r#"{"Policies":[{"Id":"p-guard","Name":"NoPolicyVersions","AwsManaged":false}]}"#,
    );
    let content = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":["iam:CreatePolicyVersion","iam:SetDefaultPolicyVersion"],"Resource":"*"}]}"#;
    write(
        dir.path(),
        "organizations/policies/p-guard.json",
        &json!({"Policy": {"Content": content}}).to_string(),
    );
    let b = dir.path().to_str().unwrap();
    let out = iamscope(&["paths", "-b", b, "mallory", "admin", "--json"]);
    let found: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    assert!(
        !found.to_string().contains("create_policy_version"),
        "the SCP denies rewriting the policy: {found}"
    );
    let (code, _) = can(
        b,
        &[
            "mallory",
            "iam:CreatePolicyVersion",
            &format!("arn:aws:iam::{ACCT}:policy/P"),
        ],
    );
    assert_eq!(code, 1);
}
