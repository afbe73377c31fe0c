//! The TUI's audit (`findings::audit_compact`) keeps each finding's evidence only as far
//! as its lines show it: on the samples and a generated account it finds the same
//! findings as the CLI's `audit`, every evidence item prints the same lines, and the
//! paths' hops no longer hold the requests replayed to find them.

use iamscope::eval::Engine;
use iamscope::findings::{audit, audit_compact, Evidence, Options};
use iamscope::graph::Graph;
use iamscope::model::Account;

#[path = "support/expanded.rs"]
mod expanded;

fn sample(name: &str) -> Account {
    iamscope::load::load(&iamscope::load::Input::Sample(name.into())).expect("sample loads")
}

/// Checks one account; returns how many path hops the full audit backs with requests.
fn check(account: &Account, what: &str) -> usize {
    let engine = Engine::new(account);
    let graph = Graph::build(&engine);
    let full = audit(&engine, &graph, &Options::default());
    let compact = audit_compact(&engine, &graph, &Options::default());
    assert_eq!(full.len(), compact.len(), "{what}: as many findings");
    let mut hops_with_requests = 0;
    for (f, c) in full.iter().zip(&compact) {
        assert_eq!(
            (f.id, &f.entity, &f.summary, f.severity, &f.location),
            (c.id, &c.entity, &c.summary, c.severity, &c.location),
            "{what}: the same finding"
        );
        assert_eq!(f.evidence.len(), c.evidence.len(), "{what}: {}", f.summary);
        for (e, ce) in f.evidence.iter().zip(&c.evidence) {
            assert_eq!(
                e.lines(),
                ce.lines(),
                "{what}: {}: the same lines",
                f.summary
            );
            if let (Evidence::Path { hops }, Evidence::Path { hops: compact }) = (e, ce) {
                hops_with_requests += hops.iter().filter(|h| !h.evidence.is_empty()).count();
                for h in compact {
                    assert!(
                        h.evidence.len() <= 1
                            && h.evidence.iter().all(|ev| ev.action.is_empty()
                                && ev.resource.is_empty()
                                && !ev.statements.is_empty()),
                        "{what}: a compact hop keeps only its statements: {h:?}"
                    );
                }
            }
        }
    }
    hops_with_requests
}

#[test]
fn the_compact_audit_shows_the_same_lines_on_the_samples_and_a_generated_account() {
    let mut hops = 0;
    for name in ["vulnerable", "startup", "enterprise", "analytics"] {
        hops += check(&sample(name), name);
    }
    hops += check(&expanded::generated(120, 120, 5), "120/120 seed 5");
    assert!(hops > 50, "paths with requests to compact: {hops}");
}
