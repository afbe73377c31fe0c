//! `iamscope graph --format dot|mermaid|json`.

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
    // The exporters write as they go, and the text streams through `Output`'s masking
    // and escaping to standard output: nothing of the export is held in memory.
    let json = matches!(args.format, Format::Json);
    let written = out.stream_to(std::io::stdout().lock(), json, |mut w| match args.format {
        Format::Dot => graph.write_dot(&account, &mut w),
        Format::Mermaid => graph.write_mermaid(&account, &mut w),
        Format::Json => graph.write_json(&account, &mut w),
    });
    match written {
        // A closed pipe (`iamscope graph | head`) is not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            anyhow::bail!("cannot write the output: {e}")
        }
        _ => {}
    }
    Ok(ExitCode::SUCCESS)
}
