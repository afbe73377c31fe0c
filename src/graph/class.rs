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
use crate::fast_hash::FastMap;
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

/// The statements of the principals' identity policies and boundary, numbered by
/// content (equal ids: equal [`statement_text`]), with what a class key needs of each,
/// worked out once per distinct statement rather than once per principal. A full build
/// numbers every principal's at once; a partial one only those of the principals it
/// decides, as it reaches them ([`StatementIds::number`]): ids once given never change.
pub struct StatementIds<'a> {
    /// One statement per id (`None`: an invalid document, or a document's statements
    /// that did not compile, which count as covering every action).
    statements: Vec<Option<&'a Statement>>,
    /// Whether each reads the principal's identity, and its tags.
    reads: Vec<(bool, bool)>,
    /// Each principal's identity-policy statements, in evaluation order (by node;
    /// empty until numbered).
    identity: Vec<Vec<u32>>,
    /// Each principal's boundary: its document's address and statements.
    boundary: Vec<Option<(usize, Vec<u32>)>>,
    /// Whether each principal's statements are numbered.
    numbered: Vec<bool>,
    /// Ids by statement text, statement ids by document address, and the id of each
    /// invalid document.
    by_text: HashMap<String, u32>,
    by_doc: HashMap<usize, Vec<u32>>,
    invalid: HashMap<usize, u32>,
    /// Per action: which ids cover it (made for the ids numbered then).
    covering: Mutex<HashMap<String, Arc<Vec<bool>>>>,
    /// The SCP and RCP statements.
    org: Vec<&'a Statement>,
}

/// The id of the first SCP or RCP statement (they are numbered apart, after every id a
/// principal's statement can take).
const FIRST_ORG: u32 = 1 << 31;

impl<'a> StatementIds<'a> {
    /// Numbers every statement of every principal's policies by its content.
    pub fn new(engine: &Engine<'a>) -> StatementIds<'a> {
        let mut ids = StatementIds::none(engine);
        let principals: Vec<PrincipalRef> = engine.principals().collect();
        ids.number(engine, &principals);
        ids
    }

    /// No principal's statements numbered yet.
    pub fn none(engine: &Engine<'a>) -> StatementIds<'a> {
        let account = engine.account();
        let principals = account.users.len() + account.roles.len();
        StatementIds {
            statements: Vec::new(),
            reads: Vec::new(),
            identity: vec![Vec::new(); principals],
            boundary: vec![None; principals],
            numbered: vec![false; principals],
            by_text: HashMap::new(),
            by_doc: HashMap::new(),
            invalid: HashMap::new(),
            covering: Mutex::new(HashMap::new()),
            org: org_statements(account),
        }
    }

    /// Numbers the statements of `principals` not numbered yet.
    pub fn number(&mut self, engine: &Engine<'a>, principals: &[PrincipalRef]) {
        let principals: Vec<PrincipalRef> = principals
            .iter()
            .copied()
            .filter(|&p| !self.numbered[node_index(engine, p)])
            .collect();
        let mut docs: Vec<&'a PolicyDocument> = principals
            .iter()
            .flat_map(|&p| engine.identity_policies(p).iter().chain(engine.boundary(p)))
            .filter_map(|p| p.document.ok())
            .filter(|d| {
                !self
                    .by_doc
                    .contains_key(&(*d as *const PolicyDocument as usize))
            })
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
        for (doc, texts) in docs.iter().zip(texts) {
            let mut numbered: Vec<u32> = doc
                .statements
                .iter()
                .zip(texts)
                .map(|(st, text)| match self.by_text.get(&text) {
                    Some(&id) => id,
                    None => {
                        let id = self.push(Some(st));
                        self.by_text.insert(text, id);
                        id
                    }
                })
                .collect();
            // Statements that did not compile may still deny: the document's own
            // marker, which counts as covering every action.
            if !doc.invalid.is_empty() {
                numbered.push(self.push(None));
            }
            self.by_doc
                .insert(*doc as *const PolicyDocument as usize, numbered);
        }
        for &p in &principals {
            let mut own = Vec::new();
            for policy in engine.identity_policies(p) {
                own.extend(self.document(policy).1);
            }
            let boundary = engine.boundary(p).map(|b| self.document(b));
            let i = node_index(engine, p);
            self.identity[i] = own;
            self.boundary[i] = boundary;
            self.numbered[i] = true;
        }
    }

    /// A new id for `statement` (`None`: an invalid document's marker).
    fn push(&mut self, statement: Option<&'a Statement>) -> u32 {
        self.statements.push(statement);
        self.reads
            .push(statement.map_or((false, false), reads_principal));
        self.statements.len() as u32 - 1
    }

    /// A numbered document's address and statement ids.
    fn document(&mut self, p: &NamedPolicy<'a>) -> (usize, Vec<u32>) {
        match p.document {
            Ok(d) => {
                let at = d as *const PolicyDocument as usize;
                (at, self.by_doc.get(&at).cloned().unwrap_or_default())
            }
            Err(e) => {
                let at = e as *const _ as usize;
                let id = match self.invalid.get(&at) {
                    Some(&id) => id,
                    None => {
                        let id = self.push(None);
                        self.invalid.insert(at, id);
                        id
                    }
                };
                (at, vec![id])
            }
        }
    }

    /// For each id: whether it covers `action` (invalid documents do).
    fn covering(&self, action: &ActionName) -> Arc<Vec<bool>> {
        if let Some(t) = self
            .covering
            .lock()
            .ok()
            .and_then(|m| m.get(action.as_str()).cloned())
            .filter(|t| t.len() == self.statements.len())
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

    /// Whether each id covers `action`, for a question about `principals` principals:
    /// the table of every id when it is made already or worth making (many
    /// principals), else each id asked directly — a one-principal build looks at a
    /// few statements, not at the account's tens of thousands.
    fn coverage(&self, action: &ActionName, principals: usize) -> Coverage<'_> {
        let cached = self
            .covering
            .lock()
            .ok()
            .and_then(|m| m.get(action.as_str()).cloned());
        match cached.filter(|t| t.len() == self.statements.len()) {
            Some(table) => Coverage::Table(table),
            None if principals >= TABLE_FROM => Coverage::Table(self.covering(action)),
            None => Coverage::Direct(&self.statements, action.clone()),
        }
    }

    fn is_allow(&self, id: u32) -> bool {
        self.statements[id as usize].is_some_and(|s| s.effect == Effect::Allow)
    }
}

/// From how many principals a class question makes [`StatementIds::covering`]'s table
/// of every statement rather than asking each principal's statements.
const TABLE_FROM: usize = 64;

/// Whether a statement id covers an action: a table made once, or asked each time.
enum Coverage<'s> {
    Table(Arc<Vec<bool>>),
    Direct(&'s [Option<&'s Statement>], ActionName),
}

