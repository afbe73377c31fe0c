//! A policy document as found in the bundle: its text and its parsed form.

use crate::policy::{PolicyDocument, PolicyError};

/// One policy document: the JSON text as exported (URL-decoded when it came encoded)
/// and the parsed document, or why it could not be parsed.
///
/// A malformed document never makes the account unloadable: it stays here, marked
/// invalid, and the load reports a warning.
#[derive(Debug, Clone)]
pub struct PolicySource {
    /// The JSON text of the document.
    pub text: Box<str>,
    /// The parsed document, or the reason it is invalid.
    pub parsed: Result<PolicyDocument, PolicyError>,
}

impl PolicySource {
    /// Parses `text`, keeping it whether or not it is valid.
    pub fn new(text: impl Into<Box<str>>) -> PolicySource {
        let text = text.into();
        let parsed = PolicyDocument::parse(&text);
        PolicySource { text, parsed }
    }

    /// The parsed document, when valid.
    pub fn document(&self) -> Option<&PolicyDocument> {
        self.parsed.as_ref().ok()
    }

    /// Why the document is invalid, when it is.
    pub fn error(&self) -> Option<&PolicyError> {
        self.parsed.as_ref().err()
    }
}
