//! How conditions and policy variables see the request context.

/// The values a request holds for one context key, as seen by a condition.
#[derive(Debug, Clone, Copy)]
pub enum KeyValues<'a> {
    /// The request definitely lacks this key.
    Absent,
    /// The request does not say whether it has this key.
    Unknown,
    /// One value.
    One(&'a str),
    /// Several values (a multivalued key); may be empty.
    Many(&'a [String]),
}

impl<'a> KeyValues<'a> {
    /// The values, when present.
    pub fn values(&self) -> impl Iterator<Item = &'a str> + '_ {
        let (one, many): (Option<&'a str>, &'a [String]) = match *self {
            KeyValues::One(v) => (Some(v), &[]),
            KeyValues::Many(vs) => (None, vs),
            _ => (None, &[]),
        };
        one.into_iter().chain(many.iter().map(String::as_str))
    }

    /// True when present with no value at all (an empty list).
    pub fn is_empty_set(&self) -> bool {
        matches!(self, KeyValues::Many(v) if v.is_empty())
    }
}

/// Looks context keys up by lower-cased name (condition key names are case-insensitive).
pub trait KeyLookup {
    /// The values of `key_lower` (already lower-cased).
    fn lookup(&self, key_lower: &str) -> KeyValues<'_>;
}

/// Where evaluation records the keys it found unknown: a list, or nowhere when only the
/// decision matters (then nothing is allocated).
pub(crate) struct Unknowns<'u>(pub(crate) Option<&'u mut Vec<String>>);

impl Unknowns<'_> {
    /// Records `key`.
    pub(crate) fn push(&mut self, key: &str) {
        if let Some(v) = self.0.as_deref_mut() {
            v.push(key.to_string());
        }
    }

    /// How many keys are recorded (0 when not recording).
    pub(crate) fn mark(&self) -> usize {
        self.0.as_deref().map_or(0, Vec::len)
    }

    /// Forgets the keys recorded after `mark`.
    pub(crate) fn truncate(&mut self, mark: usize) {
        if let Some(v) = self.0.as_deref_mut() {
            v.truncate(mark);
        }
    }
}
