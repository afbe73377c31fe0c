//! The trust-graph screen. Extension point: inbound and outbound edges of a role,
//! Enter to follow an edge, Backspace to return, breadcrumbs. For now it shows the
//! trusted principals of the selected role, read from its trust policy.

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tui::app::App;
use crate::tui::doc::{condition_text, trust_sentence, DocView};
use crate::tui::tree::Target;

use super::pane;

/// Draws the trust screen.
pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let t = &app.theme;
    let mut lines = Vec::new();
    let role = app
        .selected()
        .map(|n| app.model.tree.node(n).target)
        .and_then(|target| match target {
            Target::Role(r) | Target::Trust(r) => Some(r),
            _ => None,
        });
    match role {
        Some(r) => {
            let role = app.model.account.role(r);
            lines.push(Line::styled(
                format!("Role {}", role.common.name),
                t.heading,
            ));
            lines.push(Line::styled(role.common.arn.to_string(), t.muted));
            lines.push(Line::default());
            lines.push(Line::styled("Inbound: who can assume it", t.heading));
            for st in DocView::parse(&role.trust_policy.text)
                .unwrap_or_default()
                .statements
            {
                lines.push(Line::raw(format!("  {}", trust_sentence(&st))));
                for c in &st.conditions {
                    lines.push(Line::styled(
                        format!("    when {}", condition_text(c)),
                        t.muted,
                    ));
                }
            }
            lines.push(Line::default());
            lines.push(Line::styled(
                "The full trust graph (outbound edges, following edges, breadcrumbs) is coming.",
                t.muted,
            ));
        }
        None => lines.push(Line::styled(
            "Select a role in the explorer first, then press the trust-graph key.",
            t.muted,
        )),
    }
    frame.render_widget(
        Paragraph::new(lines).block(pane("Trust graph", true, t)),
        area,
    );
}
