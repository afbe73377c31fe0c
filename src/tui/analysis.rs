//! The evaluator and the trust graph as the TUI asks them: requests that
//! [`super::update::update`] emits as tasks, answered by an [`Analyst`] from the
//! core's queries (`crate::query`) — on a
//! worker thread in the app, synchronously in tests and benchmarks.
//!
//! The worker owns the account (`Arc<Account>`) and builds its [`Engine`] inside the
//! thread, so nothing borrowed crosses threads. The graph takes seconds on a large
//! account: it is built on a thread of its own ([`build_graph`]) and handed to the UI
//! and the worker when ready.

use std::ops::Range;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::thread;

use crate::eval::{Context, Engine, PrincipalRef, Query};
use crate::graph::progress::Progress;
use crate::graph::{Edge, EdgeKind, Graph};
use crate::model::Account;
use crate::query::blast::blast;
use crate::query::explain::{deciding, explain};
use crate::query::paths_to::{find_paths, replay, PathGoal, PathLimits};
use crate::query::resolve::resolve_principal;
use crate::query::who_can::{who_can, WhoCanOptions};

use super::action::Action;

/// What a path should end at, as the paths pane asks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathsGoal {
    /// Any administrator.
    Admin,
    /// This principal.
    Principal(PrincipalRef),
    /// The principal this text names (`user/NAME`, `role/NAME`, a name, an ARN).
    Named(String),
    /// Any principal that can do `action` on `resource`.
    CanDo {
        /// The action.
        action: String,
        /// The resource ARN or `*`.
        resource: String,
    },
}

/// A question for the analyst. Each carries an id; answers to stale ids are dropped.
/// Questions about a request carry the context keys set in the context editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Who can do `action` on `resource`.
    WhoCan {
        /// Request id.
        id: u64,
        /// The action.
        action: String,
        /// The resource ARN or `*`.
        resource: String,
        /// The context keys.
        context: Context,
        /// Also principals that get there through the graph (needs it built).
        escalation: bool,
        /// The rows that will be in view: only their deciding statements come with
        /// the answer; the others' when scrolled into view ([`Request::Statements`]).
        in_view: Range<usize>,
    },
    /// The deciding statements of some rows of a who-can answer.
    Statements {
        /// The id of the who-can answer the rows belong to.
        id: u64,
        /// The action.
        action: String,
        /// The resource.
        resource: String,
        /// The context keys.
        context: Context,
        /// (row index, principal ARN).
        rows: Vec<(usize, String)>,
    },
    /// One principal's decision with its trace.
    Explain {
        /// Request id.
        id: u64,
        /// ARN, `user/NAME`, `role/NAME`, a bare name, or an outside principal.
        principal: String,
        /// The action.
        action: String,
        /// The resource.
        resource: String,
        /// The context keys.
        context: Context,
    },
    /// The statements behind an edge of the graph.
    Evidence {
        /// Request id.
        id: u64,
        /// The edge.
        edge: Edge,
    },
    /// The blast radius of a principal (needs the graph).
    Blast {
        /// Request id.
        id: u64,
        /// The principal.
        principal: PrincipalRef,
    },
    /// Paths from a principal to a goal (needs the graph).
    Paths {
        /// Request id.
        id: u64,
        /// The start.
        from: PrincipalRef,
        /// The goal.
        goal: PathsGoal,
        /// Every simple path up to this many hops; `None`: the shortest only.
        depth: Option<usize>,
        /// The context keys of a goal by action.
        context: Context,
    },
    /// The requests behind a hop, decided again with traces.
    Replay {
        /// Request id.
        id: u64,
        /// The hop's edge.
        edge: Edge,
    },
}

impl Request {
    fn kind(&self) -> u8 {
        match self {
            Request::WhoCan { .. } => 0,
            Request::Statements { .. } => 1,
            Request::Explain { .. } => 2,
            Request::Evidence { .. } => 3,
            Request::Blast { .. } => 4,
            Request::Paths { .. } => 5,
            Request::Replay { .. } => 6,
        }
    }
}

/// Answers [`Request`]s for one account.
pub struct Analyst<'e, 'a> {
    /// The evaluator.
    pub engine: &'e Engine<'a>,
    /// The graph, once built.
    pub graph: Option<Arc<Graph>>,
}

fn query(action: &str, resource: &str, context: &Context) -> Query {
    Query::new(action.trim(), resource).with_context(context.clone())
}

