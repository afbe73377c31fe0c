//! What-can's candidates, and the actions no document tells apart.
//!
//! The candidates are the (action, resource) pairs a principal's Allow statements
//! name. A `NotAction` Allow names nearly every action of the catalogue, a prefix
//! wildcard dozens: deciding each pair alone would repeat the same evaluation for
//! thousands of actions. Two actions of one service get the same decision on every
//! resource when every statement the evaluator can read (the principal's, its
//! boundary's, the SCPs' and RCPs', the candidate resources' policies) matches both
//! or neither, no invalid statement could cover one but not the other, and the
//! evaluator reads nothing else of the action's name — true outside `sts`, `iam` and
//! `kms` ([`read_by_name`]). Such actions form one class, decided once.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use super::action_index::{listed_actions, ActionIndex};
use super::what_can::resolve_variables;
use crate::catalog::{ActionRef, Catalog};
use crate::eval::{read_by_name, Engine, PrincipalRef};
use crate::policy::{ActionName, Effect, PolicyDocument};

/// Candidate pairs, with each resource text stored once.
#[derive(Default)]
pub(crate) struct Candidates {
    /// The resource texts (variables filled in), sorted.
    pub(crate) resources: Vec<String>,
    /// Catalogue action id → its resources (indices into `resources`, ascending).
    pub(crate) by_id: BTreeMap<u32, Vec<u32>>,
    /// Actions outside the catalogue, as written → their resources.
    pub(crate) by_name: BTreeMap<String, Vec<u32>>,
}

impl Candidates {
    /// The candidates of `who`'s Allow statements in `docs`.
    pub(crate) fn of(engine: &Engine<'_>, who: PrincipalRef, docs: &[&PolicyDocument]) -> Self {
        let catalog = Catalog::get();
        let facts = engine.facts(who);
        let (username, userid) = (facts.username.as_deref(), facts.userid.as_deref());
        let mut out = Candidates::default();
        let mut interned: HashMap<Cow<'_, str>, u32> = HashMap::new();
        let mut everything: Option<Vec<u32>> = None;
        for doc in docs {
            let listed = listed_actions(doc, catalog);
            for (statement, names) in doc.statements.iter().zip(listed) {
                if statement.effect != Effect::Allow {
                    continue;
                }
                let texts: Vec<Cow<'_, str>> = match &statement.resource {
                    Some(spec) if !spec.negated => spec
                        .patterns
                        .iter()
                        .map(|p| match p.as_str() {
                            t if t.contains("${") => {
                                Cow::Owned(resolve_variables(t, username, userid))
                            }
                            t => Cow::Borrowed(t),
                        })
                        .collect(),
                    _ => vec![Cow::Borrowed("*")],
                };
                let resources: Vec<u32> = texts
                    .into_iter()
                    .map(|t| {
                        let next = interned.len() as u32;
                        *interned.entry(t).or_insert(next)
                    })
                    .collect();
                let add = |list: &mut Vec<u32>| list.extend_from_slice(&resources);
                if statement.action.negated {
                    let all = everything.get_or_insert_with(|| {
                        catalog.expand("*").iter().map(|a| a.id() as u32).collect()
                    });
                    for &id in all.iter() {
                        if names.ids.binary_search(&id).is_err() {
                            add(out.by_id.entry(id).or_default());
                        }
                    }
                } else if names.ids.is_empty() {
                    // Not in the catalogue: keep the literal names.
                    for p in statement.action.patterns.iter() {
                        let p = p.as_str();
                        if !p.contains(['*', '?']) {
                            add(out.by_name.entry(p.to_string()).or_default());
                        }
                    }
                } else {
                    for &id in names.ids.iter() {
                        add(out.by_id.entry(id).or_default());
                    }
                }
            }
        }
        // Number the texts in sorted order, so that each list sorts by number.
        let mut sorted: Vec<(Cow<'_, str>, u32)> = interned.into_iter().collect();
        sorted.sort_unstable();
        let mut rank = vec![0u32; sorted.len()];
        for (i, (_, first)) in sorted.iter().enumerate() {
            rank[*first as usize] = i as u32;
        }
        out.resources = sorted.into_iter().map(|(t, _)| t.into_owned()).collect();
        for list in out.by_id.values_mut().chain(out.by_name.values_mut()) {
            for r in list.iter_mut() {
                *r = rank[*r as usize];
            }
            list.sort_unstable();
            list.dedup();
        }
        out
    }
}

/// Catalogue actions that get the same decision on every candidate resource.
pub(crate) struct ActionClass {
    /// The actions, ascending ids; the first one is decided for all.
    pub(crate) members: Vec<u32>,
    /// The principal's statements (see [`ActionIndex::matching`]) matching them.
    pub(crate) matching: Vec<(u32, u32)>,
}

/// What tells an action apart: see the module docs.
#[derive(PartialEq, Eq, Hash)]
struct ClassKey<'c> {
    service: &'c str,
    /// The action itself, for services the evaluator reads by name.
    named: Option<u32>,
    own: Vec<(u32, u32)>,
    guards: Vec<(u32, u32)>,
    own_invalid: Vec<(u32, u32)>,
    guard_invalid: Vec<(u32, u32)>,
    resources: &'c [u32],
}

/// Groups the candidate actions of `candidates` into classes; `own` indexes the
/// principal's identity documents and boundary.
pub(crate) fn classes(
    engine: &Engine<'_>,
    own: &ActionIndex<'_>,
    candidates: &Candidates,
) -> Vec<ActionClass> {
    let catalog = Catalog::get();
    // Every other document a decision on a candidate resource can read.
    let mut guard_docs = engine.guard_documents();
    guard_docs.extend(
        candidates
            .resources
            .iter()
            .filter_map(|r| engine.resource_document(r)),
    );
    let guards = ActionIndex::new(guard_docs, catalog);
    let mut groups: HashMap<ClassKey<'_>, usize> = HashMap::new();
    let mut out: Vec<ActionClass> = Vec::new();
    for (&id, resources) in &candidates.by_id {
        let action_ref = ActionRef::new(catalog, id as usize);
        let name = ActionName::new(action_ref.lower_name());
        let matching = own.matching(id, &name);
        let key = ClassKey {
            service: action_ref.service_prefix(),
            named: read_by_name(&name).then_some(id),
            own: matching.clone(),
            guards: guards.matching(id, &name),
            own_invalid: own.invalid_covering(&name),
            guard_invalid: guards.invalid_covering(&name),
            resources,
        };
        match groups.get(&key) {
            Some(&at) => out[at].members.push(id),
            None => {
                groups.insert(key, out.len());
                out.push(ActionClass {
                    members: vec![id],
                    matching,
                });
            }
        }
    }
    out
}
