//! The policy grammar: documents, statements, and their compiled elements.

use std::cell::OnceCell;

use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::Value as J;

use super::action::{ActionName, ActionPattern, ServiceFilter};
use super::condition::{parse_block, Condition};
use super::error::PolicyError;
use super::keys::{KeyLookup, Unknowns};
use super::listed::{ListedActions, ListedMemo};
use super::principal::{Caller, PrincipalMatch, PrincipalSpec};
use super::resource::ResourcePattern;
use super::tri::Tri;

/// The policy language version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Version {
    /// `2012-10-17`: policy variables are substituted.
    V2012,
    /// `2008-10-17` or missing: `${…}` is literal text.
    V2008,
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Effect {
    /// Grants, if nothing denies.
    Allow,
    /// Denies; wins over every Allow.
    Deny,
}

/// `Action` or `NotAction` (or neither, which matches nothing).
#[derive(Debug, Clone)]
pub struct ActionSpec {
    /// True for `NotAction`.
    pub negated: bool,
    /// The patterns.
    pub patterns: Box<[ActionPattern]>,
    /// The services the patterns can name (made from them: see [`ActionSpec::new`]).
    services: ServiceFilter,
}

impl ActionSpec {
    /// `Action` (or `NotAction` when `negated`) listing `patterns`.
    pub fn new(negated: bool, patterns: Box<[ActionPattern]>) -> ActionSpec {
        let services = ServiceFilter::of(&patterns);
        ActionSpec {
            negated,
            patterns,
            services,
        }
    }

    /// Whether some pattern matches `action` (whatever `negated` says).
    pub fn lists(&self, action: &ActionName) -> bool {
        self.services.may_match(action) && self.patterns.iter().any(|p| p.matches(action))
    }
}

/// `Resource` or `NotResource`.
#[derive(Debug, Clone)]
pub struct ResourceSpec {
    /// True for `NotResource`.
    pub negated: bool,
    /// The patterns.
    pub patterns: Box<[ResourcePattern]>,
}

/// One compiled statement.
#[derive(Debug, Clone)]
pub struct Statement {
    /// Position in the document's `Statement` array (0-based), invalid ones counted.
    pub index: usize,
    /// `Sid`, if any.
    pub sid: Option<String>,
    /// Effect.
    pub effect: Effect,
    /// Action or NotAction.
    pub action: ActionSpec,
    /// Resource or NotResource; `None` (trust policies) matches any resource.
    pub resource: Option<ResourceSpec>,
    /// Principal or NotPrincipal; `None` in identity policies and SCPs (boxed: most
    /// statements have none).
    pub principal: Option<Box<PrincipalSpec>>,
    /// Conditions, all of which must hold.
    pub conditions: Box<[Condition]>,
}

/// The request as one statement sees it.
#[derive(Debug, Clone, Copy)]
pub struct StatementInput<'a> {
    /// The action.
    pub action: &'a ActionName,
    /// The resource ARN.
    pub resource: &'a str,
    /// The caller.
    pub caller: &'a Caller,
    /// Whether the caller has a permissions boundary (NotPrincipal-Deny quirk).
    pub has_boundary: bool,
}

/// Which element of a statement failed to match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Mismatch {
    /// Action/NotAction.
    Action,
    /// Resource/NotResource.
    Resource,
    /// Principal/NotPrincipal.
    Principal,
    /// The condition at this index was false.
    Condition(usize),
}

/// How one statement applies to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementMatch {
    /// Matched, not matched, or depends on unknown keys.
    pub result: Tri,
    /// How the Principal element matched (resource-based policies).
    pub principal: Option<PrincipalMatch>,
    /// What failed, when `result` is False.
    pub mismatch: Option<Mismatch>,
    /// Index of the first condition that was Unknown, when `result` is Unknown.
    pub unknown_condition: Option<usize>,
}

impl StatementMatch {
    /// Not matched, because of `mismatch`.
    fn failed(mismatch: Mismatch) -> StatementMatch {
        StatementMatch {
            result: Tri::False,
            principal: None,
            mismatch: Some(mismatch),
            unknown_condition: None,
        }
    }
}

