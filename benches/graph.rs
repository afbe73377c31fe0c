//! Graph and query speed on the large generated account (5,000 users, 5,000 roles,
//! 300 groups, 1,500 policies). Targets: who-can for one action and resource < 10 ms;
//! the full graph with escalation edges < 1 s and within 3× a bare `serde_json::Value`
//! parse of the same bytes (measured beside it, so the ratio holds on a noisy machine);
//! what-can for one principal < 50 ms. The full graph is also measured on a
//! 1,000/1,000 account.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use iamscope::eval::{Context, Engine, Query};
use iamscope::graph::Graph;
use iamscope::query::what_can::what_can;
use iamscope::query::who_can::{who_can, WhoCanOptions};
use iamscope::synth::{generate_gaad_json, SynthOptions};

fn generated(
    users: usize,
    roles: usize,
    groups: usize,
    policies: usize,
) -> iamscope::model::Account {
    let options = SynthOptions {
        users,
        roles,
        groups,
        policies,
        seed: 7,
        ..SynthOptions::default()
    };
    iamscope::load::load_gaad_bytes("bench", generate_gaad_json(&options).into_bytes())
        .expect("generated account loads")
}

fn bench(c: &mut Criterion) {
    let bytes = generate_gaad_json(&SynthOptions::large()).into_bytes();
    let account =
        iamscope::load::load_gaad_bytes("bench", bytes.clone()).expect("generated account loads");
    let engine = Engine::new(&account);
    let query = Query::new(
        "s3:GetObject",
        "arn:aws:s3:::data-bucket-1/reports/2026.csv",
    )
    .with_context(Context::new(false));
    let mut group = c.benchmark_group("graph_5k_users_5k_roles");
    group.sample_size(10);
    group.bench_function("who-can one action and resource", |b| {
        b.iter(|| black_box(who_can(&engine, &query, WhoCanOptions::default())))
    });
    let user = engine.principals().nth(1).expect("a principal");
    group.bench_function(
        "what-can one principal (actions, without blast radius)",
        |b| b.iter(|| black_box(what_can(&engine, None, user))),
    );
    group.bench_function("bare serde_json::Value parse of the same bytes", |b| {
        b.iter(|| black_box(serde_json::from_slice::<serde_json::Value>(&bytes).expect("JSON")))
    });
    group.bench_function("full graph with escalation edges", |b| {
        b.iter(|| black_box(Graph::build(&engine)))
    });
    group.finish();

    let mid = generated(1_000, 1_000, 100, 300);
    let mid_engine = Engine::new(&mid);
    let mut group = c.benchmark_group("graph_1k_users_1k_roles");
    group.sample_size(10);
    group.bench_function("full graph with escalation edges", |b| {
        b.iter(|| black_box(Graph::build(&mid_engine)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
