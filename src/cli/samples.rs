//! `iamscope samples`: the sample accounts built into the binary.

use std::process::ExitCode;

use crate::samples;

/// Lists the samples, the default first.
pub fn run() -> anyhow::Result<ExitCode> {
    for (i, sample) in samples::all().iter().enumerate() {
        let default = if i == 0 { " (default)" } else { "" };
        println!("{:<12} {}{default}", sample.name, sample.description());
    }
    println!("\nOpen one with `iamscope --sample NAME`, or `-b sample:NAME` for any subcommand.");
    Ok(ExitCode::SUCCESS)
}
