//! JSON parsing that remembers duplicate object keys.
//!
//! `serde_json::Value` keeps the last of two equal keys without a word, so
//! `{"Effect":"Deny","Effect":"Allow"}` would read as an Allow. AWS rejects such
//! documents; iamscope marks the statement invalid instead. Parsing records each
//! duplicate under [`DUPLICATE_MARKER`] in the object that holds it, for the compiler to
//! report with its JSON path.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// The key under which an object lists the names it repeats (a NUL cannot appear in
/// a real policy key, so it never collides with one).
pub(crate) const DUPLICATE_MARKER: &str = "\u{0}duplicate-keys";

/// Parses JSON text into a [`Value`], recording repeated keys under [`DUPLICATE_MARKER`].
pub(crate) fn parse(text: &str) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = StrictSeed.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// The keys an object repeats, when it repeats any.
pub(crate) fn duplicates(map: &Map<String, Value>) -> Option<Vec<&str>> {
    match map.get(DUPLICATE_MARKER)? {
        Value::Array(names) => Some(names.iter().filter_map(Value::as_str).collect()),
        _ => None,
    }
}

/// The first repeated key anywhere inside `value`, with its JSON path below `path`.
pub(crate) fn first_duplicate(value: &Value, path: &str) -> Option<(String, String)> {
    match value {
        Value::Object(map) => {
            if let Some(names) = duplicates(map) {
                if let Some(first) = names.first() {
                    return Some((path.to_string(), (*first).to_string()));
                }
            }
            map.iter()
                .filter(|(k, _)| k.as_str() != DUPLICATE_MARKER)
                .find_map(|(k, v)| first_duplicate(v, &format!("{path}.{k}")))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| first_duplicate(v, &format!("{path}[{i}]"))),
        _ => None,
    }
}

struct StrictSeed;

impl<'de> DeserializeSeed<'de> for StrictSeed {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        StrictSeed.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(v) = seq.next_element_seed(StrictSeed)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        let mut repeated: Vec<Value> = Vec::new();
        while let Some(key) = access.next_key::<String>()? {
            let value = access.next_value_seed(StrictSeed)?;
            if key == DUPLICATE_MARKER {
                return Err(de::Error::custom("a key holds a NUL character"));
            }
            if map.insert(key.clone(), value).is_some() {
                repeated.push(Value::String(key));
            }
        }
        if !repeated.is_empty() {
            map.insert(DUPLICATE_MARKER.to_string(), Value::Array(repeated));
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_repeated_keys() {
        let v = parse(r#"{"a":1,"b":{"Effect":"Deny","Effect":"Allow"}}"#).unwrap();
        assert_eq!(
            first_duplicate(&v, "doc"),
            Some(("doc.b".to_string(), "Effect".to_string()))
        );
        let clean = parse(r#"{"a":[{"x":1},{"x":2}]}"#).unwrap();
        assert_eq!(first_duplicate(&clean, ""), None);
    }

    #[test]
    fn rejects_trailing_text() {
        assert!(parse(r#"{"a":1} {"b":2}"#).is_err());
        assert!(parse(r#"{"a":"x\u0000"}"#).is_ok());
    }
}
