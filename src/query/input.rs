//! Checks on what a user asks: an action the catalogue knows, a resource that is an ARN,
//! context values that fit the operators that read them. A typo must be an error, not
//! a quiet false negative (`aws:SecureTransport=flase` matches no `Bool` condition).

use std::collections::BTreeMap;

use crate::catalog::Catalog;
use crate::eval::Context;
use crate::model::Account;
use crate::policy::{parse_date, parse_ip, BaseOp, Cidr};

/// What is wrong with a request the user gave.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// The action is not in the catalogue.
    #[error("unknown action `{action}`{}{}", suggestions_text(.suggestions), " (pass --allow-unknown-action to ask anyway)")]
    UnknownAction {
        /// As written.
        action: String,
        /// Close actions of the catalogue.
        suggestions: Vec<String>,
    },
    /// The resource is neither an ARN nor `*`.
    #[error("resource `{0}` is not an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE) or *")]
    NotAnArn(String),
    /// A context value does not fit an operator that reads the key.
    #[error(
        "--context {key}={value}: {problem}, but {operator} conditions read {key}{where_used}"
    )]
    BadContextValue {
        /// The key as written.
        key: String,
        /// The offending value.
        value: String,
        /// What the value should be.
        problem: String,
        /// The operator family.
        operator: String,
        /// Where a policy uses it (empty for a global key's documented type).
        where_used: String,
    },
}

fn suggestions_text(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", s.join(", "))
    }
}

/// Checks that `action` is in the catalogue (case-insensitive), suggesting close ones.
pub fn check_action(action: &str) -> Result<(), InputError> {
    let catalog = Catalog::get();
    if catalog.action(action).is_some() {
        return Ok(());
    }
    let (service, name) = action.split_once(':').unwrap_or(("", action));
    let wanted = name.to_lowercase();
    let mut scored: Vec<(usize, String)> = catalog
        .service(service)
        .into_iter()
        .flat_map(|s| s.actions())
        .map(|a| {
            let d = super::resolve::edit_distance(&a.name().to_lowercase(), &wanted);
            (d, a.full_name())
        })
        .filter(|(d, _)| *d <= (wanted.len() / 3).max(2))
        .collect();
    if scored.is_empty() && catalog.service(service).is_none() {
        // A misspelt service: suggest services by name.
        scored = catalog
            .services()
            .map(|s| {
                let d = super::resolve::edit_distance(s.prefix(), &service.to_lowercase());
                (d, format!("{}:{name}", s.prefix()))
            })
            .filter(|(d, _)| *d <= 2)
            .collect();
    }
    scored.sort();
    Err(InputError::UnknownAction {
        action: action.to_string(),
        suggestions: scored.into_iter().take(5).map(|(_, a)| a).collect(),
    })
}

/// Checks that `resource` is `*` or an ARN with its six fields.
pub fn check_resource(resource: &str) -> Result<(), InputError> {
    if resource == "*" {
        return Ok(());
    }
    let fields: Vec<&str> = resource.splitn(6, ':').collect();
    let ok =
        fields.len() == 6 && fields[0] == "arn" && !fields[1].is_empty() && !fields[2].is_empty();
    if ok {
        Ok(())
    } else {
        Err(InputError::NotAnArn(resource.to_string()))
    }
}

/// The type AWS documents for well-known global keys (lower-cased), whatever the
/// policies of the bundle use.
fn documented_type(key: &str) -> Option<BaseOp> {
    Some(match key {
        "aws:securetransport"
        | "aws:multifactorauthpresent"
        | "aws:viaawsservice"
        | "aws:principalisawsservice" => BaseOp::Bool,
        "aws:multifactorauthage" | "aws:epochtime" => BaseOp::NumericEquals,
        "aws:currenttime" | "aws:tokenissuetime" => BaseOp::DateEquals,
        "aws:sourceip" | "aws:vpcsourceip" => BaseOp::IpAddress,
        "aws:sourcearn" | "aws:principalarn" => BaseOp::ArnLike,
        _ => return None,
    })
}

/// Why `value` does not fit `op`, if it does not.
fn misfit(op: BaseOp, value: &str) -> Option<&'static str> {
    use BaseOp::*;
    let ok = match op {
        Bool => value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false"),
        NumericEquals
        | NumericLessThan
        | NumericLessThanEquals
        | NumericGreaterThan
        | NumericGreaterThanEquals => value.trim().parse::<f64>().is_ok(),
        DateEquals
        | DateLessThan
        | DateLessThanEquals
        | DateGreaterThan
        | DateGreaterThanEquals => parse_date(value).is_some(),
        IpAddress => parse_ip(value).is_some() || Cidr::parse(value).is_some(),
        ArnLike => value.starts_with("arn:") && value.splitn(6, ':').count() == 6,
        _ => true,
    };
    (!ok).then_some(match op {
        Bool => "not true or false",
        IpAddress => "not an IP address",
        ArnLike => "not an ARN",
        DateEquals
        | DateLessThan
        | DateLessThanEquals
        | DateGreaterThan
        | DateGreaterThanEquals => "not a date (ISO 8601 or epoch seconds)",
        _ => "not a number",
    })
}

