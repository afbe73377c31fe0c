//! Which statements of a principal can match each action: the index that makes
//! what-can linear in the number of statements.
//!
//! Each document's statements are expanded against the action catalogue once (kept
//! with the document, so every principal holding it shares the work), then inverted:
//! catalogue action → the statements naming it. Deciding an action then evaluates only
//! those statements (plus the few that must be checked against every action:
//! `NotAction`, non-ASCII patterns) instead of every statement of every policy; and
//! deciding one resource evaluates only those whose resource patterns can match it.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;

use rayon::prelude::*;

use super::prefix_index::PrefixIndex;
use crate::catalog::Catalog;
use crate::eval::QueryPlan;
use crate::fast_hash::FastMap;
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
    /// (catalogue id, (document, statement position)), sorted: an id's statements are
    /// one run, in document order.
    by_action: Vec<(u32, (u32, u32))>,
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
        let mut by_action: Vec<(u32, (u32, u32))> = Vec::new();
        let mut always = Vec::new();
        for (di, doc) in unique.iter().enumerate() {
            for (si, listed) in listed_actions(doc, catalog).iter().enumerate() {
                let at = (di as u32, si as u32);
                if listed.exact {
                    for &id in listed.ids.iter() {
                        by_action.push((id, at));
                    }
                } else {
                    always.push(at);
                }
            }
        }
        by_action.par_sort_unstable();
        by_action.dedup();
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
        let from = self.by_action.partition_point(|&(a, _)| a < id);
        let mut out: Vec<(u32, u32)> = self.by_action[from..]
            .iter()
            .take_while(|&&(a, _)| a == id)
            .map(|&(_, at)| at)
            .collect();
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

    /// Where each statement's resource patterns can reach among `resources` (sorted,
    /// without repeats): worked out once, on both cores, for every plan.
    pub(crate) fn reach(&self, resources: &[Cow<'_, str>]) -> StatementReach {
        let ranks: FastMap<&str, u32> = resources
            .iter()
            .enumerate()
            .map(|(i, r)| (&**r, i as u32))
            .collect();
        let per_doc = self
            .docs
            .iter()
            .map(|doc| {
                doc.statements
                    .par_iter()
                    .with_min_len(512)
                    .map(|st| {
                        let spec = st.resource.as_ref()?;
                        let prefixes = literal_prefixes(st)?;
                        let ranges = spec.patterns.iter().zip(prefixes).map(|(p, prefix)| {
                            match ranks.get(p.as_str()) {
                                // A pattern starts with its literal part, so the range of
                                // texts starting with it holds the pattern's own rank.
                                Some(&at) => around(resources, at as usize, prefix),
                                None => starting_with(resources, prefix),
                            }
                        });
                        Some(ranges.collect())
                    })
                    .collect()
            })
            .collect();
        StatementReach { per_doc }
    }

    /// A plan over `matching` (from [`ActionIndex::matching`]), ready to be narrowed
    /// to one resource at a time.
    pub(crate) fn plan<'r>(
        &self,
        matching: &[(u32, u32)],
        reach: &'r StatementReach,
    ) -> ActionPlan<'d, 'r> {
        let docs: &[&'d PolicyDocument] = &self.docs;
        let mut unfiltered = Vec::new();
        let mut reaching = Vec::new();
        for &(d, s) in matching {
            match &reach.per_doc[d as usize][s as usize] {
                Some(ranges) => reaching.push((&ranges[..], (d, s))),
                None => unfiltered.push((d, s)),
            }
        }
        // A few statements are checked one by one; an index pays only for many.
        let prefixed = if reaching.len() <= SCAN_AT_MOST {
            Prefixed::Few(reaching)
        } else {
            Prefixed::Many(PrefixIndex::new(reaching.iter().flat_map(
                |&(_, (d, s))| {
                    let st: &'d Statement = &docs[d as usize].statements[s as usize];
                    literal_prefixes(st)
                        .into_iter()
                        .flatten()
                        .map(move |p| (p, (d, s)))
                },
            )))
        };
        ActionPlan {
            unfiltered,
            prefixed,
        }
    }

    /// Makes `plan` evaluate, in every indexed document, only `statements` (document,
    /// position; ascending, as [`ActionPlan::statements_for`] gives them).
    pub(crate) fn set_plan(&self, plan: &mut QueryPlan, statements: &[(u32, u32)]) {
        plan.set_only_statements(&self.docs, statements);
    }
}

