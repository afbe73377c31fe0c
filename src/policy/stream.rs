//! Reading a policy document straight from its text, one statement at a time.
//!
//! The whole document is never held as a `serde_json::Value`: its top level is read as
//! (key, raw text) pairs borrowed from the input, and the `Statement` array is walked
//! element by element, each element handed over as its raw text. Only one statement's
//! JSON tree exists at any time, so compiling a 200 MB document costs its compiled
//! form plus one statement.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// The top-level members of a JSON object, in document order, values as raw text.
/// `Err` with serde_json's message when the text is not JSON; `Ok(None)` when it is
/// JSON but not an object.
pub(crate) fn object_members(text: &str) -> Result<Option<Vec<(String, &RawValue)>>, String> {
    // Check the whole text first, so that a syntax error anywhere is reported as such.
    let whole: &RawValue = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if !whole.get().trim_start().starts_with('{') {
        return Ok(None);
    }
    let mut de = serde_json::Deserializer::from_str(whole.get());
    let members = de.deserialize_map(Members).map_err(|e| e.to_string())?;
    Ok(Some(members))
}

struct Members;

impl<'de> Visitor<'de> for Members {
    type Value = Vec<(String, &'de RawValue)>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value: &'de RawValue = map.next_value()?;
            out.push((key, value));
        }
        Ok(out)
    }
}

/// Calls `each` with the raw text of every element of the JSON array `raw`, in order.
pub(crate) fn for_each_element<'a>(raw: &'a RawValue, each: impl FnMut(&'a RawValue)) {
    let mut de = serde_json::Deserializer::from_str(raw.get());
    // `raw` is a JSON array (checked by the caller and by the parse that produced it).
    let _ = de.deserialize_seq(Elements { each });
}

struct Elements<F> {
    each: F,
}

impl<'de, F: FnMut(&'de RawValue)> Visitor<'de> for Elements<F> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array")
    }
    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some(element) = seq.next_element::<&'de RawValue>()? {
            (self.each)(element);
        }
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom("not an array"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_and_elements_are_borrowed_text() {
        let members = object_members(r#"{"a": [1, {"b":2}], "a": "x"}"#)
            .unwrap()
            .unwrap();
        let keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "a"]);
        let mut seen = Vec::new();
        for_each_element(members[0].1, |e| seen.push(e.get().to_string()));
        assert_eq!(seen, ["1", r#"{"b":2}"#]);
        assert!(object_members("[1]").unwrap().is_none());
        assert!(object_members(r#"{"a":1} x"#).is_err());
        assert!(object_members(r#"{"a":"#).is_err());
    }
}
