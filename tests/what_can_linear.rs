//! what-can decides each candidate action with a plan holding only the statements that
//! can match it (`src/query/action_index.rs`). These tests check that the answer is the
//! one the plain algorithm gives — every candidate (action, resource) decided by
//! `Engine::decide` over every statement — on the samples (every principal), on
//! generated accounts, and on one user holding a large generated policy with Denies,
//! wildcards, NotActions and conditions.

use std::collections::{BTreeMap, BTreeSet};

use iamscope::catalog::Catalog;
use iamscope::eval::{Context, Decision, Engine, PrincipalRef, Query};
use iamscope::load::{self, Input};
use iamscope::model::{
    Account, OrgLevel, OrgNodeKind, OrgPolicy, OrgPolicyKind, Organization, PolicySource,
};
use iamscope::policy::Effect;
use iamscope::query::what_can::{what_can, ActionAccess};
use iamscope::synth::big_policy::{big_policy_document, gaad_with_user_policy};
use iamscope::synth::{generate_gaad_json, SynthOptions};

type Answer = BTreeMap<String, (Vec<String>, String, Vec<String>)>;

/// The plain algorithm: candidates from every Allow statement, each decided over every
/// statement of every policy.
fn plain_what_can(engine: &Engine<'_>, who: PrincipalRef) -> Answer {
    let catalog = Catalog::get();
    let facts = engine.facts(who);
    let everything: Vec<String> = catalog.expand("*").iter().map(|a| a.full_name()).collect();
    let mut candidates: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for doc in engine
        .identity_policies(who)
        .iter()
        .filter_map(|p| p.document.ok())
    {
        for st in doc.statements.iter().filter(|s| s.effect == Effect::Allow) {
            let listed: BTreeSet<String> = st
                .action
                .patterns
                .iter()
                .flat_map(|p| catalog.expand(p.as_str()))
                .map(|a| a.full_name())
                .collect();
            let actions: Vec<String> = if st.action.negated {
                everything
                    .iter()
                    .filter(|a| !listed.contains(*a))
                    .cloned()
                    .collect()
            } else if listed.is_empty() {
                st.action
                    .patterns
                    .iter()
                    .map(|p| p.as_str().to_string())
                    .filter(|p| !p.contains(['*', '?']))
                    .collect()
            } else {
                listed.into_iter().collect()
            };
            let resources: Vec<String> = match &st.resource {
                Some(spec) if !spec.negated => spec
                    .patterns
                    .iter()
                    .map(|p| {
                        let mut r = p.as_str().to_string();
                        if let Some(u) = &facts.username {
                            r = r.replace("${aws:username}", u);
                        }
                        if let Some(id) = &facts.userid {
                            r = r.replace("${aws:userid}", id);
                        }
                        r
                    })
                    .collect(),
                _ => vec!["*".to_string()],
            };
            for a in actions {
                candidates
                    .entry(a)
                    .or_default()
                    .extend(resources.iter().cloned());
            }
        }
    }
    let mut out = Answer::new();
    for (action, resources) in candidates {
        let mut allowed = Vec::new();
        let mut best: Option<Decision> = None;
        for r in resources {
            let q = Query::new(&action, &r).with_context(Context::new(false));
            let d = engine.decide(who, &q);
            if matches!(d, Decision::Allow | Decision::Conditional { .. }) {
                allowed.push(r);
                if best.as_ref().is_none_or(|b| !b.is_allow()) {
                    best = Some(d);
                }
            }
        }
        if let Some(d) = best {
            let keys = d.missing_keys().to_vec();
            out.insert(action, (allowed, d.name().to_string(), keys));
        }
    }
    out
}

fn planned_what_can(engine: &Engine<'_>, who: PrincipalRef) -> Answer {
    what_can(engine, None, who)
        .services
        .into_iter()
        .flat_map(|s| s.levels.into_values().flatten())
        .map(|a: ActionAccess| {
            let resources = a.resources.iter().map(|r| r.to_string()).collect();
            (a.action, (resources, a.decision, a.missing_keys))
        })
        .collect()
}

fn check_every_principal(account: &Account, what: &str) -> usize {
    let engine = Engine::new(account);
    let mut actions = 0;
    for who in engine.principals() {
        let plain = plain_what_can(&engine, who);
        let planned = planned_what_can(&engine, who);
        actions += plain.len();
        if plain != planned {
            let only_plain: Vec<_> = plain
                .iter()
                .filter(|(k, v)| planned.get(*k) != Some(v))
                .take(5)
                .collect();
            let only_planned: Vec<_> = planned
                .iter()
                .filter(|(k, v)| plain.get(*k) != Some(v))
                .take(5)
                .collect();
            panic!(
                "{what}: {} differs\n plain: {only_plain:#?}\n planned: {only_planned:#?}",
                engine.facts(who).caller.arn
            );
        }
    }
    actions
}

