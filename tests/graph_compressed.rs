//! Acceptance: the compressed graph answers as the uncompressed one would. On generated
//! accounts of a few hundred principals, the test expands every grant into per-pair
//! edges itself and checks:
//! - per pair, against the evaluator directly: a principal has an `assume_role` edge to
//!   a role, a `create_access_key` edge to a user and an `update_assume_role_policy`
//!   edge to a role exactly when `Engine::decide` allows (or conditionally allows) the
//!   request, with the same conditionality and missing keys — so a class or block
//!   decision never claims more, or less, than the per-principal decision;
//! - searches, against a plain breadth-first search over the expanded edges done here:
//!   the blast radius (`what-can`'s reachable principals and hops), the shortest path
//!   to an administrator (`paths FROM admin`), and who-can `--escalation`'s indirect
//!   principals and their hop counts.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use iamscope::eval::{Context, Decision, Engine, PrincipalRef, Query};
use iamscope::graph::search::Target;
use iamscope::graph::{EdgeKind, Graph};
use iamscope::query::what_can::what_can;
use iamscope::query::who_can::{who_can, WhoCanOptions};

#[path = "support/expanded.rs"]
mod expanded;
use expanded::{expand, generated, Expanded};

/// (conditional, sorted missing keys) of a decision that grants.
fn verdict(d: &Decision) -> Option<(bool, BTreeSet<String>)> {
    match d {
        Decision::Allow => Some((false, BTreeSet::new())),
        Decision::Conditional { missing_keys, .. } => {
            Some((true, missing_keys.iter().cloned().collect()))
        }
        _ => None,
    }
}

/// The edges an uncompressed graph would hold for one technique on one kind of target,
/// asked of the evaluator pair by pair.
fn per_pair(
    engine: &Engine<'_>,
    graph: &Graph,
    action: &str,
    sources: &[PrincipalRef],
    targets: &[(usize, String)],
) -> BTreeMap<(usize, usize), (bool, BTreeSet<String>)> {
    let mut out = BTreeMap::new();
    for (to, arn) in targets {
        let query = Query::new(action, arn).with_context(Context::new(false));
        for &who in sources {
            let from = graph.node_of(who);
            if from == *to {
                continue;
            }
            if let Some(v) = verdict(&engine.decide(who, &query)) {
                out.insert((from, *to), v);
            }
        }
    }
    out
}

fn of_kind(
    edges: &Expanded,
    kind: EdgeKind,
    sources: &BTreeSet<usize>,
) -> BTreeMap<(usize, usize), (bool, BTreeSet<String>)> {
    edges
        .iter()
        .filter(|((f, _, k), _)| *k == kind && sources.contains(f))
        .map(|((f, t, _), v)| ((*f, *t), v.clone()))
        .collect()
}

/// Plain BFS over the expanded edges (self-loops left out): hops to every node.
fn bfs(adjacent: &[Vec<usize>], from: usize) -> Vec<usize> {
    let mut depth = vec![usize::MAX; adjacent.len()];
    depth[from] = 0;
    let mut queue = VecDeque::from([from]);
    while let Some(n) = queue.pop_front() {
        for &m in &adjacent[n] {
            if depth[m] == usize::MAX {
                depth[m] = depth[n] + 1;
                queue.push_back(m);
            }
        }
    }
    depth
}

