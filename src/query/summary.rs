//! The account at a glance: what `iamscope summary` prints.

use serde::Serialize;

use crate::model::{Account, BundleParts, OrgPolicyKind};

/// Counts of every entity kind. The JSON keys are part of the stable `--json` output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// IAM users.
    pub users: usize,
    /// IAM groups.
    pub groups: usize,
    /// IAM roles.
    pub roles: usize,
    /// Instance profiles.
    pub instance_profiles: usize,
    /// Managed policies in the export (customer- and AWS-managed).
    pub managed_policies: usize,
    /// Of those, customer-managed.
    pub customer_managed_policies: usize,
    /// Inline policies of users, groups and roles.
    pub inline_policies: usize,
    /// SAML providers.
    pub saml_providers: usize,
    /// OIDC providers.
    pub oidc_providers: usize,
    /// Distinct SCPs on the path root → account.
    pub scps: usize,
    /// Distinct RCPs on the path root → account.
    pub rcps: usize,
    /// Resource-based policies.
    pub resource_policies: usize,
    /// Credential report rows (0 without a report).
    pub credential_report_rows: usize,
}

/// One warning in the JSON output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WarningEntry {
    /// File it concerns.
    pub file: String,
    /// JSON path, when known.
    pub json_path: Option<String>,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What happened.
    pub message: String,
}

/// One account of an organization bundle, in its summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountSummary {
    /// 12-digit account id.
    pub account_id: String,
    /// Its name in the organization (`accounts.json`).
    pub name: Option<String>,
    /// Its alias, if exported.
    pub alias: Option<String>,
    /// Its sub-bundle.
    pub source: String,
    /// IAM users.
    pub users: usize,
    /// IAM groups.
    pub groups: usize,
    /// IAM roles.
    pub roles: usize,
    /// Its customer-managed policies (AWS-managed ones are shared, counted once in total).
    pub customer_managed_policies: usize,
    /// Resource-based policies.
    pub resource_policies: usize,
    /// Distinct SCPs on its path root → account.
    pub scps: usize,
    /// Distinct RCPs on its path root → account.
    pub rcps: usize,
}

/// The account summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// 12-digit account id.
    pub account_id: String,
    /// The account alias, if exported.
    pub alias: Option<String>,
    /// Partition.
    pub partition: String,
    /// Where the account was loaded from.
    pub source: String,
    /// Entity counts.
    pub counts: Counts,
    /// Optional bundle parts present.
    pub parts: BundleParts,
    /// Policies AWS would reject, wholly or in some statement: what is invalid never
    /// grants, and decisions it could deny are Conditional.
    pub invalid_policies: usize,
    /// Load warnings.
    pub warnings: Vec<WarningEntry>,
    /// For an organization bundle, each account (the counts above are the totals).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<AccountSummary>,
}

fn len(r: &std::ops::Range<u32>) -> usize {
    (r.end - r.start) as usize
}

/// Distinct Organizations policies of one kind over every held account's path.
fn distinct_org_policies(account: &Account, kind: OrgPolicyKind) -> usize {
    let mut ids: Vec<&str> = account
        .account_ids()
        .into_iter()
        .filter_map(|id| account.organization_of(id))
        .flat_map(|o| o.policies.iter())
        .filter(|p| p.kind == kind)
        .map(|p| p.id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

fn account_summaries(account: &Account) -> Vec<AccountSummary> {
    account
        .members
        .iter()
        .map(|m| {
            let org_count = |kind| m.organization.as_ref().map_or(0, |o| o.count(kind));
            AccountSummary {
                account_id: m.id.clone(),
                name: m.name.clone(),
                alias: m.alias.clone(),
                source: m.source.clone(),
                users: len(&m.users),
                groups: len(&m.groups),
                roles: len(&m.roles),
                customer_managed_policies: m.customer_policies,
                resource_policies: len(&m.resource_policies),
                scps: org_count(OrgPolicyKind::Scp),
                rcps: org_count(OrgPolicyKind::Rcp),
            }
        })
        .collect()
}

/// Summarises an account.
pub fn summarize(account: &Account) -> Summary {
    let org_count = |kind| distinct_org_policies(account, kind);
    let exported: Vec<_> = account
        .managed_policies
        .iter()
        .filter(|p| p.in_export)
        .collect();
    Summary {
        account_id: account.id.clone(),
        alias: account.alias.clone(),
        partition: account.partition.clone(),
        source: account.source.clone(),
        counts: Counts {
            users: account.users.len(),
            groups: account.groups.len(),
            roles: account.roles.len(),
            instance_profiles: account.instance_profiles.len(),
            managed_policies: exported.len(),
            customer_managed_policies: exported.iter().filter(|p| !p.is_aws_managed()).count(),
            inline_policies: account.inline_policy_count(),
            saml_providers: account.saml_providers.len(),
            oidc_providers: account.oidc_providers.len(),
            scps: org_count(OrgPolicyKind::Scp),
            rcps: org_count(OrgPolicyKind::Rcp),
            resource_policies: account.resource_policies.len(),
            credential_report_rows: account.credential_report.as_ref().map_or(0, Vec::len),
        },
        parts: account.parts.clone(),
        invalid_policies: account
            .policy_sources()
            .filter(|p| p.error().is_some() || p.document().is_some_and(|d| !d.invalid.is_empty()))
            .count(),
        warnings: account
            .warnings
            .iter()
            .map(|w| WarningEntry {
                file: w.file.clone(),
                json_path: w.json_path.clone(),
                line: w.position.map(|p| p.0),
                column: w.position.map(|p| p.1),
                message: w.message.clone(),
            })
            .collect(),
        accounts: account_summaries(account),
    }
}