#[test]
fn the_samples_answer_as_the_plain_algorithm() {
    for sample in iamscope::samples::all() {
        let account = load::load(&Input::Sample(sample.name.to_string())).unwrap();
        let actions = check_every_principal(&account, sample.name);
        assert!(
            actions > 0,
            "{}: some principal can do something",
            sample.name
        );
    }
}

#[test]
fn generated_accounts_answer_as_the_plain_algorithm() {
    let opts = SynthOptions {
        users: 15,
        roles: 15,
        groups: 4,
        policies: 12,
        seed: 3,
        ..SynthOptions::default()
    };
    let account = load::load_gaad_bytes("generated", generate_gaad_json(&opts).into_bytes())
        .expect("generated account loads");
    assert!(check_every_principal(&account, "generated") > 0);
}

#[test]
fn a_large_generated_policy_answers_as_the_plain_algorithm() {
    // 200 statements: Denies, prefix wildcards, conditions; and two NotActions (an
    // Allow of everything but s3 on one bucket, a Deny of everything but IAM reads).
    let mut doc = big_policy_document(200, 5);
    assert!(doc.contains("\"Deny\"") && doc.contains("*\"") && doc.contains("Condition"));
    doc.truncate(doc.len() - 2);
    doc.push_str(
        r#",{"Effect":"Allow","NotAction":"s3:*","Resource":"arn:aws:s3:::bucket-x"},{"Effect":"Deny","NotAction":["iam:Get*","iam:List*"],"Resource":"arn:aws:s3:::bucket-x"}]}"#,
    );
    let account = load::load_gaad_bytes("big", gaad_with_user_policy(&doc).into_bytes())
        .expect("the generated policy loads");
    let engine = Engine::new(&account);
    let who = engine.principals().next().expect("one user");
    let plain = plain_what_can(&engine, who);
    let planned = planned_what_can(&engine, who);
    assert!(plain.len() > 500, "{} actions", plain.len());
    assert!(
        plain.values().any(|v| v.1 == "Conditional"),
        "some grants depend on a condition"
    );
    assert_eq!(plain, planned);
}

