//! Each check, on a positive and a negative fixture: small bundles written to a temporary
//! folder, loaded as a user would, audited with "now" = 2026-11-01.

use iamscope::eval::Engine;
use iamscope::findings::{audit, days_from_iso, Finding, Options, Severity};
use iamscope::graph::Graph;
use iamscope::load::{self, Input};
use serde_json::{json, Value};

const ACCT: &str = "123456789012";
const REPORT_HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

#[derive(Default)]
struct Bundle {
    users: Vec<Value>,
    roles: Vec<Value>,
    files: Vec<(String, String)>,
}

fn arn(rest: &str) -> String {
    format!("arn:aws:iam::{ACCT}:{rest}")
}

fn doc(statements: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

impl Bundle {
    fn user(mut self, name: &str, statements: Value) -> Bundle {
        self.users.push(json!({
            "UserName": name, "UserId": format!("AIDA{name}"), "Arn": arn(&format!("user/{name}")),
            "Path": "/", "CreateDate": "2025-01-01T00:00:00Z",
            "UserPolicyList": [{"PolicyName": format!("{name}-inline"), "PolicyDocument": doc(statements)}],
        }));
        self
    }

    fn role(self, name: &str, trust: Value) -> Bundle {
        self.role_used(
            name,
            trust,
            "2025-01-01T00:00:00Z",
            Some("2026-10-30T00:00:00Z"),
        )
    }

    fn role_used(mut self, name: &str, trust: Value, created: &str, last: Option<&str>) -> Bundle {
        let last_used = match last {
            Some(d) => json!({"LastUsedDate": d, "Region": "us-east-1"}),
            None => json!({}),
        };
        self.roles.push(json!({
            "RoleName": name, "RoleId": format!("AROA{name}"), "Arn": arn(&format!("role/{name}")),
            "Path": "/", "CreateDate": created, "AssumeRolePolicyDocument": doc(trust),
            "RolePolicyList": [], "AttachedManagedPolicies": [], "InstanceProfileList": [],
            "Tags": [], "RoleLastUsed": last_used,
        }));
        self
    }

    fn file(mut self, path: &str, text: String) -> Bundle {
        self.files.push((path.to_string(), text));
        self
    }

    fn report(self, rows: &[&str]) -> Bundle {
        let mut text = format!("{REPORT_HEADER}\n");
        for r in rows {
            text += r;
            text.push('\n');
        }
        self.file("credential-report.csv", text)
    }

    fn audit(self) -> Vec<Finding> {
        let dir = tempfile::tempdir().expect("temp dir");
        let gaad = json!({
            "UserDetailList": self.users, "GroupDetailList": [], "RoleDetailList": self.roles,
            "Policies": [],
        });
        std::fs::write(dir.path().join("gaad.json"), gaad.to_string()).expect("write");
        for (path, text) in &self.files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().expect("a parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        }
        let account = load::load(&Input::Path(dir.path().to_path_buf())).expect("fixture loads");
        let engine = Engine::new(&account);
        let graph = Graph::build(&engine);
        audit(
            &engine,
            &graph,
            &Options {
                now: days_from_iso("2026-11-01"),
            },
        )
    }
}

fn ids(findings: &[Finding], entity: &str) -> Vec<&'static str> {
    findings
        .iter()
        .filter(|f| f.entity == entity)
        .map(|f| f.id)
        .collect()
}

fn has(findings: &[Finding], id: &str, entity: &str) -> bool {
    findings.iter().any(|f| f.id == id && f.entity == entity)
}

fn trusting(principal: Value, action: &str, condition: Option<Value>) -> Value {
    let mut st = json!({"Sid": "T", "Effect": "Allow", "Principal": principal, "Action": action});
    if let Some(c) = condition {
        st["Condition"] = c;
    }
    json!([st])
}

#[test]
fn open_trust_iam001() {
    let f = Bundle::default()
        .role(
            "open",
            trusting(json!({"AWS": "*"}), "sts:AssumeRole", None),
        )
        .role(
            "org-only",
            trusting(
                json!({"AWS": "*"}),
                "sts:AssumeRole",
                Some(json!({"StringEquals": {"aws:PrincipalOrgID": "o-abc"}})),
            ),
        )
        .audit();
    let open = f.iter().find(|f| f.id == "IAM001").expect("IAM001");
    assert_eq!(open.entity, arn("role/open"));
    assert_eq!(open.severity, Severity::Critical);
    assert!(!has(&f, "IAM001", &arn("role/org-only")));
    // Both are still external access (the second to members of o-abc).
    assert!(has(&f, "IAM021", &arn("role/open")));
}

#[test]
fn cross_account_trust_iam002_and_iam021() {
    let f = Bundle::default()
        .role(
            "vendor",
            trusting(json!({"AWS": "999988887777"}), "sts:AssumeRole", None),
        )
        .role(
            "vendor-with-id",
            trusting(
                json!({"AWS": "arn:aws:iam::999988887777:root"}),
                "sts:AssumeRole",
                Some(json!({"StringEquals": {"sts:ExternalId": "x-1"}})),
            ),
        )
        .role(
            "own",
            trusting(json!({"AWS": ACCT}), "sts:AssumeRole", None),
        )
        .audit();
    assert!(has(&f, "IAM002", &arn("role/vendor")));
    assert!(!has(&f, "IAM002", &arn("role/vendor-with-id")));
    assert!(has(&f, "IAM021", &arn("role/vendor-with-id")));
    assert!(
        ids(&f, &arn("role/own")).is_empty(),
        "same-account trust: {:?}",
        ids(&f, &arn("role/own"))
    );
}

fn github(condition: Value) -> Value {
    trusting(
        json!({"Federated": arn("oidc-provider/token.actions.githubusercontent.com")}),
        "sts:AssumeRoleWithWebIdentity",
        Some(condition),
    )
}

#[test]
fn oidc_trust_iam003_iam004_iam005() {
    let aud = "token.actions.githubusercontent.com:aud";
    let sub = "token.actions.githubusercontent.com:sub";
    let f = Bundle::default()
        .role("no-aud", github(json!({"StringEquals": {sub: "repo:acme/app:ref:refs/heads/main"}})))
        .role("no-sub", github(json!({"StringEquals": {aud: "sts.amazonaws.com"}})))
        .role(
            "org-wide",
            github(json!({"StringEquals": {aud: "sts.amazonaws.com"}, "StringLike": {sub: "repo:acme/*"}})),
        )
        .role(
            "any-branch",
            github(json!({"StringEquals": {aud: "sts.amazonaws.com"}, "StringLike": {sub: "repo:acme/app:*"}})),
        )
        .role(
            "pinned",
            github(json!({"StringEquals": {aud: "sts.amazonaws.com", sub: "repo:acme/app:ref:refs/heads/main"}})),
        )
        .audit();
    assert!(has(&f, "IAM003", &arn("role/no-aud")));
    assert!(!has(&f, "IAM004", &arn("role/no-aud")));
    assert!(has(&f, "IAM004", &arn("role/no-sub")));
    assert!(!has(&f, "IAM003", &arn("role/no-sub")));
    assert!(has(&f, "IAM005", &arn("role/org-wide")));
    assert!(has(&f, "IAM005", &arn("role/any-branch")));
    for id in ["IAM003", "IAM004", "IAM005"] {
        assert!(
            !has(&f, id, &arn("role/pinned")),
            "{id} on the pinned trust"
        );
    }
}

#[test]
fn saml_trust_iam006() {
    let okta = json!({"Federated": arn("saml-provider/Okta")});
    let f = Bundle::default()
        .role(
            "loose",
            trusting(okta.clone(), "sts:AssumeRoleWithSAML", None),
        )
        .role(
            "pinned",
            trusting(
                okta,
                "sts:AssumeRoleWithSAML",
                Some(json!({"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}})),
            ),
        )
        .audit();
    assert!(has(&f, "IAM006", &arn("role/loose")));
    assert!(!has(&f, "IAM006", &arn("role/pinned")));
}

#[test]
fn confused_deputy_iam007() {
    let ecs = json!({"Service": "ecs-tasks.amazonaws.com"});
    let f = Bundle::default()
        .role("task", trusting(ecs.clone(), "sts:AssumeRole", None))
        .role(
            "task-pinned",
            trusting(
                ecs,
                "sts:AssumeRole",
                Some(json!({"StringEquals": {"aws:SourceAccount": ACCT}})),
            ),
        )
        .role(
            "instance",
            trusting(
                json!({"Service": "ec2.amazonaws.com"}),
                "sts:AssumeRole",
                None,
            ),
        )
        .audit();
    assert!(has(&f, "IAM007", &arn("role/task")));
    assert!(!has(&f, "IAM007", &arn("role/task-pinned")));
    assert!(
        !has(&f, "IAM007", &arn("role/instance")),
        "EC2 takes no source keys"
    );
}

fn allow(action: &str, resource: &str) -> Value {
    json!({"Effect": "Allow", "Action": action, "Resource": resource})
}

#[test]
fn administrators_and_paths_iam010_iam011() {
    let f = Bundle::default()
        .user("root-like", json!([allow("*", "*")]))
        .user("reader", json!([allow("s3:GetObject", "*")]))
        .user(
            "climber",
            json!([allow("iam:AttachUserPolicy", &arn("user/climber"))]),
        )
        .user(
            "blocked",
            json!([
                allow("iam:AttachUserPolicy", &arn("user/blocked")),
                {"Effect": "Deny", "Action": "iam:AttachUserPolicy", "Resource": "*"}
            ]),
        )
        .audit();
    assert!(has(&f, "IAM010", &arn("user/root-like")));
    assert!(!has(&f, "IAM010", &arn("user/reader")));
    let climb = f.iter().find(|x| x.id == "IAM011").expect("IAM011");
    assert_eq!(climb.entity, arn("user/climber"));
    assert!(
        matches!(climb.evidence[0], iamscope::findings::Evidence::Path { ref hops } if hops.len() == 1)
    );
    assert!(
        !has(&f, "IAM011", &arn("user/blocked")),
        "an explicit deny stops it"
    );
    assert!(!has(&f, "IAM011", &arn("user/reader")));
}

#[test]
fn pass_role_iam012() {
    let f = Bundle::default()
        .user("passer", json!([allow("iam:PassRole", "*")]))
        .user("narrow", json!([allow("iam:PassRole", &arn("role/app"))]))
        .audit();
    assert!(has(&f, "IAM012", &arn("user/passer")));
    assert!(!has(&f, "IAM012", &arn("user/narrow")));
}

#[test]
fn not_action_and_wildcards_iam013_iam014() {
    let f = Bundle::default()
        .user("not-action", json!([{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]))
        .user("deny-not-action", json!([{"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}, allow("s3:GetObject", "*")]))
        .user("kms-all", json!([allow("kms:*", "*")]))
        .user("kms-list", json!([allow("kms:List*", "*")]))
        .audit();
    assert!(has(&f, "IAM013", &arn("user/not-action")));
    assert!(!has(&f, "IAM013", &arn("user/deny-not-action")));
    assert!(has(&f, "IAM014", &arn("user/kms-all")));
    assert!(!has(&f, "IAM014", &arn("user/kms-list")));
}

fn bucket(name: &str, statements: Value) -> (String, String) {
    (
        format!("resource-policies/s3/{name}.json"),
        json!({"Policy": doc(statements).to_string()}).to_string(),
    )
}

#[test]
fn resource_policies_iam020() {
    let get = |principal: Value| {
        json!([{"Sid": "Read", "Effect": "Allow", "Principal": principal, "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::B/*"}])
    };
    // A user, so that the bundle's account id is known.
    let mut b =
        Bundle::default().user("someone", json!([allow("s3:ListBucket", "arn:aws:s3:::x")]));
    for (name, who) in [
        ("public", json!("*")),
        ("partner", json!({"AWS": "arn:aws:iam::999988887777:root"})),
        ("own", json!({"AWS": arn("root")})),
    ] {
        let (path, text) = bucket(name, get(who));
        b = b.file(
            &path,
            text.replace("arn:aws:s3:::B", &format!("arn:aws:s3:::{name}")),
        );
    }
    let f = b.audit();
    let public = f
        .iter()
        .find(|x| x.id == "IAM020" && x.entity == "arn:aws:s3:::public")
        .expect("public bucket");
    assert_eq!(public.severity, Severity::Critical);
    let partner = f
        .iter()
        .find(|x| x.id == "IAM020" && x.entity == "arn:aws:s3:::partner")
        .expect("partner bucket");
    assert_eq!(partner.severity, Severity::Low);
    assert!(!has(&f, "IAM020", "arn:aws:s3:::own"));
}

fn row(user: &str, cells: &str) -> String {
    let arn_text = if user == "<root_account>" {
        arn("root")
    } else {
        arn(&format!("user/{user}"))
    };
    format!("{user},{arn_text},{cells}")
}

#[test]
fn credentials_iam030_to_iam036() {
    // Columns after user,arn: created, password_enabled, pw_last_used, pw_changed, next,
    // mfa, key1 (active, rotated, used, region, service), key2 (…), certs.
    let none = "false,N/A,N/A,N/A,N/A";
    let rows = [
        row("<root_account>", &format!("2020-01-01T00:00:00Z,not_supported,2026-10-01T00:00:00Z,not_supported,not_supported,false,true,2020-01-01T00:00:00Z,2026-10-30T00:00:00Z,us-east-1,s3,{none},false,N/A,false,N/A")),
        row("nomfa", &format!("2024-01-01T00:00:00Z,true,2026-10-30T00:00:00Z,N/A,N/A,false,{none},{none},false,N/A,false,N/A")),
        row("mfa", &format!("2024-01-01T00:00:00Z,true,2026-10-30T00:00:00Z,N/A,N/A,true,{none},{none},false,N/A,false,N/A")),
        row("oldkey", &format!("2024-01-01T00:00:00Z,false,N/A,N/A,N/A,false,true,2026-01-01T00:00:00Z,2026-10-30T00:00:00Z,us-east-1,s3,{none},false,N/A,false,N/A")),
        row("newkey", &format!("2024-01-01T00:00:00Z,false,N/A,N/A,N/A,false,true,2026-10-01T00:00:00Z,2026-10-30T00:00:00Z,us-east-1,s3,{none},false,N/A,false,N/A")),
        row("twokeys", "2024-01-01T00:00:00Z,false,N/A,N/A,N/A,false,true,2026-10-01T00:00:00Z,2026-10-30T00:00:00Z,us-east-1,s3,true,2026-10-02T00:00:00Z,2026-01-01T00:00:00Z,us-east-1,s3,false,N/A,false,N/A"),
        row("idle", &format!("2024-01-01T00:00:00Z,true,2026-01-01T00:00:00Z,N/A,N/A,true,{none},{none},false,N/A,false,N/A")),
    ];
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let f = Bundle::default().report(&rows).audit();
    let root = arn("root");
    assert!(has(&f, "IAM031", &root) && has(&f, "IAM032", &root));
    assert!(has(&f, "IAM030", &arn("user/nomfa")));
    assert!(!has(&f, "IAM030", &arn("user/mfa")));
    assert!(has(&f, "IAM033", &arn("user/oldkey")));
    assert!(!has(&f, "IAM033", &arn("user/newkey")));
    assert!(has(&f, "IAM034", &arn("user/twokeys")));
    assert!(!has(&f, "IAM034", &arn("user/newkey")));
    // twokeys' key 2 was last used 2026-01-01; newkey's key on 2026-10-30.
    assert!(has(&f, "IAM035", &arn("user/twokeys")));
    assert!(!has(&f, "IAM035", &arn("user/newkey")));
    assert!(has(&f, "IAM036", &arn("user/idle")));
    assert!(!has(&f, "IAM036", &arn("user/mfa")));
    assert!(has(&f, "IAM041", &arn("user/idle")));
    assert!(
        !has(&f, "IAM041", &arn("user/twokeys")),
        "its key 1 is in use"
    );
    // The root's MFA-less and key findings are critical.
    assert!(f
        .iter()
        .filter(|x| x.entity == root)
        .all(|x| x.severity == Severity::Critical));
}

#[test]
fn unused_roles_iam040() {
    let t = trusting(
        json!({"Service": "ec2.amazonaws.com"}),
        "sts:AssumeRole",
        None,
    );
    let f = Bundle::default()
        .role_used(
            "stale",
            t.clone(),
            "2025-01-01T00:00:00Z",
            Some("2026-01-01T00:00:00Z"),
        )
        .role_used("never", t.clone(), "2025-01-01T00:00:00Z", None)
        .role_used(
            "busy",
            t.clone(),
            "2025-01-01T00:00:00Z",
            Some("2026-10-30T00:00:00Z"),
        )
        .role_used("new", t, "2026-10-20T00:00:00Z", None)
        .audit();
    assert!(has(&f, "IAM040", &arn("role/stale")));
    assert!(has(&f, "IAM040", &arn("role/never")));
    assert!(!has(&f, "IAM040", &arn("role/busy")));
    assert!(!has(&f, "IAM040", &arn("role/new")), "created 12 days ago");
}

#[test]
fn policy_validation_iam050_to_iam055() {
    let f = Bundle::default()
        .user("invalid", json!([{"Effect": "Permit", "Action": "s3:GetObject", "Resource": "*"}]))
        .user("typo", json!([allow("s3:GetObjekt", "*")]))
        .user("good", json!([allow("s3:GetObject", "arn:aws:s3:::b/*"), allow("s3:ListBucket", "arn:aws:s3:::b")]))
        .user(
            "badkey",
            json!([{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
                    "Condition": {"StringEquals": {"s3:nosuchkey": "x"}}}]),
        )
        .user(
            "badop",
            json!([{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
                    "Condition": {"Bool": {"aws:SourceIp": "true"}}}]),
        )
        .user("wrongres", json!([allow("s3:GetObject", "arn:aws:s3:::b")]))
        .user("twice", json!([allow("s3:ListBucket", "arn:aws:s3:::b"), allow("s3:ListBucket", "arn:aws:s3:::b")]))
        .user("long", json!([allow("s3:GetObject", &format!("arn:aws:s3:::{}/*", "b".repeat(2_100)))]))
        .user(
            "shadowed",
            json!([allow("s3:GetObject", "arn:aws:s3:::b/*"), {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]),
        )
        .audit();
    let only = |user: &str, id: &str| {
        let got = ids(&f, &arn(&format!("user/{user}")));
        assert!(got.contains(&id), "{user}: {got:?} lacks {id}");
    };
    only("invalid", "IAM050");
    only("long", "IAM050"); // a user's inline policy over 2,048 characters
    only("typo", "IAM051");
    only("badkey", "IAM052");
    only("badop", "IAM053");
    only("wrongres", "IAM054");
    only("twice", "IAM055");
    only("shadowed", "IAM055");
    assert!(
        ids(&f, &arn("user/good")).is_empty(),
        "{:?}",
        ids(&f, &arn("user/good"))
    );
    for user in ["badkey", "badop"] {
        assert!(!ids(&f, &arn(&format!("user/{user}"))).contains(&"IAM054"));
    }
}
