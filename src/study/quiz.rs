//! Quiz generation: requests where layers interact, decided by the evaluator.
//!
//! [`generate`] harvests candidate requests from the account's statements
//! ([`super::candidates`]), asks the evaluator for each (with the context unknown,
//! and, when that leaves the answer Conditional, with the missing keys set to a value
//! the account's conditions compare them with, and with every key absent), reads the
//! deciding layer and statement from the trace, files the request under a [`Topic`],
//! and picks questions round-robin over the topics, most interesting first, preferring
//! a decision and deciding statement not asked yet.

use std::collections::{BTreeMap, BTreeSet};

use super::candidates::{harvest, ConditionValues, Harvest, Seed};
use super::deciding::{deciding_step, layers_of, trace_facts, Deciding};
use super::question::{Question, QuestionContext, DECISION_CHOICES};
use super::rng::SeededRng;
use super::topic::Topic;
use crate::eval::scenario::is_federated_action;
use crate::eval::{Decision, Engine, Layer, Query, Trace};
use crate::model::Account;
use crate::policy::{ActionName, Caller, CallerKind};
use crate::query::input::{check_action, check_context, check_resource};
use crate::query::resolve::resolve_caller;

/// At most this many harvested requests are evaluated (a seeded sample beyond).
const MAX_SEEDS: usize = 4000;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizOptions {
    /// How many questions (fewer when the account has fewer distinct ones).
    pub count: usize,
    /// The seed: the same seed and account give the same quiz.
    pub seed: u64,
    /// Only questions of these topics (all topics when empty).
    pub topics: Vec<Topic>,
}

impl Default for QuizOptions {
    fn default() -> Self {
        QuizOptions {
            count: 10,
            seed: 1,
            topics: Vec::new(),
        }
    }
}

/// One evaluated candidate.
struct Candidate {
    seed: Seed,
    context: QuestionContext,
    decision: Decision,
    trace: Trace,
    deciding: Deciding,
    topic: Topic,
    score: u8,
}

impl Candidate {
    /// What makes two questions "the same lesson": decision and deciding statement.
    fn signature(&self) -> (&'static str, String, String, Option<usize>) {
        (
            self.decision.name(),
            format!("{}", self.deciding.layer),
            self.deciding.policy.clone(),
            self.deciding.statement,
        )
    }
}

/// Generates a quiz on `account`.
pub fn generate(account: &Account, options: &QuizOptions) -> Vec<Question> {
    let engine = Engine::new(account);
    let mut rng = SeededRng::new(options.seed);
    let Harvest {
        mut seeds,
        condition_values,
        pair_values,
    } = harvest(account, &mut rng);
    if seeds.len() > MAX_SEEDS {
        rng.shuffle(&mut seeds);
        seeds.truncate(MAX_SEEDS);
        seeds.sort();
    }
    let mut buckets: BTreeMap<Topic, Vec<Candidate>> = BTreeMap::new();
    let mut checked = ContextChecks::new();
    for seed in seeds {
        let own = pair_values.get(&(seed.action.clone(), seed.resource.clone()));
        let values = Values {
            own,
            account: &condition_values,
        };
        for c in evaluate_seed(&engine, account, &seed, &values, &mut checked) {
            if options.topics.is_empty() || options.topics.contains(&c.topic) {
                buckets.entry(c.topic).or_default().push(c);
            }
        }
    }
    pick(buckets, options.count, &mut rng)
}

/// Whether `can` accepts a context, by its values.
type ContextChecks = BTreeMap<BTreeMap<String, Vec<String>>, bool>;

/// Where a missing key's value comes from: the request's own statements first.
struct Values<'a> {
    own: Option<&'a ConditionValues>,
    account: &'a ConditionValues,
}

impl Values<'_> {
    fn get(&self, key_lower: &str) -> Option<&(String, String)> {
        self.own
            .and_then(|o| o.get(key_lower))
            .or_else(|| self.account.get(key_lower))
    }
}

