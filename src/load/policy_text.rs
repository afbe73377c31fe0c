//! Policy documents inside exports: JSON objects (AWS CLI) or URL-encoded JSON
//! strings (raw API, some SDK dumps), turned into [`PolicySource`]s. A malformed
//! document becomes an invalid policy and a warning, never a load error.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use percent_encoding::percent_decode_str;
use serde_json::value::RawValue;

use super::json::{line_col, offset_in};
use crate::model::{LoadWarning, PolicySource, DEFERRED_COMPILE_BYTES};
use crate::policy::{InvalidStatement, PolicyDocument, PolicyError};

/// The file being read, for warnings about the policies in it.
pub struct PolicyFile<'a> {
    /// Bundle-relative name of the file.
    pub name: &'a str,
    /// The whole text of the file, to turn a document's place into line:column.
    pub text: &'a str,
    /// The documents read so far (below [`DEFERRED_COMPILE_BYTES`]), by minified text:
    /// the same document met again is the same [`PolicySource`], compiled once.
    seen: RefCell<HashMap<SharedText, PolicySource>>,
}

/// A document's text as a key, compared and hashed as the text.
#[derive(PartialEq, Eq, Hash)]
struct SharedText(Arc<Box<str>>);

impl std::borrow::Borrow<str> for SharedText {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl<'a> PolicyFile<'a> {
    /// The file `name` of this `text`.
    pub fn new(name: &'a str, text: &'a str) -> PolicyFile<'a> {
        PolicyFile {
            name,
            text,
            seen: RefCell::default(),
        }
    }

    /// The document of this minified text: the one already read, or compiled now.
    fn compiled(&self, text: Box<str>) -> PolicySource {
        if let Some(seen) = self.seen.borrow().get(&*text) {
            return seen.clone();
        }
        let source = PolicySource::new(text);
        self.seen
            .borrow_mut()
            .insert(SharedText(Arc::clone(&source.text)), source.clone());
        source
    }

    /// Decodes and parses the document at `json_path`; records a warning when invalid.
    pub fn policy(
        &self,
        raw: &RawValue,
        json_path: impl FnOnce() -> String,
        warnings: &mut Vec<LoadWarning>,
    ) -> PolicySource {
        let (source, problems) = match decode(raw.get()) {
            Ok(text) => {
                let text = minify(&text);
                if text.len() >= DEFERRED_COMPILE_BYTES {
                    // Checked now, compiled on first use (once this file is released).
                    let checked = PolicyDocument::check(&text);
                    let problems = problems_of(checked.as_deref());
                    (PolicySource::deferred(text), problems)
                } else {
                    let source = self.compiled(text);
                    let problems = policy_problems(&source);
                    (source, problems)
                }
            }
            Err(message) => {
                let source = PolicySource::invalid(raw.get(), PolicyError::new("", message));
                let problems = policy_problems(&source);
                (source, problems)
            }
        };
        if !problems.is_empty() {
            let outer = json_path();
            let position = offset_in(self.text, raw.get()).map(|o| line_col(self.text, o));
            for (path, message) in problems {
                let json_path = if path.is_empty() {
                    outer.clone()
                } else {
                    format!("{outer}.{path}")
                };
                warnings.push(LoadWarning {
                    file: self.name.to_string(),
                    json_path: Some(json_path),
                    position,
                    message,
                });
            }
        }
        source
    }
}

/// What is wrong with a loaded policy, as (JSON path inside the document, message): the
/// whole document, or each statement that did not compile.
pub fn policy_problems(source: &PolicySource) -> Vec<(String, String)> {
    problems_of(source.parsed().as_ref().map(|doc| doc.invalid.as_slice()))
}

/// [`policy_problems`] of a document's invalid statements, or of why it is invalid.
fn problems_of(parsed: Result<&[InvalidStatement], &PolicyError>) -> Vec<(String, String)> {
    let invalid = match parsed {
        Ok(invalid) => invalid,
        Err(error) => {
            return vec![(
                error.path.clone(),
                format!(
                "invalid policy: it never grants, and decisions it could deny are Conditional: {}",
                error.message
            ),
            )]
        }
    };
    invalid
        .iter()
        .map(|st| {
            (
                st.error.path.clone(),
                format!(
                    "invalid statement #{}: it never grants{}: {}",
                    st.index,
                    if st.might_deny() {
                        ", and decisions it could deny are Conditional"
                    } else {
                        ""
                    },
                    st.error.message
                ),
            )
        })
        .collect()
}

