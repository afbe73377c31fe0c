//! Times what-can on one user holding one generated policy of N statements, a few runs
//! in a row (the first also expands the document against the catalogue):
//! `cargo run --release --example what_can_big -- 100000 3`. A quick single-run
//! companion to `benches/policy_scale.rs`.

use iamscope::eval::Engine;
use iamscope::query::what_can::what_can;
use iamscope::synth::big_policy::{big_policy_document, gaad_with_user_policy};

fn main() {
    let mut args = std::env::args().skip(1);
    let statements: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let gaad = gaad_with_user_policy(&big_policy_document(statements, 5));
    let account = iamscope::load::load_gaad_bytes("bench", gaad.into_bytes())
        .unwrap_or_else(|e| panic!("the generated export loads: {e}"));
    let engine = Engine::new(&account);
    let Some(who) = engine.principals().next() else {
        panic!("the generated export holds its user");
    };
    for run in 0..runs {
        let started = std::time::Instant::now();
        let answer = what_can(&engine, None, who);
        let pairs: usize = answer
            .services
            .iter()
            .flat_map(|s| s.levels.values().flatten())
            .map(|a| a.resources.len())
            .sum();
        eprintln!(
            "run {run}: {:.3} s, {pairs} (action, resource) pairs allowed",
            started.elapsed().as_secs_f64()
        );
    }
}
