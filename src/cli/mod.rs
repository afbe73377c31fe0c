//! Command-line interface: argument definitions and dispatch.
//!
//! Exit codes: 0 success (or Allow), 1 deny, 2 error, 3 conditional.

mod bundle_arg;
mod can;
mod context_args;
mod graph;
mod lessons;
mod paths;
mod principal_arg;
mod quiz;
mod samples;
mod simulate;
mod summary;
mod text;
mod trust;
mod what_can;
mod who_can;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use bundle_arg::BundleArg;

/// Exit code for errors: bad input, bad arguments.
pub const EXIT_ERROR: u8 = 2;

/// Explore an AWS account's IAM offline.
#[derive(Debug, Parser)]
#[command(
    name = "iamscope",
    version,
    about = "Explore an AWS account's IAM offline: users, roles, policies, trust, and who can do what.",
    args_conflicts_with_subcommands = true,
    after_help = "With no subcommand, opens the account in the interactive explorer (a bundle folder, \
                  a GAAD file or - for stdin; default: the first sample account). Press ? there for the keys. \
                  Without a terminal, use a subcommand such as `summary`."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Bundle folder, get-account-authorization-details JSON file, or - for stdin.
    #[arg(value_name = "PATH", env = "IAMSCOPE_BUNDLE")]
    path: Option<String>,
    /// Open a sample account by name instead (see `iamscope samples`).
    #[arg(long, value_name = "NAME", conflicts_with = "path")]
    sample: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Account id and alias, counts of every entity kind, bundle parts, load warnings.
    Summary(summary::SummaryArgs),
    /// Can PRINCIPAL do ACTION on RESOURCE? AWS's decision, step by step (exit 0 allow, 1 deny, 3 conditional).
    Can(can::CanArgs),
    /// Run evaluation scenarios from a JSON file (the eval-cases format).
    Simulate(simulate::SimulateArgs),
    /// Who can do ACTION on RESOURCE: every principal allowed, with --escalation also
    /// those that get there through roles and privilege escalation.
    WhoCan(who_can::WhoCanArgs),
    /// What can PRINCIPAL do: actions by service and access level, and every principal
    /// it can become (blast radius).
    WhatCan(what_can::WhatCanArgs),
    /// How could FROM become TO (a principal, or `admin`): trust chains and escalation.
    Paths(paths::PathsArgs),
    /// Who can assume ROLE, directly and through other principals, and under which conditions.
    Trust(trust::TrustArgs),
    /// The whole trust and escalation graph as DOT, Mermaid or JSON.
    Graph(graph::GraphArgs),
    /// List the sample accounts built into iamscope.
    Samples,
    /// Quiz questions generated from the account, graded by the evaluator.
    Quiz(quiz::QuizArgs),
    /// The study lessons, or one lesson's text.
    Lessons(lessons::LessonsArgs),
}

/// Parses the process arguments and runs the command; returns the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Summary(args)) => summary::run(&args),
        Some(Command::Can(args)) => can::run(&args),
        Some(Command::Simulate(args)) => simulate::run(&args),
        Some(Command::WhoCan(args)) => who_can::run(&args),
        Some(Command::WhatCan(args)) => what_can::run(&args),
        Some(Command::Paths(args)) => paths::run(&args),
        Some(Command::Trust(args)) => trust::run(&args),
        Some(Command::Graph(args)) => graph::run(&args),
        Some(Command::Samples) => samples::run(),
        Some(Command::Quiz(args)) => quiz::run(&args),
        Some(Command::Lessons(args)) => lessons::run(&args),
        None => {
            let bundle = cli.sample.map(|s| format!("sample:{s}")).or(cli.path);
            crate::tui::main(bundle, crate::tui::Options::default())
        }
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}
