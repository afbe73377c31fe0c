//! Policy validation (IAM050–IAM055), as Access Analyzer's validate-policy and
//! Parliament do: documents AWS would reject, actions and condition keys no service
//! has, operators of the wrong type, resources no listed action takes, and statements
//! that repeat or are cancelled by another.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::documents::{all_documents, Doc, DocKind};
use super::evidence::Evidence;
use super::{Audit, Finding};
use crate::catalog::Catalog;
use crate::policy::{ActionName, BaseOp, Condition, Effect, Statement};

/// Most concrete actions a wildcard is expanded to for the resource check.
const MAX_EXPANDED: usize = 400;

/// AWS's global condition keys and their types ("Reference: AWS global condition
/// context keys"); a trailing `/` marks a key family (`aws:PrincipalTag/KEY`).
pub const GLOBAL_KEYS: &[(&str, &str)] = &[
    ("aws:CalledVia", "ArrayOfString"),
    ("aws:CalledViaFirst", "String"),
    ("aws:CalledViaLast", "String"),
    ("aws:CurrentTime", "Date"),
    ("aws:EpochTime", "Date"),
    ("aws:FederatedProvider", "String"),
    ("aws:MultiFactorAuthAge", "Numeric"),
    ("aws:MultiFactorAuthPresent", "Bool"),
    ("aws:PrincipalAccount", "String"),
    ("aws:PrincipalArn", "ARN"),
    ("aws:PrincipalIsAWSService", "Bool"),
    ("aws:PrincipalOrgID", "String"),
    ("aws:PrincipalOrgPaths", "ArrayOfString"),
    ("aws:PrincipalServiceName", "String"),
    ("aws:PrincipalServiceNamesList", "ArrayOfString"),
    ("aws:PrincipalTag/", "String"),
    ("aws:PrincipalType", "String"),
    ("aws:Referer", "String"),
    ("aws:RequestedRegion", "String"),
    ("aws:RequestTag/", "String"),
    ("aws:ResourceAccount", "String"),
    ("aws:ResourceOrgID", "String"),
    ("aws:ResourceOrgPaths", "ArrayOfString"),
    ("aws:ResourceTag/", "String"),
    ("aws:SecureTransport", "Bool"),
    ("aws:SourceAccount", "String"),
    ("aws:SourceArn", "ARN"),
    ("aws:SourceIdentity", "String"),
    ("aws:SourceIp", "IPAddress"),
    ("aws:SourceOrgID", "String"),
    ("aws:SourceOrgPaths", "ArrayOfString"),
    ("aws:SourceOwner", "String"),
    ("aws:SourceVpc", "String"),
    ("aws:SourceVpcArn", "ARN"),
    ("aws:SourceVpce", "String"),
    ("aws:TagKeys", "ArrayOfString"),
    ("aws:TokenIssueTime", "Date"),
    ("aws:UserAgent", "String"),
    ("aws:userid", "String"),
    ("aws:username", "String"),
    ("aws:ViaAWSService", "Bool"),
    ("aws:VpcSourceIp", "IPAddress"),
    ("aws:VpceAccount", "String"),
    ("aws:VpceOrgID", "String"),
    ("aws:VpceOrgPaths", "ArrayOfString"),
    ("aws:Ec2InstanceSourceVpc", "String"),
    ("aws:Ec2InstanceSourcePrivateIPv4", "IPAddress"),
    ("aws:ChatbotSourceArn", "ARN"),
];

/// Every condition key the catalogue or the global list knows, lower-cased, with its
/// type; keys with a `${…}` part are kept as (prefix before it, type) families.
struct Keys {
    exact: HashMap<String, &'static str>,
    families: Vec<(String, &'static str)>,
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut k = Keys {
            exact: HashMap::new(),
            families: Vec::new(),
        };
        let mut add = |name: &str, ty: &'static str| {
            let lower = name.to_ascii_lowercase();
            if let Some(i) = lower.find("${") {
                k.families.push((lower[..i].to_string(), ty));
            } else if let Some(prefix) = lower.strip_suffix('/').map(|p| format!("{p}/")) {
                k.families.push((prefix, ty));
            } else {
                k.exact.entry(lower).or_insert(ty);
            }
        };
        for &(name, ty) in GLOBAL_KEYS {
            add(name, ty);
        }
        for s in Catalog::get().services() {
            for c in s.condition_keys() {
                add(c.name, c.value_type);
            }
        }
        k
    })
}

