//! Text from an export on its way to a terminal.
//!
//! Names, Sids, tags, condition values and policy text are attacker-controlled: a
//! planted `ESC]0;…BEL` retitles the responder's terminal, `ESC[2J` wipes it, a
//! right-to-left override (U+202E) makes `evil<U+202E>txt.exe` read as something else. Every
//! renderer (CLI text, DOT/Mermaid labels, the TUI) passes data through
//! [`terminal_safe`] (or, for a whole rendered text whose own line breaks must stay,
//! [`terminal_safe_lines`]): such characters are shown as visible escapes (`\x1b`,
//! `\u202e`), never emitted. JSON output keeps serde's escaping and goes through
//! [`json_terminal_safe`], which escapes the few characters serde leaves raw.
//!
//! Secrets that look like AWS secret access keys or session tokens are masked by
//! [`mask_secrets`]; [`display`] does both, unless the user asked to see secrets
//! ([`set_show_secrets`], the `--show-secrets` flag).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};

/// True for the characters that must never reach a terminal raw: C0 controls
/// (including newline and tab), DEL, C1 controls, bidirectional overrides, isolates
/// and marks, the line and paragraph separators and the byte-order mark.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200e}' | '\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{feff}')
}

/// How an unsafe character is shown: `\n`, `\r`, `\t`, `\x1b` for the others up to
/// U+00FF, `\u202e` above.
pub fn escape_char(c: char, out: &mut String) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) <= 0xff => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{:04x}", c as u32);
        }
    }
}

fn escape_where(s: &str, unsafe_char: impl Fn(char) -> bool) -> Cow<'_, str> {
    let Some(first) = s.find(&unsafe_char) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        if unsafe_char(c) {
            escape_char(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One field of data (a name, a tag, a condition value) made safe to print: every
/// character [`is_unsafe`] is replaced by its visible escape. Borrows when there is
/// nothing to escape, which is almost always.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    escape_where(s, is_unsafe)
}

/// A whole rendered text (a report, a trace, a DOT file) made safe to print: like
/// [`terminal_safe`] but keeps newlines and tabs, which are the renderer's own layout.
/// Renderers still escape the fields they interpolate, so that a newline inside a
/// name cannot fake a line of output.
pub fn terminal_safe_lines(s: &str) -> Cow<'_, str> {
    escape_where(s, |c| is_unsafe(c) && c != '\n' && c != '\t')
}

/// Serialized JSON made safe to print: serde already writes C0 controls as `\uXXXX`;
/// this escapes DEL, C1 and the bidirectional controls the same way. The result is
/// still valid JSON with the same value (those characters can only occur inside
/// strings, where `\uXXXX` means the same character).
pub fn json_terminal_safe(json: &str) -> Cow<'_, str> {
    let Some(first) = json.find(is_unsafe_outside_layout) else {
        return Cow::Borrowed(json);
    };
    let mut out = String::with_capacity(json.len() + 8);
    out.push_str(&json[..first]);
    for c in json[first..].chars() {
        if is_unsafe_outside_layout(c) {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Unsafe characters other than the whitespace JSON and text layout use between tokens.
fn is_unsafe_outside_layout(c: char) -> bool {
    is_unsafe(c) && !matches!(c, '\n' | '\t' | '\r')
}

/// The text shown in place of a masked secret access key.
pub const MASKED_SECRET_KEY: &str = "[secret access key masked; --show-secrets shows it]";
/// The text shown in place of a masked session token.
pub const MASKED_SESSION_TOKEN: &str = "[session token masked; --show-secrets shows it]";

/// Shortest run of base64 characters taken for a session token (STS tokens are
/// several hundred characters long).
const MIN_SESSION_TOKEN: usize = 100;
/// Length of an AWS secret access key.
const SECRET_KEY_LEN: usize = 40;

fn is_base64(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'/' | b'+')
}

/// A run that mixes upper case, lower case and digits, as random keys do and names
/// and words rarely do.
fn looks_random(run: &[u8]) -> bool {
    run.iter().any(u8::is_ascii_uppercase)
        && run.iter().any(u8::is_ascii_lowercase)
        && run.iter().any(u8::is_ascii_digit)
}

/// What a maximal run of base64 characters (and its `=` padding) is, if it looks
/// like a secret.
fn secret_kind(run: &[u8]) -> Option<&'static str> {
    if !looks_random(run) {
        return None;
    }
    if run.len() >= MIN_SESSION_TOKEN {
        return Some(MASKED_SESSION_TOKEN);
    }
    let padded = run.last() == Some(&b'=');
    (run.len() == SECRET_KEY_LEN && !padded).then_some(MASKED_SECRET_KEY)
}

