//! A read-only view of a policy document for display: statements with their effect,
//! actions, resources, principals and conditions, as written. The details pane and the
//! tree show it; findings read it.
//!
//! This reads the JSON text of a [`crate::model::PolicySource`] with `serde_json`, so
//! it can show even a document the grammar rejects; it decides nothing (the evaluator
//! does), it only describes.

use serde::Serialize;
use serde_json::Value;

use crate::policy::Effect;

/// `Allow`, `Deny`, or `?` for an invalid effect.
pub fn effect_name(effect: Option<Effect>) -> &'static str {
    match effect {
        Some(Effect::Allow) => "Allow",
        Some(Effect::Deny) => "Deny",
        None => "?",
    }
}

/// One principal of a `Principal` element: `AWS`, `Service`, `Federated`,
/// `CanonicalUser`, or `*` for the bare wildcard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrincipalView {
    /// The principal type.
    pub kind: String,
    /// The value: an ARN, account id, service name, provider ARN or `*`.
    pub value: String,
}

impl PrincipalView {
    /// True for `"*"` and `{"AWS": "*"}`: anyone.
    pub fn is_anyone(&self) -> bool {
        self.value == "*" && (self.kind == "*" || self.kind == "AWS")
    }
}

/// One condition: `operator key values`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionView {
    /// E.g. `StringEquals`.
    pub operator: String,
    /// E.g. `token.actions.githubusercontent.com:sub`.
    pub key: String,
    /// The values to compare with.
    pub values: Vec<String>,
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementView {
    /// `Sid`, if any.
    pub sid: Option<String>,
    /// `Effect`; `None` when it is neither `Allow` nor `Deny` (invalid).
    pub effect: Option<Effect>,
    /// `Action` or `NotAction` values.
    pub actions: Vec<String>,
    /// True when the statement uses `NotAction`.
    pub not_action: bool,
    /// `Resource` or `NotResource` values.
    pub resources: Vec<String>,
    /// True when the statement uses `NotResource`.
    pub not_resource: bool,
    /// `Principal` or `NotPrincipal` entries.
    pub principals: Vec<PrincipalView>,
    /// True when the statement uses `NotPrincipal`.
    pub not_principal: bool,
    /// Conditions.
    pub conditions: Vec<ConditionView>,
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| match x {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other.to_string()],
    }
}

