//! An organization of generated accounts (`iamscope-gen --accounts N`): loading 50
//! accounts of 1,000 principals each (500 users, 500 roles) beside a bare `serde_json`
//! parse of the same files, and an org-wide who-can over all 50,000 principals. Memory
//! per account (live heap once loaded, counted by a counting allocator) is printed for
//! 1, 10, 25 and 50 accounts, so its growth with accounts can be read off.

use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::Ordering;

use criterion::{criterion_group, criterion_main, Criterion};
use iamscope::eval::{Context, Engine, Query};
use iamscope::load::{self, Input};
use iamscope::query::who_can::{who_can, WhoCanOptions};
use iamscope::synth::{org_account_ids, write_org, SynthOptions};

#[path = "../tests/common/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::{CountingAllocator, LIVE};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// One account of the organization: 1,000 principals.
fn template() -> SynthOptions {
    SynthOptions {
        users: 500,
        roles: 500,
        groups: 40,
        policies: 200,
        seed: 11,
        account_id: "100000000000".into(),
        ..SynthOptions::default()
    }
}

const ACCOUNTS: usize = 50;

fn gaad_files(dir: &Path, n: usize) -> Vec<Vec<u8>> {
    org_account_ids(&template().account_id, n)
        .iter()
        .map(|id| std::fs::read(dir.join(id).join("gaad.json")).expect("generated file"))
        .collect()
}

/// Live heap held by the loaded model of an organization of `n` accounts, and the
/// size of its files.
fn retained(n: usize) -> (usize, usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    write_org(&template(), n, dir.path()).expect("write the organization");
    let bytes: usize = gaad_files(dir.path(), n).iter().map(Vec::len).sum();
    let before = LIVE.load(Ordering::Relaxed);
    let account = load::load(&Input::Path(dir.path().into())).expect("the organization loads");
    let held = LIVE.load(Ordering::Relaxed).saturating_sub(before);
    drop(account);
    (held, bytes)
}

fn org(c: &mut Criterion) {
    let mib = |n: usize| n as f64 / (1024.0 * 1024.0);
    for n in [1, 10, 25, ACCOUNTS] {
        let (held, bytes) = retained(n);
        eprintln!(
            "{n:>2} accounts: files {:.1} MiB, model {:.1} MiB ({:.2} MiB per account)",
            mib(bytes),
            mib(held),
            mib(held) / n as f64
        );
    }

    let dir = tempfile::tempdir().expect("tempdir");
    write_org(&template(), ACCOUNTS, dir.path()).expect("write the organization");
    let files = gaad_files(dir.path(), ACCOUNTS);
    let input = Input::Path(dir.path().into());
    let mut group = c.benchmark_group("org");
    group.sample_size(10);
    group.bench_function("bare_serde_parse_50x1000", |b| {
        b.iter(|| {
            for f in &files {
                black_box(serde_json::from_slice::<serde_json::Value>(f).expect("JSON"));
            }
        })
    });
    group.bench_function("load_50x1000", |b| {
        b.iter(|| black_box(load::load(&input).expect("loads")))
    });

    let account = load::load(&input).expect("loads");
    assert_eq!(account.members.len(), ACCOUNTS);
    assert_eq!(account.users.len() + account.roles.len(), ACCOUNTS * 1_000);
    let engine = Engine::new(&account);
    // Who in the whole organization can assume a role of the last account that other
    // accounts reach: a cross-account role (`/external/`) whose trust names a sibling
    // account (the generator has some trust accounts outside the organization too; the
    // first such role may be one of those, which nobody in the bundle can assume).
    let last = org_account_ids(&template().account_id, ACCOUNTS)
        .pop()
        .unwrap_or_default();
    let from_others = |rows: &[iamscope::query::who_can::WhoCanRow]| {
        rows.iter()
            .filter(|r| !r.principal.contains(&format!(":{last}:")))
            .count()
    };
    let (role, assume, rows) = account
        .roles
        .iter()
        .filter(|r| r.common.arn.account() == last && r.common.path.starts_with("/external/"))
        .find_map(|r| {
            let role = r.common.arn.to_string();
            let assume = Query::new("sts:AssumeRole", &role).with_context(Context::new(false));
            let rows = who_can(&engine, &assume, WhoCanOptions::default());
            (from_others(&rows) > 0).then_some((role, assume, rows))
        })
        .expect("a role of the last account that other accounts can assume");
    let read = Query::new(
        "s3:GetObject",
        &format!("arn:aws:s3:::{last}-data/reports/q1.csv"),
    )
    .with_context(Context::new(false));
    eprintln!(
        "who-can sts:AssumeRole on {role}: {} principals, {} from other accounts",
        rows.len(),
        from_others(&rows)
    );
    group.bench_function("engine_new_50x1000", |b| {
        b.iter(|| black_box(Engine::new(&account)))
    });
    group.bench_function("who_can_assume_org_wide", |b| {
        b.iter(|| black_box(who_can(&engine, &assume, WhoCanOptions::default())))
    });
    group.bench_function("who_can_s3_org_wide", |b| {
        b.iter(|| black_box(who_can(&engine, &read, WhoCanOptions::default())))
    });
    group.finish();
}

criterion_group!(benches, org);
criterion_main!(benches);
