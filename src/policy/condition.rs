//! Condition operators: parsing and three-valued evaluation.

use std::net::IpAddr;

use serde::Serialize;

use super::error::PolicyError;
use super::glob::{matches, render, Part, Resolved, Template};
use super::keys::{KeyLookup, KeyValues, Unknowns};
use super::resource::split_fields;
use super::tri::Tri;
use super::values::{decode_base64, parse_date, parse_ip, parse_number, Cidr};

/// The operator family without its `Not`, `IfExists` and set prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BaseOp {
    /// `StringEquals` (and `StringNotEquals` negated).
    StringEquals,
    /// `StringEqualsIgnoreCase`.
    StringEqualsIgnoreCase,
    /// `StringLike`: `*` and `?` wildcards.
    StringLike,
    /// `NumericEquals`.
    NumericEquals,
    /// `NumericLessThan`.
    NumericLessThan,
    /// `NumericLessThanEquals`.
    NumericLessThanEquals,
    /// `NumericGreaterThan`.
    NumericGreaterThan,
    /// `NumericGreaterThanEquals`.
    NumericGreaterThanEquals,
    /// `DateEquals`.
    DateEquals,
    /// `DateLessThan`.
    DateLessThan,
    /// `DateLessThanEquals`.
    DateLessThanEquals,
    /// `DateGreaterThan`.
    DateGreaterThan,
    /// `DateGreaterThanEquals`.
    DateGreaterThanEquals,
    /// `Bool`.
    Bool,
    /// `BinaryEquals` (base64).
    BinaryEquals,
    /// `IpAddress` (and `NotIpAddress`).
    IpAddress,
    /// `ArnEquals`/`ArnLike` (per-field wildcards, identical semantics).
    ArnLike,
    /// `Null`.
    Null,
}

/// `ForAllValues:` / `ForAnyValue:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SetOp {
    /// Every request value must match; true when the key is absent or empty.
    ForAllValues,
    /// Some request value must match; false when the key is absent or empty.
    ForAnyValue,
}

/// A parsed operator name such as `ForAnyValue:StringNotLikeIfExists`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Operator {
    /// The name as written.
    pub name: String,
    /// Set prefix.
    pub set: Option<SetOp>,
    /// Family.
    pub base: BaseOp,
    /// `Not…` form: true when no policy value matches.
    pub negated: bool,
    /// `…IfExists`: true when the key is absent.
    pub if_exists: bool,
}

impl Operator {
    /// Parses an operator name; `None` when AWS does not know it.
    pub fn parse(name: &str) -> Option<Operator> {
        let (set, rest) = if let Some(r) = strip_ci(name, "ForAllValues:") {
            (Some(SetOp::ForAllValues), r)
        } else if let Some(r) = strip_ci(name, "ForAnyValue:") {
            (Some(SetOp::ForAnyValue), r)
        } else {
            (None, name)
        };
        let (rest, if_exists) = match strip_suffix_ci(rest, "IfExists") {
            Some(r) => (r, true),
            None => (rest, false),
        };
        use BaseOp::*;
        let (base, negated) = match rest.to_ascii_lowercase().as_str() {
            "stringequals" => (StringEquals, false),
            "stringnotequals" => (StringEquals, true),
            "stringequalsignorecase" => (StringEqualsIgnoreCase, false),
            "stringnotequalsignorecase" => (StringEqualsIgnoreCase, true),
            "stringlike" => (StringLike, false),
            "stringnotlike" => (StringLike, true),
            "numericequals" => (NumericEquals, false),
            "numericnotequals" => (NumericEquals, true),
            "numericlessthan" => (NumericLessThan, false),
            "numericlessthanequals" => (NumericLessThanEquals, false),
            "numericgreaterthan" => (NumericGreaterThan, false),
            "numericgreaterthanequals" => (NumericGreaterThanEquals, false),
            "dateequals" => (DateEquals, false),
            "datenotequals" => (DateEquals, true),
            "datelessthan" => (DateLessThan, false),
            "datelessthanequals" => (DateLessThanEquals, false),
            "dategreaterthan" => (DateGreaterThan, false),
            "dategreaterthanequals" => (DateGreaterThanEquals, false),
            "bool" => (Bool, false),
            "binaryequals" => (BinaryEquals, false),
            "ipaddress" => (IpAddress, false),
            "notipaddress" => (IpAddress, true),
            "arnequals" | "arnlike" => (ArnLike, false),
            "arnnotequals" | "arnnotlike" => (ArnLike, true),
            "null" => (Null, false),
            _ => return None,
        };
        if base == Null && (if_exists || set.is_some()) {
            return None;
        }
        Some(Operator {
            name: name.to_string(),
            set,
            base,
            negated,
            if_exists,
        })
    }
}

