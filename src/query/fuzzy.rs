//! Fuzzy matching of a typed query against names (fzf's scoring, by nucleo): the
//! principal suggestions of [`super::resolve`] and the TUI's search and palette.

use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// One query, ready to score many names. Case is ignored.
pub struct Fuzzy {
    atom: Atom,
    matcher: Matcher,
    buf: Vec<char>,
}

impl Fuzzy {
    /// Prepares `query` (matched as one fuzzy needle, spaces included).
    pub fn new(query: &str) -> Fuzzy {
        Fuzzy {
            atom: Atom::new(
                query,
                CaseMatching::Ignore,
                Normalization::Smart,
                AtomKind::Fuzzy,
                false,
            ),
            matcher: Matcher::new(Config::DEFAULT),
            buf: Vec::new(),
        }
    }

    /// The score of `text`, higher is better; `None` when the query's letters do not
    /// all appear in it, in order.
    pub fn score(&mut self, text: &str) -> Option<i64> {
        let hay = Utf32Str::new(text, &mut self.buf);
        self.atom.score(hay, &mut self.matcher).map(i64::from)
    }

    /// The positions (in chars) of `text` the query matches, for highlighting.
    pub fn positions(&mut self, text: &str) -> Option<Vec<usize>> {
        let hay = Utf32Str::new(text, &mut self.buf);
        let mut indices = Vec::new();
        self.atom.indices(hay, &mut self.matcher, &mut indices)?;
        indices.sort_unstable();
        indices.dedup();
        Some(indices.into_iter().map(|i| i as usize).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_in_order_letters_and_marks_them() {
        let mut f = Fuzzy::new("gha");
        assert!(f.score("github-actions-deploy").is_some());
        assert!(f.score("deploy").is_none());
        assert_eq!(f.positions("github-actions").unwrap(), vec![0, 3, 7]);
        let mut f = Fuzzy::new("ALICE");
        let exact = f.score("alice").unwrap();
        let spread = f.score("a-l-i-c-e").unwrap();
        assert!(exact > spread, "{exact} > {spread}");
    }
}
