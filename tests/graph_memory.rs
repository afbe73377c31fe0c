//! Memory: loading a generated account, and exporting its whole graph as JSON, peak
//! under three times the GAAD file's size. Heap measured with the shared counting
//! allocator (this test binary's own), the file's bytes counted as part of the peak (a
//! real load holds them). The 5,000-user / 5,000-role figures in README come from
//! `examples/memory_phases.rs` (release) and `/usr/bin/time -v` (RSS).

use std::sync::Mutex;

use iamscope::synth::{generate_gaad_json, SynthOptions};

#[path = "common/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::{peak_with, CountingAllocator};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Tests in this binary measure one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A few hundred principals of the benchmark account's shape (its ratios of groups
/// and policies to principals), quick in a debug build.
fn account_text() -> String {
    generate_gaad_json(&SynthOptions {
        users: 400,
        roles: 400,
        groups: 24,
        policies: 120,
        seed: 7,
        ..SynthOptions::default()
    })
}

#[test]
fn a_generated_account_loads_in_less_than_three_times_its_size() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let text = account_text();
    let peak = peak_with(&text, |t| {
        let account = iamscope::load::load_gaad_bytes("gen", t.into_bytes()).unwrap();
        assert_eq!(account.users.len(), 400);
        assert_eq!(account.roles.len(), 400);
        std::hint::black_box(account);
    });
    let ratio = peak as f64 / text.len() as f64;
    eprintln!("load: {} bytes, peak {peak} = {ratio:.2}x", text.len());
    assert!(ratio < 3.0, "peak {ratio:.2}x the file");
}

#[test]
fn the_graph_json_export_peaks_under_three_times_the_file() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let text = account_text();
    let mut written = 0u64;
    let peak = peak_with(&text, |t| {
        // What `iamscope graph --format json` does, in the same order.
        let account = iamscope::load::load_gaad_bytes("gen", t.into_bytes()).unwrap();
        let engine = iamscope::eval::Engine::new(&account);
        let graph = iamscope::graph::Graph::build(&engine);
        drop(engine);
        let mut out = Counting(0);
        graph.write_json(&account, &mut out).unwrap();
        written = out.0;
        assert!(graph.grants.len() > 100, "{} grants", graph.grants.len());
    });
    // The export is real: it wrote more than a trivial graph would.
    assert!(written > 100_000, "{written} bytes written");
    let ratio = peak as f64 / text.len() as f64;
    eprintln!(
        "graph json: {} bytes in, {written} out, peak {peak} = {ratio:.2}x",
        text.len()
    );
    assert!(ratio < 3.0, "peak {ratio:.2}x the file");
}

/// Live heap now and its peak since `mark` was last called (the peak then restarts).
fn mark() -> (usize, usize) {
    use std::sync::atomic::Ordering;
    let live = counting_alloc::LIVE.load(Ordering::Relaxed);
    let peak = counting_alloc::PEAK.swap(live, Ordering::Relaxed);
    (live, peak)
}

#[test]
fn building_and_exporting_the_graph_adds_little_to_the_loaded_model() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let text = account_text();
    let file = text.len() as f64;
    let account = iamscope::load::load_gaad_bytes("gen", text.into_bytes()).unwrap();
    let (loaded, _) = mark();
    let engine = iamscope::eval::Engine::new(&account);
    let graph = iamscope::graph::Graph::build(&engine);
    drop(engine);
    let (built, build_peak) = mark();
    graph.write_json(&account, &mut Counting(0)).unwrap();
    let (_, export_peak) = mark();
    let graph_heap = (built - loaded) as f64 / file;
    let peak = (build_peak.max(export_peak) - loaded) as f64 / file;
    eprintln!(
        "over the model: the graph {graph_heap:.2}x the file, the build and export's peak {peak:.2}x"
    );
    assert!(graph.grants.len() > 100, "{} grants", graph.grants.len());
    // The graph itself, with its proofs' resources shared and its indices one buffer
    // each: 0.55x here (a string per proof and a `Vec` per node and set: 0.66x).
    assert!(
        graph_heap < 0.60,
        "the graph holds {graph_heap:.2}x the file"
    );
    // The build's peak (the engine, grants as found), each grant made as it is found:
    // 1.29x on the memory branch alone (the decisions and every grant found held to the
    // end: 1.45x); 1.46x once merged with the partial builds of one-principal questions
    // (1.50x before the services' trust edges moved into the grants instead of being
    // copied). The rest of that difference is not found yet: README says so.
    assert!(
        peak < 1.52,
        "the build peaks at {peak:.2}x the file over the model"
    );
}

#[test]
fn the_explorer_tree_and_search_index_hold_less_than_twice_the_file() {
    use iamscope::tui::{app::Model, theme::Theme};
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let text = account_text();
    let file = text.len() as f64;
    let account = iamscope::load::load_gaad_bytes("gen", text.into_bytes()).unwrap();
    let (loaded, _) = mark();
    let model = Model::build(std::sync::Arc::new(account), &Theme::colored());
    let (built, _) = mark();
    let held = (built - loaded) as f64 / file;
    eprintln!("the explorer's tree and search index: {held:.2}x the file");
    assert!(
        model.tree.nodes.len() > 5_000,
        "{} nodes",
        model.tree.nodes.len()
    );
    // 1.85x here: each node's label is held as text, as styled spans and as the
    // widget's item (making the items per frame for the open nodes only took it to
    // 1.71x but cost 17 ms a frame with every category open on 5k/5k: not kept).
    assert!(held < 2.0, "the tree and index hold {held:.2}x the file");
}

/// A writer that keeps nothing, counting what it is given.
struct Counting(u64);

impl std::io::Write for Counting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
