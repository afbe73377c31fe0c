//! synth (work in progress).
