//! The study screen: a menu of lessons and quizzes with the learner's progress; a
//! lesson whose steps open the entities they name in the explorer (and come back); a
//! quiz generated from the account by the evaluator, answered before the evaluator's
//! trace is revealed, each entity involved one Enter away.

pub mod lesson_view;
pub mod quiz_view;
pub mod state;
pub mod update;
pub mod view;

pub use state::{LessonItem, LessonState, MenuItem, Quiz, QuizStatus, StudyState, StudyView};
