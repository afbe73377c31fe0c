//! `iamscope diff`: a sample against a copy modified here (a statement added, a group
//! membership removed, an outside account trusted, a bucket policy widened), asserting
//! that the diff reports exactly the access changes made, and that
//! `--fail-on-new-access` exits 1 only when access grew.

use std::process::Command;

use serde_json::{json, Value};

#[path = "support/copy.rs"]
mod copy;
use copy::{copy_sample, grant_carol_secret_read, named};

const ACCOUNT: &str = "111111111111";

fn arn(rest: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:{rest}")
}

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_iamscope"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn diff_json(old: &str, new: &str) -> Value {
    let (code, out) = run(&["diff", old, new, "--json"]);
    assert_eq!(
        code, 0,
        "--json without --fail-on-new-access exits 0: {out}"
    );
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn gate(old: &str, new: &str) -> i32 {
    run(&["diff", old, new, "--fail-on-new-access"]).0
}

/// (principal, action, resource, change, old decision, new decision) of each access change.
fn access(d: &Value) -> Vec<(String, String, String, String, String, String)> {
    d["access"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |v: &Value| v.as_str().unwrap().to_string();
            (
                s(&c["principal"]),
                s(&c["action"]),
                s(&c["resource"]),
                s(&c["change"]),
                s(&c["old"]["decision"]),
                s(&c["new"]["decision"]),
            )
        })
        .collect()
}

fn t(
    p: &str,
    a: &str,
    r: &str,
    c: &str,
    o: &str,
    n: &str,
) -> (String, String, String, String, String, String) {
    (p.into(), a.into(), r.into(), c.into(), o.into(), n.into())
}

#[test]
fn identical_exports_differ_in_nothing_and_pass_the_gate() {
    let old = copy_sample("startup");
    let new = copy_sample("startup");
    let d = diff_json(old.arg(), new.arg());
    for section in [
        "entities",
        "access",
        "admin_paths",
        "external_trust",
        "findings",
    ] {
        assert_eq!(d[section], json!([]), "{section}");
    }
    assert_eq!(d["access_grew"], false);
    assert_eq!(d["reevaluated"]["principals"], 0);
    assert_eq!(gate(old.arg(), new.arg()), 0);
    let (code, text) = run(&["diff", old.arg(), new.arg()]);
    assert_eq!(code, 0);
    assert!(text.contains("No differences."), "{text}");
}

#[test]
fn a_statement_granting_a_secret_read_is_exactly_one_new_access() {
    let old = copy_sample("startup");
    let new = copy_sample("startup");
    new.edit_gaad(|v| {
        grant_carol_secret_read(v, "Extra");
    });
    let d = diff_json(old.arg(), new.arg());
    assert_eq!(
        access(&d),
        vec![t(
            &arn("user/carol"),
            "secretsmanager:GetSecretValue",
            "*",
            "gained",
            "ImplicitDeny",
            "Allow"
        )]
    );
    assert_eq!(
        d["access"][0]["new"]["statements"],
        json!(["Extra/ReadSecrets"])
    );
    assert_eq!(d["admin_paths"], json!([]));
    assert_eq!(d["external_trust"], json!([]));
    assert_eq!(d["access_grew"], true);
    // The entity side: carol changed, one inline policy added with its one statement.
    let entities = d["entities"].as_array().unwrap();
    assert_eq!(entities.len(), 1);
    assert_eq!(entities[0]["id"], arn("user/carol"));
    assert_eq!(entities[0]["kind"], "changed");
    let doc = &entities[0]["documents"][0];
    assert_eq!(doc["document"], "inline policy Extra");
    assert_eq!(doc["kind"], "added");
    assert_eq!(doc["statements"][0]["statement"], "#1 (ReadSecrets)");
    assert_eq!(
        d["reevaluated"]["principals"], 1,
        "only carol is re-evaluated"
    );
    assert_eq!(gate(old.arg(), new.arg()), 1);
    // The reverse diff is the same change, shrinking: the gate lets it through.
    let back = diff_json(new.arg(), old.arg());
    assert_eq!(
        access(&back),
        vec![t(
            &arn("user/carol"),
            "secretsmanager:GetSecretValue",
            "*",
            "lost",
            "Allow",
            "ImplicitDeny"
        )]
    );
    assert_eq!(back["access_grew"], false);
    assert_eq!(gate(new.arg(), old.arg()), 0);
}

