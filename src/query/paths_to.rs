//! Paths from a principal to a goal — another principal, any administrator, or any
//! principal that can do an action on a resource — shortest first, and each hop
//! replayable as the evaluator's decision with its trace.

use serde::Serialize;

use super::explain::{deciding_statements, Explanation};
use super::hop::{hops, Hop};
use super::who_can::direct;
use crate::eval::{Engine, PrincipalRef, Query};
use crate::graph::search::{Path, Target};
use crate::graph::{Edge, Graph};

/// Where the paths should end.
#[derive(Debug, Clone)]
pub enum PathGoal {
    /// This principal.
    Principal(PrincipalRef),
    /// Any administrator (or a self-escalation to one).
    Admin,
    /// Any principal the evaluator allows (or conditionally allows) this request.
    CanDo(Query),
}

/// How far to look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathLimits {
    /// Every simple path up to `max_hops`, not only the shortest.
    pub all: bool,
    /// Longest path searched with `all`.
    pub max_hops: usize,
    /// Most paths listed.
    pub limit: usize,
}

impl Default for PathLimits {
    fn default() -> PathLimits {
        PathLimits {
            all: false,
            max_hops: super::paths::DEFAULT_MAX_HOPS,
            limit: super::paths::DEFAULT_LIMIT,
        }
    }
}

/// The answer: the paths found, shortest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathsAnswer {
    /// The start's ARN.
    pub from: String,
    /// The goal in words: an ARN, `admin`, or `can ACTION on RESOURCE`.
    pub goal: String,
    /// The paths, each a list of hops; an empty path means the start already is (or
    /// already can) what the goal asks.
    pub paths: Vec<Vec<Hop>>,
    /// The graph edges of each path, for replaying a hop ([`replay`]).
    #[serde(skip)]
    pub edges: Vec<Path>,
}

fn goal_nodes(engine: &Engine<'_>, graph: &Graph, goal: &PathGoal) -> Vec<Target> {
    match goal {
        PathGoal::Principal(p) => vec![Target::Node(graph.node_of(*p))],
        PathGoal::Admin => vec![Target::Admin],
        PathGoal::CanDo(query) => direct(engine, query)
            .into_iter()
            .map(|(p, _)| Target::Node(graph.node_of(p)))
            .collect(),
    }
}

/// The part of the graph [`find_paths`] walks from `from` to `goal` (see
/// [`Graph::build_from`]): the shortest path needs only the layers up to the first
/// goal (a path no longer than the layers built plus one cannot be beaten by a
/// longer way); every simple path needs all of what `from` reaches.
pub fn partial_graph(
    engine: &Engine<'_>,
    from: PrincipalRef,
    goal: &PathGoal,
    limits: PathLimits,
) -> Graph {
    if limits.all {
        return Graph::build_from(engine, from);
    }
    let goals: Option<Vec<PrincipalRef>> = match goal {
        PathGoal::Principal(p) => Some(vec![*p]),
        PathGoal::Admin => None,
        PathGoal::CanDo(query) => Some(direct(engine, query).into_iter().map(|(p, _)| p).collect()),
    };
    let mut settled = |part: &Graph, depth: usize| {
        let start = part.node_of(from);
        let shortest = |target| part.shortest_path(start, target).map(|p| p.len());
        let best = match &goals {
            None => shortest(Target::Admin),
            Some(goals) => goals
                .iter()
                .filter_map(|p| shortest(Target::Node(part.node_of(*p))))
                .min(),
        };
        best.is_some_and(|len| len <= depth + 1)
    };
    Graph::build_from_until(engine, from, Some(&mut settled))
}

/// The paths from `from` to `goal`.
pub fn find_paths(
    engine: &Engine<'_>,
    graph: &Graph,
    from: PrincipalRef,
    goal: &PathGoal,
    limits: PathLimits,
) -> PathsAnswer {
    let account = engine.account();
    let start = graph.node_of(from);
    let targets = goal_nodes(engine, graph, goal);
    let mut found: Vec<Path> = Vec::new();
    for target in targets {
        if limits.all {
            let left = limits.limit.saturating_sub(found.len());
            found.extend(graph.all_paths(start, target, limits.max_hops, left));
        } else if let Some(p) = graph.shortest_path(start, target) {
            found.push(p);
        }
        if found.iter().any(Vec::is_empty) && !limits.all {
            break;
        }
    }
    found.sort_by_key(Vec::len);
    if !limits.all {
        // The shortest only: one per length-tie is enough, the first found.
        found.truncate(1);
    }
    found.truncate(limits.limit);
    let goal_text = match goal {
        PathGoal::Principal(p) => engine.facts(*p).caller.arn.clone(),
        PathGoal::Admin => "admin".to_string(),
        PathGoal::CanDo(q) => {
            // The catalogue's spelling (`s3:GetObject`); the query keeps it lower-cased.
            let action = crate::catalog::Catalog::get()
                .action(q.action.as_str())
                .map_or_else(|| q.action.as_str().to_string(), |a| a.full_name());
            format!("can {action} on {}", q.resource)
        }
    };
    PathsAnswer {
        from: graph.nodes[start].arn(account),
        goal: goal_text,
        paths: found.iter().map(|p| hops(engine, graph, p)).collect(),
        edges: found,
    }
}

