//! The slope: load, graph build, who-can, who-can `--escalation`, paths to admin and
//! what-can with its blast radius on generated accounts of 1k, 5k, 10k and 20k
//! principals (half users, half roles, a group per 33 principals, 15 managed policies
//! per 100), each size beside a bare `serde_json::Value` parse of the same bytes.
//!
//! `IAMSCOPE_BENCH_SIZES=1000,5000` picks the sizes (a quick run: `=1000`). At the end
//! it prints, for each measurement, the median time at every size, the time per
//! principal, and the exponent of the growth between the smallest and the largest size
//! (`log(t_max / t_min) / log(n_max / n_min)`: 1.0 is linear, 2.0 quadratic). The
//! one-principal questions are measured with the graph given; today's CLI builds the
//! whole graph first, so their end-to-end cost is the graph's plus theirs.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion};
use iamscope::eval::{Context, Engine, PrincipalRef, Query};
use iamscope::graph::Graph;
use iamscope::query::paths_to::{find_paths, PathGoal, PathLimits};
use iamscope::query::what_can::what_can;
use iamscope::query::who_can::{who_can, WhoCanOptions};
use iamscope::synth::{generate_gaad_json, SynthOptions};

/// Per-iteration times, by (measurement, principals).
static TIMES: Mutex<BTreeMap<(&'static str, usize), Vec<Duration>>> = Mutex::new(BTreeMap::new());

/// The measurements, in the order they are printed.
const NAMES: [&str; 8] = [
    "bare serde_json::Value parse",
    "load + index",
    "graph with escalation edges",
    "who-can (direct)",
    "who-can --escalation (graph given)",
    "paths to admin (graph given)",
    "what-can with blast radius (graph given)",
    "graph + who-can --escalation (the CLI today)",
];

fn sizes() -> Vec<usize> {
    let text =
        std::env::var("IAMSCOPE_BENCH_SIZES").unwrap_or_else(|_| "1000,5000,10000,20000".into());
    let sizes: Vec<usize> = text
        .split(',')
        .map(|s| {
            s.trim()
                .parse()
                .unwrap_or_else(|_| panic!("IAMSCOPE_BENCH_SIZES: not a number: {s:?}"))
        })
        .collect();
    assert!(
        sizes.iter().all(|&n| n >= 2),
        "IAMSCOPE_BENCH_SIZES: at least 2 principals"
    );
    sizes
}

/// The generated account of `principals` principals, as GAAD bytes.
fn gaad(principals: usize) -> Vec<u8> {
    let options = SynthOptions {
        users: principals / 2,
        roles: principals - principals / 2,
        groups: (principals / 33).max(1),
        policies: (principals * 15 / 100).max(10),
        seed: 7,
        ..SynthOptions::default()
    };
    generate_gaad_json(&options).into_bytes()
}

/// Times `f` as criterion asks and records each batch's time per iteration.
fn timed<R>(
    name: &'static str,
    n: usize,
    mut f: impl FnMut() -> R,
) -> impl FnMut(&mut criterion::Bencher<'_>) {
    move |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                black_box(f());
            }
            let took = start.elapsed();
            let per = took / iters.max(1) as u32;
            TIMES
                .lock()
                .expect("not poisoned")
                .entry((name, n))
                .or_default()
                .push(per);
            took
        })
    }
}