impl Coverage<'_> {
    fn covers(&self, id: u32) -> bool {
        match self {
            Coverage::Table(t) => t[id as usize],
            Coverage::Direct(statements, action) => {
                statements[id as usize].is_none_or(|s| covers_action(s, action))
            }
        }
    }
}

/// A principal's index among the account's principals (users first, then roles).
fn node_index(engine: &Engine<'_>, who: PrincipalRef) -> usize {
    match who {
        PrincipalRef::User(u) => u.index(),
        PrincipalRef::Role(r) => engine.account().users.len() + r.index(),
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
/// identity policies, boundary, then SCPs and RCPs (numbered from `FIRST_ORG`, apart from every identity
/// statement); and how many of them, first, are the identity policies'.
pub fn covering_statements<'s>(
    engine: &Engine<'_>,
    ids: &'s StatementIds<'s>,
    who: PrincipalRef,
    action: &ActionName,
) -> (Vec<(u32, Option<&'s Statement>)>, usize) {
    let index = node_index(engine, who);
    let table = ids.coverage(action, 1);
    let entry = |&id: &u32| (id, ids.statements[id as usize]);
    let mut out: Vec<(u32, Option<&'s Statement>)> = ids.identity[index]
        .iter()
        .filter(|&&id| table.covers(id))
        .map(entry)
        .collect();
    let identity = out.len();
    out.extend(
        ids.boundary[index]
            .iter()
            .flat_map(|(_, b)| b)
            .filter(|&&id| table.covers(id))
            .map(entry),
    );
    out.extend(
        ids.org
            .iter()
            .enumerate()
            .filter(|(_, s)| covers_action(s, action))
            .map(move |(k, s)| (FIRST_ORG + k as u32, Some(*s))),
    );
    (out, identity)
}

fn key_of(
    engine: &Engine<'_>,
    ids: &StatementIds<'_>,
    tables: &[Coverage<'_>],
    who: PrincipalRef,
    (named, org_identity): (bool, bool),
    org_tags: bool,
) -> (Key, Vec<bool>, bool) {
    let facts = engine.facts(who);
    let index = node_index(engine, who);
    debug_assert!(
        ids.numbered[index],
        "a class key of a principal not numbered"
    );
    let mut allows = vec![false; tables.len()];
    let mut statements = Vec::new();
    let mut identity = org_identity;
    let mut tags = org_tags;
    for &id in &ids.identity[index] {
        let mut covered = false;
        for (k, t) in tables.iter().enumerate() {
            if t.covers(id) {
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
            if tables.iter().any(|t| t.covers(id)) {
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
    let tables: Vec<Coverage<'_>> = actions.iter().map(|a| ids.coverage(a, who.len())).collect();
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
    // Thousands of keys per call, a call per technique: a fast hash (the keys are the
    // bundle's own).
    let mut index: FastMap<&Key, usize> = FastMap::default();
    index.reserve(who.len());
    let mut out: Vec<Class> = Vec::new();
    for (&p, (key, allows, reads_identity)) in who.iter().zip(&keys) {
        match index.get(key) {
            Some(&i) => out[i].members.push(p),
            None => {
                let base = key.base.clone();
                let statements_base = BaseKey {
                    own: base.own.filter(|_| *reads_identity),
                    ..base.clone()
                };
                index.insert(key, out.len());
                out.push(Class {
                    members: vec![p],
                    base,
                    statements_base,
                    allows: allows.clone(),
                });
            }
        }
    }
    out
}
