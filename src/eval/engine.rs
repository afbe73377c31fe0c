//! [`Engine`]: decides requests against a loaded [`Account`], fast.
//!
//! Everything that depends only on the account is gathered once in [`Engine::new`]:
//! each principal's identity policies (a user's groups' included), boundary and derived
//! context facts, the SCP and RCP chains, the resource policies by ARN and the roles'
//! trust policies. A decision then builds nothing but a few stack values, so a who-can
//! query can run the same [`Query`] over every principal.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::fast_hash::FastMap;
use crate::model::{Account, OrgPolicy, RoleId, UserId};
use crate::policy::{ActionName, CallerKind, PolicyDocument, PolicyError};

mod consulted;
pub(crate) use consulted::{rcp_governed, read_by_name};
mod planned;
mod resource_side;
mod sides;
mod what_if;

pub(crate) use resource_side::ResourceSide;

pub use sides::{CallerSide, TargetSide};
pub use what_if::{allow_everything, IdentityChange};

use super::flow::{evaluate_planned, QueryPlan};
use super::scenario::is_federated_action;
use super::{Context, Decision, Layer, NamedPolicy, PolicySet, PrincipalFacts, Request, Trace};

/// A principal of the account, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PrincipalRef {
    /// An IAM user.
    User(UserId),
    /// A role (any of its sessions, without session policies).
    Role(RoleId),
}

/// The action, resource and context of a request, built once and reused for many
/// principals.
#[derive(Debug, Clone)]
pub struct Query {
    /// The action.
    pub action: ActionName,
    /// The resource ARN (or `*`).
    pub resource: String,
    /// The resource's account; `None`: taken from the ARN, else the loaded account.
    pub resource_account: Option<String>,
    /// The context keys the user supplies.
    pub context: Context,
}

impl Query {
    /// A query with a complete, empty context (every key absent).
    pub fn new(action: &str, resource: &str) -> Query {
        Query {
            action: ActionName::new(action),
            resource: resource.to_string(),
            resource_account: None,
            context: Context::new(true),
        }
    }

    /// Sets the context.
    pub fn with_context(mut self, context: Context) -> Query {
        self.context = context;
        self
    }
}

struct Prepared<'a> {
    facts: PrincipalFacts,
    identity: Vec<NamedPolicy<'a>>,
    boundary: Option<NamedPolicy<'a>>,
}

/// Decides requests for the principals of one account.
pub struct Engine<'a> {
    account: &'a Account,
    users: Vec<Prepared<'a>>,
    roles: Vec<Prepared<'a>>,
    trust: Vec<NamedPolicy<'a>>,
    by_arn: HashMap<&'a str, PrincipalRef>,
    /// Each held account's SCP and RCP chain (one for a single account; one per member
    /// of an organization bundle).
    chains: FastMap<&'a str, OrgChain<'a>>,
    resource_policies: HashMap<&'a str, NamedPolicy<'a>>,
    /// The account owning each resource policy's resource, in an organization bundle
    /// (where an S3 ARN's account is not the primary account's by default).
    resource_owners: HashMap<&'a str, &'a str>,
    /// The organization's management account, when the bundle names it.
    management_account: Option<&'a str>,
    /// Documents several principals evaluate (managed and group policies, SCPs, RCPs):
    /// what [`Engine::prepare`] plans once per query.
    shared: Vec<&'a PolicyDocument>,
}

/// One account's place in its organization, as the evaluator reads it.
#[derive(Default)]
struct OrgChain<'a> {
    /// SCPs per level, root first: they limit the account's principals.
    scp_levels: Vec<Vec<NamedPolicy<'a>>>,
    /// RCPs per level: they limit the account's resources.
    rcp_levels: Vec<Vec<NamedPolicy<'a>>>,
    /// The organization id, for `aws:PrincipalOrgID`.
    org_id: Option<&'a str>,
}

