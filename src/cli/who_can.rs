//! `iamscope who-can ACTION RESOURCE`.

use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;

use super::context_args::ContextArgs;
use super::BundleArg;
use crate::eval::Engine;
use crate::graph::Graph;
use crate::query::who_can::{who_can, WhoCanOptions};

/// Arguments of `who-can`.
#[derive(Debug, Args)]
pub struct WhoCanArgs {
    /// The action, e.g. `s3:GetObject`.
    pub action: String,
    /// The resource ARN, or `*`.
    pub resource: String,
    #[command(flatten)]
    pub bundle: BundleArg,
    #[command(flatten)]
    pub context: ContextArgs,
    /// Also list principals that get there by assuming roles or escalating privileges.
    #[arg(long)]
    pub escalation: bool,
    /// Print JSON: an array of {principal, decision, missing_keys, via, note?}.
    #[arg(long)]
    pub json: bool,
}

/// Runs `who-can`.
pub fn run(args: &WhoCanArgs) -> anyhow::Result<ExitCode> {
    args.context.context()?;
    let account = args.bundle.load().context("loading the account")?;
    let query = args.context.query(&args.action, &args.resource, &account)?;
    let engine = Engine::new(&account);
    let graph = args.escalation.then(|| Graph::build(&engine));
    let rows = who_can(
        &engine,
        &query,
        WhoCanOptions {
            through: graph.as_ref(),
        },
    );
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        println!("Nobody can {} on {}.", args.action, args.resource);
        return Ok(ExitCode::SUCCESS);
    }
    println!("Who can {} on {}:", args.action, args.resource);
    for r in &rows {
        let mut line = format!("  {:<11} {}", r.decision, r.principal);
        if !r.missing_keys.is_empty() {
            line += &format!("   (depends on {})", r.missing_keys.join(", "));
        }
        if let Some(note) = &r.note {
            line += &format!("   [{note}]");
        }
        println!("{line}");
        for hop in &r.via {
            println!("      via {} --{}--> {}", hop.from, hop.kind, hop.to);
        }
    }
    Ok(ExitCode::SUCCESS)
}
