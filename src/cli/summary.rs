//! `iamscope summary`: the account at a glance.

use std::fmt::Write as _;
use std::process::ExitCode;

use clap::Args;

use super::output::Output;
use super::BundleArg;
use crate::query::summary::{summarize, Summary};
use crate::sanitize::display as safe;

/// Arguments of `summary`.
#[derive(Debug, Args)]
pub struct SummaryArgs {
    #[command(flatten)]
    bundle: BundleArg,
    /// Print JSON (stable keys: account_id, alias, partition, source, counts, parts,
    /// invalid_policies, warnings).
    #[arg(long)]
    json: bool,
}

/// Runs `summary`.
pub fn run(args: &SummaryArgs, out: &mut Output) -> anyhow::Result<ExitCode> {
    let account = args.bundle.load()?;
    let summary = summarize(&account);
    if args.json {
        out.json(&summary)?;
    } else {
        write!(out, "{}", render_text(&summary))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn yes_no(present: bool) -> &'static str {
    if present {
        "yes"
    } else {
        "no"
    }
}

/// The human-readable summary.
pub fn render_text(s: &Summary) -> String {
    let mut out = String::new();
    let alias = s
        .alias
        .as_deref()
        .map(|a| format!(" ({})", safe(a)))
        .unwrap_or_default();
    out += &format!(
        "Account {}{alias}  partition {}\n",
        safe(&s.account_id),
        safe(&s.partition)
    );
    out += &format!("Source  {}\n\n", safe(&s.source));
    let c = &s.counts;
    let rows = [
        ("Users", c.users),
        ("Groups", c.groups),
        ("Roles", c.roles),
        ("Instance profiles", c.instance_profiles),
        ("Managed policies", c.managed_policies),
        ("  customer-managed", c.customer_managed_policies),
        ("Inline policies", c.inline_policies),
        ("SAML providers", c.saml_providers),
        ("OIDC providers", c.oidc_providers),
        ("SCPs", c.scps),
        ("RCPs", c.rcps),
        ("Resource policies", c.resource_policies),
        ("Credential report rows", c.credential_report_rows),
    ];
    for (label, n) in rows {
        out += &format!("  {label:<24}{n:>6}\n");
    }
    if !s.accounts.is_empty() {
        out += &format!(
            "\nAccounts ({}; the counts above are the totals)\n",
            s.accounts.len()
        );
        out += &format!(
            "  {:<14}{:<22}{:>6}{:>7}{:>6}{:>10}{:>10}{:>6}{:>6}\n",
            "account", "name", "users", "groups", "roles", "policies", "resource", "SCPs", "RCPs"
        );
        for a in &s.accounts {
            let name = a.name.as_deref().or(a.alias.as_deref()).unwrap_or("-");
            out += &format!(
                "  {:<14}{:<22}{:>6}{:>7}{:>6}{:>10}{:>10}{:>6}{:>6}\n",
                safe(&a.account_id),
                safe(name),
                a.users,
                a.groups,
                a.roles,
                a.customer_managed_policies,
                a.resource_policies,
                a.scps,
                a.rcps
            );
        }
    }
    let p = &s.parts;
    out += "\nBundle parts\n";
    let parts = [
        ("account-aliases.json", p.account_aliases, ""),
        ("saml-providers.json", p.saml_providers, ""),
        ("oidc-providers/", p.oidc_providers, ""),
        ("instance-profiles.json", p.instance_profiles, ""),
        ("organizations/ (SCPs)", p.scps, "SCPs not evaluated"),
        ("organizations/ (RCPs)", p.rcps, "RCPs not evaluated"),
        (
            "resource-policies/",
            p.resource_policies,
            "resource policies not evaluated",
        ),
        ("credential-report.csv", p.credential_report, ""),
    ];
    for (label, present, consequence) in parts {
        let note = if !present && !consequence.is_empty() {
            format!("  ({consequence})")
        } else {
            String::new()
        };
        out += &format!("  {label:<24}{:>6}{note}\n", yes_no(present));
    }
    if s.invalid_policies > 0 {
        out += &format!(
            "\n{} invalid policies (what is invalid never grants; decisions it could deny are Conditional)\n",
            s.invalid_policies
        );
    }
    if !s.warnings.is_empty() {
        out += &format!("\nWarnings ({})\n", s.warnings.len());
        for w in &s.warnings {
            let at = w
                .json_path
                .as_deref()
                .map(|p| format!(": {}", safe(p)))
                .unwrap_or_default();
            let pos = match (w.line, w.column) {
                (Some(l), Some(c)) => format!(":{l}:{c}"),
                _ => String::new(),
            };
            out += &format!("  {}{pos}{at}: {}\n", safe(&w.file), safe(&w.message));
        }
    }
    out
}