/// The candidates of one request: context unknown, then, when that is Conditional on
/// keys, those keys given and every key absent.
fn evaluate_seed(
    engine: &Engine<'_>,
    account: &Account,
    seed: &Seed,
    values: &Values<'_>,
    checked: &mut ContextChecks,
) -> Vec<Candidate> {
    if check_action(&seed.action).is_err()
        || check_resource(&seed.resource).is_err()
        || resolve_caller(engine, &seed.principal).is_err()
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    let unknown = QuestionContext::default();
    let Some(first) = evaluate(engine, account, seed, unknown, checked) else {
        return out;
    };
    let keys: Vec<String> = first.decision.missing_keys().to_vec();
    out.push(first);
    if keys.is_empty() {
        return out;
    }
    let mut given = QuestionContext {
        complete: true,
        values: BTreeMap::new(),
    };
    for k in &keys {
        if let Some((key, v)) = values.get(&k.to_lowercase()) {
            given.values.insert(key.clone(), vec![v.clone()]);
        }
    }
    let absent = QuestionContext {
        complete: true,
        values: BTreeMap::new(),
    };
    let variants = if given.values.is_empty() {
        vec![absent]
    } else {
        vec![given, absent]
    };
    out.extend(
        variants
            .into_iter()
            .filter_map(|ctx| evaluate(engine, account, seed, ctx, checked)),
    );
    out
}

fn evaluate(
    engine: &Engine<'_>,
    account: &Account,
    seed: &Seed,
    context: QuestionContext,
    checked: &mut ContextChecks,
) -> Option<Candidate> {
    let ctx = context.to_context();
    if !context.values.is_empty() {
        // Values `can` would refuse (a CIDR where an address is expected) are skipped.
        // The check reads every policy of the account: once per distinct context.
        let ok = *checked
            .entry(context.values.clone())
            .or_insert_with(|| check_context(&ctx, account).is_ok());
        if !ok {
            return None;
        }
    }
    let query = Query::new(&seed.action, &seed.resource).with_context(ctx);
    let mut trace = Trace::default();
    let decision = engine.decide_arn(&seed.principal, &query, Some(&mut trace));
    let deciding = deciding_step(&decision, &trace);
    let topic = classify(
        &seed.principal,
        &query.action,
        &decision,
        &deciding,
        &account.id,
        !context.values.is_empty(),
    );
    let score = score(&decision, &deciding, &trace, !context.values.is_empty());
    Some(Candidate {
        seed: seed.clone(),
        context,
        decision,
        trace,
        deciding,
        topic,
        score,
    })
}

/// The topic a request exercises: the action's own topic (PassRole, federation), the
/// caller's (a service assuming its role, another account), else the deciding layer's.
pub fn classify(
    principal: &str,
    action: &ActionName,
    decision: &Decision,
    deciding: &Deciding,
    account_id: &str,
    context_given: bool,
) -> Topic {
    let caller = Caller::from_arn(principal, is_federated_action(action));
    let (service, name) = (action.service(), action.name());
    let assume = service == "sts" && name == "assumerole";
    if service == "iam" && name == "passrole" {
        return Topic::Passrole;
    }
    if service == "sts" && name == "assumerolewithwebidentity" {
        return Topic::OidcGithub;
    }
    if service == "sts" && name == "assumerolewithsaml" {
        return Topic::Saml;
    }
    if caller.kind == CallerKind::Service && assume {
        return if caller.arn == "ec2.amazonaws.com" {
            Topic::InstanceProfiles
        } else {
            Topic::WorkloadRoles
        };
    }
    if caller.is_iam() && caller.account.as_deref().is_some_and(|a| a != account_id) {
        return Topic::CrossAccount;
    }
    match deciding.layer {
        Layer::Scp(_) | Layer::Rcp(_) => return Topic::ScpsRcps,
        Layer::Boundary => return Topic::PermissionsBoundaries,
        _ => {}
    }
    if matches!(decision, Decision::Conditional { .. }) || context_given {
        return Topic::Conditions;
    }
    if assume || deciding.layer == Layer::TrustPolicy {
        return Topic::TrustPolicies;
    }
    if matches!(deciding.layer, Layer::ResourcePolicy | Layer::KeyPolicy) {
        return Topic::IdentityVsResource;
    }
    Topic::DecisionFlow
}

