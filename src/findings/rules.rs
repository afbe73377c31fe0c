//! The catalogue of checks: stable ids, titles, default severities, explanations and
//! remediations. SARIF rules and the README's table are this list.

use serde::Serialize;

use super::Severity;

/// The family a check belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Who may assume a role.
    Trust,
    /// Administrators and the routes to become one.
    Privilege,
    /// Access by principals outside the account.
    ExternalAccess,
    /// Passwords, MFA and access keys (credential report).
    Credentials,
    /// Roles and users nobody uses.
    UnusedAccess,
    /// Policies AWS would reject or that do not do what they say.
    PolicyValidation,
}

impl Family {
    /// The family's name as JSON spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Trust => "trust",
            Family::Privilege => "privilege",
            Family::ExternalAccess => "external_access",
            Family::Credentials => "credentials",
            Family::UnusedAccess => "unused_access",
            Family::PolicyValidation => "policy_validation",
        }
    }
}

/// One check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, `IAM001`….
    pub id: &'static str,
    /// Family.
    pub family: Family,
    /// Short title.
    pub title: &'static str,
    /// Default severity (a finding may raise or lower it, and says why).
    pub severity: Severity,
    /// What the weakness is, for someone learning IAM.
    pub explanation: &'static str,
    /// How to fix it.
    pub remediation: &'static str,
}

/// The check with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

use Family::*;
use Severity::*;

