//! Candidate requests for a quiz, harvested from the account's own statements: every
//! action and resource a statement names (wildcards instantiated), asked by the
//! principals that hold the statement, the principals a resource or trust policy
//! names, and a few other principals of the account drawn by the seed.
//!
//! Cost grows with statements × a constant, never principals × statements: each
//! document is read once, and each statement is asked by at most
//! [`HOLDERS_PER_DOCUMENT`] of its holders plus [`OTHERS_PER_STATEMENT`] others.

use std::collections::{BTreeMap, HashMap};

use super::rng::SeededRng;
use crate::catalog::Catalog;
use crate::model::{Account, IdentityCommon, PolicyId};
use crate::policy::{PolicyDocument, PrincipalEntry, Statement};

/// How many principals of the account, besides the named ones, ask each statement.
pub const OTHERS_PER_STATEMENT: usize = 4;
/// At most this many of the principals holding an identity document ask its statements.
pub const HOLDERS_PER_DOCUMENT: usize = 6;
/// At most this many actions are taken from one statement.
const ACTIONS_PER_STATEMENT: usize = 3;
/// At most this many resources are taken from one statement.
const RESOURCES_PER_STATEMENT: usize = 2;
/// An outside principal for `"Principal": "*"` and for accounts outside the bundle:
/// AWS's documentation account, never one of the samples'.
pub const OUTSIDE_ACCOUNT: &str = "123456789012";

/// One request to evaluate (context chosen later).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Seed {
    /// The caller, as `can` takes it.
    pub principal: String,
    /// The action, as the catalogue spells it.
    pub action: String,
    /// The resource ARN or `*`.
    pub resource: String,
}

/// What the harvest found.
#[derive(Debug, Default)]
pub struct Harvest {
    /// Requests, deduplicated and sorted.
    pub seeds: Vec<Seed>,
    /// For each condition key (lower-cased): the key as written and a value some
    /// condition of the account compares it with.
    pub condition_values: BTreeMap<String, (String, String)>,
    /// The same, from the statements that name an (action, resource) pair: the values
    /// that request's own conditions compare with, preferred over the account-wide ones.
    pub pair_values: BTreeMap<(String, String), ConditionValues>,
}

/// Condition key (lower-cased) → the key as written and a value compared with it.
pub type ConditionValues = BTreeMap<String, (String, String)>;

struct Harvester<'a> {
    account: &'a Account,
    rng: &'a mut SeededRng,
    local: Vec<String>,
    seeds: Vec<Seed>,
    condition_values: ConditionValues,
    pair_values: BTreeMap<(String, String), ConditionValues>,
    /// Wildcard action patterns expanded once (`*` alone is the whole catalogue).
    expansions: BTreeMap<String, Vec<String>>,
}

/// Harvests the candidate requests of `account`.
pub fn harvest(account: &Account, rng: &mut SeededRng) -> Harvest {
    let local: Vec<String> = account
        .users
        .iter()
        .map(|u| u.common.arn.as_str().to_string())
        .chain(
            account
                .roles
                .iter()
                .map(|r| r.common.arn.as_str().to_string()),
        )
        .collect();
    let mut h = Harvester {
        account,
        rng,
        local,
        seeds: Vec::new(),
        condition_values: BTreeMap::new(),
        pair_values: BTreeMap::new(),
        expansions: BTreeMap::new(),
    };
    h.identities();
    h.organization();
    h.resource_policies();
    h.trust_policies();
    let mut seeds = h.seeds;
    seeds.sort();
    seeds.dedup();
    Harvest {
        seeds,
        condition_values: h.condition_values,
        pair_values: h.pair_values,
    }
}

fn default_doc(account: &Account, id: PolicyId) -> Option<&PolicyDocument> {
    account
        .policy(id)
        .default_version()
        .and_then(|v| v.document.parsed().as_ref().ok())
}

fn own_docs<'a>(account: &'a Account, c: &'a IdentityCommon) -> Vec<&'a PolicyDocument> {
    c.inline_policies
        .iter()
        .filter_map(|p| p.document.parsed().as_ref().ok())
        .chain(
            c.attached_policies
                .iter()
                .filter_map(|id| default_doc(account, *id)),
        )
        .collect()
}

