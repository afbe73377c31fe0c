//! Every scenario of `tests/data/eval-cases.json` (and `eval-cases-extra.json`) must
//! decide as expected, through the library and through `iamscope simulate --json`.

use std::process::Command;

use iamscope::eval::scenario::{parse_scenarios, run, Scenario};

const FILES: &[&str] = &[
    "tests/data/eval-cases.json",
    "tests/data/eval-cases-extra.json",
    "tests/data/eval-cases-rules.json",
];

fn load(file: &str) -> Vec<Scenario> {
    let path = format!("{}/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    parse_scenarios(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn check(name: &str, s: &Scenario, decision: &str, missing: &[String], failures: &mut Vec<String>) {
    let expected = s.expected.as_deref().unwrap_or("?");
    if decision != expected {
        failures.push(format!("{name}: expected {expected}, got {decision}"));
    }
    if let Some(keys) = &s.expected_missing_keys {
        let mut a: Vec<String> = missing.iter().map(|k| k.to_lowercase()).collect();
        let mut b: Vec<String> = keys.iter().map(|k| k.to_lowercase()).collect();
        a.sort();
        b.sort();
        if a != b {
            failures.push(format!(
                "{name}: expected missing keys {keys:?}, got {missing:?}"
            ));
        }
    }
}

#[test]
fn library_decides_every_case() {
    let mut failures = Vec::new();
    let mut count = 0;
    for file in FILES {
        for s in load(file) {
            let r = run(&s);
            count += 1;
            check(&s.name, &s, &r.decision, &r.missing_keys, &mut failures);
        }
    }
    assert!(count >= 84, "only {count} cases");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn binary_decides_every_case() {
    let mut failures = Vec::new();
    for file in FILES {
        let path = format!("{}/{file}", env!("CARGO_MANIFEST_DIR"));
        let out = Command::new(env!("CARGO_BIN_EXE_iamscope"))
            .args(["simulate", &path, "--json"])
            .output()
            .expect("run iamscope");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let results: Vec<serde_json::Value> =
            serde_json::from_slice(&out.stdout).expect("simulate --json prints a JSON array");
        let scenarios = load(file);
        assert_eq!(results.len(), scenarios.len());
        for (s, r) in scenarios.iter().zip(&results) {
            assert_eq!(r["name"], s.name.as_str());
            assert!(r["trace"]["steps"].is_array());
            let missing: Vec<String> = r["missing_keys"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            check(
                &s.name,
                s,
                r["decision"].as_str().unwrap_or("?"),
                &missing,
                &mut failures,
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
