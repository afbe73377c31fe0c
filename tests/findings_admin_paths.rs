//! Acceptance (issue 11): findings IAM011 (path to administrator) come from one reverse
//! search from the administrators and self-escalators, not one forward search per
//! principal. On every sample and on generated accounts of a few hundred principals,
//! the audit's IAM011 findings are checked against the per-principal forward search
//! (`Graph::shortest_path` to `Target::Admin`, what the audit ran before):
//! - the same principals get one, and only the ones that are not administrators;
//! - each path is as long as the forward search's, and ends the same way (a final
//!   self-escalation, or a step into an administrator);
//! - each path starts at its principal, its hops follow on, and every hop is an edge of
//!   the graph (expanded here, by the test's own code) with the same conditionality;
//!   the last one reaches an administrator or is a self-escalation;
//! - the summary states the hop count and says "(conditional)" exactly when a hop is.
//!
//! Where two ways tie for shortest, either may be shown (the reverse search's choice is
//! deterministic, see `Graph::towards_admin`), so paths are compared by length, ending
//! and validity, not hop by hop; the test reports how many differ from the forward
//! choice.

use std::collections::{BTreeMap, HashMap};

use iamscope::eval::Engine;
use iamscope::findings::{audit, Evidence, Options};
use iamscope::graph::search::Target;
use iamscope::graph::Graph;
use iamscope::model::Account;
use iamscope::query::hop::Hop;

#[path = "support/expanded.rs"]
mod expanded;
use expanded::{expand, generated};

fn sample(name: &str) -> Account {
    iamscope::load::load(&iamscope::load::Input::Sample(name.into())).expect("sample loads")
}

/// The checks of the module docs on one account; returns (findings, paths that differ
/// from the forward search's choice).
fn check(account: &Account, what: &str) -> (usize, usize) {
    let engine = Engine::new(account);
    let graph = Graph::build(&engine);
    let edges = expand(&graph);
    let node_of: HashMap<String, usize> = (0..graph.nodes.len())
        .map(|n| (graph.nodes[n].arn(account), n))
        .collect();
    let findings = audit(&engine, &graph, &Options::default());
    let got: BTreeMap<&str, &iamscope::findings::Finding> = findings
        .iter()
        .filter(|f| f.id == "IAM011")
        .map(|f| (f.entity.as_str(), f))
        .collect();
    assert_eq!(
        got.len(),
        findings.iter().filter(|f| f.id == "IAM011").count(),
        "{what}: one IAM011 per principal"
    );
    // The per-principal forward search, as the audit ran it before.
    let mut expected = BTreeMap::new();
    for who in engine.principals() {
        let node = graph.node_of(who);
        if graph.is_admin(node) {
            continue;
        }
        if let Some(path) = graph.shortest_path(node, Target::Admin) {
            assert!(!path.is_empty(), "{what}: a non-administrator needs a hop");
            expected.insert(graph.nodes[node].arn(account), path);
        }
    }
    let expected_names: Vec<&str> = expected.keys().map(String::as_str).collect();
    let got_names: Vec<&str> = got.keys().copied().collect();
    assert_eq!(
        got_names, expected_names,
        "{what}: the principals with IAM011"
    );
    let mut differ = 0;
    for (arn, finding) in &got {
        let old = &expected[*arn];
        let hops: &[Hop] = match finding.evidence.as_slice() {
            [Evidence::Path { hops }] => hops,
            other => panic!("{what}: {arn}: evidence {other:?}"),
        };
        assert_eq!(hops.len(), old.len(), "{what}: {arn}: path length");
        assert_eq!(hops[0].from, *arn, "{what}: {arn}: the path starts there");
        for w in hops.windows(2) {
            assert_eq!(w[0].to, w[1].from, "{what}: {arn}: hops follow on");
        }
        for h in hops {
            let (from, to) = (node_of[&h.from], node_of[&h.to]);
            let edge = edges
                .iter()
                .find(|((f, t, k), _)| *f == from && *t == to && k.name() == h.kind);
            let Some((_, (conditional, _))) = edge else {
                panic!(
                    "{what}: {arn}: {} --{}--> {} is no edge",
                    h.from, h.kind, h.to
                );
            };
            assert_eq!(*conditional, h.conditional, "{what}: {arn}: {h:?}");
        }
        let last = hops.last().expect("a hop");
        let self_escalates = last.from == last.to;
        assert!(
            self_escalates || graph.is_admin(node_of[&last.to]),
            "{what}: {arn}: the path ends at an administrator or a self-escalation"
        );
        let old_last = old.last().expect("a hop");
        assert_eq!(
            self_escalates,
            old_last.from == old_last.to,
            "{what}: {arn}: ends the way the forward search's does"
        );
        let n = hops.len();
        let count = format!(" in {n} hop{}", if n == 1 { "" } else { "s" });
        assert!(
            finding.summary.contains(&count),
            "{what}: {}",
            finding.summary
        );
        let conditional = hops.iter().any(|h| h.conditional);
        assert_eq!(
            finding.summary.contains("(conditional)"),
            conditional,
            "{what}: {}",
            finding.summary
        );
        let same = hops
            .iter()
            .zip(old)
            .all(|(h, e)| node_of[&h.from] == e.from && node_of[&h.to] == e.to);
        differ += usize::from(!same);
    }
    eprintln!(
        "{what}: {} IAM011 findings, {differ} with another path of the same length",
        got.len()
    );
    (got.len(), differ)
}

#[test]
fn iam011_from_one_reverse_search_matches_the_per_principal_search_on_the_samples() {
    let mut total = 0;
    for name in ["vulnerable", "startup", "enterprise", "analytics"] {
        total += check(&sample(name), name).0;
    }
    assert!(total >= 3, "the samples hold paths to check ({total})");
}

#[test]
fn iam011_from_one_reverse_search_matches_the_per_principal_search_on_generated_accounts() {
    for (users, roles, seed) in [(150, 150, 7), (200, 100, 11), (120, 200, 3)] {
        let what = format!("{users}/{roles} seed {seed}");
        let (found, _) = check(&generated(users, roles, seed), &what);
        assert!(
            found > 20,
            "{what}: the account holds paths to check ({found})"
        );
    }
}
