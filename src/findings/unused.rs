//! Unused access (IAM040, IAM041): roles nobody assumed and users nobody signed in as
//! for [`STALE_DAYS`] days.

use super::clock::days_from_iso;
use super::credentials::last_activity;
use super::evidence::Evidence;
use super::{Audit, Finding, STALE_DAYS};

pub(crate) fn check(a: &Audit<'_, '_>, out: &mut Vec<Finding>) {
    let Some(now) = a.now else {
        return;
    };
    let account = a.engine.account();
    for role in &account.roles {
        // Service-linked roles belong to their service, which deletes them itself.
        if role.is_service_linked() {
            continue;
        }
        let Some(created) = days_from_iso(&role.common.create_date) else {
            continue;
        };
        if now - created <= STALE_DAYS {
            continue;
        }
        let last = role.last_used.as_ref().and_then(|u| u.date.as_deref());
        let how = match last.and_then(days_from_iso) {
            Some(d) if now - d > STALE_DAYS => format!("was last used {} days ago", now - d),
            Some(_) => continue,
            None => format!(
                "has never been used; it was created {} days ago",
                now - created
            ),
        };
        out.push(
            Finding::new(
                "IAM040",
                role.common.arn.to_string(),
                format!("role {} {how}", role.common.name),
            )
            .evidence([Evidence::note(format!(
                "RoleLastUsed.LastUsedDate: {}; CreateDate: {}",
                last.unwrap_or("none"),
                role.common.create_date
            ))])
            .at(
                "gaad.json",
                Some(format!(
                    "RoleDetailList[?RoleName=='{}'].RoleLastUsed",
                    role.common.name
                )),
            ),
        );
    }
    for row in account.credential_report.iter().flatten() {
        if row.is_root() {
            continue;
        }
        let has_credentials =
            row.password_enabled || row.access_key_1.active || row.access_key_2.active;
        let created = row.user_creation_time.as_deref().and_then(days_from_iso);
        if !has_credentials || created.is_none_or(|c| now - c <= STALE_DAYS) {
            continue;
        }
        let how = match last_activity(row) {
            Some(d) if now - d > STALE_DAYS => format!("was last active {} days ago", now - d),
            Some(_) => continue,
            None => "has never used any of its credentials".to_string(),
        };
        out.push(
            Finding::new(
                "IAM041",
                row.arn.clone(),
                format!("user {} {how}", row.user),
            )
            .evidence([
                Evidence::credential(
                    &row.user,
                    "password_last_used",
                    row.password_last_used.as_deref(),
                ),
                Evidence::credential(
                    &row.user,
                    "access_key_1_last_used_date",
                    row.access_key_1.last_used_date.as_deref(),
                ),
                Evidence::credential(
                    &row.user,
                    "access_key_2_last_used_date",
                    row.access_key_2.last_used_date.as_deref(),
                ),
            ])
            .at("credential-report.csv", Some(format!("user={}", row.user))),
        );
    }
}
