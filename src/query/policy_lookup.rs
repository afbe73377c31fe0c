//! A policy document by the name the statement labels use: a managed policy's name or
//! ARN, `trust:ROLE` for a role's trust policy, `user/NAME:POLICY` (or `group/…`,
//! `role/…`) for an inline policy, a resource policy's `service:name` — with its
//! statements as the explorer's details pane lists them.

use serde::Serialize;

use super::document_view::{DocView, StatementView};
use crate::model::{Account, IdentityCommon, PolicySource};

/// A document found, and its statements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyStatements {
    /// What the document is, in words: `managed policy X`, `trust policy of role Y`…
    pub what: String,
    /// The statements, numbered from 1 in order (a statement without a Sid is `#n`).
    pub statements: Vec<StatementView>,
    /// Why the evaluator does not use it, when the grammar rejects it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid: Option<String>,
}

fn identity<'a>(account: &'a Account, kind: &str, name: &str) -> Option<&'a IdentityCommon> {
    match kind {
        "user" => account.user_named(name).map(|u| &account.user(u).common),
        "group" => account.group_named(name).map(|g| &account.group(g).common),
        "role" => account.role_named(name).map(|r| &account.role(r).common),
        _ => None,
    }
}

/// The document `text` names, if the account has it.
pub fn find_document<'a>(account: &'a Account, text: &str) -> Option<(String, &'a PolicySource)> {
    let text = text.trim();
    if let Some(role) = text.strip_prefix("trust:") {
        let r = account.role_named(role)?;
        return Some((
            format!("trust policy of role {role}"),
            &account.role(r).trust_policy,
        ));
    }
    if let Some((owner, policy)) = text.split_once(':').filter(|_| !text.starts_with("arn:")) {
        if let Some((kind, name)) = owner.split_once('/') {
            let common = identity(account, kind, name)?;
            let inline = common.inline_policies.iter().find(|p| p.name == policy)?;
            return Some((
                format!("inline policy {policy} of {owner}"),
                &inline.document,
            ));
        }
        let rp = account
            .resource_policies
            .iter()
            .find(|r| r.service == owner && r.name == policy)?;
        return Some((format!("{owner} resource policy {policy}"), &rp.policy));
    }
    let managed = account
        .managed_policies
        .iter()
        .find(|p| p.name == text || p.arn.as_str() == text)?;
    let version = managed.default_version()?;
    Some((
        format!("managed policy {} ({})", managed.name, version.version_id),
        &version.document,
    ))
}

/// The statements of the document `text` names.
pub fn policy_statements(account: &Account, text: &str) -> Option<PolicyStatements> {
    let (what, source) = find_document(account, text)?;
    Some(PolicyStatements {
        what,
        statements: DocView::parse(&source.text).unwrap_or_default().statements,
        invalid: source.error().map(|e| e.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{self, Input};

    #[test]
    fn finds_managed_trust_inline_and_resource_policies() {
        let account = load::load(&Input::from_arg(Some("sample:vulnerable"))).unwrap();
        let m = policy_statements(&account, "AdministratorAccess").unwrap();
        assert_eq!(m.statements[0].label(0), "#1");
        let t = policy_statements(&account, "trust:dvia-chain-role-a").unwrap();
        assert_eq!(t.statements[0].label(0), "TrustChainStarter");
        let i = policy_statements(&account, "user/ec2-launcher:EC2LaunchAccess").unwrap();
        assert!(i.what.contains("inline"));
        assert!(i
            .statements
            .iter()
            .any(|s| s.sid.as_deref() == Some("PassAdminInstanceRole")));
        let r = policy_statements(&account, "s3:dvia-shared-reports").unwrap();
        assert!(r.what.contains("resource policy"));
        assert!(policy_statements(&account, "NoSuchPolicy").is_none());
        assert!(policy_statements(&account, "user/nobody:x").is_none());
    }
}
