//! Graph and query speed on the large generated account (5,000 users, 5,000 roles,
//! 300 groups, 1,500 policies). Targets: who-can for one action and resource < 10 ms;
//! the full graph with escalation edges < 1 s and within 3× a bare `serde_json::Value`
//! parse of the same bytes (measured beside it, so the ratio holds on a noisy machine);
//! what-can for one principal < 50 ms; `iamscope graph --format json` peak RSS < 3× the
//! file (printed first, from this build's binary). The full graph is also measured on a
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

/// Peak RSS of `iamscope graph --format json` (this build's binary) on `bytes`, in
/// bytes: the child's maximum resident set as the kernel counts it.
#[cfg(target_os = "linux")]
fn export_peak_rss(bytes: &[u8]) -> u64 {
    let dir = std::env::temp_dir().join(format!("iamscope-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let file = dir.join("gaad.json");
    std::fs::write(&file, bytes).expect("the account is written");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_iamscope"))
        .args(["graph", "--format", "json", "-b"])
        .arg(&file)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("iamscope runs");
    assert!(status.success(), "iamscope graph failed: {status}");
    std::fs::remove_dir_all(&dir).ok();
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    // Linux counts ru_maxrss in KiB; this bench has run no other child.
    usage.ru_maxrss as u64 * 1024
}

fn bench(c: &mut Criterion) {
    let bytes = generate_gaad_json(&SynthOptions::large()).into_bytes();
    #[cfg(target_os = "linux")]
    {
        let peak = export_peak_rss(&bytes);
        let mib = |n: f64| n / (1024.0 * 1024.0);
        eprintln!(
            "graph --format json on 5k/5k: peak RSS {:.1} MiB = {:.2}x the {:.1} MiB file (target < 3x)",
            mib(peak as f64),
            peak as f64 / bytes.len() as f64,
            mib(bytes.len() as f64)
        );
    }
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
