//! Self-escalation: a principal that can rewrite its own permissions (its policies,
//! its group's, a policy version, its group membership) is an administrator in waiting.
//! Each technique becomes an edge from the principal to itself.

use std::collections::{HashMap, HashSet};

use super::admin::{
    admin_if_unrestricted, admin_with, may_match_everything, probes_covered,
    probes_with_everything, ADMIN_PROBES,
};
use super::build::{ask, gather, Builder, Pending};
use super::candidates::covers_action;
use super::class;
use super::edge::{EdgeKind, Proof, ProofContext};
use super::trust::graph_node;
use crate::eval::{
    allow_everything, evaluate, Context, Decision, Engine, IdentityChange, NamedPolicy, PolicySet,
    PrincipalFacts, PrincipalRef, Request,
};
use crate::model::{Account, GroupId, ManagedPolicy, PolicyId, PolicyVersion};
use crate::policy::{ActionName, Statement};

/// A technique found: its kind, the allowed requests, and what else must hold.
type Found = (EdgeKind, Vec<(Decision, Proof)>, Vec<String>);

/// The ARN of AWS's AdministratorAccess policy in the account's partition.
fn admin_policy_arn(account: &Account) -> String {
    format!(
        "arn:{}:iam::aws:policy/AdministratorAccess",
        partition(account)
    )
}

/// The managed policies that shape `who`'s permissions: its own and its groups'.
fn attached_policies(account: &Account, who: PrincipalRef) -> Vec<PolicyId> {
    let mut out = Vec::new();
    match who {
        PrincipalRef::User(u) => {
            let user = account.user(u);
            out.extend(&user.common.attached_policies);
            for g in &user.groups {
                out.extend(&account.group(*g).common.attached_policies);
            }
        }
        PrincipalRef::Role(r) => out.extend(&account.role(r).common.attached_policies),
    }
    out.sort();
    out.dedup();
    out
}

/// A group's policies as the evaluator names them.
pub fn group_policies(account: &Account, group: GroupId) -> Vec<NamedPolicy<'_>> {
    let g = account.group(group);
    let mut out: Vec<NamedPolicy<'_>> = g
        .common
        .inline_policies
        .iter()
        .map(|p| NamedPolicy::new(format!("group/{}:{}", g.common.name, p.name), &p.document))
        .collect();
    for id in &g.common.attached_policies {
        let policy = account.policy(*id);
        if let Some(v) = policy.default_version() {
            out.push(NamedPolicy::new(policy.arn.as_str(), &v.document));
        }
    }
    out
}

/// The actions a self-escalation technique asks, and the admin probes: principals whose
/// statements for all of them are the same decide every request on a resource other
/// than their own ARN alike.
const ACTIONS: &[&str] = &[
    "iam:PutUserPolicy",
    "iam:AttachUserPolicy",
    "iam:PutRolePolicy",
    "iam:AttachRolePolicy",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:PutGroupPolicy",
    "iam:AttachGroupPolicy",
    "iam:AddUserToGroup",
    "iam:CreateRole",
];

