//! Everything a subcommand prints goes through [`Output`]: collected, made safe for
//! the terminal and written once, so that a write error (a full disk) is an error
//! with exit code 2 and never a panic.

use std::fmt;
use std::io::{self, Write};

use serde::Serialize;

use crate::sanitize;

/// A subcommand's standard output, text or JSON.
#[derive(Debug, Default)]
pub struct Output {
    text: String,
    json: bool,
}

impl Output {
    /// An empty output.
    pub fn new() -> Output {
        Output::default()
    }

    /// Prints `value` as pretty JSON (the whole output of a `--json` command).
    pub fn json(&mut self, value: &impl Serialize) -> anyhow::Result<()> {
        self.json = true;
        self.text += &serde_json::to_string_pretty(value)?;
        self.text.push('\n');
        Ok(())
    }

    /// The text as it will be written: secrets masked (unless `--show-secrets`), and
    /// control characters from data escaped (as `\uXXXX` inside JSON strings, as
    /// visible escapes in text).
    pub fn finished(&self) -> String {
        let masked = sanitize::mask_unless_shown(&self.text);
        if self.json {
            sanitize::json_terminal_safe(&masked).into_owned()
        } else {
            sanitize::terminal_safe_lines(&masked).into_owned()
        }
    }

    /// Writes what has been collected so far to standard output and empties the
    /// buffer: for a command that prints before it reads its input (`quiz`).
    pub fn flush_stdout(&mut self) -> io::Result<()> {
        self.write_to(&mut io::stdout().lock())?;
        self.text.clear();
        Ok(())
    }

    /// Writes the output to `out` and flushes it.
    pub fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        out.write_all(self.finished().as_bytes())?;
        out.flush()
    }
}

impl fmt::Write for Output {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.text.push_str(s);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    #[test]
    fn text_is_escaped_and_json_stays_json() {
        let mut text = Output::new();
        writeln!(text, "role \u{1b}]0;pwned\u{7}").unwrap();
        assert_eq!(text.finished(), "role \\x1b]0;pwned\\x07\n");
        let mut json = Output::new();
        json.json(&serde_json::json!({"name": "\u{1b}[2J\u{9b}\u{202e}"}))
            .unwrap();
        let finished = json.finished();
        assert!(!finished.contains(['\u{1b}', '\u{9b}', '\u{202e}']));
        let back: serde_json::Value = serde_json::from_str(&finished).unwrap();
        assert_eq!(back["name"], "\u{1b}[2J\u{9b}\u{202e}");
    }

    #[test]
    fn a_full_disk_is_an_error() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::from_raw_os_error(28))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut out = Output::new();
        writeln!(out, "x").unwrap();
        assert!(out.write_to(&mut Full).is_err());
    }
}
