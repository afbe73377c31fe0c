//! External access (IAM020, IAM021), as Access Analyzer reports it: every resource
//! policy and trust policy that lets a principal outside the account act, with what the
//! evaluator lets it do.

use super::documents::{resource_documents, trust_documents, Doc};
use super::evidence::{account_allows, decide, may_allow, Evidence};
use super::{Audit, Finding, Severity};
use crate::catalog::Catalog;
use crate::eval::{Context, Decision, Query};
use crate::policy::{ActionName, Effect, PrincipalEntry, Statement};

/// The account that stands for "an account the bundle does not know".
const OUTSIDE_ACCOUNT: &str = "000000000000";
/// Most actions asked per statement (a `kms:*` expands to dozens).
const MAX_ACTIONS: usize = 400;

/// Who, outside the account, a policy's Principal entry lets in, as the caller to
/// evaluate and a description.
/// Whether another account is inside the bundle's organization, as a phrase to follow
/// its name: "outside the account" and "outside the organization" are different risks.
/// Empty when the bundle cannot tell (no organization data naming the account).
pub(crate) fn org_scope(account: &crate::model::Account, other: &str) -> &'static str {
    if account.in_organization(other) {
        " (inside the organization)"
    } else if account.is_org() || !account.org_accounts.is_empty() {
        " (outside the organization)"
    } else {
        ""
    }
}

/// The account a document's entity belongs to: its ARN's, else (an S3 bucket) the
/// account whose bundle holds its policy, else the bundle's.
pub(crate) fn entity_account(a: &Audit<'_, '_>, entity: &str) -> String {
    match entity.split(':').nth(4) {
        Some(acct) if !acct.is_empty() => acct.to_string(),
        _ => a
            .engine
            .resource_owner(entity)
            .unwrap_or(&a.engine.account().id)
            .to_string(),
    }
}

/// `who` followed by whether its account is in the organization.
fn scoped(a: &Audit<'_, '_>, who: String, caller: &str) -> String {
    match caller.split(':').nth(4) {
        Some(acct) if !acct.is_empty() && acct != OUTSIDE_ACCOUNT => {
            format!("{who}{}", org_scope(a.engine.account(), acct))
        }
        _ => who,
    }
}

fn outsider(entry: &PrincipalEntry, own: &str) -> Option<(String, String)> {
    match entry {
        PrincipalEntry::Any => Some((
            format!("arn:aws:iam::{OUTSIDE_ACCOUNT}:root"),
            "anyone (\"*\")".to_string(),
        )),
        PrincipalEntry::Account(id) if id != own => {
            Some((format!("arn:aws:iam::{id}:root"), format!("account {id}")))
        }
        PrincipalEntry::User(arn) | PrincipalEntry::Session(arn) => {
            let acct = arn.split(':').nth(4)?;
            (acct != own).then(|| (arn.clone(), arn.clone()))
        }
        PrincipalEntry::Role { account, name } if account != own => {
            let arn = format!("arn:aws:iam::{account}:role/{name}");
            Some((arn.clone(), arn))
        }
        _ => None,
    }
}

/// The context an outside caller's request is asked with: unknown, except that a
/// request on an outsider's behalf comes from the outsider's account and resources,
/// and, when the bundle knows the organization, from outside it.
fn outsider_context(a: &Audit<'_, '_>, anyone: bool) -> Context {
    let mut ctx = Context::new(false);
    if anyone {
        ctx.set("aws:SourceAccount", vec![OUTSIDE_ACCOUNT.into()]);
        ctx.set("aws:SourceOwner", vec![OUTSIDE_ACCOUNT.into()]);
        ctx.set(
            "aws:SourceArn",
            vec![format!(
                "arn:aws:sqs:us-east-1:{OUTSIDE_ACCOUNT}:iamscope-probe"
            )],
        );
        let org = a.engine.account().organization.as_ref();
        if org.and_then(|o| o.org_id()).is_some() {
            ctx.set("aws:PrincipalOrgID", vec!["o-iamscopeprobe".into()]);
        }
    }
    ctx
}

pub(crate) fn check(a: &Audit<'_, '_>, out: &mut Vec<Finding>) {
    let account = a.engine.account();
    for doc in resource_documents(account) {
        let Some(document) = doc.source.document() else {
            continue;
        };
        let own = entity_account(a, &doc.entity);
        for st in &document.statements {
            let i = st.index;
            for entry in allowed_entries(st) {
                if let Some((caller, who)) = outsider(entry, &own) {
                    let who = scoped(a, who, &caller);
                    resource_access(a, &doc, i, st, entry, &caller, &who, out);
                }
            }
        }
    }
    for doc in trust_documents(account) {
        let Some(document) = doc.source.document() else {
            continue;
        };
        let own = entity_account(a, &doc.entity);
        for st in &document.statements {
            let i = st.index;
            for entry in allowed_entries(st) {
                let (caller, who, action) = match entry {
                    PrincipalEntry::Federated(p) if p.contains(":saml-provider/") => {
                        (p.clone(), p.clone(), "sts:AssumeRoleWithSAML")
                    }
                    PrincipalEntry::Federated(p) => {
                        (p.clone(), p.clone(), "sts:AssumeRoleWithWebIdentity")
                    }
                    other => match outsider(other, &own) {
                        Some((caller, who)) => {
                            let who = scoped(a, who, &caller);
                            (caller, who, "sts:AssumeRole")
                        }
                        None => continue,
                    },
                };
                if !st.action_matches(&ActionName::new(action)) {
                    continue;
                }
                let ctx = outsider_context(a, matches!(entry, PrincipalEntry::Any));
                let q = Query::new(action, &doc.entity).with_context(ctx);
                let (d, ev) = decide(a.engine, &caller, &q);
                if may_allow(&d) {
                    out.push(
                        Finding::new(
                            "IAM021",
                            doc.entity.clone(),
                            format!("{} lets {who} assume the role ({d})", doc.label(i)),
                        )
                        .evidence([ev])
                        .at(&doc.file, Some(doc.statement_path(i))),
                    );
                }
            }
        }
    }
}

