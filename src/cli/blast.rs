//! `iamscope blast PRINCIPAL`: what the principal can reach if its credentials leak.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;

use super::output::Output;

use super::{principal_arg, BundleArg};
use crate::eval::Engine;
use crate::graph::Graph;
use crate::query::blast::blast;

/// Arguments of `blast`.
#[derive(Debug, Args)]
pub struct BlastArgs {
    /// The principal: user or role name, `user/NAME`, `role/NAME`, or ARN.
    pub principal: String,
    #[command(flatten)]
    pub bundle: BundleArg,
    /// Print JSON: {principal, admin_path, reached: [{principal, hops, path,
    /// conditional, administrator, self_escalation, services}], sensitive,
    /// every_principal}.
    #[arg(long)]
    pub json: bool,
}

/// Runs `blast`. Exit 0, or 1 when an administrator is within reach (so a script can
/// flag it).
pub fn run(args: &BlastArgs, out: &mut Output) -> anyhow::Result<ExitCode> {
    let account = args.bundle.load().context("loading the account")?;
    let engine = Engine::new(&account);
    let who = principal_arg::resolve(&engine, &args.principal)?;
    // Its reach needs only what a search from it walks.
    let graph = Graph::build_from(&engine, who);
    let answer = blast(&engine, &graph, who);
    let code = if answer.reaches_admin() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    if args.json {
        out.json(&answer)?;
        return Ok(code);
    }
    writeln!(out, "Blast radius of {}", answer.principal)?;
    match &answer.admin_path {
        Some(p) if p.is_empty() => writeln!(out, "  ADMIN: it is an administrator")?,
        Some(p) => {
            let way: Vec<String> = p
                .iter()
                .map(|h| format!("--{}--> {}", h.kind, h.to))
                .collect();
            writeln!(
                out,
                "  ADMIN reached in {} hop(s): {}",
                p.len(),
                way.join(" ")
            )?;
        }
        None => writeln!(out, "  no administrator within reach")?,
    }
    if let Some(n) = answer.every_principal {
        writeln!(
            out,
            "  as an administrator it can become any of the account's {n} other principals"
        )?;
    }
    writeln!(out)?;
    for r in &answer.reached {
        let how = match r.path.last() {
            None => "itself".to_string(),
            Some(h) => format!("{} hop(s), last by {}", r.hops, h.kind),
        };
        let admin = if r.administrator { "  ADMIN" } else { "" };
        let cond = if r.conditional { "  (conditional)" } else { "" };
        writeln!(out, "  {}  [{how}]{admin}{cond}", r.principal)?;
        for s in &r.services {
            let levels: Vec<String> = s.levels.iter().map(|(l, n)| format!("{l} {n}")).collect();
            writeln!(out, "      {:<16} {}", s.service, levels.join(", "))?;
        }
    }
    if !answer.sensitive.is_empty() {
        writeln!(out, "\n  Sensitive data actions within reach:")?;
        for s in &answer.sensitive {
            writeln!(out, "    {}", s.resource)?;
            for g in &s.grants {
                writeln!(
                    out,
                    "      {:<32} as {} ({})",
                    g.action, g.principal, g.decision
                )?;
            }
        }
    }
    Ok(code)
}
