//! Finding where a JSON path (`RoleDetailList[3].Arn`) is in a file's text, so that an
//! error found after parsing (an ARN that is not one) still gets its line:column.

/// One step of a JSON path.
#[derive(Debug, PartialEq, Eq)]
enum Step<'p> {
    Key(&'p str),
    Index(usize),
}

fn steps(path: &str) -> Option<Vec<Step<'_>>> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Step::Key(key));
        }
        while let Some(inner) = rest.strip_prefix('[') {
            let end = inner.find(']')?;
            out.push(Step::Index(inner[..end].parse().ok()?));
            rest = &inner[end + 1..];
        }
    }
    Some(out)
}

/// Byte offset in `text` of the value at `path` (as serde_path_to_error and the
/// loaders write paths); `None` when the text does not have it.
pub fn locate(text: &str, path: &str) -> Option<usize> {
    let steps = steps(path)?;
    let bytes = text.as_bytes();
    let mut pos = skip_ws(bytes, 0);
    for step in steps {
        pos = match step {
            Step::Key(key) => member(bytes, pos, key)?,
            Step::Index(index) => element(bytes, pos, index)?,
        };
    }
    Some(pos)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// The end of the string starting at `i` (which holds `"`).
fn skip_string(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The end of the value starting at `i`.
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']') && !b[j].is_ascii_whitespace()
            {
                j += 1;
            }
            Some(j)
        }
    }
}

/// The start of member `key`'s value in the object at `i`.
fn member(b: &[u8], i: usize, key: &str) -> Option<usize> {
    if b.get(i) != Some(&b'{') {
        return None;
    }
    let mut j = skip_ws(b, i + 1);
    while b.get(j) == Some(&b'"') {
        let end = skip_string(b, j)?;
        let name = &b[j + 1..end - 1];
        j = skip_ws(b, end);
        if b.get(j) != Some(&b':') {
            return None;
        }
        let value = skip_ws(b, j + 1);
        if name == key.as_bytes() {
            return Some(value);
        }
        j = skip_ws(b, skip_value(b, value)?);
        if b.get(j) == Some(&b',') {
            j = skip_ws(b, j + 1);
        }
    }
    None
}

/// The start of element `index` of the array at `i`; a lone object counts as a list
/// of one (exports give either).
fn element(b: &[u8], i: usize, index: usize) -> Option<usize> {
    match b.get(i)? {
        b'{' if index == 0 => return Some(i),
        b'[' => {}
        _ => return None,
    }
    let mut j = skip_ws(b, i + 1);
    for _ in 0..index {
        j = skip_ws(b, skip_value(b, j)?);
        if b.get(j) != Some(&b',') {
            return None;
        }
        j = skip_ws(b, j + 1);
    }
    (b.get(j) != Some(&b']')).then_some(j)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values() {
        let text = r#"{"A": {"x": "s\"}", "B": [1, {"C": [true, "v"]}]}, "D": 2}"#;
        let at = |p: &str| locate(text, p).map(|o| &text[o..o + 3]);
        assert_eq!(at("A.B[1].C[1]"), Some("\"v\""));
        assert_eq!(locate(text, "D").map(|o| &text[o..]), Some("2}"));
        assert_eq!(at("A.B[0]"), Some("1, "));
        assert_eq!(locate(text, "A.B[5]"), None);
        assert_eq!(locate(text, "Z"), None);
        assert_eq!(locate(text, ""), Some(0));
    }
}
