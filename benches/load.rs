//! Loading a large generated account, measured beside a bare `serde_json` parse of
//! the same bytes. Targets (issue 11): load + index ≤ 1.3× the bare parse; peak memory
//! < 3× the file size (printed once, measured with a counting allocator).

use std::hint::black_box;
use std::sync::atomic::Ordering;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use iamscope::synth::{generate_gaad_json, SynthOptions};

#[path = "../tests/common/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::{CountingAllocator, LIVE, PEAK};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// The account the issue names: 5,000 users, 5,000 roles, 300 groups, 1,500 policies.
fn large_account() -> Vec<u8> {
    generate_gaad_json(&SynthOptions::large()).into_bytes()
}

/// Peak heap above the baseline while `f` runs, with the input bytes counted as part
/// of the load (a real load reads the file into memory first).
fn peak_during(bytes: &[u8], f: impl FnOnce(Vec<u8>)) -> usize {
    let baseline = LIVE.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    let copy = bytes.to_vec();
    f(copy);
    PEAK.load(Ordering::Relaxed) - baseline
}

fn load(c: &mut Criterion) {
    let bytes = large_account();
    let mib = |n: usize| n as f64 / (1024.0 * 1024.0);
    let load_peak = peak_during(&bytes, |b| {
        black_box(iamscope::load::load_gaad_bytes("bench", b).unwrap());
    });
    let parse_peak = peak_during(&bytes, |b| {
        black_box(serde_json::from_slice::<serde_json::Value>(&b).unwrap());
    });
    eprintln!(
        "file {:.1} MiB; peak heap: load {:.1} MiB ({:.2}x file), bare Value parse {:.1} MiB ({:.2}x file)",
        mib(bytes.len()),
        mib(load_peak),
        load_peak as f64 / bytes.len() as f64,
        mib(parse_peak),
        parse_peak as f64 / bytes.len() as f64,
    );

    let mut group = c.benchmark_group("load_5k_users_5k_roles");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("bare_serde_json_value_parse", |b| {
        b.iter(|| black_box(serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()))
    });
    group.bench_function("load_and_index", |b| {
        b.iter_batched(
            || bytes.clone(),
            |input| black_box(iamscope::load::load_gaad_bytes("bench", input).unwrap()),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