#[test]
fn removing_a_group_membership_loses_admin_and_passes_the_gate() {
    let old = copy_sample("startup");
    let new = copy_sample("startup");
    // alice is only in `admins` (AdministratorAccess): without it she holds nothing.
    new.edit_gaad(|v| {
        named(v, "UserDetailList", "UserName", "alice")["GroupList"] = json!([]);
    });
    let d = diff_json(old.arg(), new.arg());
    let alice = arn("user/alice");
    let mut expected: Vec<_> = iamscope::diff::access::sensitive_actions()
        .iter()
        .map(|a| t(&alice, a.name, "*", "lost", "Allow", "ImplicitDeny"))
        .collect();
    // The two roles that trust the account with MFA: the admin's own sts:AssumeRole
    // made them assumable (conditionally), now nothing allows it.
    // The webapp bucket's DenyInsecureTransport names everyone ("*") on its bucket and
    // objects: there her Allow was Conditional on aws:SecureTransport, now it is gone.
    for a in iamscope::diff::access::sensitive_actions()
        .iter()
        .filter(|a| a.name.starts_with("s3:"))
    {
        for r in [
            "arn:aws:s3:::acme-webapp-assets",
            "arn:aws:s3:::acme-webapp-assets/*",
        ] {
            expected.push(t(&alice, a.name, r, "lost", "Conditional", "ImplicitDeny"));
        }
    }
    for role in ["role/acme-admin", "role/acme-support"] {
        expected.push(t(
            &alice,
            "sts:AssumeRole",
            &arn(role),
            "lost",
            "Conditional",
            "none",
        ));
    }
    expected.sort();
    let mut got = access(&d);
    got.sort();
    assert_eq!(got, expected);
    let admin = d["admin_paths"].as_array().unwrap();
    assert_eq!(admin.len(), 1);
    assert_eq!(admin[0]["principal"], alice);
    assert_eq!(admin[0]["change"], "lost");
    assert_eq!(
        admin[0]["old_path"],
        json!([]),
        "she was an administrator herself"
    );
    assert!(admin[0]["new_path"].is_null());
    let findings = d["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["change"], "gone");
    assert_eq!(findings[0]["id"], "IAM010");
    assert_eq!(findings[0]["entity"], alice);
    assert_eq!(d["external_trust"], json!([]));
    assert_eq!(d["access_grew"], false);
    assert_eq!(d["entities"].as_array().unwrap().len(), 1);
    assert_eq!(
        d["entities"][0]["details"],
        json!(["groups: admins → (none)"])
    );
    assert_eq!(gate(old.arg(), new.arg()), 0, "access only shrank");
    assert_eq!(gate(new.arg(), old.arg()), 1, "the other way it grew");
}

#[test]
fn a_new_outside_account_in_a_trust_policy_is_new_external_trust() {
    let old = copy_sample("startup");
    let new = copy_sample("startup");
    new.edit_gaad(|v| {
        let role = named(v, "RoleDetailList", "RoleName", "acme-support");
        role["AssumeRolePolicyDocument"]["Statement"]
            .as_array_mut()
            .unwrap()
            .push(json!({
                "Sid": "Vendor", "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::999999999999:root"},
                "Action": "sts:AssumeRole"
            }));
    });
    let d = diff_json(old.arg(), new.arg());
    let trust = d["external_trust"].as_array().unwrap();
    assert_eq!(trust.len(), 1, "{trust:?}");
    assert_eq!(trust[0]["principal"], "arn:aws:iam::999999999999:root");
    assert_eq!(trust[0]["principal_kind"], "account");
    assert_eq!(trust[0]["role"], arn("role/acme-support"));
    assert_eq!(trust[0]["via"], "assume_role");
    assert_eq!(trust[0]["change"], "gained");
    assert_eq!(trust[0]["old"]["decision"], "none");
    // The other account's own policies are not in the bundle: fail closed.
    assert_eq!(trust[0]["new"]["decision"], "Conditional");
    // Nobody inside the account gained or lost anything.
    assert_eq!(d["access"], json!([]));
    assert_eq!(d["admin_paths"], json!([]));
    let findings = d["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        assert_eq!(f["change"], "appeared");
        assert_eq!(f["entity"], arn("role/acme-support"));
    }
    let entities = d["entities"].as_array().unwrap();
    assert_eq!(entities.len(), 1);
    assert_eq!(entities[0]["documents"][0]["document"], "trust policy");
    assert_eq!(
        entities[0]["documents"][0]["statements"][0]["statement"],
        "#2 (Vendor)"
    );
    assert_eq!(
        entities[0]["documents"][0]["statements"][0]["kind"],
        "added"
    );
    assert_eq!(d["access_grew"], true);
    assert_eq!(gate(old.arg(), new.arg()), 1);
}