/// Adds the self-escalation edges of every principal that is not already an admin.
/// Requests on shared resources (a group, a policy, the new role) and the what-if
/// checks are decided once per class of principals; only the requests on a
/// principal's own ARN are asked per principal.
pub fn add_self_escalations(b: &mut Builder<'_, '_>) {
    let engine = b.engine;
    let principals: Vec<PrincipalRef> = b
        .sources()
        .into_iter()
        .filter(|p| !b.graph.is_admin(b.graph.node_of(*p)))
        .collect();
    let account = engine.account();
    let groups: Vec<Vec<NamedPolicy<'_>>> = (0..account.groups.len())
        .map(|g| group_policies(account, GroupId(g as u32)))
        .collect();
    let group_probes: Vec<u8> = groups.iter().map(|g| probes_covered(g)).collect();
    // Every user of the first user's account sees a caller-blind group alike.
    let caller = principals
        .iter()
        .find(|p| matches!(p, PrincipalRef::User(_)))
        .map(|&u| engine.facts(u));
    let decided: Vec<Option<GroupProbes>> = groups
        .iter()
        .map(|g| caller.and_then(|c| GroupProbes::of(g, c)))
        .collect();
    let actions: Vec<ActionName> = ACTIONS
        .iter()
        .chain(ADMIN_PROBES)
        .map(|a| ActionName::new(a))
        .collect();
    let classes = class::classes(
        engine,
        &b.statement_ids,
        &principals,
        &actions,
        &HashSet::new(),
    );
    let allowed = &b.allowed_probes;
    let mut sink = std::mem::take(&mut b.pending);
    gather(&mut sink, &classes, |class| {
        let may = |action: &str| {
            ACTIONS
                .iter()
                .position(|a| *a == action)
                .is_some_and(|k| class.allows[k])
        };
        let mut memo = Memo::default();
        let mut out = Vec::new();
        for &who in &class.members {
            let node = graph_node(account, who);
            let lacking = !allowed[node as usize] & ((1u8 << ADMIN_PROBES.len()) - 1);
            // Joining a group makes an administrator only if the group's policies
            // cover every probe the principal lacks.
            let joining = Joining {
                lacking,
                useful: &|g: GroupId| group_probes[g.index()] & lacking == lacking,
                decided: &decided,
            };
            for (kind, proofs, assumptions) in techniques(engine, who, &may, &joining, &mut memo) {
                out.push(Pending {
                    from: vec![node],
                    to: None,
                    kind,
                    proofs,
                    assumptions,
                });
            }
        }
        out
    });
    b.pending = sink;
}

/// An allowed request and its proof.
type Proven = (Decision, Proof);

/// What the admin probes say of a member and of the groups it might join.
struct Joining<'g> {
    /// The admin probes (bits) the member is not allowed outright.
    lacking: u8,
    /// Whether a group's policies cover every admin probe the user lacks (else joining
    /// it cannot make an administrator).
    useful: &'g dyn Fn(GroupId) -> bool,
    /// By group: what its policies alone say of the probes, when the evaluator can tell.
    decided: &'g [Option<GroupProbes>],
}

/// What a group's policies say of the admin probes (bits: [`ADMIN_PROBES`]), decided by
/// the evaluator over those policies alone, for a group whose statements that can take
/// part in a probe read neither the caller's identity nor its tags (so every caller of
/// `account` sees the same). Joining such a group leaves a probe the user is allowed
/// allowed when the group cannot deny it, and makes a lacking probe allowed exactly when
/// `Allow * on *` would when the group allows it: the identity layer then reads the same.
struct GroupProbes {
    /// The callers' account it was decided for.
    account: Option<String>,
    /// The probes its policies allow (and do not deny).
    allows: u8,
    /// The probes its policies cannot deny (decided beside `Allow * on *`).
    never_denies: u8,
}

