//! The who-can screen (and its "can" mode): the question, the principals that can with
//! their deciding statements, and a row's trace.

pub mod update;
pub mod view;

use std::ops::Range;

use crate::query::explain::Explanation;
use crate::query::who_can::WhoCanRow;
use crate::tui::app::App;

/// The who-can form's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhoCanField {
    /// The action, e.g. `s3:GetObject`.
    Action,
    /// The resource ARN (empty means `*`).
    Resource,
    /// The principal of "can" mode (empty: who-can mode).
    Principal,
}

impl WhoCanField {
    /// The next field (Tab).
    pub fn next(self) -> WhoCanField {
        match self {
            WhoCanField::Action => WhoCanField::Resource,
            WhoCanField::Resource => WhoCanField::Principal,
            WhoCanField::Principal => WhoCanField::Action,
        }
    }

    /// The previous field (Shift-Tab).
    pub fn prev(self) -> WhoCanField {
        self.next().next()
    }
}

/// Where the who-can question stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WhoCanStatus {
    /// No provider is plugged in yet.
    Unavailable,
    /// Nothing asked yet.
    Idle,
    /// Waiting for typing to pause.
    Typing,
    /// Request `id` is being computed.
    Computing(u64),
    /// The answer to the current fields.
    Done,
}

/// The who-can screen.
#[derive(Debug, Clone)]
pub struct WhoCanState {
    /// The action field.
    pub action: String,
    /// The resource field.
    pub resource: String,
    /// The focused field.
    pub field: WhoCanField,
    /// Completions of the action field from the catalogue.
    pub completions: Vec<String>,
    /// Highlighted completion, when the list is open.
    pub completion: Option<usize>,
    /// True while the completion list is shown.
    pub popup: bool,
    /// Ticks left before the request is sent (debounce).
    pub debounce: Option<u8>,
    /// Id of the last request sent.
    pub last_id: u64,
    /// Where the question stands.
    pub status: WhoCanStatus,
    /// The answer rows, as the core's who-can answers them.
    pub rows: Vec<WhoCanRow>,
    /// The deciding statements of each row (same index); `None` until computed —
    /// only rows on screen are.
    pub deciding: Vec<Option<Vec<String>>>,
    /// Highlighted row.
    pub selected: usize,
    /// "Can" mode: the principal whose decision is shown (empty: who-can mode).
    pub principal: String,
    /// Also list principals that get there through the trust graph.
    pub escalation: bool,
    /// The id of the who-can answer `rows` is (for deciding statements asked later).
    pub rows_id: u64,
    /// The explanation shown: the selected row's trace, or the "can" answer. For an
    /// indirect row it is the trace of the principal its path reaches (the one that
    /// can directly), shown after the path, so that row and trace always agree.
    pub explanation: Option<Explanation>,
    /// Id of the explanation request in flight (0: none).
    pub explain_id: u64,
    /// True while the trace panel of the selected row is open.
    pub trace_open: bool,
    /// First line of the trace shown.
    pub trace_scroll: usize,
}

impl WhoCanState {
    /// A fresh screen; `available`: an evaluator answers.
    pub fn new(available: bool) -> WhoCanState {
        WhoCanState {
            action: String::new(),
            resource: String::new(),
            field: WhoCanField::Action,
            completions: Vec::new(),
            completion: None,
            popup: false,
            debounce: None,
            last_id: 0,
            status: if available {
                WhoCanStatus::Idle
            } else {
                WhoCanStatus::Unavailable
            },
            rows: Vec::new(),
            deciding: Vec::new(),
            selected: 0,
            principal: String::new(),
            escalation: false,
            rows_id: 0,
            explanation: None,
            explain_id: 0,
            trace_open: false,
            trace_scroll: 0,
        }
    }

    /// True in "can" mode (a principal is fixed).
    pub fn can_mode(&self) -> bool {
        !self.principal.trim().is_empty()
    }

    /// The resource field, `*` when empty.
    pub fn resource_or_any(&self) -> String {
        match self.resource.trim() {
            "" => "*".to_string(),
            r => r.to_string(),
        }
    }
}

/// Rows of the answer list the screen can show with `selected` highlighted, at most
/// `len`: the only rows whose deciding statements are worked out (a keystroke costs
/// the same with 10 rows or 10,000). Never fewer than the view draws (it may draw one
/// row fewer, under an action description).
pub fn rows_in_view(app: &App, selected: usize, len: usize) -> Range<usize> {
    // The body less the form, the list's borders and its header and footer lines.
    let body = app.areas().body.height as usize;
    let rows = body
        .saturating_sub(view::FORM_HEIGHT as usize + 2 + 4)
        .max(1);
    let start = crate::tui::views::scroll_for(selected, rows).min(len);
    start..(start + rows).min(len)
}
