//! Evaluator speed on the large generated account (5,000 users, 5,000 roles, 300
//! groups, 1,500 policies): one `can` with its trace, one request over every
//! principal (who-can: `Engine::decide_all`, budget 16 ms, target 8 ms; and the same
//! with one `Engine::decide` call per principal), preparing a query, and the cost of
//! one statement.

use std::cell::Cell;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use iamscope::eval::{Context, Decision, Engine, Query};
use iamscope::policy::{
    ActionName, Caller, KeyLookup, KeyValues, PolicyDocument, StatementInput, Tri,
};
use iamscope::synth::large_account;

/// The two keys of the statement's conditions, with values that satisfy them; counts
/// its lookups.
#[derive(Default)]
struct BothKeys {
    lookups: Cell<usize>,
}

impl KeyLookup for BothKeys {
    fn lookup(&self, key_lower: &str) -> KeyValues<'_> {
        self.lookups.set(self.lookups.get() + 1);
        match key_lower {
            "aws:requestedregion" => KeyValues::One("eu-west-1"),
            "aws:securetransport" => KeyValues::One("true"),
            _ => KeyValues::Absent,
        }
    }
}

fn bench(c: &mut Criterion) {
    let account = large_account();
    let engine = Engine::new(&account);
    let user = engine.principals().next().expect("a principal");
    let bucket_object = "arn:aws:s3:::data-bucket-1/reports/2026.csv";
    let query = Query::new("s3:GetObject", bucket_object).with_context(Context::new(false));

    c.bench_function("can with trace (one principal, large account)", |b| {
        b.iter(|| black_box(engine.explain(user, &query)))
    });
    c.bench_function("one request over all 10,000 principals (decide_all)", |b| {
        b.iter(|| {
            engine
                .decide_all(&query)
                .iter()
                .filter(|(_, d)| !matches!(d, Decision::ImplicitDeny | Decision::ExplicitDeny))
                .count()
        })
    });
    let pass_role = Query::new("iam:PassRole", "*").with_context(Context::new(false));
    c.bench_function(
        "iam:PassRole over all 10,000 principals (decide_all)",
        |b| b.iter(|| black_box(engine.decide_all(&pass_role))),
    );
    c.bench_function("prepare a query (plan the shared policies)", |b| {
        b.iter(|| black_box(engine.prepare(&query)))
    });
    c.bench_function(
        "one request over all 10,000 principals (decide each)",
        |b| {
            b.iter(|| {
                engine
                    .principals()
                    .filter(|p| {
                        !matches!(
                            engine.decide(*p, &query),
                            Decision::ImplicitDeny | Decision::ExplicitDeny
                        )
                    })
                    .count()
            })
        },
    );

    let doc = PolicyDocument::parse(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"arn:aws:s3:::data-*/*","Condition":{"StringEquals":{"aws:RequestedRegion":["eu-west-1","us-east-1"]},"Bool":{"aws:SecureTransport":"true"}}}]}"#,
    )
    .expect("valid");
    let statement = &doc.statements[0];
    let action = ActionName::new("s3:GetObject");
    let caller = Caller::from_arn("arn:aws:iam::123456789012:user/alice", false);
    let input = StatementInput {
        action: &action,
        resource: bucket_object,
        caller: &caller,
        has_boundary: false,
    };
    // Both keys present and matching, so that the statement reads both conditions
    // (with no keys the first one fails and the second is never read); checked once
    // before timing by counting the lookups.
    let keys = BothKeys::default();
    let mut unknown = Vec::new();
    let matched = statement.evaluate(&input, &keys, &mut unknown);
    assert_eq!(matched.result, Tri::True, "the statement matches");
    assert_eq!(keys.lookups.get(), 2, "both conditions were read");
    c.bench_function("one statement (action, resource, two conditions)", |b| {
        b.iter(|| {
            let mut unknown = Vec::new();
            black_box(statement.evaluate(&input, &keys, &mut unknown))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
