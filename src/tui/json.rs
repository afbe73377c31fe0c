//! Pretty-printing a policy document's JSON as coloured lines, keeping the key order of
//! the original text (a `serde_json::Value` would sort the keys).

use ratatui::text::{Line, Span};

use super::theme::Theme;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'a> {
    Open(u8),
    Close(u8),
    Colon,
    Comma,
    Str(&'a str),
    Lit(&'a str),
}

fn tokenize(text: &str) -> Option<Vec<Tok<'_>>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            c @ (b'{' | b'[') => {
                out.push(Tok::Open(c));
                i += 1;
            }
            c @ (b'}' | b']') => {
                out.push(Tok::Close(c));
                i += 1;
            }
            b':' => {
                out.push(Tok::Colon);
                i += 1;
            }
            b',' => {
                out.push(Tok::Comma);
                i += 1;
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                if i >= b.len() {
                    return None;
                }
                i += 1;
                out.push(Tok::Str(&text[start..i]));
            }
            _ => {
                let start = i;
                while i < b.len() && !b" \t\r\n,:]}[{\"".contains(&b[i]) {
                    i += 1;
                }
                if start == i {
                    return None;
                }
                out.push(Tok::Lit(&text[start..i]));
            }
        }
    }
    Some(out)
}

/// The document as indented, coloured lines; the raw lines when it is not JSON.
///
/// Keys are in the key style, strings and literals in theirs, and the values
/// `"Allow"` and `"Deny"` of an `Effect` key in the allow and deny styles.
pub fn pretty_lines(text: &str, theme: &Theme) -> Vec<Line<'static>> {
    let Some(tokens) = tokenize(text) else {
        return text
            .lines()
            .map(|l| Line::styled(l.to_string(), theme.text))
            .collect();
    };
    let mut lines = Vec::new();
    let mut cur: Vec<Span<'static>> = Vec::new();
    let mut depth = 0usize;
    let mut last_key: Option<&str> = None;
    let indent = |d: usize| Span::raw("  ".repeat(d));
    for (i, tok) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1).copied();
        match *tok {
            Tok::Open(c) => {
                cur.push(Span::raw((c as char).to_string()));
                if next == Some(Tok::Close(if c == b'{' { b'}' } else { b']' })) {
                    continue;
                }
                depth += 1;
                lines.push(Line::from(std::mem::take(&mut cur)));
                cur.push(indent(depth));
            }
            Tok::Close(c) => {
                let empty = i > 0 && matches!(tokens[i - 1], Tok::Open(_));
                if !empty {
                    depth = depth.saturating_sub(1);
                    lines.push(Line::from(std::mem::take(&mut cur)));
                    cur.push(indent(depth));
                }
                cur.push(Span::raw((c as char).to_string()));
            }
            Tok::Colon => cur.push(Span::raw(": ")),
            Tok::Comma => {
                cur.push(Span::raw(","));
                lines.push(Line::from(std::mem::take(&mut cur)));
                cur.push(indent(depth));
            }
            Tok::Str(s) => {
                if next == Some(Tok::Colon) {
                    last_key = Some(s);
                    cur.push(Span::styled(s.to_string(), theme.json_key));
                } else {
                    let style = match (last_key, s) {
                        (Some("\"Effect\""), "\"Allow\"") => theme.allow,
                        (Some("\"Effect\""), "\"Deny\"") => theme.deny,
                        _ => theme.json_string,
                    };
                    cur.push(Span::styled(s.to_string(), style));
                }
            }
            Tok::Lit(s) => cur.push(Span::styled(s.to_string(), theme.json_literal)),
        }
    }
    if !cur.is_empty() {
        lines.push(Line::from(cur));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn keeps_key_order_and_indents() {
        let t = Theme::colored();
        let lines = pretty_lines(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":[],"Resource":{}}]}"#,
            &t,
        );
        assert_eq!(
            plain(&lines),
            vec![
                "{",
                "  \"Version\": \"2012-10-17\",",
                "  \"Statement\": [",
                "    {",
                "      \"Effect\": \"Deny\",",
                "      \"Action\": [],",
                "      \"Resource\": {}",
                "    }",
                "  ]",
                "}",
            ]
        );
        let deny = &lines[4].spans[3];
        assert_eq!(deny.content, "\"Deny\"");
        assert_eq!(deny.style, t.deny);
    }

    #[test]
    fn invalid_json_is_shown_raw() {
        let lines = pretty_lines("{\"a\": \"unterminated", &Theme::colored());
        assert_eq!(plain(&lines), vec!["{\"a\": \"unterminated"]);
    }
}
