//! What-can's questions, each decided once: every class lists the (resource, own
//! statements that apply there) pairs it asks; the pairs of all classes are sorted by
//! (family, resource, statements), so that equal questions sit together, each distinct
//! one is decided once (on both cores) and every class reads its answers back in
//! resource order. Sorting keeps it O(n log n) in the questions however many distinct
//! statement lists one resource is asked with.
//!
//! A memo consulted class by class did the same work but spent a third of it missing
//! the cache (one resource's entries lay wherever the classes that asked it had left
//! them), and one family of 20,000 classes kept a single core busy.

use rayon::prelude::*;

use crate::eval::Decision;

/// One class's questions: its candidate resources (ascending ranks), each with the
/// statements (document, position) that can apply there.
#[derive(Default)]
pub(crate) struct Asked {
    /// (resource rank, start in `statements`, how many).
    pairs: Vec<(u32, u32, u32)>,
    statements: Vec<(u32, u32)>,
}

impl Asked {
    /// Adds the question of `rank` with `statements`; ranks come in ascending order.
    pub(crate) fn push(&mut self, rank: u32, statements: &[(u32, u32)]) {
        let start = self.statements.len() as u32;
        self.statements.extend_from_slice(statements);
        self.pairs.push((rank, start, statements.len() as u32));
    }

    fn statements_of(&self, pair: u32) -> &[(u32, u32)] {
        let (_, start, len) = self.pairs[pair as usize];
        &self.statements[start as usize..(start + len) as usize]
    }
}

/// The decisions of every class's questions.
pub(crate) struct Answers {
    /// Each distinct question's decision.
    decisions: Vec<Decision>,
    /// Each question asked (classes in order, each class's in order) → its decision.
    question: Vec<u32>,
    /// Where each class's questions start in `question`.
    starts: Vec<u32>,
}

impl Answers {
    /// Class `c`'s resources (ascending ranks), each with its decision.
    pub(crate) fn of_class<'a>(
        &'a self,
        asked: &'a [Asked],
        c: usize,
    ) -> impl Iterator<Item = (u32, &'a Decision)> + 'a {
        let from = self.starts[c] as usize;
        asked[c]
            .pairs
            .iter()
            .zip(&self.question[from..])
            .map(|(&(rank, _, _), &q)| (rank, &self.decisions[q as usize]))
    }
}

/// One question, as sorted and compared.
struct Key {
    /// family << 32 | resource rank.
    order: u64,
    /// Its only statement, packed, when it has one (then `head` and `len` are the whole
    /// list and no comparison reads the class's storage); else the first, or 0.
    head: u64,
    len: u32,
    class: u32,
    /// Its position among all the questions (classes in order).
    at: u32,
}

