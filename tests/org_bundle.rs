//! Organization bundles: the `org` sample (the enterprise sample plus the analytics
//! account) and the same organization laid out on disk (`ORG/organizations/`,
//! `ORG/<account id>/`) answer cross-account who-can, paths and summary with the real
//! principals of both accounts. Every expected value below is worked out from the
//! sample's policies (see sample-accounts/org/README.md), not from the program.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

const E: &str = "arn:aws:iam::222222222222";
const A: &str = "arn:aws:iam::333333333333";

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_iamscope"))
        .args(args)
        .output()
        .expect("run iamscope");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> Value {
    let (code, stdout, stderr) = run(args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {stdout}"))
}

/// who-can's direct rows: principal → decision.
fn who_can(bundle: &str, action: &str, resource: &str, extra: &[&str]) -> BTreeMap<String, String> {
    let mut args = vec!["who-can", action, resource, "-b", bundle, "--json"];
    args.extend_from_slice(extra);
    json(&args)
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["principal"].as_str().unwrap_or_default().to_string(),
                r["decision"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn rows(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(p, d)| (p.to_string(), d.to_string()))
        .collect()
}

/// The organization on disk: each sample's files under its account id, and the
/// organization's data (the org sample's, then the enterprise sample's) once at the top.
fn org_folder(root: &Path) {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-accounts");
    copy_dir(
        &samples.join("enterprise"),
        &root.join("222222222222"),
        true,
    );
    copy_dir(&samples.join("analytics"), &root.join("333333333333"), true);
    copy_dir(
        &samples.join("enterprise/organizations"),
        &root.join("organizations"),
        false,
    );
    copy_dir(
        &samples.join("org/organizations"),
        &root.join("organizations"),
        false,
    );
}

fn copy_dir(from: &Path, to: &Path, skip_org: bool) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read sample") {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        if skip_org && name == "organizations" {
            continue;
        }
        let target = to.join(&name);
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target, false);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// prod-dashboards (analytics) trusts only the enterprise role OktaDevelopers, whose
/// PowerUserAccess allows sts:* and whose SCP path (the region SCP lists sts:* in its
/// NotAction) denies nothing: Allow, decided with that account's policies. Nobody else
/// is named, so nobody else can.
#[test]
fn who_can_assume_a_role_from_the_other_account() {
    let role = format!("{A}:role/prod-dashboards");
    let expected = rows(&[(&format!("{E}:role/OktaDevelopers"), "Allow")]);
    assert_eq!(
        who_can("sample:org", "sts:AssumeRole", &role, &[]),
        expected
    );
    // Alone, the analytics account cannot see OktaDevelopers' policies: never Allow.
    let alone = who_can("sample:analytics", "sts:AssumeRole", &role, &[]);
    assert_eq!(
        alone
            .get(&format!("{E}:role/OktaDevelopers"))
            .map(String::as_str),
        Some("Conditional"),
        "{alone:?}"
    );
}

/// analytics-crossaccount-reader (enterprise) trusts 333333333333:root with an
/// ExternalId. In analytics, analytics-etl's inline policy allows assuming it;
/// OrganizationAccountAccessRole (AdministratorAccess) is denied by the analytics
/// account's SCP AnalyticsProdAccessOnlyViaEtl; dana's boundary allows assuming only
/// analytics-etl. Enterprise principals are not named.
#[test]
fn who_can_reach_a_role_through_account_delegation_with_the_other_accounts_scps() {
    let role = format!("{E}:role/analytics-crossaccount-reader");
    let with_id = ["-c", "sts:ExternalId=globex-analytics-7781"];
    assert_eq!(
        who_can("sample:org", "sts:AssumeRole", &role, &with_id),
        rows(&[(&format!("{A}:role/analytics-etl"), "Allow")])
    );
    let wrong_id = ["-c", "sts:ExternalId=guess"];
    assert_eq!(
        who_can("sample:org", "sts:AssumeRole", &role, &wrong_id),
        rows(&[])
    );
}

