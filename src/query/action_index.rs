//! Which statements of a principal can match each action: the index that makes
//! what-can linear in the number of statements.
//!
//! Each document's statements are expanded against the action catalogue once (kept
//! with the document, so every principal holding it shares the work), then inverted:
//! catalogue action → the statements naming it. Deciding an action then evaluates only
//! those statements (plus the few that must be checked against every action:
//! `NotAction`, non-ASCII patterns) instead of every statement of every policy; and
//! deciding one resource evaluates only those whose resource patterns can match it.

use std::collections::{HashMap, HashSet};

use super::prefix_index::PrefixIndex;
use crate::catalog::Catalog;
use crate::eval::QueryPlan;
use crate::policy::{ActionName, ListedActions, PolicyDocument, Statement};

/// The catalogue actions of each statement of `doc`, expanded once per document.
pub fn listed_actions<'d>(doc: &'d PolicyDocument, catalog: &Catalog) -> &'d [ListedActions] {
    doc.listed_actions(|statements| {
        statements
            .iter()
            .map(|st| expand_statement(st, catalog))
            .collect()
    })
}

fn expand_statement(st: &Statement, catalog: &Catalog) -> ListedActions {
    let mut ids: Vec<u32> = st
        .action
        .patterns
        .iter()
        .flat_map(|p| catalog.expand(p.as_str()))
        .map(|a| a.id() as u32)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    // Catalogue expansion folds ASCII case only; the evaluator folds Unicode case, so a
    // non-ASCII pattern may match more than the catalogue says.
    let ascii = st.action.patterns.iter().all(|p| p.as_str().is_ascii());
    ListedActions {
        ids: ids.into_boxed_slice(),
        exact: ascii && !st.action.negated,
    }
}

/// For one principal's documents: the statements that can match each catalogue action.
pub struct ActionIndex<'d> {
    docs: Vec<&'d PolicyDocument>,
    /// Catalogue id → (document, statement position), in document order.
    by_action: HashMap<u32, Vec<(u32, u32)>>,
    /// Statements to check against every action.
    always: Vec<(u32, u32)>,
}

impl<'d> ActionIndex<'d> {
    /// Indexes `docs` (a document listed twice is indexed once).
    pub fn new(docs: impl IntoIterator<Item = &'d PolicyDocument>, catalog: &Catalog) -> Self {
        let mut seen = HashSet::new();
        let unique: Vec<&PolicyDocument> = docs
            .into_iter()
            .filter(|d| seen.insert(*d as *const PolicyDocument))
            .collect();
        let mut by_action: HashMap<u32, Vec<(u32, u32)>> = HashMap::new();
        let mut always = Vec::new();
        for (di, doc) in unique.iter().enumerate() {
            for (si, listed) in listed_actions(doc, catalog).iter().enumerate() {
                let at = (di as u32, si as u32);
                if listed.exact {
                    for &id in listed.ids.iter() {
                        by_action.entry(id).or_default().push(at);
                    }
                } else {
                    always.push(at);
                }
            }
        }
        ActionIndex {
            docs: unique,
            by_action,
            always,
        }
    }

    /// The statements (document, position) whose `Action`/`NotAction` matches the
    /// catalogue action `id` named `action`, exactly (each candidate is checked), in
    /// order.
    pub(crate) fn matching(&self, id: u32, action: &ActionName) -> Vec<(u32, u32)> {
        // Listed under `id` means matching it: the expansion was exact.
        let named = self.by_action.get(&id).map_or(&[][..], Vec::as_slice);
        let mut out: Vec<(u32, u32)> = named.to_vec();
        out.extend(
            self.always.iter().copied().filter(|&(d, s)| {
                self.docs[d as usize].statements[s as usize].action_matches(action)
            }),
        );
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The statements that did not compile (document, position in `invalid`) and could
    /// apply to `action`: the evaluator reads them for every request they may cover.
    pub(crate) fn invalid_covering(&self, action: &ActionName) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for (d, doc) in self.docs.iter().enumerate() {
            for (i, inv) in doc.invalid.iter().enumerate() {
                if inv.could_cover_action(action) {
                    out.push((d as u32, i as u32));
                }
            }
        }
        out
    }

    /// A plan over `matching` (from [`ActionIndex::matching`]), ready to be narrowed
    /// to one resource at a time.
    pub(crate) fn plan(&self, matching: &[(u32, u32)]) -> ActionPlan<'_, 'd> {
        let docs: &[&'d PolicyDocument] = &self.docs;
        let mut unfiltered = Vec::new();
        let mut prefixed = Vec::new();
        for &(d, s) in matching {
            let st: &'d Statement = &docs[d as usize].statements[s as usize];
            match literal_prefixes(st) {
                Some(prefixes) => prefixed.extend(prefixes.map(|p| (p, (d, s)))),
                None => unfiltered.push((d, s)),
            }
        }
        ActionPlan {
            index: self,
            unfiltered,
            by_prefix: PrefixIndex::new(prefixed),
        }
    }
}

/// The literal start of each `Resource` pattern of `st` (the text before its first
/// wildcard), when every resource it can match starts with one of them; `None` when
/// it must be checked against every resource: no `Resource`, a `NotResource`, or a
/// policy variable (its match may be Unknown, whatever the text).
fn literal_prefixes(st: &Statement) -> Option<impl Iterator<Item = &[u8]> + '_> {
    let spec = st.resource.as_ref().filter(|r| !r.negated)?;
    if spec.patterns.iter().any(|p| p.as_str().contains('$')) {
        return None;
    }
    // Resource matching is case-sensitive (`ResourcePattern`), so a byte prefix holds.
    Some(spec.patterns.iter().map(|p| {
        let raw = p.as_str();
        let literal = raw.find(['*', '?']).map_or(raw, |i| &raw[..i]);
        literal.as_bytes()
    }))
}

/// One action's statements (see [`ActionIndex::plan`]).
pub(crate) struct ActionPlan<'i, 'd> {
    index: &'i ActionIndex<'d>,
    /// Statements to evaluate for every resource.
    unfiltered: Vec<(u32, u32)>,
    /// The others, by the literal start of each of their resource patterns.
    by_prefix: PrefixIndex<'d, (u32, u32)>,
}

impl ActionPlan<'_, '_> {
    /// A plan that evaluates, in every indexed document, only the statements that can
    /// match this action on `resource`: the index keeps deciding one resource
    /// proportional to the statements that name it, not to all the action's statements.
    pub(crate) fn for_resource(&self, resource: &str) -> QueryPlan {
        let docs = &self.index.docs;
        let mut per_doc: Vec<Vec<u32>> = vec![Vec::new(); docs.len()];
        for &(d, s) in &self.unfiltered {
            per_doc[d as usize].push(s);
        }
        self.by_prefix
            .starting(resource.as_bytes(), |&(d, s)| per_doc[d as usize].push(s));
        QueryPlan::only_statements(docs.iter().copied().zip(per_doc).map(|(d, mut s)| {
            s.sort_unstable();
            s.dedup();
            (d, s)
        }))
    }
}