fn principals(v: Option<&Value>) -> Vec<PrincipalView> {
    match v {
        Some(Value::String(s)) => vec![PrincipalView {
            kind: "*".into(),
            value: s.clone(),
        }],
        Some(Value::Object(map)) => map
            .iter()
            .flat_map(|(kind, vals)| {
                strings(Some(vals)).into_iter().map(|value| PrincipalView {
                    kind: kind.clone(),
                    value,
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn conditions(v: Option<&Value>) -> Vec<ConditionView> {
    let Some(Value::Object(ops)) = v else {
        return Vec::new();
    };
    ops.iter()
        .flat_map(|(op, keys)| match keys {
            Value::Object(keys) => keys
                .iter()
                .map(|(key, vals)| ConditionView {
                    operator: op.clone(),
                    key: key.clone(),
                    values: strings(Some(vals)),
                })
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        })
        .collect()
}

impl StatementView {
    fn from_value(v: &Value) -> StatementView {
        let get = |k: &str| v.get(k);
        let effect = match get("Effect").and_then(Value::as_str) {
            Some("Allow") => Some(Effect::Allow),
            Some("Deny") => Some(Effect::Deny),
            _ => None,
        };
        let not_action = get("Action").is_none() && get("NotAction").is_some();
        let not_resource = get("Resource").is_none() && get("NotResource").is_some();
        let not_principal = get("Principal").is_none() && get("NotPrincipal").is_some();
        StatementView {
            sid: get("Sid")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            effect,
            actions: strings(get(if not_action { "NotAction" } else { "Action" })),
            not_action,
            resources: strings(get(if not_resource {
                "NotResource"
            } else {
                "Resource"
            })),
            not_resource,
            principals: principals(get(if not_principal {
                "NotPrincipal"
            } else {
                "Principal"
            })),
            not_principal,
            conditions: conditions(get("Condition")),
        }
    }

    /// A one-line summary: `Allow ec2:Describe*, s3:List* on *`.
    pub fn summary(&self) -> String {
        let mut out = String::from(effect_name(self.effect));
        out.push(' ');
        if self.not_action {
            out.push_str("all but ");
        }
        out.push_str(&list_short(&self.actions, 3));
        if !self.resources.is_empty() {
            out.push_str(if self.not_resource {
                " except on "
            } else {
                " on "
            });
            out.push_str(&list_short(&self.resources, 2));
        }
        if !self.conditions.is_empty() {
            out.push_str(" (if …)");
        }
        out
    }

    /// The statement's label in the tree: its Sid, or `#n`.
    pub fn label(&self, index: usize) -> String {
        match &self.sid {
            Some(sid) => sid.clone(),
            None => format!("#{}", index + 1),
        }
    }

    /// True when it is an Allow whose `Action` list matches `wanted`.
    pub fn allows_action(&self, wanted: &str) -> bool {
        self.effect == Some(Effect::Allow)
            && !self.not_action
            && self
                .actions
                .iter()
                .any(|a| crate::catalog::matches_action_pattern(a, wanted))
    }

    /// True when its `Resource` list includes `*`.
    pub fn on_any_resource(&self) -> bool {
        !self.not_resource && self.resources.iter().any(|r| r == "*")
    }
}

/// `a, b, c +2 more`.
pub fn list_short(items: &[String], max: usize) -> String {
    if items.is_empty() {
        return "(none)".into();
    }
    let mut out = items
        .iter()
        .take(max)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > max {
        out.push_str(&format!(" +{} more", items.len() - max));
    }
    out
}

/// A parsed view of a whole document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DocView {
    /// The statements, in document order.
    pub statements: Vec<StatementView>,
}

impl DocView {
    /// Reads `text`; `None` when it is not a JSON object.
    pub fn parse(text: &str) -> Option<DocView> {
        let value: Value = serde_json::from_str(text).ok()?;
        let statements = match value.get("Statement")? {
            Value::Array(a) => a.iter().map(StatementView::from_value).collect(),
            v @ Value::Object(_) => vec![StatementView::from_value(v)],
            _ => Vec::new(),
        };
        Some(DocView { statements })
    }
}

/// The host of an OIDC provider ARN (`token.actions.githubusercontent.com`) or the
/// value unchanged.
pub fn short_provider(value: &str) -> &str {
    value
        .split_once(":oidc-provider/")
        .map(|(_, host)| host)
        .or_else(|| value.split_once(":saml-provider/").map(|(_, n)| n))
        .unwrap_or(value)
}

/// One condition in words: `StringEquals aws:SourceAccount = 123`.
pub fn condition_text(c: &ConditionView) -> String {
    let values = if c.values.len() == 1 {
        c.values[0].clone()
    } else {
        format!("[{}]", c.values.join(", "))
    };
    format!("{} {} = {}", c.operator, c.key, values)
}

/// A trust statement in words: `Allows service ec2.amazonaws.com to sts:AssumeRole`.
pub fn trust_sentence(st: &StatementView) -> String {
    let verb = match st.effect {
        Some(Effect::Allow) => "Allows",
        Some(Effect::Deny) => "Denies",
        None => "?",
    };
    let who: Vec<String> = st
        .principals
        .iter()
        .map(|p| match p.kind.as_str() {
            "*" => "anyone (*)".to_string(),
            "AWS" if p.value == "*" => "any AWS principal (*)".to_string(),
            "AWS" if p.value.chars().all(|c| c.is_ascii_digit()) => {
                format!("account {}", p.value)
            }
            "AWS" if p.value.ends_with(":root") => format!(
                "account {}",
                crate::model::Arn::parse(&p.value)
                    .map(|a| a.account().to_string())
                    .unwrap_or_else(|| p.value.clone())
            ),
            "AWS" => format!("`{}`", p.value),
            "Service" => format!("service `{}`", p.value),
            "Federated" => format!("federated `{}`", short_provider(&p.value)),
            other => format!("{other} `{}`", p.value),
        })
        .collect();
    let not = if st.not_principal {
        "everyone except "
    } else {
        ""
    };
    let actions = if st.actions.is_empty() {
        "(no action)".to_string()
    } else {
        st.actions.join(", ")
    };
    format!("{verb} {not}{} to {actions}", who.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_statement_forms() {
        let d = DocView::parse(
            r#"{"Statement":{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":["*"]}}"#,
        )
        .unwrap();
        assert_eq!(d.statements.len(), 1);
        assert_eq!(d.statements[0].summary(), "Allow s3:* on *");
        assert_eq!(d.statements[0].label(0), "A");
    }

    #[test]
    fn trust_sentence_for_a_federated_provider() {
        let d = DocView::parse(r#"{"Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}"#).unwrap();
        assert_eq!(
            trust_sentence(&d.statements[0]),
            "Allows federated `token.actions.githubusercontent.com` to sts:AssumeRoleWithWebIdentity"
        );
        assert_eq!(d.statements[0].effect, Some(Effect::Allow));
    }

    #[test]
    fn trust_sentence_for_service_and_account() {
        let d = DocView::parse(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com","AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}"#,
        )
        .unwrap();
        assert_eq!(
            trust_sentence(&d.statements[0]),
            "Allows account 111122223333, service `ec2.amazonaws.com` to sts:AssumeRole"
        );
    }
}
