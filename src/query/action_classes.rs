//! What-can's candidates, and the actions no document tells apart.
//!
//! The candidates are the (action, resource) pairs a principal's Allow statements
//! name. A `NotAction` Allow names nearly every action of the catalogue, a prefix
//! wildcard dozens: deciding each pair alone would repeat the same evaluation for
//! thousands of actions. Two actions get the same decision on every resource when
//! every statement the evaluator can read (the principal's, its boundary's, the SCPs'
//! and RCPs', the candidate resources' policies) matches both or neither, no invalid
//! statement could cover one but not the other, and the evaluator reads nothing else
//! of the action's name — true outside `sts`, `iam` and `kms` ([`read_by_name`]), where
//! all it reads of the service is whether RCPs govern it ([`rcp_governed`]). Such
//! actions form one class, decided once (and listed under their own services).
//!
//! On one resource the same holds of fewer statements: only the principal's own
//! statements that can apply there count. Actions that share everything but their own
//! statements form a family; two classes of a family on whose resource the same own
//! statements apply get the same decision there, so what-can decides each (own
//! statements, resource) of a family once — a wildcard or `NotAction` statement's
//! resources once for all the actions it names, not once per action.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rayon::prelude::*;

use super::action_index::{listed_actions, ActionIndex};
use super::what_can::resolve_variables;
use crate::catalog::{ActionRef, Catalog};
use crate::eval::{rcp_governed, read_by_name, Engine, PrincipalRef};
use crate::fast_hash::FastMap;
use crate::policy::{ActionName, Effect, ListedActions, PolicyDocument, Statement};

/// Candidate pairs, with each resource text stored once.
#[derive(Default)]
pub(crate) struct Candidates<'d> {
    /// The resource texts (variables filled in), sorted, without repeats.
    pub(crate) resources: Vec<Cow<'d, str>>,
    /// Catalogue action id → its resources (indices into `resources`, ascending);
    /// empty for an action no statement names.
    pub(crate) by_id: Vec<Vec<u32>>,
    /// Actions outside the catalogue, as written → their resources.
    pub(crate) by_name: BTreeMap<String, Vec<u32>>,
}

impl<'d> Candidates<'d> {
    /// The candidates of `who`'s Allow statements in `docs`. Worked out on both cores
    /// by sorting instead of a shared table: a huge document has 100k statements and
    /// 200k resource texts.
    pub(crate) fn of(engine: &Engine<'_>, who: PrincipalRef, docs: &[&'d PolicyDocument]) -> Self {
        let catalog = Catalog::get();
        let facts = engine.facts(who);
        let (username, userid) = (facts.username.as_deref(), facts.userid.as_deref());
        let granting: Vec<(&'d Statement, &'d ListedActions)> = docs
            .iter()
            .flat_map(|doc| doc.statements.iter().zip(listed_actions(doc, catalog)))
            .filter(|(st, _)| st.effect == Effect::Allow)
            .collect();
        // Every statement's resource texts (variables filled in), numbered in sorted
        // order, so that each list sorts by number.
        let mut texts: Vec<(Cow<'d, str>, u32)> = granting
            .par_iter()
            .enumerate()
            .flat_map_iter(|(at, (st, _))| {
                resource_texts(st, username, userid).map(move |t| (t, at as u32))
            })
            .collect();
        texts.par_sort_unstable();
        let mut resources: Vec<Cow<'d, str>> = Vec::new();
        let mut ranked: Vec<(u32, u32)> = Vec::with_capacity(texts.len());
        for (text, at) in texts {
            if resources.last() != Some(&text) {
                resources.push(text);
            }
            ranked.push((at, resources.len() as u32 - 1));
        }
        ranked.par_sort_unstable();
        ranked.dedup();
        // Each statement's ranks are one run of `ranked`.
        let mut starts = vec![0usize; granting.len() + 1];
        for &(at, _) in &ranked {
            starts[at as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let ranks_of = |at: usize| ranked[starts[at]..starts[at + 1]].iter().map(|&(_, r)| r);
        let everything: Vec<u32> = if granting.iter().any(|(st, _)| st.action.negated) {
            catalog.expand("*").iter().map(|a| a.id() as u32).collect()
        } else {
            Vec::new()
        };
        // (action id, rank) for every catalogue action a statement names.
        let mut pairs: Vec<u64> = granting
            .par_iter()
            .enumerate()
            .flat_map_iter(|(at, (st, names))| {
                let ids: Cow<'_, [u32]> = if st.action.negated {
                    everything
                        .iter()
                        .copied()
                        .filter(|id| names.ids.binary_search(id).is_err())
                        .collect()
                } else {
                    Cow::Borrowed(&names.ids)
                };
                let ranks: Vec<u32> = ranks_of(at).collect();
                let mut out = Vec::with_capacity(ids.len() * ranks.len());
                for &id in ids.iter() {
                    out.extend(ranks.iter().map(|&r| u64::from(id) << 32 | u64::from(r)));
                }
                out
            })
            .collect();
        pairs.par_sort_unstable();
        pairs.dedup();
        let mut by_id: Vec<Vec<u32>> = Vec::new();
        if let Some(&last) = pairs.last() {
            by_id.resize_with((last >> 32) as usize + 1, Vec::new);
        }
        for pair in pairs {
            by_id[(pair >> 32) as usize].push(pair as u32);
        }
        // Actions not in the catalogue: the literal names, as written.
        let mut by_name: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (at, (st, names)) in granting.iter().enumerate() {
            if st.action.negated || !names.ids.is_empty() {
                continue;
            }
            for p in st.action.patterns.iter().map(|p| p.as_str()) {
                if !p.contains(['*', '?']) {
                    by_name
                        .entry(p.to_string())
                        .or_default()
                        .extend(ranks_of(at));
                }
            }
        }
        for list in by_name.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
        Candidates {
            resources,
            by_id,
            by_name,
        }
    }

    /// The candidate actions in the catalogue (ascending ids) with their resources.
    pub(crate) fn catalogued(&self) -> impl Iterator<Item = (u32, &[u32])> {
        self.by_id
            .iter()
            .enumerate()
            .filter(|(_, list)| !list.is_empty())
            .map(|(id, list)| (id as u32, list.as_slice()))
    }
}

/// The resource texts a statement names, with the principal's own variables filled
/// in; `*` for a statement without `Resource` or with `NotResource`.
fn resource_texts<'d, 'f>(
    st: &'d Statement,
    username: Option<&'f str>,
    userid: Option<&'f str>,
) -> impl Iterator<Item = Cow<'d, str>> + use<'d, 'f> {
    let (patterns, any) = match &st.resource {
        Some(spec) if !spec.negated => (&spec.patterns[..], None),
        _ => (&[][..], Some(Cow::Borrowed("*"))),
    };
    patterns
        .iter()
        .map(move |p| match p.as_str() {
            t if t.contains("${") => Cow::Owned(resolve_variables(t, username, userid)),
            t => Cow::Borrowed(t),
        })
        .chain(any)
}