/// One request behind a hop, decided again with its trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplayedRequest {
    /// The action.
    pub action: String,
    /// The resource.
    pub resource: String,
    /// The decision, deciding statements and trace.
    pub explanation: Explanation,
}

/// Replays every request behind `edge` (the permission to take it and the trust that
/// admits it) as the evaluator decides them, with traces — what `iamscope can` prints
/// for each.
pub fn replay(engine: &Engine<'_>, graph: &Graph, edge: &Edge) -> Vec<ReplayedRequest> {
    let account = engine.account();
    edge.proofs
        .iter()
        .map(|proof| {
            let (decision, trace) = graph.replay(engine, edge.from, proof);
            let principal = proof
                .caller
                .as_deref()
                .map(str::to_string)
                .unwrap_or_else(|| graph.nodes[edge.from].arn(account));
            ReplayedRequest {
                action: proof.action.to_string(),
                resource: proof.resource.to_string(),
                explanation: Explanation {
                    principal,
                    decision: decision.name().to_string(),
                    missing_keys: decision.missing_keys().to_vec(),
                    statements: deciding_statements(&decision, &trace),
                    steps: trace.to_string().lines().map(str::to_string).collect(),
                    error: None,
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::Context;
    use crate::load::{self, Input};

    fn setup() -> crate::model::Account {
        load::load(&Input::from_arg(Some("sample:vulnerable"))).expect("sample loads")
    }

    #[test]
    fn chain_starter_reaches_admin_in_three_hops_and_each_hop_replays_as_allow() {
        let account = setup();
        let engine = Engine::new(&account);
        let graph = Graph::build(&engine);
        let from = engine.resolve("user/chain-starter").unwrap();
        let a = find_paths(
            &engine,
            &graph,
            from,
            &PathGoal::Admin,
            PathLimits::default(),
        );
        assert_eq!(a.goal, "admin");
        assert_eq!(a.paths.len(), 1);
        assert_eq!(a.paths[0].len(), 3, "{:?}", a.paths);
        assert!(a.paths[0][2].to.ends_with(":role/dvia-chain-role-c"));
        for edge in &a.edges[0] {
            let replayed = replay(&engine, &graph, edge);
            assert!(!replayed.is_empty());
            for r in replayed {
                assert_eq!(r.explanation.decision, "Allow", "{r:?}");
                assert!(!r.explanation.steps.is_empty());
            }
        }
        let trust = replay(&engine, &graph, &a.edges[0][0]);
        assert!(trust
            .iter()
            .flat_map(|r| &r.explanation.statements)
            .any(|s| s == "trust:dvia-chain-role-a/TrustChainStarter"));
    }

    #[test]
    fn a_goal_by_action_ends_at_a_principal_that_can() {
        let account = setup();
        let engine = Engine::new(&account);
        let graph = Graph::build(&engine);
        let from = engine.resolve("user/ec2-launcher").unwrap();
        let query =
            Query::new("secretsmanager:GetSecretValue", "*").with_context(Context::new(false));
        let a = find_paths(
            &engine,
            &graph,
            from,
            &PathGoal::CanDo(query),
            PathLimits::default(),
        );
        assert_eq!(a.paths.len(), 1);
        assert_eq!(a.paths[0].len(), 1);
        assert!(a.paths[0][0].to.ends_with(":role/dvia-ec2-admin-role"));
        assert_eq!(a.goal, "can secretsmanager:GetSecretValue on *");
    }

    #[test]
    fn all_paths_are_shortest_first_and_a_decoy_has_none() {
        let account = setup();
        let engine = Engine::new(&account);
        let graph = Graph::build(&engine);
        let from = engine.resolve("user/chain-starter").unwrap();
        let limits = PathLimits {
            all: true,
            ..PathLimits::default()
        };
        let a = find_paths(&engine, &graph, from, &PathGoal::Admin, limits);
        assert!(!a.paths.is_empty());
        assert!(a.paths.windows(2).all(|w| w[0].len() <= w[1].len()));
        let decoy = engine.resolve("user/decoy-passrole").unwrap();
        let none = find_paths(&engine, &graph, decoy, &PathGoal::Admin, limits);
        assert!(none.paths.is_empty(), "{:?}", none.paths);
    }
}
