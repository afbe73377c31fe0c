//! Acceptance: `iamscope who-can ACTION RESOURCE --json` on the samples gives exactly
//! the principals derived by hand from the bundles and READMEs (written out below), in
//! the documented JSON shape; with `--escalation`, principals that get there through
//! paths come with a `via` that chains from them to a principal that can directly.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;

const V: &str = "arn:aws:iam::666666666666";
const S: &str = "arn:aws:iam::111111111111";
const E: &str = "arn:aws:iam::222222222222";

/// The vulnerable sample's administrators (README "Admin set").
const VULNERABLE_ADMINS: &[&str] = &[
    "user/admin-alice",
    "user/svc-admin-automation",
    "role/dvia-ec2-admin-role",
    "role/dvia-lambda-admin-role",
    "role/dvia-admin-role",
    "role/dvia-chain-role-c",
];

fn who_can(bundle: &str, action: &str, resource: &str, extra: &[&str]) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_iamscope"))
        .args(["who-can", action, resource, "-b", bundle, "--json"])
        .args(extra)
        .output()
        .expect("run iamscope");
    assert!(
        out.status.success(),
        "who-can {action} {resource}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let rows = json.as_array().expect("an array of rows").clone();
    for r in &rows {
        check_shape(r);
    }
    rows
}

/// Every row: {principal, decision (Allow|Conditional), missing_keys, via, note?,
/// statements}.
fn check_shape(r: &Value) {
    let obj = r
        .as_object()
        .unwrap_or_else(|| panic!("row is an object: {r}"));
    for key in obj.keys() {
        assert!(
            [
                "principal",
                "decision",
                "missing_keys",
                "via",
                "note",
                "statements"
            ]
            .contains(&key.as_str()),
            "unexpected key {key}: {r}"
        );
    }
    assert!(r["principal"].is_string(), "{r}");
    let decision = r["decision"].as_str().unwrap_or_default();
    assert!(decision == "Allow" || decision == "Conditional", "{r}");
    let keys = r["missing_keys"].as_array().expect("missing_keys array");
    assert!(keys.iter().all(Value::is_string), "{r}");
    let statements = r["statements"].as_array().expect("statements array");
    assert!(statements.iter().all(Value::is_string), "{r}");
    if decision == "Allow" {
        assert!(keys.is_empty(), "an Allow has no missing keys: {r}");
    }
    assert!(r["via"].is_array(), "{r}");
    if let Some(note) = obj.get("note") {
        assert!(note.is_string(), "{r}");
    }
}

