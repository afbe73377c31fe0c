//! The one place CLI text output passes data strings through: entity names, Sids,
//! policy names and conditions are attacker-controlled and must not write control
//! characters to a terminal. (The merger points this at the core sanitiser.)

/// `s` with every control character shown escaped (`\u{1b}`), never emitted.
pub fn clean(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(clean("role/ok"), "role/ok");
        assert_eq!(clean("a\u{1b}[2Jb\n"), "a\\u{1b}[2Jb\\u{a}");
        assert_eq!(clean("\u{9b}x"), "\\u{9b}x");
    }
}
