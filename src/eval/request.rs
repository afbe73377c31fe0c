//! A request: who, what action, on which resource, with which context.

use crate::policy::{ActionName, Caller, CallerKind, KeyLookup, KeyValues};

use super::Context;

/// What iamscope knows about the caller beyond its ARN, for the context keys it derives
/// itself (`aws:username`, `aws:userid`, `aws:PrincipalTag/*`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalFacts {
    /// The caller, for principal matching.
    pub caller: Caller,
    /// `aws:username` (IAM users only).
    pub username: Option<String>,
    /// `aws:userid`, when known.
    pub userid: Option<String>,
    /// `aws:PrincipalTag/*` (keys lower-cased); `None` when the tags are not known.
    pub tags: Option<Vec<(String, String)>>,
    /// A service-linked role (never limited by SCPs or RCPs).
    pub service_linked: bool,
    /// `aws:PrincipalOrgID`, when Organizations data is present.
    pub org_id: Option<String>,
}

impl PrincipalFacts {
    /// Facts derived from the principal's ARN or name alone; `federated`: the action is a
    /// web-identity or SAML call.
    pub fn from_arn(text: &str, federated: bool) -> PrincipalFacts {
        let caller = Caller::from_arn(text, federated);
        let username = (caller.kind == CallerKind::User).then(|| {
            caller
                .arn
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string()
        });
        let service_linked =
            caller.kind == CallerKind::Role && caller.arn.contains(":role/aws-service-role/");
        PrincipalFacts {
            caller,
            username,
            userid: None,
            tags: None,
            service_linked,
            org_id: None,
        }
    }

    /// The principal's account, for IAM principals.
    pub fn account(&self) -> Option<&str> {
        self.caller.account.as_deref()
    }
}

/// One request to decide. Borrowed throughout, so a who-can query builds the action,
/// resource and context once and only swaps the principal.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// Who.
    pub principal: &'a PrincipalFacts,
    /// The action, lower-cased and split.
    pub action: &'a ActionName,
    /// The resource ARN (or `*`).
    pub resource: &'a str,
    /// The resource's account; `None` means the principal's account.
    pub resource_account: Option<&'a str>,
    /// The context keys the user supplied.
    pub context: &'a Context,
}

impl<'a> Request<'a> {
    /// The resource's account, defaulting to the principal's.
    pub fn resource_account(&self) -> Option<&'a str> {
        self.resource_account
            .or(self.principal.caller.account.as_deref())
    }
}

/// Context lookup for a request: the user's keys first, then the keys iamscope derives
/// from the principal, then absent or unknown as the context says.
pub struct RequestKeys<'r, 'a> {
    /// The request.
    pub request: &'r Request<'a>,
}

/// Keys that [`RequestKeys`] may derive from the principal when the user's context does
/// not give them. A lookup of any other key depends on the query alone.
const DERIVED_KEYS: &[&str] = &[
    "aws:username",
    "aws:userid",
    "aws:principalarn",
    "aws:principalaccount",
    "aws:principaltype",
    "aws:principalisawsservice",
    "aws:principalservicename",
    "aws:resourceaccount",
    "aws:principalorgid",
    "kms:calleraccount",
];

/// Whether `key_lower` may be derived from the principal (so its value can differ from
/// one principal to the next for the same query).
pub(crate) fn may_derive(key_lower: &str) -> bool {
    DERIVED_KEYS.contains(&key_lower) || key_lower.starts_with("aws:principaltag/")
}

/// The value iamscope derives for `key` from the request's principal; `None` when it
/// derives none (then the context's completeness decides).
fn derived<'r>(req: &'r Request<'_>, key: &str) -> Option<KeyValues<'r>> {
    if !may_derive(key) {
        return None;
    }
    let facts = req.principal;
    let caller = &facts.caller;
    let iam = caller.is_iam();
    match key {
        "aws:username" if iam => Some(match &facts.username {
            Some(u) => KeyValues::One(u),
            None => KeyValues::Absent,
        }),
        "aws:userid" => facts.userid.as_deref().map(KeyValues::One),
        "aws:principalarn" if iam => Some(KeyValues::One(caller.principal_arn())),
        "aws:principalaccount" if iam => caller.account.as_deref().map(KeyValues::One),
        "aws:principaltype" => Some(KeyValues::One(caller.principal_type())),
        "aws:principalisawsservice" => {
            Some(KeyValues::One(if caller.kind == CallerKind::Service {
                "true"
            } else {
                "false"
            }))
        }
        "aws:principalservicename" if caller.kind == CallerKind::Service => {
            Some(KeyValues::One(&caller.arn))
        }
        "aws:resourceaccount" => req.resource_account().map(KeyValues::One),
        "aws:principalorgid" => facts.org_id.as_deref().map(KeyValues::One),
        // AWS KMS sets kms:CallerAccount on every KMS request from an IAM principal.
        "kms:calleraccount" if iam && req.action.service() == "kms" => {
            caller.account.as_deref().map(KeyValues::One)
        }
        _ => match (key.strip_prefix("aws:principaltag/"), &facts.tags) {
            (Some(tag), Some(tags)) => Some(
                tags.iter()
                    .find(|(k, _)| k == tag)
                    .map_or(KeyValues::Absent, |(_, v)| KeyValues::One(v)),
            ),
            _ => None,
        },
    }
}

impl KeyLookup for RequestKeys<'_, '_> {
    fn lookup(&self, key: &str) -> KeyValues<'_> {
        let req = self.request;
        if let Some(v) = req.context.get(key) {
            return v;
        }
        match derived(req, key) {
            Some(v) => v,
            None if req.context.is_complete() => KeyValues::Absent,
            None => KeyValues::Unknown,
        }
    }
}

/// Context lookup for a query without its principal: what [`RequestKeys`] answers for
/// every key it does not derive from the principal. Looking up a key it may derive sets
/// `principal_dependent` (and answers Unknown): the caller must then not reuse the
/// outcome for other principals.
pub(crate) struct QueryKeys<'c> {
    pub(crate) context: &'c Context,
    pub(crate) principal_dependent: std::cell::Cell<bool>,
}

impl KeyLookup for QueryKeys<'_> {
    fn lookup(&self, key: &str) -> KeyValues<'_> {
        if let Some(v) = self.context.get(key) {
            return v;
        }
        if may_derive(key) {
            self.principal_dependent.set(true);
            return KeyValues::Unknown;
        }
        if self.context.is_complete() {
            KeyValues::Absent
        } else {
            KeyValues::Unknown
        }
    }
}
