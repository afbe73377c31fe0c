//! `iamscope-gen`: writes a synthetic `get-account-authorization-details` document.

use std::fs::File;
use std::io;
use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use iamscope::synth::{write_gaad, write_org, SynthOptions};

/// Generate a deterministic, realistic AWS IAM account export (GAAD JSON).
#[derive(Parser, Debug)]
#[command(name = "iamscope-gen", version)]
struct Args {
    /// Number of IAM users.
    #[arg(long, default_value_t = 50)]
    users: usize,
    /// Number of IAM roles.
    #[arg(long, default_value_t = 50)]
    roles: usize,
    /// Number of IAM groups.
    #[arg(long, default_value_t = 10)]
    groups: usize,
    /// Number of managed policies (AWS managed, boundaries and customer managed).
    #[arg(long, default_value_t = 40)]
    policies: usize,
    /// PRNG seed; equal options give byte-identical output.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Account id used in ARNs.
    #[arg(long, default_value = "123456789012")]
    account_id: String,
    /// Fraction of policy documents written URL-encoded, as the raw API returns them.
    #[arg(long, default_value_t = 0.0)]
    url_encoded_fraction: f64,
    /// Generate an organization of this many accounts (each with the counts above,
    /// ids counting up from --account-id, trusting each other), written as an
    /// organization bundle into the --output folder.
    #[arg(long)]
    accounts: Option<usize>,
    /// Output file (default: standard output); with --accounts, the folder to create.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

fn main() {
    if let Err(e) = run(Args::parse()) {
        eprintln!("iamscope-gen: {e:#}");
        std::process::exit(1);
    }
}

fn run(args: Args) -> anyhow::Result<()> {
    if !(0.0..=1.0).contains(&args.url_encoded_fraction) {
        anyhow::bail!("--url-encoded-fraction must be between 0 and 1");
    }
    if args.account_id.len() != 12 || !args.account_id.bytes().all(|b| b.is_ascii_digit()) {
        anyhow::bail!("--account-id must be 12 digits");
    }
    let opts = SynthOptions {
        users: args.users,
        roles: args.roles,
        groups: args.groups,
        policies: args.policies,
        seed: args.seed,
        account_id: args.account_id,
        url_encoded_fraction: args.url_encoded_fraction,
        org_accounts: Vec::new(),
    };
    if let Some(n) = args.accounts {
        let Some(dir) = &args.output else {
            anyhow::bail!("--accounts writes a folder: give it with --output DIR");
        };
        if n == 0 {
            anyhow::bail!("--accounts must be at least 1");
        }
        return write_org(&opts, n, dir).with_context(|| format!("writing {}", dir.display()));
    }
    match &args.output {
        Some(path) => {
            let file =
                File::create(path).with_context(|| format!("creating {}", path.display()))?;
            write_gaad(&opts, file).with_context(|| format!("writing {}", path.display()))
        }
        None => write_gaad(&opts, io::stdout().lock()).context("writing to standard output"),
    }
}
