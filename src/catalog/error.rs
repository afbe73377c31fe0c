//! Errors from parsing a catalogue file.

/// Why a catalogue file could not be parsed.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The text is not JSON of the expected layout.
    #[error("catalogue JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The file declares a layout version this code does not read.
    #[error("catalogue format {found} is not supported (expected {expected})")]
    Format {
        /// The version in the file.
        found: u32,
        /// The version this code reads.
        expected: u32,
    },
    /// An index or code in the file points nowhere.
    #[error("catalogue data: {0}")]
    Invalid(String),
}