fn check(users: usize, roles: usize, seed: u64) {
    let account = generated(users, roles, seed);
    let engine = Engine::new(&account);
    let graph = Graph::build(&engine);
    let edges = expand(&graph);
    let n = graph.nodes.len();
    let what = format!("{users}/{roles} seed {seed}");

    // Per pair, against the evaluator.
    let everyone: Vec<PrincipalRef> = engine.principals().collect();
    let admin_capable = |node: usize| graph.is_admin(node) || graph.can_self_escalate(node);
    let escalating: Vec<PrincipalRef> = everyone
        .iter()
        .copied()
        .filter(|p| !admin_capable(graph.node_of(*p)))
        .collect();
    let all_nodes: BTreeSet<usize> = everyone.iter().map(|p| graph.node_of(*p)).collect();
    let non_admin: BTreeSet<usize> = escalating.iter().map(|p| graph.node_of(*p)).collect();
    let roles_arns: Vec<(usize, String)> = (0..account.roles.len())
        .map(|i| {
            let r = iamscope::model::RoleId(i as u32);
            (graph.role_node(r), account.role(r).common.arn.to_string())
        })
        .collect();
    let user_arns: Vec<(usize, String)> = (0..account.users.len())
        .map(|i| {
            let u = iamscope::model::UserId(i as u32);
            (graph.user_node(u), account.user(u).common.arn.to_string())
        })
        .collect();
    let expected = per_pair(&engine, &graph, "sts:AssumeRole", &everyone, &roles_arns);
    assert!(
        !expected.is_empty(),
        "{what}: some principal assumes a role"
    );
    assert_eq!(
        of_kind(&edges, EdgeKind::AssumeRole, &all_nodes),
        expected,
        "{what}: assume_role edges differ from the evaluator's per-pair decisions"
    );
    let expected = per_pair(
        &engine,
        &graph,
        "iam:CreateAccessKey",
        &escalating,
        &user_arns,
    );
    assert_eq!(
        of_kind(&edges, EdgeKind::CreateAccessKey, &non_admin),
        expected,
        "{what}: create_access_key edges differ"
    );
    let expected = per_pair(
        &engine,
        &graph,
        "iam:UpdateAssumeRolePolicy",
        &escalating,
        &roles_arns,
    );
    assert_eq!(
        of_kind(&edges, EdgeKind::UpdateAssumeRolePolicy, &non_admin),
        expected,
        "{what}: update_assume_role_policy edges differ"
    );

    // Searches, against a reference BFS over the expanded edges.
    let mut adjacent = vec![Vec::new(); n];
    let mut reverse = vec![Vec::new(); n];
    for &(from, to, _) in edges.keys() {
        if from != to {
            adjacent[from].push(to);
            reverse[to].push(from);
        }
    }
    for who in &everyone {
        let node = graph.node_of(*who);
        let depth = bfs(&adjacent, node);
        let reference: BTreeSet<(String, usize)> = (0..n)
            .filter(|&m| m != node && depth[m] != usize::MAX)
            .map(|m| (graph.nodes[m].arn(&account), depth[m]))
            .collect();
        let answer = what_can(&engine, Some(&graph), *who);
        let got: BTreeSet<(String, usize)> = answer
            .reachable
            .iter()
            .map(|r| (r.principal.clone(), r.hops))
            .collect();
        assert_eq!(
            got, reference,
            "{what}: blast radius of {}",
            answer.principal
        );
        // Shortest path to an administrator: an admin at depth d, or a self-escalator
        // at depth d plus its own hop.
        let to_admin = (0..n)
            .filter(|&m| depth[m] != usize::MAX)
            .filter_map(|m| {
                if graph.is_admin(m) {
                    Some(depth[m])
                } else if graph.can_self_escalate(m) {
                    Some(depth[m] + 1)
                } else {
                    None
                }
            })
            .min();
        assert_eq!(
            graph.shortest_path(node, Target::Admin).map(|p| p.len()),
            to_admin,
            "{what}: hops from {} to an administrator",
            answer.principal
        );
    }
    for (action, resource) in [
        ("iam:CreateUser", "*"),
        ("s3:GetObject", "arn:aws:s3:::some-bucket/key"),
        ("sts:AssumeRole", roles_arns[0].1.as_str()),
    ] {
        let query = Query::new(action, resource).with_context(Context::new(false));
        let direct: BTreeSet<usize> = engine
            .decide_all(&query)
            .into_iter()
            .filter(|(_, d)| verdict(d).is_some())
            .map(|(p, _)| graph.node_of(p))
            .collect();
        if direct.is_empty() {
            continue;
        }
        // Reverse BFS from the direct principals; an administrator (or self-escalator)
        // gets there in one hop.
        let mut depth = vec![usize::MAX; n];
        let mut queue: VecDeque<usize> = direct.iter().copied().collect();
        for &d in &direct {
            depth[d] = 0;
        }
        let mut late: Vec<usize> = (0..n)
            .filter(|&m| graph.nodes[m].is_internal() && admin_capable(m))
            .collect();
        while let Some(m) = queue.pop_front() {
            if depth[m] >= 1 && !late.is_empty() {
                for a in std::mem::take(&mut late) {
                    if depth[a] == usize::MAX {
                        depth[a] = 1;
                        queue.push_back(a);
                    }
                }
            }
            for &p in &reverse[m] {
                if depth[p] == usize::MAX {
                    depth[p] = depth[m] + 1;
                    queue.push_back(p);
                }
            }
            if queue.is_empty() {
                for a in std::mem::take(&mut late) {
                    if depth[a] == usize::MAX {
                        depth[a] = 1;
                        queue.push_back(a);
                    }
                }
            }
        }
        let reference: BTreeSet<(String, usize)> = (0..n)
            .filter(|&m| graph.nodes[m].is_internal() && !direct.contains(&m))
            .filter(|&m| depth[m] != usize::MAX)
            .map(|m| (graph.nodes[m].arn(&account), depth[m]))
            .collect();
        let rows = who_can(
            &engine,
            &query,
            WhoCanOptions {
                through: Some(&graph),
            },
        );
        let got: BTreeSet<(String, usize)> = rows
            .iter()
            .filter(|r| !r.via.is_empty())
            .map(|r| (r.principal.clone(), r.via.len()))
            .collect();
        assert_eq!(
            got, reference,
            "{what}: who-can --escalation {action} {resource}"
        );
    }
}