impl Statement {
    /// Whether `Action` covers `action` (or `NotAction` does not list it).
    pub fn action_matches(&self, action: &ActionName) -> bool {
        self.action.lists(action) != self.action.negated
    }

    /// Matches this statement against a request; pushes unknown keys onto `unknown`
    /// (only when the result is Unknown).
    pub fn evaluate(
        &self,
        input: &StatementInput<'_>,
        keys: &dyn KeyLookup,
        unknown: &mut Vec<String>,
    ) -> StatementMatch {
        self.evaluate_into(
            input,
            &OnceCell::new(),
            keys,
            &mut Unknowns(Some(unknown)),
            false,
        )
    }

    /// [`Statement::evaluate`], recording unknown keys into `unknown` (maybe nowhere);
    /// `split`: the resource's ARN fields, computed once per request when needed.
    /// `action_known`: the statement is known to match the request's action (a query
    /// plan lists only such statements), so its Action is not matched again.
    pub(crate) fn evaluate_into<'r>(
        &self,
        input: &StatementInput<'r>,
        split: &OnceCell<Option<[&'r str; 6]>>,
        keys: &dyn KeyLookup,
        unknown: &mut Unknowns<'_>,
        action_known: bool,
    ) -> StatementMatch {
        if !action_known && !self.action_matches(input.action) {
            return StatementMatch::failed(Mismatch::Action);
        }
        let no = StatementMatch::failed;
        let mark = unknown.mark();
        let mut result = Tri::True;
        if let Some(spec) = &self.resource {
            let mut any = Tri::False;
            for p in &spec.patterns {
                let (r, key) = p.matches_ref(input.resource, split, keys);
                if r == Tri::Unknown {
                    if let Some(k) = key {
                        unknown.push(k);
                    }
                }
                any = any.or(r);
                if any == Tri::True {
                    break;
                }
            }
            let r = if spec.negated { any.not() } else { any };
            if r == Tri::False {
                unknown.truncate(mark);
                return no(Mismatch::Resource);
            }
            result = r;
        }
        let principal = match &self.principal {
            Some(spec) => match spec.matches(
                input.caller,
                self.effect == Effect::Deny,
                input.has_boundary,
            ) {
                Some(m) => Some(m),
                None => {
                    unknown.truncate(mark);
                    return no(Mismatch::Principal);
                }
            },
            None => None,
        };
        let mut unknown_condition = None;
        for (i, c) in self.conditions.iter().enumerate() {
            match c.evaluate_into(keys, unknown) {
                Tri::True => {}
                Tri::False => {
                    unknown.truncate(mark);
                    return no(Mismatch::Condition(i));
                }
                Tri::Unknown => {
                    unknown_condition.get_or_insert(i);
                    result = Tri::Unknown;
                }
            }
        }
        if result == Tri::True {
            unknown.truncate(mark);
        }
        StatementMatch {
            result,
            principal,
            mismatch: None,
            unknown_condition,
        }
    }
}

/// A statement that did not compile. It never grants; the evaluator still asks
/// whether it might have denied (see [`InvalidStatement::might_deny`]), so an invalid
/// statement can never hide a Deny.
#[derive(Debug, Clone)]
pub struct InvalidStatement {
    /// Position in the document's `Statement` array (0-based).
    pub index: usize,
    /// `Sid`, when it could be read.
    pub sid: Option<String>,
    /// Why it is invalid.
    pub error: PolicyError,
    /// The Effect, when it is exactly `Allow` or `Deny`.
    pub effect: Option<Effect>,
    /// Action/NotAction, when they compiled: `None` means it might cover any action.
    pub action: Option<ActionSpec>,
    /// Resource/NotResource, when present: `None` means it might cover any resource.
    pub resource: Option<ResourceSpec>,
}

impl InvalidStatement {
    /// True unless the statement is a clean `Allow` (its Effect read exactly `Allow`):
    /// a Deny, or an Effect that cannot be read, might deny.
    pub fn might_deny(&self) -> bool {
        self.effect != Some(Effect::Allow)
    }

    /// Whether the statement could apply to `action` (its Action did not compile: yes).
    pub fn could_cover_action(&self, action: &ActionName) -> bool {
        self.action.as_ref().is_none_or(|spec| {
            let hit = spec.patterns.iter().any(|p| p.matches(action));
            hit != spec.negated
        })
    }

