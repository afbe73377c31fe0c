//! A file's bytes as text: UTF-8, no byte-order mark, no NUL, not empty. Each other
//! case is named (UTF-16 from PowerShell, binary data, a truncated download), with
//! its line:column.

use std::path::Path;

use super::json::line_col;
use super::LoadError;

/// The encodings that are not UTF-8 but are recognisable from the first bytes.
fn foreign_encoding(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, 0, 0, ..] | [0, 0, 0xFE, 0xFF, ..] => Some("UTF-32"),
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => Some("UTF-16"),
        // No byte-order mark, but every other byte NUL around ASCII text: UTF-16
        // little-endian (`{\0"\0`) or big-endian (`\0{\0"`).
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 => {
            Some("UTF-16 (little-endian, no byte-order mark)")
        }
        [0, a, 0, b, ..] if *a != 0 && *b != 0 => Some("UTF-16 (big-endian, no byte-order mark)"),
        _ => None,
    }
}

/// Checks that `bytes` is non-empty UTF-8 text without a byte-order mark or NUL.
pub fn check_text<'a>(file: &Path, bytes: &'a [u8]) -> Result<&'a str, LoadError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(LoadError::file(
            file,
            "the file starts with a UTF-8 byte-order mark (BOM), which JSON does not allow; \
             save it as UTF-8 without BOM",
        )
        .at_position(1, 1));
    }
    if let Some(encoding) = foreign_encoding(bytes) {
        return Err(LoadError::file(
            file,
            format!(
                "the file is {encoding}, not UTF-8 (Windows PowerShell's `>` writes UTF-16); \
                 save it as UTF-8, e.g. `... | Out-File -Encoding utf8NoBOM FILE`"
            ),
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
    if let Some(at) = text.find('\0') {
        let (line, column) = line_col(text, at);
        return Err(LoadError::file(
            file,
            "the file holds a NUL byte: binary data, or an export cut short and padded \
             (a full disk, an interrupted copy); export it again",
        )
        .at_position(line, column));
    }
    if text.trim().is_empty() {
        return Err(LoadError::file(
            file,
            "the file is empty; expected the output of an AWS CLI command",
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(bytes: &[u8]) -> String {
        check_text(Path::new("f"), bytes).unwrap_err().to_string()
    }

    #[test]
    fn names_each_encoding() {
        assert!(message(b"\xff\xfe{\0}\0").contains("is UTF-16"));
        assert!(message(b"{\0\"\0").contains("UTF-16 (little-endian"));
        assert!(message(b"\0{\0\"").contains("UTF-16 (big-endian"));
        assert!(message(b"\xff\xfe\0\0{\0\0\0").contains("UTF-32"));
        assert!(message(b"\xef\xbb\xbf{}").contains("byte-order mark"));
    }

    #[test]
    fn a_nul_byte_is_located() {
        let m = message(b"{\n  \"a\": 1\0\0\0");
        assert!(m.starts_with("f:2:9:"), "{m}");
        assert!(m.contains("NUL byte"), "{m}");
    }

    #[test]
    fn text_passes() {
        assert_eq!(check_text(Path::new("f"), b" {} ").unwrap(), " {} ");
    }
}
