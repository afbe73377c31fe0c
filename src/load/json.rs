//! Turning a file's bytes into typed JSON, with errors that name the file, the JSON
//! path and the line:column.

use std::path::Path;

use serde::Deserialize;

use super::LoadError;

/// Checks that `bytes` is non-empty UTF-8 JSON text without a byte-order mark.
pub fn check_text<'a>(file: &Path, bytes: &'a [u8]) -> Result<&'a str, LoadError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(LoadError::file(
            file,
            "the file starts with a UTF-8 byte-order mark (BOM), which JSON does not allow; \
             save it as UTF-8 without BOM",
        )
        .at_position(1, 1));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(LoadError::file(
            file,
            "the file is UTF-16 (Windows PowerShell's `>` writes UTF-16); \
             save it as UTF-8, e.g. `... | Out-File -Encoding utf8NoBOM gaad.json`",
        )
        .at_position(1, 1));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = e.valid_up_to();
        // The valid prefix is UTF-8, so positions can be counted on it.
        let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let (line, column) = line_col(prefix, valid);
        LoadError::file(
            file,
            format!(
                "the file is not valid UTF-8 (byte {valid} is 0x{:02X}); AWS CLI output is UTF-8",
                bytes[valid]
            ),
        )
        .at_position(line, column)
    })?;
    if text.trim().is_empty() {
        return Err(LoadError::file(
            file,
            "the file is empty; expected the JSON output of an AWS CLI command",
        ));
    }
    Ok(text)
}

/// Deserializes `text` into `T`. On failure, parses once more with path tracking so
/// the error names the JSON path where it went wrong.
pub fn parse<'a, T: Deserialize<'a>>(file: &Path, text: &'a str) -> Result<T, LoadError> {
    match serde_json::from_str::<T>(text) {
        Ok(value) => Ok(value),
        Err(_) => {
            let mut de = serde_json::Deserializer::from_str(text);
            match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Ok(value) => Ok(value),
                Err(e) => {
                    let path = e.path().to_string();
                    Err(from_serde(file, e.inner()).at_path(path))
                }
            }
        }
    }
}

/// A [`LoadError`] from a serde_json error, with its position and a plain message.
pub fn from_serde(file: &Path, e: &serde_json::Error) -> LoadError {
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => &full,
    };
    let message = match e.classify() {
        serde_json::error::Category::Eof => {
            format!("the JSON ends early ({message}): the file looks truncated")
        }
        serde_json::error::Category::Syntax => format!("invalid JSON: {message}"),
        _ => message.to_string(),
    };
    let error = LoadError::file(file, message);
    if e.line() > 0 {
        error.at_position(e.line(), e.column())
    } else {
        error
    }
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
}
