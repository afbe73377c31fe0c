//! `Principal` / `NotPrincipal`: the forms they take and how a caller matches them.

use serde::Serialize;

use super::error::PolicyError;
use super::resource::split_fields;

/// The fields of an ARN: partition, service, region, account, resource; and the last
/// `/`-separated part of the resource (the entity name).
struct ArnParts<'a> {
    partition: &'a str,
    service: &'a str,
    account: &'a str,
    resource: &'a str,
}

impl<'a> ArnParts<'a> {
    fn parse(text: &'a str) -> Option<ArnParts<'a>> {
        let f = split_fields(text, false)?;
        (f[0] == "arn").then(|| ArnParts {
            partition: f[1],
            service: f[2],
            account: f[4],
            resource: f[5],
        })
    }
    fn name(&self) -> &'a str {
        self.resource.rsplit('/').next().unwrap_or(self.resource)
    }
}

/// What kind of caller makes a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CallerKind {
    /// An IAM user.
    User,
    /// A session of a role (`arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`).
    RoleSession,
    /// Some session of a role, session name not given (a role ARN as the principal).
    Role,
    /// An STS federated user session (`arn:aws:sts::ACCT:federated-user/NAME`).
    FederatedUser,
    /// The account's root user.
    Root,
    /// An AWS service principal such as `ec2.amazonaws.com`.
    Service,
    /// A web-identity or SAML caller, named by its provider.
    Federated,
    /// An unauthenticated caller.
    Anonymous,
}

/// The caller of a request, as principal matching needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Caller {
    /// Kind of caller.
    pub kind: CallerKind,
    /// The caller's ARN as given (user, session or role ARN), or the service or provider name.
    pub arn: String,
    /// The caller's account, for IAM principals.
    pub account: Option<String>,
    /// For roles and role sessions: the role's name.
    pub role_name: Option<String>,
    /// For roles and role sessions: the role's ARN (without path when derived from a session).
    pub role_arn: Option<String>,
}

impl Caller {
    /// Reads a principal from its ARN or name. `federated` says the action is a
    /// web-identity or SAML call, where a non-ARN name is an identity provider.
    pub fn from_arn(text: &str, federated: bool) -> Caller {
        let mut c = Caller {
            kind: CallerKind::Anonymous,
            arn: text.to_string(),
            account: None,
            role_name: None,
            role_arn: None,
        };
        if text.is_empty() || text == "*" || text.eq_ignore_ascii_case("anonymous") {
            return c;
        }
        if text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()) {
            c.kind = CallerKind::Root;
            c.account = Some(text.to_string());
            c.arn = format!("arn:aws:iam::{text}:root");
            return c;
        }
        let Some(arn) = ArnParts::parse(text) else {
            c.kind = if federated || !text.contains(".amazonaws.com") {
                CallerKind::Federated
            } else {
                CallerKind::Service
            };
            return c;
        };
        let account = arn.account.to_string();
        let res = arn.resource;
        c.account = Some(account.clone());
        match (arn.service, res) {
            ("iam", "root") => c.kind = CallerKind::Root,
            ("iam", r) if r.starts_with("user/") => c.kind = CallerKind::User,
            ("iam", r) if r.starts_with("role/") => {
                c.kind = CallerKind::Role;
                c.role_name = Some(arn.name().to_string());
                c.role_arn = Some(text.to_string());
            }
            ("iam", r) if r.starts_with("oidc-provider/") || r.starts_with("saml-provider/") => {
                c.kind = CallerKind::Federated;
                c.account = None;
            }
            ("sts", r) if r.starts_with("assumed-role/") => {
                c.kind = CallerKind::RoleSession;
                let mut it = r.split('/');
                let role = it.nth(1).unwrap_or_default().to_string();
                c.role_arn = Some(format!("arn:{}:iam::{account}:role/{role}", arn.partition));
                c.role_name = Some(role);
            }
            ("sts", r) if r.starts_with("federated-user/") => c.kind = CallerKind::FederatedUser,
            _ => c.kind = CallerKind::User,
        }
        c
    }

    /// True for callers that are IAM principals of some account.
    pub fn is_iam(&self) -> bool {
        matches!(
            self.kind,
            CallerKind::User
                | CallerKind::RoleSession
                | CallerKind::Role
                | CallerKind::FederatedUser
                | CallerKind::Root
        )
    }

    /// The value of `aws:PrincipalType`.
    pub fn principal_type(&self) -> &'static str {
        match self.kind {
            CallerKind::User => "User",
            CallerKind::RoleSession | CallerKind::Role => "AssumedRole",
            CallerKind::FederatedUser => "FederatedUser",
            CallerKind::Root => "Account",
            CallerKind::Service => "Service",
            CallerKind::Federated => "WebIdentityUser",
            CallerKind::Anonymous => "Anonymous",
        }
    }

    /// The value of `aws:PrincipalArn`: the role ARN for sessions.
    pub fn principal_arn(&self) -> &str {
        self.role_arn.as_deref().unwrap_or(&self.arn)
    }
}

