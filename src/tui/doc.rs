//! The risky settings a policy document shows by itself, in plain words, for the
//! details pane. (Findings over the whole account are moving to the core.)

use crate::policy::Effect;
use crate::query::document_view::{short_provider, DocView, PrincipalView};

/// What a document is used as; decides which warnings apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// A permissions policy of a user, group or role (inline or managed).
    Identity,
    /// A role's trust policy.
    Trust,
    /// A resource-based policy.
    Resource,
    /// A service or resource control policy.
    Org,
}

/// Risky settings visible from the document alone, in plain words.
pub fn warnings(view: &DocView, kind: DocKind) -> Vec<String> {
    let mut out = Vec::new();
    for (i, st) in view.statements.iter().enumerate() {
        let at = st.label(i);
        let allow = st.effect == Some(Effect::Allow);
        if allow
            && matches!(kind, DocKind::Trust | DocKind::Resource)
            && !st.not_principal
            && st.principals.iter().any(PrincipalView::is_anyone)
            && st.conditions.is_empty()
        {
            out.push(format!(
                "{at}: Principal * without conditions: anyone, in any account, is allowed"
            ));
        }
        // An SCP or RCP grants nothing: its Allow (AWS's default `FullAWSAccess` is
        // `*` on `*`) only sets a ceiling, so the identity warnings do not apply.
        if allow && matches!(kind, DocKind::Identity | DocKind::Resource) {
            if !st.not_action && st.actions.iter().any(|a| a == "*") && st.on_any_resource() {
                out.push(format!(
                    "{at}: Action * on Resource *: full administrator access"
                ));
            } else if st.allows_action("iam:PassRole") && st.on_any_resource() {
                out.push(format!(
                    "{at}: iam:PassRole on *: can hand any role to a service"
                ));
            }
            if st.not_action && st.on_any_resource() {
                out.push(format!(
                    "{at}: NotAction with Allow on *: allows everything not listed"
                ));
            }
        }
        if allow && kind == DocKind::Trust {
            let web_identity = st
                .actions
                .iter()
                .any(|a| a.eq_ignore_ascii_case("sts:AssumeRoleWithWebIdentity"));
            for p in st.principals.iter().filter(|p| p.kind == "Federated") {
                let oidc = p.value.contains(":oidc-provider/")
                    || (web_identity && !p.value.contains(":saml-provider/"));
                if oidc && !st.conditions.iter().any(|c| c.key.ends_with(":sub")) {
                    out.push(format!(
                        "{at}: OIDC trust of {} without a `sub` condition: any identity of that provider can assume the role",
                        short_provider(&p.value)
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_about_admin_passrole_and_anyone() {
        let d = DocView::parse(
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
            {"Effect":"Allow","Action":"iam:Pass*","Resource":"*"},
            {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#,
        )
        .unwrap();
        let w = warnings(&d, DocKind::Resource);
        assert_eq!(w.len(), 3, "{w:?}");
        assert!(w[0].contains("full administrator"));
        assert!(w[1].contains("PassRole"));
        assert!(w[2].contains("anyone"));
    }

    #[test]
    fn oidc_trust_without_sub() {
        let text = r#"{"Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}}]}"#;
        let d = DocView::parse(text).unwrap();
        let w = warnings(&d, DocKind::Trust);
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("token.actions.githubusercontent.com"));
        let ok = text.replace(":aud", ":sub");
        assert!(warnings(&DocView::parse(&ok).unwrap(), DocKind::Trust).is_empty());
    }

    #[test]
    fn full_aws_access_scp_is_not_administrator_access() {
        let d = DocView::parse(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        )
        .unwrap();
        assert!(warnings(&d, DocKind::Org).is_empty());
        assert_eq!(warnings(&d, DocKind::Identity).len(), 1);
    }
}
