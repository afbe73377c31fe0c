//! graph (work in progress).
