//! `iamscope who-can ACTION RESOURCE`.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;

use super::context_args::ContextArgs;
use super::output::Output;
use super::BundleArg;
use crate::eval::Engine;
use crate::query::explain::deciding;
use crate::query::who_can::{who_can, who_can_escalation, WhoCanOptions};
use crate::sanitize::display as safe;

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
    /// Print JSON: an array of {principal, decision, missing_keys, via, note?,
    /// statements} (statements: the deciding statements of a direct row).
    #[arg(long)]
    pub json: bool,
}

/// Runs `who-can`.
pub fn run(args: &WhoCanArgs, out: &mut Output) -> anyhow::Result<ExitCode> {
    args.context.context()?;
    let account = args.bundle.load().context("loading the account")?;
    let query = args.context.query(&args.action, &args.resource, &account)?;
    let engine = Engine::new(&account);
    let rows = if args.escalation {
        who_can_escalation(&engine, &query)
    } else {
        who_can(&engine, &query, WhoCanOptions::default())
    };
    if args.json {
        let rows: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                let mut v = serde_json::to_value(r).unwrap_or_default();
                let statements = if r.via.is_empty() {
                    deciding(&engine, &r.principal, &query)
                } else {
                    Vec::new()
                };
                v["statements"] = serde_json::json!(statements);
                v
            })
            .collect();
        out.json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        writeln!(
            out,
            "Nobody can {} on {}.",
            safe(&args.action),
            safe(&args.resource)
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "Who can {} on {}:",
        safe(&args.action),
        safe(&args.resource)
    )?;
    for r in &rows {
        let mut line = format!("  {:<11} {}", r.decision, safe(&r.principal));
        if !r.missing_keys.is_empty() {
            line += &format!("   (depends on {})", safe(&r.missing_keys.join(", ")));
        }
        if let Some(note) = &r.note {
            line += &format!("   [{}]", safe(note));
        }
        writeln!(out, "{line}")?;
        for hop in &r.via {
            writeln!(
                out,
                "      via {} --{}--> {}",
                safe(&hop.from),
                hop.kind,
                safe(&hop.to)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