#[test]
fn a_bucket_policy_naming_a_user_is_one_new_conditional_read() {
    let old = copy_sample("startup");
    let new = copy_sample("startup");
    new.edit_json("resource-policies/s3/acme-webapp-assets.json", |v| {
        let mut policy: Value = serde_json::from_str(v["Policy"].as_str().unwrap()).unwrap();
        policy["Statement"].as_array_mut().unwrap().push(json!({
            "Sid": "MonitoringReads", "Effect": "Allow",
            "Principal": {"AWS": arn("user/service-accounts/monitoring-bot")},
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::acme-webapp-assets/*"
        }));
        v["Policy"] = Value::String(policy.to_string());
    });
    let d = diff_json(old.arg(), new.arg());
    // The bucket's DenyInsecureTransport still applies: the read depends on TLS.
    assert_eq!(
        access(&d),
        vec![t(
            &arn("user/service-accounts/monitoring-bot"),
            "s3:GetObject",
            "arn:aws:s3:::acme-webapp-assets/*",
            "gained",
            "ImplicitDeny",
            "Conditional"
        )]
    );
    assert_eq!(
        d["access"][0]["new"]["missing_keys"],
        json!(["aws:SecureTransport"])
    );
    assert_eq!(d["reevaluated"]["principals"], 0);
    assert_eq!(d["reevaluated"]["resources"], 1);
    assert_eq!(d["entities"][0]["entity"], "resource_policy");
    assert_eq!(d["entities"][0]["id"], "arn:aws:s3:::acme-webapp-assets");
    assert_eq!(gate(old.arg(), new.arg()), 1);
}

#[test]
fn text_output_names_the_change_and_escapes_hostile_names() {
    let old = copy_sample("startup");
    let new = copy_sample("startup");
    new.edit_gaad(|v| {
        grant_carol_secret_read(v, "evil\u{1b}]0;pwned\u{7}");
    });
    let (code, text) = run(&["diff", old.arg(), new.arg()]);
    assert_eq!(code, 0);
    assert!(text.contains("Access grew: yes"), "{text}");
    assert!(text.contains("gained"), "{text}");
    assert!(
        text.contains("secretsmanager:GetSecretValue on *: ImplicitDeny → Allow"),
        "{text}"
    );
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
}

#[test]
fn bad_input_exits_2() {
    let old = copy_sample("startup");
    let (code, _) = run(&["diff", old.arg(), "/nonexistent/bundle"]);
    assert_eq!(code, 2);
    let broken = copy_sample("startup");
    std::fs::write(broken.path.join("gaad.json"), "{\"UserDetailList\": [").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_iamscope"))
        .args(["diff", old.arg(), broken.arg(), "--fail-on-new-access"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("gaad.json"), "{err}");
}

#[test]
fn an_scp_changed_in_an_organization_bundle_re_evaluates_every_principal() {
    use iamscope::load::{load, Input};
    use iamscope::model::PolicySource;
    let old = load(&Input::from_arg(Some("sample:org"))).expect("org sample loads");
    let same = iamscope::diff::diff(&old, &old);
    assert!(same.is_empty());
    assert!(!same.reevaluated.account_wide);
    // The SCP of a member that is not the first: edited in the loaded model (an
    // organization bundle names its members' folders, so it is not copied on disk).
    let mut new = old.clone();
    let mut edited = 0;
    for m in new.members.iter_mut().skip(1) {
        for p in m
            .organization
            .iter_mut()
            .flat_map(|o| o.policies.iter_mut())
        {
            if p.id == "p-5a8c3e6d" {
                let text = p.content.as_ref().unwrap().text.to_string();
                let mut policy: Value = serde_json::from_str(&text).unwrap();
                policy["Statement"][0]["Action"] = json!("sts:TagSession");
                p.content = Some(PolicySource::new(policy.to_string()));
                edited += 1;
            }
        }
    }
    assert_eq!(edited, 1, "the SCP sits on one member's path");
    let d = iamscope::diff::diff(&old, &new);
    assert!(d.reevaluated.account_wide);
    assert_eq!(d.reevaluated.principals * 2, d.reevaluated.of_principals);
    let scp = d
        .entities
        .iter()
        .find(|e| e.entity == iamscope::diff::EntityKind::Scp)
        .expect("the SCP changed");
    assert_eq!(scp.id, "p-5a8c3e6d");
    assert_eq!(
        scp.documents[0].statements[0].statement,
        "#1 (OnlyEtlAssumesProdRoles)"
    );
}
