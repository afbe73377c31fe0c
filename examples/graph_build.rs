//! Times one `Graph::build` on a bundle and counts its grants by kind:
//! `cargo run --release --example graph_build -- PATH`.

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
    let graph = iamscope::graph::Graph::build(&engine);
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
    for (kind, n) in kinds {
        println!("  {kind:<28} {n}");
    }
}
