//! Privilege checks (IAM010–IAM014): administrators as the evaluator decides them,
//! routes to administrator from the graph, and over-broad grants in the policies an
//! account's owner wrote.

use super::documents::{identity_documents, Doc};
use super::evidence::{decide, may_allow, Evidence};
use super::{Audit, Finding, Severity};
use crate::eval::{Context, PrincipalRef, Query};
use crate::model::Account;
use crate::policy::{ActionName, Effect, Statement};
use crate::query::hop::hops;

/// Actions whose grant on a service gives control of identities, keys, secrets or
/// code: a wildcard or a NotAction that reaches one of them is flagged.
pub const SENSITIVE_ACTIONS: &[&str] = &[
    "iam:PassRole",
    "iam:CreateAccessKey",
    "iam:CreateUser",
    "iam:AttachUserPolicy",
    "iam:PutRolePolicy",
    "iam:UpdateAssumeRolePolicy",
    "iam:CreatePolicyVersion",
    "sts:AssumeRole",
    "kms:Decrypt",
    "kms:PutKeyPolicy",
    "kms:CreateGrant",
    "secretsmanager:GetSecretValue",
    "secretsmanager:PutResourcePolicy",
    "organizations:LeaveOrganization",
    "s3:PutBucketPolicy",
    "s3:DeleteBucket",
    "ssm:SendCommand",
    "ssm:GetParameter",
    "lambda:UpdateFunctionCode",
    "lambda:AddPermission",
];

pub(crate) fn check(a: &Audit<'_, '_>, out: &mut Vec<Finding>) {
    administrators(a, out);
    pass_role(a, out);
    let account = a.engine.account();
    for doc in identity_documents(account) {
        if only_a_boundary(account, &doc) {
            continue;
        }
        let Some(document) = doc.source.document() else {
            continue;
        };
        for st in &document.statements {
            let i = st.index;
            if st.effect != Effect::Allow {
                continue;
            }
            if st.action.negated {
                not_action(&doc, i, st, out);
            } else {
                wildcards(&doc, i, st, out);
            }
        }
    }
}

/// A managed policy used only as a permissions boundary caps, it never grants.
fn only_a_boundary(account: &Account, doc: &Doc<'_>) -> bool {
    account.managed_policies.iter().any(|p| {
        p.arn.as_str() == doc.entity
            && p.usage.attached_to.is_empty()
            && !p.usage.boundary_of.is_empty()
    })
}

fn principal_arn(account: &Account, who: PrincipalRef) -> String {
    match who {
        PrincipalRef::User(u) => account.user(u).common.arn.to_string(),
        PrincipalRef::Role(r) => account.role(r).common.arn.to_string(),
    }
}

fn administrators(a: &Audit<'_, '_>, out: &mut Vec<Finding>) {
    let account = a.engine.account();
    // Every principal's shortest path to an administrator, from one reverse search
    // (not one forward search per principal).
    let towards = a.graph.towards_admin();
    for who in a.engine.principals() {
        let node = a.graph.node_of(who);
        let arn = principal_arn(account, who);
        if let Some(Some(status)) = a.graph.admins.get(node) {
            let when = if status.missing_keys.is_empty() {
                String::new()
            } else {
                format!(" (depending on {})", status.missing_keys.join(", "))
            };
            let evidence =
                a.graph
                    .admin_evidence(a.engine, node)
                    .into_iter()
                    .map(|e| Evidence::Request {
                        principal: arn.clone(),
                        action: e.action,
                        resource: e.resource,
                        context: Vec::new(),
                        complete: false,
                        decision: e.decision,
                        statements: e.statements,
                    });
            out.push(
                Finding::new(
                    "IAM010",
                    arn.clone(),
                    format!("{arn} is allowed every administrator probe on every resource{when}"),
                )
                .evidence(evidence),
            );
            continue;
        }
        let Some(path) = a.graph.admin_path(&towards, node) else {
            continue;
        };
        if path.is_empty() {
            continue;
        }
        let conditional = path.iter().any(|e| e.conditional);
        let route: Vec<String> = path
            .iter()
            .map(|e| {
                format!(
                    "--{}--> {}",
                    e.kind.name(),
                    a.graph.nodes[e.to].label(account)
                )
            })
            .collect();
        let hops = hops(a.engine, a.graph, &path);
        let mut evidence = Evidence::Path { hops };
        if a.compact {
            evidence.compact();
        }
        out.push(
            Finding::new(
                "IAM011",
                arn.clone(),
                format!(
                    "{} becomes an administrator in {} hop{}{}: {}",
                    a.graph.nodes[node].label(account),
                    path.len(),
                    if path.len() == 1 { "" } else { "s" },
                    if conditional { " (conditional)" } else { "" },
                    route.join(" ")
                ),
            )
            .evidence([evidence]),
        );
    }
}

