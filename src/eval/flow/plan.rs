//! Per-query plans: what the documents many principals share contribute to one query,
//! worked out once (who-can asks the same query of every principal).

use std::cell::Cell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::eval::request::QueryKeys;
use crate::eval::Context;
use crate::policy::{ActionName, Caller, PolicyDocument, StatementInput};

use super::layer::LayerOut;

/// What one document contributes to a given query, worked out once for every principal
/// (see [`QueryPlan`]).
#[derive(Debug, Clone)]
pub(crate) enum DocPlan {
    /// The same outcome for every principal: no statement that can match the action
    /// depends on the principal (no Principal element, no derived key consulted).
    Fixed(LayerOut),
    /// Some statements depend on the principal.
    Dynamic {
        /// The statements (document order) that can match the action; the others
        /// contribute nothing. Evaluated when the unknown keys are wanted (in order).
        relevant: Vec<u32>,
        /// The outcome of the relevant statements that do not depend on the principal
        /// (without keys)…
        fixed: LayerOut,
        /// …and those that do: the only ones to evaluate for a decision alone.
        dependent: Vec<u32>,
    },
}

impl DocPlan {
    /// Plans `doc` for a request with this action, resource and context.
    pub(crate) fn new(
        doc: &PolicyDocument,
        action: &ActionName,
        resource: &str,
        context: &Context,
    ) -> DocPlan {
        // The caller only matters to Principal elements, which make a statement dependent.
        let nobody = Caller::from_arn("", false);
        let input = StatementInput {
            action,
            resource,
            caller: &nobody,
            has_boundary: false,
        };
        let mut fixed = LayerOut::default();
        let mut relevant = Vec::new();
        let mut dependent = Vec::new();
        let mut unknown = Vec::new();
        for (i, st) in doc.statements.iter().enumerate() {
            if !st.action_matches(action) {
                continue;
            }
            relevant.push(i as u32);
            if st.principal.is_some() {
                dependent.push(i as u32);
                continue;
            }
            let keys = QueryKeys {
                context,
                principal_dependent: Cell::new(false),
            };
            unknown.clear();
            let m = st.evaluate(&input, &keys, &mut unknown);
            if keys.principal_dependent.get() {
                dependent.push(i as u32);
            } else {
                fixed.add(st, &m, &unknown);
            }
        }
        if dependent.is_empty() {
            DocPlan::Fixed(fixed)
        } else {
            fixed.deny_keys = Vec::new();
            fixed.allow_keys = Vec::new();
            DocPlan::Dynamic {
                relevant,
                fixed,
                dependent,
            }
        }
    }
}

/// Hashes a document's address (already unique; spread it over the bits).
#[derive(Default)]
pub(crate) struct AddrHasher(u64);

impl Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_usize(&mut self, n: usize) {
        let h = (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = h ^ (h >> 29);
    }
}

/// Per-query plans of the documents many principals share (managed policies, group
/// policies, SCPs, RCPs), keyed by document address. Used only without a trace.
#[derive(Debug, Default)]
pub(crate) struct QueryPlan {
    docs: HashMap<usize, DocPlan, BuildHasherDefault<AddrHasher>>,
}

impl QueryPlan {
    /// Plans every document of `docs` for this action, resource and context.
    pub(crate) fn new<'d>(
        docs: impl IntoIterator<Item = &'d PolicyDocument>,
        action: &ActionName,
        resource: &str,
        context: &Context,
    ) -> QueryPlan {
        let docs = docs
            .into_iter()
            .map(|d| (addr(d), DocPlan::new(d, action, resource, context)))
            .collect();
        QueryPlan { docs }
    }

    /// Makes this plan evaluate only the listed statements of `docs` — (index into
    /// `docs`, position in [`PolicyDocument::statements`]) pairs, ascending — for any
    /// resource and context: valid for an action when every statement left out cannot
    /// match it. Reuses the plan's storage, so that many plans in a row allocate
    /// nothing.
    pub(crate) fn set_only_statements(
        &mut self,
        docs: &[&PolicyDocument],
        statements: &[(u32, u32)],
    ) {
        for doc in docs {
            match self
                .docs
                .entry(addr(doc))
                .or_insert_with(|| DocPlan::Dynamic {
                    relevant: Vec::new(),
                    fixed: LayerOut::default(),
                    dependent: Vec::new(),
                }) {
                DocPlan::Dynamic {
                    relevant,
                    dependent,
                    ..
                } => {
                    relevant.clear();
                    dependent.clear();
                }
                fixed @ DocPlan::Fixed(_) => {
                    *fixed = DocPlan::Dynamic {
                        relevant: Vec::new(),
                        fixed: LayerOut::default(),
                        dependent: Vec::new(),
                    }
                }
            }
        }
        for &(d, s) in statements {
            if let Some(DocPlan::Dynamic {
                relevant,
                dependent,
                ..
            }) = self.docs.get_mut(&addr(docs[d as usize]))
            {
                relevant.push(s);
                dependent.push(s);
            }
        }
    }

    pub(super) fn get(&self, doc: &PolicyDocument) -> Option<&DocPlan> {
        self.docs.get(&addr(doc))
    }
}

fn addr(doc: &PolicyDocument) -> usize {
    doc as *const PolicyDocument as usize
}
