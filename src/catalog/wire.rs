//! The on-disk layout of `assets/actions.json` (see `scripts/build_catalog.py`).
//!
//! Strings are borrowed from the embedded text; the build script guarantees
//! that none needs a JSON escape.

use serde::Deserialize;

/// The layout version this code reads.
pub(crate) const FORMAT: u32 = 1;

#[derive(Deserialize)]
pub(crate) struct File<'a> {
    pub format: u32,
    #[serde(borrow)]
    pub source: WireSource<'a>,
    #[serde(borrow)]
    pub services: Vec<WireService<'a>>,
}

#[derive(Deserialize)]
pub(crate) struct WireSource<'a> {
    pub package: &'a str,
    pub version: &'a str,
    pub updated: &'a str,
    pub license: &'a str,
}

/// `[prefix, name, resource types, condition keys, actions]`.
#[derive(Deserialize)]
pub(crate) struct WireService<'a>(
    pub &'a str,
    pub &'a str,
    #[serde(borrow)] pub Vec<(&'a str, &'a str, Vec<u16>)>,
    #[serde(borrow)] pub Vec<(&'a str, &'a str)>,
    #[serde(borrow)] pub Vec<WireAction<'a>>,
);

/// `[name, level, [[resource index, required, [condition index]]], [condition index]]`.
#[derive(Deserialize)]
pub(crate) struct WireAction<'a>(
    pub &'a str,
    pub u8,
    pub Vec<(u16, u8, Vec<u16>)>,
    pub Vec<u16>,
);
