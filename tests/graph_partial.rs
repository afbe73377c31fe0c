//! Acceptance (issue 11 item 2): the one-principal questions build only the part of
//! the graph they walk, and answer as the full graph does. On every sample and on
//! generated accounts of a few hundred principals, the test expands both graphs'
//! grants into per-pair edges itself (`support/expanded.rs`) and checks:
//! - forward (`paths`, what-can's reach, `blast`): every edge leaving a node the
//!   principal can reach (in the full graph) is in the part, with the same
//!   conditionality and missing keys, and the part has no other edge from them; those
//!   nodes' administrator status and self-escalations are the same; what-can's answer
//!   is equal; the shortest path to an administrator (or to a principal) is as long,
//!   and each of its hops is an edge of the full graph;
//! - reverse (who-can `--escalation`, `trust ROLE`): every edge into a node that can
//!   reach the goals (in the full graph) is in the part, alike; every principal's
//!   administrator status is the same; who-can's rows and hop counts, and the trust
//!   report's direct edges, transitive principals and administrators are equal.
//!
//! Where two ways tie for shortest, either may be shown, so paths are compared by
//! length and by each hop being a real edge, not hop by hop.

use std::collections::{BTreeMap, BTreeSet};

use iamscope::eval::{Context, Engine, PrincipalRef, Query};
use iamscope::graph::search::Target;
use iamscope::graph::{Edge, EdgeKind, Graph, Node};
use iamscope::model::Account;
use iamscope::query::blast::blast;
use iamscope::query::paths_to::{partial_graph, PathGoal, PathLimits};
use iamscope::query::trust::trust;
use iamscope::query::what_can::what_can;
use iamscope::query::who_can::{who_can, who_can_escalation, WhoCanOptions};

#[path = "support/expanded.rs"]
mod expanded;
use expanded::{expand, generated, Expanded};

fn sample(name: &str) -> Account {
    iamscope::load::load(&iamscope::load::Input::Sample(name.into())).expect("sample loads")
}

/// Edges by their ends' nodes (outside principals are numbered as each build finds
/// them), with conditionality and missing keys.
type Named = BTreeMap<(Node, Node, EdgeKind), (bool, BTreeSet<String>)>;

/// The edges of `graph` (expanded: `edges`) whose source (`by_source`) or target is in
/// `nodes`.
fn touching(graph: &Graph, edges: &Expanded, nodes: &BTreeSet<usize>, by_source: bool) -> Named {
    edges
        .iter()
        .filter(|((f, t, _), _)| nodes.contains(if by_source { f } else { t }))
        .map(|((f, t, k), v)| {
            (
                (graph.nodes[*f].clone(), graph.nodes[*t].clone(), *k),
                v.clone(),
            )
        })
        .collect()
}

/// Fails with the edges only one side has (a few of each), when the two differ.
fn assert_same_edges(part: &Named, full: &Named, what: &str) {
    if part == full {
        return;
    }
    let missing: Vec<_> = full
        .iter()
        .filter(|(k, v)| part.get(k) != Some(v))
        .take(8)
        .collect();
    let extra: Vec<_> = part
        .iter()
        .filter(|(k, v)| full.get(k) != Some(v))
        .take(8)
        .collect();
    panic!("{what}: the part lacks {missing:?}; it has, unlike the full graph, {extra:?}");
}

/// The nodes' administrator status and self-escalation are the full graph's.
fn assert_same_status(part: &Graph, full: &Graph, nodes: impl Iterator<Item = usize>, what: &str) {
    for n in nodes {
        assert_eq!(
            part.admins[n], full.admins[n],
            "{what}: admin status of {n}"
        );
        assert_eq!(
            part.can_self_escalate(n),
            full.can_self_escalate(n),
            "{what}: self-escalation of {n}"
        );
    }
}

/// A hop of a path from the part is an edge of the full graph (or an administrator's
/// control, by a node the full graph holds to be one).
fn assert_real(full: &Graph, edges: &Expanded, path: &[Edge], what: &str) {
    for e in path {
        if e.kind == EdgeKind::AdminControl {
            assert!(
                full.is_admin(e.from) || full.can_self_escalate(e.from),
                "{what}: {e:?} controls without being an administrator"
            );
            continue;
        }
        let got = (e.conditional, e.missing_keys.iter().cloned().collect());
        assert_eq!(
            edges.get(&(e.from, e.to, e.kind)),
            Some(&got),
            "{what}: hop {e:?} is not an edge of the full graph"
        );
    }
}

