//! Word lists, unique ids and timestamps.

use std::collections::HashSet;

use super::rng::Rng;

/// Teams used in names, paths and tags.
pub(crate) const TEAMS: &[&str] = &[
    "platform",
    "data",
    "payments",
    "identity",
    "search",
    "growth",
    "infra",
    "security",
    "mobile",
    "web",
    "ml",
    "billing",
    "analytics",
    "devops",
    "sre",
    "support",
    "ledger",
    "checkout",
    "catalog",
    "media",
];

/// Application / workload names.
pub(crate) const APPS: &[&str] = &[
    "api",
    "worker",
    "etl",
    "ingest",
    "scheduler",
    "frontend",
    "backend",
    "reports",
    "sync",
    "gateway",
    "indexer",
    "notifier",
    "exporter",
    "crawler",
    "batch",
    "auth",
    "webhooks",
    "pipeline",
    "stream",
    "cron",
];

/// Environments.
pub(crate) const ENVS: &[&str] = &["prod", "staging", "dev", "qa", "sandbox"];

/// AWS regions.
pub(crate) const REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-2",
    "ap-northeast-1",
];

const FIRST: &[&str] = &[
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
    "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yasmin", "zoe",
    "amir", "beatriz", "chen", "dmitri", "elena", "fatima", "goran", "hana", "igor", "jonas",
    "kenji", "lucia", "mateo", "nadia", "oscar", "priya", "quentin", "rosa", "sanjay", "tomas",
    "ursula", "vera", "wei", "ximena", "yusuf", "zainab", "arjun", "bianca", "camille",
];

const LAST: &[&str] = &[
    "smith", "jones", "garcia", "miller", "davis", "lopez", "wilson", "anderson", "thomas",
    "taylor", "moore", "martin", "lee", "perez", "white", "harris", "clark", "lewis", "walker",
    "hall", "young", "king", "wright", "scott", "green", "baker", "adams", "nelson", "hill",
    "campbell", "mitchell", "roberts", "carter", "phillips", "evans", "turner", "torres", "parker",
    "collins", "edwards", "stewart", "morris", "nguyen", "murphy", "rivera", "cook", "rogers",
    "morgan", "peterson", "cooper",
];

/// Keeps generated names unique by appending a counter on collision.
#[derive(Default)]
pub(crate) struct Unique {
    seen: HashSet<String>,
}

impl Unique {
    /// `base`, or `base2`, `base3`… if already taken.
    pub(crate) fn take(&mut self, base: String) -> String {
        if self.seen.insert(base.clone()) {
            return base;
        }
        let mut n = 2;
        loop {
            let candidate = format!("{base}{n}");
            if self.seen.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

/// A human user name such as `alice.smith` or `asmith`.
pub(crate) fn person(rng: &mut Rng) -> (String, String, String) {
    let first = *rng.pick(FIRST);
    let last = *rng.pick(LAST);
    let name = if rng.chance(0.7) {
        format!("{first}.{last}")
    } else {
        format!("{}{last}", &first[..1])
    };
    (name, first.to_string(), last.to_string())
}

const ID_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A unique IAM id: a 4-letter prefix (`AIDA`, `AROA`…) and 17 uppercase alphanumerics.
pub(crate) fn iam_id(rng: &mut Rng, prefix: &str, seen: &mut HashSet<String>) -> String {
    loop {
        let id = format!("{prefix}{}", rng.chars(ID_ALPHABET, 17));
        if seen.insert(id.clone()) {
            return id;
        }
    }
}

/// Seconds since the epoch of 2016-01-01T00:00:00Z.
pub(crate) const EPOCH_2016: i64 = 1_451_606_400;
/// Seconds since the epoch of 2025-06-01T00:00:00Z.
pub(crate) const EPOCH_2025_06: i64 = 1_748_736_000;

/// A random instant in `lo..hi` (seconds since the Unix epoch).
pub(crate) fn instant(rng: &mut Rng, lo: i64, hi: i64) -> i64 {
    lo + rng.below((hi - lo).max(1) as usize) as i64
}

/// Formats seconds since the epoch as the AWS CLI v2 does: `2023-04-11T09:12:44+00:00`.
pub(crate) fn iso(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = crate::findings::civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+00:00",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn synth_iso_dates() {
        assert_eq!(super::iso(0), "1970-01-01T00:00:00+00:00");
        assert_eq!(super::iso(1_681_204_364), "2023-04-11T09:12:44+00:00");
        assert_eq!(super::iso(super::EPOCH_2016), "2016-01-01T00:00:00+00:00");
    }
}
