//! Turning a file's text into typed JSON, with errors that name the file, the JSON
//! path and the line:column, in words a person can use (no Rust type names).

use std::path::Path;

use serde::Deserialize;
use serde_json::error::Category;

use super::LoadError;

/// Deserializes `text`, one JSON document, into `T`. On failure, parses once more
/// with path tracking so the error names the JSON path where it went wrong.
pub fn parse<'a, T: Deserialize<'a>>(file: &Path, text: &'a str) -> Result<T, LoadError> {
    match serde_json::from_str::<T>(text) {
        Ok(value) => Ok(value),
        Err(e) if is_trailing(&e) => Err(trailing(file, e.line(), e.column())),
        Err(_) => Err(located_error::<T>(file, text, 0)),
    }
}

/// Deserializes every JSON document in `text` (the pages that paginated AWS CLI runs
/// append to one file), each into `T`, with the byte offset where it starts.
pub fn parse_pages<'a, T: Deserialize<'a>>(
    file: &Path,
    text: &'a str,
) -> Result<Vec<(T, usize)>, LoadError> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<T>();
    let mut pages = Vec::new();
    loop {
        let start = skip_whitespace(text, stream.byte_offset());
        match stream.next() {
            None => return Ok(pages),
            Some(Ok(page)) => pages.push((page, start)),
            Some(Err(e)) => {
                let starts_a_value = matches!(text.as_bytes().get(start), Some(b'{' | b'['));
                if !pages.is_empty() && !starts_a_value {
                    let (line, column) = line_col(text, start);
                    return Err(trailing(file, line, column));
                }
                let mut error = located_error::<T>(file, text, start);
                if error.position.is_none() && e.line() > 0 {
                    error = error.at_position(e.line(), e.column());
                }
                if !pages.is_empty() {
                    error.message += &format!(" (in JSON page {} of the file)", pages.len() + 1);
                }
                return Err(error);
            }
        }
    }
}

fn is_trailing(e: &serde_json::Error) -> bool {
    e.classify() == Category::Syntax && e.to_string().starts_with("trailing characters")
}

fn trailing(file: &Path, line: usize, column: usize) -> LoadError {
    LoadError::file(
        file,
        "unexpected text after the JSON document: the file is damaged or holds something \
         other than AWS CLI output",
    )
    .at_position(line, column)
}

/// The first byte at or after `offset` that is not whitespace.
fn skip_whitespace(text: &str, offset: usize) -> usize {
    let rest = text.get(offset..).unwrap_or_default();
    offset + (rest.len() - rest.trim_start().len())
}

/// The error deserializing into `T` the document that starts at byte `start` of
/// `text`, with its JSON path and its line:column in the whole text.
fn located_error<'a, T: Deserialize<'a>>(file: &Path, text: &'a str, start: usize) -> LoadError {
    let page = &text[start..];
    let mut de = serde_json::Deserializer::from_str(page);
    let e = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(_) => match de.end() {
            Ok(()) => return LoadError::file(file, "invalid JSON"),
            Err(e) => return trailing(file, e.line(), e.column()),
        },
        Err(e) => e,
    };
    let path = clean_path(&e.path().to_string());
    let inner = e.inner();
    let mut error = from_serde(file, inner);
    error.position = None;
    if inner.line() > 0 {
        // serde counts from the start of the page; shift to the start of the text.
        let (line0, column0) = line_col(text, start);
        let line = line0 + inner.line() - 1;
        let column = if inner.line() == 1 {
            column0 + inner.column() - 1
        } else {
            inner.column()
        };
        error = error.at_position(line, column);
    }
    error.at_path(path)
}

/// A serde_path_to_error path with its unknown steps (`?`) dropped: the nearest
/// known path; empty for the top level.
pub fn clean_path(path: &str) -> String {
    let mut out = String::new();
    for part in path.split('.') {
        let part = part.trim_end_matches("[?]");
        if part == "?" || part.is_empty() {
            continue;
        }
        if !out.is_empty() && !part.starts_with('[') {
            out.push('.');
        }
        out.push_str(part);
    }
    out
}