impl<'a> OrgChain<'a> {
    fn new(org: &'a crate::model::Organization) -> OrgChain<'a> {
        // SCPs only when the bundle has some: levels without any attachment exported
        // would otherwise deny everything.
        let has_scps = org
            .path
            .iter()
            .any(|l| !l.scps.is_empty() || l.scps_unknown);
        OrgChain {
            scp_levels: org
                .scp_levels()
                .filter(|_| has_scps)
                .map(|(level, ps)| org_level(level, ps, level.scps_unknown))
                .collect(),
            rcp_levels: org
                .rcp_levels()
                .map(|(level, ps)| org_level(level, ps, level.rcps_unknown))
                .filter(|l| !l.is_empty())
                .collect(),
            org_id: org.org_id(),
        }
    }
}

/// A [`Query`] prepared for every principal of an [`Engine`] ([`Engine::prepare`]):
/// what depends only on the query is worked out once — the resource's account and
/// resource-based policy, and for each document several principals share, which
/// statements can match the action (most cannot) and, when none of those depends on
/// the principal, the document's whole outcome. [`PreparedQuery::decide`] then gives
/// exactly [`Engine::decide`]'s decision, several times faster.
pub struct PreparedQuery<'e, 'a> {
    engine: &'e Engine<'a>,
    query: &'e Query,
    resource: ResourceSide<'e, 'a>,
    plan: QueryPlan,
}

impl PreparedQuery<'_, '_> {
    /// The query.
    pub fn query(&self) -> &Query {
        self.query
    }

    /// Decides the query for `who`: the same decision as [`Engine::decide`].
    pub fn decide(&self, who: PrincipalRef) -> Decision {
        let p = self.engine.prepared(who);
        let caller = Caller {
            facts: &p.facts,
            identity: &p.identity,
            boundary: p.boundary.as_ref(),
            unknown: None,
        };
        self.engine
            .run_with(&caller, self.query, &self.resource, None, Some(&self.plan))
    }
}

/// Why the caller's side is unknown for an IAM principal of this account not in the bundle.
const NOT_IN_BUNDLE: &str =
    "the caller is not in the bundle: its own identity policies and boundary are unknown";

/// Why the caller's side is unknown for another account's principal.
const OUTSIDE_ACCOUNT: &str =
    "the caller belongs to another account: its own account's policies (identity, boundary, SCPs) are not in the bundle";

/// The account of an entity ARN, or `fallback` when it names none.
fn account_of_arn(arn: &str, fallback: &str) -> String {
    match arn.split(':').nth(4) {
        Some(a) if !a.is_empty() => a.to_string(),
        _ => fallback.to_string(),
    }
}

fn full_access() -> &'static Result<PolicyDocument, PolicyError> {
    static DOC: OnceLock<Result<PolicyDocument, PolicyError>> = OnceLock::new();
    DOC.get_or_init(|| {
        PolicyDocument::parse(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        )
    })
}

fn missing_content() -> &'static Result<PolicyDocument, PolicyError> {
    static DOC: OnceLock<Result<PolicyDocument, PolicyError>> = OnceLock::new();
    DOC.get_or_init(|| {
        Err(PolicyError::new(
            "",
            "policy content not in the bundle (describe-policy missing)",
        ))
    })
}

fn unknown_attachments() -> &'static Result<PolicyDocument, PolicyError> {
    static DOC: OnceLock<Result<PolicyDocument, PolicyError>> = OnceLock::new();
    DOC.get_or_init(|| {
        Err(PolicyError::new(
            "",
            "the policies attached at this level are not in the bundle",
        ))
    })
}

/// The policies of one level of the organization path; a level whose attachments the
/// bundle lacks holds one unreadable policy, so what it allows is unknown.
fn org_level<'a>(
    level: &'a crate::model::OrgLevel,
    policies: Vec<&'a OrgPolicy>,
    unknown: bool,
) -> Vec<NamedPolicy<'a>> {
    let mut out: Vec<NamedPolicy<'a>> = policies.into_iter().map(org_policy).collect();
    if unknown {
        out.push(NamedPolicy::from_result(
            format!("{} (attachments not exported)", level.target_id),
            unknown_attachments(),
        ));
    }
    out
}

fn org_policy(p: &OrgPolicy) -> NamedPolicy<'_> {
    let parsed = match &p.content {
        Some(src) => src.parsed(),
        // AWS's default attachments are known even without their content.
        None if p.aws_managed && (p.name == "FullAWSAccess" || p.name == "RCPFullAWSAccess") => {
            full_access()
        }
        None => missing_content(),
    };
    NamedPolicy::from_result(p.name.as_str(), parsed)
}

