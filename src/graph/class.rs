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
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::candidates::covers_action;
use crate::eval::{Engine, NamedPolicy, PrincipalRef};
use crate::model::Account;
use crate::policy::{ActionName, Effect, PolicyDocument, Statement, Version};

/// Principals decided alike for a set of actions.
#[derive(Debug, Clone)]
pub struct Class {
    /// The members, in [`Engine::principals`] order; the first one is asked.
    pub members: Vec<PrincipalRef>,
    /// What the members' decisions depend on besides their statements.
    pub base: BaseKey,
    /// [`Class::base`] without the representative's identity when only a trust policy
    /// naming it put it in a class of its own: its statements still decide like any
    /// other principal's with the same statements, on roles whose trust does not name it.
    pub statements_base: BaseKey,
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

/// What a principal's decisions depend on besides its statements: two principals with
/// equal base keys and the same statements that apply to a request decide it alike.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseKey {
    kind: u8,
    /// The principal's account: its SCPs, and whether a resource is cross-account.
    account: Option<String>,
    service_linked: bool,
    boundary: Option<usize>,
    tags: Option<Vec<(String, String)>>,
    pub(super) own: Option<PrincipalRef>,
}

impl BaseKey {
    /// What a role's trust policy (and the RCPs) can read of a caller it does not name
    /// and whose identity and tags it does not read: its kind, account (organization),
    /// service-linked flag, whether it has a boundary, and its tags when some covering
    /// statement reads them.
    pub fn trust_view(&self) -> BaseKey {
        BaseKey {
            boundary: self.boundary.map(|_| 0),
            own: None,
            ..self.clone()
        }
    }
}

/// What a principal's decisions on the actions depend on.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Key {
    base: BaseKey,
    /// Every covering statement's content id ([`StatementIds`]).
    statements: Vec<u32>,
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

/// The statements of every principal's identity policies and boundary, numbered by
/// content (equal ids: equal [`statement_text`]), with what a class key needs of each,
/// worked out once per distinct statement rather than once per principal.
pub struct StatementIds<'a> {
    /// One statement per id (`None`: an invalid document, or a document's statements
    /// that did not compile, which count as covering every action).
    statements: Vec<Option<&'a Statement>>,
    /// Whether each reads the principal's identity, and its tags.
    reads: Vec<(bool, bool)>,
    /// Each principal's identity-policy statements, in evaluation order.
    identity: Vec<Vec<u32>>,
    /// Each principal's boundary: its document's address and statements.
    boundary: Vec<Option<(usize, Vec<u32>)>>,
    /// Per action: which ids cover it.
    covering: Mutex<HashMap<String, Arc<Vec<bool>>>>,
    /// The SCP and RCP statements.
    org: Vec<&'a Statement>,
}

