//! Keys to actions: default bindings, overrides from the config file, and the fixed
//! keys of text fields. The help overlay is generated from here, so it never drifts.
//!
//! # Config file
//!
//! `config.toml` in the platform config directory (`~/.config/iamscope/config.toml` on
//! Linux, `~/Library/Application Support/iamscope/config.toml` on macOS,
//! `%APPDATA%\iamscope\config\config.toml` on Windows), or the file named by
//! `IAMSCOPE_CONFIG`. Each entry of `[keys]` names a command (as listed by `?` and
//! the `:` palette) and gives one key or a list of keys; it replaces that command's
//! default keys, and a key taken from another command is removed from it:
//!
//! ```toml
//! [keys]
//! down = ["j", "Down", "Ctrl-n"]
//! up = ["k", "Up", "Ctrl-p"]
//! quit = "Ctrl-q"
//! who-can = "W"
//! expand-all = []          # no key; still in the palette
//! ```
//!
//! Keys: a character (`j`, `G`, `?`, `/`), a name (`Enter`, `Esc`, `Tab`, `Backspace`,
//! `Space`, `Up`, `Down`, `Left`, `Right`, `Home`, `End`, `PageUp`, `PageDown`,
//! `Delete`, `Insert`, `F1`…`F12`), optionally prefixed by `Ctrl-`, `Alt-` or `Shift-`
//! (`Shift-Tab` is the back-tab key).

use std::collections::HashMap;
use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Command, InputKey};

/// A key with its modifiers, normalised (`G` has no Shift; Shift-Tab is `BackTab`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Ctrl and Alt (Shift only for non-character keys).
    pub mods: KeyModifiers,
}

impl Key {
    /// Normalises a terminal key event.
    pub fn from_event(ev: KeyEvent) -> Key {
        let mut mods =
            ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        if matches!(ev.code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        Key {
            code: ev.code,
            mods,
        }
    }

    /// Parses `j`, `Ctrl-d`, `Shift-Tab`, `PageDown`, …
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (m, len) = if lower.starts_with("ctrl-") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift-") && rest.len() > 6 {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            mods |= m;
            rest = &rest[len..];
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "space" => KeyCode::Char(' '),
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "delete" | "del" => KeyCode::Delete,
            "insert" | "ins" => KeyCode::Insert,
            f if f.len() >= 2 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => {
                        let c = if mods.contains(KeyModifiers::SHIFT) {
                            c.to_ascii_uppercase()
                        } else {
                            c
                        };
                        KeyCode::Char(c)
                    }
                    _ => return Err(format!("unknown key `{text}`")),
                }
            }
        };
        Ok(Key::from_event(KeyEvent::new(code, mods)))
    }

    /// The key as written in the config file and shown in the help.
    pub fn display(&self) -> String {
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("Ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("Alt-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            out.push_str("Shift-");
        }
        match self.code {
            KeyCode::Char(' ') => out.push_str("Space"),
            KeyCode::Char(c) => out.push(c),
            KeyCode::BackTab => out.push_str("Shift-Tab"),
            KeyCode::F(n) => out.push_str(&format!("F{n}")),
            KeyCode::PageUp => out.push_str("PageUp"),
            KeyCode::PageDown => out.push_str("PageDown"),
            other => out.push_str(&format!("{other:?}")),
        }
        out
    }
}

/// The default bindings: command name and keys.
pub const DEFAULTS: &[(Command, &[&str])] = &[
    (Command::Up, &["k", "Up"]),
    (Command::Down, &["j", "Down"]),
    (Command::Left, &["h", "Left"]),
    (Command::Right, &["l", "Right"]),
    (Command::Top, &["g", "Home"]),
    (Command::Bottom, &["G", "End"]),
    (Command::HalfPageDown, &["Ctrl-d"]),
    (Command::HalfPageUp, &["Ctrl-u"]),
    (Command::PageDown, &["PageDown", "Ctrl-f"]),
    (Command::PageUp, &["PageUp", "Ctrl-b"]),
    (Command::Open, &["Enter", "Space"]),
    (Command::JumpBack, &["Backspace"]),
    (Command::NextPane, &["Tab"]),
    (Command::PrevPane, &["Shift-Tab"]),
    (Command::Search, &["/"]),
    (Command::Palette, &[":"]),
    (Command::Findings, &["F"]),
    (Command::Study, &["s"]),
    (Command::WhoCan, &["w"]),
    (Command::TrustGraph, &["t"]),
    (Command::Can, &["c"]),
    (Command::Blast, &["b"]),
    (Command::Paths, &["p"]),
    (Command::Context, &["x"]),
    (Command::Samples, &["S"]),
    (Command::ExpandAll, &["E"]),
    (Command::CollapseAll, &["C"]),
    (Command::Help, &["?", "F1"]),
    (Command::Back, &["Esc"]),
    (Command::Quit, &["q", "Ctrl-c"]),
];

