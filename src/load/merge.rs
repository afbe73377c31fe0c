//! One model from the accounts of an organization bundle: every member's entities in
//! the same vectors (ids renumbered), AWS-managed policies stored once for all
//! accounts, and each member's place in the organization kept beside it.

use std::collections::HashMap;

use crate::model::*;

/// Merges `accounts` (loaded one by one, the first being the primary account) into one
/// model. `org_accounts` is the organization's account list; `source` names the bundle.
pub fn merge(accounts: Vec<Account>, org_accounts: Vec<OrgAccount>, source: String) -> Account {
    let mut out = Account {
        source,
        ..Account::default()
    };
    if let Some(first) = accounts.first() {
        out.id = first.id.clone();
        out.partition = first.partition.clone();
        out.alias = first.alias.clone();
        out.organization = first.organization.clone();
    }
    let mut aws_managed: HashMap<String, PolicyId> = HashMap::new();
    let mut latest_report: Option<String> = None;
    for account in accounts {
        let member = absorb(&mut out, account, &org_accounts, &mut aws_managed);
        if let Some(date) = member.1 {
            if latest_report.as_ref().is_none_or(|l| *l < date) {
                latest_report = Some(date);
            }
        }
        out.members.push(member.0);
    }
    out.credential_report_as_of = latest_report;
    out.org_accounts = org_accounts;
    super::builder::derive_links(&mut out);
    out
}

fn range(start: usize, end: usize) -> std::ops::Range<u32> {
    start as u32..end as u32
}

/// Moves one account's entities into `out`; returns its member record and the date of
/// its credential report.
fn absorb(
    out: &mut Account,
    account: Account,
    org_accounts: &[OrgAccount],
    aws_managed: &mut HashMap<String, PolicyId>,
) -> (MemberAccount, Option<String>) {
    let (users, groups, roles) = (out.users.len(), out.groups.len(), out.roles.len());
    let (profiles, resources) = (out.instance_profiles.len(), out.resource_policies.len());
    let mut customer_policies = 0;
    // The account's policy ids, renumbered into `out`.
    let mut policy_ids = Vec::with_capacity(account.managed_policies.len());
    for policy in account.managed_policies {
        if policy.is_aws_managed() {
            if let Some(&id) = aws_managed.get(policy.arn.as_str()) {
                let kept = &mut out.managed_policies[id.index()];
                kept.attachment_count = match (kept.attachment_count, policy.attachment_count) {
                    (Some(a), Some(b)) => Some(a + b),
                    (a, b) => a.or(b),
                };
                // A placeholder (referenced, not exported) gives way to the real one.
                if !kept.in_export && policy.in_export {
                    let count = kept.attachment_count;
                    *kept = policy;
                    kept.attachment_count = count;
                }
                policy_ids.push(id);
                continue;
            }
            aws_managed.insert(
                policy.arn.as_str().to_string(),
                PolicyId(out.managed_policies.len() as u32),
            );
        } else {
            customer_policies += 1;
        }
        policy_ids.push(PolicyId(out.managed_policies.len() as u32));
        out.managed_policies.push(policy);
    }
    let policy = |p: PolicyId| policy_ids[p.index()];
    let policies = |ps: &mut Vec<PolicyId>| ps.iter_mut().for_each(|p| *p = policy(*p));
    for mut user in account.users {
        policies(&mut user.common.attached_policies);
        user.permissions_boundary = user.permissions_boundary.map(policy);
        user.groups
            .iter_mut()
            .for_each(|g| *g = GroupId(g.0 + groups as u32));
        out.users.push(user);
    }
    for mut group in account.groups {
        policies(&mut group.common.attached_policies);
        group
            .members
            .iter_mut()
            .for_each(|u| *u = UserId(u.0 + users as u32));
        out.groups.push(group);
    }
    for mut role in account.roles {
        policies(&mut role.common.attached_policies);
        role.permissions_boundary = role.permissions_boundary.map(policy);
        role.instance_profiles
            .iter_mut()
            .for_each(|p| *p = InstanceProfileId(p.0 + profiles as u32));
        out.roles.push(role);
    }
    for mut profile in account.instance_profiles {
        profile
            .roles
            .iter_mut()
            .for_each(|r| *r = RoleId(r.0 + roles as u32));
        out.instance_profiles.push(profile);
    }
    out.saml_providers.extend(account.saml_providers);
    out.oidc_providers.extend(account.oidc_providers);
    out.resource_policies.extend(account.resource_policies);
    if let Some(rows) = account.credential_report {
        out.credential_report
            .get_or_insert_with(Vec::new)
            .extend(rows);
    }
    out.warnings.extend(account.warnings);
    let parts = account.parts;
    merge_parts(&mut out.parts, &parts);
    let member = MemberAccount {
        name: org_accounts
            .iter()
            .find(|a| a.id == account.id)
            .and_then(|a| a.name.clone()),
        id: account.id,
        alias: account.alias,
        organization: account.organization,
        parts,
        source: account.source,
        users: range(users, out.users.len()),
        groups: range(groups, out.groups.len()),
        roles: range(roles, out.roles.len()),
        resource_policies: range(resources, out.resource_policies.len()),
        customer_policies,
    };
    (member, account.credential_report_as_of)
}

/// The organization has a part when any of its accounts has it.
fn merge_parts(into: &mut BundleParts, from: &BundleParts) {
    into.account_aliases |= from.account_aliases;
    into.saml_providers |= from.saml_providers;
    into.oidc_providers |= from.oidc_providers;
    into.instance_profiles |= from.instance_profiles;
    into.scps |= from.scps;
    into.rcps |= from.rcps;
    into.resource_policies |= from.resource_policies;
    into.credential_report |= from.credential_report;
}