impl Harvester<'_> {
    /// Each identity document once, asked by at most [`HOLDERS_PER_DOCUMENT`] of the
    /// principals that hold it (a managed policy attached to thousands of users is
    /// one document, not thousands).
    fn identities(&mut self) {
        let account = self.account;
        let mut holders: Vec<(&PolicyDocument, Vec<String>)> = Vec::new();
        let mut index: HashMap<*const PolicyDocument, usize> = HashMap::new();
        fn hold<'d>(
            holders: &mut Vec<(&'d PolicyDocument, Vec<String>)>,
            index: &mut HashMap<*const PolicyDocument, usize>,
            doc: &'d PolicyDocument,
            who: &str,
        ) {
            let i = *index
                .entry(doc as *const PolicyDocument)
                .or_insert_with(|| {
                    holders.push((doc, Vec::new()));
                    holders.len() - 1
                });
            holders[i].1.push(who.to_string());
        }
        for u in &account.users {
            let mut docs = own_docs(account, &u.common);
            for g in &u.groups {
                docs.extend(own_docs(account, &account.group(*g).common));
            }
            docs.extend(u.permissions_boundary.and_then(|b| default_doc(account, b)));
            for d in docs {
                hold(&mut holders, &mut index, d, u.common.arn.as_str());
            }
        }
        for r in &account.roles {
            let mut docs = own_docs(account, &r.common);
            docs.extend(r.permissions_boundary.and_then(|b| default_doc(account, b)));
            for d in docs {
                hold(&mut holders, &mut index, d, r.common.arn.as_str());
            }
        }
        for (doc, mut who) in holders {
            if who.len() > HOLDERS_PER_DOCUMENT {
                self.rng.shuffle(&mut who);
                who.truncate(HOLDERS_PER_DOCUMENT);
            }
            self.document(doc, None, &who, false);
        }
    }

    fn organization(&mut self) {
        let Some(org) = &self.account.organization else {
            return;
        };
        for p in &org.policies {
            if let Some(Ok(d)) = p.content.as_ref().map(|c| c.parsed().as_ref()) {
                self.document(d, None, &[], true);
            }
        }
    }

    fn resource_policies(&mut self) {
        for rp in &self.account.resource_policies {
            if let Ok(d) = rp.policy.parsed().as_ref() {
                self.document(d, Some(&rp.resource_arn), &[], true);
            }
        }
    }

    fn trust_policies(&mut self) {
        for r in &self.account.roles {
            if let Ok(d) = r.trust_policy.parsed().as_ref() {
                self.document(d, Some(r.common.arn.as_str()), &[], true);
            }
        }
    }

    /// Adds the requests of every statement of `doc`, asked by `holders`, the
    /// principals each statement names and (with `others`) a few drawn principals.
    fn document(
        &mut self,
        doc: &PolicyDocument,
        default_resource: Option<&str>,
        holders: &[String],
        others: bool,
    ) {
        for st in &doc.statements {
            let own = statement_values(st);
            for (k, v) in &own {
                self.condition_values
                    .entry(k.clone())
                    .or_insert_with(|| v.clone());
            }
            let actions = self.actions(st);
            let resources = self.resources(st, default_resource);
            if !own.is_empty() {
                for a in &actions {
                    for r in &resources {
                        let e = self.pair_values.entry((a.clone(), r.clone())).or_default();
                        for (k, v) in &own {
                            e.entry(k.clone()).or_insert_with(|| v.clone());
                        }
                    }
                }
            }
            let mut who: Vec<String> = holders.to_vec();
            if let Some(spec) = &st.principal {
                if !spec.negated {
                    who.extend(spec.entries.iter().filter_map(|e| self.caller_of(e)));
                }
            }
            if others {
                for _ in 0..OTHERS_PER_STATEMENT.min(self.local.len()) {
                    let i = self.rng.below(self.local.len());
                    who.push(self.local[i].clone());
                }
            }
            for p in &who {
                for a in &actions {
                    for r in &resources {
                        self.seeds.push(Seed {
                            principal: p.clone(),
                            action: a.clone(),
                            resource: r.clone(),
                        });
                    }
                }
            }
        }
    }

    /// Up to [`ACTIONS_PER_STATEMENT`] catalogue actions the statement's Action names.
    fn actions(&mut self, st: &Statement) -> Vec<String> {
        if st.action.negated {
            return Vec::new();
        }
        let catalog = Catalog::get();
        let mut out: Vec<String> = Vec::new();
        for p in &st.action.patterns {
            let raw = p.as_str();
            if raw.contains(['*', '?']) {
                let matches = self
                    .expansions
                    .entry(raw.to_ascii_lowercase())
                    .or_insert_with(|| catalog.expand(raw).iter().map(|a| a.full_name()).collect());
                for _ in 0..2.min(matches.len()) {
                    out.push(matches[self.rng.below(matches.len())].clone());
                }
            } else if let Some(a) = catalog.action_ref(raw) {
                out.push(a.full_name());
            }
        }
        out.sort();
        out.dedup();
        self.sample(out, ACTIONS_PER_STATEMENT)
    }

    /// Up to [`RESOURCES_PER_STATEMENT`] concrete resources the statement's Resource names.
    fn resources(&mut self, st: &Statement, default: Option<&str>) -> Vec<String> {
        let fallback = || vec![default.unwrap_or("*").to_string()];
        let Some(spec) = st.resource.as_ref().filter(|s| !s.negated) else {
            return fallback();
        };
        let mut out: Vec<String> = spec
            .patterns
            .iter()
            .filter_map(|p| instantiate(p.as_str(), default, &self.account.id))
            .collect();
        out.sort();
        out.dedup();
        if out.is_empty() && spec.patterns.is_empty() {
            return fallback();
        }
        self.sample(out, RESOURCES_PER_STATEMENT)
    }

    fn sample(&mut self, mut items: Vec<String>, n: usize) -> Vec<String> {
        if items.len() > n {
            self.rng.shuffle(&mut items);
            items.truncate(n);
            items.sort();
        }
        items
    }

    /// The caller a Principal entry names, as `can` takes it.
    fn caller_of(&self, e: &PrincipalEntry) -> Option<String> {
        let here = self.account.id.as_str();
        let outsider = |acct: &str| format!("arn:aws:iam::{acct}:user/outsider");
        match e {
            PrincipalEntry::Any => Some(outsider(OUTSIDE_ACCOUNT)),
            PrincipalEntry::Account(a) => {
                let id = a.split(':').nth(4).unwrap_or(a);
                (id != here && !id.is_empty()).then(|| outsider(id))
            }
            PrincipalEntry::User(arn)
            | PrincipalEntry::Session(arn)
            | PrincipalEntry::FederatedUser(arn) => Some(arn.clone()),
            PrincipalEntry::Role { account, name } => {
                Some(format!("arn:aws:iam::{account}:role/{name}"))
            }
            PrincipalEntry::Other(s) => s.starts_with("arn:").then(|| s.clone()),
            PrincipalEntry::Service(s) | PrincipalEntry::Federated(s) => Some(s.clone()),
            PrincipalEntry::CanonicalUser(_) => None,
        }
    }
}