#[test]
fn compressed_graph_answers_as_the_expanded_one() {
    check(50, 50, 7);
    check(60, 30, 11);
}

/// Issue 9 item 6: takeover techniques are asked on the resources the principal is
/// allowed, not only on `*`: the startup sample's GitHub deploy role may update the
/// code of two Lambda functions, so it reaches the roles Lambda functions run as.
/// Issue 15 item 2: the sample's inventory (`workloads/lambda/us-east-1.json`) lists
/// both functions and the role each runs as, so each edge is a fact, not an assumption.
#[test]
fn the_github_deploy_role_can_replace_lambda_code() {
    let account =
        iamscope::load::load(&iamscope::load::Input::Sample("startup".into())).expect("sample");
    let engine = Engine::new(&account);
    let graph = Graph::build(&engine);
    let deploy = engine
        .resolve("github-actions-deploy")
        .expect("deploy role");
    let from = graph.node_of(deploy);
    let edges: Vec<(String, Vec<String>)> = graph
        .outgoing(from)
        .filter(|e| e.kind == EdgeKind::UpdateLambdaCode)
        .map(|e| {
            assert!(
                !e.conditional,
                "the inventory settles it: {:?}",
                e.assumptions
            );
            let hop = iamscope::query::hop::hop(&engine, &graph, &e);
            (graph.nodes[e.to].label(&account), hop.facts)
        })
        .collect();
    let expected: Vec<(String, Vec<String>)> = [
        (
            "role/acme-stripe-webhook-lambda",
            "function acme-stripe-webhook (us-east-1) runs as role/service-role/acme-stripe-webhook-lambda",
        ),
        (
            "role/acme-thumbnailer-lambda",
            "function acme-thumbnailer (us-east-1) runs as role/service-role/acme-thumbnailer-lambda",
        ),
    ]
    .into_iter()
    .map(|(role, fact)| (role.to_string(), vec![fact.to_string()]))
    .collect();
    let mut edges = edges;
    edges.sort();
    assert_eq!(edges, expected);
}

