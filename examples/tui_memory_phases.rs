//! Live and peak heap of what the explorer holds on a bundle's `gaad.json`, in the
//! order it makes them (the tree and search index, the worker's evaluator, the trust
//! graph, the findings audit), counted by the shared counting allocator:
//! `cargo run --release --example tui_memory_phases -- PATH/gaad.json`.

use std::sync::atomic::Ordering;
use std::sync::Arc;

#[path = "../tests/common/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::{CountingAllocator, BLOCKS, LIVE, PEAK};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn mib(n: usize) -> f64 {
    n as f64 / (1024.0 * 1024.0)
}

/// Prints the live heap now, what the phase added and its peak, then resets the peak.
fn report(phase: &str, file: usize, before: &mut usize) {
    let live = LIVE.load(Ordering::Relaxed);
    let peak = PEAK.swap(live, Ordering::Relaxed);
    eprintln!(
        "{phase:<22} live {:>7.1} MiB ({:.2}x)  added {:>6.1} MiB  peak {:>7.1} MiB ({:.2}x)  {} blocks",
        mib(live),
        live as f64 / file as f64,
        (live as f64 - *before as f64) / (1024.0 * 1024.0),
        mib(peak),
        peak as f64 / file as f64,
        BLOCKS.load(Ordering::Relaxed)
    );
    *before = live;
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: tui_memory_phases GAAD_JSON");
        std::process::exit(2);
    };
    let mut before = 0;
    let bytes = std::fs::read(&path).expect("the file reads");
    let file = bytes.len();
    let account = iamscope::load::load_gaad_bytes("gaad.json", bytes).expect("it loads");
    report("load", file, &mut before);
    let account = Arc::new(account);
    let theme = iamscope::tui::theme::Theme::colored();
    let tree = iamscope::tui::tree::TreeModel::build(&account, &theme);
    report("explorer tree", file, &mut before);
    let statements = tree
        .nodes
        .iter()
        .filter(|n| matches!(n.target, iamscope::tui::tree::Target::Statement(..)))
        .count();
    let links = tree.nodes.iter().filter(|n| n.link).count();
    // Links and statements are made when their entity first opens: these are the
    // nodes made at start.
    eprintln!(
        "  {} nodes made: {statements} statements, {links} links",
        tree.nodes.len()
    );
    let search = iamscope::tui::search::SearchIndex::build(&account, &tree);
    report("search index", file, &mut before);
    let keys = iamscope::query::context_keys::referenced_keys(&account);
    report("context keys", file, &mut before);
    let worker = iamscope::eval::Engine::new(&account);
    report("worker's evaluator", file, &mut before);
    let progress = iamscope::graph::progress::Progress::default();
    let graph = iamscope::tui::analysis::build_graph(&account, &progress).expect("built");
    let graph = Arc::new(graph);
    report("trust graph", file, &mut before);
    let findings = iamscope::tui::analysis::audit(&account, Some(Arc::clone(&graph)));
    report("findings audit", file, &mut before);
    eprintln!("  {} findings", findings.len());
    std::hint::black_box((tree, search, keys, worker, graph, findings));
}