impl GroupProbes {
    /// Decided for `caller`'s account; `None` when a statement reads the caller or did
    /// not compile.
    fn of(policies: &[NamedPolicy<'_>], caller: &PrincipalFacts) -> Option<GroupProbes> {
        let probes: Vec<ActionName> = ADMIN_PROBES.iter().map(|a| ActionName::new(a)).collect();
        for policy in policies {
            let doc = policy.document.ok()?;
            if !doc.invalid.is_empty() {
                return None;
            }
            let takes_part = |s: &&Statement| {
                may_match_everything(s) && probes.iter().any(|a| covers_action(s, a))
            };
            if doc
                .statements
                .iter()
                .filter(takes_part)
                .any(|s| class::reads_principal(s) != (false, false))
            {
                return None;
            }
        }
        let mut with_everything = policies.to_vec();
        with_everything.push(allow_everything().clone());
        let context = Context::new(false);
        let allowed = |identity: &[NamedPolicy<'_>], action: &ActionName| {
            let request = Request {
                principal: caller,
                action,
                resource: "*",
                resource_account: None,
                context: &context,
            };
            let set = PolicySet {
                identity,
                ..PolicySet::default()
            };
            evaluate(&set, &request, None) == Decision::Allow
        };
        let mut out = GroupProbes {
            account: caller.caller.account.clone(),
            allows: 0,
            never_denies: 0,
        };
        for (bit, probe) in probes.iter().enumerate() {
            if allowed(policies, probe) {
                out.allows |= 1 << bit;
            }
            if allowed(&with_everything, probe) {
                out.never_denies |= 1 << bit;
            }
        }
        Some(out)
    }

    /// Whether joining makes `who` an administrator, given the probes it lacks and
    /// those it would be allowed with `Allow * on *` added; `None`: not decided for its
    /// account.
    fn joins(&self, who: &PrincipalFacts, lacking: u8, everything: u8) -> Option<bool> {
        (self.account == who.caller.account).then(|| {
            let all = (1u8 << ADMIN_PROBES.len()) - 1;
            self.never_denies == all && lacking & !self.allows == 0 && lacking & !everything == 0
        })
    }
}

/// What one class of principals has been decided on so far.
#[derive(Default)]
struct Memo {
    /// Requests on shared resources: (action, resource, with the admin policy ARN).
    asks: HashMap<(&'static str, String, bool), Option<Proven>>,
    /// Whether joining a group would make an administrator.
    joins: HashMap<GroupId, bool>,
    /// Whether a stored policy version would make an administrator.
    versions: HashMap<(PolicyId, usize), bool>,
    /// Whether writing its own policies would make an administrator.
    unrestricted: Option<bool>,
    /// The admin probes (as bits) the class is allowed once `Allow * on *` is added to
    /// its identity policies (its own Denies, boundary and SCPs still apply).
    with_everything: Option<u8>,
}

impl Memo {
    /// [`ask_on`] on a resource every member shares, asked once for the class.
    fn ask(
        &mut self,
        engine: &Engine<'_>,
        who: PrincipalRef,
        action: &'static str,
        resource: &str,
        context: ProofContext,
    ) -> Option<(Decision, Proof)> {
        let key = (
            action,
            resource.to_string(),
            context != ProofContext::Unknown,
        );
        self.asks
            .entry(key)
            .or_insert_with(|| ask_on(engine, who, action, resource, context))
            .clone()
    }
}

fn ask_on(
    engine: &Engine<'_>,
    who: PrincipalRef,
    action: &'static str,
    resource: &str,
    context: ProofContext,
) -> Option<(Decision, Proof)> {
    ask(engine, who, Proof::on(action, resource, context))
}

/// `who`'s identity policies with `policy`'s default version replaced by `version`.
fn with_version<'a>(
    engine: &Engine<'a>,
    who: PrincipalRef,
    policy: &'a ManagedPolicy,
    version: &'a PolicyVersion,
) -> Vec<NamedPolicy<'a>> {
    engine
        .identity_policies(who)
        .iter()
        .map(|p| {
            if p.name == policy.arn.as_str() {
                NamedPolicy::new(policy.arn.as_str(), &version.document)
            } else {
                p.clone()
            }
        })
        .collect()
}

/// Whether `found` holds a way of `kind` already.
fn has(found: &[Found], kind: EdgeKind) -> bool {
    found.iter().any(|f| f.0 == kind)
}

