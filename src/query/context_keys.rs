//! The condition keys an account's policies reference: what a context editor offers
//! to complete, so a user can settle a Conditional answer by naming its keys.

use std::collections::BTreeMap;

use crate::model::Account;

/// Every condition key used in any policy of the account (identity, trust, managed
/// versions, Organizations, resource policies), as first written, sorted without
/// regard to case; keys differing only in case are one key.
pub fn referenced_keys(account: &Account) -> Vec<String> {
    let mut keys: BTreeMap<String, String> = BTreeMap::new();
    for source in account.policy_sources() {
        let Some(doc) = source.document() else {
            continue;
        };
        for statement in &doc.statements {
            for condition in &statement.conditions {
                keys.entry(condition.key.to_lowercase())
                    .or_insert_with(|| condition.key.clone());
            }
        }
    }
    keys.into_values().collect()
}

/// The keys of `known` that start with `prefix` (case-insensitive), then those that
/// contain it, at most `limit`.
pub fn complete_key(known: &[String], prefix: &str, limit: usize) -> Vec<String> {
    let p = prefix.trim().to_lowercase();
    let starts = known.iter().filter(|k| k.to_lowercase().starts_with(&p));
    let contains = known
        .iter()
        .filter(|k| !k.to_lowercase().starts_with(&p) && k.to_lowercase().contains(&p));
    starts.chain(contains).take(limit).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{self, Input};

    #[test]
    fn the_startup_policies_reference_tls_and_the_oidc_sub() {
        let account = load::load(&Input::from_arg(Some("sample:startup"))).unwrap();
        let keys = referenced_keys(&account);
        assert!(keys.iter().any(|k| k == "aws:SecureTransport"), "{keys:?}");
        assert!(keys.iter().any(|k| k.ends_with(":sub")), "{keys:?}");
        let lower: Vec<String> = keys.iter().map(|k| k.to_lowercase()).collect();
        let mut dedup = lower.clone();
        dedup.dedup();
        assert_eq!(lower, dedup, "one entry per key regardless of case");
        assert_eq!(
            complete_key(&keys, "aws:secure", 5),
            vec!["aws:SecureTransport"]
        );
        assert!(
            complete_key(&keys, "securetransport", 5).contains(&"aws:SecureTransport".to_string())
        );
    }
}
