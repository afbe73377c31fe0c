//! Study progress: lessons done, quiz scores by topic, questions missed, and a
//! Leitner-style review schedule of topics. Kept as JSON in the platform data
//! directory (`directories`), or nowhere (`--no-save`).
//!
//! Leitner boxes: a topic starts in box 1 when first answered; a right answer moves it
//! up a box (at most [`MAX_BOX`]), a wrong one back to box 1. A topic in box *n* is
//! due for review once 2^(n−1) sessions have passed since it was last asked, so missed
//! topics come back in the next session and well-known ones rarely.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::question::Question;
use super::topic::Topic;

/// The highest Leitner box.
pub const MAX_BOX: u8 = 5;
/// At most this many missed questions are kept (the oldest dropped first).
pub const MAX_MISSED: usize = 200;

/// A topic's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicRecord {
    /// Questions asked.
    pub asked: u32,
    /// Questions answered right.
    pub correct: u32,
    /// Leitner box, 1..=[`MAX_BOX`].
    pub leitner_box: u8,
    /// The session it was last asked in.
    pub last_session: u64,
}

/// A question the learner got wrong: enough to ask it again with `can`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissedQuestion {
    /// The session it was missed in.
    pub session: u64,
    /// Its topic.
    pub topic: Topic,
    /// The caller.
    pub principal: String,
    /// The action.
    pub action: String,
    /// The resource.
    pub resource: String,
    /// The learner's answer.
    pub given: String,
    /// The evaluator's answer.
    pub answer: String,
}

/// Everything remembered between sessions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Format version.
    #[serde(default)]
    pub version: u32,
    /// The number of quiz sessions started.
    #[serde(default)]
    pub sessions: u64,
    /// Lessons read to the end.
    #[serde(default)]
    pub lessons_done: BTreeSet<Topic>,
    /// Scores and boxes by topic.
    #[serde(default)]
    pub topics: BTreeMap<Topic, TopicRecord>,
    /// Recently missed questions, oldest first.
    #[serde(default)]
    pub missed: Vec<MissedQuestion>,
}

impl Progress {
    /// Starts a quiz session; returns its number.
    pub fn start_session(&mut self) -> u64 {
        self.sessions += 1;
        self.sessions
    }

    /// Marks a lesson done.
    pub fn lesson_done(&mut self, topic: Topic) {
        self.lessons_done.insert(topic);
    }

    /// Records an answer to `q` given in the current session.
    pub fn record(&mut self, q: &Question, given: &str) {
        let right = q.is_correct(given);
        let session = self.sessions;
        let r = self.topics.entry(q.topic).or_insert(TopicRecord {
            asked: 0,
            correct: 0,
            leitner_box: 1,
            last_session: session,
        });
        r.asked += 1;
        r.last_session = session;
        if right {
            r.correct += 1;
            r.leitner_box = (r.leitner_box + 1).min(MAX_BOX);
        } else {
            r.leitner_box = 1;
            self.missed.push(MissedQuestion {
                session,
                topic: q.topic,
                principal: q.principal.clone(),
                action: q.action.clone(),
                resource: q.resource.clone(),
                given: given.to_string(),
                answer: q.answer.to_string(),
            });
            if self.missed.len() > MAX_MISSED {
                let extra = self.missed.len() - MAX_MISSED;
                self.missed.drain(..extra);
            }
        }
    }

    /// Topics due for review in session `session`, lowest box first.
    pub fn due_topics(&self, session: u64) -> Vec<Topic> {
        let mut due: Vec<(u8, Topic)> = self
            .topics
            .iter()
            .filter(|(_, r)| {
                let interval = 1u64 << (r.leitner_box.clamp(1, MAX_BOX) - 1);
                session.saturating_sub(r.last_session) >= interval
            })
            .map(|(t, r)| (r.leitner_box, *t))
            .collect();
        due.sort();
        due.into_iter().map(|(_, t)| t).collect()
    }
}

/// Progress could not be read or written.
#[derive(Debug, Error)]
pub enum ProgressError {
    /// No platform data directory (no home directory).
    #[error("no data directory for study progress on this platform")]
    NoDataDir,
    /// Reading or writing the file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
    /// The file is not progress JSON (it is left untouched).
    #[error("{path}: not study progress ({source}); move it away to start afresh")]
    Format {
        /// The file.
        path: PathBuf,
        /// The error.
        source: serde_json::Error,
    },
}

/// Where progress lives: a file, or nowhere (`--no-save`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressStore {
    path: Option<PathBuf>,
}

impl ProgressStore {
    /// `progress.json` in the platform data directory (e.g. `~/.local/share/iamscope`).
    pub fn open_default() -> Result<ProgressStore, ProgressError> {
        let dirs =
            directories::ProjectDirs::from("", "", "iamscope").ok_or(ProgressError::NoDataDir)?;
        Ok(ProgressStore::at(dirs.data_dir().join("progress.json")))
    }

