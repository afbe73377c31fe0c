//! Access that changed, as the evaluator decides it: for every principal whose inputs
//! changed ([`super::fingerprint`]) and every resource whose policy changed, each
//! sensitive action the policies involved could touch is decided in both exports and
//! the decisions compared.
//!
//! The (action, resource) pairs asked come from the statements involved — the
//! principal's identity policies and boundary, the resource policies that name it, the
//! changed resource policy — of both exports, so that access that appeared and access
//! that went away are asked alike. Resources are as the statements write them
//! (`arn:aws:s3:::bucket/*`, `*`), as `what-can` reports them. Cost: (principals whose
//! inputs changed) × (their statements) + (changed resource policies) × (principals),
//! never every principal × every resource.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::eval::{Context, Decision, Engine, PrincipalRef, Query};
use crate::model::ResourcePolicy;
use crate::policy::{ActionName, PrincipalMatch, Statement};
use crate::query::explain::deciding;
use crate::query::what_can::resolve_variables;
use crate::query::who_can::{who_can, WhoCanOptions};

/// How much a decision lets the principal do: ordered, `None < Conditional < Allow`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Denied (explicitly or implicitly), or the principal is not in the export.
    None,
    /// Allowed if the missing keys say so.
    Conditional,
    /// Allowed.
    Allow,
}

/// One side of an access change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessState {
    /// `Allow`, `Conditional`, `ImplicitDeny`, `ExplicitDeny`, or `absent` (the
    /// principal is not in this export).
    pub decision: String,
    /// Context keys a Conditional depends on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_keys: Vec<String>,
    /// What else a Conditional depends on, in words (a caller's own policies outside
    /// the bundle, an invalid statement, a resource that must exist).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// The deciding statements (as traces name them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<String>,
}

impl AccessState {
    /// The state of a principal the export does not hold.
    pub fn absent() -> AccessState {
        AccessState {
            decision: "absent".into(),
            missing_keys: Vec::new(),
            reasons: Vec::new(),
            statements: Vec::new(),
        }
    }

    fn of(decision: &Decision) -> AccessState {
        AccessState {
            decision: decision.name().to_string(),
            missing_keys: decision.missing_keys().to_vec(),
            reasons: decision.reasons().to_vec(),
            statements: Vec::new(),
        }
    }

    /// How much access this is.
    pub fn level(&self) -> Level {
        match self.decision.as_str() {
            "Allow" => Level::Allow,
            "Conditional" => Level::Conditional,
            _ => Level::None,
        }
    }
}

/// What happened to one access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessDelta {
    /// Allow or Conditional where there was none: growth.
    Gained,
    /// Conditional became Allow: growth.
    Widened,
    /// Conditional on other keys than before: counted as growth, since the evaluator
    /// cannot tell whether the new conditions admit more (fail closed).
    ConditionChanged,
    /// Allow became Conditional.
    Narrowed,
    /// Allow or Conditional went away.
    Lost,
}

impl AccessDelta {
    /// True for the changes that can let someone do more than before.
    pub fn grew(self) -> bool {
        matches!(
            self,
            AccessDelta::Gained | AccessDelta::Widened | AccessDelta::ConditionChanged
        )
    }

    /// The snake_case name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            AccessDelta::Gained => "gained",
            AccessDelta::Widened => "widened",
            AccessDelta::ConditionChanged => "condition_changed",
            AccessDelta::Narrowed => "narrowed",
            AccessDelta::Lost => "lost",
        }
    }

    /// The change from `old` to `new`, if any.
    pub fn between(old: &AccessState, new: &AccessState) -> Option<AccessDelta> {
        let (o, n) = (old.level(), new.level());
        Some(match (o, n) {
            _ if o == n => {
                let keys =
                    |s: &AccessState| s.missing_keys.iter().cloned().collect::<BTreeSet<_>>();
                if o == Level::Conditional && keys(old) != keys(new) {
                    AccessDelta::ConditionChanged
                } else {
                    return None;
                }
            }
            (Level::None, _) => AccessDelta::Gained,
            (_, Level::None) => AccessDelta::Lost,
            (Level::Conditional, Level::Allow) => AccessDelta::Widened,
            _ => AccessDelta::Narrowed,
        })
    }
}

