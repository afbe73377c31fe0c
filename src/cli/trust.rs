//! `iamscope trust ROLE`.

use std::process::ExitCode;

use anyhow::{bail, Context as _};
use clap::Args;

use super::{principal_arg, BundleArg};
use crate::eval::{Engine, PrincipalRef};
use crate::graph::Graph;
use crate::query::trust::trust;

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
pub fn run(args: &TrustArgs) -> anyhow::Result<ExitCode> {
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
    let graph = Graph::build(&engine);
    let report = trust(&engine, &graph, role);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("Who can become {}", report.role);
    println!("\nDirectly ({}):", report.direct.len());
    for hop in &report.direct {
        let mut line = format!("  {:<28} {}", hop.kind, hop.from);
        if hop.conditional {
            let mut why = hop.missing_keys.clone();
            why.extend(hop.assumptions.iter().cloned());
            line += &format!("\n      only if: {}", why.join("; "));
        }
        println!("{line}");
        for ev in &hop.evidence {
            println!(
                "      {} allowed by {}",
                ev.action,
                ev.statements.join(", ")
            );
            for c in &ev.conditions {
                println!("        when {c}");
            }
        }
    }
    if !report.transitive.is_empty() {
        println!("\nThrough other principals ({}):", report.transitive.len());
        for t in &report.transitive {
            let chain: Vec<String> = t
                .path
                .iter()
                .map(|h| format!("--{}--> {}", h.kind, h.to))
                .collect();
            println!("  {} hops  {} {}", t.hops, t.principal, chain.join(" "));
        }
    }
    if !report.administrators.is_empty() {
        println!(
            "\nAdministrators, or principals that can make themselves one ({}), can act as any role:",
            report.administrators.len()
        );
        for a in &report.administrators {
            println!("  {a}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
