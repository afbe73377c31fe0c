//! Principals by name or ARN: which principal of the bundle a user means, who is an
//! outside caller, and suggestions when a name matches nothing.
//!
//! An ARN is who it says: another account's `user/alice` is never this account's alice,
//! and a name of this account that matches nothing is an error, not a silent stranger.

use serde::Serialize;

use crate::eval::{Engine, PrincipalRef};
use crate::policy::{Caller, CallerKind};

/// Who a request's caller is, as far as the bundle can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolvedCaller {
    /// A user or role of the bundle.
    Local(PrincipalRef),
    /// A caller the bundle holds no policies for, evaluated from its ARN or name: a
    /// session of one of the bundle's roles, a federated-user session, the account's
    /// root, another account's principal, a service, an identity provider, anyone.
    Other(String),
}

/// A principal name or ARN that matches nothing in the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}", self.message())]
pub struct UnknownPrincipal {
    /// What the user wrote.
    pub text: String,
    /// The bundle's account.
    pub account: String,
    /// The closest principals, best first.
    pub suggestions: Vec<String>,
    /// Why it is not a principal, when it is not just a miss.
    pub detail: Option<String>,
}

impl UnknownPrincipal {
    fn message(&self) -> String {
        let mut m = format!(
            "no user or role named {:?} in account {}",
            self.text, self.account
        );
        if let Some(d) = &self.detail {
            m = format!("{m}: {d}");
        }
        if !self.suggestions.is_empty() {
            m.push_str(&format!("; did you mean {}?", self.suggestions.join(", ")));
        }
        m
    }
}

/// Names that are identity providers rather than AWS principals.
const WEB_IDENTITY_PROVIDERS: &[&str] = &[
    "cognito-identity.amazonaws.com",
    "accounts.google.com",
    "graph.facebook.com",
    "www.amazon.com",
];

/// Finds a user or role of the bundle by name, `user/NAME`, `role/NAME` or ARN.
pub fn resolve_principal(
    engine: &Engine<'_>,
    text: &str,
) -> Result<PrincipalRef, UnknownPrincipal> {
    match resolve_caller(engine, text)? {
        ResolvedCaller::Local(p) => Ok(p),
        ResolvedCaller::Other(_) => Err(unknown(
            engine,
            text,
            Some("it is not a user or role of this bundle".into()),
        )),
    }
}

/// Who `text` names as a request's caller: a principal of the bundle, or a caller the
/// bundle can only evaluate from the outside. A name or ARN of the bundle's own account
/// that matches no user or role (nor a session of one of its roles) is an error with
/// suggestions.
pub fn resolve_caller(engine: &Engine<'_>, text: &str) -> Result<ResolvedCaller, UnknownPrincipal> {
    if let Some(p) = engine.resolve(text) {
        return Ok(ResolvedCaller::Local(p));
    }
    let account = engine.account();
    let other = || Ok(ResolvedCaller::Other(text.to_string()));
    if text == "*" || text.eq_ignore_ascii_case("anonymous") {
        return other();
    }
    if text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()) {
        return other();
    }
    if !text.starts_with("arn:") {
        if text.ends_with(".amazonaws.com") || WEB_IDENTITY_PROVIDERS.contains(&text) {
            return other();
        }
        return Err(unknown(engine, text, None));
    }
    let caller = Caller::from_arn(text, false);
    let caller_account = caller.account.clone().unwrap_or_default();
    let here = account.holds(&caller_account);
    if !here {
        // Another account's principal, or an identity provider.
        return other();
    }
    match caller.kind {
        CallerKind::Root | CallerKind::FederatedUser => other(),
        CallerKind::RoleSession => {
            let role = caller.role_name.as_deref().unwrap_or_default();
            if account.role_in(&caller_account, role).is_some() {
                other()
            } else {
                Err(unknown(
                    engine,
                    role,
                    Some(format!("the session {text} names a role the bundle lacks")),
                ))
            }
        }
        CallerKind::User | CallerKind::Role => Err(unknown(engine, text, None)),
        _ => other(),
    }
}

fn unknown(engine: &Engine<'_>, text: &str, detail: Option<String>) -> UnknownPrincipal {
    UnknownPrincipal {
        text: text.to_string(),
        account: engine.account().id.clone(),
        suggestions: suggest(engine, text),
        detail,
    }
}

/// Up to five principal names (`user/NAME`, `role/NAME`) closest to `text`.
pub fn suggest(engine: &Engine<'_>, text: &str) -> Vec<String> {
    let account = engine.account();
    let wanted = text.rsplit('/').next().unwrap_or(text);
    let mut matcher = super::fuzzy::Fuzzy::new(wanted);
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
            let fuzzy = matcher.score(name).unwrap_or(0);
            let distance = edit_distance(&name.to_lowercase(), &wanted.to_lowercase());
            let close = distance <= (wanted.len() / 3).max(2);
            (fuzzy > 0 || close).then(|| (fuzzy - 20 * distance as i64, n))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.into_iter().take(5).map(|(_, n)| n).collect()
}

/// Levenshtein distance, by characters.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
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
