//! A policy document as found in the bundle: its text and its parsed form.

use std::sync::{Arc, OnceLock};

use crate::policy::{PolicyDocument, PolicyError};

/// Documents at least this long (bytes of minified text) are compiled when first used
/// rather than while their file is read: the load checks them statement by statement
/// (keeping nothing), so the file's bytes, the text and the compiled form are never all
/// held at once. Smaller documents are compiled once, at load.
pub const DEFERRED_COMPILE_BYTES: usize = 1 << 20;

/// One policy document: the JSON text as exported (URL-decoded when it came encoded)
/// and the parsed document, or why it could not be parsed.
///
/// A malformed document never makes the account unloadable: it stays here, marked
/// invalid, and the load reports a warning.
///
/// A clone shares the text and the compiled form: the load gives every copy of the
/// same document in a file (a trust policy repeated across roles) one of each.
#[derive(Debug, Clone)]
pub struct PolicySource {
    /// The JSON text of the document (boxed inside the `Arc`, so that a large text is
    /// never copied to share it).
    pub text: Arc<Box<str>>,
    /// The parsed document, or the reason it is invalid; filled on first use for a
    /// deferred document.
    parsed: Arc<OnceLock<Result<PolicyDocument, PolicyError>>>,
}

impl PolicySource {
    /// Parses `text`, keeping it whether or not it is valid.
    pub fn new(text: impl Into<Box<str>>) -> PolicySource {
        let text = Arc::new(text.into());
        let parsed = Arc::new(OnceLock::from(PolicyDocument::parse(&text)));
        PolicySource { text, parsed }
    }

    /// Keeps `text`, to be compiled on first use ([`DEFERRED_COMPILE_BYTES`]).
    pub fn deferred(text: impl Into<Box<str>>) -> PolicySource {
        PolicySource {
            text: Arc::new(text.into()),
            parsed: Arc::default(),
        }
    }

    /// A document known to be invalid (it could not even be decoded).
    pub fn invalid(text: impl Into<Box<str>>, error: PolicyError) -> PolicySource {
        PolicySource {
            text: Arc::new(text.into()),
            parsed: Arc::new(OnceLock::from(Err(error))),
        }
    }

    /// True when both are one document (clones of one source).
    pub fn same_document(&self, other: &PolicySource) -> bool {
        Arc::ptr_eq(&self.parsed, &other.parsed)
    }

    /// The parsed document, or why it is invalid (compiled now if it was deferred).
    pub fn parsed(&self) -> &Result<PolicyDocument, PolicyError> {
        self.parsed
            .get_or_init(|| PolicyDocument::parse(&self.text))
    }

    /// The parsed document, when valid.
    pub fn document(&self) -> Option<&PolicyDocument> {
        self.parsed().as_ref().ok()
    }

    /// Why the document is invalid, when it is.
    pub fn error(&self) -> Option<&PolicyError> {
        self.parsed().as_ref().err()
    }
}