impl<'a> Engine<'a> {
    /// Gathers every principal's policies once.
    pub fn new(account: &'a Account) -> Engine<'a> {
        let managed = |ids: &[crate::model::PolicyId], out: &mut Vec<NamedPolicy<'a>>| {
            for id in ids {
                if let Some(p) = account.managed_policies.get(id.index()) {
                    if let Some(v) = p.default_version() {
                        out.push(NamedPolicy::new(p.arn.as_str(), &v.document));
                    } else {
                        out.push(NamedPolicy::from_result(p.arn.as_str(), missing_content()));
                    }
                }
            }
        };
        let boundary = |id: Option<crate::model::PolicyId>| {
            let p = account.managed_policies.get(id?.index())?;
            Some(match p.default_version() {
                Some(v) => NamedPolicy::new(p.arn.as_str(), &v.document),
                None => NamedPolicy::from_result(p.arn.as_str(), missing_content()),
            })
        };
        let mut by_arn = HashMap::new();
        let mut users = Vec::with_capacity(account.users.len());
        for (i, u) in account.users.iter().enumerate() {
            by_arn.insert(u.common.arn.as_str(), PrincipalRef::User(UserId(i as u32)));
            let mut identity = Vec::new();
            for p in &u.common.inline_policies {
                identity.push(NamedPolicy::new(
                    format!("user/{}:{}", u.common.name, p.name),
                    &p.document,
                ));
            }
            managed(&u.common.attached_policies, &mut identity);
            for g in &u.groups {
                if let Some(g) = account.groups.get(g.index()) {
                    for p in &g.common.inline_policies {
                        identity.push(NamedPolicy::new(
                            format!("group/{}:{}", g.common.name, p.name),
                            &p.document,
                        ));
                    }
                    managed(&g.common.attached_policies, &mut identity);
                }
            }
            let mut facts = PrincipalFacts::from_arn(u.common.arn.as_str(), false);
            facts.caller.kind = CallerKind::User;
            facts.caller.account = Some(account_of_arn(u.common.arn.as_str(), &account.id));
            facts.username = Some(u.common.name.clone());
            facts.userid = Some(u.common.id.clone());
            facts.tags = Some(
                u.tags
                    .iter()
                    .map(|t| (t.key.to_lowercase(), t.value.clone()))
                    .collect(),
            );
            users.push(Prepared {
                facts,
                identity,
                boundary: boundary(u.permissions_boundary),
            });
        }
        let mut roles = Vec::with_capacity(account.roles.len());
        let mut trust = Vec::with_capacity(account.roles.len());
        for (i, r) in account.roles.iter().enumerate() {
            by_arn.insert(r.common.arn.as_str(), PrincipalRef::Role(RoleId(i as u32)));
            let mut identity = Vec::new();
            for p in &r.common.inline_policies {
                identity.push(NamedPolicy::new(
                    format!("role/{}:{}", r.common.name, p.name),
                    &p.document,
                ));
            }
            managed(&r.common.attached_policies, &mut identity);
            trust.push(NamedPolicy::new(
                format!("role/{}:trust", r.common.name),
                &r.trust_policy,
            ));
            let facts = PrincipalFacts {
                caller: crate::policy::Caller {
                    kind: CallerKind::Role,
                    arn: r.common.arn.as_str().to_string(),
                    account: Some(account_of_arn(r.common.arn.as_str(), &account.id)),
                    role_name: Some(r.common.name.clone()),
                    role_arn: Some(r.common.arn.as_str().to_string()),
                },
                username: None,
                userid: None,
                tags: Some(
                    r.tags
                        .iter()
                        .map(|t| (t.key.to_lowercase(), t.value.clone()))
                        .collect(),
                ),
                service_linked: r.is_service_linked(),
                org_id: None,
            };
            roles.push(Prepared {
                facts,
                identity,
                boundary: boundary(r.permissions_boundary),
            });
        }
        let chains: FastMap<&'a str, OrgChain<'a>> = account
            .account_ids()
            .into_iter()
            .map(|id| {
                (
                    id,
                    account
                        .organization_of(id)
                        .map(OrgChain::new)
                        .unwrap_or_default(),
                )
            })
            .collect();
        let resource_owners = account
            .members
            .iter()
            .flat_map(|m| {
                let policies = &account.resource_policies
                    [m.resource_policies.start as usize..m.resource_policies.end as usize];
                policies
                    .iter()
                    .map(move |rp| (rp.resource_arn.as_str(), m.id.as_str()))
            })
            .collect();
        let resource_policies = account
            .resource_policies
            .iter()
            .map(|rp| {
                (
                    rp.resource_arn.as_str(),
                    NamedPolicy::new(format!("{}:{}", rp.service, rp.name), &rp.policy),
                )
            })
            .collect();
        // aws:PrincipalOrgID, when the Organizations data of the principal's account
        // names the organization.
        for p in users.iter_mut().chain(roles.iter_mut()) {
            let chain = p
                .facts
                .caller
                .account
                .as_deref()
                .and_then(|a| chains.get(a));
            if let Some(org_id) = chain.and_then(|c| c.org_id) {
                p.facts.org_id = Some(org_id.to_string());
            }
        }
        let shared = shared_documents(&users, &roles, &chains);
        let management_account = account
            .organization
            .as_ref()
            .and_then(|o| o.management_account.as_deref());
        Engine {
            account,
            users,
            roles,
            trust,
            by_arn,
            chains,
            resource_policies,
            resource_owners,
            management_account,
            shared,
        }
    }