/// The JSON text of a policy given as an object, a JSON string, or a URL-encoded string.
pub fn decode(raw: &str) -> Result<Cow<'_, str>, String> {
    let trimmed = raw.trim_start();
    if trimmed.starts_with('{') {
        return Ok(Cow::Borrowed(raw));
    }
    if !trimmed.starts_with('"') {
        let kind = match trimmed.as_bytes().first() {
            Some(b'[') => "an array",
            Some(b'n') => "null",
            Some(b't' | b'f') => "a boolean",
            _ => "a number",
        };
        return Err(format!(
            "expected a policy document (a JSON object or a URL-encoded JSON string), found {kind}"
        ));
    }
    let inner: String = serde_json::from_str(raw).map_err(|e| e.to_string())?;
    if inner.trim_start().starts_with('{') {
        return Ok(Cow::Owned(inner));
    }
    // Form encoding (Java's URLEncoder) writes spaces as '+'; RFC 3986 encoding as %20.
    let plus_is_space = inner.contains('+') && !inner.contains("%20");
    let spaced;
    let encoded = if plus_is_space {
        spaced = inner.replace('+', " ");
        &spaced
    } else {
        &inner
    };
    let decoded = percent_decode_str(encoded)
        .decode_utf8()
        .map_err(|_| "the URL-encoded policy is not UTF-8 once decoded".to_string())?;
    if decoded.trim_start().starts_with('{') {
        Ok(Cow::Owned(decoded.into_owned()))
    } else {
        Err(
            "expected a policy document, found a string that is neither JSON nor URL-encoded JSON"
                .to_string(),
        )
    }
}

/// Removes the whitespace outside strings: exported documents are indented to their
/// depth in the file, which would otherwise double the memory they take.
pub fn minify(json: &str) -> Box<str> {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_ascii_whitespace() {
            out.push(c);
        }
    }
    out.into_boxed_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_form() {
        let object = r#"{"Version": "2012-10-17"}"#;
        assert_eq!(decode(object).unwrap(), object);
        let url = r#""%7B%22Version%22%3A%20%222012-10-17%22%7D""#;
        assert_eq!(decode(url).unwrap(), r#"{"Version": "2012-10-17"}"#);
        let plus = r#""%7B%22Sid%22%3A+%22a+b%22%7D""#;
        assert_eq!(decode(plus).unwrap(), r#"{"Sid": "a b"}"#);
        let json_string = r#""{\"Version\":\"2012-10-17\"}""#;
        assert_eq!(decode(json_string).unwrap(), r#"{"Version":"2012-10-17"}"#);
        assert!(decode("[1]").is_err());
        assert!(decode(r#""hello""#).is_err());
    }

    #[test]
    fn the_same_document_twice_in_a_file_is_one_source_with_warnings_at_each_place() {
        // The second is the first reformatted; the third differs; each has an invalid
        // statement.
        let file_text = concat!(
            r#"[{"Statement":[{"Effect":"Allow","Action":"nope"}]},"#,
            "
",
            r#"{ "Statement" : [ {"Effect":"Allow", "Action":"nope"} ] },"#,
            "
",
            r#"{"Statement":[{"Effect":"Allow","Action":"nope:"}]}]"#
        );
        let docs: Vec<&RawValue> = serde_json::from_str(file_text).unwrap();
        let file = PolicyFile::new("gaad.json", file_text);
        let mut warnings = Vec::new();
        let sources: Vec<PolicySource> = docs
            .iter()
            .enumerate()
            .map(|(i, raw)| file.policy(raw, || format!("[{i}]"), &mut warnings))
            .collect();
        assert!(sources[0].same_document(&sources[1]));
        assert!(!sources[0].same_document(&sources[2]));
        assert_eq!(&*sources[1].text, &*sources[0].text);
        let places: Vec<_> = warnings
            .iter()
            .map(|w| (w.json_path.clone().unwrap_or_default(), w.position))
            .collect();
        assert_eq!(
            places,
            [
                ("[0].Statement[0].Action[0]".to_string(), Some((1, 2))),
                ("[1].Statement[0].Action[0]".to_string(), Some((2, 1))),
                ("[2].Statement[0].Action[0]".to_string(), Some((3, 1))),
            ]
        );
    }

    #[test]
    fn a_large_document_is_checked_at_load_and_compiled_on_first_use() {
        let statement =
            r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/k"}"#;
        let mut doc = String::from(r#"{"Version":"2012-10-17","Statement":["#);
        let n = DEFERRED_COMPILE_BYTES / statement.len() + 1;
        for _ in 0..n {
            doc.push_str(statement);
            doc.push(',');
        }
        doc.push_str(r#"{"Effect":"Deny","Action":"nope"}]}"#);
        let file_text = format!(r#"{{"PolicyDocument":{doc}}}"#);
        let raw: &RawValue = serde_json::from_str(&file_text[18..file_text.len() - 1]).unwrap();
        let file = PolicyFile::new("gaad.json", &file_text);
        let mut warnings = Vec::new();
        let source = file.policy(raw, || "PolicyDocument".to_string(), &mut warnings);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let w = &warnings[0];
        assert_eq!(
            w.json_path.as_deref(),
            Some(format!("PolicyDocument.Statement[{n}].Action[0]").as_str())
        );
        assert!(w.message.starts_with(&format!("invalid statement #{n}: it never grants, and decisions it could deny are Conditional")), "{}", w.message);
        assert_eq!(w.position, Some((1, 19)));
        let compiled = source.document().expect("compiled on first use");
        assert_eq!(compiled.statements.len(), n);
        assert_eq!(compiled.invalid.len(), 1);
        assert_eq!(policy_problems(&source).len(), 1);
    }

    #[test]
    fn minify_keeps_strings() {
        assert_eq!(
            &*minify("{ \"a b\" : [ \"x \\\" y\" ,\n 1 ] }"),
            "{\"a b\":[\"x \\\" y\",1]}"
        );
    }
}
