//! A diff as one list of changes, each with both versions as lines: what the TUI's
//! diff screen lists and shows side by side (the core owns the text; the TUI draws it).

use super::{AccessState, Diff, FindingDelta};
use crate::query::hop::Hop;

/// Which part of the diff a change belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// A sensitive action or a role assumption.
    Access,
    /// A way to administrator.
    Admin,
    /// Trust from outside the account.
    Trust,
    /// A finding.
    Finding,
    /// An entity.
    Entity,
}

impl Section {
    /// A short label: `access`, `admin`, `trust`, `finding`, `entity`.
    pub fn label(self) -> &'static str {
        match self {
            Section::Access => "access",
            Section::Admin => "admin",
            Section::Trust => "trust",
            Section::Finding => "finding",
            Section::Entity => "entity",
        }
    }
}

/// One change, ready to list and to show side by side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeView {
    /// Its part of the diff.
    pub section: Section,
    /// `+` grew (or appeared, or added), `-` shrank (or gone, removed), `~` changed.
    pub mark: char,
    /// True when access grew.
    pub grew: bool,
    /// One line saying what changed.
    pub title: String,
    /// The old version.
    pub old: Vec<String>,
    /// The new version.
    pub new: Vec<String>,
}

fn state_lines(s: &AccessState) -> Vec<String> {
    let mut out = vec![format!("decision: {}", s.decision)];
    if !s.missing_keys.is_empty() {
        out.push(format!("depends on: {}", s.missing_keys.join(", ")));
    }
    out.extend(s.reasons.iter().map(|r| format!("and: {r}")));
    if !s.statements.is_empty() {
        out.push("deciding statements:".into());
        out.extend(s.statements.iter().map(|st| format!("  {st}")));
    }
    out
}

fn path_lines(path: &Option<Vec<Hop>>) -> Vec<String> {
    match path {
        None => vec!["no way to administrator".into()],
        Some(p) if p.is_empty() => vec!["is an administrator".into()],
        Some(p) => p
            .iter()
            .map(|h| {
                let mut line = format!("{} --{}--> {}", h.from, h.kind, h.to);
                if h.conditional {
                    line += " (conditional)";
                }
                line
            })
            .collect(),
    }
}

fn mark(grew: bool) -> char {
    if grew {
        '+'
    } else {
        '-'
    }
}

/// Every change of `d`: access first (growth first), then ways to administrator,
/// outside trust, findings and entities.
pub fn changes(d: &Diff) -> Vec<ChangeView> {
    let mut out = Vec::new();
    let mut access: Vec<&super::AccessChange> = d.access.iter().collect();
    access.sort_by_key(|c| !c.grew);
    for c in access {
        out.push(ChangeView {
            section: Section::Access,
            mark: mark(c.grew),
            grew: c.grew,
            title: format!(
                "{} {} {} on {}: {} → {}",
                c.change.name(),
                c.principal,
                c.action,
                c.resource,
                c.old.decision,
                c.new.decision
            ),
            old: state_lines(&c.old),
            new: state_lines(&c.new),
        });
    }
    for c in &d.admin_paths {
        out.push(ChangeView {
            section: Section::Admin,
            mark: mark(c.grew),
            grew: c.grew,
            title: format!("{} {} reaches administrator", c.change.name(), c.principal),
            old: path_lines(&c.old_path),
            new: path_lines(&c.new_path),
        });
    }
    for c in &d.external_trust {
        out.push(ChangeView {
            section: Section::Trust,
            mark: mark(c.grew),
            grew: c.grew,
            title: format!(
                "{} {} ({}) --{}--> {}",
                c.change.name(),
                c.principal,
                c.principal_kind,
                c.via,
                c.role
            ),
            old: state_lines(&c.old),
            new: state_lines(&c.new),
        });
    }
    for f in &d.findings {
        let lines = vec![
            format!("{} {} ({})", f.id, f.title, f.severity),
            f.entity.clone(),
            f.summary.clone(),
        ];
        let (m, old, new) = match f.change {
            FindingDelta::Appeared => ('+', vec!["(not reported)".into()], lines),
            FindingDelta::Gone => ('-', lines, vec!["(not reported)".into()]),
        };
        out.push(ChangeView {
            section: Section::Finding,
            mark: m,
            grew: false,
            title: format!(
                "{} {} {} {}",
                if m == '+' { "appeared" } else { "gone" },
                f.id,
                f.severity,
                f.entity
            ),
            old,
            new,
        });
    }
    for e in &d.entities {
        let m = match e.kind {
            super::ChangeKind::Added => '+',
            super::ChangeKind::Removed => '-',
            super::ChangeKind::Changed => '~',
        };
        let absent = |v: &Vec<String>| {
            if v.is_empty() {
                vec!["(absent)".to_string()]
            } else {
                v.clone()
            }
        };
        out.push(ChangeView {
            section: Section::Entity,
            mark: m,
            grew: false,
            title: format!("{} {} {}", e.kind.name(), e.entity.name(), e.id),
            old: absent(&e.old_view),
            new: absent(&e.new_view),
        });
    }
    out
}
