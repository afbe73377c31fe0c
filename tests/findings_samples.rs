//! Acceptance: on each sample account, `findings` reports exactly the findings its
//! README's "Findings" table lists (id, severity, entity), through the library and
//! through `iamscope findings --json`; on `vulnerable`, every seeded path of the README
//! is an IAM011 of its start and no decoy has a privilege finding; `--fail-on high`
//! gates CI.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use iamscope::eval::Engine;
use iamscope::findings::{audit, Options};
use iamscope::graph::Graph;
use iamscope::load::{self, Input};
use serde_json::Value;

type Row = (String, String, String);

fn readme(sample: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-accounts")
        .join(sample)
        .join("README.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The table rows (cells trimmed, backticks dropped) of the README section `heading`.
fn table(text: &str, heading: &str) -> Vec<Vec<String>> {
    text.lines()
        .skip_while(|l| !l.starts_with(heading))
        .skip(1)
        .take_while(|l| !l.starts_with("## "))
        .filter(|l| l.starts_with('|') && !l.starts_with("|---"))
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().trim_matches('`').to_string())
                .collect()
        })
        .filter(|cells: &Vec<String>| cells.first().is_some_and(|c| c != "id"))
        .collect()
}

fn expected(sample: &str) -> Vec<Row> {
    let mut rows: Vec<Row> = table(&readme(sample), "## Findings")
        .into_iter()
        .map(|c| (c[0].clone(), c[1].clone(), c[2].clone()))
        .collect();
    rows.sort();
    assert!(!rows.is_empty(), "{sample}'s README lists no findings");
    rows
}

fn found(sample: &str) -> Vec<Row> {
    let account = load::load(&Input::Sample(sample.into())).expect("sample loads");
    let engine = Engine::new(&account);
    let graph = Graph::build(&engine);
    let mut rows: Vec<Row> = audit(&engine, &graph, &Options::default())
        .into_iter()
        .map(|f| (f.id.to_string(), f.severity.as_str().to_string(), f.entity))
        .collect();
    rows.sort();
    rows
}

fn assert_same(sample: &str) {
    let want = expected(sample);
    let got = found(sample);
    let missing: Vec<&Row> = want.iter().filter(|r| !got.contains(r)).collect();
    let extra: Vec<&Row> = got.iter().filter(|r| !want.contains(r)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{sample}: missing {missing:#?}\nnot in the README {extra:#?}"
    );
}

#[test]
fn vulnerable_findings_are_the_readme_list() {
    assert_same("vulnerable");
}

#[test]
fn startup_findings_are_the_readme_list() {
    assert_same("startup");
}

#[test]
fn enterprise_findings_are_the_readme_list() {
    assert_same("enterprise");
}

#[test]
fn every_seeded_weakness_is_found_and_no_decoy_is() {
    let text = readme("vulnerable");
    let got = found("vulnerable");
    let has = |id: &str, arn: &str| got.iter().any(|(i, _, e)| i == id && e == arn);
    let seeded = table(&text, "## Seeded paths");
    let mut escalating = BTreeSet::new();
    // Rows a–j (the hop table of h below it is the same path, hop by hop).
    for row in seeded.iter().filter(|r| r[0].len() == 1) {
        let (id, from, to) = (&row[0], &row[1], &row[2]);
        match id.as_str() {
            "i" => assert!(has("IAM001", to), "seed i: open trust of {to}"),
            "j" => assert!(has("IAM004", to), "seed j: OIDC without sub on {to}"),
            _ => {
                assert!(
                    has("IAM011", from),
                    "seed {id}: no path to admin for {from}"
                );
                escalating.insert(from.clone());
            }
        }
    }
    assert_eq!(escalating.len(), 8, "rows a–h");
    for row in table(&text, "## Decoys") {
        let decoy = &row[1];
        for id in ["IAM011", "IAM012", "IAM013", "IAM014"] {
            assert!(!has(id, decoy), "decoy {} flagged {id}", row[0]);
        }
    }
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_iamscope"))
}

#[test]
fn json_has_the_documented_fields_and_the_same_findings() {
    let out = bin()
        .args(["findings", "-b", "sample:vulnerable", "--json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let list = v.as_array().expect("an array");
    for f in list {
        for key in [
            "id",
            "title",
            "severity",
            "entity",
            "explanation",
            "evidence",
            "remediation",
        ] {
            assert!(f.get(key).is_some(), "finding without {key}: {f}");
        }
        assert!(
            !f["evidence"].as_array().expect("evidence list").is_empty(),
            "{f}"
        );
    }
    let mut rows: Vec<Row> = list
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("id"), s("severity"), s("entity"))
        })
        .collect();
    rows.sort();
    assert_eq!(rows, expected("vulnerable"));
}

#[test]
fn min_severity_filters_and_fail_on_gates() {
    let run = |args: &[&str]| {
        let out = bin().args(args).output().expect("runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
        )
    };
    let (code, text) = run(&[
        "findings",
        "-b",
        "sample:vulnerable",
        "--min-severity",
        "high",
    ]);
    assert_eq!(code, Some(0));
    assert!(text.contains("IAM011") && text.contains("IAM001"));
    assert!(
        !text.contains("\nLOW ") && !text.contains("IAM030"),
        "{text}"
    );
    let (code, _) = run(&["findings", "-b", "sample:vulnerable", "--fail-on", "high"]);
    assert_eq!(code, Some(1), "the vulnerable sample has high findings");
    // enterprise's README lists nothing above medium.
    let (code, _) = run(&["findings", "-b", "sample:enterprise", "--fail-on", "high"]);
    assert_eq!(code, Some(0));
    let (code, _) = run(&["findings", "-b", "sample:enterprise", "--fail-on", "medium"]);
    assert_eq!(code, Some(1));
    let (code, _) = run(&["findings", "-b", "sample:enterprise", "--fail-on", "severe"]);
    assert_eq!(code, Some(2), "a bad severity is a usage error");
}

#[test]
fn as_of_moves_now() {
    // Ten years later every key and password is stale; a day after creation nothing is.
    let later = bin()
        .args([
            "findings",
            "-b",
            "sample:enterprise",
            "--json",
            "--as-of",
            "2036-01-01",
        ])
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&later.stdout).expect("JSON");
    let ids: BTreeSet<&str> = v
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert!(ids.contains("IAM040") && ids.contains("IAM035"), "{ids:?}");
    let bad = bin()
        .args(["findings", "-b", "sample:enterprise", "--as-of", "soon"])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
}
