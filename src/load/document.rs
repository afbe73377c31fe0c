//! A JSON document the user names on the command line (a scenario file for
//! `simulate`, or `-` for standard input), read with the same care as a bundle:
//! regular files only, bounded, and errors with file, line:column and JSON path.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::{disk, json, text, LoadError};

#[derive(Deserialize)]
#[serde(transparent, bound = "T: DeserializeOwned")]
struct OneOrMany<T>(#[serde(deserialize_with = "super::shape::one_or_many")] Vec<T>);

/// Reads `arg` (a path, or `-` for standard input) as one `T` or a JSON array of them.
pub fn read_one_or_many<T: DeserializeOwned>(arg: &str) -> Result<Vec<T>, LoadError> {
    let path = Path::new(arg);
    let bytes = if arg == "-" {
        disk::read_bounded(path, std::io::stdin().lock(), 0, disk::max_file_bytes()?)?
    } else {
        disk::read_file(path)?.ok_or_else(|| LoadError::file(path, "no such file or folder"))?
    };
    let text = text::check_text(path, &bytes)?;
    let parsed: OneOrMany<T> = json::parse(path, text)?;
    Ok(parsed.0)
}
