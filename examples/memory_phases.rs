//! Live and peak heap of each phase of `iamscope graph --format json` on a bundle's
//! `gaad.json`, counted by the shared counting allocator:
//! `cargo run --release --example memory_phases -- PATH/gaad.json`.

use std::sync::atomic::Ordering;

#[path = "../tests/common/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::{CountingAllocator, BLOCKS, LIVE, PEAK};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn mib(n: usize) -> f64 {
    n as f64 / (1024.0 * 1024.0)
}

/// Prints the live heap now and the peak since the last report, then resets the peak.
fn report(phase: &str, file: usize) {
    let live = LIVE.load(Ordering::Relaxed);
    let peak = PEAK.swap(live, Ordering::Relaxed);
    eprintln!(
        "{phase:<24} live {:>7.1} MiB ({:.2}x)   peak {:>7.1} MiB ({:.2}x)  {} blocks",
        mib(live),
        live as f64 / file as f64,
        mib(peak),
        peak as f64 / file as f64,
        BLOCKS.load(Ordering::Relaxed)
    );
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: memory_phases GAAD_JSON");
        std::process::exit(2);
    };
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
    let bytes = std::fs::read(&path).expect("the file reads");
    let file = bytes.len();
    eprintln!("file {:.1} MiB", mib(file));
    report("read", file);
    let value: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
    report("bare Value parse", file);
    drop(value);
    report("Value dropped", file);
    let account = iamscope::load::load_gaad_bytes("gaad.json", bytes).expect("it loads");
    report("load", file);
    let model_live = LIVE.load(Ordering::Relaxed);
    let text: usize = policy_text_bytes(&account);
    eprintln!("  policy text kept: {:.1} MiB", mib(text));
    // What each part of the model holds beside its policy documents: the heap a clone
    // of it takes (a clone shares the documents, and its vectors hold no spare
    // capacity, so this is a lower bound).
    let size_of = |f: &dyn Fn() -> Box<dyn std::any::Any>| {
        let before = LIVE.load(Ordering::Relaxed);
        let copy = f();
        let n = LIVE.load(Ordering::Relaxed) - before;
        drop(copy);
        n
    };
    let parts: [(&str, usize); 6] = [
        ("users", size_of(&|| Box::new(account.users.clone()))),
        ("groups", size_of(&|| Box::new(account.groups.clone()))),
        ("roles", size_of(&|| Box::new(account.roles.clone()))),
        (
            "trust policies",
            size_of(&|| {
                Box::new(
                    account
                        .roles
                        .iter()
                        .map(|r| r.trust_policy.clone())
                        .collect::<Vec<_>>(),
                )
            }),
        ),
        (
            "managed policies",
            size_of(&|| Box::new(account.managed_policies.clone())),
        ),
        ("warnings", size_of(&|| Box::new(account.warnings.clone()))),
    ];
    for (name, n) in parts {
        eprintln!("  {name:<18} {:>6.1} MiB", mib(n));
    }
    // The clones are gone: the next phase's peak starts from here.
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
    let engine = iamscope::eval::Engine::new(&account);
    report("engine", file);
    let progress = iamscope::graph::progress::Progress::default();
    let graph = std::thread::scope(|scope| {
        let build = scope.spawn(|| iamscope::graph::Graph::build_with(&engine, &progress));
        // Report each step's peak as the next begins.
        let mut step = None;
        while !build.is_finished() {
            let now = progress.view().step;
            if now != step {
                if let Some(s) = step.and_then(|s: usize| iamscope::graph::progress::STEPS.get(s)) {
                    report(&format!("  step {s}"), file);
                }
                step = now;
            }
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
        build
            .join()
            .expect("the build ends")
            .expect("not cancelled")
    });
    report("graph build (last step)", file);
    drop(engine);
    report("engine dropped", file);
    let graph_live = LIVE.load(Ordering::Relaxed) - model_live;
    let members: usize = (0..graph.set_count()).map(|s| graph.set(s).len()).sum();
    let proofs: usize = graph.grants.iter().map(|g| g.proofs.len()).sum();
    eprintln!(
        "  graph: {} nodes, {} sets of {members} members, {} grants with {proofs} proofs",
        graph.nodes.len(),
        graph.set_count(),
        graph.grants.len()
    );
    let grants = size_of(&|| Box::new(graph.grants.clone()));
    let nodes = size_of(&|| Box::new(graph.nodes.clone()));
    eprintln!(
        "  grants {:.1} MiB, nodes {:.1} MiB, the rest {:.1} MiB (sets, indices, the action catalogue)",
        mib(grants),
        mib(nodes),
        mib(graph_live - grants - nodes)
    );
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
    let mut out = std::io::sink();
    graph.write_json(&account, &mut out).expect("it writes");
    report("json export", file);
}

/// Bytes of policy JSON text the model keeps (each shared text once).
fn policy_text_bytes(account: &iamscope::model::Account) -> usize {
    let mut seen = std::collections::HashSet::new();
    let mut n = 0;
    let inline = |policies: &[iamscope::model::InlinePolicy],
                  seen: &mut std::collections::HashSet<*const u8>| {
        policies
            .iter()
            .filter(|p| seen.insert(p.document.text.as_ptr()))
            .map(|p| p.document.text.len())
            .sum::<usize>()
    };
    for u in &account.users {
        n += inline(&u.common.inline_policies, &mut seen);
    }
    for g in &account.groups {
        n += inline(&g.common.inline_policies, &mut seen);
    }
    for r in &account.roles {
        n += inline(&r.common.inline_policies, &mut seen);
        if seen.insert(r.trust_policy.text.as_ptr()) {
            n += r.trust_policy.text.len();
        }
    }
    for p in &account.managed_policies {
        n += p
            .versions
            .iter()
            .filter(|v| seen.insert(v.document.text.as_ptr()))
            .map(|v| v.document.text.len())
            .sum::<usize>();
    }
    n
}
