//! Rules of the services themselves, which no policy changes (spec §6b): answered
//! before any policy is read, and named in the trace.

use super::decision::Decision;
use super::request::Request;

/// A service rule that decides a request whatever the policies say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServiceRule {
    /// The decision the rule imposes.
    pub decision: Decision,
    /// The rule, in plain words, with its AWS source.
    pub note: &'static str,
}

/// IAM actions that change a role: refused on roles that only AWS may change.
const ROLE_CHANGES: &[&str] = &[
    "createrole",
    "deleterole",
    "updaterole",
    "updateroledescription",
    "updateassumerolepolicy",
    "putrolepolicy",
    "deleterolepolicy",
    "attachrolepolicy",
    "detachrolepolicy",
    "putrolepermissionsboundary",
    "deleterolepermissionsboundary",
    "tagrole",
    "untagrole",
];

/// IAM actions that change a service-linked role: the service owns its trust and its
/// permissions (`iam:DeleteServiceLinkedRole` is the way to delete one).
const SERVICE_LINKED_ROLE_CHANGES: &[&str] = &[
    "createrole",
    "deleterole",
    "updateassumerolepolicy",
    "putrolepolicy",
    "deleterolepolicy",
    "attachrolepolicy",
    "detachrolepolicy",
    "putrolepermissionsboundary",
    "deleterolepermissionsboundary",
];

/// Changes to a managed policy that a customer cannot make to an AWS managed one.
const MANAGED_POLICY_CHANGES: &[&str] = &[
    "createpolicy",
    "createpolicyversion",
    "deletepolicyversion",
    "setdefaultpolicyversion",
    "deletepolicy",
    "tagpolicy",
    "untagpolicy",
];

/// Changes to KMS aliases, refused on the `alias/aws/` names AWS reserves.
const ALIAS_CHANGES: &[&str] = &["createalias", "updatealias", "deletealias"];

/// The resource part of an ARN of `service` (`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`).
fn resource_of<'r>(arn: &'r str, service: &str) -> Option<(&'r str, &'r str)> {
    let mut fields = arn.splitn(6, ':');
    let (Some("arn"), Some(_), Some(s), Some(_), Some(account), Some(resource)) = (
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
    ) else {
        return None;
    };
    (s == service).then_some((account, resource))
}

/// The service rule that decides `req`, if one does.
pub(crate) fn service_rule(req: &Request<'_>) -> Option<ServiceRule> {
    let action = req.action;
    let name = action.name();
    let refused = |note| {
        Some(ServiceRule {
            decision: Decision::ImplicitDeny,
            note,
        })
    };
    match action.service() {
        "sts" if name == "getcalleridentity" && req.principal.caller.is_iam() => {
            Some(ServiceRule {
                decision: Decision::Allow,
                note: "sts:GetCallerIdentity is always allowed for an authenticated caller: \
                       no policy grants or denies it, not even an explicit Deny (STS API \
                       Reference, GetCallerIdentity)",
            })
        }
        "iam" => {
            let (account, resource) = resource_of(req.resource, "iam")?;
            if account == "aws"
                && resource.starts_with("policy/")
                && MANAGED_POLICY_CHANGES.contains(&name)
            {
                return refused(
                    "AWS managed policies can be attached but never created, versioned, set \
                     as default, deleted or tagged by a customer (IAM User Guide, \"Managed \
                     policies and inline policies\")",
                );
            }
            if resource.starts_with("role/aws-reserved/sso.amazonaws.com/")
                && ROLE_CHANGES.contains(&name)
            {
                return refused(
                    "roles that IAM Identity Center creates are protected: only Identity \
                     Center changes them, IAM write actions on them fail (IAM Identity \
                     Center User Guide, \"Permission sets\")",
                );
            }
            if resource.starts_with("role/aws-service-role/")
                && SERVICE_LINKED_ROLE_CHANGES.contains(&name)
            {
                return refused(
                    "a service-linked role's trust and permissions are managed by its \
                     service and cannot be edited through IAM (IAM User Guide, \"Using \
                     service-linked roles\")",
                );
            }
            None
        }
        "kms" => {
            let (_, resource) = resource_of(req.resource, "kms")?;
            if resource.starts_with("alias/aws/") && ALIAS_CHANGES.contains(&name) {
                return refused(
                    "KMS aliases beginning alias/aws/ are reserved for AWS managed keys: \
                     they cannot be created, updated or deleted (AWS KMS Developer Guide, \
                     \"Aliases in AWS KMS\")",
                );
            }
            None
        }
        _ => None,
    }
}
