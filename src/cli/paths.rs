//! `iamscope paths FROM TO`.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;

use super::output::Output;
use super::{principal_arg, BundleArg};
use crate::eval::Engine;
use crate::graph::search::Target;
use crate::graph::Graph;
use crate::query::hop::render_path;
use crate::query::paths::{paths, DEFAULT_LIMIT, DEFAULT_MAX_HOPS};
use crate::sanitize::display as safe;

/// Arguments of `paths`.
#[derive(Debug, Args)]
pub struct PathsArgs {
    /// Where to start: a user or role name, `user/NAME`, `role/NAME`, or ARN.
    pub from: String,
    /// Where to end: a user or role, or `admin` for any administrator.
    pub to: String,
    #[command(flatten)]
    pub bundle: BundleArg,
    /// Every simple path (up to --max-hops), not just the shortest.
    #[arg(long)]
    pub all: bool,
    /// Longest path to search with --all.
    #[arg(long, default_value_t = DEFAULT_MAX_HOPS)]
    pub max_hops: usize,
    /// Print JSON: an array of paths, each an array of hops {from, to, kind,
    /// conditional, missing_keys, assumptions, evidence}; [] when there is none.
    #[arg(long)]
    pub json: bool,
}

/// Runs `paths`.
pub fn run(args: &PathsArgs, out: &mut Output) -> anyhow::Result<ExitCode> {
    let account = args.bundle.load().context("loading the account")?;
    let engine = Engine::new(&account);
    let from = principal_arg::resolve(&engine, &args.from)?;
    let to = if args.to.eq_ignore_ascii_case("admin") {
        None
    } else {
        Some(principal_arg::resolve(&engine, &args.to)?)
    };
    let graph = Graph::build(&engine);
    let target = match to {
        Some(p) => Target::Node(graph.node_of(p)),
        None => Target::Admin,
    };
    let from_node = graph.node_of(from);
    let found = paths(
        &engine,
        &graph,
        from_node,
        target,
        args.all,
        args.max_hops,
        DEFAULT_LIMIT,
    );
    if args.json {
        out.json(&found)?;
        return Ok(ExitCode::SUCCESS);
    }
    let from_label = safe(&graph.nodes[from_node].label(&account)).into_owned();
    let to_label = match target {
        Target::Node(n) => safe(&graph.nodes[n].label(&account)).into_owned(),
        Target::Admin => "an administrator".to_string(),
    };
    if found.is_empty() {
        writeln!(out, "No path from {from_label} to {to_label}.")?;
        return Ok(ExitCode::from(1));
    }
    let shown = if args.all {
        graph.all_paths(from_node, target, args.max_hops, DEFAULT_LIMIT)
    } else {
        graph.shortest_path(from_node, target).into_iter().collect()
    };
    for (i, path) in shown.iter().enumerate() {
        if path.is_empty() {
            writeln!(out, "{from_label} already is {to_label}.")?;
            continue;
        }
        writeln!(
            out,
            "Path {} ({} hop{}):",
            i + 1,
            path.len(),
            if path.len() == 1 { "" } else { "s" }
        )?;
        write!(out, "{}", render_path(&engine, &graph, path))?;
    }
    Ok(ExitCode::SUCCESS)
}