fn direct(rows: &[Value]) -> BTreeMap<String, (String, Vec<String>)> {
    let mut out = BTreeMap::new();
    for r in rows
        .iter()
        .filter(|r| r["via"].as_array().unwrap().is_empty())
    {
        let keys = r["missing_keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap().to_string())
            .collect();
        let previous = out.insert(
            r["principal"].as_str().unwrap().to_string(),
            (r["decision"].as_str().unwrap().to_string(), keys),
        );
        assert!(previous.is_none(), "principal listed twice: {r}");
    }
    out
}

fn expect(
    prefix: &str,
    allow: &[&str],
    conditional: &[(&str, &[&str])],
) -> BTreeMap<String, (String, Vec<String>)> {
    let arn = |p: &str| {
        if p.starts_with("arn:") || !p.contains('/') {
            p.to_string()
        } else {
            format!("{prefix}:{p}")
        }
    };
    let mut out = BTreeMap::new();
    for p in allow {
        out.insert(arn(p), ("Allow".to_string(), Vec::new()));
    }
    for (p, keys) in conditional {
        let mut keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        keys.sort();
        out.insert(arn(p), ("Conditional".to_string(), keys));
    }
    out
}

fn sorted_keys(
    mut m: BTreeMap<String, (String, Vec<String>)>,
) -> BTreeMap<String, (String, Vec<String>)> {
    for (_, (_, keys)) in m.iter_mut() {
        keys.sort();
    }
    m
}

/// Direct rows come first, Allow before Conditional.
fn check_order(rows: &[Value]) {
    let inside: Vec<&Value> = rows.iter().filter(|r| r.get("note").is_none()).collect();
    let first_conditional = inside.iter().position(|r| r["decision"] == "Conditional");
    if let Some(i) = first_conditional {
        let account_rows = inside[i..]
            .iter()
            .take_while(|r| r["via"].as_array().unwrap().is_empty())
            .filter(|r| r["principal"].as_str().unwrap().starts_with("arn:"));
        for r in account_rows {
            assert_ne!(r["decision"], "Allow", "Allow rows come first: {rows:?}");
        }
    }
}

#[test]
fn vulnerable_passrole_on_the_ec2_admin_role() {
    let rows = who_can(
        "sample:vulnerable",
        "iam:PassRole",
        &format!("{V}:role/dvia-ec2-admin-role"),
        &[],
    );
    check_order(&rows);
    // The admins, and ec2-launcher only when passed to EC2 (StringEquals
    // iam:PassedToService). decoy-passrole may pass only the logs role.
    let want = expect(
        V,
        VULNERABLE_ADMINS,
        &[("user/ec2-launcher", &["iam:PassedToService"])],
    );
    assert_eq!(sorted_keys(direct(&rows)), want);
    // With the service given, ec2-launcher is allowed outright.
    let rows = who_can(
        "sample:vulnerable",
        "iam:PassRole",
        &format!("{V}:role/dvia-ec2-admin-role"),
        &["--context", "iam:PassedToService=ec2.amazonaws.com"],
    );
    let mut all: Vec<&str> = VULNERABLE_ADMINS.to_vec();
    all.push("user/ec2-launcher");
    assert_eq!(sorted_keys(direct(&rows)), expect(V, &all, &[]));
}

#[test]
fn vulnerable_create_access_key_on_the_automation_admin() {
    let rows = who_can(
        "sample:vulnerable",
        "iam:CreateAccessKey",
        &format!("{V}:user/svc-admin-automation"),
        &[],
    );
    // key-rotator (+ admins); not decoy-boundary (its boundary allows only reads).
    let mut all: Vec<&str> = VULNERABLE_ADMINS.to_vec();
    all.push("user/key-rotator");
    let got = sorted_keys(direct(&rows));
    assert_eq!(got, expect(V, &all, &[]));
    assert!(!got.contains_key(&format!("{V}:user/decoy-boundary")));
}

#[test]
fn vulnerable_add_user_to_the_administrators_group() {
    let rows = who_can(
        "sample:vulnerable",
        "iam:AddUserToGroup",
        &format!("{V}:group/Administrators"),
        &[],
    );
    let mut all: Vec<&str> = VULNERABLE_ADMINS.to_vec();
    all.push("user/group-manager");
    assert_eq!(sorted_keys(direct(&rows)), expect(V, &all, &[]));
}

#[test]
fn startup_get_object_on_a_web_asset() {
    let object = "arn:aws:s3:::acme-webapp-assets/index.html";
    let rows = who_can("sample:startup", "s3:GetObject", object, &[]);
    check_order(&rows);
    let tls: &[&str] = &["aws:SecureTransport"];
    // Every grant is cut by the bucket's DenyInsecureTransport (unknown transport):
    // admins (alice, bob, acme-admin), developers' s3:* (bob, carol, dave, erin, frank),
    // the web app role (AppAssetsReadWrite + bucket policy), the API task
    // (ApiDataAccess). Not the thumbnailer (uploads/* only), not ci-deploy nor
    // github-actions-deploy (put/list/delete only). CloudFront through the bucket
    // policy, also on its AWS:SourceArn condition.
    let want = expect(
        S,
        &[],
        &[
            ("user/alice", tls),
            ("user/bob", tls),
            ("user/carol", tls),
            ("user/dave", tls),
            ("user/erin", tls),
            ("user/frank", tls),
            ("role/acme-admin", tls),
            ("role/acme-web-app-ec2", tls),
            ("role/acme-api-ecs-task", tls),
            (
                "cloudfront.amazonaws.com",
                &["aws:SecureTransport", "AWS:SourceArn"],
            ),
        ],
    );
    assert_eq!(sorted_keys(direct(&rows)), want);
    // Over TLS, the account's principals are allowed; CloudFront still depends on its
    // distribution.
    let rows = who_can(
        "sample:startup",
        "s3:GetObject",
        object,
        &["--context", "aws:SecureTransport=true"],
    );
    let want = expect(
        S,
        &[
            "user/alice",
            "user/bob",
            "user/carol",
            "user/dave",
            "user/erin",
            "user/frank",
            "role/acme-admin",
            "role/acme-web-app-ec2",
            "role/acme-api-ecs-task",
        ],
        &[("cloudfront.amazonaws.com", &["AWS:SourceArn"])],
    );
    assert_eq!(sorted_keys(direct(&rows)), want);
}

#[test]
fn startup_web_identity_on_the_github_deploy_role() {
    let rows = who_can(
        "sample:startup",
        "sts:AssumeRoleWithWebIdentity",
        &format!("{S}:role/github-actions-deploy"),
        &[],
    );
    // The OIDC provider, on the token's audience and subject (aud + sub pinned).
    let provider = format!("{S}:oidc-provider/token.actions.githubusercontent.com");
    let row = rows
        .iter()
        .find(|r| r["principal"] == provider.as_str())
        .unwrap_or_else(|| panic!("the OIDC provider is listed: {rows:?}"));
    assert_eq!(row["decision"], "Conditional", "{row}");
    let mut keys: Vec<&str> = row["missing_keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "token.actions.githubusercontent.com:aud",
            "token.actions.githubusercontent.com:sub"
        ]
    );
    assert!(row["via"].as_array().unwrap().is_empty());
    assert!(
        row.get("note").is_none(),
        "a provider needs no outside-account note: {row}"
    );
}

