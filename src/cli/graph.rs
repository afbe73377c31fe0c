//! `iamscope graph --format dot|mermaid|json`.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, ValueEnum};

use super::output::Output;
use super::BundleArg;
use crate::eval::Engine;
use crate::graph::Graph;

/// Output formats of `graph`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// Graphviz DOT (`| dot -Tsvg > graph.svg`).
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
    /// JSON with ARNs: {nodes, edges}.
    Json,
}

/// Arguments of `graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    #[command(flatten)]
    pub bundle: BundleArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Dot)]
    pub format: Format,
}

/// Runs `graph`.
pub fn run(args: &GraphArgs, out: &mut Output) -> anyhow::Result<ExitCode> {
    let account = args.bundle.load().context("loading the account")?;
    let engine = Engine::new(&account);
    let graph = Graph::build(&engine);
    match args.format {
        Format::Dot => out.write_str(&graph.to_dot(&account))?,
        Format::Mermaid => out.write_str(&graph.to_mermaid(&account))?,
        Format::Json => out.json(&graph.to_json(&account))?,
    }
    Ok(ExitCode::SUCCESS)
}
