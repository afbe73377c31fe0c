//! Policy documents inside exports: JSON objects (AWS CLI) or URL-encoded JSON
//! strings (raw API, some SDK dumps), turned into [`PolicySource`]s. A malformed
//! document becomes an invalid policy and a warning, never a load error.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;
use serde_json::value::RawValue;

use super::json::{line_col, offset_in};
use crate::model::{LoadWarning, PolicySource};
use crate::policy::PolicyError;

/// The file being read, for warnings about the policies in it.
pub struct PolicyFile<'a> {
    /// Bundle-relative name of the file.
    pub name: &'a str,
    /// The whole text of the file, to turn a document's place into line:column.
    pub text: &'a str,
}

impl PolicyFile<'_> {
    /// Decodes and parses the document at `json_path`; records a warning when invalid.
    pub fn policy(
        &self,
        raw: &RawValue,
        json_path: impl FnOnce() -> String,
        warnings: &mut Vec<LoadWarning>,
    ) -> PolicySource {
        let source = match decode(raw.get()) {
            Ok(text) => PolicySource::new(minify(&text)),
            Err(message) => PolicySource {
                text: raw.get().into(),
                parsed: Err(PolicyError {
                    path: String::new(),
                    message,
                }),
            },
        };
        let problems = policy_problems(&source);
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
    if let Some(error) = source.error() {
        return vec![(
            error.path.clone(),
            format!(
                "invalid policy: it never grants, and decisions it could deny are Conditional: {}",
                error.message
            ),
        )];
    }
    source
        .document()
        .map(|doc| {
            doc.invalid
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
        })
        .unwrap_or_default()
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
    fn minify_keeps_strings() {
        assert_eq!(
            &*minify("{ \"a b\" : [ \"x \\\" y\" ,\n 1 ] }"),
            "{\"a b\":[\"x \\\" y\",1]}"
        );
    }
}
