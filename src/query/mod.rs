//! query (work in progress).
