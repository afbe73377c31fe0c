//! `iamscope can PRINCIPAL ACTION RESOURCE`: one decision, with AWS's reasoning.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;

use super::context_args::ContextArgs;
use super::output::Output;
use super::BundleArg;
use crate::eval::{Decision, Engine, Trace};
use crate::query::resolve::{resolve_caller, ResolvedCaller};
use crate::sanitize::display as safe;

/// Arguments of `can`.
#[derive(Debug, Args)]
pub struct CanArgs {
    /// The principal: user or role name, `user/NAME`, `role/NAME`, an ARN (user, role,
    /// assumed-role session, another account's principal), or a service principal.
    pub principal: String,
    /// The action, e.g. `s3:GetObject`.
    pub action: String,
    /// The resource ARN, or `*`.
    pub resource: String,
    #[command(flatten)]
    pub bundle: BundleArg,
    #[command(flatten)]
    pub context: ContextArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// The exit code of a decision: 0 Allow, 1 deny, 3 Conditional.
pub fn exit_code(d: &Decision) -> ExitCode {
    match d {
        Decision::Allow => ExitCode::SUCCESS,
        Decision::ExplicitDeny | Decision::ImplicitDeny => ExitCode::from(1),
        Decision::Conditional { .. } => ExitCode::from(3),
    }
}

/// Runs `can`.
pub fn run(args: &CanArgs, out: &mut Output) -> anyhow::Result<ExitCode> {
    args.context.context()?;
    let account = args.bundle.load().context("loading the account")?;
    let query = args.context.query(&args.action, &args.resource, &account)?;
    let engine = Engine::new(&account);
    let resolved = match resolve_caller(&engine, &args.principal)? {
        ResolvedCaller::Local(p) => engine.facts(p).caller.arn.clone(),
        ResolvedCaller::Other(text) => text,
    };
    let mut trace = Trace::default();
    let decision = engine.decide_arn(&args.principal, &query, Some(&mut trace));
    if args.json {
        let answer = serde_json::json!({
            "principal": resolved,
            "action": args.action,
            "resource": args.resource,
            "decision": decision.name(),
            "missing_keys": decision.missing_keys(),
            "reasons": decision.reasons(),
            "statements": crate::query::explain::deciding_statements(&decision, &trace),
            "trace": trace,
        });
        out.json(&answer)?;
    } else {
        writeln!(
            out,
            "{} {} on {}: {decision}",
            safe(&resolved),
            safe(&args.action),
            safe(&args.resource)
        )?;
        writeln!(out)?;
        write!(out, "{trace}")?;
    }
    Ok(exit_code(&decision))
}