impl<'a> StatementIds<'a> {
    /// Numbers every statement of every principal's policies by its content.
    pub fn new(engine: &Engine<'a>) -> StatementIds<'a> {
        let principals: Vec<PrincipalRef> = engine.principals().collect();
        let mut docs: Vec<&'a PolicyDocument> = principals
            .iter()
            .flat_map(|&p| engine.identity_policies(p).iter().chain(engine.boundary(p)))
            .filter_map(|p| p.document.ok())
            .collect();
        docs.sort_by_key(|d| *d as *const PolicyDocument);
        docs.dedup_by_key(|d| *d as *const PolicyDocument);
        let texts: Vec<Vec<String>> = docs
            .par_iter()
            .map(|d| {
                d.statements
                    .iter()
                    .map(|s| statement_text(s, d.version))
                    .collect()
            })
            .collect();
        let mut ids = StatementIds {
            statements: Vec::new(),
            reads: Vec::new(),
            identity: Vec::with_capacity(principals.len()),
            boundary: Vec::with_capacity(principals.len()),
            covering: Mutex::new(HashMap::new()),
            org: org_statements(engine.account()),
        };
        let mut by_text: HashMap<String, u32> = HashMap::new();
        let mut by_doc: HashMap<usize, Vec<u32>> = HashMap::new();
        for (doc, texts) in docs.iter().zip(texts) {
            let mut numbered: Vec<u32> = doc
                .statements
                .iter()
                .zip(texts)
                .map(|(st, text)| {
                    *by_text.entry(text).or_insert_with(|| {
                        ids.statements.push(Some(st));
                        ids.reads.push(reads_principal(st));
                        ids.statements.len() as u32 - 1
                    })
                })
                .collect();
            // Statements that did not compile may still deny: the document's own
            // marker, which counts as covering every action.
            if !doc.invalid.is_empty() {
                ids.statements.push(None);
                ids.reads.push((false, false));
                numbered.push(ids.statements.len() as u32 - 1);
            }
            by_doc.insert(*doc as *const PolicyDocument as usize, numbered);
        }
        let mut invalid: HashMap<usize, u32> = HashMap::new();
        let mut number = |ids: &mut StatementIds<'a>, p: &NamedPolicy<'a>| -> (usize, Vec<u32>) {
            match p.document {
                Ok(d) => {
                    let at = d as *const PolicyDocument as usize;
                    (at, by_doc.get(&at).cloned().unwrap_or_default())
                }
                Err(e) => {
                    let at = e as *const _ as usize;
                    let id = *invalid.entry(at).or_insert_with(|| {
                        ids.statements.push(None);
                        ids.reads.push((false, false));
                        ids.statements.len() as u32 - 1
                    });
                    (at, vec![id])
                }
            }
        };
        for &p in &principals {
            let mut own = Vec::new();
            for policy in engine.identity_policies(p) {
                own.extend(number(&mut ids, policy).1);
            }
            let boundary = engine.boundary(p).map(|b| number(&mut ids, b));
            ids.identity.push(own);
            ids.boundary.push(boundary);
        }
        ids
    }

    /// For each id: whether it covers `action` (invalid documents do).
    fn covering(&self, action: &ActionName) -> Arc<Vec<bool>> {
        if let Some(t) = self
            .covering
            .lock()
            .ok()
            .and_then(|m| m.get(action.as_str()).cloned())
        {
            return t;
        }
        let table: Arc<Vec<bool>> = Arc::new(
            self.statements
                .par_iter()
                .map(|s| s.is_none_or(|s| covers_action(s, action)))
                .collect(),
        );
        if let Ok(mut m) = self.covering.lock() {
            m.insert(action.as_str().to_string(), Arc::clone(&table));
        }
        table
    }

    fn is_allow(&self, id: u32) -> bool {
        self.statements[id as usize].is_some_and(|s| s.effect == Effect::Allow)
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

/// Every statement `who` evaluates whose Action covers `action`, with its content id:
/// identity policies, boundary, then SCPs and RCPs (numbered after every identity
/// statement).
pub fn covering_statements<'s>(
    engine: &Engine<'_>,
    ids: &'s StatementIds<'s>,
    who: PrincipalRef,
    action: &ActionName,
) -> Vec<(u32, Option<&'s Statement>)> {
    let index = match who {
        PrincipalRef::User(u) => u.index(),
        PrincipalRef::Role(r) => engine.account().users.len() + r.index(),
    };
    let table = ids.covering(action);
    let own = ids.identity[index]
        .iter()
        .chain(ids.boundary[index].iter().flat_map(|(_, b)| b))
        .filter(|&&id| table[id as usize])
        .map(|&id| (id, ids.statements[id as usize]));
    let first_org = ids.statements.len() as u32;
    let org = ids
        .org
        .iter()
        .enumerate()
        .filter(|(_, s)| covers_action(s, action))
        .map(move |(k, s)| (first_org + k as u32, Some(*s)));
    own.chain(org).collect()
}

fn key_of(
    engine: &Engine<'_>,
    ids: &StatementIds<'_>,
    tables: &[Arc<Vec<bool>>],
    who: PrincipalRef,
    (named, org_identity): (bool, bool),
    org_tags: bool,
) -> (Key, Vec<bool>, bool) {
    let facts = engine.facts(who);
    let index = match who {
        PrincipalRef::User(u) => u.index(),
        PrincipalRef::Role(r) => engine.account().users.len() + r.index(),
    };
    let mut allows = vec![false; tables.len()];
    let mut statements = Vec::new();
    let mut identity = org_identity;
    let mut tags = org_tags;
    for &id in &ids.identity[index] {
        let mut covered = false;
        for (k, t) in tables.iter().enumerate() {
            if t[id as usize] {
                covered = true;
                allows[k] |= ids.is_allow(id);
            }
        }
        if covered {
            statements.push(id);
            let (i, t) = ids.reads[id as usize];
            identity |= i;
            tags |= t;
        }
    }
    let boundary = ids.boundary[index].as_ref().map(|(at, own)| {
        for &id in own {
            if tables.iter().any(|t| t[id as usize]) {
                let (i, t) = ids.reads[id as usize];
                identity |= i;
                tags |= t;
            }
        }
        *at
    });
    let key = Key {
        base: BaseKey {
            kind: matches!(who, PrincipalRef::User(_)) as u8,
            account: facts.caller.account.clone(),
            service_linked: facts.service_linked,
            boundary,
            tags: tags.then(|| facts.tags.clone().unwrap_or_default()),
            own: (identity || named).then_some(who),
        },
        statements,
    };
    (key, allows, identity)
}

/// Groups `who` into classes for `actions`. `alone`: principals that must be decided
/// on their own (a trust policy names them).
pub fn classes(
    engine: &Engine<'_>,
    ids: &StatementIds<'_>,
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
    let tables: Vec<Arc<Vec<bool>>> = actions.iter().map(|a| ids.covering(a)).collect();
    let keys: Vec<(Key, Vec<bool>, bool)> = who
        .par_iter()
        .map(|&p| {
            key_of(
                engine,
                ids,
                &tables,
                p,
                (alone.contains(&p), org_identity),
                org_tags,
            )
        })
        .collect();
    let mut index: HashMap<Key, usize> = HashMap::new();
    let mut out: Vec<Class> = Vec::new();
    for (&p, (key, allows, reads_identity)) in who.iter().zip(keys) {
        match index.get(&key) {
            Some(&i) => out[i].members.push(p),
            None => {
                let base = key.base.clone();
                let statements_base = BaseKey {
                    own: base.own.filter(|_| reads_identity),
                    ..base.clone()
                };
                index.insert(key, out.len());
                out.push(Class {
                    members: vec![p],
                    base,
                    statements_base,
                    allows,
                });
            }
        }
    }
    out
}
