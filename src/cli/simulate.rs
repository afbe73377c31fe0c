//! `iamscope simulate FILE`: run self-contained scenarios (the eval-cases format).

use std::fmt::Write as _;
use std::process::ExitCode;

use clap::Args;

use super::output::Output;
use crate::eval::scenario::{run as run_scenario, Scenario};
use crate::sanitize::display as safe;

/// Arguments of `simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// A JSON file holding one scenario object or an array of them, or - for stdin.
    pub file: String,
    /// Print a JSON array, one object per scenario: name, decision, missing_keys, trace.
    #[arg(long)]
    pub json: bool,
}

/// Runs `simulate`; exit 0 when every scenario ran.
pub fn run(args: &SimulateArgs, out: &mut Output) -> anyhow::Result<ExitCode> {
    let scenarios: Vec<Scenario> = crate::load::read_one_or_many(&args.file)?;
    let results: Vec<_> = scenarios.iter().map(run_scenario).collect();
    if args.json {
        out.json(&results)?;
    } else {
        for (s, r) in scenarios.iter().zip(&results) {
            let verdict = match s.expected.as_deref() {
                Some(e) if e == r.decision => " (as expected)".to_string(),
                Some(e) => format!(" (EXPECTED {e})"),
                None => String::new(),
            };
            writeln!(out, "== {}: {}{verdict}", safe(&r.name), r.full)?;
            write!(out, "{}", r.trace)?;
            writeln!(out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