    /// The account.
    pub fn account(&self) -> &'a Account {
        self.account
    }

    /// Every principal of the account: users then roles.
    pub fn principals(&self) -> impl Iterator<Item = PrincipalRef> + '_ {
        (0..self.users.len())
            .map(|i| PrincipalRef::User(UserId(i as u32)))
            .chain((0..self.roles.len()).map(|i| PrincipalRef::Role(RoleId(i as u32))))
    }

    /// Finds a principal by ARN, by `user/NAME` / `role/NAME`, or by bare name (users
    /// first). An ARN resolves only to a principal of its own account: another
    /// account's `user/alice` is never this account's alice.
    pub fn resolve(&self, text: &str) -> Option<PrincipalRef> {
        if let Some(p) = self.by_arn.get(text) {
            return Some(*p);
        }
        if let Some(n) = text.strip_prefix("user/") {
            return self.account.user_named(n).map(PrincipalRef::User);
        }
        if let Some(n) = text.strip_prefix("role/") {
            return self.account.role_named(n).map(PrincipalRef::Role);
        }
        if text.starts_with("arn:") {
            // An ARN written without the entity's path: match by account, kind and name.
            let caller = crate::policy::Caller::from_arn(text, false);
            let name = text.rsplit('/').next().unwrap_or(text);
            let in_account = caller.account.as_deref()?;
            return match caller.kind {
                CallerKind::User if text.contains(":user/") => self
                    .account
                    .user_in(in_account, name)
                    .map(PrincipalRef::User),
                CallerKind::Role => self
                    .account
                    .role_in(in_account, name)
                    .map(PrincipalRef::Role),
                _ => None,
            };
        }
        self.account
            .user_named(text)
            .map(PrincipalRef::User)
            .or_else(|| self.account.role_named(text).map(PrincipalRef::Role))
    }

    /// The derived facts of a principal (ARN, tags, …).
    pub fn facts(&self, who: PrincipalRef) -> &PrincipalFacts {
        &self.prepared(who).facts
    }

    fn prepared(&self, who: PrincipalRef) -> &Prepared<'a> {
        match who {
            PrincipalRef::User(u) => &self.users[u.index()],
            PrincipalRef::Role(r) => &self.roles[r.index()],
        }
    }

    /// Decides `query` for `who`, without a trace: the fast path.
    pub fn decide(&self, who: PrincipalRef, query: &Query) -> Decision {
        let p = self.prepared(who);
        self.run(&p.facts, &p.identity, p.boundary.as_ref(), query, None)
    }

    /// Decides `query` for `who` and records every step.
    pub fn explain(&self, who: PrincipalRef, query: &Query) -> (Decision, Trace) {
        let p = self.prepared(who);
        let mut trace = Trace::default();
        let d = self.run(
            &p.facts,
            &p.identity,
            p.boundary.as_ref(),
            query,
            Some(&mut trace),
        );
        (d, trace)
    }

    /// Decides `query` for a principal given by ARN or name: a principal of the account,
    /// a session of one of its roles (`arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`), a
    /// federated-user session, or an outside caller (another account's principal, a
    /// service, an identity provider). An IAM principal the bundle does not hold is
    /// *outside*: its own policies are unknown, so whatever would need them is
    /// Conditional, never a confident answer. (Front ends reject names that match
    /// nothing before asking: see [`crate::query::resolve`].)
    pub fn decide_arn(&self, text: &str, query: &Query, trace: Option<&mut Trace>) -> Decision {
        if let Some(who) = self.resolve(text) {
            let p = self.prepared(who);
            return self.run(&p.facts, &p.identity, p.boundary.as_ref(), query, trace);
        }
        let facts = PrincipalFacts::from_arn(text, is_federated_action(&query.action));
        let caller_account = facts.caller.account.clone().unwrap_or_default();
        let here = self.account.holds(&caller_account);
        if facts.caller.kind == CallerKind::RoleSession && here {
            if let Some(r) = facts
                .caller
                .role_name
                .as_deref()
                .and_then(|n| self.account.role_in(&caller_account, n))
            {
                let p = &self.roles[r.index()];
                let mut facts = facts.clone();
                facts.caller.role_arn = p.facts.caller.role_arn.clone();
                facts.tags = p.facts.tags.clone();
                facts.service_linked = p.facts.service_linked;
                facts.org_id = p.facts.org_id.clone();
                return self.run(&facts, &p.identity, p.boundary.as_ref(), query, trace);
            }
        }
        let mut facts = facts;
        if here {
            facts.org_id = self.org_id_of(&caller_account).map(str::to_string);
        }
        let unknown = match facts.caller.kind {
            // A federated user's permissions are its session policy's (none given here)
            // intersected with its IAM user's: nothing of its own either way.
            CallerKind::FederatedUser if here => None,
            // The root user of this account holds every permission the SCPs leave.
            CallerKind::Root if here => None,
            _ if !facts.caller.is_iam() => None,
            _ if here => Some(NOT_IN_BUNDLE),
            _ => Some(OUTSIDE_ACCOUNT),
        };
        self.run_outside(&facts, unknown, query, trace)
    }

    /// The organization id (`o-…`) of a held account, when the bundle's Organizations
    /// data names it.
    fn org_id_of(&self, account: &str) -> Option<&'a str> {
        self.chains.get(account).and_then(|c| c.org_id)
    }

    /// The account owning a resource whose ARN names none (S3), when the bundle holds
    /// its policy in one of an organization's accounts.
    pub(crate) fn resource_owner(&self, resource: &str) -> Option<&'a str> {
        if let Some(owner) = self.resource_owners.get(resource) {
            return Some(owner);
        }
        let (prefix, rest) = resource.split_once(":s3:::")?;
        let bucket_len = prefix.len() + ":s3:::".len() + rest.find('/')?;
        self.resource_owners.get(&resource[..bucket_len]).copied()
    }

    /// Prepares `query` for deciding it for many principals (who-can): see
    /// [`PreparedQuery`]. Costs about as much as a few hundred [`Engine::decide`] calls
    /// (the account's shared policies are planned once).
    pub fn prepare<'e>(&'e self, query: &'e Query) -> PreparedQuery<'e, 'a> {
        let plan = QueryPlan::new(
            self.shared.iter().copied(),
            &query.action,
            &query.resource,
            &query.context,
        );
        PreparedQuery {
            engine: self,
            query,
            resource: self.resource_side(query),
            plan,
        }
    }

    /// Decides `query` for every principal ([`Engine::principals`] order: users, then
    /// roles): the batch form of [`Engine::decide`] for who-can, through
    /// [`Engine::prepare`]. The decisions are exactly `decide`'s.
    /// The principals are split over the machine's cores (rayon), in chunks large enough
    /// that the split costs less than it saves on small accounts.
    pub fn decide_all(&self, query: &Query) -> Vec<(PrincipalRef, Decision)> {
        use rayon::prelude::*;
        let prepared = self.prepare(query);
        let principals: Vec<PrincipalRef> = self.principals().collect();
        principals
            .par_iter()
            .with_min_len(256)
            .map(|&p| (p, prepared.decide(p)))
            .collect()
    }

    fn run(
        &self,
        facts: &PrincipalFacts,
        identity: &[NamedPolicy<'a>],
        boundary: Option<&NamedPolicy<'a>>,
        query: &Query,
        trace: Option<&mut Trace>,
    ) -> Decision {
        let side = self.resource_side(query);
        let caller = Caller {
            facts,
            identity,
            boundary,
            unknown: None,
        };
        self.run_with(&caller, query, &side, trace, None)
    }

    /// Decides `query` for a caller with no policies in the bundle; `unknown`: why its
    /// own side is unknown (`None`: it has no policies of its own, e.g. a service).
    fn run_outside(
        &self,
        facts: &PrincipalFacts,
        unknown: Option<&str>,
        query: &Query,
        trace: Option<&mut Trace>,
    ) -> Decision {
        let side = self.resource_side(query);
        let caller = Caller {
            facts,
            identity: &[],
            boundary: None,
            unknown,
        };
        self.run_with(&caller, query, &side, trace, None)
    }

    fn run_with(
        &self,
        caller: &Caller<'_, 'a>,
        query: &Query,
        side: &ResourceSide<'_, 'a>,
        trace: Option<&mut Trace>,
        plan: Option<&QueryPlan>,
    ) -> Decision {
        self.in_request(caller, query, side, trace, |set, req, trace| {
            evaluate_planned(set, req, trace, plan)
        })
    }

    /// Calls `f` with the policy set and request of `caller`'s `query` (what
    /// [`Engine::run_with`] evaluates).
    fn in_request<R>(
        &self,
        caller: &Caller<'_, 'a>,
        query: &Query,
        side: &ResourceSide<'_, 'a>,
        mut trace: Option<&mut Trace>,
        f: impl FnOnce(&PolicySet<'_>, &Request<'_>, Option<&mut Trace>) -> R,
    ) -> R {
        let own = self.account.id.as_str();
        let facts = caller.facts;
        let principal_account = facts.caller.account.as_deref();
        // The SCPs of the principal's own account, when the bundle holds it.
        let principal_chain = principal_account.and_then(|a| self.chains.get(a));
        // In an organization bundle, a resource whose account nothing names is taken to
        // be in the caller's own account, as AWS reads `*` and account-less ARNs.
        let resource_account = match principal_account {
            Some(a) if side.account_unnamed && self.account.is_org() && self.account.holds(a) => a,
            _ => side.account,
        };
        if side.account_assumed {
            if let Some(t) = trace.as_deref_mut() {
                let whose = if resource_account == own {
                    format!("the bundle's account {own}")
                } else {
                    format!("the caller's account {resource_account}")
                };
                t.note(
                    Layer::ResourcePolicy,
                    format!(
                        "the resource's ARN names no account and the bundle holds no policy for it: taken to be {whose} (say otherwise with --resource-account)"
                    ),
                );
            }
        }
        let set = PolicySet {
            identity: caller.identity,
            boundary: caller.boundary,
            session: &[],
            scp_levels: principal_chain.map_or(&[], |c| &c.scp_levels),
            rcp_levels: self
                .chains
                .get(resource_account)
                .map_or(&[], |c| &c.rcp_levels),
            resource: side.policy,
            resource_rule: side.rule,
            resource_unknown: side.unknown.as_deref(),
            identity_unknown: caller.unknown,
            principal_is_management: principal_account.is_some()
                && principal_account == self.management_account,
            resource_is_management: Some(resource_account) == self.management_account,
        };
        let req = Request {
            principal: facts,
            action: &query.action,
            resource: &query.resource,
            resource_account: Some(resource_account),
            context: &query.context,
        };
        f(&set, &req, trace)
    }
}