/// A principal that can (or can no longer) do a sensitive action on a resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessChange {
    /// The principal's ARN (or `*`, a service or a provider for principals outside the
    /// account that a resource policy admits).
    pub principal: String,
    /// `service:Action`.
    pub action: String,
    /// The resource, as the policies write it.
    pub resource: String,
    /// What happened.
    pub change: AccessDelta,
    /// True when access grew (see [`AccessDelta::grew`]).
    pub grew: bool,
    /// Before.
    pub old: AccessState,
    /// After.
    pub new: AccessState,
    /// `evaluator` (the request decided in both exports) or `graph` (an assume-role
    /// edge of the principal graph).
    pub decided_by: &'static str,
}

/// The sensitive actions a diff asks about: the data actions of the blast radius and
/// the control actions of the privilege findings. `sts:AssumeRole` is left to the
/// graph, which knows which roles trust whom.
pub fn sensitive_actions() -> Vec<SensitiveAction> {
    let mut names: Vec<&str> = crate::query::blast::SENSITIVE_ACTIONS
        .iter()
        .chain(crate::findings::SENSITIVE_ACTIONS)
        .copied()
        .filter(|a| !a.eq_ignore_ascii_case("sts:AssumeRole"))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .map(|n| SensitiveAction {
            name: n,
            action: ActionName::new(n),
        })
        .collect()
}

/// A sensitive action: its name as written in the lists, and compiled.
#[derive(Debug, Clone)]
pub struct SensitiveAction {
    /// `service:Action`, as AWS writes it.
    pub name: &'static str,
    /// The same, ready for matching.
    pub action: ActionName,
}

type Pairs = BTreeSet<(String, String)>;

/// The (action, resource) pairs a statement can speak about.
fn statement_pairs(
    statement: &Statement,
    actions: &[SensitiveAction],
    fallback: &str,
    vars: (Option<&str>, Option<&str>),
    out: &mut Pairs,
) {
    let covered: Vec<&str> = actions
        .iter()
        .filter(|a| statement.action_matches(&a.action))
        .map(|a| a.name)
        .collect();
    if covered.is_empty() {
        return;
    }
    let resources: Vec<String> = match &statement.resource {
        Some(spec) if !spec.negated => spec
            .patterns
            .iter()
            .map(|p| resolve_variables(p.as_str(), vars.0, vars.1))
            .collect(),
        _ => vec![fallback.to_string()],
    };
    for a in covered {
        for r in &resources {
            out.insert((a.to_string(), r.clone()));
        }
    }
}

/// True when a resource policy statement names `who` itself (not only its account):
/// then it can grant `who` access on its own.
fn names_principal(engine: &Engine<'_>, statement: &Statement, who: PrincipalRef) -> bool {
    let caller = &engine.facts(who).caller;
    statement.principal.as_ref().is_some_and(|spec| {
        matches!(
            spec.matches(caller, false, false),
            Some(PrincipalMatch::Direct | PrincipalMatch::Role)
        )
    })
}

/// The pairs to ask for `who` on one side.
fn principal_pairs(
    engine: &Engine<'_>,
    who: PrincipalRef,
    actions: &[SensitiveAction],
    out: &mut Pairs,
) {
    let facts = engine.facts(who);
    let vars = (facts.username.as_deref(), facts.userid.as_deref());
    let own = engine
        .identity_policies(who)
        .iter()
        .chain(engine.boundary(who))
        .filter_map(|p| p.document.ok());
    for doc in own {
        for s in &doc.statements {
            statement_pairs(s, actions, "*", vars, out);
        }
    }
    for rp in &engine.account().resource_policies {
        let Some(doc) = rp.policy.document() else {
            continue;
        };
        for s in doc
            .statements
            .iter()
            .filter(|s| names_principal(engine, s, who))
        {
            statement_pairs(s, actions, &rp.resource_arn, vars, out);
        }
    }
}