    /// A one-line description for traces and decisions.
    pub fn describe(&self, policy: &str) -> String {
        let sid = self
            .sid
            .as_deref()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        format!(
            "{policy} statement #{}{sid} is invalid ({})",
            self.index, self.error
        )
    }
}

/// A parsed and compiled IAM policy document.
#[derive(Debug, Clone)]
pub struct PolicyDocument {
    /// The language version.
    pub version: Version,
    /// `Id`, if any.
    pub id: Option<String>,
    /// The statements that compiled, in document order.
    pub statements: Vec<Statement>,
    /// The statements that did not compile (AWS would reject the document).
    pub invalid: Vec<InvalidStatement>,
    /// The catalogue actions of each statement, once asked for.
    listed: ListedMemo,
}

/// Reads a string-or-list-of-strings value.
pub(crate) fn string_list(v: &J, path: &str) -> Result<Vec<String>, PolicyError> {
    match v {
        J::String(s) => Ok(vec![s.clone()]),
        J::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, x)| match x {
                J::String(s) => Ok(s.clone()),
                _ => Err(PolicyError::new(format!("{path}[{i}]"), "must be a string")),
            })
            .collect(),
        _ => Err(PolicyError::new(
            path,
            "must be a string or an array of strings",
        )),
    }
}

impl PolicyDocument {
    /// Parses and compiles a policy document from its JSON text. Statements are
    /// compiled one by one: those that do not compile are kept in
    /// [`PolicyDocument::invalid`]; only a document that cannot be read at all (not
    /// JSON, no `Statement`, a bad `Version`, an unknown top-level element) is an error.
    /// Repeated keys make their statement invalid (AWS rejects them).
    pub fn parse(text: &str) -> Result<PolicyDocument, PolicyError> {
        Self::compile(text, true)
    }

    /// What [`PolicyDocument::parse`] would report, without keeping the compiled
    /// statements (each is dropped once compiled): the statements that do not compile,
    /// or why the document cannot be read at all.
    pub fn check(text: &str) -> Result<Vec<InvalidStatement>, PolicyError> {
        Self::compile(text, false).map(|doc| doc.invalid)
    }

    /// [`PolicyDocument::parse`]; with `keep` false, the compiled statements are dropped.
    fn compile(text: &str, keep: bool) -> Result<PolicyDocument, PolicyError> {
        let not_json = |e: String| PolicyError::new("", format!("not valid JSON: {e}"));
        let mut members = super::stream::object_members(text)
            .map_err(not_json)?
            .ok_or_else(|| PolicyError::new("", "a policy document must be a JSON object"))?;
        if let Some(name) = first_repeated(&members) {
            return Err(PolicyError::new(
                name,
                "repeated key (AWS rejects a document with duplicate keys)",
            ));
        }
        // The same order of checks as a `serde_json::Map` (sorted keys) gives.
        members.sort_by(|a, b| a.0.cmp(&b.0));
        let mut version = Version::V2008;
        let mut id = None;
        let mut statement = None;
        for (k, raw) in &members {
            match k.as_str() {
                "Version" => version = parse_version(&json_string(raw))?,
                "Id" => {
                    id = Some(
                        json_string(raw)
                            .ok_or_else(|| PolicyError::new("Id", "must be a string"))?,
                    )
                }
                "Statement" => statement = Some(*raw),
                other => return Err(PolicyError::new(other, "unknown top-level element")),
            }
        }
        let statement = statement.ok_or_else(|| PolicyError::new("Statement", "missing"))?;
        let vars = version == Version::V2012;
        // The elements' texts first (two words each), so that the statements are
        // allocated once at their exact number.
        let (listed, single) = match statement.get().trim_start().as_bytes().first() {
            Some(b'{') => (vec![statement], true),
            Some(b'[') => {
                let mut listed = Vec::new();
                super::stream::for_each_element(statement, |raw| listed.push(raw));
                (listed, false)
            }
            _ => {
                return Err(PolicyError::new(
                    "Statement",
                    "must be an object or an array of objects",
                ))
            }
        };
        let mut statements = Vec::with_capacity(if keep { listed.len() } else { 0 });
        let mut invalid = Vec::new();
        for (index, raw) in listed.into_iter().enumerate() {
            let path = if single {
                "Statement".to_string()
            } else {
                format!("Statement[{index}]")
            };
            match compile_raw(raw, vars, &path, index) {
                Ok(st) if keep => statements.push(st),
                Ok(_) => {}
                Err(inv) => invalid.push(*inv),
            }
        }
        statements.shrink_to_fit();
        Ok(PolicyDocument {
            version,
            id,
            statements,
            invalid,
            listed: ListedMemo::new(),
        })
    }