impl Analyst<'_, '_> {
    /// Who can: the rows, and the deciding statements of the direct ones in
    /// `in_view`.
    pub fn who_can(
        &self,
        q: &Query,
        escalation: bool,
        in_view: Range<usize>,
    ) -> (
        Vec<crate::query::who_can::WhoCanRow>,
        Vec<Option<Vec<String>>>,
    ) {
        let through = if escalation {
            self.graph.as_deref()
        } else {
            None
        };
        let rows = who_can(self.engine, q, WhoCanOptions { through });
        let statements = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                (in_view.contains(&i) && r.via.is_empty())
                    .then(|| deciding(self.engine, &r.principal, q))
            })
            .collect();
        (rows, statements)
    }

    /// Answers one request.
    pub fn answer(&self, req: &Request) -> Option<Action> {
        Some(match req {
            Request::WhoCan {
                id,
                action,
                resource,
                context,
                escalation,
                in_view,
            } => {
                let q = query(action, resource, context);
                let (rows, deciding) = self.who_can(&q, *escalation, in_view.clone());
                Action::WhoCanResults {
                    id: *id,
                    rows,
                    deciding,
                }
            }
            Request::Statements {
                id,
                action,
                resource,
                context,
                rows,
            } => {
                let q = query(action, resource, context);
                Action::WhoCanStatements {
                    id: *id,
                    statements: rows
                        .iter()
                        .map(|(i, p)| (*i, deciding(self.engine, p, &q)))
                        .collect(),
                }
            }
            Request::Explain {
                id,
                principal,
                action,
                resource,
                context,
            } => Action::Explained {
                id: *id,
                explanation: explain(self.engine, principal, &query(action, resource, context)),
            },
            Request::Evidence { id, edge } => Action::Evidence {
                id: *id,
                evidence: match &self.graph {
                    Some(g) => {
                        let mut ev = g.evidence(self.engine, edge);
                        if edge.kind == EdgeKind::AdminControl && g.is_admin(edge.from) {
                            ev.extend(g.admin_evidence(self.engine, edge.from));
                        }
                        ev
                    }
                    None => Vec::new(),
                },
            },
            Request::Blast { id, principal } => Action::Blasted {
                id: *id,
                answer: Box::new(blast(self.engine, self.graph.as_deref()?, *principal)),
            },
            Request::Paths {
                id,
                from,
                goal,
                depth,
                context,
            } => {
                let goal = match goal {
                    PathsGoal::Admin => PathGoal::Admin,
                    PathsGoal::Principal(p) => PathGoal::Principal(*p),
                    PathsGoal::Named(text) => match resolve_principal(self.engine, text.trim()) {
                        Ok(p) => PathGoal::Principal(p),
                        Err(unknown) => {
                            return Some(Action::PathsFound {
                                id: *id,
                                answer: Err(unknown.to_string()),
                            })
                        }
                    },
                    PathsGoal::CanDo { action, resource } => {
                        PathGoal::CanDo(query(action, resource, context))
                    }
                };
                let limits = PathLimits {
                    all: depth.is_some(),
                    max_hops: depth.unwrap_or(PathLimits::default().max_hops),
                    ..PathLimits::default()
                };
                let graph = self.graph.as_deref()?;
                Action::PathsFound {
                    id: *id,
                    answer: Ok(Box::new(find_paths(
                        self.engine,
                        graph,
                        *from,
                        &goal,
                        limits,
                    ))),
                }
            }
            Request::Replay { id, edge } => Action::Replayed {
                id: *id,
                requests: replay(self.engine, self.graph.as_deref()?, edge),
            },
        })
    }
}

/// `user/alice` for an ARN of the account, the ARN otherwise.
pub fn short(account: &Account, arn: &str) -> String {
    let own = format!("arn:aws:iam::{}:", account.id);
    arn.strip_prefix(&own).unwrap_or(arn).to_string()
}

/// Builds the graph of `account` (seconds on a large account), recording its steps
/// in `progress`; `None` when `progress` was cancelled first.
pub fn build_graph(account: &Account, progress: &Progress) -> Option<Graph> {
    let engine = Engine::new(account);
    Graph::build_with(&engine, progress)
}

/// The findings of `account`, from its graph (built here when not given: seconds on a
/// large account), their evidence compact ([`crate::findings::audit_compact`]).
pub fn audit(account: &Account, graph: Option<Arc<Graph>>) -> Vec<crate::findings::Finding> {
    let engine = Engine::new(account);
    let graph = graph.unwrap_or_else(|| Arc::new(Graph::build(&engine)));
    crate::findings::audit_compact(&engine, &graph, &crate::findings::Options::default())
}

