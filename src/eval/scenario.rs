//! Self-contained evaluation scenarios (the `eval-cases.json` format) for `simulate`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::policy::{ActionName, PolicyDocument, PolicyError};

use super::{
    evaluate, Context, Decision, NamedPolicy, PolicySet, PrincipalFacts, Request, ResourceRule,
    Trace,
};

/// A context value: one string or a list.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum ContextValue {
    /// One value.
    One(String),
    /// Several values.
    Many(Vec<String>),
    /// Declared absent (`null`).
    Absent(()),
}

/// The request part of a scenario.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioRequest {
    /// Principal ARN or service / provider name.
    pub principal: String,
    /// The principal's account (null for services and federated callers).
    #[serde(default)]
    pub principal_account: Option<String>,
    /// Action.
    pub action: String,
    /// Resource ARN.
    pub resource: String,
    /// The resource's account.
    #[serde(default)]
    pub resource_account: Option<String>,
    /// Context keys.
    #[serde(default)]
    pub context: serde_json::Map<String, Value>,
}

fn yes() -> bool {
    true
}

/// One scenario: a request and every policy that applies, with the expected outcome.
/// Unknown fields are refused (a misspelt `permission_boundary` would otherwise be
/// silently ignored).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Unique name.
    #[serde(default)]
    pub name: String,
    /// The area of IAM the scenario exercises (free text).
    #[serde(default)]
    pub area: Option<String>,
    /// What the scenario shows (free text).
    #[serde(default)]
    pub description: Option<String>,
    /// Why the expected decision holds, with its AWS source (free text).
    #[serde(default)]
    pub why: Option<String>,
    /// The organization's management account, when the scenario's principal or resource
    /// may be in it (SCPs never apply to its principals, RCPs never to its resources).
    #[serde(default)]
    pub management_account: Option<String>,
    /// The request.
    pub request: ScenarioRequest,
    /// When true, keys missing from the context are absent; otherwise unknown.
    #[serde(default = "yes")]
    pub context_complete: bool,
    /// Identity-based policies.
    #[serde(default)]
    pub identity_policies: Vec<Value>,
    /// Permissions boundary.
    #[serde(default)]
    pub permissions_boundary: Option<Value>,
    /// Session policies.
    #[serde(default)]
    pub session_policies: Vec<Value>,
    /// SCPs by level, root first.
    #[serde(default)]
    pub scps: Vec<Vec<Value>>,
    /// RCPs by level, root first.
    #[serde(default)]
    pub rcps: Vec<Vec<Value>>,
    /// Resource-based policy (trust policy for `sts:AssumeRole*`).
    #[serde(default)]
    pub resource_policy: Option<Value>,
    /// Expected decision name, if any.
    #[serde(default)]
    pub expected: Option<String>,
    /// Expected missing keys of a Conditional.
    #[serde(default)]
    pub expected_missing_keys: Option<Vec<String>>,
}

/// The outcome of running one scenario.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioResult {
    /// The scenario's name.
    pub name: String,
    /// `Allow`, `ExplicitDeny`, `ImplicitDeny` or `Conditional`.
    pub decision: String,
    /// Keys that decide a Conditional.
    pub missing_keys: Vec<String>,
    /// Other unknowns that decide a Conditional (invalid statements, missing policies).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// The steps.
    pub trace: Trace,
    /// The full decision.
    #[serde(skip)]
    pub full: Decision,
}

/// True for the actions whose resource policy is the role's trust policy.
pub fn is_trust_action(action: &ActionName) -> bool {
    action.service() == "sts"
        && matches!(
            action.name(),
            "assumerole"
                | "assumerolewithwebidentity"
                | "assumerolewithsaml"
                | "tagsession"
                | "setsourceidentity"
                | "setcontext"
        )
}

/// True for web-identity and SAML calls, whose caller is an identity provider.
pub fn is_federated_action(action: &ActionName) -> bool {
    action.service() == "sts"
        && matches!(
            action.name(),
            "assumerolewithwebidentity" | "assumerolewithsaml"
        )
}

fn parse(v: &Value) -> Result<PolicyDocument, PolicyError> {
    PolicyDocument::from_json(v)
}

