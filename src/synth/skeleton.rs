//! Names, paths, ARNs and kinds of every user, role and managed policy.

use super::aws_managed::{self, CATALOGUE};
use super::ctx::{Ctx, PolicyKind, PolicyStub, RoleKind, RoleStub, UserStub};
use super::names::{self, Unique, APPS, ENVS, REGIONS, TEAMS};
use super::rng::Rng;
use super::SynthOptions;

const COMPANIES: &[&str] = &[
    "acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell",
];
const VENDORS: &[&str] = &[
    "datadog",
    "snyk",
    "wiz",
    "newrelic",
    "lacework",
    "cloudability",
    "orca",
    "sumologic",
];
const PERMISSION_SETS: &[&str] = &[
    "AdministratorAccess",
    "ReadOnlyAccess",
    "PowerUserAccess",
    "Billing",
    "DataScientist",
    "SecurityAudit",
    "ViewOnlyAccess",
];

/// How many AWS managed and boundary policies a `policies` total splits into.
pub(crate) fn policy_split(total: usize) -> (usize, usize) {
    let aws = (total / 10).min(CATALOGUE.len());
    let customer = total - aws;
    let boundaries = if customer >= 5 {
        (customer / 40).max(1)
    } else {
        0
    };
    (aws, boundaries)
}

/// Builds the skeleton that documents and attachments refer to.
pub(crate) fn skeleton(rng: &mut Rng, opts: &SynthOptions) -> Ctx {
    let account = opts.account_id.clone();
    let company = *rng.pick(COMPANIES);
    let org_id = format!(
        "o-{}",
        rng.chars(b"abcdefghijklmnopqrstuvwxyz0123456789", 10)
    );
    let mut external_accounts: Vec<String> = (0..8).map(|_| rng.chars(b"0123456789", 12)).collect();
    // In an organization, six of the eight trusted accounts are siblings (the other
    // two stay outside vendors); a lone account draws nothing more, so its output
    // does not change.
    let siblings: Vec<&String> = opts
        .org_accounts
        .iter()
        .filter(|a| **a != account)
        .collect();
    if !siblings.is_empty() {
        for slot in external_accounts.iter_mut().take(6) {
            *slot = (*rng.pick(&siblings)).clone();
        }
    }
    let iam = |rest: String| format!("arn:aws:iam::{account}:{rest}");
    let saml_providers = ["Okta", "AzureAD", "ADFS"]
        .iter()
        .map(|p| iam(format!("saml-provider/{p}")))
        .collect();
    let sso_provider = iam(format!(
        "saml-provider/AWSSSO_{}_DO_NOT_DELETE",
        rng.chars(b"0123456789abcdef", 16)
    ));
    let eks_providers = (0..2)
        .map(|_| {
            format!(
                "oidc.eks.{}.amazonaws.com/id/{}",
                rng.pick(REGIONS),
                rng.chars(b"0123456789ABCDEF", 32)
            )
        })
        .collect();

    let mut unique = Unique::default();
    let users = (0..opts.users)
        .map(|_| user_stub(rng, &mut unique, &account))
        .collect();

    let mut unique = Unique::default();
    let kinds: Vec<u32> = RoleKind::WEIGHTED.iter().map(|(_, w)| *w).collect();
    let roles: Vec<RoleStub> = (0..opts.roles)
        .map(|i| {
            let kind = if i == 0 {
                RoleKind::AccountRoot
            } else {
                RoleKind::WEIGHTED[rng.weighted(&kinds)].0
            };
            role_stub(rng, &mut unique, &account, kind, i == 0)
        })
        .collect();
    let service_roles = (0..roles.len())
        .filter(|&i| roles[i].kind.is_service())
        .collect();
    let assumable_roles = (0..roles.len())
        .filter(|&i| roles[i].kind.is_assumable())
        .collect();

    let (n_aws, n_boundaries) = policy_split(opts.policies);
    let mut unique = Unique::default();
    let mut policies = Vec::with_capacity(opts.policies);
    for i in 0..opts.policies - n_aws {
        let team = rng.below(TEAMS.len());
        let t = TEAMS[team];
        let (name, path, kind) = if i < n_boundaries {
            let name = if rng.chance(0.5) {
                format!("{t}-permissions-boundary")
            } else {
                format!("{}Boundary", capitalize(t))
            };
            (name, "/boundaries/".to_string(), PolicyKind::Boundary)
        } else {
            let purpose = *rng.pick(&[
                "access", "read", "write", "deploy", "ops", "policy", "runtime", "ci",
            ]);
            let name = match rng.below(3) {
                0 => format!("{t}-{}-{purpose}", rng.pick(APPS)),
                1 => format!(
                    "{}{}{}",
                    capitalize(t),
                    capitalize(rng.pick::<&str>(APPS)),
                    capitalize(purpose)
                ),
                _ => format!("{t}-{}-{}-{purpose}", rng.pick(APPS), rng.pick(ENVS)),
            };
            let path = if rng.chance(0.25) {
                format!("/{t}/")
            } else {
                "/".to_string()
            };
            (name, path, PolicyKind::Customer)
        };
        let name = unique.take(name);
        let arn = format!("arn:aws:iam::{account}:policy{path}{name}");
        policies.push(PolicyStub {
            name,
            arn,
            path,
            team: Some(team),
            kind,
        });
    }
    for (i, entry) in CATALOGUE.iter().enumerate().take(n_aws) {
        policies.push(PolicyStub {
            name: entry.name.to_string(),
            arn: aws_managed::arn(i),
            path: entry.path.to_string(),
            team: None,
            kind: PolicyKind::Aws(i),
        });
    }
    let customer_policies = (0..policies.len())
        .filter(|&i| policies[i].kind == PolicyKind::Customer)
        .collect();

    Ctx {
        account,
        company,
        org_id,
        users,
        roles,
        policies,
        service_roles,
        assumable_roles,
        customer_policies,
        external_accounts,
        org_accounts: siblings.into_iter().cloned().collect(),
        saml_providers,
        sso_provider,
        eks_providers,
    }
}

