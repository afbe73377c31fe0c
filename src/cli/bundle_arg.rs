//! The `-b/--bundle` argument every subcommand takes.

use clap::Args;

use crate::load::{self, Input};
use crate::model::Account;

/// Where the account comes from.
#[derive(Debug, Clone, Default, Args)]
pub struct BundleArg {
    /// Bundle folder, get-account-authorization-details JSON file, or - for stdin
    /// [default: the first sample account].
    #[arg(
        short = 'b',
        long = "bundle",
        value_name = "PATH",
        env = "IAMSCOPE_BUNDLE"
    )]
    pub bundle: Option<String>,
}

impl BundleArg {
    /// The input this argument names.
    pub fn input(&self) -> Input {
        Input::from_arg(self.bundle.as_deref())
    }

    /// Loads the account, printing load warnings' count to stderr is left to callers.
    pub fn load(&self) -> Result<Account, load::LoadError> {
        load::load(&self.input())
    }
}
