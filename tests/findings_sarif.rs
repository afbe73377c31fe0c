//! `findings --sarif` is a valid SARIF 2.1.0 log: validated against the OASIS schema
//! vendored in `tests/sarif/` (see its README), on every sample.

use std::process::Command;

use serde_json::Value;

fn schema() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/sarif/sarif-schema-2.1.0.json"
    );
    let text = std::fs::read_to_string(path).expect("the vendored schema");
    serde_json::from_str(&text).expect("schema JSON")
}

fn sarif(sample: &str) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_iamscope"))
        .args(["findings", "-b", &format!("sample:{sample}"), "--sarif"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("SARIF is JSON")
}

#[test]
fn sarif_of_every_sample_validates_against_the_schema() {
    let validator = jsonschema::draft4::new(&schema()).expect("the schema compiles");
    for sample in ["vulnerable", "startup", "enterprise"] {
        let log = sarif(sample);
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{sample}: {errors:#?}");
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        let results = run["results"].as_array().expect("results");
        assert!(!results.is_empty());
        for r in results {
            let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(rules[i]["id"], r["ruleId"]);
            assert!(r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].is_string());
        }
    }
}

#[test]
fn the_schema_rejects_a_broken_log() {
    // The validator is not vacuous: a result without a message is invalid SARIF.
    let validator = jsonschema::draft4::new(&schema()).expect("the schema compiles");
    let mut log = sarif("vulnerable");
    log["runs"][0]["results"][0]
        .as_object_mut()
        .expect("a result")
        .remove("message");
    assert!(!validator.is_valid(&log));
    log["version"] = Value::from("2.0.0");
    assert!(!validator.is_valid(&log));
}
