//! Principals by name or ARN for the subcommands, through the core's resolution.

use crate::eval::{Engine, PrincipalRef};
use crate::query::resolve::resolve_principal;

/// Finds a principal of the account by name, `user/NAME`, `role/NAME` or ARN; on a
/// miss, the error names the closest principals.
pub fn resolve(engine: &Engine<'_>, text: &str) -> anyhow::Result<PrincipalRef> {
    Ok(resolve_principal(engine, text)?)
}