fn strip_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let tail = s.get(cut..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &s[..cut])
}

/// Global condition keys that hold several values (lower-cased). AWS documents a plain
/// operator on them (without `ForAllValues:`/`ForAnyValue:`) as unsupported, so a
/// policy doing so is reported invalid (`Null` is fine: it only tests presence).
pub const MULTIVALUED_KEYS: &[&str] = &[
    "aws:tagkeys",
    "aws:principalorgpaths",
    "aws:calledvia",
    "aws:principalservicenameslist",
];

/// A policy value compiled for its operator.
#[derive(Debug, Clone)]
enum Typed {
    Str(Box<str>),
    Glob(Vec<Part>),
    Num(f64),
    Date(i64),
    Bool(bool),
    Bytes(Vec<u8>),
    Cidr(Cidr),
    Arn(Vec<Vec<Part>>),
}

#[derive(Debug, Clone)]
enum Value {
    Typed(Typed),
    Template(Template),
}

/// One condition: an operator applied to one key with its listed values.
#[derive(Debug, Clone)]
pub struct Condition {
    /// The operator.
    pub operator: Operator,
    /// The key as written.
    pub key: String,
    key_lower: Box<str>,
    raw_values: Vec<String>,
    values: Vec<Value>,
    /// Some value holds a policy variable (resolved per request).
    has_templates: bool,
}

fn typed(base: BaseOp, s: &str) -> Result<Typed, String> {
    use BaseOp::*;
    Ok(match base {
        StringEquals | StringEqualsIgnoreCase => Typed::Str(s.into()),
        StringLike => Typed::Glob(Template::parse(s, true, false, false).parts().to_vec()),
        NumericEquals
        | NumericLessThan
        | NumericLessThanEquals
        | NumericGreaterThan
        | NumericGreaterThanEquals => {
            Typed::Num(parse_number(s).ok_or_else(|| format!("`{s}` is not a number"))?)
        }
        DateEquals
        | DateLessThan
        | DateLessThanEquals
        | DateGreaterThan
        | DateGreaterThanEquals => {
            Typed::Date(parse_date(s).ok_or_else(|| format!("`{s}` is not a date"))?)
        }
        Bool | Null => Typed::Bool(if s.eq_ignore_ascii_case("true") {
            true
        } else if s.eq_ignore_ascii_case("false") {
            false
        } else {
            return Err(format!("`{s}` is not true or false"));
        }),
        BinaryEquals => {
            Typed::Bytes(decode_base64(s).ok_or_else(|| format!("`{s}` is not base64"))?)
        }
        IpAddress => Typed::Cidr(
            Cidr::parse(s).ok_or_else(|| format!("`{s}` is not an IP address or CIDR"))?,
        ),
        ArnLike => Typed::Arn(arn_fields(s)),
    })
}

fn arn_fields(s: &str) -> Vec<Vec<Part>> {
    match split_fields(s, false) {
        Some(f) => f
            .iter()
            .map(|x| Template::parse(x, true, false, false).parts().to_vec())
            .collect(),
        // `*` alone matches any ARN; another pattern without six fields matches none.
        None if s == "*" => vec![vec![Part::Star]],
        None => Vec::new(),
    }
}

impl Condition {
    /// Compiles one operator/key/values triple; `variables`: version 2012-10-17.
    pub fn new(
        operator: Operator,
        key: &str,
        raw_values: Vec<String>,
        variables: bool,
        path: &str,
    ) -> Result<Condition, PolicyError> {
        let key_lower: Box<str> = key.to_lowercase().into();
        if operator.set.is_none()
            && operator.base != BaseOp::Null
            && MULTIVALUED_KEYS.contains(&&*key_lower)
        {
            return Err(PolicyError::new(
                path,
                format!(
                    "`{key}` is a multivalued key: use ForAnyValue:{op} or ForAllValues:{op} \
                     (AWS does not support a plain operator on it)",
                    op = operator.name
                ),
            ));
        }
        let mut values = Vec::with_capacity(raw_values.len());
        for (i, v) in raw_values.iter().enumerate() {
            let t = Template::parse(v, false, variables, false);
            if t.has_vars() {
                values.push(Value::Template(t));
            } else {
                let lit = t
                    .literal()
                    .map(str::to_string)
                    .unwrap_or_else(|| render(t.parts()));
                let typed = typed(operator.base, &lit)
                    .map_err(|m| PolicyError::new(format!("{path}[{i}]"), m))?;
                values.push(Value::Typed(typed));
            }
        }
        let has_templates = values.iter().any(|v| matches!(v, Value::Template(_)));
        Ok(Condition {
            has_templates,
            operator,
            key: key.to_string(),
            key_lower,
            raw_values,
            values,
        })
    }

