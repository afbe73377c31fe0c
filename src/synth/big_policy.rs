//! One very large policy document, for the memory and what-can scale tests and benches:
//! `statements` statements over the catalogue's actions (mostly `Allow`, some `Deny`,
//! wildcards, a few `NotAction`s and conditions), each on its own resource, written as
//! text directly (a 200 MB document is never held as a JSON tree).

use std::fmt::Write;

use super::rng::Rng;
use crate::catalog::Catalog;

/// The document, minified, as an export may hold it.
pub fn big_policy_document(statements: usize, seed: u64) -> String {
    let catalog = Catalog::get();
    let actions: Vec<String> = catalog
        .services()
        .flat_map(|s| s.actions().map(|a| a.full_name()).collect::<Vec<_>>())
        .collect();
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(statements * 260);
    out.push_str(r#"{"Version":"2012-10-17","Statement":["#);
    for i in 0..statements {
        if i > 0 {
            out.push(',');
        }
        let effect = if rng.below(20) == 0 { "Deny" } else { "Allow" };
        // One statement in 20,000 is a NotAction (each expands to every action).
        let element = if rng.below(20_000) == 0 {
            "NotAction"
        } else {
            "Action"
        };
        let _ = write!(out, r#"{{"Sid":"S{i}","Effect":"{effect}","{element}":["#);
        for k in 0..rng.range(1, 3) {
            if k > 0 {
                out.push(',');
            }
            let a = &actions[rng.below(actions.len())];
            if rng.below(8) == 0 {
                // A prefix wildcard: `s3:Get*`.
                let cut = a.len() - (a.len() - a.find(':').unwrap_or(0)) / 2;
                let _ = write!(out, r#""{}*""#, &a[..cut]);
            } else {
                let _ = write!(out, r#""{a}""#);
            }
        }
        let service = &actions[rng.below(actions.len())];
        let service = service.split(':').next().unwrap_or("s3");
        let _ = write!(
            out,
            r#"],"Resource":["arn:aws:{service}:eu-west-1:123456789012:thing/project-{}/item-{i}","arn:aws:{service}:eu-west-1:123456789012:thing/shared-{}/*"]"#,
            rng.below(1000),
            rng.below(50),
        );
        if rng.below(10) == 0 {
            let _ = write!(
                out,
                r#","Condition":{{"StringEquals":{{"aws:RequestTag/team":["team-{}","ops"]}},"Bool":{{"aws:SecureTransport":"true"}}}}"#,
                rng.below(40)
            );
        }
        out.push('}');
    }
    out.push_str("]}");
    out
}

/// A `get-account-authorization-details` export holding one user whose only policy is
/// `document` (inline), as text.
pub fn gaad_with_user_policy(document: &str) -> String {
    let mut out = String::with_capacity(document.len() + 512);
    out.push_str(
        r#"{"UserDetailList":[{"Path":"/","UserName":"big","UserId":"AIDABIGPOLICYUSER0001","Arn":"arn:aws:iam::123456789012:user/big","CreateDate":"2024-01-01T00:00:00Z","UserPolicyList":[{"PolicyName":"big","PolicyDocument":"#,
    );
    out.push_str(document);
    out.push_str(
        r#"}],"GroupList":[],"AttachedManagedPolicies":[],"Tags":[]}],"GroupDetailList":[],"RoleDetailList":[],"Policies":[]}"#,
    );
    out
}
