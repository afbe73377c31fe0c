//! The request arguments `can` and `who-can` share: context keys, the resource's
//! account, and the checks every request passes before it is asked.

use anyhow::bail;
use clap::Args;

use crate::eval::{Context, Query};
use crate::model::Account;
use crate::query::input::{check_action, check_context, check_resource};

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
    /// The resource's account, when its ARN does not say (S3 buckets); otherwise a
    /// bucket whose policy is in the bundle is the bundle's, and any other is assumed
    /// to be (the trace says so).
    #[arg(long, value_name = "ACCOUNT")]
    pub resource_account: Option<String>,
    /// Ask about an action the catalogue does not list (default: an error with suggestions).
    #[arg(long)]
    pub allow_unknown_action: bool,
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

    /// The query for `action` on `resource` in `account`, after checking the action
    /// against the catalogue, the resource's form and each context value against the
    /// operators that read it.
    pub fn query(&self, action: &str, resource: &str, account: &Account) -> anyhow::Result<Query> {
        if !self.allow_unknown_action {
            check_action(action)?;
        }
        check_resource(resource)?;
        let context = self.context()?;
        check_context(&context, account)?;
        let mut query = Query::new(action, resource).with_context(context);
        query.resource_account = self.resource_account.clone();
        Ok(query)
    }
}