fn pass_role(a: &Audit<'_, '_>, out: &mut Vec<Finding>) {
    let account = a.engine.account();
    // A role name no policy writer would list: allowed on it means allowed on any role.
    let probe = format!(
        "arn:{}:iam::{}:role/iamscope-probe-any-role",
        partition(account),
        account.id
    );
    let q = Query::new("iam:PassRole", &probe).with_context(Context::new(false));
    for who in a.engine.principals() {
        if a.graph.is_admin(a.graph.node_of(who)) {
            continue;
        }
        let arn = principal_arn(account, who);
        let (d, ev) = decide(a.engine, &arn, &q);
        if may_allow(&d) {
            out.push(
                Finding::new(
                    "IAM012",
                    arn.clone(),
                    format!("{arn} may pass any role of the account to a service ({d})"),
                )
                .evidence([ev]),
            );
        }
    }
}

fn partition(account: &Account) -> &str {
    if account.partition.is_empty() {
        "aws"
    } else {
        &account.partition
    }
}

fn on_any_resource(st: &Statement) -> bool {
    st.resource
        .as_ref()
        .is_some_and(|r| !r.negated && r.patterns.iter().any(|p| p.as_str() == "*"))
}

fn not_action(doc: &Doc<'_>, i: usize, st: &Statement, out: &mut Vec<Finding>) {
    let reached: Vec<&str> = SENSITIVE_ACTIONS
        .iter()
        .copied()
        .filter(|a| st.action_matches(&ActionName::new(a)))
        .collect();
    if reached.is_empty() {
        return;
    }
    let listed: Vec<&str> = st.action.patterns.iter().map(|p| p.as_str()).collect();
    let severity = if on_any_resource(st) {
        Severity::Medium
    } else {
        Severity::Low
    };
    out.push(
        Finding::new(
            "IAM013",
            doc.entity.clone(),
            format!(
                "{} allows every action except {}, including {}",
                doc.label(i),
                listed.join(", "),
                reached.join(", ")
            ),
        )
        .severity(severity)
        .evidence([Evidence::statement(
            doc.label(i),
            format!("NotAction {}", listed.join(", ")),
        )])
        .at(&doc.file, Some(doc.statement_path(i))),
    );
}

fn wildcards(doc: &Doc<'_>, i: usize, st: &Statement, out: &mut Vec<Finding>) {
    let mut hits: Vec<String> = Vec::new();
    for p in &st.action.patterns {
        if !p.as_str().contains(['*', '?']) {
            continue;
        }
        let reached: Vec<&str> = SENSITIVE_ACTIONS
            .iter()
            .copied()
            .filter(|a| p.matches(&ActionName::new(a)))
            .collect();
        if !reached.is_empty() {
            hits.push(format!("{} (e.g. {})", p.as_str(), reached.join(", ")));
        }
    }
    if hits.is_empty() {
        return;
    }
    out.push(
        Finding::new(
            "IAM014",
            doc.entity.clone(),
            format!("{} allows {}", doc.label(i), hits.join("; ")),
        )
        .evidence([Evidence::statement(
            doc.label(i),
            format!("Action {}", hits.join("; ")),
        )])
        .at(&doc.file, Some(doc.statement_path(i))),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::PolicyDocument;

    fn statement(json: &str) -> Statement {
        let doc = PolicyDocument::parse(&format!(
            r#"{{"Version":"2012-10-17","Statement":[{json}]}}"#
        ))
        .expect("valid test policy");
        doc.statements[0].clone()
    }

    fn doc_for(source: &crate::model::PolicySource) -> Doc<'_> {
        Doc {
            name: "P".into(),
            entity: "arn:aws:iam::1:policy/P".into(),
            source,
            file: "gaad.json".into(),
            json_path: "Policies[0]".into(),
            kind: super::super::documents::DocKind::Identity,
            max_chars: None,
        }
    }

    #[test]
    fn wildcard_on_a_sensitive_service_is_flagged_and_reads_are_not() {
        let src = crate::model::PolicySource::new("{}");
        let doc = doc_for(&src);
        let mut out = Vec::new();
        wildcards(
            &doc,
            0,
            &statement(r#"{"Effect":"Allow","Action":"iam:*","Resource":"*"}"#),
            &mut out,
        );
        assert_eq!(out.len(), 1);
        assert!(out[0].summary.contains("iam:PassRole"));
        out.clear();
        wildcards(
            &doc,
            0,
            &statement(r#"{"Effect":"Allow","Action":["iam:Get*","s3:List*"],"Resource":"*"}"#),
            &mut out,
        );
        assert!(out.is_empty());
    }

    #[test]
    fn not_action_allow_is_flagged_unless_it_excludes_everything_sensitive() {
        let src = crate::model::PolicySource::new("{}");
        let doc = doc_for(&src);
        let mut out = Vec::new();
        not_action(
            &doc,
            0,
            &statement(r#"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#),
            &mut out,
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].severity, Severity::Medium);
        assert!(out[0].summary.contains("kms:Decrypt"));
        out.clear();
        let all: Vec<String> = SENSITIVE_ACTIONS
            .iter()
            .map(|a| format!("\"{a}\""))
            .collect();
        not_action(
            &doc,
            0,
            &statement(&format!(
                r#"{{"Effect":"Allow","NotAction":[{}],"Resource":"arn:aws:s3:::b"}}"#,
                all.join(",")
            )),
            &mut out,
        );
        assert!(out.is_empty());
    }
}