/// Catalogue actions that get the same decision on every candidate resource.
pub(crate) struct ActionClass {
    /// The actions, ascending ids; the first one is decided for all.
    pub(crate) members: Vec<u32>,
    /// The principal's statements (see [`ActionIndex::matching`]) matching them.
    pub(crate) matching: Vec<(u32, u32)>,
    /// Its family (see [`FamilyKey`]), numbered from 0.
    pub(crate) family: u32,
}

/// What tells actions apart on one resource, beside the principal's own statements that
/// apply there: actions of one family on which the same own statements apply get the
/// same decision on that resource (see the module docs).
#[derive(PartialEq, Eq, Hash)]
struct FamilyKey {
    /// The action itself, for services the evaluator reads by name.
    named: Option<u32>,
    /// Otherwise, what the evaluator reads of its service.
    rcp_governed: bool,
    guards: Vec<(u32, u32)>,
    own_invalid: Vec<(u32, u32)>,
    guard_invalid: Vec<(u32, u32)>,
}

/// What tells an action apart on every resource: see the module docs.
#[derive(PartialEq, Eq, Hash)]
struct ClassKey<'c> {
    family: u32,
    own: Vec<(u32, u32)>,
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
    // The keys are worked out on both cores, then grouped in order.
    let ids: Vec<(u32, &[u32])> = candidates.catalogued().collect();
    let keyed: Vec<(FamilyKey, Vec<(u32, u32)>)> = ids
        .par_iter()
        .with_min_len(256)
        .map(|&(id, _)| {
            let action_ref = ActionRef::new(catalog, id as usize);
            let name = ActionName::new(action_ref.lower_name());
            let named = read_by_name(&name);
            let family = FamilyKey {
                named: named.then_some(id),
                rcp_governed: !named && rcp_governed(&name),
                guards: guards.matching(id, &name),
                own_invalid: own.invalid_covering(&name),
                guard_invalid: guards.invalid_covering(&name),
            };
            (family, own.matching(id, &name))
        })
        .collect();
    let mut families: FastMap<FamilyKey, u32> = FastMap::default();
    let mut groups: FastMap<ClassKey<'_>, usize> = FastMap::default();
    let mut out: Vec<ActionClass> = Vec::new();
    for ((id, resources), (family, matching)) in ids.into_iter().zip(keyed) {
        let next = families.len() as u32;
        let family = *families.entry(family).or_insert(next);
        let key = ClassKey {
            family,
            own: matching,
            resources,
        };
        match groups.get(&key) {
            Some(&at) => out[at].members.push(id),
            None => {
                out.push(ActionClass {
                    members: vec![id],
                    matching: key.own.clone(),
                    family,
                });
                groups.insert(key, out.len() - 1);
            }
        }
    }
    out
}
