//! `iamscope diff` on generated accounts of two sizes, the new export being the old one
//! with one statement added to one user: the diff analyses both exports (graph and
//! audit, each linear in its size) and re-evaluates only that user, so its time should
//! grow with the account (about 4× for 4× the principals), not with principals ×
//! policies. Beside it, the bare serde parse of the same two exports' bytes.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use iamscope::diff::diff;
use iamscope::synth::{generate_gaad, SynthOptions};
use serde_json::json;

fn exports(users: usize, roles: usize) -> (Vec<u8>, Vec<u8>) {
    let options = SynthOptions {
        users,
        roles,
        groups: (users / 10).max(5),
        policies: (users / 3).max(20),
        seed: 7,
        ..SynthOptions::default()
    };
    let old = generate_gaad(&options);
    let mut new = old.clone();
    let user = &mut new["UserDetailList"][1];
    let mut inline = user["UserPolicyList"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    inline.push(json!({
        "PolicyName": "BenchExtra",
        "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"
        }]}
    }));
    user["UserPolicyList"] = json!(inline);
    (old.to_string().into_bytes(), new.to_string().into_bytes())
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("diff_one_statement_added");
    group.sample_size(10);
    for (users, roles) in [(250, 250), (1_000, 1_000)] {
        let (old_bytes, new_bytes) = exports(users, roles);
        let old = iamscope::load::load_gaad_bytes("old", old_bytes.clone()).expect("loads");
        let new = iamscope::load::load_gaad_bytes("new", new_bytes.clone()).expect("loads");
        let d = diff(&old, &new);
        assert_eq!(d.reevaluated.principals, 1, "only the edited user");
        assert!(d.access_grew);
        group.bench_function(format!("diff {users} users {roles} roles"), |b| {
            b.iter(|| black_box(diff(&old, &new)))
        });
        group.bench_function(
            format!("bare serde parse of both, {users} users {roles} roles"),
            |b| {
                b.iter(|| {
                    let a: serde_json::Value = serde_json::from_slice(&old_bytes).unwrap();
                    let b2: serde_json::Value = serde_json::from_slice(&new_bytes).unwrap();
                    black_box((a, b2))
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