/// A caller's side of a request: its facts and the policies the bundle holds for it.
struct Caller<'c, 'a> {
    facts: &'c PrincipalFacts,
    identity: &'c [NamedPolicy<'a>],
    boundary: Option<&'c NamedPolicy<'a>>,
    /// Why its own side is unknown (a principal outside the bundle).
    unknown: Option<&'c str>,
}

/// The documents that more than one principal (or every principal: SCPs, RCPs) evaluates.
fn shared_documents<'a>(
    users: &[Prepared<'a>],
    roles: &[Prepared<'a>],
    chains: &FastMap<&'a str, OrgChain<'a>>,
) -> Vec<&'a PolicyDocument> {
    let mut uses: HashMap<*const PolicyDocument, (&'a PolicyDocument, usize)> = HashMap::new();
    let mut count = |p: &NamedPolicy<'a>, n: usize| {
        if let Ok(d) = p.document {
            uses.entry(d as *const PolicyDocument).or_insert((d, 0)).1 += n;
        }
    };
    for p in users.iter().chain(roles) {
        for n in p.identity.iter().chain(&p.boundary) {
            count(n, 1);
        }
    }
    for chain in chains.values() {
        for n in chain.scp_levels.iter().chain(&chain.rcp_levels).flatten() {
            count(n, 2);
        }
    }
    let mut shared: Vec<_> = uses
        .into_values()
        .filter(|&(_, n)| n > 1)
        .map(|(d, _)| d)
        .collect();
    shared.sort_by_key(|d| *d as *const PolicyDocument);
    shared
}
