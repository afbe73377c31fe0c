//! Properties of the evaluator over random policies and contexts, and no panics on
//! arbitrary JSON (the stable-toolchain stand-in for the cargo-fuzz target in `fuzz/`).

use proptest::prelude::*;
use serde_json::{json, Value};

use iamscope::eval::scenario::{run, Scenario, ScenarioRequest};
use iamscope::policy::PolicyDocument;

const KEYS: &[&str] = &[
    "aws:SourceIp",
    "aws:PrincipalTag/team",
    "s3:prefix",
    "aws:TagKeys",
    "aws:CurrentTime",
];
const OPS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringLike",
    "StringNotLikeIfExists",
    "IpAddress",
    "NotIpAddress",
    "ForAnyValue:StringEquals",
    "ForAllValues:StringLike",
    "Null",
    "DateLessThan",
    "NumericLessThan",
    "Bool",
    "StringEqualsIgnoreCase",
];
const VALUES: &[&str] = &[
    "red",
    "10.0.0.0/8",
    "home/*",
    "true",
    "2030-01-01T00:00:00Z",
    "5",
    "${aws:PrincipalTag/team}",
    "env",
];
const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:*",
    "*",
    "s3:Put*",
    "ec2:*",
    "s3:GetObjec?",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::data-bucket/*",
    "arn:aws:s3:::other/*",
    "arn:aws:s3:::data-bucket/${aws:PrincipalTag/team}/*",
];

fn statement(effect: bool) -> impl Strategy<Value = Value> {
    (
        prop::sample::select(ACTIONS),
        prop::sample::select(RESOURCES),
        prop::collection::vec(
            (
                prop::sample::select(OPS),
                prop::sample::select(KEYS),
                prop::sample::select(VALUES),
            ),
            0..3,
        ),
        any::<bool>(),
    )
        .prop_map(move |(a, r, conds, not_action)| {
            let mut c = serde_json::Map::new();
            for (op, k, v) in conds {
                let v = if op == "Null" { "false" } else { v };
                c.entry(op.to_string())
                    .or_insert_with(|| json!({}))
                    .as_object_mut()
                    .map(|m| m.insert(k.to_string(), json!(v)));
            }
            let action_key = if not_action && !effect {
                "NotAction"
            } else {
                "Action"
            };
            json!({
                "Effect": if effect { "Allow" } else { "Deny" },
                action_key: a,
                "Resource": r,
                "Condition": c,
            })
        })
}

fn policy() -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(prop_oneof![statement(true), statement(false)], 0..4)
}

fn doc(statements: &[Value]) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn context_full() -> impl Strategy<Value = serde_json::Map<String, Value>> {
    (
        prop::sample::select(&["10.1.1.1", "192.0.2.1"][..]),
        prop::sample::select(&["red", "blue"][..]),
        prop::sample::select(&["home/a", "x"][..]),
        prop::sample::select(&["2025-01-01T00:00:00Z", "2035-01-01T00:00:00Z"][..]),
    )
        .prop_map(|(ip, team, prefix, time)| {
            let mut m = serde_json::Map::new();
            m.insert("aws:SourceIp".into(), json!(ip));
            m.insert("aws:PrincipalTag/team".into(), json!(team));
            m.insert("s3:prefix".into(), json!(prefix));
            m.insert("aws:TagKeys".into(), json!(["env", team]));
            m.insert("aws:CurrentTime".into(), json!(time));
            m
        })
}

fn scenario(
    identity: Vec<Value>,
    boundary: Option<Value>,
    rp: Option<Value>,
    ctx: serde_json::Map<String, Value>,
    complete: bool,
) -> Scenario {
    Scenario {
        name: "prop".into(),
        area: None,
        description: None,
        why: None,
        management_account: None,
        request: ScenarioRequest {
            principal: "arn:aws:iam::111122223333:user/alice".into(),
            principal_account: Some("111122223333".into()),
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::data-bucket/red/q1.csv".into(),
            resource_account: Some("111122223333".into()),
            context: ctx,
        },
        context_complete: complete,
        identity_policies: identity,
        permissions_boundary: boundary,
        session_policies: vec![],
        scps: vec![],
        rcps: vec![],
        resource_policy: rp,
        expected: None,
        expected_missing_keys: None,
    }
}

fn with_principal(mut statements: Vec<Value>) -> Value {
    for s in &mut statements {
        s["Principal"] = json!({"AWS": "arn:aws:iam::111122223333:user/alice"});
    }
    doc(&statements)
}

proptest! {
    // Most random policies lack an Allow or are invalid and are rejected by
    // `prop_assume!`; allow enough rejects that 300 real cases always run.
    #![proptest_config(ProptestConfig {
        cases: 300,
        max_global_rejects: 20_000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn adding_a_deny_never_allows(p in policy(), rp in policy(), d in statement(false), ctx in context_full(), complete in any::<bool>()) {
        let before = run(&scenario(vec![doc(&p)], None, Some(with_principal(rp.clone())), ctx.clone(), complete));
        // The Deny goes in a policy of its own: one invalid statement would make AWS
        // reject (and iamscope skip) the whole document it sits in.
        let after = run(&scenario(vec![doc(&p), doc(&[d])], None, Some(with_principal(rp)), ctx, complete));
        if before.decision != "Allow" {
            prop_assert_ne!(after.decision.as_str(), "Allow");
        }
        if before.decision == "ExplicitDeny" {
            prop_assert_eq!(after.decision.as_str(), "ExplicitDeny");
        }
    }

    #[test]
    fn removing_an_allow_never_allows(p in policy(), b in policy(), ctx in context_full(), complete in any::<bool>(), drop in any::<prop::sample::Index>()) {
        let allows: Vec<usize> = p.iter().enumerate().filter(|(_, s)| s["Effect"] == "Allow").map(|(i, _)| i).collect();
        prop_assume!(!allows.is_empty());
        // Removing an invalid statement would revive a document AWS rejects as a whole.
        prop_assume!(PolicyDocument::from_json(&doc(&p)).is_ok_and(|d| d.invalid.is_empty()));
        let before = run(&scenario(vec![doc(&p)], Some(doc(&b)), None, ctx.clone(), complete));
        let mut p2 = p.clone();
        p2.remove(allows[drop.index(allows.len())]);
        let after = run(&scenario(vec![doc(&p2)], Some(doc(&b)), None, ctx, complete));
        if before.decision != "Allow" {
            prop_assert_ne!(after.decision.as_str(), "Allow");
        }
    }

    // With every key given, only what cannot be read (an invalid statement that might
    // deny) may leave a decision Conditional, and it says so.
    #[test]
    fn no_conditional_on_keys_when_every_key_is_given(p in policy(), b in policy(), ctx in context_full()) {
        let r = run(&scenario(vec![doc(&p)], Some(doc(&b)), None, ctx, false));
        prop_assert!(r.missing_keys.is_empty(), "{:?}", r.missing_keys);
        if r.decision == "Conditional" {
            prop_assert!(!r.reasons.is_empty());
        }
    }

    #[test]
    fn complete_context_is_never_conditional_on_keys(p in policy(), rp in policy()) {
        let r = run(&scenario(vec![doc(&p)], None, Some(with_principal(rp)), serde_json::Map::new(), true));
        prop_assert!(r.missing_keys.is_empty(), "{:?}", r.missing_keys);
        if r.decision == "Conditional" {
            prop_assert!(!r.reasons.is_empty());
        }
    }

    // Fail closed: an invalid statement never grants, and never hides a Deny. Whatever
    // the statements beside it, keeping it never turns a denial into Allow.
    #[test]
    fn an_invalid_statement_never_turns_a_denial_into_allow(p in policy(), b in policy(), ctx in context_full(), complete in any::<bool>(), in_boundary in any::<bool>()) {
        let target = if in_boundary { &b } else { &p };
        let parsed = PolicyDocument::from_json(&doc(target));
        prop_assume!(parsed.as_ref().is_ok_and(|d| !d.invalid.is_empty()));
        let invalid: Vec<usize> = parsed.map(|d| d.invalid.iter().map(|i| i.index).collect()).unwrap_or_default();
        let cleaned: Vec<Value> = target
            .iter()
            .enumerate()
            .filter(|(i, _)| !invalid.contains(i))
            .map(|(_, s)| s.clone())
            .collect();
        let (p2, b2) = if in_boundary { (p.clone(), cleaned) } else { (cleaned, b.clone()) };
        let with = run(&scenario(vec![doc(&p)], Some(doc(&b)), None, ctx.clone(), complete));
        let without = run(&scenario(vec![doc(&p2)], Some(doc(&b2)), None, ctx, complete));
        if without.decision != "Allow" {
            prop_assert_ne!(with.decision.as_str(), "Allow");
        }
        if with.decision == "Allow" {
            prop_assert_eq!(without.decision.as_str(), "Allow");
        }
    }
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(
            &[
                "Allow",
                "Deny",
                "*",
                "s3:Get*",
                "arn:aws:s3:::b/*",
                "2012-10-17",
                "2008-10-17",
                "${aws:username}",
                "${",
                "${*}",
                "10.0.0.0/8",
                "::1/200",
                "arn:aws:iam::1:role/x",
                "123456789012",
                "",
                "é?*",
                "1e400",
                "-0",
                "2024-02-30T25:61:61Z",
            ][..]
        )
        .prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop::sample::select(
                        &[
                            "Version",
                            "Statement",
                            "Effect",
                            "Action",
                            "NotAction",
                            "Resource",
                            "NotResource",
                            "Principal",
                            "NotPrincipal",
                            "AWS",
                            "Service",
                            "Federated",
                            "Condition",
                            "StringLike",
                            "ForAnyValue:IpAddress",
                            "NumericLessThanIfExists",
                            "DateEquals",
                            "Null",
                            "BinaryEquals",
                            "ArnLike",
                            "aws:SourceIp",
                            "Sid",
                            "x",
                        ][..]
                    ),
                    inner,
                ),
                0..5,
            )
            .prop_map(|kv| Value::Object(
                kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn arbitrary_json_never_panics(v in arb_json(), ctx in arb_json(), complete in any::<bool>()) {
        let _ = PolicyDocument::from_json(&v);
        let _ = PolicyDocument::parse(&v.to_string());
        let context = match ctx { Value::Object(m) => m, _ => serde_json::Map::new() };
        let r = run(&scenario(vec![v.clone()], Some(v.clone()), Some(v), context, complete));
        prop_assert!(!r.decision.is_empty());
    }
}
