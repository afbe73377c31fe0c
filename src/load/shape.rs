//! Serde helpers for the shapes AWS output takes: a list, or a single value where a
//! list of one was meant (the AWS CLI documentation's own GAAD example gives a
//! group's `AttachedManagedPolicies` as one object), or `null` for none.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, StrDeserializer};
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

struct OneOrMany<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrMany<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list, or a single value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            out.push(item);
        }
        Ok(out)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(|one| vec![one])
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, s: &'de str) -> Result<Vec<T>, E> {
        T::deserialize(BorrowedStrDeserializer::<E>::new(s)).map(|one| vec![one])
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Vec<T>, E> {
        T::deserialize(StrDeserializer::<E>::new(s)).map(|one| vec![one])
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Vec<T>, E> {
        Err(E::invalid_type(serde::de::Unexpected::Bool(v), &self))
    }
}

/// A list, a single value taken as a list of one, or `null` as an empty list.
pub fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(OneOrMany(PhantomData))
}

/// Like [`one_or_many`], for a field whose absence matters (`None`).
pub fn some_one_or_many<'de, D, T>(deserializer: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    one_or_many(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Item {
        a: u8,
    }

    #[derive(Deserialize, Debug)]
    struct Holder {
        #[serde(default, deserialize_with = "one_or_many")]
        items: Vec<Item>,
        #[serde(default, deserialize_with = "one_or_many")]
        names: Vec<String>,
    }

    fn parse(text: &str) -> Holder {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn every_shape_is_a_list() {
        assert_eq!(parse(r#"{"items": [{"a": 1}, {"a": 2}]}"#).items.len(), 2);
        assert_eq!(parse(r#"{"items": {"a": 3}}"#).items, [Item { a: 3 }]);
        assert!(parse(r#"{"items": null}"#).items.is_empty());
        assert!(parse("{}").items.is_empty());
        assert_eq!(parse(r#"{"names": "Admins"}"#).names, ["Admins"]);
        assert_eq!(parse(r#"{"names": ["a", "b"]}"#).names, ["a", "b"]);
        assert!(serde_json::from_str::<Holder>(r#"{"items": 5}"#).is_err());
    }
}
