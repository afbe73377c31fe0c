//! Fuzzy search over every entity of the account by name and ARN, built once per
//! account. Substring matches (most queries) are scored by a cheap byte comparison;
//! scattered-letter matches within a name by nucleo's fzf-style scorer
//! ([`crate::query::fuzzy`]).

use crate::model::{Account, GroupId, IdentityId, InstanceProfileId, PolicyId, RoleId, UserId};

use super::tree::{identity_target, NodeId, Target, TreeModel};

/// One searchable entity.
#[derive(Debug, Clone)]
pub struct SearchEntry {
    /// `user`, `role`, `policy`, …
    pub kind: &'static str,
    /// Display name.
    pub name: String,
    /// ARN, or another identifying text.
    pub arn: String,
    /// Where it lives in the tree; for an inline policy, its owner's node until the
    /// owner first opens (the tree makes an inline policy's node then: see
    /// [`TreeModel::find`]).
    pub node: NodeId,
    /// What it is in the tree.
    pub target: Target,
    /// `name arn`, lower-cased, for the cheap subsequence pre-filter.
    lower: Box<[u8]>,
    /// Length of the name part of `lower`.
    name_len: usize,
}

/// Whether the bytes of `needle` appear in `hay` in order (both lower-case).
fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut it = hay.iter();
    needle.iter().all(|n| it.any(|h| h == n))
}

/// A cheap score for substring matches (most queries), so that the costlier fuzzy scoring
/// runs only for the fuzzy ones: name prefix, then substring of the name, then
/// substring anywhere, earlier and shorter first; 0 for no substring match.
fn quick_score(q: &[u8], e: &SearchEntry) -> i64 {
    let name = &e.lower[..e.name_len];
    let find = |hay: &[u8]| hay.windows(q.len()).position(|w| w == q);
    let base = if name.starts_with(q) {
        3_000
    } else if let Some(p) = find(name) {
        2_000 - p.min(500) as i64
    } else if let Some(p) = find(&e.lower) {
        1_200 - p.min(150) as i64
    } else {
        return 0;
    };
    base - e.name_len.min(50) as i64
}

/// A match: the entry and the matched character positions in `name + " " + arn`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    /// Index into [`SearchIndex::entries`].
    pub entry: usize,
    /// Score; higher is better.
    pub score: i64,
}

/// Every entity of an account, ready to match.
#[derive(Debug, Default)]
pub struct SearchIndex {
    /// The entries, in tree order.
    pub entries: Vec<SearchEntry>,
}

