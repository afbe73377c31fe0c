//! Parse arbitrary bytes as a policy document, then evaluate every statement against a
//! fixed request with unknown context: nothing may panic. Run with
//! `cargo +nightly fuzz run policy_parse`.
#![no_main]

use iamscope::policy::{ActionName, Caller, KeyLookup, KeyValues, PolicyDocument, StatementInput};
use libfuzzer_sys::fuzz_target;

/// Every key is unknown except a few with values, so variables and conditions run.
struct Keys;

impl KeyLookup for Keys {
    fn lookup(&self, key_lower: &str) -> KeyValues<'_> {
        match key_lower {
            "aws:username" => KeyValues::One("alice"),
            "aws:sourceip" => KeyValues::One("10.1.2.3"),
            "aws:currenttime" => KeyValues::One("2025-06-01T12:00:00Z"),
            "aws:multifactorauthpresent" => KeyValues::One("true"),
            "aws:securetransport" => KeyValues::Absent,
            _ => KeyValues::Unknown,
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(doc) = PolicyDocument::parse(text) else {
        return;
    };
    let action = ActionName::new("s3:GetObject");
    for caller in [
        Caller::from_arn("arn:aws:iam::111122223333:user/alice", false),
        Caller::from_arn("arn:aws:sts::111122223333:assumed-role/r/s", false),
        Caller::from_arn("ec2.amazonaws.com", false),
    ] {
        for resource in ["arn:aws:s3:::b/k", "*", "not-an-arn"] {
            let input = StatementInput {
                action: &action,
                resource,
                caller: &caller,
                has_boundary: true,
            };
            for st in &doc.statements {
                let mut unknown = Vec::new();
                let _ = st.evaluate(&input, &Keys, &mut unknown);
            }
        }
    }
});
