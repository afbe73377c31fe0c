//! Times one `Graph::build` on a bundle and counts its grants by kind:
//! `cargo run --release --example graph_build -- PATH`. Prints the wall time of each
//! step too (read from the build's progress counters).

use iamscope::graph::progress::Progress;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: graph_build BUNDLE");
        std::process::exit(2);
    };
    let account = match iamscope::load::load(&iamscope::load::Input::Path(path.into())) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let engine = iamscope::eval::Engine::new(&account);
    let start = std::time::Instant::now();
    let progress = Progress::default();
    // The time each step took, read from the build's progress counters.
    let (graph, steps) = std::thread::scope(|s| {
        let watcher = s.spawn(|| {
            let mut seen: Vec<(Option<usize>, std::time::Instant)> = Vec::new();
            loop {
                let v = progress.view();
                if seen.last().is_none_or(|(step, _)| *step != v.step) {
                    seen.push((v.step, std::time::Instant::now()));
                }
                if seen.len() > 1 && v.step.is_none() {
                    return seen;
                }
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
        });
        let graph = iamscope::graph::Graph::build_with(&engine, &progress).unwrap_or_default();
        (graph, watcher.join().unwrap_or_default())
    });
    let took = start.elapsed();
    let admins = (0..graph.nodes.len())
        .filter(|&i| graph.is_admin(i))
        .count();
    let mut kinds = std::collections::BTreeMap::new();
    for g in &graph.grants {
        *kinds.entry(g.kind.name()).or_insert(0usize) += 1;
    }
    println!(
        "built in {took:?}: {} nodes, {} grants over {} node sets standing for {} edges, {admins} administrators",
        graph.nodes.len(),
        graph.grants.len(),
        graph.set_count(),
        graph.edge_count()
    );
    for pair in steps.windows(2) {
        if let Some(step) = pair[0].0 {
            let name = iamscope::graph::progress::STEPS[step];
            println!("  step {name:<26} {:?}", pair[1].1 - pair[0].1);
        }
    }
    for (kind, n) in kinds {
        println!("  {kind:<28} {n}");
    }
}