/// Runs one scenario; the policies are compiled here, invalid ones are skipped and noted.
pub fn run(s: &Scenario) -> ScenarioResult {
    let action = ActionName::new(&s.request.action);
    let mut facts = PrincipalFacts::from_arn(&s.request.principal, is_federated_action(&action));
    if let Some(a) = &s.request.principal_account {
        if facts.caller.is_iam() {
            facts.caller.account = Some(a.clone());
        }
    }
    let mut context = Context::new(s.context_complete);
    for (k, v) in &s.request.context {
        match v {
            Value::String(x) => context.set(k, vec![x.clone()]),
            Value::Array(xs) => context.set(
                k,
                xs.iter()
                    .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                    .collect(),
            ),
            Value::Null => context.set_absent(k),
            other => context.set(k, vec![other.to_string()]),
        }
    }
    let compile =
        |prefix: &str, vs: &[Value]| -> Vec<(String, Result<PolicyDocument, PolicyError>)> {
            vs.iter()
                .enumerate()
                .map(|(i, v)| (format!("{prefix}[{i}]"), parse(v)))
                .collect()
        };
    let identity = compile("identity", &s.identity_policies);
    let session = compile("session", &s.session_policies);
    let boundary = s
        .permissions_boundary
        .as_ref()
        .map(|v| ("boundary".to_string(), parse(v)));
    let resource = s
        .resource_policy
        .as_ref()
        .map(|v| ("resource".to_string(), parse(v)));
    let scps: Vec<_> = s
        .scps
        .iter()
        .enumerate()
        .map(|(l, ps)| compile(&format!("scp{l}"), ps))
        .collect();
    let rcps: Vec<_> = s
        .rcps
        .iter()
        .enumerate()
        .map(|(l, ps)| compile(&format!("rcp{l}"), ps))
        .collect();
    fn named(v: &[(String, Result<PolicyDocument, PolicyError>)]) -> Vec<NamedPolicy<'_>> {
        v.iter()
            .map(|(n, r)| NamedPolicy::from_result(n.as_str(), r))
            .collect()
    }
    let identity_n = named(&identity);
    let session_n = named(&session);
    let boundary_n = boundary
        .as_ref()
        .map(|(n, r)| NamedPolicy::from_result(n.as_str(), r));
    let resource_n = resource
        .as_ref()
        .map(|(n, r)| NamedPolicy::from_result(n.as_str(), r));
    let scps_n: Vec<_> = scps.iter().map(|l| named(l)).collect();
    let rcps_n: Vec<_> = rcps.iter().map(|l| named(l)).collect();
    let rule = if is_trust_action(&action) {
        ResourceRule::Trust
    } else if action.service() == "kms" && s.request.resource.contains(":key/") {
        ResourceRule::KeyPolicy
    } else {
        ResourceRule::Optional
    };
    let req_resource_account = s.request.resource_account.as_deref().or(facts.account());
    let set = PolicySet {
        identity: &identity_n,
        boundary: boundary_n.as_ref(),
        session: &session_n,
        scp_levels: &scps_n,
        rcp_levels: &rcps_n,
        resource: resource_n.as_ref(),
        resource_rule: rule,
        resource_unknown: (rule == ResourceRule::KeyPolicy && resource_n.is_none())
            .then_some("the scenario gives no key policy: it is unknown"),
        identity_unknown: None,
        principal_is_management: s.management_account.is_some()
            && facts.account() == s.management_account.as_deref(),
        resource_is_management: s.management_account.is_some()
            && req_resource_account == s.management_account.as_deref(),
    };
    let req = Request {
        principal: &facts,
        action: &action,
        resource: &s.request.resource,
        resource_account: s.request.resource_account.as_deref(),
        context: &context,
    };
    let mut trace = Trace::default();
    let decision = evaluate(&set, &req, Some(&mut trace));
    ScenarioResult {
        name: s.name.clone(),
        decision: decision.name().to_string(),
        missing_keys: decision.missing_keys().to_vec(),
        reasons: decision.reasons().to_vec(),
        trace,
        full: decision,
    }
}

/// Why a scenario file could not be read: where (JSON path, line:column) and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path} (line {line}, column {column}): {message}")]
pub struct ScenarioError {
    /// The JSON path of the offending value (`[3].request.principal`), `.` for the top.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong, from the parser.
    pub message: String,
}

/// Reads one scenario object or an array of them; unknown fields are errors.
pub fn parse_scenarios(text: &str) -> Result<Vec<Scenario>, ScenarioError> {
    fn read<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ScenarioError> {
        let error = |path: String, inner: serde_json::Error| ScenarioError {
            path,
            line: inner.line(),
            column: inner.column(),
            message: strip_position(&inner.to_string()),
        };
        let mut de = serde_json::Deserializer::from_str(text);
        let value: T = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| error(e.path().to_string(), e.into_inner()))?;
        de.end().map_err(|e| error(".".into(), e))?;
        Ok(value)
    }
    if text.trim_start().starts_with('[') {
        read(text)
    } else {
        read::<Scenario>(text).map(|s| vec![s])
    }
}

/// serde_json's message without its trailing " at line L column C" (we print our own).
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}
