//! Load errors: every one names the file, and where known the JSON path and position.

use std::fmt;
use std::path::PathBuf;

/// A fatal problem with the input: the account cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The file (or folder) at fault; `-` for standard input.
    pub file: PathBuf,
    /// JSON path inside the file, e.g. `RoleDetailList[3].AssumeRolePolicyDocument`.
    pub json_path: Option<String>,
    /// 1-based line and column, when known.
    pub position: Option<(usize, usize)>,
    /// What is wrong and, where we can tell, how to fix it.
    pub message: String,
}

impl LoadError {
    /// An error about a whole file or folder.
    pub fn file(file: impl Into<PathBuf>, message: impl Into<String>) -> LoadError {
        LoadError {
            file: file.into(),
            json_path: None,
            position: None,
            message: message.into(),
        }
    }

    /// An error a parser found at 1-based `position` and JSON `path` (as
    /// serde_path_to_error writes it), in plain words: no Rust type names, no `?`.
    pub fn parse_error(
        file: impl Into<PathBuf>,
        position: (usize, usize),
        path: &str,
        message: &str,
    ) -> LoadError {
        let error = LoadError::file(file, super::json::plain_words(message))
            .at_path(super::json::clean_path(path));
        if position.0 > 0 {
            error.at_position(position.0, position.1)
        } else {
            error
        }
    }

    /// Adds a JSON path.
    pub fn at_path(mut self, path: impl Into<String>) -> LoadError {
        let path = path.into();
        self.json_path = (!path.is_empty() && path != ".").then_some(path);
        self
    }

    /// Adds the line:column of its JSON path in `text` (the file's text, whose JSON
    /// document starts at byte `start`), when it has a path and no position yet.
    pub fn placed_in(mut self, text: &str, start: usize) -> LoadError {
        if self.position.is_none() {
            let path = self.json_path.as_deref().unwrap_or_default();
            if let Some(offset) = super::locate::locate(&text[start..], path) {
                self.position = Some(super::json::line_col(text, start + offset));
            }
        }
        self
    }

    /// Adds a line and column.
    pub fn at_position(mut self, line: usize, column: usize) -> LoadError {
        self.position = Some((line, column));
        self
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some((line, column)) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        if let Some(path) = &self.json_path {
            write!(f, ": at {path}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for LoadError {}
