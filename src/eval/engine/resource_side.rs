//! The resource side of a query: which account owns the resource, which resource-based
//! policy governs it (a trust policy for roles, a key policy for KMS keys), and what
//! the bundle cannot tell about it.

use super::{Engine, PrincipalRef, Query};
use crate::eval::scenario::is_trust_action;
use crate::eval::{NamedPolicy, ResourceRule};
use crate::policy::ResourcePattern;

/// What the evaluator needs to know about a query's resource, worked out once.
pub(crate) struct ResourceSide<'e, 'a> {
    /// The resource's account.
    pub(crate) account: &'e str,
    /// True when the ARN names no account (S3) and nothing in the bundle or the query
    /// said whose it is: the bundle's account was assumed.
    pub(crate) account_assumed: bool,
    /// True when nothing (the ARN, the query, a policy in the bundle) names the
    /// resource's account: in an organization bundle, the caller's own account is meant
    /// (`*`, or an S3 ARN of no held bucket).
    pub(crate) account_unnamed: bool,
    /// The resource-based policy the bundle holds for it.
    pub(crate) policy: Option<&'e NamedPolicy<'a>>,
    /// How that policy counts.
    pub(crate) rule: ResourceRule,
    /// Why the resource-based policy is unknown, when the bundle cannot see it.
    pub(crate) unknown: Option<String>,
}

/// True for a KMS key ARN (`arn:PARTITION:kms:REGION:ACCOUNT:key/ID`).
fn is_kms_key(resource: &str) -> bool {
    let mut fields = resource.splitn(6, ':');
    fields.next() == Some("arn")
        && fields.nth(1) == Some("kms")
        && fields.nth(2).is_some_and(|r| r.starts_with("key/"))
}

impl<'a> Engine<'a> {
    /// The resource side of `query`.
    pub(crate) fn resource_side<'e>(&'e self, query: &'e Query) -> ResourceSide<'e, 'a> {
        let resource = query.resource.as_str();
        let role = is_trust_action(&query.action) && resource.contains(":role/");
        let rule = if role {
            ResourceRule::Trust
        } else if query.action.service() == "kms" && is_kms_key(resource) {
            ResourceRule::KeyPolicy
        } else {
            ResourceRule::Optional
        };
        self.resource_side_under(rule, resource, query.resource_account.as_deref())
    }

    /// The resource side of `resource` (of `resource_account`, when the query names
    /// it) for an action whose resource policy counts under `rule`: what
    /// [`Engine::resource_side`] works out once its action has given the rule. Every
    /// action outside `sts` and `kms` has [`ResourceRule::Optional`].
    pub(crate) fn resource_side_under<'e>(
        &'e self,
        rule: ResourceRule,
        resource: &'e str,
        resource_account: Option<&'e str>,
    ) -> ResourceSide<'e, 'a> {
        let own = self.account.id.as_str();
        let named_account = ResourcePattern::account_of(resource);
        let held = |account: &str| self.account.holds(account);
        let policy = |account: &str| {
            held(account)
                .then(|| self.policy_at(resource, rule))
                .flatten()
        };
        let (account, account_assumed, policy) = match resource_account {
            Some(a) => (a, false, policy(a)),
            None if !named_account.is_empty() => (named_account, false, policy(named_account)),
            None => {
                // A bucket whose policy an organization's account holds is that account's.
                let own = self.resource_owner(resource).unwrap_or(own);
                let found = policy(own);
                // A bucket whose policy the bundle holds is the bundle's; any other ARN
                // without an account is assumed to be, and the trace says so.
                let assumed = found.is_none() && resource.starts_with("arn:");
                (own, assumed, found)
            }
        };
        let unknown = match (policy, rule) {
            _ if !held(account) => Some(format!(
                "the resource belongs to account {account}, outside the bundle: {} is unknown",
                match rule {
                    ResourceRule::Trust => "its trust policy",
                    ResourceRule::KeyPolicy => "its key policy",
                    ResourceRule::Optional => "its resource policy",
                }
            )),
            (None, ResourceRule::Trust) => Some(format!(
                "role {resource} is not in the bundle: its trust policy is unknown"
            )),
            (None, ResourceRule::KeyPolicy) => Some(format!(
                "the key policy of {resource} is not in the bundle (export it with `aws kms get-key-policy`)"
            )),
            _ => None,
        };
        let account_unnamed = resource_account.is_none()
            && named_account.is_empty()
            && self.resource_owner(resource).is_none();
        ResourceSide {
            account,
            account_assumed,
            account_unnamed,
            policy,
            rule,
            unknown,
        }
    }

    /// The policy the bundle holds for resource `res` under `rule`.
    pub(super) fn policy_at(&self, res: &str, rule: ResourceRule) -> Option<&NamedPolicy<'a>> {
        if rule == ResourceRule::Trust {
            return match self.resolve(res) {
                Some(PrincipalRef::Role(r)) => Some(&self.trust[r.index()]),
                _ => None,
            };
        }
        if let Some(p) = self.resource_policies.get(res) {
            return Some(p);
        }
        // An S3 object is governed by its bucket's policy.
        let (prefix, rest) = res.split_once(":s3:::")?;
        let bucket_len = prefix.len() + ":s3:::".len() + rest.find('/')?;
        self.resource_policies.get(&res[..bucket_len])
    }

    /// The resource-based policy (or trust or key policy) that governs `query`'s
    /// resource, if the bundle has one.
    pub fn resource_policy_for<'e>(&'e self, query: &'e Query) -> Option<&'e NamedPolicy<'a>> {
        self.resource_side(query).policy
    }
}

#[cfg(test)]
mod tests {
    use super::is_kms_key;

    #[test]
    fn kms_keys() {
        assert!(is_kms_key("arn:aws:kms:us-east-1:111122223333:key/1234"));
        assert!(!is_kms_key("arn:aws:kms:us-east-1:111122223333:alias/x"));
        assert!(!is_kms_key("arn:aws:s3:::key/x"));
        assert!(!is_kms_key("*"));
    }
}