fn bench_size(c: &mut Criterion, n: usize) {
    let bytes = gaad(n);
    let account = iamscope::load::load_gaad_bytes("bench", bytes.clone()).expect("loads");
    let engine = Engine::new(&account);
    let graph = Graph::build(&engine);
    let query = Query::new(
        "s3:GetObject",
        "arn:aws:s3:::data-bucket-1/reports/2026.csv",
    )
    .with_context(Context::new(false));
    let who = engine.principals().nth(1).expect("a principal");
    assert!(matches!(who, PrincipalRef::User(_)), "users come first");

    let mut group = c.benchmark_group(format!("scale_{n}_principals"));
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    let id = |name: &str| BenchmarkId::new(name, n);
    group.bench_function(
        id(NAMES[0]),
        timed(NAMES[0], n, || {
            serde_json::from_slice::<serde_json::Value>(&bytes).expect("JSON")
        }),
    );
    group.bench_function(
        id(NAMES[1]),
        timed(NAMES[1], n, || {
            iamscope::load::load_gaad_bytes("bench", bytes.clone()).expect("loads")
        }),
    );
    group.bench_function(id(NAMES[2]), timed(NAMES[2], n, || Graph::build(&engine)));
    group.bench_function(
        id(NAMES[3]),
        timed(NAMES[3], n, || {
            who_can(&engine, &query, WhoCanOptions::default())
        }),
    );
    let through = WhoCanOptions {
        through: Some(&graph),
    };
    group.bench_function(
        id(NAMES[4]),
        timed(NAMES[4], n, || who_can(&engine, &query, through)),
    );
    group.bench_function(
        id(NAMES[5]),
        timed(NAMES[5], n, || {
            find_paths(
                &engine,
                &graph,
                who,
                &PathGoal::Admin,
                PathLimits::default(),
            )
        }),
    );
    group.bench_function(
        id(NAMES[6]),
        timed(NAMES[6], n, || what_can(&engine, Some(&graph), who)),
    );
    group.finish();
}

/// The median of the recorded times, in seconds.
fn median(times: &[Duration]) -> f64 {
    let mut t: Vec<f64> = times.iter().map(Duration::as_secs_f64).collect();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

fn human(secs: f64) -> String {
    if secs >= 1.0 {
        format!("{secs:.2} s")
    } else if secs >= 1e-3 {
        format!("{:.1} ms", secs * 1e3)
    } else {
        format!("{:.1} µs", secs * 1e6)
    }
}

/// Prints the slope table (markdown) from the recorded times.
fn report(sizes: &[usize]) {
    let times = TIMES.lock().expect("not poisoned");
    let med = |name: &'static str, n: usize| times.get(&(name, n)).map(|t| median(t));
    let mut out =
        String::from("\nslope (median per run; exponent 1.0 = linear)\n\n| measurement |");
    for n in sizes {
        out.push_str(&format!(" {n} |"));
    }
    out.push_str(" per principal at the largest | exponent |\n|---|");
    out.push_str(&"---|".repeat(sizes.len() + 2));
    out.push('\n');
    for name in NAMES {
        let row: Vec<Option<f64>> = sizes
            .iter()
            .map(|&n| {
                if name == NAMES[7] {
                    Some(med(NAMES[2], n)? + med(NAMES[4], n)?)
                } else {
                    med(name, n)
                }
            })
            .collect();
        out.push_str(&format!("| {name} |"));
        for t in &row {
            out.push_str(&format!(" {} |", t.map_or("–".into(), human)));
        }
        let (first, last) = (sizes.first(), sizes.last());
        let (t0, t1) = (
            row.first().copied().flatten(),
            row.last().copied().flatten(),
        );
        match (first, last, t0, t1) {
            (Some(&n0), Some(&n1), Some(t0), Some(t1)) if n1 > n0 => {
                let exponent = (t1 / t0).ln() / (n1 as f64 / n0 as f64).ln();
                out.push_str(&format!(" {} | {exponent:.2} |\n", human(t1 / n1 as f64)));
            }
            (_, Some(&n1), _, Some(t1)) => {
                out.push_str(&format!(" {} | – |\n", human(t1 / n1 as f64)));
            }
            _ => out.push_str(" – | – |\n"),
        }
    }
    println!("{out}");
}

fn main() {
    let sizes = sizes();
    let mut c = Criterion::default().configure_from_args();
    for &n in &sizes {
        bench_size(&mut c, n);
    }
    c.final_summary();
    report(&sizes);
}
