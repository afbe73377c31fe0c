//! Two exports compared: the entities added, removed and changed (policies statement
//! by statement), and — decided by the evaluator and the principal graph, never by
//! comparing policy text — the access that changed: principals newly able (or no
//! longer able) to do a sensitive action on a resource, roles newly assumable, new or
//! removed ways to administrator, new trust from outside the account, and findings
//! that appeared or went away.
//!
//! # What counts as growth
//!
//! [`Diff::access_grew`] (what `--fail-on-new-access` tests) is true when any access
//! change, way to administrator or outside trust *grew*: Allow or Conditional where
//! there was none, Conditional that became Allow, or Conditional on other context keys
//! than before (the evaluator cannot rank two sets of conditions, so a change of keys
//! counts as growth: fail closed). Allow that became Conditional, and access that went
//! away, are shrinkage. New findings are reported but are not access by themselves.
//!
//! # Cost
//!
//! Both exports are loaded, their graphs built and audited (each linear in its size).
//! Then only what changed is re-evaluated: the principals whose evaluator inputs
//! changed ([`fingerprint`]) — every principal when an SCP or RCP changed — and the
//! resources whose policy changed. See [`access`] and [`reach`].

pub mod access;
pub mod audit;
pub mod entities;
pub mod fingerprint;
pub mod reach;
pub mod statements;
pub mod view;

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::eval::Engine;
use crate::findings::{audit as run_audit, Finding, Options};
use crate::graph::Graph;
use crate::model::Account;

pub use access::{AccessChange, AccessDelta, AccessState, Level};
pub use audit::{FindingChange, FindingDelta};
pub use entities::{DocumentChange, EntityChange, EntityKind};
pub use reach::{AdminChange, TrustChange};
pub use statements::StatementChange;

/// Added, removed or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only in the new export.
    Added,
    /// Only in the old export.
    Removed,
    /// In both, different.
    Changed,
}

impl ChangeKind {
    /// `added`, `removed` or `changed`.
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// Which export a side of the diff is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Export {
    /// Where it was loaded from.
    pub source: String,
    /// Its account id.
    pub account_id: String,
    /// Its alias, if any.
    pub alias: Option<String>,
}

impl Export {
    fn of(account: &Account) -> Export {
        Export {
            source: account.source.clone(),
            account_id: account.id.clone(),
            alias: account.alias.clone(),
        }
    }
}

/// How much was re-evaluated (the diff's cost follows what changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Reevaluated {
    /// Principals (of either export) whose inputs changed, re-evaluated one by one.
    pub principals: usize,
    /// Principals of the two exports together.
    pub of_principals: usize,
    /// Resources whose policy changed, re-evaluated for every principal.
    pub resources: usize,
    /// Whether an account-wide input (SCPs, RCPs, the organization) changed, which
    /// makes every principal's inputs change.
    pub account_wide: bool,
}

/// The whole comparison of two exports (the JSON of `iamscope diff --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// The old export.
    pub old: Export,
    /// The new export.
    pub new: Export,
    /// True when access grew anywhere (see the module docs).
    pub access_grew: bool,
    /// Entities added, removed and changed.
    pub entities: Vec<EntityChange>,
    /// Sensitive actions and role assumptions that changed, by principal.
    pub access: Vec<AccessChange>,
    /// Ways to administrator that appeared, went away or changed.
    pub admin_paths: Vec<AdminChange>,
    /// Trust from principals outside the account that appeared or went away.
    pub external_trust: Vec<TrustChange>,
    /// Findings that appeared or went away.
    pub findings: Vec<FindingChange>,
    /// What was re-evaluated.
    pub reevaluated: Reevaluated,
}

impl Diff {
    /// True when nothing differs.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
            && self.access.is_empty()
            && self.admin_paths.is_empty()
            && self.external_trust.is_empty()
            && self.findings.is_empty()
    }
}

/// One export, analysed: its evaluator, graph and audit.
struct Analysis<'a> {
    engine: Engine<'a>,
    graph: Graph,
    findings: Vec<Finding>,
}

