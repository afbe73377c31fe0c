use std::collections::HashSet;

use serde_json::Value;

use super::{generate_gaad, generate_gaad_json, SynthOptions};

fn opts() -> SynthOptions {
    SynthOptions {
        users: 300,
        roles: 300,
        groups: 40,
        policies: 120,
        seed: 42,
        account_id: "123456789012".into(),
        url_encoded_fraction: 0.2,
        org_accounts: Vec::new(),
    }
}

fn arr<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is an array"))
}

#[test]
fn synth_is_deterministic() {
    let a = generate_gaad_json(&opts());
    let b = generate_gaad_json(&opts());
    assert_eq!(a, b);
    let c = generate_gaad_json(&SynthOptions { seed: 43, ..opts() });
    assert_ne!(a, c);
}

#[test]
fn synth_counts_match_options() {
    let o = opts();
    let v = generate_gaad(&o);
    assert_eq!(arr(&v, "UserDetailList").len(), o.users);
    assert_eq!(arr(&v, "RoleDetailList").len(), o.roles);
    assert_eq!(arr(&v, "GroupDetailList").len(), o.groups);
    assert_eq!(arr(&v, "Policies").len(), o.policies);
    let empty = generate_gaad(&SynthOptions {
        users: 0,
        roles: 0,
        groups: 0,
        policies: 0,
        ..o
    });
    assert!(arr(&empty, "UserDetailList").is_empty());
    assert!(arr(&empty, "Policies").is_empty());
}

#[test]
fn synth_references_resolve_and_limits_hold() {
    let v = generate_gaad(&opts());
    let policy_arns: HashSet<&str> = arr(&v, "Policies")
        .iter()
        .map(|p| p["Arn"].as_str().unwrap())
        .collect();
    let group_names: HashSet<&str> = arr(&v, "GroupDetailList")
        .iter()
        .map(|g| g["GroupName"].as_str().unwrap())
        .collect();
    let mut attached = 0;
    for key in ["UserDetailList", "GroupDetailList", "RoleDetailList"] {
        for ident in arr(&v, key) {
            let att = arr(ident, "AttachedManagedPolicies");
            assert!(att.len() <= 10, "{key}: {} attached", att.len());
            for a in att {
                assert!(policy_arns.contains(a["PolicyArn"].as_str().unwrap()));
            }
            attached += att.len();
            if let Some(b) = ident.get("PermissionsBoundary") {
                assert_eq!(b["PermissionsBoundaryType"], "Policy");
                assert!(policy_arns.contains(b["PermissionsBoundaryArn"].as_str().unwrap()));
            }
        }
    }
    assert!(attached > 0);
    for user in arr(&v, "UserDetailList") {
        let groups = arr(user, "GroupList");
        assert!(groups.len() <= 10);
        for g in groups {
            assert!(group_names.contains(g.as_str().unwrap()));
        }
        let id = user["UserId"].as_str().unwrap();
        assert!(id.len() == 21 && id.starts_with("AIDA"));
        assert!(id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
    }
    let total: u64 = arr(&v, "Policies")
        .iter()
        .map(|p| p["AttachmentCount"].as_u64().unwrap())
        .sum();
    assert_eq!(total as usize, attached);
}

#[test]
fn synth_policies_have_one_default_version() {
    let v = generate_gaad(&opts());
    let mut multi = 0;
    for p in arr(&v, "Policies") {
        let versions = arr(p, "PolicyVersionList");
        assert!(!versions.is_empty() && versions.len() <= 5);
        multi += usize::from(versions.len() > 1);
        let defaults: Vec<&Value> = versions
            .iter()
            .filter(|x| x["IsDefaultVersion"] == true)
            .collect();
        assert_eq!(defaults.len(), 1, "{}", p["PolicyName"]);
        assert_eq!(defaults[0]["VersionId"], p["DefaultVersionId"]);
    }
    assert!(multi > 0);
}

#[test]
fn synth_covers_principal_kinds_and_encodings() {
    let json = generate_gaad_json(&opts());
    for needle in [
        "\"Service\": \"ec2.amazonaws.com\"",
        "lambda.amazonaws.com",
        "ecs-tasks.amazonaws.com",
        "token.actions.githubusercontent.com:sub",
        "sts:ExternalId",
        "saml-provider/",
        "aws:MultiFactorAuthPresent",
        "iam:PassRole",
        "iam:CreatePolicyVersion",
        "\"NotAction\"",
        "\"NotResource\"",
        "${aws:username}",
        "\"InstanceProfileList\": [\n                {",
        "%7B%22Version%22",
    ] {
        assert!(json.contains(needle), "missing {needle}");
    }
    // Key order follows the CLI, not alphabetical order.
    let u = json.find("\"UserDetailList\"").unwrap();
    let g = json.find("\"GroupDetailList\"").unwrap();
    assert!(json.starts_with("{\n    \"UserDetailList\": [") && u < g);
    let none = generate_gaad_json(&SynthOptions {
        url_encoded_fraction: 0.0,
        ..opts()
    });
    assert!(!none.contains("%7B%22"));
}

#[test]
fn synth_json_text_matches_value_and_encoded_documents_decode() {
    let o = opts();
    let text = generate_gaad_json(&o);
    let parsed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(parsed, generate_gaad(&o));
    let mut encoded = 0;
    for policy in arr(&parsed, "Policies") {
        for version in arr(policy, "PolicyVersionList") {
            if let Some(s) = version["Document"].as_str() {
                let decoded = percent_encoding::percent_decode_str(s)
                    .decode_utf8()
                    .unwrap();
                let doc: Value = serde_json::from_str(&decoded).unwrap();
                assert!(doc["Statement"].is_array() || doc["Statement"].is_object());
                encoded += 1;
            }
        }
    }
    assert!(encoded > 0);
}
