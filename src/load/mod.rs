//! Loading account bundles (work in progress).