/// One value of a `Principal`/`NotPrincipal` element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PrincipalEntry {
    /// `"*"` or `{"AWS": "*"}`: everyone.
    Any,
    /// An account id or `arn:…:root`: every principal of the account (delegation).
    Account(String),
    /// An IAM user ARN.
    User(String),
    /// A role ARN: the role's sessions.
    Role {
        /// The role's account.
        account: String,
        /// The role's name.
        name: String,
    },
    /// An assumed-role session ARN.
    Session(String),
    /// An STS federated-user ARN.
    FederatedUser(String),
    /// Another ARN or id, compared exactly.
    Other(String),
    /// `{"Service": …}`.
    Service(String),
    /// `{"Federated": …}`.
    Federated(String),
    /// `{"CanonicalUser": …}` (S3); never matches IAM callers.
    CanonicalUser(String),
}

/// How a principal entry matched a caller; decides what a resource-policy Allow grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum PrincipalMatch {
    /// Named the account: delegates to the account's identity policies.
    Account,
    /// Named the role ARN: allowed, still limited by boundary and session policies.
    Role,
    /// Named the user, the session, the service, the provider, or `*`.
    Direct,
}

/// A compiled `Principal` or `NotPrincipal` element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrincipalSpec {
    /// True for `NotPrincipal`.
    pub negated: bool,
    /// The listed entries.
    pub entries: Vec<PrincipalEntry>,
}

