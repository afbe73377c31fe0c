//! `credential-report.csv`: passwords, MFA and access keys per user.

use std::collections::HashMap;

use super::builder::AccountBuilder;
use super::LoadError;
use crate::model::{AccessKeyStatus, CredentialReportRow};

const FILE: &str = "credential-report.csv";

/// Reads the credential report when present. Columns are found by name, so reports
/// with added columns still load.
pub fn read(builder: &mut AccountBuilder<'_>) -> Result<(), LoadError> {
    let Some(bytes) = builder.source().read(FILE)? else {
        return Ok(());
    };
    let path = builder.display_path(FILE);
    let text = super::text::check_text(&path, &bytes)?;
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Ok(());
    };
    let columns: HashMap<&str, usize> = header
        .split(',')
        .enumerate()
        .map(|(i, c)| (c.trim(), i))
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
    let mut rows = Vec::new();
    for (index, line) in lines {
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        if cells.len() < columns.len() {
            return Err(LoadError::file(
                &path,
                format!(
                    "this row has {} columns, the header {}",
                    cells.len(),
                    columns.len()
                ),
            )
            .at_position(index + 1, 1));
        }
        let text = |name: &str| -> Option<String> {
            let cell = *cells.get(*columns.get(name)?)?;
            match cell {
                "" | "N/A" | "no_information" | "not_supported" => None,
                _ => Some(cell.to_string()),
            }
        };
        let flag = |name: &str| text(name).is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let key = |n: u8| AccessKeyStatus {
            active: flag(&format!("access_key_{n}_active")),
            last_rotated: text(&format!("access_key_{n}_last_rotated")),
            last_used_date: text(&format!("access_key_{n}_last_used_date")),
            last_used_region: text(&format!("access_key_{n}_last_used_region")),
            last_used_service: text(&format!("access_key_{n}_last_used_service")),
        };
        rows.push(CredentialReportRow {
            user: text("user").unwrap_or_default(),
            arn: text("arn").unwrap_or_default(),
            user_creation_time: text("user_creation_time"),
            password_enabled: flag("password_enabled"),
            password_last_used: text("password_last_used"),
            password_last_changed: text("password_last_changed"),
            mfa_active: flag("mfa_active"),
            access_key_1: key(1),
            access_key_2: key(2),
        });
    }
    builder.account.parts.credential_report = true;
    builder.account.credential_report = Some(rows);
    Ok(())
}
