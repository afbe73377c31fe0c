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
    /// JSON with ARNs: {nodes, sets, edges}; an edge to or from a set stands for each member.
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
    drop(engine);
    // The exporters write as they go; the text then goes through `Output`, which
    // masks secrets and escapes control characters from data.
    let mut text = Vec::new();
    match args.format {
        Format::Dot => graph.write_dot(&account, &mut text)?,
        Format::Mermaid => graph.write_mermaid(&account, &mut text)?,
        Format::Json => graph.write_json(&account, &mut text)?,
    }
    out.write_str(&String::from_utf8_lossy(&text))?;
    Ok(ExitCode::SUCCESS)
}
