//! `gaad.json`: users, groups, roles, managed policies, inline policies, boundaries.

use std::collections::HashMap;

use super::builder::AccountBuilder;
use super::gaad_raw::*;
use super::policy_text::PolicyFile;
use super::LoadError;
use crate::model::*;

/// Reads a GAAD document's text into the builder.
pub fn read(builder: &mut AccountBuilder, file: &PolicyFile<'_>) -> Result<(), LoadError> {
    let path = builder.display_path(file.name);
    let raw: RawGaad<'_> = super::json::parse(&path, file.text)?;
    if raw.user_detail_list.is_none()
        && raw.group_detail_list.is_none()
        && raw.role_detail_list.is_none()
        && raw.policies.is_none()
    {
        return Err(LoadError::file(
            path,
            "this is not get-account-authorization-details output: it has none of \
             UserDetailList, GroupDetailList, RoleDetailList, Policies",
        ));
    }
    let users = raw.user_detail_list.unwrap_or_default();
    let groups = raw.group_detail_list.unwrap_or_default();
    let roles = raw.role_detail_list.unwrap_or_default();
    let policies = raw.policies.unwrap_or_default();

    // Policies first, so attachments resolve to them; then groups before users.
    for (i, p) in policies.iter().enumerate() {
        let arn = parse_arn(&path, &format!("Policies[{i}].Arn"), &p.arn)?;
        builder.note_account(&arn);
        add_managed_policy(builder, file, i, p, arn);
    }
    for (i, g) in groups.iter().enumerate() {
        let at = format!("GroupDetailList[{i}]");
        let arn = parse_arn(&path, &format!("{at}.Arn"), &g.arn)?;
        builder.note_account(&arn);
        let common = identity(
            builder,
            file,
            &at,
            "GroupPolicyList",
            IdentityFields {
                name: &g.group_name,
                id: &g.group_id,
                arn,
                path: &g.path,
                create_date: &g.create_date,
                inline: &g.group_policy_list,
                attached: &g.attached_managed_policies,
            },
        );
        builder.add_group(Group {
            common,
            members: Vec::new(),
        });
    }
    // Group ids are positions in `groups`: they were added in order above.
    let group_ids: HashMap<&str, GroupId> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.group_name.as_str(), GroupId(i as u32)))
        .collect();
    let mut memberships = Vec::new();
    for (i, u) in users.iter().enumerate() {
        let at = format!("UserDetailList[{i}]");
        let arn = parse_arn(&path, &format!("{at}.Arn"), &u.arn)?;
        builder.note_account(&arn);
        let common = identity(
            builder,
            file,
            &at,
            "UserPolicyList",
            IdentityFields {
                name: &u.user_name,
                id: &u.user_id,
                arn,
                path: &u.path,
                create_date: &u.create_date,
                inline: &u.user_policy_list,
                attached: &u.attached_managed_policies,
            },
        );
        let mut user_groups = Vec::new();
        for (j, name) in u.group_list.iter().enumerate() {
            match group_ids.get(name.as_str()) {
                Some(&g) => user_groups.push(g),
                None => builder.warn(
                    file.name,
                    Some(format!("{at}.GroupList[{j}]")),
                    format!(
                        "user {} is in group {name}, which the export does not list",
                        u.user_name
                    ),
                ),
            }
        }
        let boundary = u.permissions_boundary.as_ref().and_then(|b| {
            builder.policy_ref(
                file.name,
                &format!("{at}.PermissionsBoundary"),
                &b.permissions_boundary_arn,
            )
        });
        let id = builder.add_user(User {
            common,
            groups: user_groups.clone(),
            permissions_boundary: boundary,
            tags: tags(&u.tags),
        });
        memberships.extend(user_groups.into_iter().map(|g| (g, id)));
    }
    for (g, u) in memberships {
        builder.account.groups[g.index()].members.push(u);
    }
    for (i, r) in roles.iter().enumerate() {
        let at = format!("RoleDetailList[{i}]");
        let arn = parse_arn(&path, &format!("{at}.Arn"), &r.arn)?;
        builder.note_account(&arn);
        let common = identity(
            builder,
            file,
            &at,
            "RolePolicyList",
            IdentityFields {
                name: &r.role_name,
                id: &r.role_id,
                arn,
                path: &r.path,
                create_date: &r.create_date,
                inline: &r.role_policy_list,
                attached: &r.attached_managed_policies,
            },
        );
        let trust_policy = match r.assume_role_policy_document {
            Some(doc) => file.policy(
                doc,
                || format!("{at}.AssumeRolePolicyDocument"),
                &mut builder.account.warnings,
            ),
            None => {
                builder.warn(
                    file.name,
                    Some(format!("{at}.AssumeRolePolicyDocument")),
                    format!("role {} has no trust policy in the export", r.role_name),
                );
                PolicySource::new("")
            }
        };
        let boundary = r.permissions_boundary.as_ref().and_then(|b| {
            builder.policy_ref(
                file.name,
                &format!("{at}.PermissionsBoundary"),
                &b.permissions_boundary_arn,
            )
        });
        let role_id = builder.add_role(Role {
            common,
            trust_policy,
            description: r.description.clone().filter(|d| !d.is_empty()),
            max_session_duration: r.max_session_duration,
            permissions_boundary: boundary,
            tags: tags(&r.tags),
            last_used: r.role_last_used.as_ref().and_then(|l| {
                (l.last_used_date.is_some() || l.region.is_some()).then(|| RoleLastUsed {
                    date: l.last_used_date.clone(),
                    region: l.region.clone(),
                })
            }),
            instance_profiles: Vec::new(),
        });
        for (j, p) in r.instance_profile_list.iter().enumerate() {
            let at = format!("{at}.InstanceProfileList[{j}]");
            builder.add_instance_profile(file.name, &at, p, Some(role_id))?;
        }
    }
    Ok(())
}

