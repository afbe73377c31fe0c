//! The responder's panes as CLI answers: `blast`, `paths --can`, `context-keys`, each
//! with `--json`, on the vulnerable and startup samples.

use std::process::Command;

fn iamscope(args: &[&str]) -> (i32, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_iamscope"))
        .args(args)
        .output()
        .expect("runs");
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap_or(-1), json)
}

#[test]
fn blast_json_reaches_admin_with_evidence() {
    let (code, v) = iamscope(&["blast", "-b", "sample:vulnerable", "key-rotator", "--json"]);
    assert_eq!(code, 1, "exit 1: an administrator is within reach");
    let path = v["admin_path"].as_array().unwrap();
    assert_eq!(path[0]["kind"], "create_access_key");
    assert!(path[0]["to"]
        .as_str()
        .unwrap()
        .ends_with("user/svc-admin-automation"));
    let statements = path[0]["evidence"][0]["statements"].as_array().unwrap();
    assert!(statements
        .iter()
        .any(|s| s == "ServiceKeyRotation/RotateAutomationKeys"));
    assert_eq!(v["reached"][0]["hops"], 0);
    let (code, v) = iamscope(&[
        "blast",
        "-b",
        "sample:vulnerable",
        "decoy-boundary",
        "--json",
    ]);
    assert_eq!(code, 0);
    assert!(v["admin_path"].is_null());
}

#[test]
fn paths_to_any_principal_that_can() {
    let (_, v) = iamscope(&[
        "paths",
        "-b",
        "sample:vulnerable",
        "lambda-dev",
        "--can",
        "kms:Decrypt",
        "--json",
    ]);
    let paths = v.as_array().unwrap();
    assert_eq!(paths.len(), 1);
    assert_eq!(paths[0][0]["kind"], "pass_role_to_lambda");
}

#[test]
fn context_keys_lists_the_keys_the_policies_use() {
    let (code, v) = iamscope(&["context-keys", "-b", "sample:startup", "--json"]);
    assert_eq!(code, 0);
    let keys: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert!(keys.contains(&"aws:SecureTransport"), "{keys:?}");
}

#[test]
fn can_and_who_can_json_name_the_deciding_statements() {
    let (_, v) = iamscope(&[
        "can",
        "-b",
        "sample:startup",
        "alice",
        "s3:GetObject",
        "arn:aws:s3:::acme-webapp-assets/index.html",
        "--json",
    ]);
    let s: Vec<&str> = v["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert!(s.contains(&"AdministratorAccess#1"), "{s:?}");
    let (_, v) = iamscope(&[
        "who-can",
        "-b",
        "sample:startup",
        "s3:GetObject",
        "arn:aws:s3:::acme-webapp-assets/index.html",
        "-c",
        "aws:SecureTransport=true",
        "--json",
    ]);
    let alice = v
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["principal"].as_str().unwrap().ends_with("user/alice"))
        .unwrap();
    assert_eq!(alice["decision"], "Allow");
    assert_eq!(alice["statements"][0], "AdministratorAccess#1");
}

#[test]
fn statements_json_lists_a_policy_as_the_details_pane_does() {
    let (code, v) = iamscope(&[
        "statements",
        "-b",
        "sample:vulnerable",
        "trust:dvia-chain-role-a",
        "--json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["what"], "trust policy of role dvia-chain-role-a");
    assert_eq!(v["statements"][0]["sid"], "TrustChainStarter");
    assert_eq!(v["statements"][0]["effect"], "Allow");
}
