//! Principals by name or ARN, with suggestions when a name is mistyped.

use anyhow::bail;
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

use crate::eval::{Engine, PrincipalRef};

/// Finds a principal of the account by name, `user/NAME`, `role/NAME` or ARN; on a
/// miss, the error names the closest principals.
pub fn resolve(engine: &Engine<'_>, text: &str) -> anyhow::Result<PrincipalRef> {
    if let Some(p) = engine.resolve(text) {
        return Ok(p);
    }
    let suggestions = suggest(engine, text);
    if suggestions.is_empty() {
        bail!(
            "no user or role named {text:?} in account {}",
            engine.account().id
        );
    }
    bail!(
        "no user or role named {text:?} in account {}; did you mean {}?",
        engine.account().id,
        suggestions.join(", ")
    )
}

/// Up to five principal names closest to `text`.
pub fn suggest(engine: &Engine<'_>, text: &str) -> Vec<String> {
    let account = engine.account();
    let wanted = text.rsplit('/').next().unwrap_or(text);
    let matcher = SkimMatcherV2::default();
    let names = account
        .users
        .iter()
        .map(|u| format!("user/{}", u.common.name))
        .chain(
            account
                .roles
                .iter()
                .map(|r| format!("role/{}", r.common.name)),
        );
    let mut scored: Vec<(i64, String)> = names
        .filter_map(|n| {
            let name = n.split_once('/').map_or(n.as_str(), |(_, b)| b);
            let fuzzy = matcher.fuzzy_match(name, wanted).unwrap_or(0);
            let distance = edit_distance(&name.to_lowercase(), &wanted.to_lowercase());
            let close = distance <= (wanted.len() / 3).max(2);
            (fuzzy > 0 || close).then(|| (fuzzy - 20 * distance as i64, n))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.into_iter().take(5).map(|(_, n)| n).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::edit_distance;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("alice", "alice"), 0);
        assert_eq!(edit_distance("alice", "alcie"), 2);
        assert_eq!(edit_distance("bob", "rob"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
