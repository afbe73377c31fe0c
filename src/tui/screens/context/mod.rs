//! The context editor: the condition keys every request of the session is asked
//! with — set to values, declared absent, or (by default) unknown. It is a popup over
//! the screen whose answer it changes; answers are asked again on every change.

pub mod update;
pub mod view;

use crate::eval::Context;

/// What the user said about a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    /// The request has these values.
    Values(Vec<String>),
    /// The request definitely lacks the key.
    Absent,
}

/// One key of the context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextEntry {
    /// The key as typed.
    pub key: String,
    /// Its setting.
    pub setting: Setting,
}

impl ContextEntry {
    /// `key=v1,v2` or `key absent`.
    pub fn text(&self) -> String {
        match &self.setting {
            Setting::Values(v) => format!("{}={}", self.key, v.join(",")),
            Setting::Absent => format!("{} absent", self.key),
        }
    }
}

/// The editor's state and the context in force.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContextState {
    /// The keys set, in the order set.
    pub entries: Vec<ContextEntry>,
    /// What is being typed.
    pub input: String,
    /// The highlighted entry.
    pub selected: usize,
    /// Keys the policies reference that complete the input.
    pub completions: Vec<String>,
    /// The highlighted completion, when the list is open.
    pub completion: Option<usize>,
    /// What the last input did, or why it was refused.
    pub message: Option<String>,
}

impl ContextState {
    /// The context for requests: the entries given; every other key unknown.
    pub fn context(&self) -> Context {
        let mut ctx = Context::new(false);
        for e in &self.entries {
            match &e.setting {
                Setting::Values(v) => ctx.set(&e.key, v.clone()),
                Setting::Absent => ctx.set_absent(&e.key),
            }
        }
        ctx
    }

    /// The context in one line, for the header: `aws:SecureTransport=true · aws:SourceIp absent`.
    pub fn summary(&self) -> String {
        self.entries
            .iter()
            .map(ContextEntry::text)
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// Sets (or replaces, ignoring case) `key`.
    pub fn set(&mut self, key: &str, setting: Setting) {
        let entry = ContextEntry {
            key: key.to_string(),
            setting,
        };
        match self
            .entries
            .iter()
            .position(|e| e.key.eq_ignore_ascii_case(key))
        {
            Some(i) => {
                self.entries[i] = entry;
                self.selected = i;
            }
            None => {
                self.entries.push(entry);
                self.selected = self.entries.len() - 1;
            }
        }
    }

    /// Removes `key`; false when it was not set.
    pub fn unset(&mut self, key: &str) -> bool {
        let before = self.entries.len();
        self.entries.retain(|e| !e.key.eq_ignore_ascii_case(key));
        self.selected = self.selected.min(self.entries.len().saturating_sub(1));
        self.entries.len() != before
    }

    /// Applies one line of input: `KEY=V1,V2` sets, `!KEY` declares absent, `-KEY`
    /// unsets. Returns what changed, in words, or why the line is refused.
    pub fn apply(&mut self, line: &str) -> Result<String, String> {
        let line = line.trim();
        if let Some(key) = line.strip_prefix('-') {
            let key = key.trim();
            return if self.unset(key) {
                Ok(format!("{key} unset (unknown again)"))
            } else {
                Err(format!("{key} is not set"))
            };
        }
        if let Some(key) = line.strip_prefix('!') {
            let key = key.trim();
            if key.is_empty() {
                return Err("type a key after !".into());
            }
            self.set(key, Setting::Absent);
            return Ok(format!("{key} absent from the request"));
        }
        let Some((key, values)) = line.split_once('=') else {
            return Err("KEY=VALUE sets, !KEY marks absent, -KEY unsets".into());
        };
        let key = key.trim();
        if key.is_empty() || key.contains(char::is_whitespace) {
            return Err(format!("`{key}` is not a key"));
        }
        let values: Vec<String> = values
            .split(',')
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect();
        if values.is_empty() {
            return Err(format!("no value for {key}; use !{key} for absent"));
        }
        self.set(key, Setting::Values(values));
        Ok(format!("{key} set"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::KeyValues;

    #[test]
    fn apply_sets_marks_absent_and_unsets() {
        let mut c = ContextState::default();
        assert!(c.apply("aws:SecureTransport=true").is_ok());
        assert!(c.apply("!aws:SourceIp").is_ok());
        assert!(
            c.apply("aws:securetransport=false").is_ok(),
            "replaces, any case"
        );
        assert_eq!(c.entries.len(), 2);
        assert_eq!(
            c.summary(),
            "aws:securetransport=false · aws:SourceIp absent"
        );
        let ctx = c.context();
        assert!(!ctx.is_complete(), "keys not mentioned stay unknown");
        assert!(matches!(
            ctx.get("aws:securetransport"),
            Some(KeyValues::One("false"))
        ));
        assert!(matches!(ctx.get("aws:sourceip"), Some(KeyValues::Absent)));
        assert!(c.apply("-aws:SourceIp").is_ok());
        assert!(c.apply("-aws:SourceIp").is_err());
        assert!(c.apply("no equals sign").is_err());
        assert!(c.apply("k=").is_err());
        assert!(c.apply("a:b=1, 2").is_ok());
        assert_eq!(c.entries.last().unwrap().text(), "a:b=1,2");
    }
}