/// Masks values that look like AWS secret access keys (40 base64 characters mixing
/// cases and digits) or session tokens (100 or more such characters), wherever they
/// appear in `s`. Access key ids (`AKIA…`) are identifiers, not secrets, and stay.
pub fn mask_secrets(s: &str) -> Cow<'_, str> {
    let bytes = s.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !is_base64(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_base64(bytes[i]) {
            i += 1;
        }
        // Base64 padding (at most two `=`) ends a token.
        let body_end = i;
        while i < bytes.len() && bytes[i] == b'=' && i - body_end < 2 {
            i += 1;
        }
        if let Some(mask) = secret_kind(&bytes[start..i]) {
            let out = out.get_or_insert_with(|| String::with_capacity(s.len()));
            // Runs are ASCII, so start and i are character boundaries.
            out.push_str(&s[copied..start]);
            out.push_str(mask);
            copied = i;
        }
    }
    match out {
        None => Cow::Borrowed(s),
        Some(mut out) => {
            out.push_str(&s[copied..]);
            Cow::Owned(out)
        }
    }
}

static SHOW_SECRETS: AtomicBool = AtomicBool::new(false);

/// Whether [`display`] and the CLI's output show secrets (`--show-secrets`); set once
/// at start-up.
pub fn set_show_secrets(show: bool) {
    SHOW_SECRETS.store(show, Ordering::Relaxed);
}

/// Whether secrets are shown (see [`set_show_secrets`]).
pub fn show_secrets() -> bool {
    SHOW_SECRETS.load(Ordering::Relaxed)
}

/// Masks secrets unless the user asked to see them.
pub fn mask_unless_shown(s: &str) -> Cow<'_, str> {
    if show_secrets() {
        Cow::Borrowed(s)
    } else {
        mask_secrets(s)
    }
}

/// One field of data as the TUI and the text renderers show it: secrets masked
/// (unless shown) and unsafe characters escaped.
pub fn display(s: &str) -> Cow<'_, str> {
    match mask_unless_shown(s) {
        Cow::Borrowed(b) => terminal_safe(b),
        Cow::Owned(o) => Cow::Owned(terminal_safe(&o).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_kind_of_control() {
        assert_eq!(terminal_safe("plain name"), "plain name");
        assert!(matches!(terminal_safe("plain"), Cow::Borrowed(_)));
        assert_eq!(
            terminal_safe("a\u{1b}]0;pwned\u{7}b"),
            "a\\x1b]0;pwned\\x07b"
        );
        assert_eq!(terminal_safe("\u{1b}[2J"), "\\x1b[2J");
        assert_eq!(terminal_safe("x\u{7f}\u{85}\u{9b}"), "x\\x7f\\x85\\x9b");
        assert_eq!(terminal_safe("evil\u{202e}txt"), "evil\\u202etxt");
        assert_eq!(
            terminal_safe("\u{2066}\u{2069}\u{200f}"),
            "\\u2066\\u2069\\u200f"
        );
        assert_eq!(terminal_safe("l1\nl2\r\t"), "l1\\nl2\\r\\t");
        assert_eq!(terminal_safe("\u{0}"), "\\x00");
        // Ordinary non-ASCII text is left alone.
        assert_eq!(terminal_safe("café ☃ 日本 é"), "café ☃ 日本 é");
    }

    #[test]
    fn lines_keep_layout_but_not_controls() {
        assert_eq!(
            terminal_safe_lines("a\n\tb\u{1b}[31m\r\n"),
            "a\n\tb\\x1b[31m\\r\n"
        );
    }

    #[test]
    fn no_output_char_is_unsafe() {
        let hostile: String = (0u32..0x30000)
            .filter_map(char::from_u32)
            .filter(|&c| is_unsafe(c))
            .collect();
        assert_eq!(hostile.chars().count(), 80);
        assert!(!terminal_safe(&hostile).chars().any(is_unsafe));
        assert!(!terminal_safe_lines(&hostile)
            .chars()
            .any(|c| is_unsafe(c) && c != '\n' && c != '\t'));
    }

    #[test]
    fn json_stays_json_with_the_same_value() {
        let value = serde_json::json!({"name": "a\u{1b}[2J\u{7f}\u{9b}\u{202e}z"});
        let json = serde_json::to_string_pretty(&value).unwrap();
        let safe = json_terminal_safe(&json);
        assert!(!safe.chars().any(is_unsafe_outside_layout), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn masks_secret_keys_and_tokens_only() {
        let key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assert_eq!(key.len(), 40);
        assert_eq!(
            mask_secrets(&format!("secret={key};")),
            format!("secret={MASKED_SECRET_KEY};")
        );
        let token = format!("IQoJb3JpZ2luX2VjE{}", "Ab1+/".repeat(60));
        assert_eq!(
            mask_secrets(&format!("\"{token}\"")),
            format!("\"{MASKED_SESSION_TOKEN}\"")
        );
        // Not secrets: an access key id, an ARN, a 40-character hex digest, words.
        for s in [
            "AKIAIOSFODNN7EXAMPLE",
            "arn:aws:iam::123456789012:role/service-role/DeployPipelineRole2024",
            "da39a3ee5e6b4b0d3255bfef95601890afd80709",
            "ThisIsAVeryLongPolicyNameWithoutAnyDigits",
        ] {
            assert_eq!(mask_secrets(s), s);
        }
    }

    #[test]
    fn display_masks_then_escapes() {
        let key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        let text = format!("\u{1b}{key}");
        assert_eq!(display(&text), format!("\\x1b{MASKED_SECRET_KEY}"));
    }
}
