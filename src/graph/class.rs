//! Principal classes: the principals that every decision of one technique treats
//! alike, so the evaluator decides one of them for all.
//!
//! A decision on an action reads only the statements whose Action covers it (in the
//! identity policies, the boundary, the SCPs and RCPs), the principal's kind and
//! service-linked flag, and — when one of those statements reads them — its tags. Two
//! principals with the same such statements (same documents, same indices) get the
//! same decision on any resource. A statement that reads the principal's own identity
//! (a policy variable, `aws:username`, `aws:PrincipalArn`, …) or a trust policy that
//! names the principal puts it in a class of its own.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::candidates::covers_action;
use crate::eval::{Engine, PrincipalRef};
use crate::model::Account;
use crate::policy::{ActionName, Effect, PolicyDocument, Statement, Version};

/// Principals decided alike for a set of actions.
#[derive(Debug, Clone)]
pub struct Class {
    /// The members, in [`Engine::principals`] order; the first one is asked.
    pub members: Vec<PrincipalRef>,
    /// For each action: whether some identity-policy Allow statement covers it (when
    /// none does, the identity side can never allow it).
    pub allows: Vec<bool>,
}

impl Class {
    /// The principal the evaluator is asked about.
    pub fn representative(&self) -> PrincipalRef {
        self.members[0]
    }
}

/// What a principal's decisions on the actions depend on.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Key {
    kind: u8,
    service_linked: bool,
    /// Every covering statement's content id ([`StatementIds`]); an invalid document
    /// by its error's address.
    statements: Vec<u64>,
    boundary: Option<usize>,
    tags: Option<Vec<(String, String)>>,
    own: Option<PrincipalRef>,
}

/// Context keys whose value differs between principals of the same kind in one account.
fn reads_identity_key(key_lower: &str) -> bool {
    matches!(
        key_lower,
        "aws:username"
            | "aws:userid"
            | "aws:principalarn"
            | "aws:principalservicename"
            | "aws:sourceidentity"
    )
}

/// Whether a statement reads the principal's identity (first) or its tags (second).
pub fn reads_principal(s: &Statement) -> (bool, bool) {
    let mut identity = false;
    let mut tags = false;
    let mut text = |t: &str| {
        if t.contains("${") {
            let lower = t.to_ascii_lowercase();
            if lower.contains("${aws:principaltag/") {
                tags = true;
            }
            // Any other variable may read the principal: only a tag variable is safe
            // to share when tags are part of the key.
            let stripped = lower.replace("${aws:principaltag/", "");
            if stripped.contains("${") {
                identity = true;
            }
        }
    };
    for p in s.resource.iter().flat_map(|r| r.patterns.iter()) {
        text(p.as_str());
    }
    for c in &s.conditions {
        for v in c.raw_values() {
            text(v);
        }
    }
    for c in &s.conditions {
        let key = c.key_lower();
        if key.starts_with("aws:principaltag/") {
            tags = true;
        } else if reads_identity_key(key) {
            identity = true;
        }
    }
    (identity, tags)
}

/// A statement's content as far as a decision reads it (everything but its Sid), as
/// unambiguous text: statements of different documents with equal text decide alike.
pub fn statement_text(s: &Statement, version: Version) -> String {
    let resource = s.resource.as_ref().map(|r| {
        (
            r.negated,
            r.patterns.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        )
    });
    let conditions: Vec<(&str, &str, &[String])> = s
        .conditions
        .iter()
        .map(|c| (c.operator.name.as_str(), c.key.as_str(), c.raw_values()))
        .collect();
    serde_json::json!([
        version == Version::V2012,
        s.effect == Effect::Allow,
        s.action.negated,
        s.action
            .patterns
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>(),
        resource,
        conditions,
    ])
    .to_string()
}

/// Content ids of the statements of the account's identity policies and boundaries:
/// equal ids, equal [`statement_text`].
#[derive(Default)]
pub struct StatementIds {
    by_address: HashMap<usize, u64>,
}

impl StatementIds {
    /// Numbers every statement of every principal's policies by its content.
    pub fn new(engine: &Engine<'_>) -> StatementIds {
        let mut docs: Vec<&PolicyDocument> = engine
            .principals()
            .flat_map(|p| engine.identity_policies(p).iter().chain(engine.boundary(p)))
            .filter_map(|p| p.document.ok())
            .collect();
        docs.sort_by_key(|d| *d as *const PolicyDocument);
        docs.dedup_by_key(|d| *d as *const PolicyDocument);
        let texts: Vec<Vec<(usize, String)>> = docs
            .par_iter()
            .map(|d| {
                d.statements
                    .iter()
                    .map(|s| (s as *const Statement as usize, statement_text(s, d.version)))
                    .collect()
            })
            .collect();
        let mut by_text: HashMap<String, u64> = HashMap::new();
        let mut by_address = HashMap::new();
        for (address, text) in texts.into_iter().flatten() {
            let next = by_text.len() as u64;
            by_address.insert(address, *by_text.entry(text).or_insert(next));
        }
        StatementIds { by_address }
    }