/// A [`LoadError`] from a serde_json error, with its position and a plain message.
pub fn from_serde(file: &Path, e: &serde_json::Error) -> LoadError {
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => &full,
    };
    let message = plain_words(message);
    let message = match e.classify() {
        Category::Eof => {
            format!("the JSON ends early ({message}): the file looks truncated")
        }
        Category::Syntax => format!("invalid JSON: {message}"),
        _ => message,
    };
    let error = LoadError::file(file, message);
    if e.line() > 0 {
        error.at_position(e.line(), e.column())
    } else {
        error
    }
}

/// serde's message without Rust type names: `expected struct RawGaad` becomes
/// `expected a JSON object`, `a sequence` becomes `a list`.
pub fn plain_words(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find("struct ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "struct ".len()..];
        let name_len = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        out.push_str(if name_len > 0 {
            "a JSON object"
        } else {
            "struct "
        });
        rest = &after[name_len..];
    }
    out.push_str(rest);
    out.replace("a sequence", "a list")
        .replace("expected a map", "expected a JSON object")
}

/// 1-based line and column of byte `offset` in `text` (column counts characters).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = text
        .get(line_start..offset)
        .map_or(offset - line_start, |s| s.chars().count())
        + 1;
    (line, column)
}

/// Byte offset of `inner` inside `outer` when `inner` is a slice of it.
pub fn offset_in(outer: &str, inner: &str) -> Option<usize> {
    let start = outer.as_ptr() as usize;
    let at = inner.as_ptr() as usize;
    (at >= start && at + inner.len() <= start + outer.len()).then(|| at - start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column() {
        let text = "{\n  \"a\": 1,\n  \"b\": x\n}";
        let offset = text.find('x').unwrap();
        assert_eq!(line_col(text, offset), (3, 8));
        assert_eq!(line_col(text, 0), (1, 1));
    }

    #[test]
    fn wrong_type_names_the_path() {
        #[derive(Deserialize, Debug)]
        struct Outer {
            #[allow(dead_code)]
            list: Vec<Inner>,
        }
        #[derive(Deserialize, Debug)]
        struct Inner {
            #[allow(dead_code)]
            name: String,
        }
        let text = r#"{"list": [{"name": "a"}, {"name": 5}]}"#;
        let e = parse::<Outer>(Path::new("f.json"), text).unwrap_err();
        assert_eq!(e.json_path.as_deref(), Some("list[1].name"));
        assert_eq!(e.position, Some((1, 35)));
    }

    #[test]
    fn pages_and_trailing_text() {
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct Page {
            n: u32,
        }
        let pages = parse_pages::<Page>(Path::new("f"), "{\"n\": 1}\n{\"n\": 2} ").unwrap();
        assert_eq!(pages.iter().map(|p| p.0.n).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(pages[1].1, 9);
        let e = parse_pages::<Page>(Path::new("f"), "{\"n\": 1}\n  garbage").unwrap_err();
        assert_eq!(e.position, Some((2, 3)));
        assert!(e.message.contains("unexpected text after"), "{e}");
        let e = parse_pages::<Page>(Path::new("f"), "{\"n\": 1}\n{\"n\": \"x\"}").unwrap_err();
        assert_eq!(e.json_path.as_deref(), Some("n"));
        assert_eq!(e.position, Some((2, 9)));
        assert!(e.message.contains("page 2"), "{e}");
        assert!(!e.message.contains("struct"), "{e}");
        let e = parse::<Page>(Path::new("f"), "5").unwrap_err();
        assert!(e.message.contains("expected a JSON object"), "{e}");
        let e = parse::<Page>(Path::new("f"), "{\"n\": 1} x").unwrap_err();
        assert!(e.message.contains("unexpected text after"), "{e}");
    }

    #[test]
    fn unknown_steps_are_dropped() {
        assert_eq!(clean_path("A[2].?.B"), "A[2].B");
        assert_eq!(clean_path("?"), "");
        assert_eq!(clean_path("A[?]"), "A");
    }
}
