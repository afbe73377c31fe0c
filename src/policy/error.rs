//! [`PolicyError`]: why a policy document is invalid, with its JSON path.

use std::fmt;

/// Why a policy document is invalid; `path` is the JSON path inside the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// JSON path inside the document, e.g. `Statement[2].Effect`; empty for the whole document.
    pub path: String,
    /// What is wrong, in plain words.
    pub message: String,
}

impl PolicyError {
    /// An error at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> PolicyError {
        PolicyError {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for PolicyError {}