/// Without the inventory the same edges stay conditional on such a function existing,
/// and say which part of the bundle would settle it.
#[test]
fn without_the_inventory_lambda_takeover_is_an_assumption() {
    let mut account =
        iamscope::load::load(&iamscope::load::Input::Sample("startup".into())).expect("sample");
    account.workloads = Default::default();
    let engine = Engine::new(&account);
    let graph = Graph::build(&engine);
    let deploy = engine
        .resolve("github-actions-deploy")
        .expect("deploy role");
    let targets: BTreeSet<String> = graph
        .outgoing(graph.node_of(deploy))
        .filter(|e| e.kind == EdgeKind::UpdateLambdaCode)
        .map(|e| {
            let joined = e.assumptions.join(" ");
            assert!(e.conditional);
            assert!(
                joined.contains("function:acme-thumbnailer")
                    && joined.contains("function:acme-stripe-webhook")
                    && joined.contains("workloads/lambda/<region>.json"),
                "the edge names the functions it may update and the file that would settle it: {joined}"
            );
            graph.nodes[e.to].label(&account)
        })
        .collect();
    let expected: BTreeSet<String> = [
        "role/acme-thumbnailer-lambda",
        "role/acme-stripe-webhook-lambda",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(targets, expected);
}

/// A role whose trust names one user and also delegates to the account: the named user
/// is admitted by the trust alone, the others only with their own allow. The trust side
/// of the named caller is its own, never shared with (or taken from) a caller it does
/// not name, whichever is decided first.
#[test]
fn a_trust_naming_one_caller_and_the_account_decides_each_apart() {
    use serde_json::json;
    let acct = "111122223333";
    let allow_assume = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]});
    let user = |name: &str, policies: serde_json::Value| {
        json!({
            "Path": "/", "UserName": name, "UserId": format!("AID{name}"),
            "Arn": format!("arn:aws:iam::{acct}:user/{name}"),
            "CreateDate": "2024-01-01T00:00:00Z", "UserPolicyList": policies,
            "GroupList": [], "AttachedManagedPolicies": [], "Tags": []
        })
    };
    // Callers the trust does not name come first and last, around the named one.
    let mut users = vec![
        user(
            "a-delegated",
            json!([{"PolicyName": "p", "PolicyDocument": allow_assume}]),
        ),
        user("named", json!([])),
        user(
            "named-too",
            json!([{"PolicyName": "p", "PolicyDocument": allow_assume}]),
        ),
    ];
    users.push(user(
        "z-delegated",
        json!([{"PolicyName": "p", "PolicyDocument": allow_assume}]),
    ));
    let roles: Vec<serde_json::Value> = (0..6)
        .map(|i| {
            json!({
                "Path": "/", "RoleName": format!("r{i}"), "RoleId": format!("AROA{i}"),
                "Arn": format!("arn:aws:iam::{acct}:role/r{i}"),
                "CreateDate": "2024-01-01T00:00:00Z",
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow", "Action": "sts:AssumeRole",
                    "Principal": {"AWS": [
                        format!("arn:aws:iam::{acct}:root"),
                        format!("arn:aws:iam::{acct}:user/named"),
                        format!("arn:aws:iam::{acct}:user/named-too")
                    ]}
                }]},
                "RolePolicyList": [], "AttachedManagedPolicies": [],
                "InstanceProfileList": [], "Tags": []
            })
        })
        .collect();
    let gaad = json!({
        "UserDetailList": users, "GroupDetailList": [], "RoleDetailList": roles,
        "Policies": []
    });
    let account = iamscope::load::load_gaad_bytes("handmade", gaad.to_string().into_bytes())
        .expect("hand-made account loads");
    let engine = Engine::new(&account);
    let graph = Graph::build(&engine);
    let everyone: Vec<PrincipalRef> = engine.principals().collect();
    let all_nodes: BTreeSet<usize> = everyone.iter().map(|p| graph.node_of(*p)).collect();
    let roles_arns: Vec<(usize, String)> = (0..account.roles.len())
        .map(|i| {
            let r = iamscope::model::RoleId(i as u32);
            (graph.role_node(r), account.role(r).common.arn.to_string())
        })
        .collect();
    let expected = per_pair(&engine, &graph, "sts:AssumeRole", &everyone, &roles_arns);
    // Every user reaches every role: the named ones by the trust, the others by
    // delegation and their own allow (the roles themselves hold no allow).
    let users_to_roles = expected
        .keys()
        .filter(|(f, _)| *f < account.users.len())
        .count();
    assert_eq!(users_to_roles, 4 * 6, "{expected:?}");
    assert_eq!(
        of_kind(&expand(&graph), EdgeKind::AssumeRole, &all_nodes),
        expected
    );
}
