//! A multivalued condition key (`aws:TagKeys`, `aws:PrincipalOrgPaths`, `aws:CalledVia`,
//! `aws:PrincipalServiceNamesList`) under a plain operator: AWS documents that as
//! unsupported, so the statement is reported invalid (docs/iam-evaluation.md §3) and the
//! evaluator never lets it grant, with a note.

use iamscope::eval::{
    evaluate, Context, Decision, NamedPolicy, PolicySet, PrincipalFacts, Request, Trace,
};
use iamscope::policy::{ActionName, PolicyDocument};

fn doc(op: &str, key: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{{"{op}":{{"{key}":["team"]}}}}}}]}}"#
    )
}

#[test]
fn plain_operator_on_a_multivalued_key_is_invalid() {
    for key in [
        "aws:TagKeys",
        "aws:tagkeys",
        "aws:PrincipalOrgPaths",
        "aws:CalledVia",
        "aws:PrincipalServiceNamesList",
    ] {
        for op in ["StringEquals", "StringLike", "StringNotEqualsIfExists"] {
            let parsed = PolicyDocument::parse(&doc(op, key)).expect("the document reads");
            assert!(parsed.statements.is_empty(), "{op} {key}");
            let err = &parsed.invalid[0].error;
            assert!(err.to_string().contains("multivalued"), "{op} {key}: {err}");
        }
        for op in [
            "ForAnyValue:StringEquals",
            "ForAllValues:StringLike",
            "ForAnyValue:StringNotEqualsIfExists",
        ] {
            let parsed = PolicyDocument::parse(&doc(op, key)).expect("valid");
            assert!(
                parsed.invalid.is_empty(),
                "valid with a set operator: {op} {key}"
            );
        }
        let null = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{{"Null":{{"{key}":"false"}}}}}}]}}"#
        );
        let parsed = PolicyDocument::parse(&null).expect("valid");
        assert!(parsed.invalid.is_empty(), "Null only tests presence");
    }
    // A single-valued key keeps its plain operator.
    let parsed = PolicyDocument::parse(&doc("StringEquals", "aws:RequestTag/team")).expect("valid");
    assert!(parsed.invalid.is_empty());
}

#[test]
fn an_invalid_multivalued_condition_is_skipped_with_a_note() {
    let parsed = PolicyDocument::parse(&doc("StringEquals", "aws:TagKeys"));
    let policies = [NamedPolicy::from_result("tagged", &parsed)];
    let set = PolicySet {
        identity: &policies,
        ..PolicySet::default()
    };
    let facts = PrincipalFacts::from_arn("arn:aws:iam::111122223333:user/alice", false);
    let action = ActionName::new("s3:GetObject");
    let mut context = Context::new(true);
    context.add("aws:TagKeys", "team");
    let req = Request {
        principal: &facts,
        action: &action,
        resource: "arn:aws:s3:::b/k",
        resource_account: Some("111122223333"),
        context: &context,
    };
    let mut trace = Trace::default();
    assert_eq!(
        evaluate(&set, &req, Some(&mut trace)),
        Decision::ImplicitDeny
    );
    assert!(trace
        .steps
        .iter()
        .any(|s| s.note.contains("invalid statement")
            && s.note.contains("never grants")
            && s.note.contains("multivalued")));
}