/// Messages to the worker.
pub enum WorkerMsg {
    /// Another account was opened: answer for it from now on.
    Account(Arc<Account>),
    /// The current account's graph is ready.
    Graph(Arc<Graph>),
    /// Answer this.
    Request(Request),
}

/// Starts the worker for `account`. Requests that queue up while one is answered are
/// skipped but the newest of each kind, since only the newest answers are shown.
pub fn spawn_worker(account: Arc<Account>, results: Sender<Action>) -> Sender<WorkerMsg> {
    let (tx, rx) = mpsc::channel::<WorkerMsg>();
    thread::Builder::new()
        .name("iamscope-analyst".into())
        .spawn(move || worker(account, &rx, &results))
        .expect("spawning a thread");
    tx
}

fn worker(mut account: Arc<Account>, rx: &Receiver<WorkerMsg>, results: &Sender<Action>) {
    let mut carry: Vec<Request> = Vec::new();
    loop {
        let engine = Engine::new(&account);
        let mut graph: Option<Arc<Graph>> = None;
        let next = loop {
            let first = if carry.is_empty() {
                match rx.recv() {
                    Ok(m) => Some(m),
                    Err(_) => return,
                }
            } else {
                None
            };
            let mut pending = std::mem::take(&mut carry);
            let mut new_account = None;
            for msg in first.into_iter().chain(rx.try_iter()) {
                match msg {
                    WorkerMsg::Account(a) => {
                        new_account = Some(a);
                        pending.clear();
                    }
                    WorkerMsg::Graph(g) => graph = Some(g),
                    WorkerMsg::Request(r) => {
                        pending.retain(|p| p.kind() != r.kind());
                        pending.push(r);
                    }
                }
            }
            if let Some(a) = new_account {
                carry = pending;
                break a;
            }
            let analyst = Analyst {
                engine: &engine,
                graph: graph.clone(),
            };
            for r in pending {
                let Some(answer) = analyst.answer(&r) else {
                    continue;
                };
                if results.send(answer).is_err() {
                    return;
                }
            }
        };
        drop(engine);
        account = next;
    }
}

/// A quiz on `account` with the entities of each question, as [`Action::QuizReady`].
pub fn generate_quiz(
    account: &crate::model::Account,
    id: u64,
    options: crate::study::QuizOptions,
) -> Action {
    let questions = crate::study::generate(account, &options);
    let involved = questions
        .iter()
        .map(|q| crate::study::involved(q, account))
        .collect();
    Action::QuizReady {
        id,
        options,
        questions,
        involved,
    }
}

/// Runs `update` on `action` and answers every effect synchronously with `analyst`,
/// as the worker would, until nothing is left to do; for tests and benchmarks. A
/// graph build is done at once with `analyst`'s graph if it has one.
pub fn drive(app: &mut super::app::App, action: Action, analyst: &mut Analyst<'_, '_>) {
    use super::action::Task;
    let mut queue = vec![action];
    while let Some(action) = queue.pop() {
        for task in super::update::update(app, action) {
            match task {
                Task::Analyze(req) => queue.extend(analyst.answer(&req)),
                Task::BuildGraph { generation } => {
                    let graph = analyst
                        .graph
                        .clone()
                        .unwrap_or_else(|| Arc::new(Graph::build(analyst.engine)));
                    analyst.graph = Some(Arc::clone(&graph));
                    queue.push(Action::GraphReady { generation, graph });
                }
                Task::ComputeFindings { generation } => {
                    let graph = analyst
                        .graph
                        .clone()
                        .unwrap_or_else(|| Arc::new(Graph::build(analyst.engine)));
                    let options = crate::findings::Options::default();
                    let findings = Arc::new(crate::findings::audit_compact(
                        analyst.engine,
                        &graph,
                        &options,
                    ));
                    queue.push(Action::FindingsReady {
                        generation,
                        findings,
                    });
                }
                Task::ComputeDiff { generation, old } => {
                    let result = crate::load::load(&old)
                        .map(|old| Arc::new(crate::diff::diff(&old, analyst.engine.account())))
                        .map_err(|e| e.to_string());
                    queue.push(Action::DiffReady { generation, result });
                }
                Task::GenerateQuiz { id, options } => {
                    queue.push(generate_quiz(analyst.engine.account(), id, options));
                }
                // Tests never write to the learner's data directory.
                Task::Load(_) | Task::SaveProgress { .. } => {}
            }
        }
    }
}
