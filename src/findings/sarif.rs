//! SARIF 2.1.0 output: one run, one rule per check id, one result per finding, with
//! the bundle file and JSON path as its location.

use serde_json::{json, Value};

use super::{Finding, Severity, RULES};

/// The SARIF level of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub code scanning's numeric severity (0–10) for a severity.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "2.0",
    }
}

/// The findings as a SARIF 2.1.0 log.
pub fn to_sarif(findings: &[Finding]) -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.title,
                "shortDescription": { "text": r.title },
                "fullDescription": { "text": r.explanation },
                "help": { "text": r.remediation },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": {
                    "family": r.family.as_str(),
                    "security-severity": security_severity(r.severity),
                    "tags": ["security", "iam"],
                },
            })
        })
        .collect();
    let results: Vec<Value> = findings.iter().map(result).collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "iamscope",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/iamscope/iamscope",
                    "rules": rules,
                }
            },
            "originalUriBaseIds": {
                "BUNDLE": { "description": { "text": "The account bundle folder." } }
            },
            "results": results,
        }]
    })
}

fn result(f: &Finding) -> Value {
    let index = RULES.iter().position(|r| r.id == f.id).unwrap_or(0);
    let mut location = json!({
        "logicalLocations": [{
            "fullyQualifiedName": f.entity,
            "kind": "resource",
        }]
    });
    if let Some(loc) = &f.location {
        location["physicalLocation"] = json!({
            "artifactLocation": { "uri": loc.file, "uriBaseId": "BUNDLE" }
        });
        if let Some(path) = &loc.json_path {
            if let Some(l) = location["logicalLocations"].as_array_mut() {
                l.push(json!({ "fullyQualifiedName": path, "kind": "member" }));
            }
        }
    }
    json!({
        "ruleId": f.id,
        "ruleIndex": index,
        "level": level(f.severity),
        "message": { "text": f.summary },
        "locations": [location],
        "partialFingerprints": { "iamscope/v1": format!("{}:{}:{}", f.id, f.entity, f.summary) },
        "properties": {
            "severity": f.severity.as_str(),
            "entity": f.entity,
            "evidence": f.evidence,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rule_per_check_and_results_point_at_them() {
        let f = Finding::new("IAM004", "arn:aws:iam::1:role/r", "s".into())
            .at("gaad.json", Some("RoleDetailList[0]".into()));
        let log = to_sarif(&[f]);
        let run = &log["runs"][0];
        assert_eq!(
            run["tool"]["driver"]["rules"].as_array().map(Vec::len),
            Some(RULES.len())
        );
        let r = &run["results"][0];
        let index = r["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
        assert_eq!(run["tool"]["driver"]["rules"][index]["id"], "IAM004");
        assert_eq!(r["level"], "error");
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "gaad.json"
        );
    }
}
