//! What-can's questions, each decided once: every class lists the (resource, own
//! statements that apply there) pairs it asks; the pairs of all classes are sorted by
//! (family, resource, statements), so that equal questions sit together, each distinct
//! one is decided once (on both cores) and every class reads its answers back in
//! resource order.
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
    pub(crate) decisions: Vec<Decision>,
    /// Per class: (resource rank, index into `decisions`), ascending ranks.
    pub(crate) by_class: Vec<Vec<(u32, u32)>>,
}

/// A question: (family << 32 | resource rank, class, its pair in the class).
type Key = (u64, u32, u32);

/// Decides the questions of `asked` (one entry per class; `family[c]` is class `c`'s
/// family): two questions of one family on the same resource with the same statements
/// get one decision, made by `decide(state, class, rank, statements)` for the first
/// class that asks it. `init` makes each worker's reusable state.
pub(crate) fn answer<S>(
    asked: &[Asked],
    family: &[u32],
    init: impl Fn() -> S + Sync + Send,
    decide: impl Fn(&mut S, usize, u32, &[(u32, u32)]) -> Decision + Sync + Send,
) -> Answers {
    let total = asked.iter().map(|a| a.pairs.len()).sum();
    let mut keys: Vec<Key> = Vec::with_capacity(total);
    for (c, a) in asked.iter().enumerate() {
        let high = u64::from(family[c]) << 32;
        keys.extend(
            a.pairs
                .iter()
                .enumerate()
                .map(|(p, &(rank, _, _))| (high | u64::from(rank), c as u32, p as u32)),
        );
    }
    let statements = |&(_, c, p): &Key| asked[c as usize].statements_of(p);
    // Sorted by (family, resource) alone: the statements are told apart within each
    // run, among the few distinct sets it holds.
    keys.par_sort_unstable_by_key(|k| k.0);
    // The first key of each distinct question, and each key's question.
    let mut firsts: Vec<u32> = Vec::new();
    let mut question: Vec<u32> = Vec::with_capacity(keys.len());
    // The questions of the current run are `firsts[run_first..]`.
    let mut run_first = 0;
    for (i, k) in keys.iter().enumerate() {
        if i > 0 && keys[i - 1].0 != k.0 {
            run_first = firsts.len();
        }
        let own = statements(k);
        let seen = firsts[run_first..]
            .iter()
            .position(|&f| statements(&keys[f as usize]) == own);
        match seen {
            Some(at) => question.push((run_first + at) as u32),
            None => {
                question.push(firsts.len() as u32);
                firsts.push(i as u32);
            }
        }
    }
    let decisions: Vec<Decision> = firsts
        .par_iter()
        .map_init(&init, |state, &i| {
            let k = &keys[i as usize];
            decide(state, k.1 as usize, k.0 as u32, statements(k))
        })
        .collect();
    let mut by_class: Vec<Vec<(u32, u32)>> = asked
        .iter()
        .map(|a| Vec::with_capacity(a.pairs.len()))
        .collect();
    // Keys of one class (one family) come in ascending ranks.
    for (k, &q) in keys.iter().zip(&question) {
        by_class[k.1 as usize].push((k.0 as u32, q));
    }
    Answers {
        decisions,
        by_class,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Every distinct (family, resource, statements) is decided once, and every class
    /// gets, for each of its resources in order, the decision of its own question.
    #[test]
    fn each_question_is_decided_once_and_read_back_in_order() {
        let classes = 40usize;
        let family: Vec<u32> = (0..classes as u32).map(|c| c % 3).collect();
        let mut asked: Vec<Asked> = (0..classes).map(|_| Asked::default()).collect();
        let mut expected: Vec<Vec<(u32, Vec<(u32, u32)>)>> = vec![Vec::new(); classes];
        for (c, a) in asked.iter_mut().enumerate() {
            for rank in (0..30u32).filter(|r| (r + c as u32) % 4 != 0) {
                let statements: Vec<(u32, u32)> =
                    (0..(rank + c as u32) % 3).map(|s| (s % 2, s + rank % 2)).collect();
                a.push(rank, &statements);
                expected[c].push((rank, statements));
            }
        }
        let distinct: BTreeSet<(u32, u32, Vec<(u32, u32)>)> = expected
            .iter()
            .enumerate()
            .flat_map(|(c, list)| {
                let f = family[c];
                list.iter().map(move |(r, s)| (f, *r, s.clone()))
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
            let got: Vec<(u32, Decision)> = answers.by_class[c]
                .iter()
                .map(|&(r, q)| (r, answers.decisions[q as usize].clone()))
                .collect();
            let want: Vec<(u32, Decision)> = expected[c]
                .iter()
                .map(|(r, s)| (*r, verdict(family[c], *r, s)))
                .collect();
            assert_eq!(got, want, "class {c}");
        }
    }
}
