//! `credential-report.csv`: passwords, MFA and access keys per user, read with the
//! `csv` crate (user names may hold commas and quotes). Columns are found by name, so
//! reports with added columns still load.

use std::collections::{HashMap, HashSet};

use super::builder::AccountBuilder;
use super::LoadError;
use crate::model::{AccessKeyStatus, CredentialReportRow};

const FILE: &str = "credential-report.csv";

/// Columns every report has, in AWS's order; `user` and `arn` are required.
const COLUMNS: &[&str] = &[
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_1_last_used_region",
    "access_key_1_last_used_service",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "access_key_2_last_used_region",
    "access_key_2_last_used_service",
    "cert_1_active",
    "cert_1_last_rotated",
    "cert_2_active",
    "cert_2_last_rotated",
];

/// Columns that hold dates: the latest of them tells when the report was made.
const DATE_COLUMNS: &[&str] = &[
    "user_creation_time",
    "password_last_used",
    "password_last_changed",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "cert_1_last_rotated",
    "cert_2_last_rotated",
];

/// Reads the credential report when present.
pub fn read(builder: &mut AccountBuilder<'_>) -> Result<(), LoadError> {
    let Some(bytes) = builder.source().read(FILE)? else {
        return Ok(());
    };
    let path = builder.display_path(FILE);
    let text = super::text::check_text(&path, &bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let csv_error = |e: csv::Error| {
        let (line, message) = match e.position() {
            Some(p) => (p.line() as usize, e.to_string()),
            None => (1, e.to_string()),
        };
        LoadError::file(&path, format!("not a readable CSV file: {message}")).at_position(line, 1)
    };
    let Some(header) = records.next().transpose().map_err(csv_error)? else {
        return Ok(());
    };
    let header: Vec<String> = header.iter().map(|c| c.trim().to_string()).collect();
    let ends_in_newline = text.ends_with('\n');
    let only_header = text.trim_end().lines().count() == 1;
    if only_header && !ends_in_newline && !header.iter().all(|c| COLUMNS.contains(&c.as_str())) {
        builder.warn(
            FILE,
            None,
            "the report is cut inside its header (the file ends in a column name it does \
             not finish): no rows loaded; download it again"
                .to_string(),
        );
        builder.account.parts.credential_report = true;
        builder.account.credential_report = Some(Vec::new());
        return Ok(());
    }
    let columns: HashMap<&str, usize> = header
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    for required in ["user", "arn"] {
        if !columns.contains_key(required) {
            return Err(LoadError::file(
                &path,
                format!("the header has no {required:?} column: is this the decoded credential report? (see README: get-credential-report --query Content --output text | base64 -d)"),
            )
            .at_position(1, 1));
        }
    }
    let missing: Vec<&str> = COLUMNS
        .iter()
        .filter(|c| !columns.contains_key(**c) && !c.starts_with("cert_"))
        .copied()
        .collect();
    if !missing.is_empty() {
        builder.warn(
            FILE,
            None,
            format!(
                "the header lacks {}: those facts are unknown for every user",
                missing.join(", ")
            ),
        );
    }
    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    let mut latest: Option<String> = None;
    let mut records = records.peekable();
    while let Some(record) = records.next() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.len() < header.len() {
            let last = records.peek().is_none();
            if last && !ends_in_newline {
                builder.warn(
                    FILE,
                    None,
                    format!("line {line}: the report is cut inside this row; the row is skipped"),
                );
                break;
            }
            return Err(LoadError::file(
                &path,
                format!(
                    "this row has {} columns, the header {}",
                    record.len(),
                    header.len()
                ),
            )
            .at_position(line, 1));
        }
        let text = |name: &str| -> Option<String> {
            let cell = record.get(*columns.get(name)?)?.trim();
            match cell {
                "" | "N/A" | "no_information" | "not_supported" => None,
                _ => Some(cell.to_string()),
            }
        };
        for column in DATE_COLUMNS {
            if let Some(date) = text(column) {
                if latest.as_deref().is_none_or(|l| date.as_str() > l) {
                    latest = Some(date);
                }
            }
        }
        let flag = |name: &str| text(name).is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let key = |n: u8| AccessKeyStatus {
            active: flag(&format!("access_key_{n}_active")),
            last_rotated: text(&format!("access_key_{n}_last_rotated")),
            last_used_date: text(&format!("access_key_{n}_last_used_date")),
            last_used_region: text(&format!("access_key_{n}_last_used_region")),
            last_used_service: text(&format!("access_key_{n}_last_used_service")),
        };
        let row = CredentialReportRow {
            user: text("user").unwrap_or_default(),
            arn: text("arn").unwrap_or_default(),
            user_creation_time: text("user_creation_time"),
            password_enabled: flag("password_enabled"),
            password_last_used: text("password_last_used"),
            password_last_changed: text("password_last_changed"),
            mfa_active: flag("mfa_active"),
            access_key_1: key(1),
            access_key_2: key(2),
        };
        if !seen.insert((row.user.clone(), row.arn.clone())) {
            builder.warn(
                FILE,
                None,
                format!(
                    "line {line}: user {} ({}) has a second row; the first is kept",
                    row.user, row.arn
                ),
            );
            continue;
        }
        rows.push(row);
    }
    builder.account.parts.credential_report = true;
    builder.account.credential_report = Some(rows);
    builder.account.credential_report_as_of = latest;
    Ok(())
}
