//! A JSON document the user names on the command line (a scenario file for
//! `simulate`, or `-` for standard input), read with the same care as a bundle:
//! regular files only, bounded, UTF-8 checked, errors naming the file.

use std::path::Path;

use super::{disk, text, LoadError};

/// The text of `arg`: a path, or `-` for standard input.
pub fn read_text(arg: &str) -> Result<String, LoadError> {
    let path = Path::new(arg);
    let bytes = if arg == "-" {
        disk::read_bounded(path, std::io::stdin().lock(), 0, disk::max_file_bytes()?)?
    } else {
        disk::read_file(path)?.ok_or_else(|| LoadError::file(path, "no such file or folder"))?
    };
    text::check_text(path, &bytes).map(str::to_string)
}