/// The self-escalation techniques open to `who` that would leave it an administrator.
/// The graph keeps one grant per (principal, technique), the first found, so each
/// technique stops at its first way (the first group, the first attached policy).
fn techniques(
    engine: &Engine<'_>,
    who: PrincipalRef,
    may: &dyn Fn(&str) -> bool,
    joining: &Joining<'_>,
    memo: &mut Memo,
) -> Vec<Found> {
    let account = engine.account();
    let admin_arn = admin_policy_arn(account);
    let arn = engine.facts(who).caller.arn.clone();
    let mut found: Vec<Found> = Vec::new();
    let (put, attach) = match who {
        PrincipalRef::User(_) => ("iam:PutUserPolicy", "iam:AttachUserPolicy"),
        PrincipalRef::Role(_) => ("iam:PutRolePolicy", "iam:AttachRolePolicy"),
    };
    if may(put) {
        if let Some(p) = ask_on(engine, who, put, &arn, ProofContext::Unknown) {
            found.push((EdgeKind::PutOwnPolicy, vec![p], Vec::new()));
        }
    }
    let admin_ctx = || ProofContext::PolicyArn(admin_arn.as_str().into());
    if may(attach) {
        if let Some(p) = ask_on(engine, who, attach, &arn, admin_ctx()) {
            found.push((EdgeKind::AttachOwnPolicy, vec![p], Vec::new()));
        }
    }
    let attached = attached_policies(account, who);
    if may("iam:CreatePolicyVersion") {
        for id in &attached {
            let policy = account.policy(*id);
            if policy.is_aws_managed() {
                continue;
            }
            let arn = policy.arn.as_str();
            if let Some(p) = memo.ask(
                engine,
                who,
                "iam:CreatePolicyVersion",
                arn,
                ProofContext::Unknown,
            ) {
                found.push((EdgeKind::CreatePolicyVersion, vec![p], Vec::new()));
                break;
            }
        }
    }
    // Going back to another stored version escalates only when that version makes the
    // principal an administrator (its boundary and SCPs still apply).
    if may("iam:SetDefaultPolicyVersion") {
        for id in &attached {
            let policy = account.policy(*id);
            if policy.is_aws_managed() {
                continue;
            }
            if policy.versions.iter().all(|v| v.is_default) {
                continue;
            }
            // The request first: it is one decision for the class, the versions' what-if
            // checks several each.
            let arn = policy.arn.as_str();
            let Some(p) = memo.ask(
                engine,
                who,
                "iam:SetDefaultPolicyVersion",
                arn,
                ProofContext::Unknown,
            ) else {
                continue;
            };
            let better = policy
                .versions
                .iter()
                .enumerate()
                .filter(|(_, v)| !v.is_default)
                .find(|&(k, v)| {
                    *memo.versions.entry((*id, k)).or_insert_with(|| {
                        let policies = with_version(engine, who, policy, v);
                        admin_with(
                            engine,
                            who,
                            IdentityChange::Replace(&policies),
                            joining.lacking,
                        )
                    })
                })
                .map(|(_, v)| v);
            if let Some(version) = better {
                let note = format!(
                    "stored version {} of {} grants administrator",
                    version.version_id, policy.name
                );
                found.push((EdgeKind::SetDefaultPolicyVersion, vec![p], vec![note]));
                break;
            }
        }
    }
    if let PrincipalRef::User(u) = who {
        let user = account.user(u);
        for g in &user.groups {
            let group_arn = account.group(*g).common.arn.as_str();
            if may("iam:PutGroupPolicy") && !has(&found, EdgeKind::PutGroupPolicy) {
                if let Some(p) = memo.ask(
                    engine,
                    who,
                    "iam:PutGroupPolicy",
                    group_arn,
                    ProofContext::Unknown,
                ) {
                    found.push((EdgeKind::PutGroupPolicy, vec![p], Vec::new()));
                }
            }
            if may("iam:AttachGroupPolicy") && !has(&found, EdgeKind::AttachGroupPolicy) {
                if let Some(p) =
                    memo.ask(engine, who, "iam:AttachGroupPolicy", group_arn, admin_ctx())
                {
                    found.push((EdgeKind::AttachGroupPolicy, vec![p], Vec::new()));
                }
            }
        }
        if may("iam:AddUserToGroup") {
            for (gi, group) in account.groups.iter().enumerate() {
                let gid = GroupId(gi as u32);
                if user.groups.contains(&gid) || !(joining.useful)(gid) {
                    continue;
                }
                // A group the evaluator decided alone is decided for the class from
                // one what-if (`Allow * on *` added), not one per group.
                let decided = joining.decided[gi].as_ref().and_then(|g| {
                    let everything = *memo
                        .with_everything
                        .get_or_insert_with(|| probes_with_everything(engine, who));
                    g.joins(engine.facts(who), joining.lacking, everything)
                });
                if decided == Some(false) {
                    continue;
                }
                let group_arn = group.common.arn.as_str();
                let Some(p) = memo.ask(
                    engine,
                    who,
                    "iam:AddUserToGroup",
                    group_arn,
                    ProofContext::Unknown,
                ) else {
                    continue;
                };
                let joins = decided == Some(true)
                    || *memo.joins.entry(gid).or_insert_with(|| {
                        let extra = group_policies(account, gid);
                        admin_with(engine, who, IdentityChange::Add(&extra), joining.lacking)
                    });
                if joins {
                    found.push((EdgeKind::AddUserToGroup, vec![p], Vec::new()));
                    break;
                }
            }
        }
    }
    if may("iam:CreateRole") {
        let new_role = format!(
            "arn:{}:iam::{}:role/iamscope-new-role",
            partition(account),
            engine
                .facts(who)
                .caller
                .account
                .as_deref()
                .unwrap_or(&account.id)
        );
        if let Some(create) = memo.ask(
            engine,
            who,
            "iam:CreateRole",
            &new_role,
            ProofContext::Unknown,
        ) {
            let grant = memo
                .ask(engine, who, "iam:AttachRolePolicy", &new_role, admin_ctx())
                .or_else(|| {
                    memo.ask(
                        engine,
                        who,
                        "iam:PutRolePolicy",
                        &new_role,
                        ProofContext::Unknown,
                    )
                });
            if let Some(grant) = grant {
                found.push((EdgeKind::CreateAdminRole, vec![create, grant], Vec::new()));
            }
        }
    }
    if found.is_empty() {
        return found;
    }
    // Rewriting one's own policies is bounded by one's boundary and SCPs. A new role
    // has no boundary but the SCPs still bound it: when `who` has none either, the same
    // check says whether the new role would be an administrator (with a boundary, the
    // new role's power cannot be told from `who`'s, and the edge is kept). A group's
    // policies and a stored version were checked by what they grant.
    let unrestricted = *memo
        .unrestricted
        .get_or_insert_with(|| admin_if_unrestricted(engine, who));
    found.retain(|(kind, _, _)| match kind {
        EdgeKind::AddUserToGroup | EdgeKind::SetDefaultPolicyVersion => true,
        EdgeKind::CreateAdminRole => unrestricted || engine.boundary(who).is_some(),
        _ => unrestricted,
    });
    found
}

