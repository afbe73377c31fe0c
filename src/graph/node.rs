//! Nodes of the principal graph: the account's users and roles, and the principals
//! outside it that its trust policies name.

use crate::model::{Account, RoleId, UserId};

/// A principal in the graph.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Node {
    /// An IAM user of the account.
    User(UserId),
    /// A role of the account.
    Role(RoleId),
    /// Principals of another AWS account (named by account id or `:root`).
    Account(String),
    /// `"*"`: any AWS principal of any account.
    Anyone,
    /// An AWS service principal, e.g. `ec2.amazonaws.com`.
    Service(String),
    /// A SAML or OIDC identity provider (ARN) or a well-known web identity provider.
    Federated(String),
}

/// The ARN an outside caller is evaluated as when it is `"*"`: a principal of an
/// account this bundle knows nothing about.
pub const ANYONE_ARN: &str = "arn:aws:iam::000000000000:root";

impl Node {
    /// The ARN (or service or provider name) that identifies the node.
    pub fn arn(&self, account: &Account) -> String {
        match self {
            Node::User(u) => account.user(*u).common.arn.to_string(),
            Node::Role(r) => account.role(*r).common.arn.to_string(),
            Node::Account(id) => format!("arn:{}:iam::{id}:root", partition(account)),
            Node::Anyone => "*".to_string(),
            Node::Service(s) | Node::Federated(s) => s.clone(),
        }
    }

    /// A short label for displays: `user/alice`, `role/Admin`, `account 333…`, …
    pub fn label(&self, account: &Account) -> String {
        match self {
            Node::User(u) => in_account(account, &account.user(*u).common, "user"),
            Node::Role(r) => in_account(account, &account.role(*r).common, "role"),
            Node::Account(id) => format!("account {id}"),
            Node::Anyone => "anyone (*)".to_string(),
            Node::Service(s) => s.clone(),
            Node::Federated(s) => match s.split_once(":oidc-provider/") {
                Some((_, host)) => format!("oidc {host}"),
                None => match s.split_once(":saml-provider/") {
                    Some((_, name)) => format!("saml {name}"),
                    None => s.clone(),
                },
            },
        }
    }

    /// True for the account's own users and roles.
    pub fn is_internal(&self) -> bool {
        matches!(self, Node::User(_) | Node::Role(_))
    }

    /// The ARN to evaluate an outside node's requests as.
    pub fn caller_arn(&self, account: &Account) -> String {
        match self {
            Node::Anyone => ANYONE_ARN.to_string(),
            other => other.arn(account),
        }
    }
}

/// `user/NAME`; in an organization bundle `ACCOUNT:user/NAME`, since names repeat
/// across accounts.
fn in_account(account: &Account, who: &crate::model::IdentityCommon, kind: &str) -> String {
    if account.is_org() {
        format!("{}:{kind}/{}", who.arn.account(), who.name)
    } else {
        format!("{kind}/{}", who.name)
    }
}

fn partition(account: &Account) -> &str {
    if account.partition.is_empty() {
        "aws"
    } else {
        &account.partition
    }
}
