//! Generated organizations (`iamscope-gen --accounts N`): they load as one model with
//! AWS-managed policies stored once, and their cross-account trust resolves to real
//! principals of the other accounts — decided inside the organization, Conditional
//! when the trusted account is not loaded.

use std::collections::BTreeSet;
use std::path::Path;

use iamscope::eval::{Context, Engine, Query};
use iamscope::load::{self, Input};
use iamscope::query::who_can::{who_can, WhoCanOptions};
use iamscope::synth::{org_account_ids, write_org, SynthOptions};
use serde_json::Value;

fn template() -> SynthOptions {
    SynthOptions {
        users: 60,
        roles: 60,
        groups: 8,
        policies: 40,
        seed: 5,
        account_id: "210000000000".into(),
        ..SynthOptions::default()
    }
}

fn gaad(dir: &Path, id: &str) -> Value {
    let text = std::fs::read_to_string(dir.join(id).join("gaad.json")).expect("generated");
    serde_json::from_str(&text).expect("JSON")
}

#[test]
fn aws_managed_policies_are_stored_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_org(&template(), 3, dir.path()).expect("write");
    let ids = org_account_ids(&template().account_id, 3);
    // From the files: every policy ARN each export lists.
    let mut aws = BTreeSet::new();
    let mut customer = 0;
    for id in &ids {
        for p in gaad(dir.path(), id)["Policies"]
            .as_array()
            .expect("Policies")
        {
            let arn = p["Arn"].as_str().expect("Arn").to_string();
            if arn.starts_with("arn:aws:iam::aws:") {
                aws.insert(arn);
            } else {
                customer += 1;
            }
        }
    }
    let account = load::load(&Input::Path(dir.path().into())).expect("loads");
    assert_eq!(account.members.len(), 3);
    let loaded_aws: Vec<_> = account
        .managed_policies
        .iter()
        .filter(|p| p.is_aws_managed() && p.in_export)
        .map(|p| p.arn.to_string())
        .collect();
    assert_eq!(loaded_aws.len(), aws.len(), "each AWS-managed policy once");
    assert_eq!(
        loaded_aws.into_iter().collect::<BTreeSet<_>>(),
        aws,
        "the same AWS-managed policies"
    );
    let loaded_customer = account
        .managed_policies
        .iter()
        .filter(|p| !p.is_aws_managed() && p.in_export)
        .count();
    assert_eq!(loaded_customer, customer);
    assert_eq!(account.users.len(), 3 * 60);
    assert_eq!(account.roles.len(), 3 * 60);
}

/// A role of one account whose trust names another account's root, with no condition
/// but perhaps an ExternalId: (role ARN, trusted account, the ExternalId).
fn open_cross_account_role(dir: &Path, ids: &[String]) -> Option<(String, String, Option<String>)> {
    for id in ids {
        for r in gaad(dir, id)["RoleDetailList"].as_array()? {
            let Some(statements) = r["AssumeRolePolicyDocument"]["Statement"].as_array() else {
                continue;
            };
            if statements.len() != 1 {
                continue;
            }
            let external_id = match statements[0].get("Condition") {
                None => None,
                Some(c) => {
                    let only = c.as_object().is_some_and(|o| o.len() == 1)
                        && c["StringEquals"].as_object().is_some_and(|o| o.len() == 1);
                    match c["StringEquals"]["sts:ExternalId"].as_str() {
                        Some(e) if only => Some(e.to_string()),
                        _ => continue,
                    }
                }
            };
            let Some(p) = statements[0]["Principal"]["AWS"].as_str() else {
                continue;
            };
            let trusted = p
                .strip_prefix("arn:aws:iam::")
                .and_then(|p| p.strip_suffix(":root"));
            if let Some(t) = trusted.filter(|t| ids.iter().any(|i| i == t) && *t != id) {
                return Some((r["Arn"].as_str()?.to_string(), t.to_string(), external_id));
            }
        }
    }
    None
}

#[test]
fn cross_account_trust_resolves_inside_the_organization_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_org(&template(), 3, dir.path()).expect("write");
    let ids = org_account_ids(&template().account_id, 3);
    let (role, trusted, external_id) =
        open_cross_account_role(dir.path(), &ids).expect("the generator writes such a trust");
    let mut context = Context::new(false);
    if let Some(e) = external_id {
        context.set("sts:ExternalId", vec![e]);
    }
    let query = Query::new("sts:AssumeRole", &role).with_context(context);
    let account = load::load(&Input::Path(dir.path().into())).expect("loads");
    let engine = Engine::new(&account);
    let rows = who_can(&engine, &query, WhoCanOptions::default());
    let from_trusted: Vec<_> = rows
        .iter()
        .filter(|r| r.principal.contains(&format!(":{trusted}:")) && r.decision == "Allow")
        .collect();
    assert!(
        !from_trusted.is_empty(),
        "principals of {trusted} may assume {role}: {rows:?}"
    );
    assert!(
        rows.iter().all(|r| !r.principal.ends_with(":root")),
        "{rows:?}"
    );

    // The role's account alone cannot see them: never Allow.
    let owner = role.split(':').nth(4).expect("account");
    let alone = load::load(&Input::Path(dir.path().join(owner))).expect("loads alone");
    let engine = Engine::new(&alone);
    let rows = who_can(&engine, &query, WhoCanOptions::default());
    assert!(
        rows.iter()
            .filter(|r| r.principal.contains(&format!(":{trusted}:")))
            .all(|r| r.decision != "Allow"),
        "{rows:?}"
    );
}
