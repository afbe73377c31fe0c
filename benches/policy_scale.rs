//! Large policy documents: compiling one, loading one, and what-can over its
//! statements, each beside a bare `serde_json::Value` parse of the same bytes.
//!
//! Targets (issue 10 point 4, issue 11 items 4 and 6): a document loads in less than 3×
//! its size (peak heap, printed once; set `IAMSCOPE_BENCH_POLICY_MB` to measure another
//! size, e.g. 200); what-can grows linearly with the statements, 100k statements in
//! under a second.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use iamscope::eval::Engine;
use iamscope::policy::PolicyDocument;
use iamscope::query::what_can::what_can;
use iamscope::synth::big_policy::{big_policy_document, gaad_with_user_policy};

#[path = "../tests/common/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::{peak_with, CountingAllocator};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Statements per MB of generated document (about 266 bytes each).
const STATEMENTS_PER_MB: usize = 3_760;

fn memory_report() {
    let mb: usize = std::env::var("IAMSCOPE_BENCH_POLICY_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let doc = big_policy_document(mb * STATEMENTS_PER_MB, 11);
    let mib = |n: usize| n as f64 / (1024.0 * 1024.0);
    let compile = peak_with(&doc, |t| {
        black_box(PolicyDocument::parse(&t).unwrap());
    });
    let parse = peak_with(&doc, |t| {
        black_box(serde_json::from_str::<serde_json::Value>(&t).unwrap());
    });
    let gaad = gaad_with_user_policy(&doc);
    drop(doc);
    let load = peak_with(&gaad, |g| {
        let account = iamscope::load::load_gaad_bytes("bench", g.into_bytes()).unwrap();
        // A large document is compiled on first use: include it.
        black_box(Engine::new(&account));
    });
    let n = gaad.len();
    eprintln!(
        "policy of {:.1} MiB: peak heap compile {:.1} MiB ({:.2}x), load {:.1} MiB ({:.2}x), bare Value parse {:.1} MiB ({:.2}x)",
        mib(n),
        mib(compile),
        compile as f64 / n as f64,
        mib(load),
        load as f64 / n as f64,
        mib(parse),
        parse as f64 / n as f64,
    );
}

fn compile(c: &mut Criterion) {
    memory_report();
    let doc = big_policy_document(20 * STATEMENTS_PER_MB, 11);
    let mut group = c.benchmark_group("policy_20mb");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(doc.len() as u64));
    group.bench_function("bare_serde_json_value_parse", |b| {
        b.iter(|| black_box(serde_json::from_str::<serde_json::Value>(&doc).unwrap()))
    });
    group.bench_function("compile", |b| {
        b.iter(|| black_box(PolicyDocument::parse(&doc).unwrap()))
    });
    group.finish();
}

fn what_can_scale(c: &mut Criterion) {
    let mut group = c.benchmark_group("what_can_statements");
    group.sample_size(10);
    for n in [10_000, 50_000, 100_000] {
        let gaad = gaad_with_user_policy(&big_policy_document(n, 5));
        let account = iamscope::load::load_gaad_bytes("bench", gaad.into_bytes()).unwrap();
        let engine = Engine::new(&account);
        let who = engine.principals().next().unwrap();
        // The first answer also expands the document against the catalogue (kept
        // with it for every later answer): shown once, beside the bench's warm figure.
        let cold = std::time::Instant::now();
        let answer = what_can(&engine, None, who);
        let elapsed = cold.elapsed().as_secs_f64();
        let listed = answer
            .services
            .iter()
            .flat_map(|s| s.levels.values().flatten());
        let (actions, resources) = listed.fold((0, 0), |(a, r), x| (a + 1, r + x.resources.len()));
        eprintln!(
            "what-can over {n} statements: first answer {elapsed:.3} s, {actions} actions, {resources} (action, resource) pairs allowed"
        );
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("what_can_{n}"), |b| {
            b.iter(|| black_box(what_can(&engine, None, who)))
        });
    }
    group.finish();
}

criterion_group!(benches, compile, what_can_scale);
criterion_main!(benches);
