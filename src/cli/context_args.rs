//! The request-context arguments `can` and `who-can` share.

use anyhow::bail;
use clap::Args;

use crate::eval::Context;

/// Context keys for a request: given, declared absent, or (by default) unknown.
#[derive(Debug, Clone, Default, Args)]
pub struct ContextArgs {
    /// A context key and value, `KEY=VALUE`; repeat a key for a multivalued key.
    #[arg(long = "context", short = 'c', value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    /// A context key the request definitely lacks.
    #[arg(long = "absent", value_name = "KEY")]
    pub absent: Vec<String>,
    /// Keys not given are absent (default: unknown, which can make answers Conditional).
    #[arg(long)]
    pub context_complete: bool,
}

impl ContextArgs {
    /// The context these arguments describe.
    pub fn context(&self) -> anyhow::Result<Context> {
        let mut ctx = Context::new(self.context_complete);
        for pair in &self.context {
            let Some((k, v)) = pair.split_once('=') else {
                bail!("--context `{pair}`: expected KEY=VALUE");
            };
            if k.trim().is_empty() {
                bail!("--context `{pair}`: empty key");
            }
            ctx.add(k.trim(), v);
        }
        for k in &self.absent {
            ctx.set_absent(k.trim());
        }
        Ok(ctx)
    }
}
