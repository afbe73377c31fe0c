//! The evaluator and the trust graph as the TUI asks them: requests that
//! [`super::update::update`] emits as effects, answered by an [`Analyst`] — on a
//! worker thread in the app, synchronously in tests and benchmarks.
//!
//! The worker owns the account (`Arc<Account>`) and builds its [`Engine`] inside the
//! thread, so nothing borrowed crosses threads. The graph takes seconds on a large
//! account: it is built on a thread of its own ([`build_graph`]) and handed to the UI
//! and the worker when ready.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::thread;

use crate::eval::{Context, Decision, Engine, Layer, PrincipalRef, Query, Trace};
use crate::graph::{Edge, Graph, ANYONE_ARN};
use crate::model::Account;
use crate::policy::{Effect, Tri};
use crate::query::who_can::{who_can, WhoCanOptions};

use super::action::Action;
use super::who_can::WhoCanRow;

/// Rows of a who-can answer that come with their deciding statements; the others get
/// them when scrolled into view ([`Request::Statements`]).
pub const STATEMENT_ROWS: usize = 64;

/// A question for the analyst. Each carries an id; answers to stale ids are dropped.
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
        /// Also principals that get there through the graph (needs it built).
        escalation: bool,
    },
    /// The deciding statements of some rows of a who-can answer.
    Statements {
        /// The id of the who-can answer the rows belong to.
        id: u64,
        /// The action.
        action: String,
        /// The resource.
        resource: String,
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
    },
    /// The statements behind an edge of the graph.
    Evidence {
        /// Request id.
        id: u64,
        /// The edge.
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
        }
    }
}

/// One principal's decision, explained.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Explanation {
    /// The principal as resolved (ARN), or as typed when unknown.
    pub principal: String,
    /// `Allow`, `ExplicitDeny`, `ImplicitDeny`, `Conditional`; empty on error.
    pub decision: String,
    /// Keys a Conditional depends on.
    pub missing_keys: Vec<String>,
    /// The deciding statements.
    pub statements: Vec<String>,
    /// The trace, one line per step (`  1. [identity] …`).
    pub steps: Vec<String>,
    /// Why there is no answer (unknown principal, no action).
    pub error: Option<String>,
}

/// Answers [`Request`]s for one account.
pub struct Analyst<'e, 'a> {
    /// The evaluator.
    pub engine: &'e Engine<'a>,
    /// The graph, once built.
    pub graph: Option<Arc<Graph>>,
}

/// The condition keys of a TUI question: none given, every key unknown, so answers
/// that depend on context come out Conditional with the keys named.
fn query(action: &str, resource: &str) -> Query {
    Query::new(action, resource).with_context(Context::new(false))
}

/// A principal of the account, unless `text` is another account's ARN.
fn local(engine: &Engine<'_>, text: &str) -> Option<PrincipalRef> {
    if let Some(rest) = text.strip_prefix("arn:") {
        let account = rest.split(':').nth(3).unwrap_or_default();
        if account != engine.account().id {
            return None;
        }
    }
    engine.resolve(text)
}

pub use crate::graph::statement_label;

/// The statements that decided: the matching Deny statements of a deny, else the
/// Allow statements that matched (or may match) in the identity, resource and trust
/// policies — and for a Conditional, the Deny statements that may match, as
/// `unless NAME`.
pub fn deciding_statements(decision: &Decision, trace: &Trace) -> Vec<String> {
    let want = if *decision == Decision::ExplicitDeny {
        Effect::Deny
    } else {
        Effect::Allow
    };
    let mut out: Vec<String> = Vec::new();
    for s in &trace.steps {
        let layer_ok = want == Effect::Deny
            || matches!(
                s.layer,
                Layer::Identity | Layer::TrustPolicy | Layer::ResourcePolicy
            );
        if s.effect == Some(want)
            && matches!(s.matched, Some(Tri::True | Tri::Unknown))
            && layer_ok
            && !s.policy.starts_with("(assumed")
        {
            let label = statement_label(&s.policy, s.statement, s.sid.as_deref());
            if !out.contains(&label) {
                out.push(label);
            }
        }
    }
    if matches!(decision, Decision::Conditional { .. }) {
        for s in &trace.steps {
            if s.effect == Some(Effect::Deny) && s.matched == Some(Tri::Unknown) {
                let label = format!(
                    "unless {}",
                    statement_label(&s.policy, s.statement, s.sid.as_deref())
                );
                if !out.contains(&label) {
                    out.push(label);
                }
            }
        }
    }
    out
}

impl Analyst<'_, '_> {
    /// Decides and traces `principal` (an account principal or an outside one).
    pub fn explain(&self, principal: &str, action: &str, resource: &str) -> Explanation {
        let principal = principal.trim();
        if action.trim().is_empty() {
            return Explanation {
                principal: principal.to_string(),
                error: Some("type an action".into()),
                ..Explanation::default()
            };
        }
        let q = query(action.trim(), resource);
        let (arn, decision, trace) = match local(self.engine, principal) {
            Some(p) => {
                let (d, t) = self.engine.explain(p, &q);
                (self.engine.facts(p).caller.arn.clone(), d, t)
            }
            None if principal == "*"
                || principal.starts_with("arn:")
                || principal.contains('.') =>
            {
                let caller = if principal == "*" {
                    ANYONE_ARN
                } else {
                    principal
                };
                let mut t = Trace::default();
                let d = self.engine.decide_outside(caller, &q, Some(&mut t));
                (principal.to_string(), d, t)
            }
            None => {
                return Explanation {
                    principal: principal.to_string(),
                    error: Some(format!("no principal `{principal}` in this account")),
                    ..Explanation::default()
                }
            }
        };
        Explanation {
            principal: arn,
            decision: decision.name().to_string(),
            missing_keys: decision.missing_keys().to_vec(),
            statements: deciding_statements(&decision, &trace),
            steps: trace.to_string().lines().map(str::to_string).collect(),
            error: None,
        }
    }