#[test]
fn enterprise_cross_account_read_of_the_exports_bucket() {
    let rows = who_can(
        "sample:enterprise",
        "s3:GetObject",
        "arn:aws:s3:::globex-prod-data-exports/exports/daily.csv",
        &[],
    );
    let got = direct(&rows);
    let principals: BTreeSet<&str> = got.keys().map(String::as_str).collect();
    // Admins (OktaAdministrators, OrganizationAccountAccessRole, breakglass-admin),
    // PowerUserAccess (OktaDevelopers), AnalyticsExportsRead
    // (analytics-crossaccount-reader), and the analytics account through the bucket
    // policy (AllowAnalyticsAccountReadExports). Not the vendor role (explicit deny).
    let want: BTreeSet<String> = [
        format!("{E}:role/OktaAdministrators"),
        format!("{E}:role/OktaDevelopers"),
        format!("{E}:role/OrganizationAccountAccessRole"),
        format!("{E}:role/analytics-crossaccount-reader"),
        format!("{E}:user/breakglass-admin"),
        "arn:aws:iam::333333333333:root".to_string(),
    ]
    .into_iter()
    .collect();
    assert_eq!(principals, want.iter().map(String::as_str).collect());
    // Every one depends on the transport (DenyInsecureTransport). The RCP's
    // aws:PrincipalOrgID is known for the account's own principals (the organization id
    // is in the bundle's SCP ARNs) but not for the outside account. The region SCP
    // exempts OrganizationAccountAccessRole.
    for (p, (decision, keys)) in &got {
        assert_eq!(decision, "Conditional", "{p}");
        assert!(
            keys.iter().any(|k| k == "aws:SecureTransport"),
            "{p}: {keys:?}"
        );
        assert_eq!(
            keys.iter().any(|k| k == "aws:PrincipalOrgID"),
            p.contains("333333333333"),
            "{p}: {keys:?}"
        );
        let region = keys.iter().any(|k| k == "aws:RequestedRegion");
        let exempt = p.ends_with("OrganizationAccountAccessRole") || p.contains("333333333333");
        assert_eq!(region, !exempt, "{p}: {keys:?}");
    }
    // The outside account comes with its note, after the account's own principals.
    let outside = rows
        .iter()
        .position(|r| r["principal"] == "arn:aws:iam::333333333333:root")
        .unwrap();
    assert!(rows[outside]["note"]
        .as_str()
        .is_some_and(|n| n.contains("outside this account")));
    assert_eq!(outside, rows.len() - 1, "{rows:?}");
    // The vendor's explicit deny keeps it out.
    assert!(!principals.contains(format!("{E}:role/vendor-cloudcheckr-readonly").as_str()));
}

#[test]
fn enterprise_cross_account_kms_decrypt() {
    let rows = who_can(
        "sample:enterprise",
        "kms:Decrypt",
        "arn:aws:kms:us-east-1:222222222222:key/8f2c4e1a-3b5d-4c7e-9a0f-6d1b2e3c4f5a",
        &[],
    );
    let got = direct(&rows);
    let outside = got
        .get("arn:aws:iam::333333333333:root")
        .unwrap_or_else(|| panic!("AllowAnalyticsAccountDecrypt admits 333333333333: {rows:?}"));
    // Admitted by the key policy, but its own account's policies must allow it too, and
    // the bundle cannot see them.
    assert_eq!(outside.0, "Conditional");
    // The key users of the key policy are there.
    for p in [
        "role/app/orders-processor",
        "role/app/reporting-task",
        "role/analytics-crossaccount-reader",
    ] {
        assert!(got.contains_key(&format!("{E}:{p}")), "{p}: {rows:?}");
    }
}

