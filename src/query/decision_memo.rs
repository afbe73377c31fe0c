//! What-can's memo of decisions by (resource, statements that apply there). Entries are
//! chained by resource from a table indexed by its rank, and every key's statements
//! live in one arena: no hashing and no allocation per key (a map of `Vec` keys spent a
//! third of a family's time allocating, hashing, rehashing and freeing small vectors).
//! One memo serves many families in turn ([`DecisionMemo::clear`]).

use crate::eval::Decision;

/// No entry.
const NONE: u32 = u32::MAX;

/// Decisions by (resource rank, statements as (document, position) pairs), each made
/// once.
pub(crate) struct DecisionMemo {
    /// Resource rank → its newest entry.
    heads: Vec<u32>,
    /// The ranks whose head is set, to clear them.
    touched: Vec<u32>,
    entries: Vec<Entry>,
    /// The keys' statements, back to back.
    statements: Vec<(u32, u32)>,
}

struct Entry {
    /// Where its statements start in [`DecisionMemo::statements`], and how many.
    start: u32,
    len: u32,
    /// The next entry for the same resource.
    next: u32,
    decision: Decision,
}

impl DecisionMemo {
    /// An empty memo for resources ranked below `resources`.
    pub(crate) fn new(resources: usize) -> Self {
        DecisionMemo {
            heads: vec![NONE; resources],
            touched: Vec::new(),
            entries: Vec::new(),
            statements: Vec::new(),
        }
    }

    /// Forgets every decision, keeping the storage.
    pub(crate) fn clear(&mut self) {
        for &r in &self.touched {
            self.heads[r as usize] = NONE;
        }
        self.touched.clear();
        self.entries.clear();
        self.statements.clear();
    }

    /// The decision on `resource` with `statements`, made by `decide` the first time.
    pub(crate) fn get_or_decide(
        &mut self,
        resource: u32,
        statements: &[(u32, u32)],
        decide: impl FnOnce() -> Decision,
    ) -> &Decision {
        let head = self.heads[resource as usize];
        let mut at = head;
        while at != NONE {
            let e = &self.entries[at as usize];
            let (from, to) = (e.start as usize, (e.start + e.len) as usize);
            if self.statements[from..to] == *statements {
                return &self.entries[at as usize].decision;
            }
            at = e.next;
        }
        if head == NONE {
            self.touched.push(resource);
        }
        let start = self.statements.len() as u32;
        self.statements.extend_from_slice(statements);
        self.entries.push(Entry {
            start,
            len: statements.len() as u32,
            next: head,
            decision: decide(),
        });
        let new = self.entries.len() as u32 - 1;
        self.heads[resource as usize] = new;
        &self.entries[new as usize].decision
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every distinct key is decided once and keeps its own decision, across a clear.
    #[test]
    fn each_key_is_decided_once() {
        let mut memo = DecisionMemo::new(13);
        let keys: Vec<(u32, Vec<(u32, u32)>)> = (0..200u32)
            .map(|i| (i % 13, (0..i % 4).map(|s| (i % 2, s)).collect()))
            .collect();
        let distinct: std::collections::BTreeSet<_> = keys.iter().collect();
        let decision = |r: u32, st: &[(u32, u32)]| {
            if (r + st.len() as u32).is_multiple_of(2) {
                Decision::Allow
            } else {
                Decision::ImplicitDeny
            }
        };
        for _ in 0..2 {
            let mut made = 0;
            for _ in 0..2 {
                for (r, st) in &keys {
                    let got = memo
                        .get_or_decide(*r, st, || {
                            made += 1;
                            decision(*r, st)
                        })
                        .clone();
                    assert_eq!(got, decision(*r, st), "{r} {st:?}");
                }
            }
            assert_eq!(made, distinct.len());
            memo.clear();
        }
    }
}