/// Every check, by id.
pub static RULES: &[Rule] = &[
    Rule {
        id: "IAM001",
        family: Trust,
        title: "Role trusts any AWS principal",
        severity: Critical,
        explanation: "A role's trust policy is the resource policy of sts:AssumeRole. With \"Principal\": \"*\" (or {\"AWS\": \"*\"}) and no condition that narrows it, any principal of any AWS account may assume the role and act with its permissions; an attacker only needs an AWS account of their own.",
        remediation: "Name the accounts or roles that should assume the role in Principal, or add a condition that pins the caller (aws:PrincipalOrgID, aws:PrincipalArn, sts:ExternalId).",
    },
    Rule {
        id: "IAM002",
        family: Trust,
        title: "Another account trusted without sts:ExternalId or aws:PrincipalOrgID",
        severity: Medium,
        explanation: "Trusting another account lets that account's administrators decide which of their principals assume the role. When the other account is a third party that serves many customers, a trust without sts:ExternalId lets any of its customers trick it into using your role (the confused deputy); inside your organization, aws:PrincipalOrgID keeps the trust from following an account that leaves it.",
        remediation: "For a vendor, require the ExternalId it gives you (StringEquals sts:ExternalId); for your own accounts, name the exact role ARNs or require aws:PrincipalOrgID.",
    },
    Rule {
        id: "IAM003",
        family: Trust,
        title: "OIDC trust without an audience (aud) condition",
        severity: High,
        explanation: "A web-identity token says which client it was issued to in its aud claim. A trust on an OIDC provider that does not check HOST:aud accepts tokens issued for other applications of the same provider.",
        remediation: "Add StringEquals HOST:aud with the client id (sts.amazonaws.com for GitHub Actions).",
    },
    Rule {
        id: "IAM004",
        family: Trust,
        title: "OIDC trust without a subject (sub) condition",
        severity: High,
        explanation: "The provider vouches for many identities; the sub claim says which one (for GitHub Actions, repo:ORG/REPO:ref:… or :environment:…). Without a HOST:sub condition every identity of the provider may assume the role: for GitHub, any workflow in any repository on github.com.",
        remediation: "Add StringEquals (or a narrow StringLike) HOST:sub naming the repository and the branch or environment that deploys.",
    },
    Rule {
        id: "IAM005",
        family: Trust,
        title: "OIDC subject wildcard admits other repositories or branches",
        severity: Medium,
        explanation: "A StringLike pattern on HOST:sub such as repo:ORG/* or repo:ORG/REPO:* admits every repository of the organisation, or every branch and pull request of the repository, not only the workflow that deploys.",
        remediation: "Pin the sub to the repository and to a protected branch or environment: repo:ORG/REPO:ref:refs/heads/main or repo:ORG/REPO:environment:prod.",
    },
    Rule {
        id: "IAM006",
        family: Trust,
        title: "SAML trust without SAML:aud",
        severity: Medium,
        explanation: "SAML:aud is the endpoint the assertion was issued for. AWS recommends requiring https://signin.aws.amazon.com/saml so that assertions meant for another service provider cannot be replayed to assume the role.",
        remediation: "Add StringEquals SAML:aud = https://signin.aws.amazon.com/saml to the trust statement.",
    },
    Rule {
        id: "IAM007",
        family: Trust,
        title: "Service trust without aws:SourceAccount or aws:SourceArn",
        severity: Low,
        explanation: "Services such as ECS tasks, RDS monitoring, EventBridge or CloudTrail assume roles on behalf of resources that may belong to any customer. When the trust does not say whose resource (aws:SourceAccount, aws:SourceArn), another customer may get the service to act with your role: the cross-service confused deputy.",
        remediation: "Add StringEquals aws:SourceAccount = your account id, and ArnLike aws:SourceArn for the resources that should use the role.",
    },
    Rule {
        id: "IAM010",
        family: Privilege,
        title: "Effective administrator",
        severity: Low,
        explanation: "The evaluator allows this principal the actions only an administrator has (IAM writes, running instances, changing bucket policies, decrypting with KMS) on every resource, whatever its policies are called. Administrators are expected, but each is a key to the whole account and should be few, protected by MFA and watched.",
        remediation: "Keep administrators few; require MFA (aws:MultiFactorAuthPresent) to assume admin roles; prefer roles to users for administration.",
    },
    Rule {
        id: "IAM011",
        family: Privilege,
        title: "Path to administrator",
        severity: High,
        explanation: "This principal is not an administrator, but it can become one: by assuming roles, passing a role to a service it controls, or changing IAM itself (a policy version, an attachment, a group membership, a trust policy, another user's keys). Each hop is an edge the evaluator allowed.",
        remediation: "Remove the permission behind the first hop, or limit it (a resource ARN, iam:PassedToService, a permissions boundary, an explicit Deny).",
    },
    Rule {
        id: "IAM012",
        family: Privilege,
        title: "iam:PassRole on any role",
        severity: Medium,
        explanation: "iam:PassRole lets a principal hand a role to a service (an EC2 instance, a Lambda function, a task). Allowed on every role, it lets the principal run code as any role the service may assume, including more privileged ones.",
        remediation: "Limit iam:PassRole to the ARNs of the roles the principal must pass, and to the service with iam:PassedToService.",
    },
    Rule {
        id: "IAM013",
        family: Privilege,
        title: "Allow with NotAction",
        severity: Medium,
        explanation: "\"Effect\": \"Allow\" with NotAction allows every action not listed, in every service, including services added later. It is almost always broader than meant.",
        remediation: "List the actions to allow with Action; keep NotAction for Deny statements.",
    },
    Rule {
        id: "IAM014",
        family: Privilege,
        title: "Wildcard actions on a sensitive service",
        severity: Medium,
        explanation: "A wildcard such as iam:*, sts:*, kms:*, secretsmanager:* or * allows every action of a service whose actions control identities, keys or secrets, including actions added later.",
        remediation: "List the actions needed (the action catalogue and CloudTrail show which are used).",
    },
    Rule {
        id: "IAM020",
        family: ExternalAccess,
        title: "Resource policy grants access outside the account",
        severity: Medium,
        explanation: "A resource policy (bucket, key, queue, topic, secret, function) may name principals of other accounts or everyone. Those principals then act on the resource with their own credentials; the bundle cannot see or limit who they are.",
        remediation: "Check that each outside account is expected; require aws:PrincipalOrgID for your organization's accounts; remove \"*\" principals or pin them with aws:SourceArn / aws:SourceVpce.",
    },
    Rule {
        id: "IAM021",
        family: ExternalAccess,
        title: "Role can be assumed from outside the account",
        severity: Low,
        explanation: "The role's trust policy admits principals the account does not control: another account, an identity provider (SAML, OIDC), or everyone. Access Analyzer lists these as external access; each should be expected.",
        remediation: "Check that each outside principal is expected and its trust statement pinned by conditions (sts:ExternalId, HOST:sub, SAML:aud, aws:PrincipalOrgID).",
    },
    Rule {
        id: "IAM030",
        family: Credentials,
        title: "Console password without MFA",
        severity: Medium,
        explanation: "A user who signs in to the console with a password alone loses the account to one phished or reused password. MFA makes a stolen password useless on its own.",
        remediation: "Enable an MFA device for the user, and deny actions without aws:MultiFactorAuthPresent for console users.",
    },
    Rule {
        id: "IAM031",
        family: Credentials,
        title: "Root user has access keys",
        severity: Critical,
        explanation: "The root user can do everything in the account and no policy limits it. Access keys for it are long-lived, unlimited credentials that can leak from any machine holding them.",
        remediation: "Delete the root user's access keys; use IAM roles for automation.",
    },
    Rule {
        id: "IAM032",
        family: Credentials,
        title: "Root user without MFA",
        severity: Critical,
        explanation: "The root user can close the account, change its contact details and bypass every IAM policy. Without MFA a password alone protects it.",
        remediation: "Enable MFA (a hardware key or passkey) on the root user.",
    },
    Rule {
        id: "IAM033",
        family: Credentials,
        title: "Active access key older than 90 days",
        severity: Medium,
        explanation: "Access keys do not expire. The longer one lives, the more places it has been copied to (laptops, CI, logs), and the longer a leaked copy works.",
        remediation: "Rotate the key (create a second, switch, deactivate and delete the first), or replace it with a role.",
    },
    Rule {
        id: "IAM034",
        family: Credentials,
        title: "Two active access keys",
        severity: Low,
        explanation: "A user may have two keys so that one can be rotated. Both active for long usually means a rotation was never finished, and the old key still works wherever it was left.",
        remediation: "Find which key is in use (last used), deactivate the other, then delete it.",
    },
    Rule {
        id: "IAM035",
        family: Credentials,
        title: "Active access key unused for 90 days or never used",
        severity: Medium,
        explanation: "An active key nobody uses is only a risk: if it leaks, nobody would notice its use.",
        remediation: "Deactivate the key, then delete it if nothing breaks.",
    },
    Rule {
        id: "IAM036",
        family: Credentials,
        title: "Console password unused for 90 days or never used",
        severity: Low,
        explanation: "A console password nobody uses can still be guessed or phished, and its use would stand out to nobody.",
        remediation: "Remove the user's console password (delete the login profile).",
    },
    Rule {
        id: "IAM040",
        family: UnusedAccess,
        title: "Role unused for 90 days",
        severity: Low,
        explanation: "IAM records when a role was last assumed (RoleLastUsed). A role nobody has used for months keeps its permissions and its trust: an attacker who can assume it gains access nobody watches.",
        remediation: "Delete the role, or remove its permissions, if nothing needs it.",
    },
    Rule {
        id: "IAM041",
        family: UnusedAccess,
        title: "User unused for 90 days",
        severity: Low,
        explanation: "The user has a password or active access keys, and none of them has been used for 90 days (or ever). Unused users keep their permissions and are a common way into accounts.",
        remediation: "Remove the user's password and access keys, or delete the user.",
    },
    Rule {
        id: "IAM050",
        family: PolicyValidation,
        title: "Policy AWS would reject",
        severity: Medium,
        explanation: "The document breaks IAM's grammar (an unknown element, a wrong Effect, an action that is not service:action, a bad condition value) or is longer than IAM's quota for its kind. AWS refuses such a document; in an export it means the document was changed or read wrongly, and iamscope does not let an invalid statement grant anything.",
        remediation: "Fix the document as the error says, then re-export.",
    },
    Rule {
        id: "IAM051",
        family: PolicyValidation,
        title: "Action not in the catalogue",
        severity: Low,
        explanation: "No AWS service has this action (or no action matches the pattern). It grants nothing: often a typo, so the permission meant is missing, or a Deny that protects nothing.",
        remediation: "Correct the action name (the action catalogue lists each service's actions).",
    },
    Rule {
        id: "IAM052",
        family: PolicyValidation,
        title: "Condition key unknown for the service",
        severity: Low,
        explanation: "The condition names a key that is neither an AWS global key nor a key of the statement's services. A key the request never carries makes a positive condition always false and a negated one always true.",
        remediation: "Use a key the service documents (the action catalogue lists them) or a global aws: key.",
    },
    Rule {
        id: "IAM053",
        family: PolicyValidation,
        title: "Condition operator does not fit the key's type",
        severity: Low,
        explanation: "Each condition key has a type (string, ARN, number, date, boolean, IP address, or a list of these). An operator of another type (Bool on a string key, a Date operator on an ARN) never matches as meant; a list key needs ForAnyValue or ForAllValues.",
        remediation: "Use an operator of the key's type (the action catalogue gives it).",
    },
    Rule {
        id: "IAM054",
        family: PolicyValidation,
        title: "Resource that no listed action can use",
        severity: Low,
        explanation: "Every action acts on some resource types (an S3 object, a bucket, or no ARN at all). A Resource that matches none of the listed actions' types grants nothing: the statement is dead or its ARN is wrong.",
        remediation: "Correct the ARN to the resource type the action takes (arn:aws:s3:::bucket/* for objects, arn:aws:s3:::bucket for the bucket).",
    },
    Rule {
        id: "IAM055",
        family: PolicyValidation,
        title: "Redundant or shadowed statement",
        severity: Low,
        explanation: "The statement repeats another one of the same document, or every request it allows is denied by an unconditional Deny of the same document. It does nothing, and it misleads whoever reads the policy.",
        remediation: "Remove the statement, or the Deny if it is the one that is wrong.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_ordered() {
        for w in RULES.windows(2) {
            assert!(w[0].id < w[1].id, "{} before {}", w[0].id, w[1].id);
        }
        assert!(RULES
            .iter()
            .all(|r| r.id.len() == 6 && r.id.starts_with("IAM")));
    }

    #[test]
    fn rule_lookup() {
        assert_eq!(rule("IAM004").map(|r| r.family), Some(Family::Trust));
        assert!(rule("IAM999").is_none());
    }
}
