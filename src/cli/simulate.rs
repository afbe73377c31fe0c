//! `iamscope simulate FILE`: run self-contained scenarios (the eval-cases format).

use std::io::Read;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;

use crate::eval::scenario::{parse_scenarios, run as run_scenario};

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
pub fn run(args: &SimulateArgs) -> anyhow::Result<ExitCode> {
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
    let unexpected = scenarios
        .iter()
        .zip(&results)
        .filter(|(s, r)| s.expected.as_deref().is_some_and(|e| e != r.decision))
        .count();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&results)?);
    } else {
        for (s, r) in scenarios.iter().zip(&results) {
            let verdict = match s.expected.as_deref() {
                Some(e) if e == r.decision => " (as expected)".to_string(),
                Some(e) => format!(" (EXPECTED {e})"),
                None => String::new(),
            };
            println!("== {}: {}{verdict}", r.name, r.full);
            print!("{}", r.trace);
            println!();
        }
    }
    if unexpected > 0 {
        eprintln!(
            "{unexpected} of {} scenarios decided otherwise than expected",
            scenarios.len()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
