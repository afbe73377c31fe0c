//! `iamscope summary`.

use std::process::ExitCode;

use clap::Args;

use super::BundleArg;

/// Arguments of `summary`.
#[derive(Debug, Args)]
pub struct SummaryArgs {
    #[command(flatten)]
    bundle: BundleArg,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

impl SummaryArgs {
    /// Summary of the account at `path` (the bare `iamscope [PATH]` form).
    pub fn for_path(path: Option<String>) -> SummaryArgs {
        SummaryArgs {
            bundle: BundleArg { bundle: path },
            json: false,
        }
    }
}

/// Runs `summary`.
pub fn run(args: &SummaryArgs) -> anyhow::Result<ExitCode> {
    let account = args.bundle.load()?;
    println!("{} {}", account.id, args.json);
    Ok(ExitCode::SUCCESS)
}
