//! Memory: a large policy document loads in less than three times its size. Measured
//! with a counting allocator (this test binary's own), on a generated 20 MB document,
//! counting the input's bytes as part of the peak (a real load holds the file), up to
//! the compiled document in use by the evaluator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use iamscope::policy::PolicyDocument;
use iamscope::synth::big_policy::{big_policy_document, gaad_with_user_policy};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size > layout.size() {
                let grow = new_size - layout.size();
                let live = LIVE.fetch_add(grow, Ordering::Relaxed) + grow;
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Tests in this binary measure one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Peak heap above the baseline while `f` runs on a fresh copy of `input`.
fn peak_with(input: &str, f: impl FnOnce(String)) -> usize {
    let baseline = LIVE.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    let copy = input.to_string();
    f(copy);
    PEAK.load(Ordering::Relaxed) - baseline
}

/// About 20 MB: 80,000 statements.
fn document() -> String {
    big_policy_document(80_000, 11)
}

#[test]
fn a_large_document_compiles_in_less_than_three_times_its_size() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let text = document();
    assert!(text.len() > 18_000_000, "{} bytes", text.len());
    let peak = peak_with(&text, |t| {
        let doc = PolicyDocument::parse(&t).expect("the document compiles");
        assert_eq!(doc.statements.len(), 80_000);
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
        assert_eq!(doc.statements.len(), 80_000);
        std::hint::black_box(engine);
    });
    let ratio = peak as f64 / gaad.len() as f64;
    eprintln!("load: {} bytes, peak {peak} = {ratio:.2}x", gaad.len());
    assert!(ratio < 3.0, "peak {ratio:.2}x the file");
}
