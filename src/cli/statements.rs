//! `iamscope statements POLICY`: a policy document's statements as the explorer's
//! details pane lists them, named as deciding statements and evidence name them.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use clap::Args;

use super::output::Output;

use super::BundleArg;
use crate::query::policy_lookup::policy_statements;

/// Arguments of `statements`.
#[derive(Debug, Args)]
pub struct StatementsArgs {
    /// A managed policy's name or ARN, `trust:ROLE`, `user/NAME:POLICY` (also `group/`,
    /// `role/`) for an inline policy, or `SERVICE:NAME` for a resource policy.
    pub policy: String,
    #[command(flatten)]
    pub bundle: BundleArg,
    /// Print JSON: {what, statements: [{sid, effect, actions, not_action, resources,
    /// not_resource, principals, not_principal, conditions}], invalid?}.
    #[arg(long)]
    pub json: bool,
}

/// Runs `statements`.
pub fn run(args: &StatementsArgs, out: &mut Output) -> anyhow::Result<ExitCode> {
    let account = args.bundle.load().context("loading the account")?;
    let Some(found) = policy_statements(&account, &args.policy) else {
        bail!("no policy {:?} in account {}", args.policy, account.id);
    };
    if args.json {
        out.json(&found)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{}", found.what)?;
    if let Some(why) = &found.invalid {
        writeln!(out, "  invalid: {why}")?;
    }
    for (i, st) in found.statements.iter().enumerate() {
        writeln!(out, "  {}: {}", st.label(i), st.summary())?;
    }
    Ok(ExitCode::SUCCESS)
}
