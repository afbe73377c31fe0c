//! Trust checks (IAM001–IAM007): who may assume each role, confirmed by asking the
//! evaluator whether a caller the trust should keep out is let in.

use super::documents::{trust_documents, Doc};
use super::evidence::{account_allows, decide, may_allow, Evidence};
use super::{Audit, Finding, Severity};
use crate::eval::{Context, Query};
use crate::policy::{PrincipalEntry, Statement};

/// Services that assume roles on behalf of resources any customer may own, and whose
/// documentation asks for `aws:SourceAccount`/`aws:SourceArn` in the trust policy to
/// prevent the cross-service confused deputy. Compute services whose roles only your
/// own resources use (EC2, Lambda) are not listed: AWS gives no source key for them.
pub const CONFUSED_DEPUTY_SERVICES: &[&str] = &[
    "ecs-tasks.amazonaws.com",
    "monitoring.rds.amazonaws.com",
    "events.amazonaws.com",
    "scheduler.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "config.amazonaws.com",
    "delivery.logs.amazonaws.com",
    "sns.amazonaws.com",
    "states.amazonaws.com",
    "sagemaker.amazonaws.com",
    "firehose.amazonaws.com",
    "personalize.amazonaws.com",
    "iot.amazonaws.com",
    "datasync.amazonaws.com",
    "transfer.amazonaws.com",
];

/// The caller that stands for "an account the bundle does not know": its root, which
/// its own account lets do anything, so only this account's side decides.
const OUTSIDER: &str = "arn:aws:iam::000000000000:root";

pub(crate) fn check(a: &Audit<'_, '_>, out: &mut Vec<Finding>) {
    let account = a.engine.account();
    for doc in trust_documents(account) {
        let own = super::external::entity_account(a, &doc.entity);
        let role = account
            .roles
            .iter()
            .find(|r| r.common.arn.as_str() == doc.entity);
        let service_linked = role.is_some_and(|r| r.is_service_linked());
        let Some(document) = doc.source.document() else {
            continue;
        };
        for st in &document.statements {
            let i = st.index;
            let Some(spec) = &st.principal else {
                continue;
            };
            if st.effect != crate::policy::Effect::Allow || spec.negated {
                continue;
            }
            for entry in &spec.entries {
                match entry {
                    PrincipalEntry::Any => open_trust(a, &doc, i, out),
                    PrincipalEntry::Account(id) if *id != own => {
                        let caller = format!("arn:aws:iam::{id}:root");
                        cross_account(a, &doc, i, &caller, id, Severity::Medium, out);
                    }
                    PrincipalEntry::User(arn) | PrincipalEntry::Session(arn) => {
                        if let Some(other) = other_account(arn, &own) {
                            cross_account(a, &doc, i, arn, &other, Severity::Low, out);
                        }
                    }
                    PrincipalEntry::Role { account: id, name } if *id != own => {
                        let arn = format!("arn:aws:iam::{id}:role/{name}");
                        cross_account(a, &doc, i, &arn, id, Severity::Low, out);
                    }
                    PrincipalEntry::Federated(p) if p.contains(":saml-provider/") => {
                        saml(a, &doc, i, p, out)
                    }
                    PrincipalEntry::Federated(p) => oidc(a, &doc, i, st, p, out),
                    PrincipalEntry::Service(s)
                        if !service_linked && CONFUSED_DEPUTY_SERVICES.contains(&s.as_str()) =>
                    {
                        confused_deputy(a, &doc, i, s, out)
                    }
                    _ => {}
                }
            }
        }
    }
}

fn other_account(arn: &str, own: &str) -> Option<String> {
    let acct = arn.split(':').nth(4)?;
    (acct != own && !acct.is_empty()).then(|| acct.to_string())
}

fn query(action: &str, role: &str, context: Context) -> Query {
    Query::new(action, role).with_context(context)
}

fn finding(id: &'static str, doc: &Doc<'_>, i: usize, summary: String) -> Finding {
    Finding::new(id, doc.entity.clone(), summary).at(&doc.file, Some(doc.statement_path(i)))
}

