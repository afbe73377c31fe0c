//! Credential checks (IAM030–IAM036), from the credential report. Ages are measured
//! from the audit's "now" (the bundle's date), never from the machine's clock.

use super::clock::days_from_iso;
use super::evidence::Evidence;
use super::{Audit, Finding, Severity, STALE_DAYS};
use crate::model::{AccessKeyStatus, CredentialReportRow};

const REPORT: &str = "credential-report.csv";

pub(crate) fn check(a: &Audit<'_, '_>, out: &mut Vec<Finding>) {
    let Some(rows) = &a.engine.account().credential_report else {
        return;
    };
    for row in rows {
        if row.is_root() {
            root(row, out);
        } else {
            user(a, row, out);
        }
    }
}

fn finding(id: &'static str, row: &CredentialReportRow, summary: String) -> Finding {
    Finding::new(id, row.arn.clone(), summary).at(REPORT, Some(format!("user={}", row.user)))
}

fn root(row: &CredentialReportRow, out: &mut Vec<Finding>) {
    for (n, key) in keys(row) {
        if key.active {
            out.push(
                finding(
                    "IAM031",
                    row,
                    format!("the root user has an active access key {n}"),
                )
                .evidence([Evidence::credential(
                    &row.user,
                    &format!("access_key_{n}_active"),
                    Some("true"),
                )]),
            );
        }
    }
    if !row.mfa_active {
        out.push(
            finding("IAM032", row, "the root user has no MFA device".to_string())
                .evidence([Evidence::credential(&row.user, "mfa_active", Some("false"))]),
        );
    }
}

fn keys(row: &CredentialReportRow) -> [(u8, &AccessKeyStatus); 2] {
    [(1, &row.access_key_1), (2, &row.access_key_2)]
}

fn age(now: i64, date: Option<&str>) -> Option<i64> {
    date.and_then(days_from_iso).map(|d| now - d)
}

fn user(a: &Audit<'_, '_>, row: &CredentialReportRow, out: &mut Vec<Finding>) {
    let admin = a
        .engine
        .resolve(&row.arn)
        .is_some_and(|who| a.graph.is_admin(a.graph.node_of(who)));
    if row.password_enabled && !row.mfa_active {
        let mut f = finding(
            "IAM030",
            row,
            format!(
                "{} signs in with a password and no MFA{}",
                row.user,
                if admin {
                    " and is an administrator"
                } else {
                    ""
                }
            ),
        )
        .evidence([
            Evidence::credential(&row.user, "password_enabled", Some("true")),
            Evidence::credential(&row.user, "mfa_active", Some("false")),
        ]);
        if admin {
            f = f.severity(Severity::High);
        }
        out.push(f);
    }
    let active: Vec<(u8, &AccessKeyStatus)> =
        keys(row).into_iter().filter(|(_, k)| k.active).collect();
    if active.len() == 2 {
        out.push(
            finding(
                "IAM034",
                row,
                format!("{} has two active access keys", row.user),
            )
            .evidence([
                Evidence::credential(&row.user, "access_key_1_active", Some("true")),
                Evidence::credential(&row.user, "access_key_2_active", Some("true")),
            ]),
        );
    }
    let Some(now) = a.now else {
        return;
    };
    for (n, key) in active {
        let rotated = format!("access_key_{n}_last_rotated");
        let used = format!("access_key_{n}_last_used_date");
        if let Some(days) = age(now, key.last_rotated.as_deref()).filter(|&d| d > STALE_DAYS) {
            out.push(
                finding(
                    "IAM033",
                    row,
                    format!(
                        "{}'s access key {n} is active and {days} days old",
                        row.user
                    ),
                )
                .evidence([Evidence::credential(
                    &row.user,
                    &rotated,
                    key.last_rotated.as_deref(),
                )]),
            );
        }
        let unused = match age(now, key.last_used_date.as_deref()) {
            Some(days) if days > STALE_DAYS => Some(format!("has not been used for {days} days")),
            Some(_) => None,
            None => age(now, key.last_rotated.as_deref())
                .filter(|&d| d > STALE_DAYS)
                .map(|_| "has never been used".to_string()),
        };
        if let Some(how) = unused {
            out.push(
                finding(
                    "IAM035",
                    row,
                    format!("{}'s active access key {n} {how}", row.user),
                )
                .evidence([
                    Evidence::credential(&row.user, &used, key.last_used_date.as_deref()),
                    Evidence::credential(&row.user, &rotated, key.last_rotated.as_deref()),
                ]),
            );
        }
    }
    if row.password_enabled {
        let unused = match age(now, row.password_last_used.as_deref()) {
            Some(days) if days > STALE_DAYS => Some(format!("has not been used for {days} days")),
            Some(_) => None,
            None => age(now, row.user_creation_time.as_deref())
                .filter(|&d| d > STALE_DAYS)
                .map(|_| "has never been used".to_string()),
        };
        if let Some(how) = unused {
            out.push(
                finding(
                    "IAM036",
                    row,
                    format!("{}'s console password {how}", row.user),
                )
                .evidence([
                    Evidence::credential(
                        &row.user,
                        "password_last_used",
                        row.password_last_used.as_deref(),
                    ),
                    Evidence::credential(
                        &row.user,
                        "user_creation_time",
                        row.user_creation_time.as_deref(),
                    ),
                ]),
            );
        }
    }
}

/// The last time any credential of the row was used, as days since 1970-01-01.
pub fn last_activity(row: &CredentialReportRow) -> Option<i64> {
    let used = [
        row.password_last_used.as_deref(),
        row.access_key_1.last_used_date.as_deref(),
        row.access_key_2.last_used_date.as_deref(),
    ];
    used.into_iter().flatten().filter_map(days_from_iso).max()
}