/// The fixed keys of text fields (search, palette, who-can), for the help.
pub const INPUT_KEYS: &[(&str, &str)] = &[
    (
        "Enter",
        "accept: jump, run, complete; who-can: trace of the row",
    ),
    ("Esc", "close (or close the completion list)"),
    ("Up / Down, Ctrl-p / Ctrl-n", "previous / next entry"),
    ("Tab / Shift-Tab", "complete, or next / previous field"),
    ("Backspace", "delete a character"),
    (
        "Ctrl-e",
        "who-can: toggle escalation; paths: every path up to 4, 6, 8 hops, or the shortest",
    ),
    (
        "Ctrl-k",
        "who-can, can, paths: the context editor (set keys, live)",
    ),
    ("Delete, Ctrl-d", "context editor: unset the selected key"),
    (
        "PageUp / PageDown",
        "who-can: scroll results or trace a page",
    ),
    ("Ctrl-u", "clear the field"),
    ("Ctrl-c", "quit"),
];

/// Key → command bindings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: HashMap<Key, Command>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        let mut bindings = HashMap::new();
        for (cmd, keys) in DEFAULTS {
            for k in *keys {
                if let Ok(key) = Key::parse(k) {
                    bindings.insert(key, *cmd);
                }
            }
        }
        Keymap { bindings }
    }
}

#[derive(Debug, serde::Deserialize)]
#[serde(untagged)]
enum KeyList {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Default, serde::Deserialize)]
struct ConfigFile {
    #[serde(default)]
    keys: HashMap<String, KeyList>,
}

impl Keymap {
    /// The defaults with the `[keys]` overrides of a config file's text applied.
    /// Problems (unknown command or key) are returned as messages; the rest applies.
    pub fn from_config(text: &str) -> (Keymap, Vec<String>) {
        let mut map = Keymap::default();
        let mut problems = Vec::new();
        let config: ConfigFile = match toml::from_str(text) {
            Ok(c) => c,
            Err(e) => return (map, vec![format!("config: {e}")]),
        };
        let mut names: Vec<_> = config.keys.into_iter().collect();
        names.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, keys) in names {
            let Some(cmd) = Command::from_name(&name) else {
                problems.push(format!("config: unknown command `{name}`"));
                continue;
            };
            let keys = match keys {
                KeyList::One(k) => vec![k],
                KeyList::Many(ks) => ks,
            };
            map.bindings.retain(|_, c| *c != cmd);
            for k in keys {
                match Key::parse(&k) {
                    Ok(key) => {
                        map.bindings.insert(key, cmd);
                    }
                    Err(e) => problems.push(format!("config: {name}: {e}")),
                }
            }
        }
        (map, problems)
    }

    /// Where the config file is looked for.
    pub fn config_path() -> Option<PathBuf> {
        if let Some(p) = std::env::var_os("IAMSCOPE_CONFIG") {
            return Some(PathBuf::from(p));
        }
        directories::ProjectDirs::from("", "", "iamscope")
            .map(|d| d.config_dir().join("config.toml"))
    }

    /// The keymap from the config file if there is one, else the defaults; with the
    /// problems found, to show in the status bar.
    pub fn load() -> (Keymap, Vec<String>) {
        let Some(path) = Keymap::config_path() else {
            return (Keymap::default(), Vec::new());
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Keymap::from_config(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Keymap::default(), Vec::new()),
            Err(e) => (Keymap::default(), vec![format!("{}: {e}", path.display())]),
        }
    }

    /// The command bound to a key event.
    pub fn command(&self, ev: KeyEvent) -> Option<Command> {
        self.bindings.get(&Key::from_event(ev)).copied()
    }

    /// The keys bound to `cmd`, in a stable order (defaults' order first).
    pub fn keys_for(&self, cmd: Command) -> Vec<String> {
        let mut keys: Vec<String> = self
            .bindings
            .iter()
            .filter(|(_, c)| **c == cmd)
            .map(|(k, _)| k.display())
            .collect();
        let default_pos = |k: &String| {
            DEFAULTS
                .iter()
                .find(|(c, _)| *c == cmd)
                .and_then(|(_, ks)| ks.iter().position(|d| d == k))
                .unwrap_or(usize::MAX)
        };
        keys.sort_by(|a, b| default_pos(a).cmp(&default_pos(b)).then(a.cmp(b)));
        keys
    }

    /// The first key of `cmd`, for hints (`?`), or `:name` when it has none.
    pub fn hint(&self, cmd: Command) -> String {
        self.keys_for(cmd)
            .into_iter()
            .next()
            .unwrap_or_else(|| format!(":{}", cmd.name()))
    }
}