/// The operator family name shown in messages.
fn family(op: BaseOp) -> &'static str {
    use BaseOp::*;
    match op {
        Bool => "Bool",
        IpAddress => "IpAddress",
        ArnLike => "Arn",
        DateEquals
        | DateLessThan
        | DateLessThanEquals
        | DateGreaterThan
        | DateGreaterThanEquals => "Date",
        _ => "Numeric",
    }
}

/// Checks every value of `context` against the operators that read its key: the
/// typed conditions (Bool, Numeric, Date, IpAddress, Arn) of the bundle's policies, and
/// the documented type of well-known global keys.
pub fn check_context(context: &Context, account: &Account) -> Result<(), InputError> {
    let given: Vec<(String, &str, &[String])> = context
        .entries()
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_lowercase(), k, v?)))
        .collect();
    if given.is_empty() {
        return Ok(());
    }
    // The typed operator families each given key meets, with one place that uses it.
    let mut uses: BTreeMap<(String, &'static str), (BaseOp, String)> = BTreeMap::new();
    for (lower, _, _) in &given {
        if let Some(op) = documented_type(lower) {
            uses.insert((lower.clone(), family(op)), (op, String::new()));
        }
    }
    for doc in account.policy_sources().filter_map(|s| s.document()) {
        for st in &doc.statements {
            for c in &st.conditions {
                let op = c.operator.base;
                if matches!(
                    op,
                    BaseOp::StringEquals
                        | BaseOp::StringEqualsIgnoreCase
                        | BaseOp::StringLike
                        | BaseOp::BinaryEquals
                        | BaseOp::Null
                ) {
                    continue;
                }
                if given.iter().any(|(k, _, _)| k == c.key_lower()) {
                    uses.entry((c.key_lower().to_string(), family(op)))
                        .or_insert_with(|| {
                            let sid = st
                                .sid
                                .as_deref()
                                .map(|s| format!(" ({s})"))
                                .unwrap_or_default();
                            (
                                op,
                                format!(
                                    " (e.g. {} in statement #{}{sid})",
                                    c.operator.name, st.index
                                ),
                            )
                        });
                }
            }
        }
    }
    for ((lower, fam), (op, where_used)) in &uses {
        let Some((_, key, values)) = given.iter().find(|(k, _, _)| k == lower) else {
            continue;
        };
        for v in values.iter() {
            if let Some(problem) = misfit(*op, v) {
                return Err(InputError::BadContextValue {
                    key: (*key).to_string(),
                    value: v.clone(),
                    problem: problem.to_string(),
                    operator: (*fam).to_string(),
                    where_used: where_used.clone(),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_checked_with_suggestions() {
        assert!(check_action("s3:GetObject").is_ok());
        assert!(check_action("S3:getobject").is_ok());
        let Err(InputError::UnknownAction { suggestions, .. }) = check_action("s3:GetObjekt")
        else {
            panic!("unknown");
        };
        assert_eq!(suggestions[0], "s3:GetObject");
        let Err(InputError::UnknownAction { suggestions, .. }) = check_action("s4:GetObject")
        else {
            panic!("unknown");
        };
        assert!(
            suggestions.contains(&"s3:GetObject".to_string()),
            "{suggestions:?}"
        );
    }

    #[test]
    fn resources_must_be_arns() {
        assert!(check_resource("*").is_ok());
        assert!(check_resource("arn:aws:s3:::bucket/key").is_ok());
        assert!(check_resource("bucket/key").is_err());
        assert!(check_resource("arn:aws:s3").is_err());
    }

    #[test]
    fn context_values_fit_their_operators() {
        let account = Account::default();
        let mut c = Context::new(false);
        c.add("aws:SecureTransport", "flase");
        let e = check_context(&c, &account).expect_err("flase");
        assert!(e.to_string().contains("not true or false"), "{e}");
        let mut c = Context::new(false);
        c.add("aws:SecureTransport", "TRUE");
        c.add("aws:SourceIp", "10.0.0.1");
        c.add("aws:CurrentTime", "2026-12-01T00:00:00Z");
        assert!(check_context(&c, &account).is_ok());
        let mut c = Context::new(false);
        c.add("aws:SourceIp", "ten.0.0.1");
        assert!(check_context(&c, &account).is_err());
    }
}
