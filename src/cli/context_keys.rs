//! `iamscope context-keys`: the condition keys the account's policies reference — the
//! keys worth giving with `--context` / `--absent` (and the TUI's context editor).

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;

use super::output::Output;

use super::BundleArg;
use crate::query::context_keys::referenced_keys;

/// Arguments of `context-keys`.
#[derive(Debug, Args)]
pub struct ContextKeysArgs {
    #[command(flatten)]
    pub bundle: BundleArg,
    /// Print JSON: an array of key names.
    #[arg(long)]
    pub json: bool,
}

/// Runs `context-keys`.
pub fn run(args: &ContextKeysArgs, out: &mut Output) -> anyhow::Result<ExitCode> {
    let account = args.bundle.load().context("loading the account")?;
    let keys = referenced_keys(&account);
    if args.json {
        out.json(&keys)?;
    } else {
        for k in keys {
            writeln!(out, "{k}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