impl SearchIndex {
    /// Indexes the entities of `account` that have a node in `tree`.
    pub fn build(account: &Account, tree: &TreeModel) -> SearchIndex {
        let mut entries = Vec::new();
        let mut add = |kind: &'static str, name: String, arn: String, target: Target| {
            let owner = match target {
                Target::Inline(owner, _) => tree.primary(identity_target(account, owner).0),
                _ => None,
            };
            if let Some(node) = tree.primary(target).or(owner) {
                let lower = format!("{name} {arn}").to_lowercase().into_bytes().into();
                let name_len = name.to_lowercase().len();
                entries.push(SearchEntry {
                    kind,
                    name,
                    arn,
                    node,
                    target,
                    lower,
                    name_len,
                });
            }
        };
        for (i, u) in account.users.iter().enumerate() {
            let c = &u.common;
            add(
                "user",
                c.name.clone(),
                c.arn.to_string(),
                Target::User(UserId(i as u32)),
            );
        }
        for (i, g) in account.groups.iter().enumerate() {
            let c = &g.common;
            add(
                "group",
                c.name.clone(),
                c.arn.to_string(),
                Target::Group(GroupId(i as u32)),
            );
        }
        for (i, r) in account.roles.iter().enumerate() {
            let c = &r.common;
            add(
                "role",
                c.name.clone(),
                c.arn.to_string(),
                Target::Role(RoleId(i as u32)),
            );
        }
        for (i, p) in account.managed_policies.iter().enumerate() {
            add(
                "policy",
                p.name.clone(),
                p.arn.to_string(),
                Target::Policy(PolicyId(i as u32)),
            );
        }
        for (i, p) in account.instance_profiles.iter().enumerate() {
            let t = Target::InstanceProfile(InstanceProfileId(i as u32));
            add("profile", p.name.clone(), p.arn.to_string(), t);
        }
        for (i, p) in account.saml_providers.iter().enumerate() {
            add(
                "saml",
                p.arn.name().to_string(),
                p.arn.to_string(),
                Target::Saml(i),
            );
        }
        for (i, p) in account.oidc_providers.iter().enumerate() {
            add(
                "oidc",
                p.host().to_string(),
                p.arn.to_string(),
                Target::Oidc(i),
            );
        }
        let held = account.members.len().max(1) as u16;
        for k in 0..held {
            for (i, p) in account
                .organization_at(k)
                .iter()
                .flat_map(|o| o.policies.iter())
                .enumerate()
            {
                let arn = p.arn.clone().unwrap_or_else(|| p.id.clone());
                add("scp", p.name.clone(), arn, Target::OrgPolicy(k, i));
            }
        }
        for (i, r) in account.resource_policies.iter().enumerate() {
            add(
                "resource",
                format!("{} {}", r.service, r.name),
                r.resource_arn.clone(),
                Target::ResourcePolicy(i),
            );
        }
        let identities = (0..account.users.len())
            .map(|i| IdentityId::User(UserId(i as u32)))
            .chain((0..account.groups.len()).map(|i| IdentityId::Group(GroupId(i as u32))))
            .chain((0..account.roles.len()).map(|i| IdentityId::Role(RoleId(i as u32))));
        for id in identities {
            let owner = account.identity(id);
            for (pi, p) in owner.inline_policies.iter().enumerate() {
                let name = format!("{}/{}", owner.name, p.name);
                add(
                    "inline",
                    name,
                    owner.arn.to_string(),
                    Target::Inline(id, pi),
                );
            }
        }
        SearchIndex { entries }
    }

    /// The best `limit` matches of `query`, best first; with an empty query, the
    /// first `limit` entries. `within`, when given, restricts the search to those
    /// entries (the matches of a shorter query that this one extends).
    pub fn query(
        &self,
        query: &str,
        limit: usize,
        within: Option<&[usize]>,
    ) -> (Vec<SearchHit>, Vec<usize>) {
        let q = query.trim();
        if q.is_empty() {
            let hits = (0..self.entries.len().min(limit))
                .map(|entry| SearchHit { entry, score: 0 })
                .collect();
            return (hits, (0..self.entries.len()).collect());
        }
        let ql = q.to_lowercase().into_bytes();
        let mut fuzzy = crate::query::fuzzy::Fuzzy::new(q);
        let mut all: Vec<SearchHit> = Vec::new();
        let mut scan = |i: usize| {
            let e = &self.entries[i];
            if !is_subsequence(&ql, &e.lower) {
                return;
            }
            let quick = quick_score(&ql, e);
            let score = if quick > 0 || ql.len() <= 2 {
                Some(quick)
            } else if is_subsequence(&ql, &e.lower[..e.name_len]) {
                // A fuzzy match within the name: its fuzzy score, below substrings.
                fuzzy.score(&e.name).map(|s| s.min(999))
            } else {
                // Letters scattered over the ARN: the weakest kind of match.
                Some(-(e.lower.len() as i64))
            };
            if let Some(score) = score {
                all.push(SearchHit { entry: i, score });
            }
        };
        match within {
            Some(ids) => ids.iter().copied().for_each(&mut scan),
            None => (0..self.entries.len()).for_each(&mut scan),
        }
        let mut matched: Vec<usize> = all.iter().map(|h| h.entry).collect();
        matched.sort_unstable();
        let cmp = |a: &SearchHit, b: &SearchHit| {
            b.score
                .cmp(&a.score)
                .then_with(|| {
                    self.entries[a.entry]
                        .name
                        .len()
                        .cmp(&self.entries[b.entry].name.len())
                })
                .then_with(|| a.entry.cmp(&b.entry))
        };
        if all.len() > limit {
            all.select_nth_unstable_by(limit, cmp);
            all.truncate(limit);
        }
        all.sort_by(cmp);
        (all, matched)
    }

    /// Positions (in chars) of `name` that match `query`, for highlighting.
    pub fn name_match_positions(&self, entry: usize, query: &str) -> Vec<usize> {
        let e = &self.entries[entry];
        crate::query::fuzzy::Fuzzy::new(query.trim())
            .positions(&e.name)
            .unwrap_or_default()
    }
}

/// Commands whose name matches `query` fuzzily, best first; every command for an
/// empty query, in help order.
pub fn filter_commands(query: &str) -> Vec<super::action::Command> {
    use super::action::Command;
    let q = query.trim();
    if q.is_empty() {
        return Command::ALL.to_vec();
    }
    let mut fuzzy = crate::query::fuzzy::Fuzzy::new(q);
    let mut scored: Vec<(i64, usize, Command)> = Command::ALL
        .iter()
        .enumerate()
        .filter_map(|(i, &c)| {
            // A match on the command's name beats one on its description.
            let text = format!("{} {}", c.name(), c.description());
            let score = match fuzzy.score(c.name()) {
                Some(s) => Some(s + 10_000),
                None => fuzzy.score(&text),
            };
            score.map(|s| (s, i, c))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, _, c)| c).collect()
}
