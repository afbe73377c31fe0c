//! Command-line interface: argument definitions and dispatch.
//!
//! Exit codes: 0 success (or Allow), 1 deny, 2 error, 3 conditional.

mod blast;
mod bundle_arg;
mod can;
mod context_args;
mod context_keys;
mod findings;
mod graph;
mod lessons;
mod output;
mod paths;
mod principal_arg;
mod quiz;
mod samples;
mod simulate;
mod statements;
mod summary;
mod text;
mod trust;
mod what_can;
mod who_can;

use std::io::Write as _;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use bundle_arg::BundleArg;
pub use output::Output;

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
    /// Show values that look like secret access keys or session tokens instead of
    /// masking them (in text, JSON and the explorer).
    #[arg(long, global = true)]
    show_secrets: bool,
    /// Keep no study progress (lessons done, quiz scores) in the data directory.
    #[arg(long)]
    no_save: bool,
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
    /// If PRINCIPAL's credentials leak: whom it can become by hop, what it can do as
    /// each, whether it reaches admin, the sensitive data within reach (exit 1 if admin).
    Blast(blast::BlastArgs),
    /// How could FROM become TO (a principal, or `admin`): trust chains and escalation.
    Paths(paths::PathsArgs),
    /// Who can assume ROLE, directly and through other principals, and under which conditions.
    Trust(trust::TrustArgs),
    /// The condition keys the account's policies reference (worth giving with --context).
    ContextKeys(context_keys::ContextKeysArgs),
    /// A policy's statements, numbered and named as traces and evidence name them.
    Statements(statements::StatementsArgs),
    /// The whole trust and escalation graph as DOT, Mermaid or JSON.
    Graph(graph::GraphArgs),
    /// Audit the account: risky trust, privilege, external access, credentials, unused
    /// access and invalid policies, each with evidence (exit 1 when --fail-on is met).
    Findings(findings::FindingsArgs),
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
    crate::sanitize::set_show_secrets(cli.show_secrets);
    let mut out = Output::new();
    let result = match cli.command {
        Some(Command::Summary(args)) => summary::run(&args, &mut out),
        Some(Command::Can(args)) => can::run(&args, &mut out),
        Some(Command::Simulate(args)) => simulate::run(&args, &mut out),
        Some(Command::WhoCan(args)) => who_can::run(&args, &mut out),
        Some(Command::WhatCan(args)) => what_can::run(&args, &mut out),
        Some(Command::Paths(args)) => paths::run(&args, &mut out),
        Some(Command::Blast(args)) => blast::run(&args, &mut out),
        Some(Command::ContextKeys(args)) => context_keys::run(&args, &mut out),
        Some(Command::Statements(args)) => statements::run(&args, &mut out),
        Some(Command::Trust(args)) => trust::run(&args, &mut out),
        Some(Command::Graph(args)) => graph::run(&args, &mut out),
        Some(Command::Findings(args)) => findings::run(&args, &mut out),
        Some(Command::Samples) => samples::run(&mut out),
        Some(Command::Quiz(args)) => quiz::run(&args, &mut out),
        Some(Command::Lessons(args)) => lessons::run(&args, &mut out),
        None => {
            let bundle = cli.sample.map(|s| format!("sample:{s}")).or(cli.path);
            let options = crate::tui::Options {
                no_save: cli.no_save,
                ..crate::tui::Options::default()
            };
            crate::tui::main(bundle, options)
        }
    };
    let code = match result {
        Ok(code) => code,
        Err(error) => return fail(&format!("{error:#}")),
    };
    match out.write_to(&mut std::io::stdout().lock()) {
        Ok(()) => code,
        // A closed pipe (`iamscope graph | head`) is not an error: the reader has
        // what it wanted.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => fail(&format!("cannot write the output: {e}")),
    }
}

/// Prints `message` (made safe: it may quote input) to standard error; exit code 2.
fn fail(message: &str) -> ExitCode {
    let message = crate::sanitize::mask_unless_shown(message);
    let _ = writeln!(
        std::io::stderr(),
        "error: {}",
        crate::sanitize::terminal_safe_lines(&message)
    );
    ExitCode::from(EXIT_ERROR)
}