/// The forward checks for `who`.
fn check_from(engine: &Engine<'_>, full: &Graph, edges: &Expanded, who: PrincipalRef, what: &str) {
    let account = engine.account();
    let start = full.node_of(who);
    let label = full.nodes[start].arn(account);
    let part = Graph::build_from(engine, who);
    let reach: BTreeSet<usize> = std::iter::once(start)
        .chain(full.reachable(start).into_iter().map(|(n, _)| n))
        .collect();
    assert_same_edges(
        &touching(&part, &expand(&part), &reach, true),
        &touching(full, edges, &reach, true),
        &format!("{what}: edges leaving what {label} reaches"),
    );
    assert_same_status(&part, full, reach.iter().copied(), what);
    assert_eq!(
        what_can(engine, Some(&part), who),
        what_can(engine, Some(full), who),
        "{what}: what-can {label}"
    );
    // The shortest paths, from a part cut short once they are settled.
    let mut goals = vec![(PathGoal::Admin, Target::Admin)];
    for n in [
        reach.iter().next_back(),
        (0..full.nodes.len())
            .find(|n| !reach.contains(n) && full.nodes[*n].is_internal())
            .as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        if let Some(p) = full.principal(*n) {
            goals.push((PathGoal::Principal(p), Target::Node(*n)));
        }
    }
    for (goal, target) in goals {
        let cut = partial_graph(engine, who, &goal, PathLimits::default());
        let expected = full.shortest_path(start, target);
        let got = cut.shortest_path(start, target);
        assert_eq!(
            got.as_ref().map(Vec::len),
            expected.as_ref().map(Vec::len),
            "{what}: shortest path from {label} to {goal:?}"
        );
        if let Some(path) = got {
            assert_eq!(path.first().map_or(start, |e| e.from), start);
            assert!(path.windows(2).all(|w| w[0].to == w[1].from));
            assert_real(full, edges, &path, what);
        }
    }
}

/// The reverse checks for the principals `goals`: the part's edges into what reaches
/// them, and every principal's admin status.
fn check_towards(full: &Graph, edges: &Expanded, part: &Graph, goals: &[usize], what: &str) {
    let late: Vec<usize> = (0..full.nodes.len())
        .filter(|&n| full.nodes[n].is_internal())
        .filter(|&n| full.is_admin(n) || full.can_self_escalate(n))
        .collect();
    let towards = full.towards_with(goals, &late, |_, _| None);
    let closure: BTreeSet<usize> = (0..full.nodes.len())
        .filter(|&n| towards.depth[n] != usize::MAX)
        .collect();
    assert_same_edges(
        &touching(part, &expand(part), &closure, false),
        &touching(full, edges, &closure, false),
        &format!("{what}: edges into what reaches the goals"),
    );
    let principals = (0..full.nodes.len()).filter(|&n| full.nodes[n].is_internal());
    assert_same_status(part, full, principals, what);
}

fn check_who_can(engine: &Engine<'_>, full: &Graph, edges: &Expanded, query: &Query, what: &str) {
    let expected = who_can(
        engine,
        query,
        WhoCanOptions {
            through: Some(full),
        },
    );
    let got = who_can_escalation(engine, query);
    let direct = |rows: &[iamscope::query::who_can::WhoCanRow]| {
        rows.iter()
            .filter(|r| r.via.is_empty())
            .cloned()
            .collect::<Vec<_>>()
    };
    let indirect = |rows: &[iamscope::query::who_can::WhoCanRow]| {
        rows.iter()
            .filter(|r| !r.via.is_empty())
            .map(|r| (r.principal.clone(), r.via.len()))
            .collect::<BTreeSet<_>>()
    };
    let what = format!(
        "{what}: who-can --escalation {} {}",
        query.action.as_str(),
        query.resource
    );
    assert_eq!(direct(&got), direct(&expected), "{what}: direct rows");
    assert_eq!(indirect(&got), indirect(&expected), "{what}: indirect rows");
    let goals: Vec<PrincipalRef> = iamscope::query::who_can::direct(engine, query)
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    let nodes: Vec<usize> = goals.iter().map(|p| full.node_of(*p)).collect();
    check_towards(
        full,
        edges,
        &Graph::build_towards(engine, &goals),
        &nodes,
        &what,
    );
}

