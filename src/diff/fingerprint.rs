//! Fingerprints of what the evaluator reads, so that a diff re-evaluates only the
//! principals whose inputs changed: two principals with the same fingerprint in both
//! exports get the same decisions for every request that no changed resource policy
//! governs (those are compared resource by resource instead).
//!
//! Documents are read as JSON values, so that an export written with other whitespace
//! or key order reads the same. A fingerprint is 128 bits (two SipHash digests of the same canonical text with
//! different prefixes): a collision, which would hide a change, is not a practical
//! concern.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::eval::PrincipalRef;
use crate::model::{Account, IdentityCommon, PolicyId, PolicySource, Tag};

/// A 128-bit digest.
pub type Fingerprint = (u64, u64);

/// Feeds two hashers the same values.
struct Digest(DefaultHasher, DefaultHasher);

impl Digest {
    fn new() -> Digest {
        let mut second = DefaultHasher::new();
        0xd1ff_u32.hash(&mut second);
        Digest(DefaultHasher::new(), second)
    }
    fn add(&mut self, value: impl Hash) {
        value.hash(&mut self.0);
        value.hash(&mut self.1);
    }
    fn finish(&self) -> Fingerprint {
        (self.0.finish(), self.1.finish())
    }
}

/// The canonical digest of each document, computed once per document.
#[derive(Default)]
pub struct Documents(HashMap<*const PolicySource, Fingerprint>);

impl Documents {
    /// The digest of `source`'s JSON value (of its text when it is not JSON).
    fn of(&mut self, source: &PolicySource) -> Fingerprint {
        *self
            .0
            .entry(source as *const PolicySource)
            .or_insert_with(|| {
                let mut d = Digest::new();
                match serde_json::from_str::<serde_json::Value>(&source.text) {
                    // serde_json's maps are sorted: the compact text is canonical.
                    Ok(v) => d.add(v.to_string()),
                    Err(_) => d.add(&*source.text),
                }
                d.finish()
            })
    }
}

fn managed(d: &mut Digest, docs: &mut Documents, account: &Account, id: PolicyId) {
    match account.managed_policies.get(id.index()) {
        Some(p) => {
            d.add(p.arn.as_str());
            d.add(p.default_version().map(|v| docs.of(&v.document)));
        }
        None => d.add("(missing policy)"),
    }
}

fn common(d: &mut Digest, docs: &mut Documents, account: &Account, c: &IdentityCommon) {
    d.add(&c.name);
    d.add(&c.id);
    d.add(c.arn.as_str());
    d.add(&c.path);
    for p in &c.inline_policies {
        d.add(&p.name);
        d.add(docs.of(&p.document));
    }
    d.add("attached");
    for id in &c.attached_policies {
        managed(d, docs, account, *id);
    }
}

fn tags(d: &mut Digest, tags: &[Tag]) {
    d.add("tags");
    for t in tags {
        d.add(&t.key);
        d.add(&t.value);
    }
}

/// What the evaluator reads of `who` itself: its ARN, id, path, tags, inline and
/// attached policies (a user's groups' too) and permissions boundary.
pub fn principal(account: &Account, docs: &mut Documents, who: PrincipalRef) -> Fingerprint {
    let mut d = Digest::new();
    match who {
        PrincipalRef::User(u) => {
            let u = account.user(u);
            d.add("user");
            common(&mut d, docs, account, &u.common);
            tags(&mut d, &u.tags);
            d.add("boundary");
            if let Some(b) = u.permissions_boundary {
                managed(&mut d, docs, account, b);
            }
            for g in &u.groups {
                d.add("group");
                common(&mut d, docs, account, &account.group(*g).common);
            }
        }
        PrincipalRef::Role(r) => {
            let r = account.role(r);
            d.add("role");
            common(&mut d, docs, account, &r.common);
            tags(&mut d, &r.tags);
            d.add("boundary");
            if let Some(b) = r.permissions_boundary {
                managed(&mut d, docs, account, b);
            }
        }
    }
    d.finish()
}

/// What every decision of the account reads: its id and partition, and its place in
/// the organization with every SCP and RCP on the way — for every member account of an
/// organization bundle.
pub fn account_wide(account: &Account) -> Fingerprint {
    let docs = &mut Documents::default();
    let mut d = Digest::new();
    d.add(&account.id);
    d.add(&account.partition);
    let mut ids = account.account_ids();
    ids.sort_unstable();
    for id in ids {
        d.add(id);
        if let Some(org) = account.organization_of(id) {
            organization(&mut d, docs, org);
        }
        d.add("account end");
    }
    d.finish()
}

fn organization(d: &mut Digest, docs: &mut Documents, org: &crate::model::Organization) {
    d.add(org.org_id());
    d.add(&org.management_account);
    for level in &org.path {
        d.add(&level.target_id);
        d.add(level.scps_unknown);
        d.add(level.rcps_unknown);
        let scps = level.scps.iter().map(|&i| ("scp", i));
        for (kind, i) in scps.chain(level.rcps.iter().map(|&i| ("rcp", i))) {
            let Some(p) = org.policies.get(i) else {
                continue;
            };
            d.add(kind);
            d.add(&p.id);
            d.add(&p.name);
            d.add(p.aws_managed);
            d.add(p.content.as_ref().map(|c| docs.of(c)));
        }
        d.add("level end");
    }
}