impl PrincipalEntry {
    fn parse_aws(v: &str) -> PrincipalEntry {
        if v == "*" {
            return PrincipalEntry::Any;
        }
        if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
            return PrincipalEntry::Account(v.to_string());
        }
        let Some(arn) = ArnParts::parse(v) else {
            return PrincipalEntry::Other(v.to_string());
        };
        let r = arn.resource;
        match arn.service {
            "iam" if r == "root" => PrincipalEntry::Account(arn.account.to_string()),
            "iam" if r.starts_with("user/") => PrincipalEntry::User(v.to_string()),
            "iam" if r.starts_with("role/") => PrincipalEntry::Role {
                account: arn.account.to_string(),
                name: arn.name().to_string(),
            },
            "sts" if r.starts_with("assumed-role/") => PrincipalEntry::Session(v.to_string()),
            "sts" if r.starts_with("federated-user/") => {
                PrincipalEntry::FederatedUser(v.to_string())
            }
            _ => PrincipalEntry::Other(v.to_string()),
        }
    }

    /// How this entry matches `caller`; `for_not`: the NotPrincipal reading, where a
    /// role ARN does not cover the role's sessions (AWS asks to list both).
    pub fn matches(&self, caller: &Caller, for_not: bool) -> Option<PrincipalMatch> {
        use CallerKind as K;
        let hit = |b: bool, m: PrincipalMatch| b.then_some(m);
        match self {
            PrincipalEntry::Any => Some(PrincipalMatch::Direct),
            // In NotPrincipal an account keeps only the account principal itself out
            // of the Deny, not its users and roles ("AWS JSON policy elements:
            // NotPrincipal": AWS checks the account, then the user).
            PrincipalEntry::Account(a) if for_not => hit(
                caller.kind == K::Root && caller.account.as_deref() == Some(a),
                PrincipalMatch::Direct,
            ),
            PrincipalEntry::Account(a) => {
                if caller.is_iam() && caller.account.as_deref() == Some(a) {
                    if caller.kind == K::Root {
                        Some(PrincipalMatch::Direct)
                    } else {
                        Some(PrincipalMatch::Account)
                    }
                } else {
                    None
                }
            }
            PrincipalEntry::User(arn) => hit(
                caller.kind == K::User && caller.arn == *arn,
                PrincipalMatch::Direct,
            ),
            PrincipalEntry::Role { account, name } => {
                let kind_ok = if for_not {
                    caller.kind == K::Role
                } else {
                    matches!(caller.kind, K::Role | K::RoleSession)
                };
                hit(
                    kind_ok
                        && caller.account.as_deref() == Some(account)
                        && caller.role_name.as_deref() == Some(name),
                    PrincipalMatch::Role,
                )
            }
            PrincipalEntry::Session(arn) => hit(
                caller.kind == K::RoleSession && caller.arn == *arn,
                PrincipalMatch::Direct,
            ),
            PrincipalEntry::FederatedUser(arn) => hit(
                caller.kind == K::FederatedUser && caller.arn == *arn,
                PrincipalMatch::Direct,
            ),
            PrincipalEntry::Other(v) => hit(caller.arn == *v, PrincipalMatch::Direct),
            PrincipalEntry::Service(s) => hit(
                caller.kind == K::Service && (s == "*" || caller.arn.eq_ignore_ascii_case(s)),
                PrincipalMatch::Direct,
            ),
            PrincipalEntry::Federated(s) => hit(
                caller.kind == K::Federated && caller.arn == *s,
                PrincipalMatch::Direct,
            ),
            PrincipalEntry::CanonicalUser(_) => None,
        }
    }
}

impl PrincipalSpec {
    /// Parses a `Principal`/`NotPrincipal` value at JSON path `path`.
    pub fn parse(
        value: &serde_json::Value,
        negated: bool,
        path: &str,
    ) -> Result<PrincipalSpec, PolicyError> {
        let mut entries = Vec::new();
        match value {
            serde_json::Value::String(s) if s == "*" => entries.push(PrincipalEntry::Any),
            serde_json::Value::String(_) => {
                return Err(PolicyError::new(
                    path,
                    "a principal must be \"*\" or an object such as {\"AWS\": …}",
                ))
            }
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    let p = format!("{path}.{k}");
                    let values = super::document::string_list(v, &p)?;
                    for s in values {
                        entries.push(match k.as_str() {
                            "AWS" => PrincipalEntry::parse_aws(&s),
                            "Service" => PrincipalEntry::Service(s),
                            "Federated" => PrincipalEntry::Federated(s),
                            "CanonicalUser" => PrincipalEntry::CanonicalUser(s),
                            _ => {
                                return Err(PolicyError::new(
                                    p,
                                    "unknown principal type (expected AWS, Service, Federated or CanonicalUser)",
                                ))
                            }
                        });
                    }
                }
            }
            _ => {
                return Err(PolicyError::new(
                    path,
                    "a principal must be \"*\" or an object",
                ))
            }
        }
        Ok(PrincipalSpec { negated, entries })
    }

    /// How the element matches `caller`: `None` when it does not apply. For
    /// `NotPrincipal`, a caller not listed matches as [`PrincipalMatch::Direct`];
    /// `has_boundary` makes a NotPrincipal-Deny match always (AWS's documented quirk).
    pub fn matches(
        &self,
        caller: &Caller,
        deny: bool,
        has_boundary: bool,
    ) -> Option<PrincipalMatch> {
        if self.negated {
            if deny && has_boundary && caller.is_iam() {
                return Some(PrincipalMatch::Direct);
            }
            let listed = self
                .entries
                .iter()
                .any(|e| e.matches(caller, true).is_some());
            (!listed).then_some(PrincipalMatch::Direct)
        } else {
            self.entries
                .iter()
                .filter_map(|e| e.matches(caller, false))
                .max()
        }
    }
}