fn check_trust(
    engine: &Engine<'_>,
    full: &Graph,
    edges: &Expanded,
    role: iamscope::model::RoleId,
    what: &str,
) {
    let part = Graph::build_towards(engine, &[PrincipalRef::Role(role)]);
    let what = format!("{what}: trust {}", engine.account().role(role).common.arn);
    check_towards(full, edges, &part, &[full.role_node(role)], &what);
    let expected = trust(engine, full, role);
    let got = trust(engine, &part, role);
    let direct = |r: &iamscope::query::trust::TrustReport| {
        r.direct
            .iter()
            .map(|h| {
                (
                    h.from.clone(),
                    h.kind.clone(),
                    h.conditional,
                    h.missing_keys.clone(),
                )
            })
            .collect::<BTreeSet<_>>()
    };
    let transitive = |r: &iamscope::query::trust::TrustReport| {
        r.transitive
            .iter()
            .map(|t| (t.principal.clone(), t.hops))
            .collect::<Vec<_>>()
    };
    assert_eq!(direct(&got), direct(&expected), "{what}: direct");
    assert_eq!(
        transitive(&got),
        transitive(&expected),
        "{what}: transitive"
    );
    assert_eq!(
        got.administrators, expected.administrators,
        "{what}: administrators"
    );
}

/// Every check on `account`: forward from every `stride`th principal, reverse for a
/// few requests and every `stride`th role.
fn check(account: &Account, stride: usize, what: &str) {
    let engine = Engine::new(account);
    let full = Graph::build(&engine);
    let edges = expand(&full);
    let everyone: Vec<PrincipalRef> = engine.principals().collect();
    // Principals that reach an administrator, and administrators, are checked too.
    let picked = everyone.iter().enumerate().filter(|(i, p)| {
        let n = full.node_of(**p);
        i % stride == 0 || full.is_admin(n) && i % (stride * 3) == 1
    });
    for (_, who) in picked {
        check_from(&engine, &full, &edges, *who, what);
    }
    let first_role = account.roles.first().map(|r| r.common.arn.to_string());
    let mut requests = vec![
        ("iam:CreateUser", "*".to_string()),
        ("s3:GetObject", "arn:aws:s3:::some-bucket/key".to_string()),
        ("secretsmanager:GetSecretValue", "*".to_string()),
    ];
    requests.extend(first_role.map(|r| ("sts:AssumeRole", r)));
    for (action, resource) in requests {
        let query = Query::new(action, &resource).with_context(Context::new(false));
        check_who_can(&engine, &full, &edges, &query, what);
    }
    for i in (0..account.roles.len()).step_by(stride) {
        check_trust(
            &engine,
            &full,
            &edges,
            iamscope::model::RoleId(i as u32),
            what,
        );
    }
}

#[test]
fn partial_graphs_answer_as_the_full_one_on_the_samples() {
    for name in ["vulnerable", "startup", "enterprise", "analytics"] {
        check(&sample(name), 1, name);
    }
}

#[test]
fn partial_graphs_answer_as_the_full_one_on_generated_accounts() {
    check(&generated(150, 150, 7), 13, "150/150 seed 7");
    check(&generated(200, 100, 11), 17, "200/100 seed 11");
}

/// The samples' blast radius is the same from the part as from the full graph: who is
/// reached and in how many hops, who is an administrator, what each can do, and the
/// sensitive actions within reach.
#[test]
fn blast_radius_from_the_part_equals_the_full_graphs() {
    for name in ["vulnerable", "startup"] {
        let account = sample(name);
        let engine = Engine::new(&account);
        let full = Graph::build(&engine);
        for who in engine.principals() {
            let part = Graph::build_from(&engine, who);
            let (a, b) = (blast(&engine, &part, who), blast(&engine, &full, who));
            let summary = |r: &iamscope::query::blast::BlastRadius| {
                let reached: Vec<_> = r
                    .reached
                    .iter()
                    .map(|x| {
                        (
                            x.principal.clone(),
                            x.hops,
                            x.administrator,
                            x.self_escalation.clone(),
                            x.services.clone(),
                        )
                    })
                    .collect();
                (
                    reached,
                    r.admin_path.as_ref().map(Vec::len),
                    r.every_principal,
                    r.sensitive.clone(),
                )
            };
            assert_eq!(summary(&a), summary(&b), "{name}: blast {}", a.principal);
        }
    }
}
