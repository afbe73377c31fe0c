//! The policy documents of a bundle, each with the entity it belongs to and where it
//! is in the bundle: what the statement-level checks walk.

use crate::model::{Account, IdentityId, PolicySource};

/// What a document is used as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// An identity policy (managed or inline).
    Identity,
    /// A role's trust policy.
    Trust,
    /// A resource policy.
    Resource,
    /// An SCP or RCP.
    Org,
}

/// One document of the bundle.
pub struct Doc<'a> {
    /// The policy's name, as statement labels use it (`trust:ROLE` for trust policies).
    pub name: String,
    /// The ARN findings about the document are about: the managed policy, the owner of
    /// an inline policy, the role of a trust policy, the resource of a resource policy.
    pub entity: String,
    /// The document.
    pub source: &'a PolicySource,
    /// The bundle file.
    pub file: String,
    /// The JSON path of the document in the file.
    pub json_path: String,
    /// What it is used as.
    pub kind: DocKind,
    /// The most characters (whitespace not counted) IAM accepts for such a document.
    pub max_chars: Option<usize>,
}

impl Doc<'_> {
    /// The label of statement `index` (`Policy/Sid` or `Policy#index`).
    pub fn label(&self, index: usize) -> String {
        let doc = self.source.document();
        let sid = doc
            .and_then(|d| d.statement(index))
            .and_then(|s| s.sid.as_deref())
            .or_else(|| {
                doc.and_then(|d| d.invalid.iter().find(|s| s.index == index))
                    .and_then(|s| s.sid.as_deref())
            });
        match sid {
            Some(sid) => format!("{}/{sid}", self.name),
            None => format!("{}#{index}", self.name),
        }
    }

    /// The JSON path of statement `index`.
    pub fn statement_path(&self, index: usize) -> String {
        format!("{}.Statement[{index}]", self.json_path)
    }
}

const GAAD: &str = "gaad.json";

/// Customer-managed policies (default version) and inline policies: the documents an
/// account's owner wrote. AWS-managed policies are AWS's to fix and are left out.
pub fn identity_documents(account: &Account) -> Vec<Doc<'_>> {
    let mut out = Vec::new();
    for p in &account.managed_policies {
        if p.is_aws_managed() {
            continue;
        }
        if let Some(v) = p.default_version() {
            out.push(Doc {
                name: p.name.clone(),
                entity: p.arn.to_string(),
                source: &v.document,
                file: GAAD.to_string(),
                json_path: format!(
                    "Policies[?PolicyName=='{}'].PolicyVersionList[?VersionId=='{}'].Document",
                    p.name, v.version_id
                ),
                kind: DocKind::Identity,
                max_chars: Some(6_144),
            });
        }
    }
    let owners = (0..account.users.len())
        .map(|i| IdentityId::User(crate::model::UserId(i as u32)))
        .chain(
            (0..account.groups.len()).map(|i| IdentityId::Group(crate::model::GroupId(i as u32))),
        )
        .chain((0..account.roles.len()).map(|i| IdentityId::Role(crate::model::RoleId(i as u32))));
    for owner in owners {
        let c = account.identity(owner);
        // IAM's quotas: inline policies of a user, a group, a role (all of an
        // identity's inline policies together, counted here one by one).
        let (list, field, name_field, max) = match owner {
            IdentityId::User(_) => ("UserDetailList", "UserPolicyList", "UserName", 2_048),
            IdentityId::Group(_) => ("GroupDetailList", "GroupPolicyList", "GroupName", 5_120),
            IdentityId::Role(_) => ("RoleDetailList", "RolePolicyList", "RoleName", 10_240),
        };
        for p in &c.inline_policies {
            out.push(Doc {
                name: p.name.clone(),
                entity: c.arn.to_string(),
                source: &p.document,
                file: GAAD.to_string(),
                json_path: format!(
                    "{list}[?{name_field}=='{}'].{field}[?PolicyName=='{}'].PolicyDocument",
                    c.name, p.name
                ),
                kind: DocKind::Identity,
                max_chars: Some(max),
            });
        }
    }
    out
}

/// Every role's trust policy.
pub fn trust_documents(account: &Account) -> Vec<Doc<'_>> {
    account
        .roles
        .iter()
        .map(|r| Doc {
            name: format!("trust:{}", r.common.name),
            entity: r.common.arn.to_string(),
            source: &r.trust_policy,
            file: GAAD.to_string(),
            json_path: format!(
                "RoleDetailList[?RoleName=='{}'].AssumeRolePolicyDocument",
                r.common.name
            ),
            kind: DocKind::Trust,
            // The default quota of a role trust policy (adjustable to 4,096).
            max_chars: Some(2_048),
        })
        .collect()
}

/// Every resource policy.
pub fn resource_documents(account: &Account) -> Vec<Doc<'_>> {
    account
        .resource_policies
        .iter()
        .map(|rp| Doc {
            name: rp.name.clone(),
            entity: rp.resource_arn.clone(),
            source: &rp.policy,
            file: rp.file.clone(),
            json_path: "Policy".to_string(),
            kind: DocKind::Resource,
            max_chars: None,
        })
        .collect()
}

/// SCPs and RCPs whose content is in the bundle.
pub fn org_documents(account: &Account) -> Vec<Doc<'_>> {
    let Some(org) = &account.organization else {
        return Vec::new();
    };
    org.policies
        .iter()
        .filter_map(|p| {
            Some(Doc {
                name: p.name.clone(),
                entity: p.arn.clone().unwrap_or_else(|| p.id.clone()),
                source: p.content.as_ref()?,
                file: format!("organizations/policies/{}.json", p.id),
                json_path: "Policy.Content".to_string(),
                kind: DocKind::Org,
                // An SCP or RCP may hold 5,120 characters.
                max_chars: Some(5_120),
            })
        })
        .collect()
}

/// Every document of the bundle.
pub fn all_documents(account: &Account) -> Vec<Doc<'_>> {
    let mut out = identity_documents(account);
    out.extend(trust_documents(account));
    out.extend(resource_documents(account));
    out.extend(org_documents(account));
    out
}