#[test]
fn resource_shapes_answer_as_the_plain_algorithm() {
    // Deciding one resource evaluates only the statements whose resource patterns can
    // match it: every shape of pattern, Allow and Deny, overlapping each other.
    let doc = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":["arn:aws:s3:::b/ab","arn:aws:s3:::b/a*","arn:aws:s3:::c/x?z","arn:aws:s3:::d/${aws:username}/*"]},
        {"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/a*"},
        {"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::e/*"},
        {"Effect":"Deny","Action":"s3:GetObject","NotResource":"arn:aws:s3:::e/public/*"},
        {"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::d/*"},
        {"Effect":"Deny","Action":"s3:PutObject","Resource":"arn:aws:s3:::d/${aws:username}/*"},
        {"Effect":"Allow","Action":"ec2:StartInstances","Resource":["arn:aws:ec2:*:123456789012:instance/i-1","arn:aws:ec2:eu-west-1:*:instance/*"]},
        {"Effect":"Deny","Action":"ec2:StartInstances","Resource":"arn:aws:ec2:eu-west-?:123456789012:instance/i-1"},
        {"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"},
        {"Effect":"Deny","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:eu-west-1:123456789012:q1"},
        {"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:eu-west-1:123456789012:q1"},
        {"Effect":"Allow","Action":"sns:Publish","Resource":"not-an-arn*"},
        {"Effect":"Deny","Action":"sns:Publish","Resource":"not-an-arn-x"},
        {"Effect":"Allow","Action":"sns:Publish","Resource":"not-an-arn-x"},
        {"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:eu-west-1:123456789012:key/k1","Condition":{"Bool":{"aws:SecureTransport":"true"}}},
        {"Effect":"Deny","Action":"kms:*","Resource":"arn:aws:kms:eu-west-1:123456789012:key/*","Condition":{"StringEquals":{"aws:RequestTag/t":"x"}}}
    ]}"#;
    let account = load::load_gaad_bytes("shapes", gaad_with_user_policy(doc).into_bytes())
        .expect("the policy loads");
    let engine = Engine::new(&account);
    let who = engine.principals().next().expect("one user");
    let plain = plain_what_can(&engine, who);
    let planned = planned_what_can(&engine, who);
    // The shapes do decide: some resources are denied, some allowed, some conditional.
    assert_eq!(
        plain.get("sqs:SendMessage").map(|v| v.0.clone()),
        Some(vec!["*".to_string()])
    );
    // The NotResource Deny leaves s3:GetObject nowhere the policy names…
    assert!(!plain.contains_key("s3:GetObject"));
    // …while the other s3:Get* actions stay allowed on e/*.
    assert_eq!(
        plain.get("s3:GetObjectAcl").map(|v| v.0.clone()),
        Some(vec!["arn:aws:s3:::e/*".to_string()])
    );
    assert_eq!(
        plain.get("sns:Publish").map(|v| v.0.clone()),
        Some(vec!["not-an-arn*".to_string()])
    );
    assert!(plain.values().any(|v| v.1 == "Conditional"));
    assert_eq!(plain, planned);
}

#[test]
fn actions_the_evaluator_reads_by_name_are_decided_one_by_one() {
    // `iam:*` on an AWS managed policy: the same statement matches every IAM action,
    // but AWS refuses to create, version, delete or tag a managed policy (a service
    // rule), so those must not share the decision of `iam:GetPolicy`.
    let doc = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::aws:policy/ReadOnlyAccess"},
        {"Effect":"Allow","NotAction":"s3:*","Resource":"arn:aws:kms:eu-west-1:123456789012:alias/aws/ebs"}
    ]}"#;
    let account = load::load_gaad_bytes("named", gaad_with_user_policy(doc).into_bytes())
        .expect("the policy loads");
    let engine = Engine::new(&account);
    let who = engine.principals().next().expect("one user");
    let plain = plain_what_can(&engine, who);
    let on = |action: &str, resource: &str| {
        plain
            .get(action)
            .is_some_and(|v| v.0.iter().any(|r| r == resource))
    };
    let managed = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    assert!(on("iam:GetPolicy", managed));
    assert!(!on("iam:DeletePolicy", managed));
    assert!(!on("iam:CreatePolicyVersion", managed));
    // Reserved KMS aliases cannot be changed; other KMS actions on them are allowed.
    let alias = "arn:aws:kms:eu-west-1:123456789012:alias/aws/ebs";
    assert!(on("kms:DescribeKey", alias));
    assert!(!on("kms:DeleteAlias", alias));
    // …while the actions the evaluator does not read by name share one decision.
    assert!(on("ec2:RunInstances", alias) && on("ec2:StopInstances", alias));
    assert_eq!(plain, planned_what_can(&engine, who));
}

#[test]
fn services_that_resource_control_policies_govern_are_decided_apart() {
    // One statement grants an S3 action and an EC2 action on every resource, and an
    // RCP at the root denies every action: RCPs govern S3 but not EC2, so the two
    // actions, which every statement matches alike, must not share a decision.
    let doc = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":["s3:GetObject","ec2:DescribeInstances"],"Resource":"*"}
    ]}"#;
    let mut account = load::load_gaad_bytes("rcp", gaad_with_user_policy(doc).into_bytes())
        .expect("the policy loads");
    let level = |target: &str, kind, rcps| OrgLevel {
        target_id: target.into(),
        kind,
        scps: vec![0],
        rcps,
        scps_unknown: false,
        rcps_unknown: false,
    };
    let policy = |id: &str, kind, aws_managed, content: Option<&str>| OrgPolicy {
        id: id.into(),
        name: id.into(),
        arn: None,
        description: None,
        kind,
        aws_managed,
        content: content.map(PolicySource::new),
    };
    account.organization = Some(Organization {
        path: vec![
            level("r-1", OrgNodeKind::Root, vec![1]),
            level("123456789012", OrgNodeKind::Account, vec![]),
        ],
        policies: vec![
            policy("p-FullAWSAccess", OrgPolicyKind::Scp, true, None),
            policy(
                "p-DenyAll",
                OrgPolicyKind::Rcp,
                false,
                Some(
                    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}"#,
                ),
            ),
        ],
        ..Organization::default()
    });
    let engine = Engine::new(&account);
    let who = engine.principals().next().expect("one user");
    let plain = plain_what_can(&engine, who);
    assert!(plain.contains_key("ec2:DescribeInstances"));
    assert!(!plain.contains_key("s3:GetObject"));
    assert_eq!(plain, planned_what_can(&engine, who));
}
