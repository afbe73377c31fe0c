//! The one place the study subcommands pass data strings through, now the core
//! sanitiser: entity names, Sids, policy names and conditions are attacker-controlled
//! and must not write control characters to a terminal.

/// `s` with every control character shown escaped (`\x1b`), never emitted, and
/// secrets masked.
pub fn clean(s: &str) -> String {
    crate::sanitize::display(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(clean("role/ok"), "role/ok");
        for raw in ["a\u{1b}[2Jb\n", "\u{9b}x", "x\u{202e}y"] {
            let safe = clean(raw);
            assert!(!safe.chars().any(crate::sanitize::is_unsafe), "{safe:?}");
        }
    }
}