/// The text-field meaning of a key event, if any.
pub fn input_key(ev: KeyEvent) -> Option<InputKey> {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    Some(match ev.code {
        KeyCode::Esc => InputKey::Cancel,
        KeyCode::Enter => InputKey::Accept,
        KeyCode::Backspace => InputKey::Backspace,
        KeyCode::Up => InputKey::Prev,
        KeyCode::Down => InputKey::Next,
        KeyCode::Tab => InputKey::Tab,
        KeyCode::BackTab => InputKey::BackTab,
        KeyCode::Char('u') if ctrl => InputKey::Clear,
        KeyCode::Char('p') if ctrl => InputKey::Prev,
        KeyCode::Char('n') if ctrl => InputKey::Next,
        KeyCode::Char('e') if ctrl => InputKey::Toggle,
        KeyCode::Char('k') if ctrl => InputKey::Context,
        KeyCode::Char('d') if ctrl => InputKey::Delete,
        KeyCode::Delete => InputKey::Delete,
        KeyCode::PageUp => InputKey::PageUp,
        KeyCode::PageDown => InputKey::PageDown,
        KeyCode::Char(c) if !ctrl && !ev.modifiers.contains(KeyModifiers::ALT) => InputKey::Char(c),
        _ => return None,
    })
}

/// True for Ctrl-c, which quits from anywhere.
pub fn is_interrupt(ev: KeyEvent) -> bool {
    ev.code == KeyCode::Char('c') && ev.modifiers.contains(KeyModifiers::CONTROL)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_default_entry() {
        for cmd in Command::ALL {
            assert!(DEFAULTS.iter().any(|(c, _)| c == cmd), "{cmd:?}");
        }
        for (_, keys) in DEFAULTS {
            for k in *keys {
                Key::parse(k).unwrap();
            }
        }
    }

    #[test]
    fn parse_and_display_round_trip() {
        for k in [
            "j",
            "G",
            "Ctrl-d",
            "Shift-Tab",
            "PageDown",
            "F1",
            "Space",
            "Enter",
            "?",
        ] {
            assert_eq!(Key::parse(k).unwrap().display(), k);
        }
        assert!(Key::parse("Hyper-x").is_err());
    }

    #[test]
    fn shifted_letters_match_events() {
        let map = Keymap::default();
        let ev = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(map.command(ev), Some(Command::Bottom));
        let ev = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(map.command(ev), Some(Command::PrevPane));
    }

    #[test]
    fn config_overrides_replace_and_steal() {
        let (map, problems) = Keymap::from_config(
            "[keys]\ndown = [\"n\", \"Down\"]\nquit = \"j\"\nbogus = \"x\"\nup = \"Hyper-k\"\n",
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(map.keys_for(Command::Down), vec!["Down", "n"]);
        assert_eq!(map.keys_for(Command::Quit), vec!["j"]);
        assert!(map.keys_for(Command::Up).is_empty());
        assert_eq!(map.hint(Command::Up), ":up");
    }

    #[test]
    fn bad_toml_keeps_defaults() {
        let (map, problems) = Keymap::from_config("[keys\n");
        assert_eq!(map, Keymap::default());
        assert_eq!(problems.len(), 1);
    }
}
