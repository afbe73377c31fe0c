//! The [`Engine`] over a hand-built account: policy gathering, derived context keys,
//! SCPs, resource policies and trust policies.

use iamscope::eval::{Context, Decision, Engine, PrincipalRef, Query};
use iamscope::model::*;

fn src(text: &str) -> PolicySource {
    PolicySource::new(text)
}

fn common(
    kind: &str,
    name: &str,
    inline: &[(&str, &str)],
    attached: Vec<PolicyId>,
) -> IdentityCommon {
    IdentityCommon {
        name: name.into(),
        id: format!("AID{name}"),
        arn: Arn::parse(&format!("arn:aws:iam::111122223333:{kind}/{name}")).unwrap_or_else(|| {
            // model::Arn::parse needs the resource part to hold a colon in this version.
            Arn::parse(&format!("arn:aws:iam::111122223333:{kind}/{name}:")).expect("arn")
        }),
        path: "/".into(),
        create_date: String::new(),
        inline_policies: inline
            .iter()
            .map(|(n, t)| InlinePolicy {
                name: (*n).into(),
                document: src(t),
            })
            .collect(),
        attached_policies: attached,
    }
}

fn managed(name: &str, text: &str) -> ManagedPolicy {
    ManagedPolicy {
        name: name.into(),
        id: String::new(),
        arn: Arn::parse(&format!("arn:aws:iam::111122223333:policy/{name}"))
            .or_else(|| Arn::parse(&format!("arn:aws:iam::111122223333:policy/{name}:")))
            .expect("arn"),
        path: "/".into(),
        description: None,
        default_version_id: Some("v1".into()),
        versions: vec![PolicyVersion {
            version_id: "v1".into(),
            is_default: true,
            create_date: None,
            document: src(text),
        }],
        attachment_count: None,
        usage: PolicyUsage::default(),
        in_export: true,
    }
}

