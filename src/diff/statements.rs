//! One policy document against another, statement by statement: statements are matched
//! by `Sid` when it is present and unique in both documents, by position otherwise, and
//! compared as JSON values (key order and whitespace do not count).

use serde::Serialize;
use serde_json::Value;

use super::ChangeKind;
use crate::model::PolicySource;

/// One statement added, removed or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementChange {
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// The statement as traces name it: `#2 (AllowRead)` (numbered from 1; the new
    /// position for added and changed statements, the old one for removed ones).
    pub statement: String,
    /// The old statement's JSON, when it existed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    /// The new statement's JSON, when it exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
}

/// The statements of a document as JSON values, or `None` when the text is not JSON
/// with a `Statement` object or array.
fn statements(text: &str) -> Option<Vec<Value>> {
    let doc: Value = serde_json::from_str(text).ok()?;
    match doc.get("Statement")? {
        Value::Array(items) => Some(items.clone()),
        one @ Value::Object(_) => Some(vec![one.clone()]),
        _ => None,
    }
}

fn sid(statement: &Value) -> Option<&str> {
    statement
        .get("Sid")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// `#N (Sid)` for the statement at `index` (0-based).
fn label(index: usize, statement: &Value) -> String {
    match sid(statement) {
        Some(s) => format!("#{} ({s})", index + 1),
        None => format!("#{}", index + 1),
    }
}

/// True when every statement of `list` has a Sid and no Sid repeats.
fn sids_unique(list: &[Value]) -> bool {
    let mut seen = std::collections::HashSet::new();
    list.iter()
        .all(|s| sid(s).is_some_and(|id| seen.insert(id)))
}

/// The statement changes from `old` to `new` (either may be absent: a document added
/// or removed lists all its statements). A text that is not a policy document counts
/// as one changed "document" entry when the texts differ.
pub fn diff_documents(
    old: Option<&PolicySource>,
    new: Option<&PolicySource>,
) -> Vec<StatementChange> {
    let old_text = old.map(|p| &**p.text);
    let new_text = new.map(|p| &**p.text);
    if old_text == new_text {
        return Vec::new();
    }
    let parsed_old = old_text.map(statements);
    let parsed_new = new_text.map(statements);
    let (old_list, new_list) = match (parsed_old, parsed_new) {
        (Some(None), _) | (_, Some(None)) => {
            // One side is not a readable document: say the whole document changed.
            let value = |t: Option<&str>| t.map(|t| Value::String(t.to_string()));
            return vec![StatementChange {
                kind: ChangeKind::Changed,
                statement: "(whole document: not a readable policy)".into(),
                old: value(old_text),
                new: value(new_text),
            }];
        }
        (o, n) => (
            o.flatten().unwrap_or_default(),
            n.flatten().unwrap_or_default(),
        ),
    };
    let mut out = Vec::new();
    if sids_unique(&old_list) && sids_unique(&new_list) {
        for (i, n) in new_list.iter().enumerate() {
            match old_list.iter().find(|o| sid(o) == sid(n)) {
                None => out.push(added(i, n)),
                Some(o) if o != n => out.push(StatementChange {
                    kind: ChangeKind::Changed,
                    statement: label(i, n),
                    old: Some(o.clone()),
                    new: Some(n.clone()),
                }),
                Some(_) => {}
            }
        }
        for (i, o) in old_list.iter().enumerate() {
            if !new_list.iter().any(|n| sid(n) == sid(o)) {
                out.push(removed(i, o));
            }
        }
    } else {
        for i in 0..old_list.len().max(new_list.len()) {
            match (old_list.get(i), new_list.get(i)) {
                (Some(o), Some(n)) if o != n => out.push(StatementChange {
                    kind: ChangeKind::Changed,
                    statement: label(i, n),
                    old: Some(o.clone()),
                    new: Some(n.clone()),
                }),
                (None, Some(n)) => out.push(added(i, n)),
                (Some(o), None) => out.push(removed(i, o)),
                _ => {}
            }
        }
    }
    out
}

fn added(i: usize, n: &Value) -> StatementChange {
    StatementChange {
        kind: ChangeKind::Added,
        statement: label(i, n),
        old: None,
        new: Some(n.clone()),
    }
}

fn removed(i: usize, o: &Value) -> StatementChange {
    StatementChange {
        kind: ChangeKind::Removed,
        statement: label(i, o),
        old: Some(o.clone()),
        new: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(statements: &str) -> PolicySource {
        PolicySource::new(format!(
            r#"{{"Version":"2012-10-17","Statement":{statements}}}"#
        ))
    }

    fn kinds(changes: &[StatementChange]) -> Vec<(ChangeKind, &str)> {
        changes
            .iter()
            .map(|c| (c.kind, c.statement.as_str()))
            .collect()
    }

    #[test]
    fn statements_match_by_sid_whatever_their_order() {
        let old = doc(
            r#"[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
                          {"Sid":"B","Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]"#,
        );
        let new = doc(
            r#"[{"Sid":"B","Resource":"*","Action":"s3:ListBucket","Effect":"Allow"},
                          {"Sid":"C","Effect":"Deny","Action":"*","Resource":"*"}]"#,
        );
        let changes = diff_documents(Some(&old), Some(&new));
        assert_eq!(
            kinds(&changes),
            vec![
                (ChangeKind::Added, "#2 (C)"),
                (ChangeKind::Removed, "#1 (A)")
            ]
        );
    }

    #[test]
    fn statements_without_sid_match_by_position() {
        let old = doc(r#"[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]"#);
        let new = doc(
            r#"[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"},
                          {"Effect":"Allow","Action":"sqs:*","Resource":"*"}]"#,
        );
        let changes = diff_documents(Some(&old), Some(&new));
        assert_eq!(
            kinds(&changes),
            vec![(ChangeKind::Changed, "#1"), (ChangeKind::Added, "#2")]
        );
        assert_eq!(changes[0].old.as_ref().unwrap()["Action"], "s3:GetObject");
    }

    #[test]
    fn a_single_statement_object_equals_a_one_element_array() {
        let old = doc(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#);
        let new = doc(r#"[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]"#);
        assert!(diff_documents(Some(&old), Some(&new)).is_empty());
    }

    #[test]
    fn an_unreadable_document_is_one_change_and_never_a_panic() {
        let old = doc(r#"[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]"#);
        let new = PolicySource::new("{not json");
        let changes = diff_documents(Some(&old), Some(&new));
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].kind, ChangeKind::Changed);
    }

    #[test]
    fn a_removed_document_lists_its_statements() {
        let old = doc(r#"[{"Sid":"X","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]"#);
        assert_eq!(
            kinds(&diff_documents(Some(&old), None)),
            vec![(ChangeKind::Removed, "#1 (X)")]
        );
    }
}