/// A plan of at most this many statements with resource prefixes checks them one by one.
const SCAN_AT_MOST: usize = 32;

/// The rank range of the texts of `sorted` that start with `prefix`: they sort together.
fn starting_with(sorted: &[Cow<'_, str>], prefix: &[u8]) -> Range<u32> {
    let lo = sorted.partition_point(|r| r.as_bytes() < prefix);
    let len = sorted[lo..].partition_point(|r| r.as_bytes().starts_with(prefix));
    lo as u32..(lo + len) as u32
}

/// The same range as [`starting_with`], found from a text at `at` that starts with
/// `prefix`: steps double outward from it, then halve (a few comparisons when the
/// range is small, as for a literal ARN).
fn around(sorted: &[Cow<'_, str>], at: usize, prefix: &[u8]) -> Range<u32> {
    let starts = |r: &Cow<'_, str>| r.as_bytes().starts_with(prefix);
    // Every text from `lo` to `at` starts with `prefix` (they sort together).
    let mut lo = at;
    let mut step = 1;
    while lo > 0 {
        let probe = lo.saturating_sub(step);
        if starts(&sorted[probe]) {
            lo = probe;
            step *= 2;
        } else {
            lo = probe + 1 + sorted[probe + 1..lo].partition_point(|r| !starts(r));
            break;
        }
    }
    // Every text from `at` to before `hi` starts with `prefix`.
    let mut hi = at + 1;
    let mut step = 1;
    while hi < sorted.len() {
        let probe = (hi - 1 + step).min(sorted.len() - 1);
        if starts(&sorted[probe]) {
            hi = probe + 1;
            step *= 2;
        } else {
            hi += sorted[hi..probe].partition_point(starts);
            break;
        }
    }
    lo as u32..hi as u32
}

/// The rank ranges one statement's resource patterns reach, one per pattern.
type Ranks = Box<[Range<u32>]>;

/// A statement (document, position) with the rank ranges it reaches.
type Reaching<'r> = (&'r [Range<u32>], (u32, u32));

/// For each statement of an [`ActionIndex`] (by document, then position), the ranks of
/// the candidate resources its resource patterns can match, as ranges (one per
/// pattern); `None` when it must be checked against every resource.
pub(crate) struct StatementReach {
    per_doc: Vec<Vec<Option<Ranks>>>,
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

/// Statements that can match only resources starting with certain texts.
enum Prefixed<'d, 'r> {
    /// Each with the rank ranges it reaches.
    Few(Vec<Reaching<'r>>),
    /// By the literal start of each of their resource patterns.
    Many(PrefixIndex<'d, (u32, u32)>),
}

/// One action's statements (see [`ActionIndex::plan`]).
pub(crate) struct ActionPlan<'d, 'r> {
    /// Statements to evaluate for every resource.
    unfiltered: Vec<(u32, u32)>,
    /// The others.
    prefixed: Prefixed<'d, 'r>,
}

impl ActionPlan<'_, '_> {
    /// Calls `each` with every rank of `ranks` (ascending candidate ranks, `texts` their
    /// texts) and the statements that can match this action on that resource, as
    /// [`ActionPlan::statements_for`] gives them. A few statements are swept once over
    /// the ranks (each range found by binary search) instead of being tested for every
    /// resource.
    pub(crate) fn for_each_resource(
        &self,
        ranks: &[u32],
        texts: &[Cow<'_, str>],
        mut each: impl FnMut(u32, &[(u32, u32)]),
    ) {
        let mut out = Vec::new();
        let Prefixed::Few(entries) = &self.prefixed else {
            for &r in ranks {
                self.statements_for(&texts[r as usize], r, &mut out);
                each(r, &out);
            }
            return;
        };
        // (position in `ranks`, statement) for every statement reaching that rank.
        let mut hits: Vec<(u32, (u32, u32))> = Vec::new();
        for &(ranges, at) in entries {
            for range in ranges {
                let lo = ranks.partition_point(|&r| r < range.start);
                let hi = lo + ranks[lo..].partition_point(|&r| r < range.end);
                hits.extend((lo as u32..hi as u32).map(|p| (p, at)));
            }
        }
        hits.sort_unstable();
        let mut next = hits.iter().peekable();
        for (p, &r) in ranks.iter().enumerate() {
            out.clear();
            out.extend_from_slice(&self.unfiltered);
            while let Some(&(_, at)) = next.next_if(|h| h.0 == p as u32) {
                out.push(at);
            }
            out.sort_unstable();
            out.dedup();
            each(r, &out);
        }
    }

    /// Sets `out` to the statements that can match this action on `resource`, the
    /// candidate of rank `rank` (ascending): deciding one resource costs the statements
    /// that can match it, not all the action's statements.
    pub(crate) fn statements_for(&self, resource: &str, rank: u32, out: &mut Vec<(u32, u32)>) {
        out.clear();
        out.extend_from_slice(&self.unfiltered);
        match &self.prefixed {
            Prefixed::Few(entries) => out.extend(
                entries
                    .iter()
                    .filter(|(ranges, _)| ranges.iter().any(|r| r.contains(&rank)))
                    .map(|&(_, at)| at),
            ),
            Prefixed::Many(index) => index.starting(resource.as_bytes(), |&at| out.push(at)),
        }
        out.sort_unstable();
        out.dedup();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The sweep over a class's ranks gives each rank the statements that testing
        /// every statement against it gives.
        #[test]
        fn the_sweep_gives_what_each_resource_asks(
            patterns in proptest::collection::vec(
                proptest::collection::vec("arn:aws:s3:::[ab]{0,2}[*]?", 1..3),
                1..12,
            ),
            texts in proptest::collection::btree_set("arn:aws:s3:::[ab*]{0,3}", 1..30),
            keep in proptest::collection::vec(any::<bool>(), 30),
        ) {
            let statements: Vec<String> = patterns
                .iter()
                .map(|rs| format!(
                    r#"{{"Effect":"Allow","Action":"s3:GetObject","Resource":{rs:?}}}"#
                ))
                .collect();
            let text = format!(
                r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
                statements.join(",")
            );
            let doc = PolicyDocument::parse(&text).expect("the document compiles");
            let catalog = Catalog::get();
            let index = ActionIndex::new([&doc], catalog);
            let sorted: Vec<Cow<'_, str>> = texts.into_iter().map(Cow::Owned).collect();
            let reach = index.reach(&sorted);
            let action = ActionName::new("s3:GetObject");
            let id = catalog.action_ref("s3:GetObject").expect("in the catalogue").id() as u32;
            let plan = index.plan(&index.matching(id, &action), &reach);
            let ranks: Vec<u32> = (0..sorted.len() as u32)
                .filter(|&r| keep[r as usize])
                .collect();
            let mut swept = Vec::new();
            plan.for_each_resource(&ranks, &sorted, |r, st| swept.push((r, st.to_vec())));
            let mut one_by_one = Vec::new();
            for &r in &ranks {
                let mut out = Vec::new();
                plan.statements_for(&sorted[r as usize], r, &mut out);
                one_by_one.push((r, out));
            }
            prop_assert_eq!(swept, one_by_one);
        }

        #[test]
        fn ranges_are_the_texts_starting_with_the_prefix(
            texts in proptest::collection::btree_set("[ab/]{0,6}", 1..40),
            prefix in "[ab/]{0,3}",
            pick in 0usize..40,
        ) {
            let sorted: Vec<Cow<'_, str>> = texts.into_iter().map(Cow::Owned).collect();
            let expected: Vec<u32> = (0..sorted.len() as u32)
                .filter(|&i| sorted[i as usize].starts_with(prefix.as_str()))
                .collect();
            let found: Vec<u32> = starting_with(&sorted, prefix.as_bytes()).collect();
            prop_assert_eq!(&found, &expected);
            // From any text that starts with the prefix, the same range.
            if !expected.is_empty() {
                let at = expected[pick % expected.len()] as usize;
                let around: Vec<u32> = around(&sorted, at, prefix.as_bytes()).collect();
                prop_assert_eq!(around, expected);
            }
        }
    }
}