    fn statements(&self, principal: &str, q: &Query) -> String {
        let (decision, trace) = match local(self.engine, principal) {
            Some(p) => self.engine.explain(p, q),
            None => {
                let caller = if principal == "*" {
                    ANYONE_ARN
                } else {
                    principal
                };
                let mut t = Trace::default();
                (self.engine.decide_outside(caller, q, Some(&mut t)), t)
            }
        };
        let s = deciding_statements(&decision, &trace);
        if s.is_empty() {
            "(no statement named)".into()
        } else {
            s.join(", ")
        }
    }

    /// Who can: the rows, the first [`STATEMENT_ROWS`] with their deciding statements.
    pub fn who_can(&self, action: &str, resource: &str, escalation: bool) -> Vec<WhoCanRow> {
        let q = query(action, resource);
        let through = if escalation {
            self.graph.as_deref()
        } else {
            None
        };
        let account = self.engine.account();
        who_can(self.engine, &q, WhoCanOptions { through })
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let via: Vec<String> = r
                    .via
                    .iter()
                    .map(|h| format!("--{}--> {}", h.kind, short(account, &h.to)))
                    .collect();
                let detail = if !via.is_empty() {
                    Some(format!("via {}", via.join(" ")))
                } else if i < STATEMENT_ROWS {
                    Some(self.statements(&r.principal, &q))
                } else {
                    None
                };
                WhoCanRow {
                    principal_arn: r.principal,
                    decision: r.decision,
                    missing_keys: r.missing_keys,
                    note: r.note,
                    detail,
                }
            })
            .collect()
    }

    /// Answers one request.
    pub fn answer(&self, req: &Request) -> Action {
        match req {
            Request::WhoCan {
                id,
                action,
                resource,
                escalation,
            } => Action::WhoCanResults {
                id: *id,
                rows: self.who_can(action, resource, *escalation),
            },
            Request::Statements {
                id,
                action,
                resource,
                rows,
            } => {
                let q = query(action, resource);
                Action::WhoCanStatements {
                    id: *id,
                    statements: rows
                        .iter()
                        .map(|(i, p)| (*i, self.statements(p, &q)))
                        .collect(),
                }
            }
            Request::Explain {
                id,
                principal,
                action,
                resource,
            } => Action::Explained {
                id: *id,
                explanation: self.explain(principal, action, resource),
            },
            Request::Evidence { id, edge } => Action::Evidence {
                id: *id,
                evidence: match &self.graph {
                    Some(g) => {
                        let mut ev = g.evidence(self.engine, edge);
                        if edge.kind == crate::graph::EdgeKind::AdminControl {
                            ev.extend(g.admin_evidence(self.engine, edge.from));
                        }
                        ev
                    }
                    None => Vec::new(),
                },
            },
        }
    }
}

/// `user/alice` for an ARN of the account, the ARN otherwise.
pub fn short(account: &Account, arn: &str) -> String {
    let own = format!("arn:aws:iam::{}:", account.id);
    arn.strip_prefix(&own).unwrap_or(arn).to_string()
}

/// Builds the graph of `account` (seconds on a large account).
pub fn build_graph(account: &Account) -> Graph {
    let engine = Engine::new(account);
    Graph::build(&engine)
}

/// The findings of `account` (builds the graph: seconds on a large account).
pub fn audit(account: &Account) -> Vec<crate::findings::Finding> {
    let engine = Engine::new(account);
    let graph = Graph::build(&engine);
    crate::findings::audit(&engine, &graph, &crate::findings::Options::default())
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
                if results.send(analyst.answer(&r)).is_err() {
                    return;
                }
            }
        };
        drop(engine);
        account = next;
    }
}

/// Runs `update` on `action` and answers every effect synchronously with `analyst`,
/// as the worker would, until nothing is left to do; for tests and benchmarks. A
/// graph build is done at once with `analyst`'s graph if it has one.
pub fn drive(app: &mut super::app::App, action: Action, analyst: &mut Analyst<'_, '_>) {
    use super::action::Effect;
    let mut queue = vec![action];
    while let Some(action) = queue.pop() {
        for fx in super::update::update(app, action) {
            match fx {
                Effect::Analyze(req) => queue.push(analyst.answer(&req)),
                Effect::BuildGraph { generation } => {
                    let graph = analyst
                        .graph
                        .clone()
                        .unwrap_or_else(|| Arc::new(Graph::build(analyst.engine)));
                    analyst.graph = Some(Arc::clone(&graph));
                    queue.push(Action::GraphReady { generation, graph });
                }
                Effect::ComputeFindings { generation } => {
                    let graph = analyst
                        .graph
                        .clone()
                        .unwrap_or_else(|| Arc::new(Graph::build(analyst.engine)));
                    let options = crate::findings::Options::default();
                    let findings =
                        Arc::new(crate::findings::audit(analyst.engine, &graph, &options));
                    queue.push(Action::FindingsReady {
                        generation,
                        findings,
                    });
                }
                Effect::Load(_) => {}
            }
        }
    }
}
