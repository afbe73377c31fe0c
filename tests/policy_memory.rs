//! Memory: a large policy document loads in less than three times its size. Measured
//! with a counting allocator (this test binary's own), on a generated 20 MB document,
//! counting the input's bytes as part of the peak (a real load holds the file), up to
//! the compiled document in use by the evaluator.

use std::sync::Mutex;

use iamscope::policy::PolicyDocument;
use iamscope::synth::big_policy::{big_policy_document, gaad_with_user_policy};

#[path = "common/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::{peak_with, CountingAllocator};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Tests in this binary measure one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Statements of the generated document: 80,000 (about 20 MB), or 4,000 per MB named
/// by `IAMSCOPE_POLICY_MEMORY_MB` (README's 200 MB figure: `=200`).
fn statements() -> usize {
    std::env::var("IAMSCOPE_POLICY_MEMORY_MB")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .map_or(80_000, |mb| mb * 4_000)
}

fn document() -> String {
    big_policy_document(statements(), 11)
}

#[test]
fn a_large_document_compiles_in_less_than_three_times_its_size() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let text = document();
    assert!(text.len() > statements() * 200, "{} bytes", text.len());
    let peak = peak_with(&text, |t| {
        let doc = PolicyDocument::parse(&t).expect("the document compiles");
        assert_eq!(doc.statements.len(), statements());
        drop(t);
        std::hint::black_box(doc);
    });
    let ratio = peak as f64 / text.len() as f64;
    eprintln!("compile: {} bytes, peak {peak} = {ratio:.2}x", text.len());
    assert!(ratio < 3.0, "peak {ratio:.2}x the document");
}

#[test]
fn a_large_document_loads_in_less_than_three_times_its_size() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let gaad = gaad_with_user_policy(&document());
    let peak = peak_with(&gaad, |g| {
        let account = iamscope::load::load_gaad_bytes("big", g.into_bytes()).unwrap();
        assert_eq!(account.users.len(), 1);
        // The document is compiled on first use: use it, as any question would.
        let engine = iamscope::eval::Engine::new(&account);
        let who = engine.principals().next().unwrap();
        let doc = engine.identity_policies(who)[0]
            .document
            .expect("it compiled");
        assert_eq!(doc.statements.len(), statements());
        std::hint::black_box(engine);
    });
    let ratio = peak as f64 / gaad.len() as f64;
    eprintln!("load: {} bytes, peak {peak} = {ratio:.2}x", gaad.len());
    assert!(ratio < 3.0, "peak {ratio:.2}x the file");
}
