//! `iamscope simulate FILE`: run self-contained scenarios (the eval-cases format).

use std::fmt::Write as _;
use std::io::Read;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;

use super::output::Output;
use crate::eval::scenario::{parse_scenarios, run as run_scenario};
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
    let text = if args.file == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading stdin")?;
        s
    } else {
        std::fs::read_to_string(&args.file).with_context(|| format!("reading {}", args.file))?
    };
    let scenarios =
        parse_scenarios(&text).with_context(|| format!("{}: not a scenario file", args.file))?;
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
