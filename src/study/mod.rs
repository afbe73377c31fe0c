//! Study mode: lessons and quizzes on real-looking accounts, graded by the evaluator.
//!
//! - [`lessons`] / [`lesson`]: the embedded lessons (`assets/lessons/*.md`), one per
//!   [`Topic`], each a walk through a sample account with [`EntityLink`]s the TUI can
//!   jump to, and interview questions with model answers.
//! - [`generate`]: a quiz on any account. Every answer and explanation is the
//!   evaluator's decision and trace ([`crate::eval::Engine::decide_arn`]) for the
//!   question's request, so replaying it with `iamscope can` gives the same answer;
//!   [`involved`] lists the entities a question touches, for the learner to open.
//! - [`Progress`] and [`ProgressStore`]: scores, missed questions and a Leitner review
//!   of topics, kept in the platform data directory.

mod candidates;
mod deciding;
mod involved;
mod lesson;
mod link;
mod progress;
mod question;
mod quiz;
mod rng;
mod topic;

pub use deciding::{deciding_step, layers_of, Deciding};
pub use involved::involved;
pub use lesson::{lesson, lessons, InterviewQuestion, Lesson, LessonError, Step};
pub use link::{links_in, render_links, EntityLink, LinkKind, LinkTarget};
pub use progress::{MissedQuestion, Progress, ProgressError, ProgressStore, TopicRecord, MAX_BOX};
pub use question::{parse_choice, Question, QuestionContext, DECISION_CHOICES};
pub use quiz::{classify, generate, QuizOptions};
pub use rng::SeededRng;
pub use topic::Topic;
