//! Property: every path the graph reports replays hop by hop. For every edge of every
//! path found (shortest and `all_paths`, to administrators and to principals) on the
//! three samples and on generated accounts, each request behind the edge replays
//! (`Graph::replay`) to Allow or Conditional — and, for a sample of hops taken by the
//! account's own principals, so does `iamscope can FROM ACTION RESOURCE --json` (exit 0
//! or 3). Hops chain from FROM to the target.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use iamscope::eval::{Decision, Engine};
use iamscope::graph::search::Target;
use iamscope::graph::{Edge, EdgeKind, Graph, Node, ProofContext};
use iamscope::load::{self, Input};
use iamscope::model::Account;
use iamscope::synth::{generate_gaad_json, SynthOptions};

const MAX_HOPS: usize = 4;
const LIMIT: usize = 10;

/// A request to check with the binary: (principal ARN, action, resource, context args).
type Request = (String, String, String, Vec<String>);

/// Checks one path from `from` to `target`; returns the requests of its internal hops.
fn check_path(
    engine: &Engine<'_>,
    graph: &Graph,
    from: usize,
    target: Target,
    path: &[Edge],
    what: &str,
) -> Vec<Request> {
    let account = engine.account();
    let label = |n: usize| graph.nodes[n].label(account);
    let ctx = || {
        let hops: Vec<String> = path
            .iter()
            .map(|e| format!("{} --{}--> {}", label(e.from), e.kind.name(), label(e.to)))
            .collect();
        format!("{what}: {} to {target:?}: {}", label(from), hops.join(", "))
    };
    // A hop taken through a trust of `*` is the `*` node's edge: any account principal
    // may take it, so it chains from whichever principal the previous hop reached.
    let joins = |at: usize, edge: &Edge| {
        edge.from == at || (graph.nodes[edge.from] == Node::Anyone && graph.nodes[at].is_internal())
    };
    let mut at = from;
    let mut seen = BTreeSet::from([from]);
    let mut requests = Vec::new();
    for (i, edge) in path.iter().enumerate() {
        assert!(
            joins(at, edge),
            "hop {i} does not start where the path is: {}",
            ctx()
        );
        let last = i + 1 == path.len();
        if edge.from == edge.to {
            assert!(
                edge.kind.is_self_escalation(),
                "a loop that is not a self-escalation: {}",
                ctx()
            );
            assert!(
                last && target == Target::Admin,
                "self-escalation only ends an admin path: {}",
                ctx()
            );
        } else {
            assert!(seen.insert(edge.to), "path revisits a node: {}", ctx());
        }
        if edge.kind == EdgeKind::AdminControl {
            assert!(
                graph.is_admin(edge.from) || graph.can_self_escalate(edge.from),
                "admin_control from a non-admin: {}",
                ctx()
            );
            assert!(graph.nodes[edge.to].is_internal(), "{}", ctx());
            if graph.is_admin(edge.from) {
                assert!(edge.proofs.is_empty(), "{}", ctx());
            } else {
                assert!(
                    !edge.proofs.is_empty(),
                    "the self-escalation's requests: {}",
                    ctx()
                );
            }
        } else {
            assert!(
                !edge.proofs.is_empty(),
                "an edge without requests: {}",
                ctx()
            );
        }
        for proof in &edge.proofs {
            let (decision, _) = graph.replay(engine, edge.from, proof);
            match &decision {
                Decision::Allow => {}
                Decision::Conditional { .. } => assert!(
                    edge.conditional,
                    "{} on {} replays Conditional on an unconditional edge: {}",
                    proof.action,
                    proof.resource,
                    ctx()
                ),
                other => panic!(
                    "{} on {} replays {other:?}: {}",
                    proof.action,
                    proof.resource,
                    ctx()
                ),
            }
            if proof.caller.is_none() && graph.nodes[edge.from].is_internal() {
                let context = match &proof.context {
                    ProofContext::Unknown => Vec::new(),
                    ProofContext::PassedToService(s) => vec![format!("iam:PassedToService={s}")],
                    ProofContext::PolicyArn(a) => vec![format!("iam:PolicyARN={a}")],
                };
                requests.push((
                    graph.nodes[edge.from].arn(account),
                    proof.action.to_string(),
                    proof.resource.to_string(),
                    context,
                ));
            }
        }
        at = edge.to;
    }
    match target {
        Target::Node(t) => assert_eq!(at, t, "path ends at the target: {}", ctx()),
        Target::Admin => {
            let self_escalated = path.last().is_some_and(|e| e.kind.is_self_escalation());
            assert!(
                graph.is_admin(at) || self_escalated,
                "path ends at an admin: {}",
                ctx()
            );
        }
    }
    requests
}