    /// Compiles a policy document from parsed JSON (see [`PolicyDocument::parse`]).
    /// Repeated keys are already lost in a `Value`; prefer [`PolicyDocument::parse`].
    pub fn from_json(value: &J) -> Result<PolicyDocument, PolicyError> {
        PolicyDocument::parse(&value.to_string())
    }

    /// The catalogue actions each compiled statement names ([`ListedActions`], one per
    /// entry of [`PolicyDocument::statements`]): `expand` runs on the first call only,
    /// so every principal holding the document shares one expansion.
    pub fn listed_actions(
        &self,
        expand: impl FnOnce(&[Statement]) -> Box<[ListedActions]>,
    ) -> &[ListedActions] {
        self.listed.get_or_init(|| expand(&self.statements))
    }

    /// Number of statements in the document, invalid ones included.
    pub fn statement_count(&self) -> usize {
        self.statements.len() + self.invalid.len()
    }

    /// The compiled statement at document position `index` (`None` for an invalid one).
    pub fn statement(&self, index: usize) -> Option<&Statement> {
        let at = self
            .statements
            .binary_search_by_key(&index, |s| s.index)
            .ok()?;
        self.statements.get(at)
    }
}

/// The first key `members` repeats.
fn first_repeated(members: &[(String, &RawValue)]) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    members
        .iter()
        .find(|(k, _)| !seen.insert(k.as_str()))
        .map(|(k, _)| k.clone())
}

/// The value of a JSON string, `None` for any other value.
fn json_string(raw: &RawValue) -> Option<String> {
    serde_json::from_str::<String>(raw.get()).ok()
}

fn parse_version(v: &Option<String>) -> Result<Version, PolicyError> {
    match v.as_deref() {
        Some("2012-10-17") => Ok(Version::V2012),
        Some("2008-10-17") => Ok(Version::V2008),
        _ => Err(PolicyError::new(
            "Version",
            "must be \"2012-10-17\" or \"2008-10-17\"",
        )),
    }
}

/// Compiles one statement from its raw text; what can be salvaged when it does not
/// compile. Its JSON tree lives only while it is compiled.
fn compile_raw(
    raw: &RawValue,
    vars: bool,
    path: &str,
    index: usize,
) -> Result<Statement, Box<InvalidStatement>> {
    let value = match super::strict_json::parse(raw.get()) {
        Ok(v) => v,
        Err(e) => {
            let error = PolicyError::new(path, format!("not valid JSON: {e}"));
            return Err(Box::new(salvage(&J::Null, vars, index, error)));
        }
    };
    parse_statement(&value, vars, path, index)
        .map_err(|error| Box::new(salvage(&value, vars, index, error)))
}