    /// The content id of a statement (one not numbered gets an id of its own).
    fn id(&self, s: &Statement, version: Version) -> u64 {
        let address = s as *const Statement as usize;
        match self.by_address.get(&address) {
            Some(&id) => id,
            None => 1 << 62 | address as u64 | u64::from(version == Version::V2012) << 61,
        }
    }
}

/// The SCP and RCP statements that every principal evaluates.
fn org_statements(account: &Account) -> Vec<&Statement> {
    let Some(org) = &account.organization else {
        return Vec::new();
    };
    org.scp_levels()
        .chain(org.rcp_levels())
        .flat_map(|(_, ps)| ps)
        .filter_map(|p| p.content.as_ref()?.document())
        .flat_map(|d| d.statements.iter())
        .collect()
}

/// Every statement `who` evaluates whose Action covers `action`: identity policies,
/// boundary, SCPs and RCPs (for the block partition of targets).
pub fn covering_statements<'e>(
    engine: &'e Engine<'_>,
    who: PrincipalRef,
    action: &ActionName,
) -> Vec<&'e Statement> {
    let identity = engine
        .identity_policies(who)
        .iter()
        .chain(engine.boundary(who))
        .filter_map(|p| p.document.ok())
        .flat_map(|d| d.statements.iter());
    identity
        .chain(org_statements(engine.account()))
        .filter(|s| covers_action(s, action))
        .collect()
}

fn key_of(
    engine: &Engine<'_>,
    ids: &StatementIds,
    who: PrincipalRef,
    actions: &[ActionName],
    alone: bool,
    org_tags: bool,
) -> (Key, Vec<bool>) {
    let facts = engine.facts(who);
    let mut allows = vec![false; actions.len()];
    let mut statements = Vec::new();
    let mut identity = alone;
    let mut tags = org_tags;
    let mut look = |s: &Statement| {
        let (i, t) = reads_principal(s);
        identity |= i;
        tags |= t;
    };
    for policy in engine.identity_policies(who) {
        match policy.document {
            Ok(doc) => {
                for s in &doc.statements {
                    let mut covered = false;
                    for (k, a) in actions.iter().enumerate() {
                        if covers_action(s, a) {
                            covered = true;
                            allows[k] |= s.effect == Effect::Allow;
                        }
                    }
                    if covered {
                        statements.push(ids.id(s, doc.version));
                        look(s);
                    }
                }
            }
            Err(e) => statements.push(1 << 63 | e as *const _ as u64),
        }
    }
    let boundary = engine.boundary(who).map(|b| match b.document {
        Ok(doc) => {
            for s in &doc.statements {
                if actions.iter().any(|a| covers_action(s, a)) {
                    look(s);
                }
            }
            doc as *const _ as usize
        }
        Err(e) => e as *const _ as usize,
    });
    let key = Key {
        kind: matches!(who, PrincipalRef::User(_)) as u8,
        service_linked: facts.service_linked,
        statements,
        boundary,
        tags: tags.then(|| facts.tags.clone().unwrap_or_default()),
        own: identity.then_some(who),
    };
    (key, allows)
}

/// Groups `who` into classes for `actions`. `alone`: principals that must be decided
/// on their own (a trust policy names them).
pub fn classes(
    engine: &Engine<'_>,
    ids: &StatementIds,
    who: &[PrincipalRef],
    actions: &[ActionName],
    alone: &HashSet<PrincipalRef>,
) -> Vec<Class> {
    let mut org_identity = false;
    let mut org_tags = false;
    for s in org_statements(engine.account()) {
        if actions.iter().any(|a| covers_action(s, a)) {
            let (i, t) = reads_principal(s);
            org_identity |= i;
            org_tags |= t;
        }
    }
    let keys: Vec<(Key, Vec<bool>)> = who
        .par_iter()
        .map(|&p| {
            key_of(
                engine,
                ids,
                p,
                actions,
                org_identity || alone.contains(&p),
                org_tags,
            )
        })
        .collect();
    let mut index: HashMap<Key, usize> = HashMap::new();
    let mut out: Vec<Class> = Vec::new();
    for (&p, (key, allows)) in who.iter().zip(keys) {
        match index.get(&key) {
            Some(&i) => out[i].members.push(p),
            None => {
                index.insert(key, out.len());
                out.push(Class {
                    members: vec![p],
                    allows,
                });
            }
        }
    }
    out
}
