//! The "who can" question as the TUI asks it: a small provider trait, the rows it
//! answers with, and a worker thread so that typing never waits for an evaluation.
//!
//! The real provider (the evaluator over every principal) is plugged in through
//! [`super::Options::who_can`]; without one the pane says the evaluator is not
//! available rather than show made-up results.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::thread;

use crate::model::Account;

use super::action::Action;

/// One principal's answer to "who can do ACTION on RESOURCE".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhoCanRow {
    /// The principal's ARN.
    pub principal_arn: String,
    /// `Allow`, `Deny`, `Conditional`, … as the evaluator words it.
    pub decision: String,
    /// The deciding statement or a short reason.
    pub detail: String,
}

/// Answers who can do an action on a resource, for one account.
pub trait WhoCanProvider: Send + Sync {
    /// Every principal with its decision for `action` on `resource`.
    fn who_can(&self, action: &str, resource: &str) -> Vec<WhoCanRow>;
}

/// Makes the provider for an account; called again when another account is opened.
pub type WhoCanFactory = Arc<dyn Fn(Arc<Account>) -> Arc<dyn WhoCanProvider> + Send + Sync>;

/// One question sent to the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhoCanRequest {
    /// Increasing id; the answer carries it so stale answers can be dropped.
    pub id: u64,
    /// The action, e.g. `s3:GetObject`.
    pub action: String,
    /// The resource ARN, or `*`.
    pub resource: String,
}

/// Messages to the worker.
pub enum WorkerMsg {
    /// Use this provider from now on (a new account was opened).
    Provider(Arc<dyn WhoCanProvider>),
    /// Answer this request.
    Request(WhoCanRequest),
}

/// Starts the worker. Requests that queue up while one is computed are skipped but
/// the newest, since only the newest answer is shown.
pub fn spawn_worker(
    provider: Arc<dyn WhoCanProvider>,
    results: Sender<Action>,
) -> Sender<WorkerMsg> {
    let (tx, rx) = mpsc::channel::<WorkerMsg>();
    thread::Builder::new()
        .name("iamscope-who-can".into())
        .spawn(move || worker(provider, &rx, &results))
        .expect("spawning a thread");
    tx
}

fn worker(
    mut provider: Arc<dyn WhoCanProvider>,
    rx: &Receiver<WorkerMsg>,
    results: &Sender<Action>,
) {
    while let Ok(first) = rx.recv() {
        let mut latest = None;
        for msg in std::iter::once(first).chain(rx.try_iter()) {
            match msg {
                WorkerMsg::Provider(p) => provider = p,
                WorkerMsg::Request(r) => latest = Some(r),
            }
        }
        if let Some(req) = latest {
            let rows = provider.who_can(&req.action, &req.resource);
            if results
                .send(Action::WhoCanResults { id: req.id, rows })
                .is_err()
            {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Echo;
    impl WhoCanProvider for Echo {
        fn who_can(&self, action: &str, resource: &str) -> Vec<WhoCanRow> {
            vec![WhoCanRow {
                principal_arn: "arn:aws:iam::1:user/x".into(),
                decision: "Allow".into(),
                detail: format!("{action} {resource}"),
            }]
        }
    }

    #[test]
    fn worker_answers_requests() {
        let (tx, rx) = mpsc::channel();
        let worker = spawn_worker(Arc::new(Echo), tx);
        worker
            .send(WorkerMsg::Request(WhoCanRequest {
                id: 7,
                action: "s3:GetObject".into(),
                resource: "*".into(),
            }))
            .unwrap();
        match rx.recv_timeout(std::time::Duration::from_secs(5)).unwrap() {
            Action::WhoCanResults { id, rows } => {
                assert_eq!(id, 7);
                assert_eq!(rows[0].detail, "s3:GetObject *");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
