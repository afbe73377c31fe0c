//! Times the one-principal questions on a bundle, each on the part of the graph it
//! walks (`Graph::build_from`, `Graph::build_towards`), after the load:
//! `cargo run --release --example one_principal -- PATH [USER] [ROLE]`. Prints the
//! wall time of each, beside a full `Graph::build` for scale.

use std::time::Instant;

use iamscope::eval::{Context, Engine, PrincipalRef, Query};
use iamscope::graph::Graph;
use iamscope::query::paths_to::{find_paths, partial_graph, PathGoal, PathLimits};
use iamscope::query::what_can::what_can;
use iamscope::query::who_can::who_can_escalation;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: one_principal BUNDLE [USER] [ROLE]");
        std::process::exit(2);
    };
    let account = match iamscope::load::load(&iamscope::load::Input::Path(path.into())) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let engine = Engine::new(&account);
    let pick = |i: usize, fallback: PrincipalRef| {
        args.get(i)
            .and_then(|name| engine.resolve(name))
            .unwrap_or(fallback)
    };
    let user = pick(1, PrincipalRef::User(iamscope::model::UserId(0)));
    let role = match pick(2, PrincipalRef::Role(iamscope::model::RoleId(0))) {
        PrincipalRef::Role(r) => r,
        PrincipalRef::User(_) => iamscope::model::RoleId(0),
    };
    let arn = |p: PrincipalRef| engine.facts(p).caller.arn.clone();
    let timed = |what: &str, f: &mut dyn FnMut() -> String| {
        let start = Instant::now();
        let said = f();
        println!("{what:<44} {:>10.1?}  {said}", start.elapsed());
    };
    timed("paths USER admin (shortest)", &mut || {
        let goal = PathGoal::Admin;
        let part = partial_graph(&engine, user, &goal, PathLimits::default());
        let a = find_paths(&engine, &part, user, &goal, PathLimits::default());
        format!(
            "{}: {} grants, {:?} hops",
            arn(user),
            part.grants.len(),
            a.paths.first().map(Vec::len)
        )
    });
    timed("what-can USER: its part of the graph only", &mut || {
        let part = Graph::build_from(&engine, user);
        format!("{} grants", part.grants.len())
    });
    timed("what-can USER with its reach", &mut || {
        let part = Graph::build_from(&engine, user);
        let a = what_can(&engine, Some(&part), user);
        format!(
            "{} grants, {} reachable",
            part.grants.len(),
            a.reachable.len()
        )
    });
    let bucket = "arn:aws:s3:::some-bucket/key";
    timed("who-can s3:GetObject BUCKET --escalation", &mut || {
        let q = Query::new("s3:GetObject", bucket).with_context(Context::new(false));
        let rows = who_can_escalation(&engine, &q);
        let indirect = rows.iter().filter(|r| !r.via.is_empty()).count();
        format!("{} rows, {indirect} indirect", rows.len())
    });
    timed("who-can --escalation: its part only", &mut || {
        let q = Query::new("s3:GetObject", bucket).with_context(Context::new(false));
        let goals: Vec<PrincipalRef> = iamscope::query::who_can::direct(&engine, &q)
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        let part = Graph::build_towards(&engine, &goals);
        format!("{} goals, {} grants", goals.len(), part.grants.len())
    });
    timed("trust ROLE", &mut || {
        let part = Graph::build_towards(&engine, &[PrincipalRef::Role(role)]);
        let r = iamscope::query::trust::trust(&engine, &part, role);
        format!(
            "{}: {} grants, {} direct, {} transitive",
            account.role(role).common.name,
            part.grants.len(),
            r.direct.len(),
            r.transitive.len()
        )
    });
    if args.iter().any(|a| a == "--full") {
        timed("full graph (for scale)", &mut || {
            format!("{} grants", Graph::build(&engine).grants.len())
        });
    }
}