/// The values a statement's conditions compare each key with (the first usable one:
/// policy variables skipped, wildcards filled in).
fn statement_values(st: &Statement) -> ConditionValues {
    let mut out = ConditionValues::new();
    for c in &st.conditions {
        let Some(v) = c.raw_values().iter().find(|v| !v.contains("${")) else {
            continue;
        };
        let value = v.replace('*', "example").replace('?', "x");
        out.entry(c.key_lower().to_string())
            .or_insert_with(|| (c.key.clone(), value));
    }
    out
}

/// A concrete ARN matching `pattern`: wildcards in the region and account become the
/// account's, in the resource part a word. `*` alone is the policy's own resource
/// (a key policy's `*` is the key). Patterns with policy variables are skipped.
fn instantiate(pattern: &str, default: Option<&str>, account: &str) -> Option<String> {
    if pattern.contains("${") {
        return None;
    }
    if pattern == "*" {
        return Some(default.unwrap_or("*").to_string());
    }
    let fields: Vec<&str> = pattern.splitn(6, ':').collect();
    if fields.len() != 6 || fields[0] != "arn" || fields[2].contains(['*', '?']) {
        return None;
    }
    let wild = |f: &str| f.contains(['*', '?']);
    let partition = if wild(fields[1]) { "aws" } else { fields[1] };
    let region = if wild(fields[3]) {
        "us-east-1"
    } else {
        fields[3]
    };
    let acct = if wild(fields[4]) { account } else { fields[4] };
    let resource = fields[5].replace('*', "example").replace('?', "x");
    Some(format!(
        "arn:{partition}:{}:{region}:{acct}:{resource}",
        fields[2]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instantiate_fills_wildcards_and_skips_variables() {
        assert_eq!(
            instantiate("arn:aws:s3:::bucket/uploads/*", None, "111111111111").as_deref(),
            Some("arn:aws:s3:::bucket/uploads/example")
        );
        assert_eq!(
            instantiate("arn:aws:logs:*:*:log-group:/aws/x?", None, "1").as_deref(),
            Some("arn:aws:logs:us-east-1:1:log-group:/aws/xx")
        );
        assert_eq!(
            instantiate("*", Some("arn:aws:kms:k"), "1").as_deref(),
            Some("arn:aws:kms:k")
        );
        assert_eq!(instantiate("*", None, "1").as_deref(), Some("*"));
        assert_eq!(
            instantiate("arn:aws:iam::1:user/${aws:username}", None, "1"),
            None
        );
        assert_eq!(instantiate("arn:aws:*:::x", None, "1"), None);
        assert_eq!(instantiate("not-an-arn", None, "1"), None);
    }
}