fn allowed_entries(st: &Statement) -> impl Iterator<Item = &PrincipalEntry> {
    st.principal
        .as_ref()
        .filter(|p| st.effect == Effect::Allow && !p.negated)
        .into_iter()
        .flat_map(|p| p.entries.iter())
}

/// The concrete actions a statement lists (wildcards expanded through the catalogue).
fn concrete_actions(st: &Statement) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in &st.action.patterns {
        let raw = p.as_str();
        if raw.contains(['*', '?']) {
            for a in Catalog::get().expand(raw) {
                out.push(a.full_name());
            }
        } else {
            out.push(raw.to_string());
        }
        if out.len() >= MAX_ACTIONS {
            break;
        }
    }
    out.truncate(MAX_ACTIONS);
    out.dedup();
    out
}

/// Resources to ask on: each resource pattern with its wildcards filled in, or the
/// policy's own resource when the statement says `*`.
fn probe_resources(doc: &Doc<'_>, st: &Statement) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(spec) = st.resource.as_ref().filter(|r| !r.negated) {
        for p in &spec.patterns {
            let raw = p.as_str();
            if raw == "*" || raw.contains("${") {
                continue;
            }
            out.push(raw.replace('*', "iamscope-probe").replace('?', "x"));
        }
    }
    if out.is_empty() {
        out.push(doc.entity.clone());
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn resource_access(
    a: &Audit<'_, '_>,
    doc: &Doc<'_>,
    i: usize,
    st: &Statement,
    entry: &PrincipalEntry,
    caller: &str,
    who: &str,
    out: &mut Vec<Finding>,
) {
    let anyone = matches!(entry, PrincipalEntry::Any);
    let resources = probe_resources(doc, st);
    let mut allowed: Vec<String> = Vec::new();
    let mut conditional: Vec<String> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    let mut example: Option<Evidence> = None;
    for action in concrete_actions(st) {
        let mut best: Option<(Decision, Evidence)> = None;
        for r in &resources {
            let q = Query::new(&action, r).with_context(outsider_context(a, anyone));
            let (d, ev) = decide(a.engine, caller, &q);
            // Allowed as far as this account decides: the caller's own account's
            // policies are outside the bundle.
            let d = if account_allows(&d) {
                Decision::Allow
            } else {
                d
            };
            if d == Decision::Allow {
                best = Some((d, ev));
                break;
            }
            if may_allow(&d) && best.is_none() {
                best = Some((d, ev));
            }
        }
        let Some((d, ev)) = best else {
            continue;
        };
        for k in d.missing_keys() {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
        if d == Decision::Allow {
            allowed.push(action);
        } else {
            conditional.push(action);
        }
        if example.is_none() || d == Decision::Allow && allowed.len() == 1 {
            example = Some(ev);
        }
    }
    if allowed.is_empty() && conditional.is_empty() {
        return;
    }
    let severity = match (anyone, allowed.is_empty()) {
        (true, false) => Severity::Critical,
        (true, true) => Severity::Medium,
        (false, _) => Severity::Low,
    };
    let mut what = Vec::new();
    if !allowed.is_empty() {
        what.push(format!("allowed {}", short_list(&allowed)));
    }
    if !conditional.is_empty() {
        what.push(format!(
            "allowed depending on {}: {}",
            keys.join(", "),
            short_list(&conditional)
        ));
    }
    let mut evidence = vec![Evidence::statement(
        doc.label(i),
        format!("Principal {who}"),
    )];
    evidence.extend(example);
    out.push(
        Finding::new(
            "IAM020",
            doc.entity.clone(),
            format!(
                "{} lets {who} act on {}: {}",
                doc.label(i),
                doc.entity,
                what.join("; ")
            ),
        )
        .severity(severity)
        .evidence(evidence)
        .at(&doc.file, Some(doc.statement_path(i))),
    );
}

fn short_list(actions: &[String]) -> String {
    const SHOWN: usize = 8;
    if actions.len() <= SHOWN {
        actions.join(", ")
    } else {
        format!(
            "{} and {} more",
            actions[..SHOWN].join(", "),
            actions.len() - SHOWN
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outsiders_are_other_accounts_and_anyone() {
        assert!(outsider(&PrincipalEntry::Any, "1").is_some());
        assert!(outsider(&PrincipalEntry::Account("1".into()), "1").is_none());
        assert_eq!(
            outsider(&PrincipalEntry::Account("2".into()), "1").map(|o| o.1),
            Some("account 2".to_string())
        );
        assert!(outsider(&PrincipalEntry::Service("sns.amazonaws.com".into()), "1").is_none());
        let own_role = PrincipalEntry::Role {
            account: "1".into(),
            name: "r".into(),
        };
        assert!(outsider(&own_role, "1").is_none());
    }

    #[test]
    fn short_lists_say_how_many_more() {
        let v: Vec<String> = (0..10).map(|i| format!("s:A{i}")).collect();
        assert!(short_list(&v).ends_with("and 2 more"));
    }
}