/// Checks every path of interest in one account; returns the requests to replay with
/// the binary and the number of paths checked.
fn check_account(account: &Account, what: &str) -> (BTreeSet<Request>, usize) {
    let engine = Engine::new(account);
    let graph = Graph::build(&engine);
    let internal: Vec<usize> = (0..graph.nodes.len())
        .filter(|&n| graph.nodes[n].is_internal())
        .collect();
    let mut requests = BTreeSet::new();
    let mut checked = 0;
    for (k, &from) in internal.iter().enumerate() {
        let mut targets = vec![Target::Admin];
        // Principals within reach, and one arbitrary principal (reached, if at all,
        // through administrator control).
        targets.extend(
            graph
                .reachable(from)
                .into_iter()
                .filter(|(n, _)| graph.nodes[*n].is_internal())
                .take(4)
                .map(|(n, _)| Target::Node(n)),
        );
        targets.push(Target::Node(internal[(k * 7 + 3) % internal.len()]));
        for target in targets {
            let shortest = graph.shortest_path(from, target);
            let all = graph.all_paths(from, target, MAX_HOPS, LIMIT);
            if let Some(p) = &shortest {
                requests.extend(check_path(&engine, &graph, from, target, p, what));
                checked += 1;
                if p.len() <= MAX_HOPS {
                    assert!(
                        !all.is_empty(),
                        "{what}: all_paths misses the shortest path"
                    );
                }
            } else {
                assert!(
                    all.is_empty(),
                    "{what}: all_paths finds a path shortest_path does not"
                );
            }
            for w in all.windows(2) {
                assert!(
                    w[0].len() <= w[1].len(),
                    "{what}: all_paths sorted by length"
                );
            }
            for p in &all {
                // A final self-escalation hop comes on top of `max_hops`.
                let escalates = p.last().is_some_and(|e| e.kind.is_self_escalation());
                assert!(
                    p.len() <= MAX_HOPS || (escalates && p.len() == MAX_HOPS + 1),
                    "{what}: all_paths respects max_hops"
                );
                if let (Some(s), Target::Node(_)) = (&shortest, target) {
                    assert!(s.len() <= p.len(), "{what}: shortest is shortest");
                }
                requests.extend(check_path(&engine, &graph, from, target, p, what));
                checked += 1;
            }
        }
    }
    (requests, checked)
}

/// Replays `requests` (an evenly spread sample of at most `n`) with `iamscope can`.
fn replay_with_binary(bundle: &str, requests: &BTreeSet<Request>, n: usize) {
    let step = requests.len().div_ceil(n.max(1)).max(1);
    for (principal, action, resource, context) in requests.iter().step_by(step) {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_iamscope"));
        cmd.args(["can", principal, action, resource, "-b", bundle, "--json"]);
        for c in context {
            cmd.args(["--context", c]);
        }
        let out = cmd.output().expect("run iamscope can");
        let code = out.status.code();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "can {principal} {action} {resource}: bad JSON ({e}): {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let decision = json["decision"].as_str().unwrap_or_default();
        assert!(
            matches!((code, decision), (Some(0), "Allow") | (Some(3), "Conditional")),
            "iamscope can {principal} {action} {resource} {context:?} on {bundle}: exit {code:?}, {decision}"
        );
    }
}

#[test]
fn sample_paths_replay() {
    for sample in ["startup", "enterprise", "vulnerable"] {
        let bundle = format!("sample:{sample}");
        let account = load::load(&Input::from_arg(Some(&bundle))).expect("load sample");
        let (requests, checked) = check_account(&account, sample);
        assert!(
            checked > 0 && !requests.is_empty(),
            "{sample}: no path checked"
        );
        replay_with_binary(&bundle, &requests, 40);
    }
}

#[test]
fn generated_account_paths_replay() {
    let dir = tempfile::tempdir().unwrap();
    let mut total = 0;
    for seed in 1..=5 {
        let opts = SynthOptions {
            users: 40,
            roles: 40,
            groups: 10,
            policies: 30,
            seed,
            ..SynthOptions::default()
        };
        let text = generate_gaad_json(&opts);
        let file = dir.path().join(format!("gaad-{seed}.json"));
        std::fs::write(&file, &text).unwrap();
        let account = load::load(&Input::Path(file.clone())).expect("load generated account");
        let (requests, checked) = check_account(&account, &format!("seed {seed}"));
        total += checked;
        replay_with_binary(file.to_str().unwrap(), &requests, 10);
    }
    assert!(total > 0, "the generated accounts have paths");
}

#[test]
fn cli_paths_chain_from_the_principal() {
    // The same property through `paths --json --all` on the vulnerable sample's seeded
    // starting points.
    let readme = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-accounts/vulnerable/README.md"),
    )
    .unwrap();
    let starts: BTreeSet<&str> = readme
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("arn:aws:iam::666666666666:user/"))
        .filter_map(|l| l.split('|').nth(2))
        .map(str::trim)
        .filter(|s| s.starts_with("arn:aws:iam::666666666666:user/"))
        .collect();
    assert!(starts.len() >= 8, "{starts:?}");
    for from in starts {
        let out = Command::new(env!("CARGO_BIN_EXE_iamscope"))
            .args([
                "paths",
                from,
                "admin",
                "--all",
                "-b",
                "sample:vulnerable",
                "--json",
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        let paths: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        for p in paths.as_array().unwrap() {
            let hops = p.as_array().unwrap();
            if let Some(first) = hops.first() {
                assert_eq!(first["from"], from, "{p}");
            }
            for w in hops.windows(2) {
                assert_eq!(w[0]["to"], w[1]["from"], "{p}");
            }
            for h in hops {
                for ev in h["evidence"].as_array().unwrap() {
                    let d = ev["decision"].as_str().unwrap();
                    assert!(d == "Allow" || d == "Conditional", "{h}");
                    if h["kind"] != "admin_control" {
                        assert!(
                            !ev["statements"].as_array().unwrap().is_empty(),
                            "no statement named: {h}"
                        );
                    }
                }
            }
        }
    }
}