/// The type of a condition key (`String`, `ARN`, `ArrayOfString`, …; empty when the
/// reference does not say), or `None` when no service and no global key has it.
pub fn key_type(key: &str) -> Option<&'static str> {
    let lower = key.to_ascii_lowercase();
    let k = keys();
    if let Some(t) = k.exact.get(&lower) {
        return Some(t);
    }
    k.families
        .iter()
        .filter(|(p, _)| lower.starts_with(p.as_str()) && lower.len() > p.len())
        .max_by_key(|(p, _)| p.len())
        .map(|(_, t)| *t)
}

/// True for an identity provider's claim key (`token.actions.githubusercontent.com:sub`,
/// `accounts.google.com:aud`): providers are open-ended, so such keys are not judged.
fn provider_key(key: &str) -> bool {
    key.split_once(':')
        .is_some_and(|(prefix, _)| prefix.contains('.') || prefix.contains('/'))
}

pub(crate) fn check(a: &Audit<'_, '_>, out: &mut Vec<Finding>) {
    for doc in all_documents(a.engine.account()) {
        if let Some(e) = doc.source.error() {
            out.push(
                Finding::new("IAM050", doc.entity.clone(), format!("{}: {}", doc.name, e))
                    .evidence([Evidence::note(e.to_string())])
                    .at(&doc.file, Some(doc.json_path.clone())),
            );
            continue;
        }
        let Some(document) = doc.source.document() else {
            continue;
        };
        too_long(&doc, out);
        for bad in &document.invalid {
            out.push(
                Finding::new(
                    "IAM050",
                    doc.entity.clone(),
                    format!("{}: {}", doc.label(bad.index), bad.error),
                )
                .evidence([Evidence::statement(
                    doc.label(bad.index),
                    format!("invalid: {}", bad.error),
                )])
                .at(&doc.file, Some(doc.statement_path(bad.index))),
            );
        }
        for st in &document.statements {
            let i = st.index;
            unknown_actions(&doc, i, st, out);
            for c in &st.conditions {
                condition_key(&doc, i, c, out);
            }
            if doc.kind == DocKind::Identity {
                unusable_resources(&doc, i, st, out);
            }
        }
        redundant(&doc, &document.statements, out);
    }
}

/// IAM counts a policy's characters without whitespace; over the quota it refuses it.
fn too_long(doc: &Doc<'_>, out: &mut Vec<Finding>) {
    let Some(max) = doc.max_chars else {
        return;
    };
    let n = doc
        .source
        .text
        .chars()
        .filter(|c| !c.is_whitespace())
        .count();
    if n > max {
        out.push(
            Finding::new(
                "IAM050",
                doc.entity.clone(),
                format!(
                    "{} has {n} characters (whitespace not counted); IAM accepts at most {max}",
                    doc.name
                ),
            )
            .evidence([Evidence::note(format!("{n} > {max} characters"))])
            .at(&doc.file, Some(doc.json_path.clone())),
        );
    }
}

fn finding(id: &'static str, doc: &Doc<'_>, i: usize, summary: String) -> Finding {
    Finding::new(id, doc.entity.clone(), summary)
        .evidence([Evidence::statement(
            doc.label(i),
            format!("in {}", doc.name),
        )])
        .at(&doc.file, Some(doc.statement_path(i)))
}

fn unknown_actions(doc: &Doc<'_>, i: usize, st: &Statement, out: &mut Vec<Finding>) {
    let cat = Catalog::get();
    for p in &st.action.patterns {
        let raw = p.as_str();
        if raw == "*" {
            continue;
        }
        let service = raw.split(':').next().unwrap_or_default();
        let problem = if !service.contains(['*', '?']) && cat.service(service).is_none() {
            format!("no AWS service has the prefix `{service}`")
        } else if cat.expand(raw).is_empty() {
            "no action of the catalogue matches it".to_string()
        } else {
            continue;
        };
        out.push(finding(
            "IAM051",
            doc,
            i,
            format!("{} lists `{raw}`: {problem}", doc.label(i)),
        ));
    }
}

