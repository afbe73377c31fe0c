//! `iamscope paths FROM TO`.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;

use super::context_args::ContextArgs;
use super::output::Output;
use super::{principal_arg, BundleArg};
use crate::eval::Engine;
use crate::graph::search::Target;
use crate::query::hop::render_path;
use crate::query::paths::{paths, DEFAULT_LIMIT, DEFAULT_MAX_HOPS};
use crate::query::paths_to::{find_paths, partial_graph, PathGoal, PathLimits};
use crate::sanitize::display as safe;

/// Arguments of `paths`.
#[derive(Debug, Args)]
pub struct PathsArgs {
    /// Where to start: a user or role name, `user/NAME`, `role/NAME`, or ARN.
    pub from: String,
    /// Where to end: a user or role, or `admin` for any administrator (or use --can).
    #[arg(required_unless_present = "can")]
    pub to: Option<String>,
    /// End at any principal that can do this action (on --on, default `*`) instead.
    #[arg(long, value_name = "ACTION", conflicts_with = "to")]
    pub can: Option<String>,
    /// The resource of --can.
    #[arg(long, value_name = "RESOURCE", default_value = "*", requires = "can")]
    pub on: String,
    #[command(flatten)]
    pub context: ContextArgs,
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
    if let Some(action) = &args.can {
        return run_can(args, &engine, from, action, out);
    }
    let to_text = args.to.as_deref().unwrap_or("admin");
    let to = if to_text.eq_ignore_ascii_case("admin") {
        None
    } else {
        Some(principal_arg::resolve(&engine, to_text)?)
    };
    let goal = match to {
        Some(p) => PathGoal::Principal(p),
        None => PathGoal::Admin,
    };
    let limits = PathLimits {
        all: args.all,
        max_hops: args.max_hops,
        limit: DEFAULT_LIMIT,
    };
    let graph = partial_graph(&engine, from, &goal, limits);
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

/// `paths FROM --can ACTION [--on RESOURCE]`: to any principal that can.
fn run_can(
    args: &PathsArgs,
    engine: &Engine<'_>,
    from: crate::eval::PrincipalRef,
    action: &str,
    out: &mut Output,
) -> anyhow::Result<ExitCode> {
    let query = args.context.query(action, &args.on, engine.account())?;
    let limits = PathLimits {
        all: args.all,
        max_hops: args.max_hops,
        limit: DEFAULT_LIMIT,
    };
    let goal = PathGoal::CanDo(query);
    let graph = partial_graph(engine, from, &goal, limits);
    let answer = find_paths(engine, &graph, from, &goal, limits);
    if args.json {
        out.json(&answer.paths)?;
        return Ok(ExitCode::SUCCESS);
    }
    if answer.paths.is_empty() {
        writeln!(
            out,
            "No path from {} to a principal that {}.",
            answer.from, answer.goal
        )?;
        return Ok(ExitCode::from(1));
    }
    for (i, path) in answer.edges.iter().enumerate() {
        if path.is_empty() {
            writeln!(out, "{} already {}.", answer.from, answer.goal)?;
            continue;
        }
        writeln!(
            out,
            "Path {} ({} hop(s)) to a principal that {}:",
            i + 1,
            path.len(),
            answer.goal
        )?;
        write!(out, "{}", render_path(engine, &graph, path))?;
    }
    Ok(ExitCode::SUCCESS)
}