/// The analytics lake's bucket policy grants no other account, so only analytics
/// principals read it: dana (group policy AnalyticsLakeRead, boundary allows s3 reads),
/// analytics-etl (AnalyticsLakeRead), prod-dashboards (curated/*) and
/// OrganizationAccountAccessRole (AdministratorAccess). The enterprise administrators
/// are another account's principals without a grant: not listed. (The bucket's ARN
/// names no account: its policy in the analytics sub-bundle says whose it is.)
#[test]
fn who_can_lists_the_principals_of_the_account_owning_an_s3_bucket() {
    let found = who_can(
        "sample:org",
        "s3:GetObject",
        "arn:aws:s3:::globex-analytics-lake/curated/daily.parquet",
        &["-c", "aws:SecureTransport=true"],
    );
    let expected = rows(&[
        (&format!("{A}:user/dana"), "Allow"),
        (&format!("{A}:role/analytics-etl"), "Allow"),
        (&format!("{A}:role/prod-dashboards"), "Allow"),
        (&format!("{A}:role/OrganizationAccountAccessRole"), "Allow"),
    ]);
    assert_eq!(found, expected);
}

/// The enterprise bucket grants 333333333333:root read of exports/: in the org bundle
/// the analytics principals whose own policies allow it are listed, decided (the RCP
/// S3RequireOrgPrincipals passes: their organization id is known), and the opaque
/// `333333333333:root` row of the single-account answer is gone.
#[test]
fn who_can_on_a_shared_bucket_names_the_other_accounts_real_principals() {
    let found = who_can(
        "sample:org",
        "s3:GetObject",
        "arn:aws:s3:::globex-prod-data-exports/exports/daily.csv",
        &[
            "-c",
            "aws:SecureTransport=true",
            "-c",
            "aws:RequestedRegion=us-east-1",
        ],
    );
    let analytics: BTreeMap<String, String> = found
        .iter()
        .filter(|(p, _)| p.starts_with(A))
        .map(|(p, d)| (p.clone(), d.clone()))
        .collect();
    assert_eq!(
        analytics,
        rows(&[
            (&format!("{A}:role/analytics-etl"), "Allow"),
            (&format!("{A}:role/OrganizationAccountAccessRole"), "Allow"),
        ])
    );
    let alone = who_can(
        "sample:enterprise",
        "s3:GetObject",
        "arn:aws:s3:::globex-prod-data-exports/exports/daily.csv",
        &[
            "-c",
            "aws:SecureTransport=true",
            "-c",
            "aws:RequestedRegion=us-east-1",
        ],
    );
    assert!(alone.contains_key(&format!("{A}:root")), "{alone:?}");
}

