//! What-can's memo of decisions by (resource, statements that apply there). Every key
//! lives in one arena: a map of `Vec` keys spent a third of a family's time allocating,
//! hashing, rehashing and freeing hundreds of thousands of small vectors.

use std::hash::Hasher;

use super::fast_hash::{FastHasher, FastMap};
use crate::eval::Decision;

/// No entry.
const NONE: u32 = u32::MAX;

/// A fingerprint of one key (see [`DecisionMemo`]).
type Fingerprint = fn(u32, &[(u32, u32)]) -> u64;

/// Decisions by (resource rank, statements as (document, position) pairs), each made
/// once. Keys with the same fingerprint are chained and told apart by their content.
pub(crate) struct DecisionMemo {
    fingerprint: Fingerprint,
    /// Fingerprint → the newest entry with it.
    heads: FastMap<u64, u32>,
    entries: Vec<Entry>,
    /// The keys' statements, back to back.
    statements: Vec<(u32, u32)>,
}

struct Entry {
    resource: u32,
    /// Where its statements start in [`DecisionMemo::statements`], and how many.
    start: u32,
    len: u32,
    /// The next entry with the same fingerprint.
    next: u32,
    decision: Decision,
}

fn fingerprint(resource: u32, statements: &[(u32, u32)]) -> u64 {
    let mut h = FastHasher::default();
    h.write_u32(resource);
    for &(d, s) in statements {
        h.write_u64(u64::from(d) << 32 | u64::from(s));
    }
    h.finish()
}

impl Default for DecisionMemo {
    fn default() -> Self {
        DecisionMemo::with_fingerprint(fingerprint)
    }
}

impl DecisionMemo {
    fn with_fingerprint(fingerprint: Fingerprint) -> Self {
        DecisionMemo {
            fingerprint,
            heads: FastMap::default(),
            entries: Vec::new(),
            statements: Vec::new(),
        }
    }

    /// The decision on `resource` with `statements`, made by `decide` the first time.
    pub(crate) fn get_or_decide(
        &mut self,
        resource: u32,
        statements: &[(u32, u32)],
        decide: impl FnOnce() -> Decision,
    ) -> &Decision {
        let fp = (self.fingerprint)(resource, statements);
        let head = self.heads.get(&fp).copied().unwrap_or(NONE);
        let mut at = head;
        while at != NONE {
            let e = &self.entries[at as usize];
            let (from, to) = (e.start as usize, (e.start + e.len) as usize);
            if e.resource == resource && self.statements[from..to] == *statements {
                return &self.entries[at as usize].decision;
            }
            at = e.next;
        }
        let start = self.statements.len() as u32;
        self.statements.extend_from_slice(statements);
        self.entries.push(Entry {
            resource,
            start,
            len: statements.len() as u32,
            next: head,
            decision: decide(),
        });
        let new = self.entries.len() as u32 - 1;
        self.heads.insert(fp, new);
        &self.entries[new as usize].decision
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every distinct key is decided once and keeps its own decision, also when all
    /// keys share one fingerprint.
    #[test]
    fn each_key_is_decided_once() {
        let memos = [
            DecisionMemo::default(),
            DecisionMemo::with_fingerprint(|_, _| 7),
        ];
        for mut memo in memos {
            let mut made = 0;
            let keys: Vec<(u32, Vec<(u32, u32)>)> = (0..200u32)
                .map(|i| (i % 13, (0..i % 4).map(|s| (i % 2, s)).collect()))
                .collect();
            let decision = |r: u32, st: &[(u32, u32)]| {
                if (r + st.len() as u32) % 2 == 0 {
                    Decision::Allow
                } else {
                    Decision::ImplicitDeny
                }
            };
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
            let distinct: std::collections::BTreeSet<_> = keys.iter().collect();
            assert_eq!(made, distinct.len());
        }
    }
}