    /// The key, lower-cased.
    pub fn key_lower(&self) -> &str {
        &self.key_lower
    }

    /// The values as written.
    pub fn raw_values(&self) -> &[String] {
        &self.raw_values
    }

    /// Evaluates the condition against the request's keys. Pushes onto `unknown` the
    /// keys (the condition's own, or a variable's) whose absence is not known.
    pub fn evaluate(&self, keys: &dyn KeyLookup, unknown: &mut Vec<String>) -> Tri {
        self.evaluate_into(keys, &mut Unknowns(Some(unknown)))
    }

    /// [`Condition::evaluate`], recording unknown keys into `unknown` (maybe nowhere).
    pub(crate) fn evaluate_into(&self, keys: &dyn KeyLookup, unknown: &mut Unknowns<'_>) -> Tri {
        let op = &self.operator;
        let found = keys.lookup(&self.key_lower);
        if op.base == BaseOp::Null {
            let absent = match found {
                KeyValues::Unknown => {
                    unknown.push(&self.key);
                    return Tri::Unknown;
                }
                KeyValues::Absent => true,
                v => v.is_empty_set(),
            };
            let mut acc = Tri::False;
            for v in &self.values {
                acc = acc.or(match self.resolve(v, keys, unknown) {
                    Some(Ok(Typed::Bool(b))) => Tri::from_bool(b == absent),
                    Some(_) => Tri::False,
                    None => Tri::Unknown,
                });
            }
            return acc;
        }
        let empty = match found {
            KeyValues::Unknown => {
                unknown.push(&self.key);
                return Tri::Unknown;
            }
            KeyValues::Absent => true,
            v => v.is_empty_set(),
        };
        if empty {
            if op.if_exists {
                return Tri::True;
            }
            return match op.set {
                Some(SetOp::ForAllValues) => Tri::True,
                Some(SetOp::ForAnyValue) => Tri::False,
                None => Tri::from_bool(op.negated),
            };
        }
        if !self.has_templates {
            // No variables: compare against the compiled values, allocation-free.
            let hit = |rv: &str| {
                self.values
                    .iter()
                    .any(|v| matches!(v, Value::Typed(p) if compare(op.base, p, rv)))
            };
            return combine(op, found, hit, false);
        }
        // Resolve the policy values once (variables), then compare each request value.
        let mut resolved: Vec<std::borrow::Cow<'_, Typed>> = Vec::with_capacity(self.values.len());
        let mut some_unknown = false;
        for v in &self.values {
            match v {
                Value::Typed(t) => resolved.push(std::borrow::Cow::Borrowed(t)),
                Value::Template(_) => match self.resolve(v, keys, unknown) {
                    Some(Ok(t)) => resolved.push(std::borrow::Cow::Owned(t)),
                    Some(Err(())) => {}
                    None => some_unknown = true,
                },
            }
        }
        let hit = |rv: &str| resolved.iter().any(|p| compare(op.base, p, rv));
        combine(op, found, hit, some_unknown)
    }

    /// Substitutes variables in one value. `None`: unknown; `Some(Err)`: dropped.
    fn resolve(
        &self,
        v: &Value,
        keys: &dyn KeyLookup,
        unknown: &mut Unknowns<'_>,
    ) -> Option<Result<Typed, ()>> {
        match v {
            Value::Typed(t) => Some(Ok(t.clone())),
            Value::Template(t) => match t.resolve(keys) {
                Resolved::Parts(p) => Some(typed(self.operator.base, &render(&p)).map_err(|_| ())),
                Resolved::Absent => Some(Err(())),
                Resolved::Unknown(k) => {
                    unknown.push(k);
                    None
                }
            },
        }
    }
}