fn analyse(account: &Account) -> Analysis<'_> {
    let engine = Engine::new(account);
    let graph = Graph::build(&engine);
    let findings = run_audit(&engine, &graph, &Options::default());
    Analysis {
        engine,
        graph,
        findings,
    }
}

/// The ARNs of the principals whose evaluator inputs differ between the exports
/// (present in one only, or with another fingerprint).
fn changed_principals(old: &Analysis<'_>, new: &Analysis<'_>, everyone: bool) -> BTreeSet<String> {
    let prints = |a: &Analysis<'_>| -> HashMap<String, fingerprint::Fingerprint> {
        let mut docs = fingerprint::Documents::default();
        a.engine
            .principals()
            .map(|p| {
                let arn = a.engine.facts(p).caller.arn.clone();
                (
                    arn,
                    fingerprint::principal(a.engine.account(), &mut docs, p),
                )
            })
            .collect()
    };
    let (before, after) = (prints(old), prints(new));
    let mut out = BTreeSet::new();
    for (arn, f) in &after {
        if everyone || before.get(arn) != Some(f) {
            out.insert(arn.clone());
        }
    }
    out.extend(
        before
            .keys()
            .filter(|a| everyone || !after.contains_key(*a))
            .cloned(),
    );
    out
}

/// Compares `old` with `new`.
pub fn diff(old: &Account, new: &Account) -> Diff {
    let (a, b) = rayon::join(|| analyse(old), || analyse(new));
    let entities = entities::entity_changes(old, new);
    let account_wide = fingerprint::account_wide(old) != fingerprint::account_wide(new);
    let dirty = changed_principals(&a, &b, account_wide);
    let resources: BTreeSet<String> = entities
        .iter()
        .filter(|e| e.entity == EntityKind::ResourcePolicy)
        .map(|e| e.id.clone())
        .collect();
    let trust_changed: Vec<String> = entities
        .iter()
        .filter(|e| e.entity == EntityKind::Role)
        .filter(|e| {
            e.kind != ChangeKind::Changed
                || e.documents.iter().any(|d| d.document == "trust policy")
        })
        .map(|e| e.id.clone())
        .collect();
    let actions = access::sensitive_actions();
    let sides = access::Sides {
        old: &a.engine,
        new: &b.engine,
    };
    let mut changes = Vec::new();
    for arn in &dirty {
        sides.principal_changes(arn, &actions, &mut changes);
    }
    for r in &resources {
        sides.resource_changes(r, &actions, &mut changes);
    }
    let old_side = reach::Analysed {
        engine: &a.engine,
        graph: &a.graph,
    };
    let new_side = reach::Analysed {
        engine: &b.engine,
        graph: &b.graph,
    };
    for arn in &dirty {
        reach::assumable_from(&old_side, &new_side, arn, &mut changes);
    }
    for arn in &trust_changed {
        reach::assumers_of(&old_side, &new_side, arn, &mut changes);
    }
    let access = dedup(changes);
    let admin_paths = reach::admin_changes(&old_side, &new_side, &dirty);
    let external_trust = reach::external_trust(&old_side, &new_side);
    let findings = audit::finding_changes(&a.findings, &b.findings);
    let access_grew = access.iter().any(|c| c.grew)
        || admin_paths.iter().any(|c| c.grew)
        || external_trust.iter().any(|c| c.grew);
    Diff {
        old: Export::of(old),
        new: Export::of(new),
        access_grew,
        entities,
        access,
        admin_paths,
        external_trust,
        findings,
        reevaluated: Reevaluated {
            principals: dirty.len(),
            of_principals: a.engine.principals().count() + b.engine.principals().count(),
            resources: resources.len(),
            account_wide,
        },
    }
}

/// One change per (principal, action, resource), the first found kept; sorted by
/// principal, action and resource.
fn dedup(changes: Vec<AccessChange>) -> Vec<AccessChange> {
    let mut seen = BTreeSet::new();
    let mut out: Vec<AccessChange> = changes
        .into_iter()
        .filter(|c| seen.insert((c.principal.clone(), c.action.clone(), c.resource.clone())))
        .collect();
    out.sort_by(|a, b| {
        (&a.principal, &a.action, &a.resource).cmp(&(&b.principal, &b.action, &b.resource))
    });
    out
}
