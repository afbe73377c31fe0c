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

    /// Streams a large output (`graph`'s exports) to `out` as `write` produces it,
    /// masked and escaped as [`Output::finished`] would do it, without holding it:
    /// what has been collected so far goes first. A write error is returned (the
    /// caller makes it exit code 2).
    pub fn stream_to(
        &mut self,
        out: impl Write,
        json: bool,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let pending = std::mem::take(&mut self.text).into_bytes();
        let mut safe = SafeWriter {
            out,
            lines_end: pending
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1),
            pending,
            json: json || self.json,
        };
        write(&mut safe)?;
        safe.finish()
    }
}

/// Lines handed to [`SafeWriter`] are made safe and written once this many bytes wait.
const STREAM_CHUNK: usize = 64 * 1024;

/// A writer that masks and escapes what passes through it, a chunk of whole lines at a
/// time: masking looks at runs of base64 characters and escaping at single characters,
/// and neither crosses a line break, so chunks give the same text as the whole would.
struct SafeWriter<W: Write> {
    out: W,
    pending: Vec<u8>,
    /// Where the whole lines of `pending` end (after its last line break).
    lines_end: usize,
    json: bool,
}

impl<W: Write> SafeWriter<W> {
    /// Makes `pending[..end]` safe and writes it.
    fn emit(&mut self, end: usize) -> io::Result<()> {
        let chunk = String::from_utf8_lossy(&self.pending[..end]);
        let masked = sanitize::mask_unless_shown(&chunk);
        let safe = if self.json {
            sanitize::json_terminal_safe(&masked)
        } else {
            sanitize::terminal_safe_lines(&masked)
        };
        self.out.write_all(safe.as_bytes())?;
        self.pending.drain(..end);
        self.lines_end = 0;
        Ok(())
    }

    /// Writes everything still pending and flushes.
    fn finish(mut self) -> io::Result<()> {
        self.emit(self.pending.len())?;
        self.out.flush()
    }
}

impl<W: Write> Write for SafeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // Only the new bytes are searched: a long line written in small pieces stays
        // linear.
        if let Some(p) = buf.iter().rposition(|&b| b == b'\n') {
            self.lines_end = self.pending.len() + p + 1;
        }
        self.pending.extend_from_slice(buf);
        if self.lines_end >= STREAM_CHUNK {
            self.emit(self.lines_end)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // Only whole lines are safe to emit before the end; `finish` writes the rest.
        Ok(())
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
    fn a_stream_is_made_safe_like_the_whole() {
        let key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        // Written in pieces that cut the key, an escape sequence and a multi-byte
        // character apart, long enough to be emitted in several chunks.
        let mut text = String::new();
        for i in 0..5000 {
            text.push_str(&format!("line {i} key={key} \u{1b}]0;x\u{7} caf\u{e9}\n"));
        }
        let bytes = text.as_bytes();
        let mut whole = Output::new();
        whole.write_str(&text).unwrap();
        let mut streamed = Vec::new();
        Output::new()
            .stream_to(&mut streamed, false, |w| {
                for piece in bytes.chunks(7) {
                    w.write_all(piece)?;
                }
                Ok(())
            })
            .unwrap();
        let streamed = String::from_utf8(streamed).unwrap();
        assert_eq!(streamed, whole.finished());
        assert!(!streamed.contains(key) && !streamed.contains('\u{1b}'));
        assert!(streamed.contains("caf\u{e9}"));
    }

    /// A disk with no space left (ENOSPC on every write).
    struct Full;
    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from_raw_os_error(28))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_full_disk_is_an_error_when_streaming() {
        let result = Output::new().stream_to(Full, true, |w| {
            for _ in 0..100_000 {
                w.write_all(b"{\"a\": 1}\n")?;
            }
            Ok(())
        });
        assert!(result.is_err());
    }

    #[test]
    fn a_full_disk_is_an_error() {
        let mut out = Output::new();
        writeln!(out, "x").unwrap();
        assert!(out.write_to(&mut Full).is_err());
    }
}