/// What can still be read of a statement that did not compile: enough to tell which
/// requests it might have applied to and whether it might have denied.
fn salvage(v: &J, vars: bool, index: usize, error: PolicyError) -> InvalidStatement {
    let map = v.as_object();
    let field = |k: &str| map.and_then(|m| m.get(k));
    let effect = match field("Effect").and_then(J::as_str) {
        Some("Allow") => Some(Effect::Allow),
        Some("Deny") => Some(Effect::Deny),
        _ => None,
    };
    // A repeated element cannot be trusted (which copy would AWS have read?).
    let repeated = map
        .and_then(super::strict_json::duplicates)
        .unwrap_or_default();
    let trusted = |k: &str| !repeated.contains(&k);
    let effect = effect.filter(|_| trusted("Effect"));
    // The first of an element pair that is present and trusted, when its twin is not
    // also there (a statement with both is ambiguous).
    let element = |names: [&'static str; 2]| {
        let [plain, negated] = names;
        if field(plain).is_some() && field(negated).is_some() {
            return None;
        }
        names
            .into_iter()
            .filter(|k| trusted(k))
            .find_map(|k| Some((k == negated, string_list(field(k)?, k).ok()?)))
    };
    let action = element(["Action", "NotAction"]).and_then(|(negated, list)| {
        let patterns = list
            .iter()
            .map(|s| ActionPattern::parse(s).ok())
            .collect::<Option<Box<[_]>>>()?;
        Some(ActionSpec::new(negated, patterns))
    });
    let resource = element(["Resource", "NotResource"]).map(|(negated, list)| ResourceSpec {
        negated,
        patterns: list
            .iter()
            .map(|s| ResourcePattern::parse(s, vars))
            .collect(),
    });
    InvalidStatement {
        index,
        sid: field("Sid").and_then(J::as_str).map(str::to_string),
        error,
        effect,
        action,
        resource,
    }
}

fn parse_statement(v: &J, vars: bool, path: &str, index: usize) -> Result<Statement, PolicyError> {
    let J::Object(map) = v else {
        return Err(PolicyError::new(path, "a statement must be an object"));
    };
    if let Some((at, key)) = super::strict_json::first_duplicate(v, path) {
        return Err(PolicyError::new(
            format!("{at}.{key}"),
            "repeated key (AWS rejects a document with duplicate keys)",
        ));
    }
    let mut sid = None;
    let mut effect = None;
    let mut action: Option<ActionSpec> = None;
    let mut resource: Option<ResourceSpec> = None;
    let mut principal: Option<Box<PrincipalSpec>> = None;
    let mut conditions: Box<[Condition]> = Box::default();
    for (k, val) in map {
        let p = format!("{path}.{k}");
        let twice = || PolicyError::new(&p, "conflicts with another element of the statement");
        match k.as_str() {
            "Sid" => {
                sid = Some(
                    val.as_str()
                        .ok_or_else(|| PolicyError::new(&p, "must be a string"))?
                        .to_string(),
                )
            }
            "Effect" => {
                effect = Some(match val.as_str() {
                    Some("Allow") => Effect::Allow,
                    Some("Deny") => Effect::Deny,
                    _ => return Err(PolicyError::new(p, "must be exactly \"Allow\" or \"Deny\"")),
                })
            }
            "Action" | "NotAction" => {
                if action.is_some() {
                    return Err(twice());
                }
                let mut patterns = Vec::new();
                for (i, s) in string_list(val, &p)?.iter().enumerate() {
                    patterns.push(
                        ActionPattern::parse(s)
                            .map_err(|m| PolicyError::new(format!("{p}[{i}]"), m))?,
                    );
                }
                action = Some(ActionSpec::new(
                    k == "NotAction",
                    patterns.into_boxed_slice(),
                ));
            }
            "Resource" | "NotResource" => {
                if resource.is_some() {
                    return Err(twice());
                }
                let patterns = string_list(val, &p)?
                    .iter()
                    .map(|s| ResourcePattern::parse(s, vars))
                    .collect();
                resource = Some(ResourceSpec {
                    negated: k == "NotResource",
                    patterns,
                });
            }
            "Principal" | "NotPrincipal" => {
                if principal.is_some() {
                    return Err(twice());
                }
                principal = Some(Box::new(PrincipalSpec::parse(
                    val,
                    k == "NotPrincipal",
                    &p,
                )?));
            }
            "Condition" => conditions = parse_block(val, vars, &p)?.into_boxed_slice(),
            _ => return Err(PolicyError::new(p, "unknown statement element")),
        }
    }
    let effect = effect.ok_or_else(|| PolicyError::new(format!("{path}.Effect"), "missing"))?;
    let action = action.ok_or_else(|| {
        PolicyError::new(
            format!("{path}.Action"),
            "missing (need Action or NotAction)",
        )
    })?;
    Ok(Statement {
        index,
        sid,
        effect,
        action,
        resource,
        principal,
        conditions,
    })
}
