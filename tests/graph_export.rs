//! Acceptance: `iamscope graph --format dot|mermaid|json` on each sample produces output
//! that real tools accept — Graphviz renders the DOT, Mermaid's own parser (run under
//! Node with jsdom, `scripts/check-mermaid.mjs`) parses the flowchart — and the JSON is
//! consistent: every edge's ends are node ARNs or sets of them, and the three formats
//! draw the same number of nodes, set hubs and edges.
//!
//! Needs `dot` (Graphviz) and `node` with `npm ci --prefix scripts` done; `.ci/run`
//! installs them. Missing tools fail the tests (they are not skipped).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

const SAMPLES: &[&str] = &["startup", "enterprise", "vulnerable"];

fn graph(sample: &str, format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_iamscope"))
        .args([
            "graph",
            "--format",
            format,
            "-b",
            &format!("sample:{sample}"),
        ])
        .output()
        .expect("run iamscope");
    assert!(
        out.status.success(),
        "iamscope graph --format {format} on {sample} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn json_graph(sample: &str) -> Value {
    serde_json::from_str(&graph(sample, "json"))
        .unwrap_or_else(|e| panic!("graph --format json on {sample}: {e}"))
}

/// Runs `program args` with `input` on stdin; (status ok, stdout, stderr).
fn pipe(program: &str, args: &[&str], input: &str, hint: &str) -> (bool, String, String) {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run `{program}` ({e}): {hint}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const DOT_HINT: &str = "Graphviz `dot` is required by this test: install it (apt-get install -y graphviz; .ci/run does)";

#[test]
fn dot_renders_with_graphviz() {
    for sample in SAMPLES {
        let dot = graph(sample, "dot");
        let json = json_graph(sample);
        let (ok, svg, err) = pipe("dot", &["-Tsvg"], &dot, DOT_HINT);
        assert!(
            ok && err.trim().is_empty(),
            "dot -Tsvg on {sample}: {err}\n{dot}"
        );
        assert!(svg.contains("<svg"), "{sample}: no SVG");
        let nodes = svg.matches("class=\"node\"").count();
        let edges = svg.matches("class=\"edge\"").count();
        let sets = json["sets"].as_array().unwrap();
        let members: usize = sets
            .iter()
            .map(|s| s["members"].as_array().unwrap().len())
            .sum();
        assert_eq!(
            nodes,
            json["nodes"].as_array().unwrap().len() + sets.len(),
            "{sample}: nodes and set hubs drawn"
        );
        assert_eq!(
            edges,
            json["edges"].as_array().unwrap().len() + members,
            "{sample}: edges and set memberships drawn"
        );
        assert!(edges > 0, "{sample}: the graph has edges");
    }
}

/// Every node of the JSON export is drawn in the DOT with its label.
#[test]
fn dot_and_json_agree_on_labels() {
    for sample in SAMPLES {
        let dot = graph(sample, "dot");
        let json = json_graph(sample);
        for node in json["nodes"].as_array().unwrap() {
            let label = node["label"].as_str().unwrap();
            assert!(
                dot.contains(&format!("label=\"{label}\"")),
                "{sample}: DOT lacks node {label}"
            );
        }
    }
}

fn scripts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts")
}

#[test]
fn mermaid_parses_with_the_mermaid_parser() {
    let scripts = scripts_dir();
    assert!(
        scripts.join("node_modules/mermaid").is_dir()
            && scripts.join("node_modules/jsdom").is_dir(),
        "Mermaid's parser is required by this test: run `npm ci --prefix scripts` (.ci/run does)"
    );
    let dir = tempfile::tempdir().unwrap();
    // One Node run for all inputs (loading Mermaid takes seconds). A broken flowchart
    // goes along to show the checker does reject bad input.
    let broken = dir.path().join("broken.mmd");
    std::fs::write(&broken, "flowchart LR\n  n1[\"a\" --> n2\n").unwrap();
    let mut files = vec![broken.clone()];
    for sample in SAMPLES {
        let text = graph(sample, "mermaid");
        let json = json_graph(sample);
        assert!(text.starts_with("flowchart LR\n"), "{sample}");
        let edges = text
            .lines()
            .filter(|l| l.contains("-->") || l.contains("-.->"))
            .count();
        assert_eq!(
            edges,
            json["edges"].as_array().unwrap().len(),
            "{sample}: edges drawn"
        );
        let file = dir.path().join(format!("{sample}.mmd"));
        std::fs::write(&file, text).unwrap();
        files.push(file);
    }
    let out = Command::new("node")
        .arg(scripts.join("check-mermaid.mjs"))
        .args(&files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `node` ({e}): Node.js is required by this test"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "the checker accepts a broken flowchart: {stdout}"
    );
    let broken_name = broken.to_str().unwrap();
    assert!(
        stderr.contains(&format!("{broken_name}: Parse error")),
        "the checker did not report the broken input: {stderr}"
    );
    for (sample, file) in SAMPLES.iter().zip(&files[1..]) {
        let name = file.to_str().unwrap();
        assert!(
            stdout.contains(&format!("{name}: ok (flowchart")),
            "Mermaid rejects the {sample} graph:\n{stderr}\n{}",
            std::fs::read_to_string(file).unwrap()
        );
    }
}

#[test]
fn json_edges_join_node_arns() {
    for sample in SAMPLES {
        let json = json_graph(sample);
        let nodes = json["nodes"].as_array().expect("nodes array");
        let arns: BTreeSet<&str> = nodes
            .iter()
            .map(|n| n["arn"].as_str().expect("arn"))
            .collect();
        assert_eq!(arns.len(), nodes.len(), "{sample}: node ARNs are unique");
        for n in nodes {
            for key in ["label", "kind"] {
                assert!(n[key].is_string(), "{sample}: node {key}: {n}");
            }
            assert!(
                n["admin"].is_boolean() && n["self_escalation"].is_boolean(),
                "{n}"
            );
        }
        let mut sets: BTreeSet<&str> = BTreeSet::new();
        for set in json["sets"].as_array().expect("sets array") {
            let members = set["members"].as_array().expect("members");
            assert!(
                members.len() > 1,
                "{sample}: a set has several members: {set}"
            );
            for m in members {
                assert!(arns.contains(m.as_str().unwrap()), "{sample}: member {m}");
            }
            sets.insert(set["id"].as_str().expect("set id"));
        }
        let edges = json["edges"].as_array().expect("edges array");
        assert!(!edges.is_empty(), "{sample}: edges");
        for e in edges {
            for end in ["from", "to"] {
                let arn = e[end]
                    .as_str()
                    .unwrap_or_else(|| panic!("{sample}: edge {end}: {e}"));
                assert!(
                    arns.contains(arn) || sets.contains(arn),
                    "{sample}: edge {end} {arn} is neither a node nor a set: {e}"
                );
            }
            assert!(
                e["kind"].is_string() && e["conditional"].is_boolean(),
                "{e}"
            );
            assert!(
                !e["requests"].as_array().unwrap().is_empty(),
                "{sample}: edge without requests: {e}"
            );
            if e["conditional"] == false {
                assert!(e["missing_keys"].as_array().unwrap().is_empty(), "{e}");
            }
        }
        // Every admin of the account is drawn and marked.
        assert!(
            nodes.iter().any(|n| n["admin"] == true),
            "{sample}: admins marked"
        );
    }
}