fn user_stub(rng: &mut Rng, unique: &mut Unique, account: &str) -> UserStub {
    let team = rng.below(TEAMS.len());
    let t = TEAMS[team];
    let person = rng.chance(0.85);
    let (name, path) = if person {
        let (name, _, _) = names::person(rng);
        let path = match rng.weighted(&[80, 12, 8]) {
            0 => "/",
            1 => "/engineering/",
            _ => "/contractors/",
        };
        (name, path)
    } else {
        let name = match rng.below(4) {
            0 => format!("svc-{t}-{}", rng.pick(APPS)),
            1 => format!("terraform-{}", rng.pick(ENVS)),
            2 => format!("ci-{t}-{}", rng.pick(APPS)),
            _ => format!("{}-integration", rng.pick(VENDORS)),
        };
        (name, if rng.chance(0.6) { "/service/" } else { "/" })
    };
    let name = unique.take(name);
    UserStub {
        arn: format!("arn:aws:iam::{account}:user{path}{name}"),
        name,
        path: path.to_string(),
        team,
        person,
    }
}

fn role_stub(
    rng: &mut Rng,
    unique: &mut Unique,
    account: &str,
    kind: RoleKind,
    first: bool,
) -> RoleStub {
    let team = rng.below(TEAMS.len());
    let app = rng.below(APPS.len());
    let env = rng.below(ENVS.len());
    let (t, a, e) = (TEAMS[team], APPS[app], ENVS[env]);
    let (name, path) = match kind {
        RoleKind::AccountRoot if first => ("OrganizationAccountAccessRole".to_string(), "/"),
        RoleKind::Ec2 => (format!("{t}-{a}-ec2-{e}"), "/"),
        RoleKind::Lambda => {
            if rng.chance(0.3) {
                (format!("{t}-{a}-{e}-lambdaRole"), "/service-role/")
            } else {
                (format!("{t}-{a}-lambda-{e}"), "/")
            }
        }
        RoleKind::Ecs => (format!("{t}-{a}-task-{e}"), "/"),
        RoleKind::Glue => (
            format!("AWSGlueServiceRole-{t}{}", capitalize(a)),
            "/service-role/",
        ),
        RoleKind::CodeBuild => (format!("codebuild-{t}-{a}-service-role"), "/service-role/"),
        RoleKind::SameAccountRole => (format!("{t}-{a}-deployer-{e}"), "/"),
        RoleKind::SameAccountUser => {
            let n = if rng.chance(0.5) {
                format!("{t}-breakglass")
            } else {
                format!("{t}-admin-{e}")
            };
            (n, "/")
        }
        RoleKind::AccountRoot => (
            format!(
                "{t}-{}-{e}",
                rng.pick(&["readonly", "operator", "support", "audit"])
            ),
            "/",
        ),
        RoleKind::CrossAccount => (
            format!("{}-integration-{t}", rng.pick(VENDORS)),
            "/external/",
        ),
        RoleKind::Saml => (
            format!(
                "okta-{t}-{}",
                rng.pick(&["admin", "developer", "readonly", "analyst"])
            ),
            "/",
        ),
        RoleKind::Sso => {
            let ps = *rng.pick(PERMISSION_SETS);
            let suffix = rng.chars(b"0123456789abcdef", 16);
            let path = if rng.chance(0.5) {
                "/aws-reserved/sso.amazonaws.com/"
            } else {
                "/aws-reserved/sso.amazonaws.com/eu-west-1/"
            };
            (format!("AWSReservedSSO_{ps}_{suffix}"), path)
        }
        RoleKind::GithubOidc => (format!("github-actions-{t}-{a}"), "/ci/"),
        RoleKind::EksOidc => (format!("{t}-{a}-irsa-{e}"), "/"),
        RoleKind::Public => (format!("{t}-{a}-shared-{e}"), "/"),
    };
    let name = unique.take(name);
    RoleStub {
        arn: format!("arn:aws:iam::{account}:role{path}{name}"),
        name,
        path: path.to_string(),
        team,
        app,
        env,
        kind,
    }
}

/// `platform` → `Platform`.
pub(crate) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
