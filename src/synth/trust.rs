//! Trust policies (`AssumeRolePolicyDocument`) for every principal kind.

use serde_json::{json, Value};

use super::ctx::{Ctx, RoleKind};
use super::doc::{list, Statement};
use super::names::{APPS, ENVS, TEAMS};
use super::rng::Rng;

/// The statements of role `idx`'s trust policy.
pub(crate) fn trust_statements(rng: &mut Rng, ctx: &Ctx, idx: usize) -> Vec<Statement> {
    let role = &ctx.roles[idx];
    let team = TEAMS[role.team];
    let app = APPS[role.app];
    let mut out = match role.kind {
        RoleKind::Ec2 => vec![service(rng, "ec2.amazonaws.com", None)],
        RoleKind::Lambda => vec![service(
            rng,
            "lambda.amazonaws.com",
            Some("edgelambda.amazonaws.com"),
        )],
        RoleKind::Ecs => vec![service(rng, "ecs-tasks.amazonaws.com", None)],
        RoleKind::Glue => vec![service(rng, "glue.amazonaws.com", None)],
        RoleKind::CodeBuild => {
            let s = service(rng, "codebuild.amazonaws.com", None);
            if rng.chance(0.4) {
                vec![s.when("StringEquals", "aws:SourceAccount", json!(ctx.account))]
            } else {
                vec![s]
            }
        }
        RoleKind::SameAccountRole => vec![from_roles(rng, ctx, idx, team)],
        RoleKind::SameAccountUser => vec![from_users(rng, ctx)],
        RoleKind::AccountRoot => vec![from_root(rng, ctx, team)],
        RoleKind::CrossAccount => vec![cross_account(rng, ctx)],
        RoleKind::Saml => vec![saml(rng, ctx)],
        RoleKind::Sso => vec![Statement {
            principal: Some(json!({ "Federated": ctx.sso_provider })),
            action: Some(json!(["sts:AssumeRoleWithSAML", "sts:TagSession"])),
            effect: "Allow",
            ..Statement::default()
        }
        .when(
            "StringEquals",
            "SAML:aud",
            json!("https://signin.aws.amazon.com/saml"),
        )],
        RoleKind::GithubOidc => vec![github(rng, ctx, team, app)],
        RoleKind::EksOidc => vec![eks(rng, ctx, team, app)],
        RoleKind::Public => vec![public(rng, ctx)],
    };
    for s in &mut out {
        if s.sid.is_none() && rng.chance(0.3) {
            s.sid = Some(String::new());
        }
    }
    if role.kind.is_service() && rng.chance(0.08) {
        // Break-glass access for operators alongside the service.
        out.push(
            Statement {
                sid: Some("AllowOpsAssume".into()),
                principal: Some(json!({ "AWS": ctx.iam_arn("root") })),
                action: Some(json!("sts:AssumeRole")),
                effect: "Allow",
                ..Statement::default()
            }
            .when("Bool", "aws:MultiFactorAuthPresent", json!("true")),
        );
    }
    out
}

fn trust(principal: Value, action: &str) -> Statement {
    Statement {
        principal: Some(principal),
        action: Some(json!(action)),
        effect: "Allow",
        ..Statement::default()
    }
}

fn service(rng: &mut Rng, svc: &str, extra: Option<&str>) -> Statement {
    let principal = match extra {
        Some(e) if rng.chance(0.1) => json!({ "Service": [svc, e] }),
        _ => json!({ "Service": svc }),
    };
    trust(principal, "sts:AssumeRole")
}

fn from_roles(rng: &mut Rng, ctx: &Ctx, idx: usize, team: &str) -> Statement {
    if rng.chance(0.3) {
        // The account root, narrowed with ArnLike on the caller's ARN.
        return trust(json!({ "AWS": ctx.iam_arn("root") }), "sts:AssumeRole").when(
            "ArnLike",
            "aws:PrincipalArn",
            json!(ctx.iam_arn(&format!("role/{team}-*"))),
        );
    }
    let n = rng.range(1, 3);
    let arns: Vec<String> = rng
        .distinct(ctx.roles.len(), n)
        .into_iter()
        .filter(|&i| i != idx)
        .map(|i| ctx.roles[i].arn.clone())
        .collect();
    let arns = if arns.is_empty() {
        vec![ctx.iam_arn("root")]
    } else {
        arns
    };
    let action = if rng.chance(0.2) {
        json!(["sts:AssumeRole", "sts:TagSession"])
    } else {
        json!("sts:AssumeRole")
    };
    Statement {
        principal: Some(json!({ "AWS": list(&arns) })),
        action: Some(action),
        effect: "Allow",
        ..Statement::default()
    }
}

