//! `iamscope summary --json` on each sample account matches the bundle's contents,
//! counted here independently from the raw JSON files.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const SAMPLES: &[&str] = &["startup", "enterprise", "vulnerable"];

fn sample_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-accounts")
        .join(name)
}

fn read_json(path: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn json_files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(json_files_under(&path));
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    out
}

fn len(v: &Value, key: &str) -> usize {
    v[key].as_array().map_or(0, Vec::len)
}

/// The counts, computed from the raw files without the loader.
fn expected_counts(dir: &Path) -> Value {
    let gaad = read_json(&dir.join("gaad.json")).expect("gaad.json");
    let users = &gaad["UserDetailList"];
    let groups = &gaad["GroupDetailList"];
    let roles = &gaad["RoleDetailList"];
    let policies = gaad["Policies"].as_array().cloned().unwrap_or_default();
    let inline: usize = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| len(u, "UserPolicyList"))
        .sum::<usize>()
        + groups
            .as_array()
            .unwrap()
            .iter()
            .map(|g| len(g, "GroupPolicyList"))
            .sum::<usize>()
        + roles
            .as_array()
            .unwrap()
            .iter()
            .map(|r| len(r, "RolePolicyList"))
            .sum::<usize>();
    let mut profiles = BTreeSet::new();
    for role in roles.as_array().unwrap() {
        for p in role["InstanceProfileList"].as_array().unwrap_or(&vec![]) {
            profiles.insert(p["Arn"].as_str().unwrap().to_string());
        }
    }
    if let Some(list) = read_json(&dir.join("instance-profiles.json")) {
        for p in list["InstanceProfiles"].as_array().unwrap() {
            profiles.insert(p["Arn"].as_str().unwrap().to_string());
        }
    }
    let org_ids = |kind: &str| {
        let mut ids = BTreeSet::new();
        for file in json_files_under(&dir.join("organizations").join(kind)) {
            for p in read_json(&file).unwrap()["Policies"].as_array().unwrap() {
                ids.insert(p["Id"].as_str().unwrap().to_string());
            }
        }
        ids.len()
    };
    // Workloads: every listing's entries, whatever its region or file name.
    let listed = |folder: &str, count: &dyn Fn(&Value) -> usize| -> usize {
        json_files_under(&dir.join("workloads").join(folder))
            .iter()
            .map(|f| count(&read_json(f).unwrap()))
            .sum()
    };
    let workloads = listed("lambda", &|v| len(v, "Functions"))
        + listed("ec2", &|v| {
            v["Reservations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| len(r, "Instances"))
                .sum()
        })
        + listed("ecs", &|v| {
            len(v, "services") + usize::from(v.get("taskDefinition").is_some())
        })
        + listed("cloudformation", &|v| len(v, "Stacks"))
        + listed("codebuild", &|v| len(v, "projects"))
        + listed("glue", &|v| len(v, "DevEndpoints"))
        + listed("sagemaker", &|_| 1);
    let saml =
        read_json(&dir.join("saml-providers.json")).map_or(0, |v| len(&v, "SAMLProviderList"));
    serde_json::json!({
        "users": len(&gaad, "UserDetailList"),
        "groups": len(&gaad, "GroupDetailList"),
        "roles": len(&gaad, "RoleDetailList"),
        "instance_profiles": profiles.len(),
        "managed_policies": policies.len(),
        "customer_managed_policies": policies.iter().filter(|p| !p["Arn"].as_str().unwrap().contains(":aws:policy/")).count(),
        "inline_policies": inline,
        "saml_providers": saml,
        "oidc_providers": json_files_under(&dir.join("oidc-providers")).len(),
        "scps": org_ids("scp"),
        "rcps": org_ids("rcp"),
        "resource_policies": json_files_under(&dir.join("resource-policies")).len(),
        "credential_report_rows": std::fs::read_to_string(dir.join("credential-report.csv"))
            .map_or(0, |t| t.lines().filter(|l| !l.trim().is_empty()).count().saturating_sub(1)),
        "workloads": workloads,
    })
}

fn summary(bundle: &str) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_iamscope"))
        .args(["summary", "--json", "-b", bundle])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn summary_matches_each_sample_bundle() {
    for name in SAMPLES {
        let dir = sample_dir(name);
        assert!(dir.join("gaad.json").exists(), "sample {name} is missing");
        let json = summary(dir.to_str().unwrap());
        assert_eq!(json["counts"], expected_counts(&dir), "sample {name}");
        let gaad = read_json(&dir.join("gaad.json")).unwrap();
        let some_arn = gaad["RoleDetailList"][0]["Arn"].as_str().unwrap();
        assert_eq!(
            json["account_id"],
            some_arn.split(':').nth(4).unwrap(),
            "sample {name}"
        );
        let alias = read_json(&dir.join("account-aliases.json"))
            .map(|v| v["AccountAliases"][0].clone())
            .unwrap_or(Value::Null);
        assert_eq!(json["alias"], alias, "sample {name}");
        assert_eq!(
            json["warnings"],
            serde_json::json!([]),
            "sample {name} loads cleanly"
        );
        assert_eq!(json["invalid_policies"], 0, "sample {name}");
    }
}

#[test]
fn embedded_samples_equal_the_source_tree() {
    for name in SAMPLES {
        let from_disk = summary(sample_dir(name).to_str().unwrap());
        let embedded = summary(&format!("sample:{name}"));
        assert_eq!(from_disk["counts"], embedded["counts"], "sample {name}");
        assert_eq!(from_disk["parts"], embedded["parts"], "sample {name}");
    }
}

#[test]
fn no_argument_means_the_first_sample() {
    let out = Command::new(env!("CARGO_BIN_EXE_iamscope"))
        .args(["summary", "--json"])
        .env_remove("IAMSCOPE_BUNDLE")
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["source"], "sample:startup");
    let out = Command::new(env!("CARGO_BIN_EXE_iamscope"))
        .args(["summary", "--json"])
        .env("IAMSCOPE_BUNDLE", "sample:vulnerable")
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["source"], "sample:vulnerable",
        "IAMSCOPE_BUNDLE is honoured"
    );
}
