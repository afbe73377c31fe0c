//! `organizations/`: the path root → OUs → account, and the SCPs and RCPs on it.

use serde::Deserialize;

use super::builder::AccountBuilder;
use super::providers::read_owned;
use super::LoadError;
use crate::model::{OrgLevel, OrgNodeKind, OrgPolicy, OrgPolicyKind, Organization, PolicySource};

/// Deeper than AWS allows (root + 5 OU levels + account); guards against cycles.
const MAX_DEPTH: usize = 8;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawParents {
    parents: Vec<RawParent>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawParent {
    id: String,
    #[serde(rename = "Type")]
    kind: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawPolicyList {
    policies: Vec<RawPolicySummary>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawPolicySummary {
    id: String,
    #[serde(default)]
    name: String,
    arn: Option<String>,
    description: Option<String>,
    #[serde(default)]
    aws_managed: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawDescribePolicy {
    policy: RawPolicyBody,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawPolicyBody {
    content: String,
}

/// The content AWS gives its default policies, for bundles that list the attachment
/// without describing the policy.
const FULL_ACCESS: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawDescribeOrganization {
    organization: RawOrganization,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawOrganization {
    id: Option<String>,
    master_account_id: Option<String>,
}

/// Reads `organizations/` when present.
pub fn read(builder: &mut AccountBuilder<'_>) -> Result<(), LoadError> {
    let described =
        read_owned::<RawDescribeOrganization>(builder, "organizations/organization.json")?
            .map(|d| d.organization);
    let has_scp = !builder.source().list_files("organizations/scp")?.is_empty();
    let has_rcp = !builder.source().list_files("organizations/rcp")?.is_empty();
    if !has_scp && !has_rcp {
        if let Some(d) = described {
            builder.account.organization = Some(Organization {
                id: d.id,
                management_account: d.master_account_id,
                ..Organization::default()
            });
        }
        return Ok(());
    }
    let account_id = builder.account.id.clone();
    let Some(path) = org_path(builder, &account_id)? else {
        builder.warn(
            "organizations/parents",
            None,
            format!("no organizations/parents/{account_id}.json: the account's place in the organization is unknown, so SCPs and RCPs are not evaluated"),
        );
        return Ok(());
    };
    let mut org = Organization::default();
    match described {
        Some(d) => {
            org.id = d.id;
            org.management_account = d.master_account_id;
        }
        None => builder.warn(
            "organizations/organization.json",
            None,
            "no organizations/organization.json (aws organizations describe-organization): \
             the management account is unknown, so SCPs are applied as if this were a member account"
                .to_string(),
        ),
    }
    for (target_id, kind) in path {
        let scps = attached(builder, &mut org, &target_id, OrgPolicyKind::Scp, has_scp)?;
        let rcps = attached(builder, &mut org, &target_id, OrgPolicyKind::Rcp, has_rcp)?;
        org.path.push(OrgLevel {
            target_id,
            kind,
            scps_unknown: scps.is_none(),
            rcps_unknown: rcps.is_none(),
            scps: scps.unwrap_or_default(),
            rcps: rcps.unwrap_or_default(),
        });
    }
    builder.account.parts.scps = has_scp;
    builder.account.parts.rcps = has_rcp;
    builder.account.organization = Some(org);
    Ok(())
}

/// The levels from the root down to the account, or `None` without parents data.
fn org_path(
    builder: &AccountBuilder<'_>,
    account_id: &str,
) -> Result<Option<Vec<(String, OrgNodeKind)>>, LoadError> {
    let mut levels = vec![(account_id.to_string(), OrgNodeKind::Account)];
    let mut child = account_id.to_string();
    for _ in 0..MAX_DEPTH {
        let rel = format!("organizations/parents/{child}.json");
        let Some(raw) = read_owned::<RawParents>(builder, &rel)? else {
            return Ok(None);
        };
        let Some(parent) = raw.parents.into_iter().next() else {
            return Err(
                LoadError::file(builder.display_path(&rel), "Parents is empty").at_path("Parents"),
            );
        };
        let kind = match parent.kind.as_str() {
            "ROOT" => OrgNodeKind::Root,
            _ => OrgNodeKind::OrganizationalUnit,
        };
        levels.push((parent.id.clone(), kind));
        if kind == OrgNodeKind::Root {
            levels.reverse();
            return Ok(Some(levels));
        }
        child = parent.id;
    }
    Err(LoadError::file(
        builder.display_path("organizations/parents"),
        format!("the parents of {account_id} do not reach a ROOT within {MAX_DEPTH} levels"),
    ))
}

/// The policies of one kind attached at `target_id`, as indices into `org.policies`;
/// `None` when the bundle has that kind's folder but not this level's file (AWS
/// attaches at least one policy to every level, so the level is unknown, not empty).
fn attached(
    builder: &mut AccountBuilder<'_>,
    org: &mut Organization,
    target_id: &str,
    kind: OrgPolicyKind,
    collected: bool,
) -> Result<Option<Vec<usize>>, LoadError> {
    let folder = match kind {
        OrgPolicyKind::Scp => "scp",
        OrgPolicyKind::Rcp => "rcp",
    };
    if !collected {
        return Ok(Some(Vec::new()));
    }
    let rel = format!("organizations/{folder}/{target_id}.json");
    let Some(list) = read_owned::<RawPolicyList>(builder, &rel)? else {
        builder.warn(
            &rel,
            None,
            format!(
                "no {rel}: the {} attached to {target_id} are unknown, so decisions they could change are Conditional",
                match kind {
                    OrgPolicyKind::Scp => "SCPs",
                    OrgPolicyKind::Rcp => "RCPs",
                }
            ),
        );
        return Ok(None);
    };
    let mut out = Vec::new();
    for summary in list.policies {
        if let Some(i) = org.policies.iter().position(|p| p.id == summary.id) {
            out.push(i);
            continue;
        }
        let content = policy_content(builder, &summary)?;
        org.policies.push(OrgPolicy {
            id: summary.id,
            name: summary.name,
            arn: summary.arn,
            description: summary.description,
            kind,
            aws_managed: summary.aws_managed,
            content,
        });
        out.push(org.policies.len() - 1);
    }
    Ok(Some(out))
}

fn policy_content(
    builder: &mut AccountBuilder<'_>,
    summary: &RawPolicySummary,
) -> Result<Option<PolicySource>, LoadError> {
    let rel = format!("organizations/policies/{}.json", summary.id);
    if let Some(raw) = read_owned::<RawDescribePolicy>(builder, &rel)? {
        let source = PolicySource::new(raw.policy.content);
        for (path, message) in super::policy_text::policy_problems(&source) {
            builder.warn(
                &rel,
                Some(
                    format!("Policy.Content.{path}")
                        .trim_end_matches('.')
                        .to_string(),
                ),
                message,
            );
        }
        return Ok(Some(source));
    }
    if summary.aws_managed && matches!(summary.name.as_str(), "FullAWSAccess" | "RCPFullAWSAccess")
    {
        return Ok(Some(PolicySource::new(FULL_ACCESS)));
    }
    builder.warn(
        &rel,
        None,
        format!("policy {} ({}) is attached but its content is not in the bundle: decisions it could change are Conditional", summary.id, summary.name),
    );
    Ok(None)
}