/// Applies the operator's set semantics to the request's values, given whether one
/// request value matches some policy value (`some_unknown`: a policy value's variable is
/// unknown, so a miss is Unknown).
fn combine(
    op: &Operator,
    found: KeyValues<'_>,
    hit: impl Fn(&str) -> bool,
    some_unknown: bool,
) -> Tri {
    let single = |rv: &str| -> Tri {
        let positive = if hit(rv) {
            Tri::True
        } else if some_unknown {
            Tri::Unknown
        } else {
            Tri::False
        };
        if op.negated {
            positive.not()
        } else {
            positive
        }
    };
    let mut values = found.values();
    match (op.set, op.negated) {
        (Some(SetOp::ForAnyValue), _) | (None, false) => {
            values.fold(Tri::False, |acc, rv| acc.or(single(rv)))
        }
        (Some(SetOp::ForAllValues), _) | (None, true) => values
            .try_fold(Tri::True, |acc, rv| {
                let r = acc.and(single(rv));
                if r == Tri::False {
                    Err(r)
                } else {
                    Ok(r)
                }
            })
            .unwrap_or(Tri::False),
    }
}

/// Whether request value `rv` matches policy value `p` under the positive operator.
fn compare(base: BaseOp, p: &Typed, rv: &str) -> bool {
    use BaseOp::*;
    match (base, p) {
        (StringEquals, Typed::Str(s)) => **s == *rv,
        (StringEqualsIgnoreCase, Typed::Str(s)) => {
            s.eq_ignore_ascii_case(rv) || s.to_lowercase() == rv.to_lowercase()
        }
        (StringLike, Typed::Glob(g)) => matches(g, rv),
        (_, Typed::Num(n)) => match parse_number(rv) {
            Some(r) => match base {
                NumericEquals => r == *n,
                NumericLessThan => r < *n,
                NumericLessThanEquals => r <= *n,
                NumericGreaterThan => r > *n,
                NumericGreaterThanEquals => r >= *n,
                _ => false,
            },
            None => false,
        },
        (_, Typed::Date(d)) => match parse_date(rv) {
            Some(r) => match base {
                DateEquals => r == *d,
                DateLessThan => r < *d,
                DateLessThanEquals => r <= *d,
                DateGreaterThan => r > *d,
                DateGreaterThanEquals => r >= *d,
                _ => false,
            },
            None => false,
        },
        (Bool, Typed::Bool(b)) => {
            (rv.eq_ignore_ascii_case("true") && *b) || (rv.eq_ignore_ascii_case("false") && !*b)
        }
        (BinaryEquals, Typed::Bytes(b)) => match decode_base64(rv) {
            Some(r) => r == *b,
            None => rv.as_bytes() == b.as_slice(),
        },
        (IpAddress, Typed::Cidr(c)) => parse_ip(rv).is_some_and(|ip: IpAddr| c.contains(ip)),
        (ArnLike, Typed::Arn(fields)) => match split_fields(rv, false) {
            Some(parts) if fields.len() == 6 => {
                fields.iter().zip(parts).all(|(f, t)| matches(f, t))
            }
            _ if fields.len() == 1 => matches(&fields[0], rv),
            _ => false,
        },
        _ => false,
    }
}

/// Parses a `Condition` block at JSON path `path`.
pub fn parse_block(
    value: &serde_json::Value,
    variables: bool,
    path: &str,
) -> Result<Vec<Condition>, PolicyError> {
    let serde_json::Value::Object(ops) = value else {
        return Err(PolicyError::new(path, "Condition must be an object"));
    };
    let mut out = Vec::new();
    for (op_name, keys) in ops {
        let op_path = format!("{path}.{op_name}");
        let operator = Operator::parse(op_name).ok_or_else(|| {
            PolicyError::new(&op_path, format!("unknown condition operator `{op_name}`"))
        })?;
        let serde_json::Value::Object(keys) = keys else {
            return Err(PolicyError::new(
                op_path,
                "must be an object of key: value(s)",
            ));
        };
        for (key, vals) in keys {
            let key_path = format!("{op_path}.{key}");
            let raw = condition_values(vals, &key_path)?;
            out.push(Condition::new(
                operator.clone(),
                key,
                raw,
                variables,
                &key_path,
            )?);
        }
    }
    Ok(out)
}

fn condition_values(v: &serde_json::Value, path: &str) -> Result<Vec<String>, PolicyError> {
    use serde_json::Value as J;
    let one = |v: &J, p: &str| -> Result<String, PolicyError> {
        match v {
            J::String(s) => Ok(s.clone()),
            J::Bool(b) => Ok(b.to_string()),
            J::Number(n) => Ok(n.to_string()),
            _ => Err(PolicyError::new(
                p,
                "a condition value must be a string, number or boolean",
            )),
        }
    };
    match v {
        J::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, x)| one(x, &format!("{path}[{i}]")))
            .collect(),
        other => Ok(vec![one(other, path)?]),
    }
}