/// `--escalation` rows: `via` chains from the principal to a direct principal.
fn check_escalation(rows: &[Value]) -> BTreeSet<String> {
    let direct: BTreeSet<String> = direct(rows).into_keys().collect();
    let mut indirect = BTreeSet::new();
    let mut seen_indirect = false;
    for r in rows {
        let via = r["via"].as_array().unwrap();
        if via.is_empty() {
            assert!(!seen_indirect, "direct rows come before indirect ones: {r}");
            continue;
        }
        seen_indirect = true;
        let principal = r["principal"].as_str().unwrap();
        assert!(
            !direct.contains(principal),
            "listed directly and via a path: {r}"
        );
        assert_eq!(
            via[0]["from"], principal,
            "via starts at the principal: {r}"
        );
        for w in via.windows(2) {
            assert_eq!(w[0]["to"], w[1]["from"], "via hops chain: {r}");
        }
        let end = via.last().unwrap()["to"].as_str().unwrap();
        assert!(direct.contains(end), "via ends at a direct principal: {r}");
        for hop in via {
            for key in [
                "kind",
                "conditional",
                "missing_keys",
                "assumptions",
                "evidence",
            ] {
                assert!(hop.get(key).is_some(), "hop has {key}: {hop}");
            }
        }
        if via.iter().any(|h| h["conditional"] == true) {
            assert_eq!(r["decision"], "Conditional", "{r}");
        }
        assert!(indirect.insert(principal.to_string()), "listed twice: {r}");
    }
    indirect
}

#[test]
fn escalation_rows_chain_to_a_direct_principal() {
    let rows = who_can(
        "sample:vulnerable",
        "iam:CreateAccessKey",
        &format!("{V}:user/svc-admin-automation"),
        &["--escalation"],
    );
    let indirect = check_escalation(&rows);
    // Everyone with a route to admin (README) who cannot directly: the other seeded
    // users and the chain's first two roles. No decoy.
    let want: BTreeSet<String> = [
        "user/ec2-launcher",
        "user/lambda-dev",
        "user/policy-editor",
        "user/self-attacher",
        "user/trust-editor",
        "user/group-manager",
        "user/chain-starter",
        "role/dvia-chain-role-a",
        "role/dvia-chain-role-b",
    ]
    .iter()
    .map(|p| format!("{V}:{p}"))
    .collect();
    assert_eq!(indirect, want);
    // The chain's start goes the whole way.
    let chain = rows
        .iter()
        .find(|r| r["principal"] == format!("{V}:user/chain-starter").as_str())
        .unwrap();
    assert_eq!(chain["via"].as_array().unwrap().len(), 3, "{chain}");

    // Through an open trust (`*`): every principal reaches the reports reader role…
    let rows = who_can(
        "sample:vulnerable",
        "s3:GetObject",
        "arn:aws:s3:::dvia-shared-reports/report.csv",
        &["--escalation"],
    );
    let indirect = check_escalation(&rows);
    for decoy in ["decoy-passrole", "decoy-policy-version", "decoy-denied"] {
        assert!(
            indirect.contains(&format!("{V}:user/{decoy}")),
            "{decoy}: {rows:?}"
        );
    }
    // …but a user whose permissions boundary does not allow sts:AssumeRole (the README's
    // DviaTraineeBoundary allows only reads) cannot, even when the trust names it: IAM
    // User Guide, "Update a role trust policy".
    assert!(
        !indirect.contains(&format!("{V}:user/decoy-boundary")),
        "{rows:?}"
    );

    for (bundle, action, resource) in [
        (
            "sample:startup",
            "iam:PassRole",
            "arn:aws:iam::111111111111:role/acme-api-ecs-task",
        ),
        (
            "sample:enterprise",
            "sqs:SendMessage",
            "arn:aws:sqs:us-east-1:222222222222:globex-orders-queue",
        ),
    ] {
        check_escalation(&who_can(bundle, action, resource, &["--escalation"]));
    }
}
