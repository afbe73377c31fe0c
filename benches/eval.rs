//! Evaluator speed: one request over 10,000 principals (the who-can budget is 16 ms).

use criterion::{criterion_group, criterion_main, Criterion};
use iamscope::eval::{Engine, Query};
use iamscope::model::*;

fn account(n: usize) -> Account {
    let mut a = Account::default();
    a.id = "111122223333".into();
    let policy = |text: &str| PolicySource::new(text);
    let arn = |s: String| {
        Arn::parse(&s)
            .or_else(|| Arn::parse(&format!("{s}:")))
            .expect("arn")
    };
    let mut mp = |name: &str, text: &str| {
        a.managed_policies.push(ManagedPolicy {
            name: name.into(),
            id: String::new(),
            arn: arn(format!("arn:aws:iam::111122223333:policy/{name}")),
            path: "/".into(),
            description: None,
            default_version_id: Some("v1".into()),
            versions: vec![PolicyVersion {
                version_id: "v1".into(),
                is_default: true,
                create_date: None,
                document: policy(text),
            }],
            attachment_count: None,
            usage: PolicyUsage::default(),
            has_document: true,
        });
    };
    mp(
        "ReadOnly",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*","ec2:Describe*"],"Resource":"*"}]}"#,
    );
    mp(
        "DenyProd",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::prod-*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"ops"}}}]}"#,
    );
    mp(
        "Home",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::homes/${aws:username}/*"}]}"#,
    );
    for i in 0..n {
        let name = format!("user{i}");
        a.users.push(User {
            common: IdentityCommon {
                name: name.clone(),
                id: format!("AIDA{i}"),
                arn: arn(format!("arn:aws:iam::111122223333:user/{name}")),
                path: "/".into(),
                create_date: String::new(),
                inline_policies: vec![InlinePolicy {
                    name: "inline".into(),
                    document: policy(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:111122223333:jobs"}]}"#),
                }],
                attached_policies: vec![PolicyId((i % 3) as u32), PolicyId(1)],
            },
            groups: vec![],
            permissions_boundary: None,
            tags: vec![Tag { key: "team".into(), value: if i % 7 == 0 { "ops".into() } else { "dev".into() } }],
        });
    }
    a
}

fn bench(c: &mut Criterion) {
    let a = account(10_000);
    let engine = Engine::new(&a);
    let q = Query::new("s3:GetObject", "arn:aws:s3:::prod-data/report.csv");
    c.bench_function("who-can over 10k principals", |b| {
        b.iter(|| {
            engine
                .principals()
                .filter(|p| engine.decide(*p, &q).is_allow())
                .count()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
