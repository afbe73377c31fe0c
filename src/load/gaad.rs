//! `gaad.json`: users, groups, roles, managed policies, inline policies, boundaries.

use std::collections::HashMap;

use super::builder::AccountBuilder;
use super::gaad_raw::*;
use super::policy_text::PolicyFile;
use super::LoadError;
use crate::model::*;

/// The pages of a GAAD file and where each starts, to place errors.
struct Pages<'t, 'a> {
    text: &'t str,
    pages: &'t [(RawGaad<'a>, usize)],
}

impl<'t, 'a> Pages<'t, 'a> {
    /// `error` about page `page`, with its line:column and, when the file has
    /// several pages, which one.
    fn place(&self, page: usize, error: LoadError) -> LoadError {
        let mut error = error.placed_in(self.text, self.pages[page].1);
        if self.pages.len() > 1 {
            error.message += &format!(" (in JSON page {} of the file)", page + 1);
        }
        error
    }

    /// Every item of one list across the pages, with its page and index in it.
    fn items<T: 't>(
        &self,
        list: impl Fn(&'t RawGaad<'a>) -> Option<&'t Vec<T>>,
    ) -> Vec<(usize, usize, &'t T)> {
        let mut out = Vec::new();
        for (page, (raw, _)) in self.pages.iter().enumerate() {
            for (index, item) in list(raw).into_iter().flatten().enumerate() {
                out.push((page, index, item));
            }
        }
        out
    }
}

/// Reads a GAAD file's text into the builder: one JSON document, or several
/// concatenated pages, loaded as their union.
pub fn read(builder: &mut AccountBuilder, file: &PolicyFile<'_>) -> Result<(), LoadError> {
    let path = builder.display_path(file.name);
    let parsed: Vec<(RawGaad<'_>, usize)> = super::json::parse_pages(&path, file.text)?;
    let pages = Pages {
        text: file.text,
        pages: &parsed,
    };
    for (page, (raw, _)) in parsed.iter().enumerate() {
        if raw.user_detail_list.is_none()
            && raw.group_detail_list.is_none()
            && raw.role_detail_list.is_none()
            && raw.policies.is_none()
        {
            let error = LoadError::file(
                &path,
                "this is not get-account-authorization-details output: it has none of \
                 UserDetailList, GroupDetailList, RoleDetailList, Policies",
            )
            .at_path("(top level)");
            let (line, column) = super::json::line_col(file.text, parsed[page].1);
            return Err(pages.place(page, error.at_position(line, column)));
        }
    }
    note_pages(builder, file.name, &parsed);
    let policies = pages.items(|r| r.policies.as_ref());
    let groups = pages.items(|r| r.group_detail_list.as_ref());
    let users = pages.items(|r| r.user_detail_list.as_ref());
    let roles = pages.items(|r| r.role_detail_list.as_ref());
    let mut seen = std::collections::HashSet::new();
    let mut first_time = |builder: &mut AccountBuilder, at: &str, arn: &Arn| {
        let new = seen.insert(arn.as_str().to_string());
        if !new {
            builder.warn(
                file.name,
                Some(at.to_string()),
                format!("{arn} is listed twice (overlapping pages?); the first is kept"),
            );
        }
        new
    };

    // Policies first, so attachments resolve to them; then groups before users.
    for &(page, i, p) in &policies {
        let at = format!("Policies[{i}]");
        let arn =
            parse_arn(&path, &format!("{at}.Arn"), &p.arn).map_err(|e| pages.place(page, e))?;
        builder.note_account(&arn);
        add_managed_policy(builder, file, &at, p, arn);
    }
    let mut group_ids: HashMap<&str, GroupId> = HashMap::new();
    for &(page, i, g) in &groups {
        let at = format!("GroupDetailList[{i}]");
        let arn =
            parse_arn(&path, &format!("{at}.Arn"), &g.arn).map_err(|e| pages.place(page, e))?;
        builder.note_account(&arn);
        if !first_time(builder, &at, &arn) {
            continue;
        }
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
        let id = builder.add_group(Group {
            common,
            members: Vec::new(),
        });
        group_ids.entry(g.group_name.as_str()).or_insert(id);
    }
    let mut memberships = Vec::new();
    for &(page, i, u) in &users {
        let at = format!("UserDetailList[{i}]");
        let arn =
            parse_arn(&path, &format!("{at}.Arn"), &u.arn).map_err(|e| pages.place(page, e))?;
        builder.note_account(&arn);
        if !first_time(builder, &at, &arn) {
            continue;
        }
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
    for &(page, i, r) in &roles {
        let at = format!("RoleDetailList[{i}]");
        let arn =
            parse_arn(&path, &format!("{at}.Arn"), &r.arn).map_err(|e| pages.place(page, e))?;
        builder.note_account(&arn);
        if !first_time(builder, &at, &arn) {
            continue;
        }
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
            builder
                .add_instance_profile(file.name, &at, p, Some(role_id))
                .map_err(|e| pages.place(page, e))?;
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
    at_policy: &str,
    p: &RawManagedPolicy<'_>,
    arn: Arn,
) {
    let name = if p.policy_name.is_empty() {
        arn.name().to_string()
    } else {
        p.policy_name.clone()
    };
    let versions = p
        .policy_version_list
        .iter()
        .enumerate()
        .map(|(j, v)| {
            let at = || format!("{at_policy}.PolicyVersionList[{j}].Document");
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
            Some(format!("{at_policy}.PolicyVersionList")),
            format!("policy {name} has no default version: it grants nothing",),
        );
    }
    builder.add_managed_policy(
        file.name,
        at_policy,
        ManagedPolicy {
            name,
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

/// Notes a file of several pages, and warns when the last page says more exist.
fn note_pages(builder: &mut AccountBuilder, file: &str, pages: &[(RawGaad<'_>, usize)]) {
    if pages.len() > 1 {
        builder.warn(
            file,
            None,
            format!(
                "note: the file holds {} concatenated JSON pages (paginated AWS CLI runs \
                 appended to one file); loaded their union",
                pages.len()
            ),
        );
    }
    let Some((last, _)) = pages.last() else {
        return;
    };
    let why = if last.is_truncated == Some(true) {
        Some("\"IsTruncated\": true")
    } else if last.marker.is_some() {
        Some("a Marker")
    } else if last.next_token.is_some() {
        Some("a NextToken")
    } else {
        None
    };
    if let Some(why) = why {
        builder.warn(
            file,
            None,
            format!(
                "the export is partial: its last page has {why}, so the account has more \
                 users, groups, roles or policies than the file holds; export again without \
                 --max-items, or append the remaining pages"
            ),
        );
    }
}
