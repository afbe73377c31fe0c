//! Texts by literal prefix: which of many prefixes a text starts with, in time that
//! grows with the text and the answers, not with the number of prefixes.

/// Values keyed by a prefix; [`PrefixIndex::starting`] finds every value whose prefix
/// starts a given text.
pub(crate) struct PrefixIndex<'k, T> {
    /// Sorted by prefix (bytes).
    entries: Vec<(&'k [u8], T)>,
}

impl<'k, T> PrefixIndex<'k, T> {
    /// Indexes `entries` (prefix, value); a prefix may repeat.
    pub(crate) fn new(entries: impl IntoIterator<Item = (&'k [u8], T)>) -> Self {
        let mut entries: Vec<(&'k [u8], T)> = entries.into_iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        PrefixIndex { entries }
    }

    /// Calls `found` with every value whose prefix `text` starts with.
    ///
    /// Each step binary-searches the greatest prefix not above `text[..bound]`: either it
    /// starts `text` (reported, with its equals) or only prefixes no longer than its
    /// common part with `text` can still start `text` (any longer one would sort above
    /// it). `bound` shrinks at every step, so there are at most `text.len() + 1` steps.
    pub(crate) fn starting(&self, text: &[u8], mut found: impl FnMut(&T)) {
        let mut bound = text.len();
        let mut end = self.entries.len();
        loop {
            let head = &text[..bound];
            let at = self.entries[..end].partition_point(|(p, _)| *p <= head);
            if at == 0 {
                return;
            }
            let key = self.entries[at - 1].0;
            if head.starts_with(key) {
                let first = self.entries[..at].partition_point(|(p, _)| *p < key);
                for (_, v) in &self.entries[first..at] {
                    found(v);
                }
                if key.is_empty() {
                    return;
                }
                bound = key.len() - 1;
                end = first;
            } else {
                bound = key.iter().zip(head).take_while(|(a, b)| a == b).count();
                end = at;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn found(index: &PrefixIndex<'_, usize>, text: &str) -> Vec<usize> {
        let mut out = Vec::new();
        index.starting(text.as_bytes(), |&v| out.push(v));
        out.sort_unstable();
        out
    }

    fn index_of<'k>(prefixes: &[&'k str]) -> PrefixIndex<'k, usize> {
        PrefixIndex::new(prefixes.iter().enumerate().map(|(i, p)| (p.as_bytes(), i)))
    }

    #[test]
    fn finds_every_prefix_and_only_those() {
        let index = index_of(&[
            "arn:aws:s3:::b/",
            "arn:aws:s3:::b/x",
            "arn:aws:s3:::a",
            "",
            "arn:aws:s3:::b/",
            "arn:aws:s3:::b/xy",
        ]);
        assert_eq!(found(&index, "arn:aws:s3:::b/x1"), vec![0, 1, 3, 4]);
        assert_eq!(found(&index, "arn:aws:s3:::b/xyz"), vec![0, 1, 3, 4, 5]);
        assert_eq!(found(&index, "arn:aws:s3:::c"), vec![3]);
        assert_eq!(found(&index, ""), vec![3]);
    }

    #[test]
    fn an_empty_index_finds_nothing() {
        assert!(found(&index_of(&[]), "abc").is_empty());
    }

    proptest! {
        #[test]
        fn agrees_with_checking_every_prefix(
            prefixes in proptest::collection::vec("[ab/]{0,5}", 0..20),
            text in "[ab/]{0,7}",
        ) {
            let refs: Vec<&str> = prefixes.iter().map(String::as_str).collect();
            let index = index_of(&refs);
            let expected: Vec<usize> = refs
                .iter()
                .enumerate()
                .filter(|(_, p)| text.starts_with(**p))
                .map(|(i, _)| i)
                .collect();
            prop_assert_eq!(found(&index, &text), expected);
        }
    }
}
