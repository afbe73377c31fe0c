//! `iamscope samples`: the sample accounts built into the binary.

use std::fmt::Write as _;
use std::process::ExitCode;

use super::output::Output;
use crate::samples;

/// Lists the samples, the default first.
pub fn run(out: &mut Output) -> anyhow::Result<ExitCode> {
    for (i, sample) in samples::all().iter().enumerate() {
        let default = if i == 0 { " (default)" } else { "" };
        writeln!(out, "{:<12} {}{default}", sample.name, sample.description())?;
    }
    writeln!(
        out,
        "\nOpen one with `iamscope --sample NAME`, or `-b sample:NAME` for any subcommand."
    )?;
    Ok(ExitCode::SUCCESS)
}
