fn main() {
    let name = std::env::args().nth(1).unwrap_or("vulnerable".into());
    let account = iamscope::load::load(&iamscope::load::Input::Sample(name)).unwrap();
    let engine = iamscope::eval::Engine::new(&account);
    let t = std::time::Instant::now();
    let g = iamscope::graph::Graph::build(&engine);
    eprintln!(
        "built in {:?}: {} nodes {} grants {} edges",
        t.elapsed(),
        g.nodes.len(),
        g.grants.len(),
        g.edge_count()
    );
    for (i, n) in g.nodes.iter().enumerate() {
        if g.is_admin(i) {
            println!("ADMIN {}", n.label(&account));
        }
    }
    for e in (0..g.nodes.len()).flat_map(|n| g.outgoing(n).collect::<Vec<_>>()) {
        let ev: Vec<String> = g
            .evidence(&engine, &e)
            .iter()
            .flat_map(|x| x.statements.clone())
            .collect();
        println!(
            "{} -> {} {} cond={} {:?} {:?} {:?}",
            g.nodes[e.from].label(&account),
            g.nodes[e.to].label(&account),
            e.kind.name(),
            e.conditional,
            e.missing_keys,
            e.assumptions,
            ev
        );
    }
}