const S3_READ: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}"#;
const TEAM_HOME: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::homes/${aws:PrincipalTag/team}/*"}]}"#;
const ASSUME: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#;
/// An invalid Allow (an operator AWS does not know): it never grants, and being a clean
/// Allow it cannot deny, so it changes nothing but the trace.
const BAD: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualz":{"aws:username":"alice"}}}]}"#;

fn account() -> Account {
    let mut a = Account::default();
    a.id = "111122223333".into();
    a.partition = "aws".into();
    a.managed_policies.push(managed("S3Read", S3_READ));
    a.managed_policies.push(managed("Ec2Only", r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}"#));
    a.groups.push(Group {
        common: common("group", "readers", &[], vec![PolicyId(0)]),
        members: vec![UserId(0)],
    });
    a.users.push(User {
        common: common(
            "user",
            "alice",
            &[("home", TEAM_HOME), ("assume", ASSUME), ("broken", BAD)],
            vec![],
        ),
        groups: vec![GroupId(0)],
        permissions_boundary: None,
        tags: vec![Tag {
            key: "Team".into(),
            value: "red".into(),
        }],
    });
    a.users.push(User {
        common: common("user", "bob", &[("all", r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)], vec![]),
        groups: vec![],
        permissions_boundary: Some(PolicyId(1)),
        tags: vec![],
    });
    a.roles.push(Role {
        common: common("role", "deploy", &[], vec![PolicyId(0)]),
        trust_policy: src(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}]}"#),
        description: None,
        max_session_duration: None,
        permissions_boundary: None,
        tags: vec![],
        last_used: None,
        instance_profiles: vec![],
    });
    a.resource_policies.push(ResourcePolicy {
        service: "s3".into(),
        resource_arn: "arn:aws:s3:::shared".into(),
        name: "shared".into(),
        file: "resource-policies/s3/shared.json".into(),
        // Bob's ARN as the model holds it (see the note in `common`).
        policy: src(&format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{}"}},"Action":"s3:PutObject","Resource":"arn:aws:s3:::shared/*"}}]}}"#,
            a.users[1].common.arn.as_str()
        )),
    });
    a
}

#[test]
fn group_managed_policy_allows() {
    let a = account();
    let e = Engine::new(&a);
    let alice = e.resolve("alice").expect("alice");
    assert_eq!(alice, PrincipalRef::User(UserId(0)));
    assert_eq!(
        e.decide(alice, &Query::new("s3:GetObject", "arn:aws:s3:::x/y")),
        Decision::Allow
    );
    assert_eq!(
        e.decide(alice, &Query::new("ec2:RunInstances", "*")),
        Decision::ImplicitDeny
    );
}

#[test]
fn principal_tag_is_derived_from_the_model() {
    let a = account();
    let e = Engine::new(&a);
    let alice = e.resolve("user/alice").expect("alice");
    let q = Query::new("s3:PutObject", "arn:aws:s3:::homes/red/notes");
    assert_eq!(e.decide(alice, &q), Decision::Allow);
    // Derived keys are known even when the context is incomplete.
    let q = q.with_context(Context::new(false));
    assert_eq!(e.decide(alice, &q), Decision::Allow);
    let q = Query::new("s3:PutObject", "arn:aws:s3:::homes/blue/notes");
    assert_eq!(e.decide(alice, &q), Decision::ImplicitDeny);
}

#[test]
fn invalid_policy_is_skipped_and_noted() {
    let a = account();
    let e = Engine::new(&a);
    let alice = e.resolve("alice").expect("alice");
    let (d, trace) = e.explain(alice, &Query::new("iam:CreateUser", "*"));
    assert_eq!(d, Decision::ImplicitDeny);
    assert!(
        trace
            .steps
            .iter()
            .any(|s| s.note.contains("invalid statement") && s.note.contains("never grants")),
        "{trace}"
    );
}

#[test]
fn an_unreadable_effect_makes_an_allow_conditional() {
    let mut a = account();
    a.users[0].common.inline_policies.push(InlinePolicy {
        name: "lowercase".into(),
        document: src(r#"{"Version":"2012-10-17","Statement":[{"Effect":"deny","Action":"s3:*","Resource":"*"}]}"#),
    });
    let e = Engine::new(&a);
    let alice = e.resolve("alice").expect("alice");
    let d = e.decide(alice, &Query::new("s3:GetObject", "arn:aws:s3:::b/k"));
    assert_eq!(d.name(), "Conditional", "{d}");
    assert!(
        d.reasons()[0].contains("lowercase statement #0 is invalid"),
        "{d}"
    );
    // An action the statement cannot cover is not touched.
    let d = e.decide(alice, &Query::new("iam:CreateUser", "*"));
    assert_eq!(d, Decision::ImplicitDeny);
}

#[test]
fn boundary_limits_and_resource_policy_grants_named_user() {
    let a = account();
    let e = Engine::new(&a);
    let bob = e.resolve("bob").expect("bob");
    assert_eq!(
        e.decide(bob, &Query::new("s3:GetObject", "arn:aws:s3:::x/y")),
        Decision::ImplicitDeny
    );
    assert_eq!(
        e.decide(bob, &Query::new("ec2:StartInstances", "*")),
        Decision::Allow
    );
    // The bucket policy names bob's user ARN: the boundary's implicit deny does not limit it.
    assert_eq!(
        e.decide(bob, &Query::new("s3:PutObject", "arn:aws:s3:::shared/f")),
        Decision::Allow
    );
}

#[test]
fn trust_policy_delegating_to_the_account() {
    let a = account();
    let e = Engine::new(&a);
    let role = "arn:aws:iam::111122223333:role/deploy";
    let alice = e.resolve("alice").expect("alice");
    let bob = e.resolve("bob").expect("bob");
    assert_eq!(
        e.decide(alice, &Query::new("sts:AssumeRole", role)),
        Decision::Allow
    );
    // bob's identity allows *, but his boundary does not allow sts:AssumeRole.
    assert_eq!(
        e.decide(bob, &Query::new("sts:AssumeRole", role)),
        Decision::ImplicitDeny
    );
    // An outsider is not trusted.
    let q = Query::new("sts:AssumeRole", role);
    assert_eq!(
        e.decide_arn("arn:aws:iam::444455556666:user/eve", &q, None),
        Decision::ImplicitDeny
    );
}

#[test]
fn role_sessions_use_the_role_policies() {
    let a = account();
    let e = Engine::new(&a);
    let q = Query::new("s3:GetObject", "arn:aws:s3:::x/y");
    assert_eq!(
        e.decide_arn("arn:aws:sts::111122223333:assumed-role/deploy/s1", &q, None),
        Decision::Allow
    );
    assert_eq!(e.decide_arn("deploy", &q, None), Decision::Allow);
}

#[test]
fn scps_limit_member_account_principals() {
    let mut a = account();
    a.organization = Some(Organization {
        path: vec![
            OrgLevel {
                target_id: "r-1".into(),
                kind: OrgNodeKind::Root,
                scps: vec![0],
                rcps: vec![],
                scps_unknown: false,
                rcps_unknown: false,
            },
            OrgLevel {
                target_id: "111122223333".into(),
                kind: OrgNodeKind::Account,
                scps: vec![1],
                rcps: vec![],
                scps_unknown: false,
                rcps_unknown: false,
            },
        ],
        policies: vec![
            OrgPolicy {
                id: "p-FullAWSAccess".into(),
                name: "FullAWSAccess".into(),
                arn: None,
                description: None,
                kind: OrgPolicyKind::Scp,
                aws_managed: true,
                content: None,
            },
            OrgPolicy {
                id: "p-1".into(),
                name: "NoS3".into(),
                arn: None,
                description: None,
                kind: OrgPolicyKind::Scp,
                aws_managed: false,
                content: Some(src(
                    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#,
                )),
            },
        ],
        ..Organization::default()
    });
    let e = Engine::new(&a);
    let alice = e.resolve("alice").expect("alice");
    assert_eq!(
        e.decide(alice, &Query::new("s3:GetObject", "arn:aws:s3:::x/y")),
        Decision::ExplicitDeny
    );
    assert_prepared_agrees(&e);
    assert_eq!(
        e.decide(
            alice,
            &Query::new("sts:AssumeRole", "arn:aws:iam::111122223333:role/deploy")
        ),
        Decision::Allow
    );
}

#[test]
fn every_one_of_many_principals_is_decided() {
    let mut a = account();
    let template = a.users[0].clone();
    for i in 0..10_000 {
        let mut u = template.clone();
        u.common.name = format!("u{i}");
        a.users.push(u);
    }
    let e = Engine::new(&a);
    let q = Query::new("s3:GetObject", "arn:aws:s3:::data/x");
    // Speed is measured by `benches/eval.rs`; here every principal must get its answer.
    let allowed = e
        .principals()
        .filter(|p| e.decide(*p, &q).is_allow())
        .count();
    assert_eq!(allowed, a.users.len());
    let all = e.decide_all(&q);
    assert_eq!(all.len(), a.users.len() + a.roles.len());
    assert!(all.iter().all(|(p, d)| *d == e.decide(*p, &q)));
}

/// `decide_all` (the who-can fast path) decides exactly like `decide`.
fn assert_prepared_agrees(e: &Engine<'_>) {
    let mut unknown = Context::new(false);
    unknown.add("aws:SourceIp", "10.0.0.1");
    let mut named = Context::new(true);
    named.add("aws:PrincipalTag/team", "blue");
    for (action, resource) in [
        ("s3:GetObject", "arn:aws:s3:::x/y"),
        ("s3:PutObject", "arn:aws:s3:::shared/k"),
        ("s3:PutObject", "arn:aws:s3:::homes/red/k"),
        ("sts:AssumeRole", "arn:aws:iam::111122223333:role/deploy"),
        ("ec2:RunInstances", "*"),
        ("iam:CreateUser", "*"),
        ("kms:Decrypt", "arn:aws:kms:eu-west-1:111122223333:key/k"),
    ] {
        for context in [Context::new(true), unknown.clone(), named.clone()] {
            let q = Query::new(action, resource).with_context(context);
            let prepared = e.prepare(&q);
            for (who, d) in e.decide_all(&q) {
                assert_eq!(d, e.decide(who, &q), "{action} {resource} {who:?}");
                assert_eq!(d, prepared.decide(who));
            }
        }
    }
}

#[test]
fn prepared_queries_agree_with_principal_dependent_org_policies() {
    let mut a = account();
    a.organization = Some(Organization {
        path: vec![
            OrgLevel {
                target_id: "r-1".into(),
                kind: OrgNodeKind::Root,
                scps: vec![0],
                rcps: vec![1],
                scps_unknown: false,
                rcps_unknown: false,
            },
            OrgLevel {
                target_id: "111122223333".into(),
                kind: OrgNodeKind::Account,
                scps: vec![0],
                rcps: vec![],
                scps_unknown: false,
                rcps_unknown: false,
            },
        ],
        policies: vec![
            OrgPolicy {
                id: "p-1".into(),
                name: "TeamGuard".into(),
                arn: None,
                description: None,
                kind: OrgPolicyKind::Scp,
                aws_managed: false,
                content: Some(src(
                    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":["iam:*","s3:Put*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"red"}}},{"Effect":"Deny","Action":"ec2:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}"#,
                )),
            },
            OrgPolicy {
                id: "p-2".into(),
                name: "OwnAccountOnly".into(),
                arn: None,
                description: None,
                kind: OrgPolicyKind::Rcp,
                aws_managed: false,
                content: Some(src(
                    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:PrincipalAccount":"111122223333"}}}]}"#,
                )),
            },
        ],
        ..Organization::default()
    });
    let e = Engine::new(&a);
    let alice = e.resolve("alice").expect("alice");
    assert_eq!(
        e.decide(alice, &Query::new("iam:CreateUser", "*")),
        Decision::ImplicitDeny
    );
    assert_prepared_agrees(&e);
}
