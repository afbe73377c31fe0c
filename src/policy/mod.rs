//! Policy documents: grammar, compiled patterns, condition operators, variables.
//!
//! PLACEHOLDER CONTRACT (replaced by the evaluator work, same signatures):
//! `PolicyDocument::parse(&str) -> Result<PolicyDocument, PolicyError>` and
//! `PolicyDocument::statement_count`.

use std::fmt;

/// A parsed and compiled IAM policy document.
#[derive(Debug, Clone)]
pub struct PolicyDocument {
    statements: usize,
}

impl PolicyDocument {
    /// Parses a policy document from its JSON text.
    pub fn parse(text: &str) -> Result<PolicyDocument, PolicyError> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| PolicyError {
            path: String::new(),
            message: e.to_string(),
        })?;
        let statements = match value.get("Statement") {
            Some(serde_json::Value::Array(a)) => a.len(),
            Some(serde_json::Value::Object(_)) => 1,
            _ => {
                return Err(PolicyError {
                    path: "Statement".into(),
                    message: "missing or not an object or array".into(),
                })
            }
        };
        Ok(PolicyDocument { statements })
    }

    /// Number of statements in the document.
    pub fn statement_count(&self) -> usize {
        self.statements
    }
}

/// Why a policy document is invalid; `path` is the JSON path inside the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// JSON path inside the document, e.g. `Statement[2].Effect`; empty for the whole document.
    pub path: String,
    /// What is wrong, in plain words.
    pub message: String,
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