/// The pairs a resource policy can speak about.
fn resource_pairs(rp: &ResourcePolicy, actions: &[SensitiveAction], out: &mut Pairs) {
    if let Some(doc) = rp.policy.document() {
        for s in &doc.statements {
            statement_pairs(s, actions, &rp.resource_arn, (None, None), out);
        }
    }
}

fn query(action: &str, resource: &str) -> Query {
    Query::new(action, resource).with_context(Context::new(false))
}

/// Both sides of a diff.
pub struct Sides<'e, 'a> {
    /// The old export's evaluator.
    pub old: &'e Engine<'a>,
    /// The new export's evaluator.
    pub new: &'e Engine<'a>,
}

impl Sides<'_, '_> {
    fn change(
        &self,
        principal: &str,
        action: &str,
        resource: &str,
        mut old: AccessState,
        mut new: AccessState,
    ) -> Option<AccessChange> {
        let change = AccessDelta::between(&old, &new)?;
        let q = query(action, resource);
        if old.level() != Level::None {
            old.statements = deciding(self.old, principal, &q);
        }
        if new.level() != Level::None {
            new.statements = deciding(self.new, principal, &q);
        }
        Some(AccessChange {
            principal: principal.to_string(),
            action: action.to_string(),
            resource: resource.to_string(),
            change,
            grew: change.grew(),
            old,
            new,
            decided_by: "evaluator",
        })
    }

    /// The sensitive access of the principal named `arn` (in either export) that
    /// changed.
    pub fn principal_changes(
        &self,
        arn: &str,
        actions: &[SensitiveAction],
        out: &mut Vec<AccessChange>,
    ) {
        let before = self
            .old
            .resolve(arn)
            .filter(|p| self.old.facts(*p).caller.arn == arn);
        let after = self
            .new
            .resolve(arn)
            .filter(|p| self.new.facts(*p).caller.arn == arn);
        let mut pairs = Pairs::new();
        if let Some(p) = before {
            principal_pairs(self.old, p, actions, &mut pairs);
        }
        if let Some(p) = after {
            principal_pairs(self.new, p, actions, &mut pairs);
        }
        for (action, resource) in pairs {
            let q = query(&action, &resource);
            let state = |engine: &Engine<'_>, who: Option<PrincipalRef>| match who {
                Some(p) => AccessState::of(&engine.decide(p, &q)),
                None => AccessState::absent(),
            };
            let (o, n) = (state(self.old, before), state(self.new, after));
            out.extend(self.change(arn, &action, &resource, o, n));
        }
    }

    /// Who can do each sensitive action the resource policy of `resource` speaks about
    /// (in either export), compared: principals of the account and those outside it
    /// that the policy admits.
    pub fn resource_changes(
        &self,
        resource: &str,
        actions: &[SensitiveAction],
        out: &mut Vec<AccessChange>,
    ) {
        let mut pairs = Pairs::new();
        for engine in [self.old, self.new] {
            let found = engine
                .account()
                .resource_policies
                .iter()
                .filter(|rp| rp.resource_arn == resource);
            for rp in found {
                resource_pairs(rp, actions, &mut pairs);
            }
        }
        for (action, res) in pairs {
            let q = query(&action, &res);
            let rows = |engine: &Engine<'_>| -> BTreeMap<String, AccessState> {
                who_can(engine, &q, WhoCanOptions::default())
                    .into_iter()
                    .map(|r| {
                        let state = AccessState {
                            decision: r.decision,
                            missing_keys: r.missing_keys,
                            reasons: r.note.into_iter().collect(),
                            statements: Vec::new(),
                        };
                        (r.principal, state)
                    })
                    .collect()
            };
            let (before, after) = (rows(self.old), rows(self.new));
            let denied = || AccessState {
                decision: "ImplicitDeny".into(),
                missing_keys: Vec::new(),
                reasons: Vec::new(),
                statements: Vec::new(),
            };
            let principals: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
            for p in principals {
                let o = before.get(p).cloned().unwrap_or_else(denied);
                let n = after.get(p).cloned().unwrap_or_else(denied);
                out.extend(self.change(p, &action, &res, o, n));
            }
        }
    }
}
