//! `iamscope simulate FILE`: run self-contained scenarios (the eval-cases format).

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use clap::Args;

use super::output::Output;
use crate::eval::scenario::{parse_scenarios, run as run_scenario};
use crate::load::LoadError;
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

/// Runs `simulate`: exit 0 when every scenario decides as its `expected` says (or has
/// none), 1 when one does not, 2 when the file cannot be read.
pub fn run(args: &SimulateArgs, out: &mut Output) -> anyhow::Result<ExitCode> {
    let text = crate::load::read_text(&args.file)?;
    let scenarios = parse_scenarios(&text)
        .map_err(|e| LoadError::parse_error(&args.file, (e.line, e.column), &e.path, &e.message))?;
    let results: Vec<_> = scenarios.iter().map(run_scenario).collect();
    let unexpected = scenarios
        .iter()
        .zip(&results)
        .filter(|(s, r)| s.expected.as_deref().is_some_and(|e| e != r.decision))
        .count();
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
    if unexpected > 0 {
        let _ = writeln!(
            std::io::stderr(),
            "{unexpected} of {} scenarios decided otherwise than expected",
            scenarios.len()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
