//! Parse arbitrary bytes as a policy document and as a scenario, and evaluate:
//! nothing may panic. Run with `cargo +nightly fuzz run policy_eval`.
#![no_main]

use iamscope::eval::scenario::{parse_scenarios, run};
use iamscope::policy::PolicyDocument;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = PolicyDocument::parse(text);
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        // Use the input as every policy of a fixed request.
        let scenario = serde_json::json!({
            "request": {
                "principal": "arn:aws:iam::111122223333:user/alice",
                "principal_account": "111122223333",
                "action": "s3:GetObject",
                "resource": "arn:aws:s3:::b/k",
                "resource_account": "111122223333",
                "context": value.get("context").cloned().unwrap_or_else(|| serde_json::json!({}))
            },
            "context_complete": false,
            "identity_policies": [value.clone()],
            "permissions_boundary": value.clone(),
            "scps": [[value.clone()]],
            "rcps": [[value.clone()]],
            "resource_policy": value
        });
        if let Ok(scenarios) = parse_scenarios(&scenario.to_string()) {
            for s in &scenarios {
                let _ = run(s);
            }
        }
    }
    if let Ok(scenarios) = parse_scenarios(text) {
        for s in &scenarios {
            let _ = run(s);
        }
    }
});