fn from_users(rng: &mut Rng, ctx: &Ctx) -> Statement {
    let n = rng.range(1, 4);
    let arns: Vec<String> = rng
        .distinct(ctx.users.len(), n)
        .into_iter()
        .map(|i| ctx.users[i].arn.clone())
        .collect();
    let arns = if arns.is_empty() {
        vec![ctx.iam_arn("root")]
    } else {
        arns
    };
    let mut s = trust(json!({ "AWS": list(&arns) }), "sts:AssumeRole").when(
        "Bool",
        "aws:MultiFactorAuthPresent",
        json!("true"),
    );
    if rng.chance(0.3) {
        s = s.when(
            "IpAddress",
            "aws:SourceIp",
            json!(["203.0.113.0/24", "198.51.100.14/32"]),
        );
    }
    s
}

fn from_root(rng: &mut Rng, ctx: &Ctx, team: &str) -> Statement {
    let s = trust(json!({ "AWS": ctx.iam_arn("root") }), "sts:AssumeRole");
    match rng.below(4) {
        0 => s,
        1 => s.when("Bool", "aws:MultiFactorAuthPresent", json!("true")),
        2 => s.when("StringEquals", "aws:PrincipalTag/team", json!(team)),
        _ => s.when(
            "ArnLike",
            "aws:PrincipalArn",
            json!([
                ctx.iam_arn(&format!("role/{team}-*")),
                ctx.iam_arn("role/aws-reserved/sso.amazonaws.com/*")
            ]),
        ),
    }
}

fn cross_account(rng: &mut Rng, ctx: &Ctx) -> Statement {
    let acct = rng.pick(&ctx.external_accounts).clone();
    let principal = if rng.chance(0.6) {
        format!("arn:aws:iam::{acct}:root")
    } else {
        format!(
            "arn:aws:iam::{acct}:role/{}",
            rng.pick(&["integration", "scanner", "collector", "deployer"])
        )
    };
    let s = trust(json!({ "AWS": principal }), "sts:AssumeRole");
    if rng.chance(0.85) {
        let ext = rng.chars(b"0123456789abcdef", 32);
        s.when("StringEquals", "sts:ExternalId", json!(ext))
    } else {
        s
    }
}

fn saml(rng: &mut Rng, ctx: &Ctx) -> Statement {
    let provider = rng.pick(&ctx.saml_providers).clone();
    let action = if rng.chance(0.5) {
        json!(["sts:AssumeRoleWithSAML", "sts:TagSession"])
    } else {
        json!("sts:AssumeRoleWithSAML")
    };
    Statement {
        principal: Some(json!({ "Federated": provider })),
        action: Some(action),
        effect: "Allow",
        ..Statement::default()
    }
    .when(
        "StringEquals",
        "SAML:aud",
        json!("https://signin.aws.amazon.com/saml"),
    )
}

fn github(rng: &mut Rng, ctx: &Ctx, team: &str, app: &str) -> Statement {
    let host = "token.actions.githubusercontent.com";
    let org = format!("{}-corp", ctx.company);
    let sub = match rng.below(5) {
        0 => format!("repo:{org}/{team}-{app}:*"),
        1 => format!("repo:{org}/{team}-*:ref:refs/heads/main"),
        2 => format!("repo:{org}/{team}-{app}:environment:{}", ENVS[rng.below(3)]),
        3 => format!("repo:{org}/*"),
        _ => format!("repo:{org}/{team}-{app}:ref:refs/heads/main"),
    };
    let op = if sub.contains('*') {
        "StringLike"
    } else {
        "StringEquals"
    };
    let s = trust(
        json!({ "Federated": ctx.iam_arn(&format!("oidc-provider/{host}")) }),
        "sts:AssumeRoleWithWebIdentity",
    )
    .when(
        "StringEquals",
        &format!("{host}:aud"),
        json!("sts.amazonaws.com"),
    );
    s.when(op, &format!("{host}:sub"), json!(sub))
}

fn eks(rng: &mut Rng, ctx: &Ctx, team: &str, app: &str) -> Statement {
    let provider = rng.pick(&ctx.eks_providers).clone();
    trust(
        json!({ "Federated": ctx.iam_arn(&format!("oidc-provider/{provider}")) }),
        "sts:AssumeRoleWithWebIdentity",
    )
    .when(
        "StringEquals",
        &format!("{provider}:aud"),
        json!("sts.amazonaws.com"),
    )
    .when(
        "StringEquals",
        &format!("{provider}:sub"),
        json!(format!("system:serviceaccount:{team}:{app}")),
    )
}

fn public(rng: &mut Rng, ctx: &Ctx) -> Statement {
    let principal = if rng.chance(0.5) {
        json!("*")
    } else {
        json!({ "AWS": "*" })
    };
    let s = trust(principal, "sts:AssumeRole");
    if rng.chance(0.7) {
        s.when("StringEquals", "aws:PrincipalOrgID", json!(ctx.org_id))
    } else {
        s
    }
}
