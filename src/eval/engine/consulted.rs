//! Which documents a decision can read besides the principal's own: what-can uses
//! them to find actions that no document tells apart (and decides those once).

use super::Engine;
use crate::eval::{ResourceRule, RCP_SERVICES};
use crate::policy::{ActionName, PolicyDocument};

/// Services whose actions the evaluator treats by name (service rules, trust and key
/// policies, federated callers): an action of these is never grouped with another.
const NAMED_SERVICES: [&str; 3] = ["sts", "iam", "kms"];

/// Whether the evaluator reads anything of `action` beyond its service and which
/// statements' `Action`/`NotAction` match it: service rules (`sts:GetCallerIdentity`,
/// protected IAM and KMS resources), the trust-policy and key-policy rules, and
/// federated callers all name actions of `sts`, `iam` and `kms`.
pub(crate) fn read_by_name(action: &ActionName) -> bool {
    NAMED_SERVICES.contains(&action.service())
}

/// What the evaluator reads of an action's service, for an action outside
/// [`read_by_name`]'s services: only whether resource control policies govern it
/// ([`RCP_SERVICES`]: the RCP layers). Any other service-specific rule belongs to a
/// service of [`NAMED_SERVICES`], so two such actions whose services read alike and
/// that the same statements match get the same decision.
pub(crate) fn rcp_governed(action: &ActionName) -> bool {
    RCP_SERVICES.contains(&action.service())
}

impl<'a> Engine<'a> {
    /// Every SCP and RCP document of every account the bundle holds (a document
    /// attached at several levels comes once per level).
    pub(crate) fn guard_documents(&self) -> Vec<&'a PolicyDocument> {
        self.chains
            .values()
            .flat_map(|c| c.scp_levels.iter().chain(&c.rcp_levels).flatten())
            .filter_map(|p| p.document.ok())
            .collect()
    }

    /// The resource-based policy a decision on `resource` reads, for an action outside
    /// [`read_by_name`]'s services (the policy found from the resource alone).
    pub(crate) fn resource_document(&self, resource: &str) -> Option<&'a PolicyDocument> {
        self.policy_at(resource, ResourceRule::Optional)
            .and_then(|p| p.document.ok())
    }
}
