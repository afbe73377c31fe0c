//! Policy documents: an ordered statement model and its JSON / URL-encoded forms.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::rng::Rng;

/// A policy document as it appears in a GAAD file: a JSON object, or the
/// URL-encoded JSON string the raw IAM API returns.
#[derive(Serialize, Clone)]
#[serde(untagged)]
pub(crate) enum PolicyDoc {
    /// Decoded JSON, as the AWS CLI prints it.
    Json(Box<Document>),
    /// `%7B%22Version%22…`, as the Query API returns it.
    Encoded(String),
}

/// A policy document with keys in the order people write them.
#[derive(Serialize, Clone)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Document {
    pub version: &'static str,
    pub statement: Statements,
}

/// `Statement` is an array, or (less often) a single object.
#[derive(Serialize, Clone)]
#[serde(untagged)]
pub(crate) enum Statements {
    One(Box<Statement>),
    Many(Vec<Statement>),
}

/// One statement.
#[derive(Serialize, Clone, Default)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Statement {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    pub effect: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_action: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_resource: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Value>,
}

impl Statement {
    /// An `Allow` of `actions` on `resources`.
    pub(crate) fn allow(actions: &[&str], resources: &[String]) -> Statement {
        Statement {
            effect: "Allow",
            action: Some(strs(actions)),
            resource: Some(list(resources)),
            ..Statement::default()
        }
    }

    /// A `Deny` of `actions` on `resources`.
    pub(crate) fn deny(actions: &[&str], resources: &[String]) -> Statement {
        Statement {
            effect: "Deny",
            ..Statement::allow(actions, resources)
        }
    }

    /// Adds `Condition: {op: {key: value}}`, merging with existing conditions.
    pub(crate) fn when(mut self, op: &str, key: &str, value: Value) -> Statement {
        let cond = self
            .condition
            .get_or_insert_with(|| Value::Object(Map::new()));
        let ops = cond.as_object_mut().expect("condition is an object");
        let keys = ops
            .entry(op.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        keys.as_object_mut()
            .expect("condition operator is an object")
            .insert(key.to_string(), value);
        self
    }

    /// Sets the `Sid`.
    pub(crate) fn sid(mut self, sid: impl Into<String>) -> Statement {
        self.sid = Some(sid.into());
        self
    }
}

/// A string, or an array when there are several.
pub(crate) fn list(items: &[String]) -> Value {
    if items.len() == 1 {
        Value::String(items[0].clone())
    } else {
        json!(items)
    }
}

/// Like [`list`] for string slices.
pub(crate) fn strs(items: &[&str]) -> Value {
    if items.len() == 1 {
        Value::String(items[0].to_string())
    } else {
        json!(items)
    }
}

/// Wraps statements into a document; a single statement is sometimes written bare.
pub(crate) fn document(rng: &mut Rng, mut statements: Vec<Statement>) -> Document {
    let version = if rng.chance(0.02) {
        "2008-10-17"
    } else {
        "2012-10-17"
    };
    let statement = if statements.len() == 1 && rng.chance(0.15) {
        Statements::One(Box::new(statements.pop().expect("one statement")))
    } else {
        Statements::Many(statements)
    };
    Document { version, statement }
}

/// Characters left alone by the IAM API's URL encoding (RFC 3986 unreserved).
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The document as JSON, or with probability `fraction` URL-encoded.
pub(crate) fn finish(doc: Document, rng: &mut Rng, fraction: f64) -> PolicyDoc {
    if fraction > 0.0 && rng.chance(fraction) {
        let compact = serde_json::to_string(&doc).expect("documents serialize");
        PolicyDoc::Encoded(utf8_percent_encode(&compact, ENCODE).to_string())
    } else {
        PolicyDoc::Json(Box::new(doc))
    }
}