fn hops(path: &Value) -> Vec<(String, String, bool)> {
    path.as_array()
        .expect("hops")
        .iter()
        .map(|h| {
            (
                h["from"].as_str().unwrap_or_default().to_string(),
                h["to"].as_str().unwrap_or_default().to_string(),
                h["conditional"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

/// dana → analytics-etl (trust names 333333333333:root; her inline policy and boundary
/// allow it) → the enterprise role analytics-crossaccount-reader (trust names
/// 333333333333:root, conditional on sts:ExternalId; analytics-etl's inline policy allows
/// it and the analytics SCP exempts analytics-etl).
#[test]
fn paths_cross_accounts() {
    let found = json(&[
        "paths",
        &format!("{A}:user/dana"),
        &format!("{E}:role/analytics-crossaccount-reader"),
        "-b",
        "sample:org",
        "--json",
    ]);
    let paths = found.as_array().expect("paths");
    assert_eq!(paths.len(), 1, "{found}");
    let got = hops(&paths[0]);
    assert_eq!(got.len(), 2, "{found}");
    assert!(got[0].0.ends_with("user/dana") && got[0].1.ends_with("role/analytics-etl"));
    assert!(!got[0].2, "dana → analytics-etl is unconditional: {found}");
    assert!(got[1].1.ends_with("role/analytics-crossaccount-reader"));
    assert!(
        got[1].2,
        "the ExternalId makes the second hop conditional: {found}"
    );
    assert_eq!(
        paths[0][1]["missing_keys"],
        serde_json::json!(["sts:ExternalId"]),
        "{found}"
    );

    let back = json(&[
        "paths",
        &format!("{E}:role/OktaDevelopers"),
        &format!("{A}:role/prod-dashboards"),
        "-b",
        "sample:org",
        "--json",
    ]);
    let got = hops(&back.as_array().expect("paths")[0]);
    assert_eq!(got.len(), 1, "{back}");
    assert!(!got[0].2, "{back}");
}

/// Totals and one row per account. Enterprise: 3 users, 2 groups, 11 roles, 7
/// customer policies, 5 resource policies, SCPs FullAWSAccess, DenyLeaveOrganization,
/// RegionRestriction, ProtectSecurityTooling, RCPs RCPFullAWSAccess,
/// S3RequireOrgPrincipals. Analytics: 1 user, 1 group, 3 roles, 2 customer policies, 1
/// bucket policy, SCPs FullAWSAccess, DenyLeaveOrganization, AnalyticsProdAccessOnlyViaEtl,
/// the same 2 RCPs. AdministratorAccess is in both exports and stored once: 4 + 3 − 1
/// AWS-managed... i.e. 11 + 3 − 1 = 13 managed policies.
#[test]
fn summary_per_account_and_in_total() {
    let s = json(&["summary", "-b", "sample:org", "--json"]);
    let c = &s["counts"];
    assert_eq!(c["users"], 4);
    assert_eq!(c["groups"], 3);
    assert_eq!(c["roles"], 14);
    assert_eq!(c["managed_policies"], 13);
    assert_eq!(c["customer_managed_policies"], 9);
    assert_eq!(c["scps"], 5);
    assert_eq!(c["rcps"], 2);
    let accounts = s["accounts"].as_array().expect("accounts");
    let row = |id: &str| {
        accounts
            .iter()
            .find(|a| a["account_id"] == id)
            .unwrap_or_else(|| panic!("{id} in {s}"))
            .clone()
    };
    let e = row("222222222222");
    let a = row("333333333333");
    assert_eq!(accounts.len(), 2);
    let counts = |r: &Value| {
        [
            "users",
            "groups",
            "roles",
            "customer_managed_policies",
            "resource_policies",
            "scps",
            "rcps",
        ]
        .map(|k| r[k].as_u64().unwrap_or(99))
    };
    assert_eq!(counts(&e), [3, 2, 11, 7, 5, 4, 2]);
    assert_eq!(counts(&a), [1, 1, 3, 2, 1, 3, 2]);
    assert_eq!(a["name"], "globex-analytics");
    // A single account's summary has no accounts list.
    let single = json(&["summary", "-b", "sample:enterprise", "--json"]);
    assert!(single.get("accounts").is_none(), "{single}");
}

/// The same organization on disk opens as one (a folder without gaad.json holding
/// folders named by account id) and answers as the sample does.
#[test]
fn an_org_folder_opens_as_one_organization() {
    let dir = tempfile::tempdir().expect("tempdir");
    org_folder(dir.path());
    let bundle = dir.path().to_str().expect("utf-8 path");
    let role = format!("{A}:role/prod-dashboards");
    assert_eq!(
        who_can(bundle, "sts:AssumeRole", &role, &[]),
        rows(&[(&format!("{E}:role/OktaDevelopers"), "Allow")])
    );
    let s = json(&["summary", "-b", bundle, "--json"]);
    assert_eq!(s["accounts"].as_array().map(Vec::len), Some(2), "{s}");
    assert_eq!(s["counts"]["scps"], 5, "{s}");
}

/// A folder named for one account holding another's export is an error naming it.
#[test]
fn a_member_folder_holding_another_account_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    org_folder(dir.path());
    std::fs::rename(
        dir.path().join("333333333333"),
        dir.path().join("444444444444"),
    )
    .expect("rename");
    let (code, _, stderr) = run(&["summary", "-b", dir.path().to_str().expect("path")]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("444444444444") && stderr.contains("333333333333"),
        "{stderr}"
    );
}

/// A typo in an ARN of an account the bundle holds is an error with suggestions, not an
/// outside caller.
#[test]
fn an_unknown_principal_of_a_held_account_is_an_error() {
    let (code, _, stderr) = run(&[
        "can",
        &format!("{A}:user/dan"),
        "s3:GetObject",
        "arn:aws:s3:::globex-analytics-lake/x",
        "-b",
        "sample:org",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("dana"), "{stderr}");
}

/// findings on the organization: 444444444444 (legacy batch) is listed in accounts.json,
/// so its unconditioned trust is inside the organization (low); 555555555555 (the
/// vendor) is not, so it is outside.
#[test]
fn findings_tell_inside_from_outside_the_organization() {
    let found = json(&["findings", "-b", "sample:org", "--json"]);
    let findings = found
        .as_array()
        .or_else(|| found["findings"].as_array())
        .expect("findings")
        .clone();
    let about = |id: &str, entity: &str| -> Vec<Value> {
        findings
            .iter()
            .filter(|f| f["id"] == id && f["entity"].as_str().is_some_and(|e| e.ends_with(entity)))
            .cloned()
            .collect()
    };
    let legacy = about("IAM002", "role/legacy-batch-crossaccount");
    assert_eq!(legacy.len(), 1, "{legacy:?}");
    assert_eq!(legacy[0]["severity"], "low");
    assert!(
        legacy[0]["summary"]
            .as_str()
            .is_some_and(|s| s.contains("444444444444 (inside the organization)")),
        "{legacy:?}"
    );
    let vendor = about("IAM021", "role/vendor-cloudcheckr-readonly");
    assert!(
        vendor.iter().any(|f| f["summary"]
            .as_str()
            .is_some_and(|s| s.contains("555555555555 (outside the organization)"))),
        "{vendor:?}"
    );
    // Alone, the enterprise sample knows only its management account (organization.json)
    // to be inside; of the others it makes no claim either way.
    let alone = json(&["findings", "-b", "sample:enterprise", "--json"]).to_string();
    assert!(!alone.contains("444444444444 (inside"), "{alone}");
    assert!(!alone.contains("outside the organization"), "{alone}");
    assert!(
        alone.contains("999999999999 (inside the organization)"),
        "{alone}"
    );
}

/// A resource of `*` names no account: in an organization bundle it is the caller's own
/// account, whichever account the bundle lists first. Analytics' admin role holds
/// AdministratorAccess and its SCP path (FullAWSAccess, DenyLeaveOrganization, the
/// AssumeRole guard) does not touch `iam:ListUsers`, so it is allowed in its own account.
#[test]
fn a_resource_naming_no_account_is_the_callers_account() {
    let v = json(&[
        "can",
        &format!("{A}:role/OrganizationAccountAccessRole"),
        "iam:ListUsers",
        "*",
        "-b",
        "sample:org",
        "--json",
    ]);
    assert_eq!(v["decision"], "Allow", "{v}");
}

/// A copy of `sample-accounts/org` on its own (its accounts named by `members.json`)
/// opens as the same organization as the built-in sample: the counts worked out in
/// `summary_per_account_and_in_total`, the cross-account who-can, and a summary equal
/// to the sample's but for where it came from.
#[test]
fn a_copy_of_the_org_sample_opens_as_the_built_in_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let copy = dir.path().join("x");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-accounts/org");
    copy_dir(&sample, &copy, false);
    let bundle = copy.to_str().expect("utf-8 path");
    let s = json(&["summary", "-b", bundle, "--json"]);
    let c = &s["counts"];
    let got = ["users", "groups", "roles", "scps", "rcps"].map(|k| c[k].as_u64().unwrap_or(99));
    assert_eq!(got, [4, 3, 14, 5, 2], "{s}");
    assert_eq!(s["accounts"].as_array().map(Vec::len), Some(2), "{s}");
    let role = format!("{A}:role/prod-dashboards");
    assert_eq!(
        who_can(bundle, "sts:AssumeRole", &role, &[]),
        rows(&[(&format!("{E}:role/OktaDevelopers"), "Allow")])
    );
    let mut built_in = json(&["summary", "-b", "sample:org", "--json"]);
    let mut on_disk = s.clone();
    for v in [&mut built_in, &mut on_disk] {
        let source = v.as_object_mut().expect("object").remove("source");
        assert!(source.is_some(), "{v}");
    }
    assert_eq!(on_disk, built_in);
}

/// A members file naming something that is not an account sample, or that is not JSON,
/// is an error naming the file (and the position), exit 2.
#[test]
fn a_bad_members_file_is_an_error_naming_it() {
    for (text, says) in [
        (
            r#"{"Members": ["enterprise", "payroll"]}"#,
            "\"payroll\" is not an account sample",
        ),
        (
            r#"{"Members": ["org"]}"#,
            "\"org\" is not an account sample",
        ),
        ("{\"Members\": [\n  \"enterprise\",\n]}", "3:1"),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("members.json"), text).expect("write");
        let (code, _, stderr) = run(&["summary", "-b", dir.path().to_str().expect("path")]);
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains("members.json") && stderr.contains(says),
            "{text}: {stderr}"
        );
    }
}
