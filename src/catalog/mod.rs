//! catalog (work in progress).