/// Decides the questions of `asked` (one entry per class; `family[c]` is class `c`'s
/// family): two questions of one family on the same resource with the same statements
/// get one decision, made by `decide(state, class, rank, statements)` for the first
/// class that asks it. `init` makes each worker's reusable state; a worker decides its
/// questions class by class, so `state` can keep what one class's questions share.
pub(crate) fn answer<S>(
    asked: &[Asked],
    family: &[u32],
    init: impl Fn() -> S + Sync + Send,
    decide: impl Fn(&mut S, usize, u32, &[(u32, u32)]) -> Decision + Sync + Send,
) -> Answers {
    let mut starts = Vec::with_capacity(asked.len());
    let mut keys: Vec<Key> = Vec::new();
    for (c, a) in asked.iter().enumerate() {
        let base = keys.len();
        starts.push(base as u32);
        let high = u64::from(family[c]) << 32;
        keys.extend(a.pairs.iter().enumerate().map(|(p, &(rank, start, len))| {
            Key {
                order: high | u64::from(rank),
                head: a.statements[start as usize..(start + len) as usize]
                    .first()
                    .map_or(0, |&(d, s)| u64::from(d) << 32 | u64::from(s)),
                len,
                class: c as u32,
                at: (base + p) as u32,
            }
        }));
    }
    let statements =
        |k: &Key| asked[k.class as usize].statements_of(k.at - starts[k.class as usize]);
    let same = |a: &Key, b: &Key| {
        a.head == b.head && a.len == b.len && (a.len <= 1 || statements(a) == statements(b))
    };
    // Sorted by (family, resource, statements): a list of one statement is its `head`
    // and `len`, so only longer lists are read from the classes' storage.
    keys.par_sort_unstable_by(|a, b| {
        (a.order, a.head, a.len)
            .cmp(&(b.order, b.head, b.len))
            .then_with(|| {
                if a.len > 1 {
                    statements(a).cmp(statements(b))
                } else {
                    std::cmp::Ordering::Equal
                }
            })
    });
    // The first key of each distinct question, and each key's question (numbered in
    // the order they are found).
    let mut firsts: Vec<u32> = Vec::new();
    let mut found: Vec<u32> = Vec::with_capacity(keys.len());
    for (i, k) in keys.iter().enumerate() {
        if i == 0 || keys[i - 1].order != k.order || !same(&keys[i - 1], k) {
            firsts.push(i as u32);
        }
        found.push(firsts.len() as u32 - 1);
    }
    // Decided in the order their first askers come (class by class, each class's
    // resources in order): one class's statements and action stay at hand.
    let mut by_asker: Vec<u32> = (0..firsts.len() as u32).collect();
    by_asker.par_sort_unstable_by_key(|&q| keys[firsts[q as usize] as usize].at);
    let decisions: Vec<Decision> = by_asker
        .par_iter()
        .map_init(&init, |state, &q| {
            let k = &keys[firsts[q as usize] as usize];
            decide(state, k.class as usize, k.order as u32, statements(k))
        })
        .collect();
    let mut renumbered = vec![0u32; firsts.len()];
    for (position, &q) in by_asker.iter().enumerate() {
        renumbered[q as usize] = position as u32;
    }
    let mut question = vec![0u32; keys.len()];
    for (k, &q) in keys.iter().zip(&found) {
        question[k.at as usize] = renumbered[q as usize];
    }
    Answers {
        decisions,
        question,
        starts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A resource rank and the statements asked there.
    type Question = (u32, Vec<(u32, u32)>);

    /// Every distinct (family, resource, statements) is decided once, and every class
    /// gets, for each of its resources in order, the decision of its own question.
    #[test]
    fn each_question_is_decided_once_and_read_back_in_order() {
        let classes = 40usize;
        let family: Vec<u32> = (0..classes as u32).map(|c| c % 3).collect();
        let mut asked: Vec<Asked> = (0..classes).map(|_| Asked::default()).collect();
        let mut expected: Vec<Vec<Question>> = vec![Vec::new(); classes];
        for (c, a) in asked.iter_mut().enumerate() {
            for rank in (0..30u32).filter(|r| !(r + c as u32).is_multiple_of(4)) {
                // Lists of one resource share their first statement and differ after it
                // from class to class: compared in full, not by their first.
                let statements: Vec<(u32, u32)> = (0..(rank + c as u32) % 3)
                    .map(|s| {
                        if s == 0 {
                            (0, rank % 2)
                        } else {
                            (1, c as u32 % 5 + s)
                        }
                    })
                    .collect();
                a.push(rank, &statements);
                expected[c].push((rank, statements));
            }
        }
        let distinct: BTreeSet<(u32, Question)> = expected
            .iter()
            .enumerate()
            .flat_map(|(c, list)| {
                let f = family[c];
                list.iter().map(move |q| (f, q.clone()))
            })
            .collect();
        // A decision that depends only on the question, as the evaluator's does.
        let verdict = |f: u32, r: u32, s: &[(u32, u32)]| {
            if (f + r + s.len() as u32).is_multiple_of(2) {
                Decision::Allow
            } else {
                Decision::ImplicitDeny
            }
        };
        let made = AtomicUsize::new(0);
        let answers = answer(
            &asked,
            &family,
            || (),
            |_, c, r, s| {
                made.fetch_add(1, Ordering::Relaxed);
                verdict(family[c], r, s)
            },
        );
        assert_eq!(made.load(Ordering::Relaxed), distinct.len());
        assert_eq!(answers.decisions.len(), distinct.len());
        for c in 0..classes {
            let got: Vec<(u32, Decision)> = answers
                .of_class(&asked, c)
                .map(|(r, d)| (r, d.clone()))
                .collect();
            let want: Vec<(u32, Decision)> = expected[c]
                .iter()
                .map(|(r, s)| (*r, verdict(family[c], *r, s)))
                .collect();
            assert_eq!(got, want, "class {c}");
        }
    }
}