fn condition_key(doc: &Doc<'_>, i: usize, c: &Condition, out: &mut Vec<Finding>) {
    if provider_key(&c.key) {
        return;
    }
    let Some(ty) = key_type(&c.key) else {
        out.push(finding(
            "IAM052",
            doc,
            i,
            format!(
                "{} uses condition key `{}`, which no service and no global key has",
                doc.label(i),
                c.key
            ),
        ));
        return;
    };
    if let Some(why) = operator_mismatch(c, ty) {
        out.push(finding(
            "IAM053",
            doc,
            i,
            format!(
                "{}: {} on `{}` ({ty}): {why}",
                doc.label(i),
                c.operator.name,
                c.key
            ),
        ));
    }
}

/// Why `c`'s operator does not fit a key of type `ty`, if it does not.
pub fn operator_mismatch(c: &Condition, ty: &str) -> Option<String> {
    use BaseOp::*;
    if ty.is_empty() || c.operator.base == Null {
        return None;
    }
    let (list, scalar) = match ty.strip_prefix("ArrayOf") {
        Some(inner) => (true, inner),
        None => (false, ty),
    };
    if list && c.operator.set.is_none() {
        return Some("a list key needs ForAnyValue: or ForAllValues:".to_string());
    }
    let fits = match c.operator.base {
        StringEquals | StringEqualsIgnoreCase | StringLike => matches!(scalar, "String" | "ARN"),
        ArnLike => scalar == "ARN",
        NumericEquals
        | NumericLessThan
        | NumericLessThanEquals
        | NumericGreaterThan
        | NumericGreaterThanEquals => scalar == "Numeric",
        // aws:EpochTime is documented as Date and compared with Numeric operators too.
        DateEquals
        | DateLessThan
        | DateLessThanEquals
        | DateGreaterThan
        | DateGreaterThanEquals => scalar == "Date",
        Bool => scalar == "Bool",
        IpAddress => scalar == "IPAddress",
        BinaryEquals | Null => true,
    };
    let epoch = c.key.eq_ignore_ascii_case("aws:EpochTime") && scalar == "Date";
    (!fits && !epoch).then(|| format!("the operator does not compare {scalar} values"))
}

/// True when an ARN template of the catalogue (`arn:${Partition}:s3:::${BucketName}`)
/// matches `arn`; each `${…}` matches any run of characters (AWS-owned
/// resources leave the account empty).
pub fn template_matches(template: &str, arn: &str) -> bool {
    fn go(t: &[u8], a: &[u8]) -> bool {
        if t.is_empty() {
            return a.is_empty();
        }
        if t.starts_with(b"${") {
            let end = t.iter().position(|&b| b == b'}').map_or(t.len(), |p| p + 1);
            let rest = &t[end..];
            return (0..=a.len()).any(|n| go(rest, &a[n..]));
        }
        !a.is_empty() && t[0] == a[0] && go(&t[1..], &a[1..])
    }
    go(template.as_bytes(), arn.as_bytes())
}

/// Concrete ARNs a resource pattern stands for: wildcards and variables filled in a
/// few ways (`*` may span `/` and `:` in the resource part).
fn resource_samples(pattern: &str) -> Vec<String> {
    let mut text = String::new();
    let mut rest = pattern;
    while let Some(i) = rest.find("${") {
        text.push_str(&rest[..i]);
        text.push('x');
        rest = rest[i..].find('}').map_or("", |j| &rest[i + j + 1..]);
    }
    text.push_str(rest);
    let text = text.replace('?', "x");
    ["x", "x/x", "x:x", "x/x/x"]
        .iter()
        .map(|fill| text.replace('*', fill))
        .collect()
}

