//! The request context: condition keys and their values, as the user supplies them.

use std::collections::HashMap;

use crate::policy::KeyValues;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Values(Vec<String>),
    Absent,
}

/// Condition keys of a request. Key names are case-insensitive. A key is either given
/// (one or several values), declared absent, or not mentioned; a key not mentioned is
/// absent when the context is `complete` and unknown otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    entries: HashMap<Box<str>, (String, Entry)>,
    complete: bool,
}

impl Context {
    /// An empty context; `complete`: keys not mentioned are absent (else unknown).
    pub fn new(complete: bool) -> Context {
        Context {
            entries: HashMap::new(),
            complete,
        }
    }

    /// Whether keys not mentioned are absent (true) or unknown (false).
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// Sets whether keys not mentioned are absent.
    pub fn set_complete(&mut self, complete: bool) {
        self.complete = complete;
    }

    /// Sets `key` to these values (replacing earlier ones).
    pub fn set(&mut self, key: &str, values: Vec<String>) {
        self.entries.insert(
            key.to_lowercase().into(),
            (key.to_string(), Entry::Values(values)),
        );
    }

    /// Adds one value to `key` (a multivalued key when called several times).
    pub fn add(&mut self, key: &str, value: impl Into<String>) {
        let e = self
            .entries
            .entry(key.to_lowercase().into())
            .or_insert_with(|| (key.to_string(), Entry::Values(Vec::new())));
        match &mut e.1 {
            Entry::Values(v) => v.push(value.into()),
            absent => *absent = Entry::Values(vec![value.into()]),
        }
    }

    /// Declares `key` absent from the request.
    pub fn set_absent(&mut self, key: &str) {
        self.entries
            .insert(key.to_lowercase().into(), (key.to_string(), Entry::Absent));
    }

    /// The user's entry for `key_lower`, when there is one.
    pub fn get(&self, key_lower: &str) -> Option<KeyValues<'_>> {
        self.entries.get(key_lower).map(|(_, e)| match e {
            Entry::Absent => KeyValues::Absent,
            Entry::Values(v) if v.len() == 1 => KeyValues::One(&v[0]),
            Entry::Values(v) => KeyValues::Many(v),
        })
    }

    /// Every key as written, with its values (`None` for declared-absent keys), sorted.
    pub fn entries(&self) -> Vec<(&str, Option<&[String]>)> {
        let mut out: Vec<_> = self
            .entries
            .values()
            .map(|(k, e)| {
                (
                    k.as_str(),
                    match e {
                        Entry::Values(v) => Some(v.as_slice()),
                        Entry::Absent => None,
                    },
                )
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(b.0));
        out
    }
}
