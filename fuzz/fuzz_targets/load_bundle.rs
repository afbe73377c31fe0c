//! Load arbitrary bytes as an account bundle: nothing may panic, and a failure is a
//! LoadError naming a file. The input is split at lines holding only `----` into the
//! bundle's parts, in this order: gaad.json, credential-report.csv, one bucket policy,
//! account-aliases.json, one OIDC provider, instance-profiles.json. Run with
//! `cargo +nightly fuzz run load_bundle`.
#![no_main]

use std::borrow::Cow;
use std::path::PathBuf;

use iamscope::load::{load_source, BundleSource, LoadError};
use libfuzzer_sys::fuzz_target;

const PARTS: [&str; 6] = [
    "gaad.json",
    "credential-report.csv",
    "resource-policies/s3/bucket.json",
    "account-aliases.json",
    "oidc-providers/ci.json",
    "instance-profiles.json",
];

/// A bundle held in memory.
struct Memory {
    files: Vec<(&'static str, Vec<u8>)>,
}

impl BundleSource for Memory {
    fn display_path(&self, rel: &str) -> PathBuf {
        PathBuf::from(format!("fuzz/{rel}"))
    }

    fn read(&self, rel: &str) -> Result<Option<Cow<'_, [u8]>>, LoadError> {
        Ok(self
            .files
            .iter()
            .find(|(name, _)| *name == rel)
            .map(|(_, bytes)| Cow::Borrowed(&bytes[..])))
    }

    fn list_files(&self, rel_dir: &str) -> Result<Vec<String>, LoadError> {
        let prefix = format!("{rel_dir}/");
        Ok(self
            .files
            .iter()
            .filter(|(name, _)| {
                name.strip_prefix(&prefix)
                    .is_some_and(|rest| !rest.contains('/'))
            })
            .map(|(name, _)| name.to_string())
            .collect())
    }

    fn list_dirs(&self, _rel_dir: &str) -> Result<Vec<String>, LoadError> {
        Ok(Vec::new())
    }
}

fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(at) = rest.windows(6).position(|w| w == b"\n----\n") {
        parts.push(&rest[..at]);
        rest = &rest[at + 6..];
    }
    parts.push(rest);
    parts
}

fuzz_target!(|data: &[u8]| {
    let files = PARTS
        .iter()
        .zip(split(data))
        .map(|(name, bytes)| (*name, bytes.to_vec()))
        .collect();
    let source = Memory { files };
    match load_source(&source, "fuzz".to_string()) {
        Ok(account) => {
            // Everything the CLI and TUI print from it must be safe to print.
            for w in &account.warnings {
                let shown = iamscope::sanitize::terminal_safe(&w.message);
                assert!(!shown.chars().any(iamscope::sanitize::is_unsafe));
            }
        }
        Err(e) => assert!(!e.file.as_os_str().is_empty()),
    }
});