fn unusable_resources(doc: &Doc<'_>, i: usize, st: &Statement, out: &mut Vec<Finding>) {
    let Some(spec) = st.resource.as_ref().filter(|r| !r.negated) else {
        return;
    };
    if st.action.negated {
        return;
    }
    let cat = Catalog::get();
    let mut infos = Vec::new();
    for p in &st.action.patterns {
        let found = cat.expand(p.as_str());
        if found.is_empty() {
            return; // IAM051 reports it; nothing to compare with.
        }
        infos.extend(found.into_iter().map(|a| a.info()));
        if infos.len() > MAX_EXPANDED {
            return;
        }
    }
    for r in &spec.patterns {
        let raw = r.as_str();
        if raw == "*" || !raw.starts_with("arn:") {
            continue;
        }
        let samples = resource_samples(raw);
        let usable = infos.iter().any(|info| {
            info.resource_types.iter().any(|t| {
                t.arn_pattern
                    .split(", ")
                    .any(|tpl| samples.iter().any(|s| template_matches(tpl, s)))
            })
        });
        if !usable {
            let names: Vec<String> = st
                .action
                .patterns
                .iter()
                .map(|p| p.as_str().to_string())
                .collect();
            out.push(finding(
                "IAM054",
                doc,
                i,
                format!(
                    "{}: no action of {} acts on `{raw}`",
                    doc.label(i),
                    names.join(", ")
                ),
            ));
        }
    }
}

/// The statement's elements as text, Sid left out, for comparing statements.
fn shape(st: &Statement) -> String {
    let mut actions: Vec<&str> = st.action.patterns.iter().map(|p| p.as_str()).collect();
    actions.sort_unstable();
    let mut resources: Vec<&str> = st
        .resource
        .iter()
        .flat_map(|r| r.patterns.iter().map(|p| p.as_str()))
        .collect();
    resources.sort_unstable();
    let conditions: Vec<String> = st
        .conditions
        .iter()
        .map(|c| {
            format!(
                "{}|{}|{}",
                c.operator.name,
                c.key_lower(),
                c.raw_values().join(",")
            )
        })
        .collect();
    format!(
        "{:?}|{}{:?}|{}{:?}|{:?}|{:?}",
        st.effect,
        st.action.negated,
        actions,
        st.resource.as_ref().is_some_and(|r| r.negated),
        resources,
        st.principal,
        conditions
    )
}

fn redundant(doc: &Doc<'_>, statements: &[Statement], out: &mut Vec<Finding>) {
    for (n, st) in statements.iter().enumerate() {
        let i = st.index;
        if let Some(earlier) = statements[..n].iter().find(|e| shape(e) == shape(st)) {
            out.push(finding(
                "IAM055",
                doc,
                i,
                format!("{} repeats {}", doc.label(i), doc.label(earlier.index)),
            ));
            continue;
        }
        if st.effect != Effect::Allow || st.action.negated || st.principal.is_some() {
            continue;
        }
        let cat = Catalog::get();
        let actions: Vec<String> = st
            .action
            .patterns
            .iter()
            .flat_map(|p| cat.expand(p.as_str()))
            .map(|a| a.full_name())
            .collect();
        if actions.is_empty() {
            continue;
        }
        let shadow = statements.iter().find(|d| {
            d.effect == Effect::Deny
                && d.conditions.is_empty()
                && d.principal.is_none()
                && d.resource
                    .as_ref()
                    .is_some_and(|r| !r.negated && r.patterns.iter().any(|p| p.as_str() == "*"))
                && actions
                    .iter()
                    .all(|a| d.action_matches(&ActionName::new(a)))
        });
        if let Some(deny) = shadow {
            out.push(finding(
                "IAM055",
                doc,
                i,
                format!(
                    "{} allows nothing: {} denies all of its actions on every resource",
                    doc.label(i),
                    doc.label(deny.index)
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_arns() {
        let object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
        assert!(template_matches(object, "arn:aws:s3:::b/k"));
        assert!(!template_matches(object, "arn:aws:s3:::b"));
        assert!(template_matches(
            "arn:${Partition}:s3:::${BucketName}",
            "arn:aws:s3:::b"
        ));
    }

    #[test]
    fn key_types_come_from_the_catalogue_and_the_global_list() {
        assert_eq!(key_type("aws:SourceIp"), Some("IPAddress"));
        assert_eq!(key_type("aws:PrincipalTag/team"), Some("String"));
        assert_eq!(key_type("s3:prefix"), Some("String"));
        assert_eq!(key_type("iam:PassedToService"), Some("String"));
        assert_eq!(key_type("s3:no-such-key"), None);
        assert_eq!(key_type("aws:PrincipalTag/"), None);
    }

    #[test]
    fn samples_fill_wildcards_and_variables() {
        let s = resource_samples("arn:aws:iam::*:user/${aws:username}");
        assert!(s.contains(&"arn:aws:iam::x:user/x".to_string()));
    }
}