struct IdentityFields<'r, 'a> {
    name: &'r str,
    id: &'r str,
    arn: Arn,
    path: &'r str,
    create_date: &'r str,
    inline: &'r [RawInlinePolicy<'a>],
    attached: &'r [RawAttachedPolicy],
}

fn identity(
    builder: &mut AccountBuilder,
    file: &PolicyFile<'_>,
    at: &str,
    inline_field: &str,
    fields: IdentityFields<'_, '_>,
) -> IdentityCommon {
    let inline_policies = fields
        .inline
        .iter()
        .enumerate()
        .map(|(j, p)| InlinePolicy {
            name: p.policy_name.clone(),
            document: file.policy(
                p.policy_document,
                || format!("{at}.{inline_field}[{j}].PolicyDocument"),
                &mut builder.account.warnings,
            ),
        })
        .collect();
    let attached_policies = fields
        .attached
        .iter()
        .enumerate()
        .filter_map(|(j, p)| {
            builder.policy_ref(
                file.name,
                &format!("{at}.AttachedManagedPolicies[{j}]"),
                &p.policy_arn,
            )
        })
        .collect();
    IdentityCommon {
        name: fields.name.to_string(),
        id: fields.id.to_string(),
        arn: fields.arn,
        path: fields.path.to_string(),
        create_date: fields.create_date.to_string(),
        inline_policies,
        attached_policies,
    }
}

fn add_managed_policy(
    builder: &mut AccountBuilder,
    file: &PolicyFile<'_>,
    index: usize,
    p: &RawManagedPolicy<'_>,
    arn: Arn,
) {
    let versions = p
        .policy_version_list
        .iter()
        .enumerate()
        .map(|(j, v)| {
            let at = || format!("Policies[{index}].PolicyVersionList[{j}].Document");
            let document = match v.document {
                Some(doc) => file.policy(doc, at, &mut builder.account.warnings),
                None => PolicySource::new(""),
            };
            PolicyVersion {
                version_id: v.version_id.clone(),
                is_default: v.is_default_version,
                create_date: v.create_date.clone(),
                document,
            }
        })
        .collect::<Vec<_>>();
    if !versions.is_empty() && !versions.iter().any(|v| v.is_default) {
        builder.warn(
            file.name,
            Some(format!("Policies[{index}].PolicyVersionList")),
            format!(
                "policy {} has no default version: it grants nothing",
                p.policy_name
            ),
        );
    }
    builder.add_managed_policy(
        file.name,
        &format!("Policies[{index}]"),
        ManagedPolicy {
            name: p.policy_name.clone(),
            id: p.policy_id.clone(),
            arn,
            path: p.path.clone(),
            description: p.description.clone().filter(|d| !d.is_empty()),
            default_version_id: p.default_version_id.clone(),
            versions,
            attachment_count: p.attachment_count,
            usage: PolicyUsage::default(),
            in_export: true,
        },
    );
}

/// Parses an ARN field, failing the load when it is not an ARN: every entity is
/// identified by its ARN, so without one the export is not usable.
pub fn parse_arn(file: &std::path::Path, json_path: &str, text: &str) -> Result<Arn, LoadError> {
    Arn::parse(text).ok_or_else(|| {
        LoadError::file(file, format!("expected an ARN, found {text:?}")).at_path(json_path)
    })
}

/// Converts exported tags.
pub fn tags(raw: &[RawTag]) -> Vec<Tag> {
    raw.iter()
        .map(|t| Tag {
            key: t.key.clone(),
            value: t.value.clone(),
        })
        .collect()
}
