//! `iamscope trust ROLE`.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use clap::Args;

use super::output::Output;
use super::{principal_arg, BundleArg};
use crate::eval::{Engine, PrincipalRef};
use crate::graph::Graph;
use crate::query::trust::trust;
use crate::sanitize::display as safe;

/// Arguments of `trust`.
#[derive(Debug, Args)]
pub struct TrustArgs {
    /// The role: name, `role/NAME`, or ARN.
    pub role: String,
    #[command(flatten)]
    pub bundle: BundleArg,
    /// Print JSON: {role, direct: [hop], transitive: [{principal, hops, path}], administrators}.
    #[arg(long)]
    pub json: bool,
}

/// Runs `trust`.
pub fn run(args: &TrustArgs, out: &mut Output) -> anyhow::Result<ExitCode> {
    let account = args.bundle.load().context("loading the account")?;
    let engine = Engine::new(&account);
    let text = if args.role.starts_with("arn:") || args.role.starts_with("role/") {
        args.role.clone()
    } else {
        format!("role/{}", args.role)
    };
    let PrincipalRef::Role(role) = principal_arg::resolve(&engine, &text)? else {
        bail!("{} is not a role", args.role);
    };
    // Who can reach the role needs only the grants into what can reach it.
    let graph = Graph::build_towards(&engine, &[PrincipalRef::Role(role)]);
    let report = trust(&engine, &graph, role);
    if args.json {
        out.json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "Who can become {}", safe(&report.role))?;
    writeln!(out, "\nDirectly ({}):", report.direct.len())?;
    for hop in &report.direct {
        let mut line = format!("  {:<28} {}", hop.kind, safe(&hop.from));
        if hop.conditional {
            let mut why = hop.missing_keys.clone();
            why.extend(hop.assumptions.iter().cloned());
            line += &format!("\n      only if: {}", safe(&why.join("; ")));
        }
        writeln!(out, "{line}")?;
        for ev in &hop.evidence {
            writeln!(
                out,
                "      {} allowed by {}",
                safe(&ev.action),
                safe(&ev.statements.join(", "))
            )?;
            for c in &ev.conditions {
                writeln!(out, "        when {}", safe(c))?;
            }
        }
    }
    if !report.transitive.is_empty() {
        writeln!(
            out,
            "\nThrough other principals ({}):",
            report.transitive.len()
        )?;
        for t in &report.transitive {
            let chain: Vec<String> = t
                .path
                .iter()
                .map(|h| format!("--{}--> {}", h.kind, safe(&h.to)))
                .collect();
            writeln!(
                out,
                "  {} hops  {} {}",
                t.hops,
                safe(&t.principal),
                chain.join(" ")
            )?;
        }
    }
    if !report.administrators.is_empty() {
        writeln!(
            out,
            "\nAdministrators, or principals that can make themselves one ({}), can act as any role:",
            report.administrators.len()
        )?;
        for a in &report.administrators {
            writeln!(out, "  {}", safe(a))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
