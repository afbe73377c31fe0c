//! `iamscope what-can PRINCIPAL`.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;

use super::output::Output;
use super::{principal_arg, BundleArg};
use crate::eval::Engine;
use crate::graph::Graph;
use crate::query::what_can::what_can;
use crate::sanitize::display as safe;

/// Arguments of `what-can`.
#[derive(Debug, Args)]
pub struct WhatCanArgs {
    /// The principal: user or role name, `user/NAME`, `role/NAME`, or ARN.
    pub principal: String,
    #[command(flatten)]
    pub bundle: BundleArg,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `what-can`.
pub fn run(args: &WhatCanArgs, out: &mut Output) -> anyhow::Result<ExitCode> {
    let account = args.bundle.load().context("loading the account")?;
    let engine = Engine::new(&account);
    let who = principal_arg::resolve(&engine, &args.principal)?;
    // Its reach needs only what a search from it walks.
    let graph = Graph::build_from(&engine, who);
    let answer = what_can(&engine, Some(&graph), who);
    if args.json {
        out.json(&answer)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{}", safe(&answer.principal))?;
    if answer.administrator {
        writeln!(
            out,
            "  ADMINISTRATOR: can become any principal of the account"
        )?;
    }
    for technique in &answer.self_escalation {
        writeln!(out, "  can make itself an administrator: {technique}")?;
    }
    for service in &answer.services {
        let total: usize = service.levels.values().map(Vec::len).sum();
        writeln!(out, "\n  {} ({total} actions)", service.service)?;
        for (level, actions) in &service.levels {
            let names: Vec<String> = actions
                .iter()
                .map(|a| {
                    let name = a.action.split_once(':').map_or(a.action.as_str(), |x| x.1);
                    if a.decision == "Allow" {
                        name.to_string()
                    } else {
                        format!("{name}?")
                    }
                })
                .collect();
            let shown = if names.len() > 12 {
                format!("{} … (+{} more)", names[..12].join(", "), names.len() - 12)
            } else {
                names.join(", ")
            };
            writeln!(out, "    {level:<23} {shown}")?;
        }
    }
    if !answer.reachable.is_empty() {
        writeln!(out, "\n  Can become ({}):", answer.reachable.len())?;
        for r in &answer.reachable {
            writeln!(out, "    {} hop(s)  {}", r.hops, safe(&r.principal))?;
        }
    }
    writeln!(
        out,
        "\n  (? = only under some context; see `iamscope can` for the trace)"
    )?;
    Ok(ExitCode::SUCCESS)
}
