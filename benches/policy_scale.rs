//! Large policy documents: compiling one, loading one, and what-can over its
//! statements, each beside a bare `serde_json::Value` parse of the same bytes.
//!
//! Targets (issue 10 point 4, issue 11 items 4 and 6): a document loads in less than 3×
//! its size (peak heap, printed once; set `IAMSCOPE_BENCH_POLICY_MB` to measure another
//! size, e.g. 200); what-can grows linearly with the statements, 100k statements in
//! under a second.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use iamscope::eval::Engine;
use iamscope::policy::PolicyDocument;
use iamscope::query::what_can::what_can;
use iamscope::synth::big_policy::{big_policy_document, gaad_with_user_policy};

/// Counts live heap bytes and their peak.
struct CountingAllocator;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size > layout.size() {
                let grow = new_size - layout.size();
                let live = LIVE.fetch_add(grow, Ordering::Relaxed) + grow;
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Peak heap above the baseline while `f` runs on a fresh copy of `input`.
fn peak_with(input: &str, f: impl FnOnce(String)) -> usize {
    let baseline = LIVE.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    let copy = input.to_string();
    f(copy);
    PEAK.load(Ordering::Relaxed) - baseline
}

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
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("what_can_{n}"), |b| {
            b.iter(|| black_box(what_can(&engine, None, who)))
        });
    }
    group.finish();
}

criterion_group!(benches, compile, what_can_scale);
criterion_main!(benches);
