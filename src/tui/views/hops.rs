//! A path drawn hop by hop, each with the requests behind it and the statements that
//! allow them — shared by the who-can trace, the blast radius and the paths screen.

use ratatui::text::{Line, Span};

use crate::graph::Evidence;
use crate::query::hop::Hop;
use crate::tui::analysis::short;
use crate::tui::app::App;
use crate::tui::screens::trust::view::CONDITIONAL;

use super::decision_cell;

/// One evidence line: `action on resource ✓ Allow  by Policy/Sid, …`.
pub fn evidence_line(app: &App, indent: &str, ev: &Evidence) -> Line<'static> {
    let t = &app.theme;
    let by = if ev.statements.is_empty() {
        "(no statement named)".to_string()
    } else {
        ev.statements.join(", ")
    };
    Line::from(vec![
        Span::raw(indent.to_string()),
        Span::styled(format!("{} on {} ", ev.action, ev.resource), t.muted),
        decision_cell(t, &ev.decision, 0),
        Span::styled(format!("  by {by}"), t.muted),
    ])
}

/// `1. from --kind--> to  ? why`, then the evidence of each hop.
pub fn hop_lines(app: &App, path: &[Hop]) -> Vec<Line<'static>> {
    let t = &app.theme;
    let account = &app.model.account;
    let mut lines = Vec::new();
    for (i, h) in path.iter().enumerate() {
        let mut spans = vec![
            Span::styled(format!("{:>2}. ", i + 1), t.muted),
            Span::raw(short(account, &h.from)),
            Span::styled(format!(" --{}--> ", h.kind), t.key),
            Span::raw(short(account, &h.to)),
        ];
        if h.conditional {
            let mut why = h.missing_keys.clone();
            why.extend(h.assumptions.iter().cloned());
            spans.push(Span::styled(
                format!("  {CONDITIONAL} {}", why.join("; ")),
                t.conditional,
            ));
        }
        lines.push(Line::from(spans));
        lines.extend(h.evidence.iter().map(|ev| evidence_line(app, "      ", ev)));
    }
    lines
}
