//! Dates: "now" for an audit, and ISO 8601 dates as day numbers.
//!
//! An audit's "now" is the bundle's own date, not the machine's clock, so that the
//! same export gives the same findings tomorrow. The credential report's generation
//! time is not in its CSV, so the latest time the bundle records (a credential last
//! used, a role last used) stands for it: the report cannot be older than that.

use crate::model::Account;

/// Days since 1970-01-01 of an ISO 8601 date (`2024-03-01T…`).
pub fn days_from_iso(s: &str) -> Option<i64> {
    let y: i64 = s.get(0..4)?.parse().ok()?;
    let m: i64 = s.get(5..7)?.parse().ok()?;
    let d: i64 = s.get(8..10)?.parse().ok()?;
    if s.get(4..5) != Some("-") || s.get(7..8) != Some("-") || !(1..=12).contains(&m) {
        return None;
    }
    if !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The ISO 8601 date (`2026-11-01`) of a day number (days since 1970-01-01).
pub fn iso_from_days(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The proleptic Gregorian (year, month, day) of a day number (days since 1970-01-01),
/// by Howard Hinnant's `civil_from_days`.
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The bundle's date, as days since 1970-01-01: the latest time recorded in the
/// credential report or in a role's last use. `None` when the bundle records none.
pub fn as_of(account: &Account) -> Option<i64> {
    let mut dates: Vec<&str> = Vec::new();
    dates.extend(account.credential_report_as_of.as_deref());
    for row in account.credential_report.iter().flatten() {
        dates.extend(row.user_creation_time.as_deref());
        dates.extend(row.password_last_used.as_deref());
        dates.extend(row.password_last_changed.as_deref());
        for key in [&row.access_key_1, &row.access_key_2] {
            dates.extend(key.last_rotated.as_deref());
            dates.extend(key.last_used_date.as_deref());
        }
    }
    for role in &account.roles {
        dates.extend(role.last_used.as_ref().and_then(|u| u.date.as_deref()));
    }
    dates.into_iter().filter_map(days_from_iso).max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_from_iso_dates() {
        assert_eq!(days_from_iso("1970-01-01"), Some(0));
        assert_eq!(days_from_iso("2000-03-01T00:00:00Z"), Some(11_017));
        assert_eq!(days_from_iso("2024-01-01"), Some(19_723));
        assert_eq!(days_from_iso("N/A"), None);
        assert_eq!(days_from_iso("2024-13-01"), None);
        assert_eq!(days_from_iso("2024/01/01"), None);
        for day in [0, 11_017, 19_723, 20_758] {
            assert_eq!(days_from_iso(&iso_from_days(day)), Some(day));
        }
        assert_eq!(iso_from_days(19_723), "2024-01-01");
    }

    #[test]
    fn as_of_is_the_latest_recorded_time() {
        let mut account = Account::default();
        assert_eq!(as_of(&account), None);
        let mut row = crate::model::CredentialReportRow {
            password_last_used: Some("2026-10-31T23:59:00+00:00".into()),
            ..Default::default()
        };
        row.access_key_1.last_used_date = Some("2026-01-01T00:00:00+00:00".into());
        account.credential_report = Some(vec![row]);
        assert_eq!(as_of(&account), days_from_iso("2026-10-31"));
    }
}