    /// A store in the file `path`.
    pub fn at(path: impl Into<PathBuf>) -> ProgressStore {
        ProgressStore {
            path: Some(path.into()),
        }
    }

    /// A store that keeps nothing: loads empty progress, saves nowhere.
    pub fn none() -> ProgressStore {
        ProgressStore { path: None }
    }

    /// The file, when there is one.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The saved progress; empty when there is none yet.
    pub fn load(&self) -> Result<Progress, ProgressError> {
        let Some(path) = &self.path else {
            return Ok(Progress::default());
        };
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Progress::default()),
            Err(source) => {
                return Err(ProgressError::Io {
                    path: path.clone(),
                    source,
                })
            }
        };
        serde_json::from_str(&text).map_err(|source| ProgressError::Format {
            path: path.clone(),
            source,
        })
    }

    /// Saves `progress`, atomically (a temporary file renamed over the old one).
    pub fn save(&self, progress: &Progress) -> Result<(), ProgressError> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let io_err = |source| ProgressError::Io {
            path: path.clone(),
            source,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io_err)?;
        }
        let tmp = path.with_extension("json.tmp");
        let mut text = serde_json::to_string_pretty(progress).map_err(|e| io_err(e.into()))?;
        text.push('\n');
        std::fs::write(&tmp, text).map_err(io_err)?;
        std::fs::rename(&tmp, path).map_err(io_err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{Decision, Layer, Trace};
    use crate::study::deciding::Deciding;
    use crate::study::question::{QuestionContext, DECISION_CHOICES};

    fn question(topic: Topic, answer: &'static str) -> Question {
        Question {
            number: 1,
            topic,
            principal: "alice".into(),
            action: "s3:GetObject".into(),
            resource: "*".into(),
            context: QuestionContext::default(),
            prompt: String::new(),
            choices: DECISION_CHOICES.to_vec(),
            answer,
            decision: Decision::Allow,
            deciding: Deciding {
                layer: Layer::Identity,
                policy: String::new(),
                statement: None,
                sid: None,
                step: None,
                summary: String::new(),
            },
            layer_choices: Vec::new(),
            trace: Trace::default(),
        }
    }

    #[test]
    fn leitner_boxes_move_up_on_right_and_reset_on_wrong() {
        let mut p = Progress::default();
        let s1 = p.start_session();
        let q = question(Topic::Passrole, "Allow");
        p.record(&q, "Allow");
        p.record(&q, "allow");
        assert_eq!(p.topics[&Topic::Passrole].leitner_box, 3);
        assert_eq!(p.topics[&Topic::Passrole].correct, 2);
        p.record(&q, "ImplicitDeny");
        let r = p.topics[&Topic::Passrole];
        assert_eq!((r.asked, r.correct, r.leitner_box), (3, 2, 1));
        assert_eq!(p.missed.len(), 1);
        assert_eq!(p.missed[0].given, "ImplicitDeny");
        assert_eq!(p.missed[0].session, s1);
        for _ in 0..10 {
            p.record(&q, "Allow");
        }
        assert_eq!(p.topics[&Topic::Passrole].leitner_box, MAX_BOX);
    }

    #[test]
    fn missed_topics_are_due_next_session_known_ones_later() {
        let mut p = Progress::default();
        p.start_session();
        p.record(&question(Topic::Saml, "Allow"), "ExplicitDeny"); // box 1
        let known = question(Topic::Conditions, "Allow");
        for _ in 0..3 {
            p.record(&known, "Allow"); // box 4: every 8 sessions
        }
        assert!(
            p.due_topics(1).is_empty(),
            "nothing is due in the same session"
        );
        assert_eq!(p.due_topics(2), vec![Topic::Saml]);
        assert_eq!(p.due_topics(9), vec![Topic::Saml, Topic::Conditions]);
    }

    #[test]
    fn missed_list_is_bounded() {
        let mut p = Progress::default();
        let q = question(Topic::Saml, "Allow");
        for _ in 0..MAX_MISSED + 5 {
            p.record(&q, "ImplicitDeny");
        }
        assert_eq!(p.missed.len(), MAX_MISSED);
    }

    #[test]
    fn store_round_trips_and_none_keeps_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::at(dir.path().join("sub/progress.json"));
        assert_eq!(store.load().unwrap(), Progress::default());
        let mut p = Progress::default();
        p.start_session();
        p.lesson_done(Topic::Passrole);
        p.record(&question(Topic::Saml, "Allow"), "Conditional");
        store.save(&p).unwrap();
        assert_eq!(store.load().unwrap(), p);
        assert!(!dir.path().join("sub/progress.json.tmp").exists());

        let none = ProgressStore::none();
        none.save(&p).unwrap();
        assert_eq!(none.load().unwrap(), Progress::default());
        assert_eq!(none.path(), None);
    }

    #[test]
    fn a_corrupt_file_is_an_error_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.json");
        std::fs::write(&path, "not json").unwrap();
        let err = ProgressStore::at(&path).load().unwrap_err();
        assert!(matches!(err, ProgressError::Format { .. }), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "not json");
    }
}
