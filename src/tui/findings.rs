//! The findings view's state and update: the account audit from the core
//! ([`crate::findings::audit_compact`]: the CLI's findings, with evidence kept as far
//! as its lines show it), computed once per account off the UI thread, listed most
//! severe first; Enter jumps to the entity with its findings shown.
//!
//! [`update`] sees every action before the rest of the TUI and handles those it owns,
//! so the rest of the TUI needs only one line to dispatch here.

use std::sync::Arc;

use crate::findings::{Finding, Severity};
use crate::model::{Account, EntityRef};

use super::action::{Action, Command, Task};
use super::app::{App, Overlay};
use super::tree::{Category, Target};

/// Where the audit of the current account is.
#[derive(Debug, Clone, Default)]
pub enum FindingsStatus {
    /// Not asked for yet.
    #[default]
    NotStarted,
    /// Being computed.
    Computing,
    /// Done.
    Ready(Arc<Vec<Finding>>),
}

/// The findings view.
#[derive(Debug, Clone, Default)]
pub struct FindingsState {
    /// The audit.
    pub status: FindingsStatus,
    /// Whether the view is open (over the current screen).
    pub open: bool,
    /// The highlighted finding (index into the list).
    pub selected: usize,
    /// The finding Enter jumped to: the details pane highlights it.
    pub highlight: Option<(&'static str, String)>,
}

impl FindingsState {
    /// The findings, when computed.
    pub fn list(&self) -> Option<&[Finding]> {
        match &self.status {
            FindingsStatus::Ready(l) => Some(l),
            _ => None,
        }
    }
}

/// Handles `action` when it belongs to the findings view; returns true when it did
/// (the rest of the update is then skipped).
pub fn update(app: &mut App, action: &Action, fx: &mut Vec<Task>) -> bool {
    // The event loop's first action is the terminal's size: the audit starts then, so
    // that the details pane can list each entity's findings.
    if matches!(
        action,
        Action::Resize(..) | Action::Command(Command::Findings)
    ) {
        start_audit(app, fx);
    }
    match action {
        // The audit reads the graph the trust view uses: it starts once that is built.
        Action::GraphReady { generation, .. } => {
            if *generation == app.generation
                && matches!(app.findings.status, FindingsStatus::Computing)
            {
                fx.push(Task::ComputeFindings {
                    generation: app.generation,
                });
            }
            false
        }
        Action::FindingsReady {
            generation,
            findings,
        } => {
            if *generation == app.generation {
                app.findings.status = FindingsStatus::Ready(Arc::clone(findings));
                app.findings.selected = 0;
                app.refresh_details();
            }
            true
        }
        Action::Command(Command::Findings) => {
            app.overlay = Overlay::None;
            app.findings.open = true;
            true
        }
        Action::Command(c) if app.findings.open && app.overlay == Overlay::None => command(app, *c),
        // Text keys go to the overlays and forms; the view takes none.
        _ => false,
    }
}

/// Starts the audit once per account, when the evaluator is available. The audit needs
/// the trust graph: it starts the graph's build if nobody has, and is computed from
/// that one graph once ready, so a large account never holds two graphs.
fn start_audit(app: &mut App, fx: &mut Vec<Task>) {
    if matches!(app.findings.status, FindingsStatus::NotStarted) && app.who_can_available {
        app.findings.status = FindingsStatus::Computing;
        super::update::ensure_graph(app, fx);
        if app.graph.ready().is_some() {
            fx.push(Task::ComputeFindings {
                generation: app.generation,
            });
        }
    }
}

fn command(app: &mut App, c: Command) -> bool {
    let n = app.findings.list().map_or(0, <[Finding]>::len);
    let page = (app.size.1 as usize / 2).max(1) as isize;
    let step = |delta: isize, app: &mut App| {
        app.findings.selected = app
            .findings
            .selected
            .saturating_add_signed(delta)
            .min(n.saturating_sub(1));
    };
    match c {
        Command::Up => step(-1, app),
        Command::Down => step(1, app),
        Command::PageUp | Command::HalfPageUp => step(-page, app),
        Command::PageDown | Command::HalfPageDown => step(page, app),
        Command::Top => app.findings.selected = 0,
        Command::Bottom => app.findings.selected = n.saturating_sub(1),
        Command::Back => app.findings.open = false,
        Command::Open => jump(app),
        // Overlays open over the view; quitting and other screens leave it.
        Command::Help | Command::Palette | Command::Search => return false,
        Command::Quit
        | Command::WhoCan
        | Command::TrustGraph
        | Command::Can
        | Command::Samples
        | Command::Study
        | Command::JumpBack => {
            app.findings.open = false;
            return false;
        }
        _ => {}
    }
    true
}

/// The tree target of the entity a finding is about, if the tree shows it.
pub fn target_of(account: &Account, arn: &str) -> Option<Target> {
    if let Some(e) = account.by_arn(arn) {
        return Some(match e {
            EntityRef::User(u) => Target::User(u),
            EntityRef::Group(g) => Target::Group(g),
            EntityRef::Role(r) => Target::Role(r),
            EntityRef::Policy(p) => Target::Policy(p),
            EntityRef::InstanceProfile(p) => Target::InstanceProfile(p),
            EntityRef::SamlProvider(i) => Target::Saml(i),
            EntityRef::OidcProvider(i) => Target::Oidc(i),
        });
    }
    if let Some(i) = account
        .resource_policies
        .iter()
        .position(|rp| rp.resource_arn == arn)
    {
        return Some(Target::ResourcePolicy(i));
    }
    // The root user has no node: its findings show with the users.
    arn.ends_with(":root")
        .then_some(Target::Category(Category::Users))
}

/// Enter: close the view and select the finding's entity, its findings highlighted.
fn jump(app: &mut App) {
    let Some(f) = app
        .findings
        .list()
        .and_then(|l| l.get(app.findings.selected))
        .cloned()
    else {
        return;
    };
    let Some(node) =
        target_of(&app.model.account, &f.entity).and_then(|t| app.model.tree.primary(t))
    else {
        app.status = Some(format!("{} is not in the tree", f.entity));
        return;
    };
    app.findings.open = false;
    app.findings.highlight = Some((f.id, f.summary.clone()));
    app.reveal(node);
    app.refresh_details();
    app.focus = super::app::Pane::Details;
    // Scroll the details to the highlighted finding.
    let marker = crate::findings::sanitize(&f.summary);
    app.details_scroll = app
        .details
        .iter()
        .position(|l| {
            l.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
                .contains(&marker)
        })
        .map_or(0, |i| i.saturating_sub(1));
}

/// How many findings of each severity, most severe first.
pub fn counts(findings: &[Finding]) -> Vec<(Severity, usize)> {
    Severity::ALL
        .iter()
        .map(|&s| (s, findings.iter().filter(|f| f.severity == s).count()))
        .collect()
}
