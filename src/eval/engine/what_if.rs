//! "What if" questions the trust graph asks: a principal with other identity
//! policies (after joining a group, after rewriting its own policies), and callers from
//! outside the account whose own side is not in the bundle.

use std::sync::OnceLock;

use super::{full_access, Engine, Prepared, PrincipalRef, Query};
use crate::eval::{Decision, NamedPolicy, PrincipalFacts, Trace};
use crate::model::RoleId;

/// How a hypothetical request changes the principal's identity-based policies.
#[derive(Debug, Clone, Copy)]
pub enum IdentityChange<'p, 'a> {
    /// The principal's policies plus these (e.g. a group's, after joining it).
    Add(&'p [NamedPolicy<'a>]),
    /// These instead of the principal's policies.
    Replace(&'p [NamedPolicy<'a>]),
}

/// `Allow * on *`: what a principal holds once it can write its own policies, and what
/// an outside caller's own account is assumed to grant.
pub fn allow_everything() -> &'static NamedPolicy<'static> {
    static POLICY: OnceLock<NamedPolicy<'static>> = OnceLock::new();
    POLICY.get_or_init(|| NamedPolicy::from_result("(assumed: Allow * on *)", full_access()))
}

impl<'a> Engine<'a> {
    /// The identity-based policies of a principal (a user's groups' included).
    pub fn identity_policies(&self, who: PrincipalRef) -> &[NamedPolicy<'a>] {
        &self.prepared(who).identity
    }

    /// The permissions boundary of a principal.
    pub fn boundary(&self, who: PrincipalRef) -> Option<&NamedPolicy<'a>> {
        self.prepared(who).boundary.as_ref()
    }

    /// A role's trust policy.
    pub fn trust_policy(&self, role: RoleId) -> &NamedPolicy<'a> {
        &self.trust[role.index()]
    }

    /// Decides `query` for `who` with changed identity policies; boundary, SCPs, RCPs and
    /// resource policies stay as they are.
    pub fn decide_with(
        &self,
        who: PrincipalRef,
        change: IdentityChange<'_, 'a>,
        query: &Query,
        trace: Option<&mut Trace>,
    ) -> Decision {
        let p: &Prepared<'a> = self.prepared(who);
        match change {
            IdentityChange::Replace(policies) => {
                self.run(&p.facts, policies, p.boundary.as_ref(), query, trace)
            }
            IdentityChange::Add(extra) => {
                let mut all = p.identity.clone();
                all.extend_from_slice(extra);
                self.run(&p.facts, &all, p.boundary.as_ref(), query, trace)
            }
        }
    }

    /// Decides `query` for a caller outside the account (another account's principal,
    /// `*`, a service, an identity provider) as far as this bundle can tell: the
    /// resource side (trust or resource policy, RCPs) is evaluated; an IAM caller's own
    /// account is not in the bundle, so whatever needs its policies is Conditional
    /// ("depends on its own account's policies"), never a confident Allow.
    pub fn decide_outside(&self, arn: &str, query: &Query, trace: Option<&mut Trace>) -> Decision {
        let federated = super::is_federated_action(&query.action);
        let facts = PrincipalFacts::from_arn(arn, federated);
        let unknown = facts.caller.is_iam().then_some(super::OUTSIDE_ACCOUNT);
        self.run_outside(&facts, unknown, query, trace)
    }
}
