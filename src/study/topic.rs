//! [`Topic`]: what a lesson teaches and what a quiz question exercises.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One study topic. Every topic has a lesson (`assets/lessons/<slug>.md`); the
/// [`Topic::quizzable`] ones also get questions generated from an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Topic {
    /// Authentication vs authorization; users, groups, roles; AWS, Service and Federated principals.
    Principals,
    /// Identity-based vs resource-based policies.
    IdentityVsResource,
    /// Trust policies vs permission policies.
    TrustPolicies,
    /// Instance profiles, IMDS and IMDSv2.
    InstanceProfiles,
    /// Lambda execution roles and ECS task roles.
    WorkloadRoles,
    /// Explicit deny > allow > implicit deny.
    DecisionFlow,
    /// Permissions boundaries.
    PermissionsBoundaries,
    /// Service and resource control policies.
    ScpsRcps,
    /// Session policies and role chaining.
    SessionPolicies,
    /// `iam:PassRole` and privilege escalation.
    Passrole,
    /// OIDC federation for GitHub Actions.
    OidcGithub,
    /// SAML federation.
    Saml,
    /// Cross-account access and `sts:ExternalId`.
    CrossAccount,
    /// Conditions and context keys.
    Conditions,
    /// The IAM quotas people are asked about.
    Quotas,
}

impl Topic {
    /// Every topic, in the order lessons are offered.
    pub const ALL: [Topic; 15] = [
        Topic::Principals,
        Topic::IdentityVsResource,
        Topic::TrustPolicies,
        Topic::DecisionFlow,
        Topic::Conditions,
        Topic::PermissionsBoundaries,
        Topic::ScpsRcps,
        Topic::InstanceProfiles,
        Topic::WorkloadRoles,
        Topic::SessionPolicies,
        Topic::Passrole,
        Topic::OidcGithub,
        Topic::Saml,
        Topic::CrossAccount,
        Topic::Quotas,
    ];

    /// The slug used on the command line, in lesson file names and in JSON.
    pub fn slug(self) -> &'static str {
        match self {
            Topic::Principals => "principals",
            Topic::IdentityVsResource => "identity-vs-resource",
            Topic::TrustPolicies => "trust-policies",
            Topic::InstanceProfiles => "instance-profiles",
            Topic::WorkloadRoles => "workload-roles",
            Topic::DecisionFlow => "decision-flow",
            Topic::PermissionsBoundaries => "permissions-boundaries",
            Topic::ScpsRcps => "scps-rcps",
            Topic::SessionPolicies => "session-policies",
            Topic::Passrole => "passrole",
            Topic::OidcGithub => "oidc-github",
            Topic::Saml => "saml",
            Topic::CrossAccount => "cross-account",
            Topic::Conditions => "conditions",
            Topic::Quotas => "quotas",
        }
    }

    /// The topic with this slug.
    pub fn from_slug(slug: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.slug() == slug)
    }

    /// Whether quiz questions can be generated for it from an account's policies.
    /// Quotas and the principal vocabulary are not decisions; session policies are not
    /// in an export, so no request of the bundle exercises them.
    pub fn quizzable(self) -> bool {
        !matches!(
            self,
            Topic::Principals | Topic::SessionPolicies | Topic::Quotas
        )
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip_and_match_serde() {
        for t in Topic::ALL {
            assert_eq!(Topic::from_slug(t.slug()), Some(t));
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.slug()));
        }
        assert_eq!(Topic::from_slug("nope"), None);
    }
}