fn partition(account: &Account) -> &str {
    if account.partition.is_empty() {
        "aws"
    } else {
        &account.partition
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::graph::{End, Graph};
    use crate::synth::{generate_gaad_json, SynthOptions};

    /// On generated accounts, a user escalates by joining a group exactly when the
    /// evaluator, asked here per (user, group) without the classes' memo or the groups
    /// decided alone, lets it add itself to the group and allows every admin probe
    /// once the group's policies are added.
    #[test]
    fn joining_a_group_is_found_exactly_when_the_evaluator_says_so() {
        let (mut pairs, mut decided_pairs) = (0, 0);
        for seed in [3, 7, 11, 19] {
            let opts = SynthOptions {
                users: 120,
                roles: 40,
                groups: 40,
                policies: 60,
                seed,
                ..SynthOptions::default()
            };
            let bytes = generate_gaad_json(&opts).into_bytes();
            let account = crate::load::load_gaad_bytes("generated", bytes).expect("loads");
            let engine = Engine::new(&account);
            let graph = Graph::build(&engine);
            let mut found = BTreeSet::new();
            for grant in &graph.grants {
                if grant.kind != EdgeKind::AddUserToGroup || grant.to != End::Itself {
                    continue;
                }
                let End::Node(node) = grant.from else {
                    panic!("a self-escalation of one principal has one source");
                };
                for proof in &grant.proofs {
                    found.insert((node, proof.resource.to_string()));
                }
            }
            let mut expected = BTreeSet::new();
            for (u, user) in account.users.iter().enumerate() {
                let who = PrincipalRef::User(crate::model::UserId(u as u32));
                let node = graph.node_of(who);
                if graph.is_admin(node) {
                    continue;
                }
                for (g, group) in account.groups.iter().enumerate() {
                    let gid = GroupId(g as u32);
                    if user.groups.contains(&gid) {
                        continue;
                    }
                    let arn = group.common.arn.as_str();
                    let asked = Proof::on("iam:AddUserToGroup", arn, ProofContext::Unknown);
                    let may = super::super::build::grants(&engine.decide(who, &asked.query()));
                    let policies = group_policies(&account, gid);
                    if may && admin_with(&engine, who, IdentityChange::Add(&policies), 0) {
                        expected.insert((node, arn.to_string()));
                        let caller = engine.facts(PrincipalRef::User(crate::model::UserId(0)));
                        decided_pairs += GroupProbes::of(&policies, caller).is_some() as usize;
                    }
                }
            }
            pairs += expected.len();
            // The graph keeps one grant per (principal, kind): the first group found.
            let users_of = |pairs: &BTreeSet<(usize, String)>| {
                pairs.iter().map(|(n, _)| *n).collect::<BTreeSet<_>>()
            };
            assert_eq!(users_of(&found), users_of(&expected), "seed {seed}");
            assert!(found.is_subset(&expected), "seed {seed}");
        }
        assert!(
            pairs > 0,
            "no generated account had a user able to join a group"
        );
        assert!(
            decided_pairs > 0,
            "no escalation went through a group decided alone"
        );
    }

    /// A group that denies a probe the user already holds never makes it an
    /// administrator, however much else it allows; one that only allows does.
    #[test]
    fn a_group_denying_a_held_probe_is_no_way_up() {
        let user = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":["iam:AddUserToGroup","ec2:*","s3:*","lambda:*","kms:*"],"Resource":"*"}]}"#;
        let allows = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}"#;
        let denies = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"},
            {"Effect":"Deny","Action":"kms:Decrypt","Resource":"*"}]}"#;
        let group = |name: &str, doc: &str| {
            format!(
                r#"{{"GroupName":"{name}","GroupId":"AGPA{name}","Arn":"arn:aws:iam::123456789012:group/{name}","Path":"/",
                "GroupPolicyList":[{{"PolicyName":"p","PolicyDocument":{doc}}}],"AttachedManagedPolicies":[]}}"#
            )
        };
        let gaad = format!(
            r#"{{"UserDetailList":[{{"UserName":"u","UserId":"AIDAU","Arn":"arn:aws:iam::123456789012:user/u","Path":"/",
            "GroupList":[],"UserPolicyList":[{{"PolicyName":"own","PolicyDocument":{user}}}],"AttachedManagedPolicies":[]}}],
            "GroupDetailList":[{},{}],"RoleDetailList":[],"Policies":[]}}"#,
            group("Denies", denies),
            group("Allows", allows)
        );
        let account = crate::load::load_gaad_bytes("t", gaad.into_bytes()).expect("loads");
        let engine = Engine::new(&account);
        let graph = Graph::build(&engine);
        let joined: Vec<String> = graph
            .grants
            .iter()
            .filter(|g| g.kind == EdgeKind::AddUserToGroup)
            .flat_map(|g| g.proofs.iter().map(|p| p.resource.to_string()))
            .collect();
        assert_eq!(joined, ["arn:aws:iam::123456789012:group/Allows"]);
    }

    /// The evaluator decides a group's policies alone for the probes, unless a statement
    /// that can take part reads the caller.
    #[test]
    fn a_group_is_decided_alone_unless_it_reads_the_caller() {
        let doc = |json: &str| crate::policy::PolicyDocument::parse(json);
        let everything = doc(r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#);
        let mfa_deny = doc(
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
            {"Effect":"Deny","NotAction":"iam:ChangePassword","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}"#,
        );
        let conditional = doc(
            r#"{"Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#,
        );
        let tagged = doc(
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"ops"}}}]}"#,
        );
        let own = doc(
            r#"{"Statement":[{"Effect":"Deny","Action":"iam:*","Resource":"arn:aws:iam::*:user/${aws:username}"}]}"#,
        );
        let caller = PrincipalFacts::from_arn("arn:aws:iam::123456789012:user/alice", false);
        let of = |d| GroupProbes::of(&[NamedPolicy::from_result("p", d)], &caller);
        let all = (1u8 << ADMIN_PROBES.len()) - 1;
        let full = of(&everything).expect("decided");
        assert_eq!((full.allows, full.never_denies), (all, all));
        let denied = of(&mfa_deny).expect("decided");
        assert_eq!(
            (denied.allows, denied.never_denies),
            (0, 0),
            "no MFA in the probes"
        );
        let ec2 = 1
            << ADMIN_PROBES
                .iter()
                .position(|a| *a == "ec2:RunInstances")
                .unwrap();
        let secure = of(&conditional).expect("decided");
        assert_eq!(secure.allows & ec2, 0, "aws:SecureTransport is not known");
        assert_eq!(secure.never_denies, all);
        assert!(of(&tagged).is_none(), "it reads the caller's tags");
        assert!(of(&own).is_none(), "it reads the caller's name");
    }
}