/// How much a request teaches: layers interacting score high (a Deny overriding an
/// Allow, a grant cut by a boundary, SCP, trust or key policy, a resource policy
/// granting alone, a condition), a plain implicit deny with nothing granted lowest.
fn score(decision: &Decision, deciding: &Deciding, trace: &Trace, context_given: bool) -> u8 {
    let f = trace_facts(trace);
    let cutting_layer = !matches!(deciding.layer, Layer::Identity | Layer::Decision);
    match decision {
        Decision::ExplicitDeny if f.some_grant => 3,
        Decision::ExplicitDeny => 2,
        Decision::ImplicitDeny if cutting_layer && f.some_grant => 3,
        Decision::ImplicitDeny if cutting_layer => 1,
        Decision::ImplicitDeny => 0,
        Decision::Allow if deciding.layer == Layer::ResourcePolicy && !f.identity_grant => 3,
        Decision::Allow if context_given => 2,
        Decision::Allow => 1,
        Decision::Conditional { .. } => 2,
    }
}

/// Picks `count` questions round-robin over the topics (in a seeded order), each
/// topic's best first, preferring signatures and (principal, action) pairs not used yet.
fn pick(
    mut buckets: BTreeMap<Topic, Vec<Candidate>>,
    count: usize,
    rng: &mut SeededRng,
) -> Vec<Question> {
    for bucket in buckets.values_mut() {
        rng.shuffle(bucket);
        bucket.sort_by_key(|c| std::cmp::Reverse(c.score));
    }
    let mut topics: Vec<Topic> = buckets.keys().copied().collect();
    rng.shuffle(&mut topics);
    let mut used_signatures = BTreeSet::new();
    let mut used_pairs = BTreeSet::new();
    let mut used_requests = BTreeSet::new();
    let mut out: Vec<Question> = Vec::new();
    while out.len() < count && buckets.values().any(|b| !b.is_empty()) {
        for t in &topics {
            if out.len() >= count {
                break;
            }
            let Some(bucket) = buckets.get_mut(t) else {
                continue;
            };
            bucket.retain(|c| {
                !used_requests.contains(&(
                    c.seed.clone(),
                    c.context.clone().values,
                    c.context.complete,
                ))
            });
            let fresh = |c: &Candidate| {
                !used_signatures.contains(&c.signature())
                    && !used_pairs.contains(&(c.seed.principal.clone(), c.seed.action.clone()))
            };
            let Some(i) = bucket
                .iter()
                .position(fresh)
                .or_else(|| {
                    bucket
                        .iter()
                        .position(|c| !used_signatures.contains(&c.signature()))
                })
                .or(if bucket.is_empty() { None } else { Some(0) })
            else {
                continue;
            };
            let c = bucket.remove(i);
            used_signatures.insert(c.signature());
            used_pairs.insert((c.seed.principal.clone(), c.seed.action.clone()));
            used_requests.insert((c.seed.clone(), c.context.values.clone(), c.context.complete));
            out.push(question(out.len() + 1, c));
        }
    }
    out
}

fn question(number: usize, c: Candidate) -> Question {
    let prompt = format!(
        "Can {} call {} on {}? (context: {})",
        c.seed.principal,
        c.seed.action,
        c.seed.resource,
        c.context.describe()
    );
    Question {
        number,
        topic: c.topic,
        layer_choices: layers_of(&c.trace),
        principal: c.seed.principal,
        action: c.seed.action,
        resource: c.seed.resource,
        context: c.context,
        prompt,
        choices: DECISION_CHOICES.to_vec(),
        answer: c.decision.name(),
        decision: c.decision,
        deciding: c.deciding,
        trace: c.trace,
    }
}
