//! Times the parts of findings IAM011 (path to administrator) on a bundle's `gaad.json`:
//! the graph build, every principal's shortest path to an administrator by one forward
//! search each (as the audit did before) and by one reverse search
//! (`Graph::towards_admin`), and turning the paths into hops with their evidence.
//! `cargo run --release --example admin_paths -- PATH/gaad.json`.

use std::time::Instant;

use iamscope::eval::Engine;
use iamscope::graph::search::Target;
use iamscope::graph::Graph;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: admin_paths GAAD_JSON");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).expect("the file reads");
    let account = iamscope::load::load_gaad_bytes("gaad.json", bytes).expect("it loads");
    let engine = Engine::new(&account);
    let t = Instant::now();
    let graph = Graph::build(&engine);
    eprintln!(
        "graph build            {:>8.3} s",
        t.elapsed().as_secs_f64()
    );
    let principals: Vec<usize> = engine
        .principals()
        .map(|p| graph.node_of(p))
        .filter(|&n| !graph.is_admin(n))
        .collect();

    let t = Instant::now();
    let forward: Vec<usize> = principals
        .iter()
        .filter_map(|&n| graph.shortest_path(n, Target::Admin))
        .map(|p| p.len())
        .collect();
    eprintln!(
        "one forward search each {:>7.3} s  ({} paths)",
        t.elapsed().as_secs_f64(),
        forward.len()
    );

    let t = Instant::now();
    let towards = graph.towards_admin();
    let paths: Vec<_> = principals
        .iter()
        .filter_map(|&n| graph.admin_path(&towards, n))
        .collect();
    eprintln!(
        "one reverse search      {:>7.3} s  ({} paths)",
        t.elapsed().as_secs_f64(),
        paths.len()
    );
    let lengths: Vec<usize> = paths.iter().map(Vec::len).collect();
    assert_eq!(lengths, forward, "the same lengths, principal by principal");

    let t = Instant::now();
    let hops: usize = paths
        .iter()
        .map(|p| iamscope::query::hop::hops(&engine, &graph, p).len())
        .sum();
    eprintln!(
        "hops with evidence      {:>7.3} s  ({hops} hops)",
        t.elapsed().as_secs_f64()
    );
}