fn open_trust(a: &Audit<'_, '_>, doc: &Doc<'_>, i: usize, out: &mut Vec<Finding>) {
    // A complete, empty context: a condition that restricts the caller fails on it.
    let q = query("sts:AssumeRole", &doc.entity, Context::new(true));
    let (d, ev) = decide(a.engine, OUTSIDER, &q);
    if account_allows(&d) {
        out.push(
            finding(
                "IAM001",
                doc,
                i,
                format!(
                    "{} names \"*\" with no restricting condition: a principal of any AWS account may assume the role",
                    doc.label(i)
                ),
            )
            .evidence([ev]),
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn cross_account(
    a: &Audit<'_, '_>,
    doc: &Doc<'_>,
    i: usize,
    caller: &str,
    other: &str,
    severity: Severity,
    out: &mut Vec<Finding>,
) {
    // Neither sts:ExternalId nor aws:PrincipalOrgID in the request: allowed means the
    // trust requires neither.
    let mut ctx = Context::new(true);
    ctx.set_absent("sts:ExternalId");
    ctx.set_absent("aws:PrincipalOrgID");
    let (d, ev) = decide(a.engine, caller, &query("sts:AssumeRole", &doc.entity, ctx));
    if account_allows(&d) {
        // The organization's management account controls the account anyway (it
        // created this role to do so): worth knowing, not a confused deputy.
        let management = a
            .engine
            .account()
            .organization
            .as_ref()
            .and_then(|o| o.management_account.as_deref())
            == Some(other);
        let account = a.engine.account();
        let (severity, whose) = if management {
            (Severity::Low, " (the organization's management account)")
        } else if account.in_organization(other) {
            // Another account of the same organization: a trust gap, not a vendor's
            // confused deputy.
            (Severity::Low, " (inside the organization)")
        } else if account.is_org() || !account.org_accounts.is_empty() {
            (severity, " (outside the organization)")
        } else {
            (severity, "")
        };
        out.push(
            finding(
                "IAM002",
                doc,
                i,
                format!(
                    "{} lets account {other}{whose} assume the role without sts:ExternalId or aws:PrincipalOrgID",
                    doc.label(i)
                ),
            )
            .severity(severity)
            .evidence([ev]),
        );
    }
}

/// The claim keys a web-identity provider's tokens carry: (audience, subject).
fn claim_keys(provider: &str) -> (String, String) {
    let host = provider
        .split_once(":oidc-provider/")
        .map_or(provider, |(_, h)| h);
    match host {
        "graph.facebook.com" => (format!("{host}:app_id"), format!("{host}:id")),
        "www.amazon.com" => (format!("{host}:app_id"), format!("{host}:user_id")),
        _ => (format!("{host}:aud"), format!("{host}:sub")),
    }
}

fn oidc(
    a: &Audit<'_, '_>,
    doc: &Doc<'_>,
    i: usize,
    st: &Statement,
    provider: &str,
    out: &mut Vec<Finding>,
) {
    const ACTION: &str = "sts:AssumeRoleWithWebIdentity";
    if !st.action_matches(&crate::policy::ActionName::new(ACTION)) {
        return;
    }
    let (aud, sub) = claim_keys(provider);
    if let Some(ev) = allowed_without(a, doc, provider, ACTION, &[&aud]) {
        out.push(
            finding(
                "IAM003",
                doc,
                i,
                format!(
                    "{} accepts tokens of {provider} without checking {aud}",
                    doc.label(i)
                ),
            )
            .evidence([ev]),
        );
    }
    if let Some(ev) = allowed_without(a, doc, provider, ACTION, &[&sub]) {
        out.push(
            finding(
                "IAM004",
                doc,
                i,
                format!(
                    "{} has no {sub} condition: any identity of {provider} may assume the role",
                    doc.label(i)
                ),
            )
            .evidence([ev]),
        );
        return;
    }
    let pinned: Vec<String> = st
        .conditions
        .iter()
        .filter(|c| c.key.eq_ignore_ascii_case(&sub))
        .flat_map(|c| c.raw_values().iter().cloned())
        .collect();
    for probe in subject_probes(&pinned) {
        let mut ctx = Context::new(false);
        ctx.set(&sub, vec![probe.clone()]);
        let (d, ev) = decide(a.engine, provider, &query(ACTION, &doc.entity, ctx));
        if may_allow(&d) {
            out.push(
                finding(
                    "IAM005",
                    doc,
                    i,
                    format!(
                        "{} lets {sub} = {probe} assume the role (pattern {})",
                        doc.label(i),
                        pinned.join(" | ")
                    ),
                )
                .evidence([ev]),
            );
            return;
        }
    }
}

/// Subjects the trust should refuse: another organisation, another repository of the
/// same organisation, another branch of the same repository (GitHub's
/// `repo:ORG/REPO:ref:refs/heads/BRANCH`), or an arbitrary subject.
pub fn subject_probes(pinned: &[String]) -> Vec<String> {
    let mut out = vec![
        "repo:iamscope-probe-org/iamscope-probe-repo:ref:refs/heads/main".to_string(),
        "iamscope-probe-subject".to_string(),
    ];
    let plain = |s: &str| !s.is_empty() && !s.contains(['*', '?']);
    for v in pinned {
        let Some(rest) = v.strip_prefix("repo:") else {
            continue;
        };
        let Some((org, after)) = rest.split_once('/') else {
            continue;
        };
        if !plain(org) {
            continue;
        }
        out.push(format!(
            "repo:{org}/iamscope-probe-repo:ref:refs/heads/main"
        ));
        let repo = after.split(':').next().unwrap_or_default();
        if plain(repo) {
            out.push(format!(
                "repo:{org}/{repo}:ref:refs/heads/iamscope-probe-branch"
            ));
        }
    }
    out.retain(|p| !pinned.contains(p));
    out.dedup();
    out
}

/// Asks `action` on the role as `caller` with `absent` keys declared absent and every
/// other key unknown: the evidence when the trust may still let the caller in, that is
/// when it does not require those keys.
fn allowed_without(
    a: &Audit<'_, '_>,
    doc: &Doc<'_>,
    caller: &str,
    action: &str,
    absent: &[&str],
) -> Option<Evidence> {
    let mut ctx = Context::new(false);
    for k in absent {
        ctx.set_absent(k);
    }
    let (d, ev) = decide(a.engine, caller, &query(action, &doc.entity, ctx));
    may_allow(&d).then_some(ev)
}

fn saml(a: &Audit<'_, '_>, doc: &Doc<'_>, i: usize, provider: &str, out: &mut Vec<Finding>) {
    let Some(ev) = allowed_without(a, doc, provider, "sts:AssumeRoleWithSAML", &["SAML:aud"])
    else {
        return;
    };
    let summary = format!(
        "{} accepts assertions of {provider} without SAML:aud",
        doc.label(i)
    );
    out.push(finding("IAM006", doc, i, summary).evidence([ev]));
}

fn confused_deputy(
    a: &Audit<'_, '_>,
    doc: &Doc<'_>,
    i: usize,
    service: &str,
    out: &mut Vec<Finding>,
) {
    let keys = ["aws:SourceAccount", "aws:SourceArn"];
    let Some(ev) = allowed_without(a, doc, service, "sts:AssumeRole", &keys) else {
        return;
    };
    let summary = format!(
        "{} lets {service} assume the role for any account's resources (no aws:SourceAccount or aws:SourceArn)",
        doc.label(i)
    );
    out.push(finding("IAM007", doc, i, summary).evidence([ev]));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_leave_the_pinned_repository() {
        let p = subject_probes(&["repo:acme/webapp:ref:refs/heads/main".to_string()]);
        assert!(p.contains(&"repo:acme/iamscope-probe-repo:ref:refs/heads/main".to_string()));
        assert!(p.contains(&"repo:acme/webapp:ref:refs/heads/iamscope-probe-branch".to_string()));
        assert!(!p
            .iter()
            .any(|s| s == "repo:acme/webapp:ref:refs/heads/main"));
        // A wildcard organisation gives no same-organisation probes.
        let p = subject_probes(&["repo:*/x:*".to_string()]);
        assert_eq!(p.len(), 2);
    }

    #[test]
    fn claim_keys_per_provider() {
        assert_eq!(
            claim_keys("arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com").1,
            "token.actions.githubusercontent.com:sub"
        );
        assert_eq!(
            claim_keys("graph.facebook.com").0,
            "graph.facebook.com:app_id"
        );
    }
}
