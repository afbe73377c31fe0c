//! Findings that appeared or went away between two exports: both audits, compared by
//! check id, entity and summary.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::findings::{Finding, Severity};

/// Whether a finding is new or gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingDelta {
    /// In the new export's audit only.
    Appeared,
    /// In the old export's audit only.
    Gone,
}

/// A finding that appeared or went away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingChange {
    /// Appeared or gone.
    pub change: FindingDelta,
    /// The check id, e.g. `IAM001`.
    pub id: &'static str,
    /// The check's title.
    pub title: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// What it is about.
    pub entity: String,
    /// The finding's sentence.
    pub summary: String,
}

type Key<'f> = (&'static str, &'f str, &'f str);

fn counted(findings: &[Finding]) -> BTreeMap<Key<'_>, (usize, &Finding)> {
    let mut out: BTreeMap<Key<'_>, (usize, &Finding)> = BTreeMap::new();
    for f in findings {
        out.entry((f.id, &f.entity, &f.summary)).or_insert((0, f)).0 += 1;
    }
    out
}

/// The findings of `new` not in `old` (appeared) and those of `old` not in `new`
/// (gone), most severe first.
pub fn finding_changes(old: &[Finding], new: &[Finding]) -> Vec<FindingChange> {
    let (before, after) = (counted(old), counted(new));
    let mut out = Vec::new();
    let mut emit = |change,
                    from: &BTreeMap<Key<'_>, (usize, &Finding)>,
                    other: &BTreeMap<Key<'_>, (usize, &Finding)>| {
        for (key, (n, f)) in from {
            let there = other.get(key).map_or(0, |(m, _)| *m);
            for _ in there..*n {
                out.push(FindingChange {
                    change,
                    id: f.id,
                    title: f.title,
                    severity: f.severity,
                    entity: f.entity.clone(),
                    summary: f.summary.clone(),
                });
            }
        }
    };
    emit(FindingDelta::Appeared, &after, &before);
    emit(FindingDelta::Gone, &before, &after);
    out.sort_by(|a, b| {
        (a.change, std::cmp::Reverse(a.severity), a.id, &a.entity).cmp(&(
            b.change,
            std::cmp::Reverse(b.severity),
            b.id,
            &b.entity,
        ))
    });
    out
}
