//! AWS Organizations data: the path root → OUs → account and the SCPs/RCPs on it.

use super::PolicySource;

/// What kind of node of the organization tree a level is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgNodeKind {
    /// The organization root (`r-…`).
    Root,
    /// An organizational unit (`ou-…`).
    OrganizationalUnit,
    /// The account itself.
    Account,
}

/// Service control policy or resource control policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgPolicyKind {
    /// Service control policy: limits principals of the account.
    Scp,
    /// Resource control policy: limits resources of the account.
    Rcp,
}

/// An Organizations policy with its content.
#[derive(Debug, Clone)]
pub struct OrgPolicy {
    /// `p-…`.
    pub id: String,
    /// Name, e.g. `FullAWSAccess`.
    pub name: String,
    /// ARN, when exported.
    pub arn: Option<String>,
    /// Description, when exported.
    pub description: Option<String>,
    /// SCP or RCP.
    pub kind: OrgPolicyKind,
    /// Whether AWS manages it (FullAWSAccess, RCPFullAWSAccess).
    pub aws_managed: bool,
    /// The content; `None` when the bundle lists the attachment without `describe-policy`.
    pub content: Option<PolicySource>,
}

/// One level of the path from the root to the account.
#[derive(Debug, Clone)]
pub struct OrgLevel {
    /// Target id: `r-…`, `ou-…` or the account id.
    pub target_id: String,
    /// Root, OU or account.
    pub kind: OrgNodeKind,
    /// Indices into [`Organization::policies`] of the SCPs attached here.
    pub scps: Vec<usize>,
    /// Indices into [`Organization::policies`] of the RCPs attached here.
    pub rcps: Vec<usize>,
    /// The SCP attachments of this level are not in the bundle (its file is missing):
    /// what they allow or deny is unknown.
    pub scps_unknown: bool,
    /// The RCP attachments of this level are not in the bundle.
    pub rcps_unknown: bool,
}

/// The account's place in its organization.
#[derive(Debug, Clone, Default)]
pub struct Organization {
    /// The organization id (`o-…`), from `organization.json`.
    pub id: Option<String>,
    /// The management account (`MasterAccountId` of `organization.json`): SCPs never
    /// restrict its principals, RCPs never its resources.
    pub management_account: Option<String>,
    /// Levels from the root (first) to the account (last).
    pub path: Vec<OrgLevel>,
    /// Every policy attached somewhere on the path.
    pub policies: Vec<OrgPolicy>,
}

impl Organization {
    /// The SCPs of each level, root first.
    pub fn scp_levels(&self) -> impl Iterator<Item = (&OrgLevel, Vec<&OrgPolicy>)> {
        self.path
            .iter()
            .map(|l| (l, l.scps.iter().map(|&i| &self.policies[i]).collect()))
    }

    /// The RCPs of each level, root first.
    pub fn rcp_levels(&self) -> impl Iterator<Item = (&OrgLevel, Vec<&OrgPolicy>)> {
        self.path
            .iter()
            .map(|l| (l, l.rcps.iter().map(|&i| &self.policies[i]).collect()))
    }

    /// The organization id (`o-…`): from `organization.json`, else read from the ARNs
    /// of its policies when exported.
    pub fn org_id(&self) -> Option<&str> {
        if let Some(id) = self.id.as_deref() {
            return Some(id);
        }
        self.policies
            .iter()
            .filter_map(|p| p.arn.as_deref())
            .flat_map(|arn| arn.split(['/', ':']))
            .find(|part| part.starts_with("o-") && part.len() > 2)
    }

    /// Number of distinct policies of one kind.
    pub fn count(&self, kind: OrgPolicyKind) -> usize {
        self.policies.iter().filter(|p| p.kind == kind).count()
    }
}
