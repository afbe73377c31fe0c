//! Assembles users, groups, roles and managed policies from the skeleton.

use std::collections::HashSet;

use serde_json::json;

use super::aws_managed::{self, CATALOGUE};
use super::ctx::{Ctx, PolicyKind, RoleKind};
use super::doc::{document, finish, PolicyDoc, Statement};
use super::identity::{statements, Audience};
use super::names::{
    iam_id, instant, iso, Unique, APPS, ENVS, EPOCH_2016, EPOCH_2025_06, REGIONS, TEAMS,
};
use super::rng::Rng;
use super::shapes::*;
use super::skeleton::skeleton;
use super::SynthOptions;

/// AWS's limit on managed policies attached to one identity.
pub(crate) const MAX_ATTACHED: usize = 10;
/// AWS's limit on groups per user.
pub(crate) const MAX_GROUPS: usize = 10;

/// Mutable generation state.
struct Gen<'a> {
    rng: Rng,
    enc: Rng,
    fraction: f64,
    ids: HashSet<String>,
    ctx: &'a Ctx,
    /// Attachable customer policies per team.
    by_team: Vec<Vec<usize>>,
    boundaries: Vec<usize>,
    attach_count: Vec<u32>,
    boundary_count: Vec<u32>,
}

/// Generates the whole document.
pub(crate) fn build(opts: &SynthOptions) -> Gaad {
    let mut rng = Rng::new(opts.seed);
    let ctx = skeleton(&mut rng, opts);
    let mut by_team = vec![Vec::new(); TEAMS.len()];
    for &i in &ctx.customer_policies {
        by_team[ctx.policies[i].team.unwrap_or(0)].push(i);
    }
    let boundaries = (0..ctx.policies.len())
        .filter(|&i| ctx.policies[i].kind == PolicyKind::Boundary)
        .collect();
    let mut g = Gen {
        rng,
        enc: Rng::fork(opts.seed, 1),
        fraction: opts.url_encoded_fraction.clamp(0.0, 1.0),
        ids: HashSet::new(),
        ctx: &ctx,
        by_team,
        boundaries,
        attach_count: vec![0; ctx.policies.len()],
        boundary_count: vec![0; ctx.policies.len()],
    };
    let groups = g.groups(opts.groups);
    let group_teams: Vec<Option<usize>> = groups.iter().map(|(_, t)| *t).collect();
    let group_names: Vec<String> = groups.iter().map(|(d, _)| d.group_name.clone()).collect();
    let users = (0..ctx.users.len())
        .map(|i| g.user(i, &group_names, &group_teams))
        .collect();
    let roles = (0..ctx.roles.len()).map(|i| g.role(i)).collect();
    let policies = (0..ctx.policies.len()).map(|i| g.policy(i)).collect();
    Gaad {
        user_detail_list: users,
        group_detail_list: groups.into_iter().map(|(d, _)| d).collect(),
        role_detail_list: roles,
        policies,
    }
}

const GROUP_SUFFIXES: &[&str] = &[
    "developers",
    "readonly",
    "admins",
    "oncall",
    "contractors",
    "leads",
    "analysts",
    "deployers",
];
const SPECIAL_GROUPS: &[&str] = &[
    "Administrators",
    "Developers",
    "ReadOnly",
    "BillingAdmins",
    "SecurityAudit",
    "BreakGlass",
    "OnCall",
];

impl Gen<'_> {
    fn doc(&mut self, statements: Vec<Statement>) -> PolicyDoc {
        let d = document(&mut self.rng, statements);
        finish(d, &mut self.enc, self.fraction)
    }

    fn date(&mut self) -> i64 {
        instant(&mut self.rng, EPOCH_2016, EPOCH_2025_06)
    }

    /// Between 0 and `max` inline policies.
    fn inline(
        &mut self,
        team: usize,
        audience: Audience,
        weights: &[u32],
        owner: &str,
    ) -> Vec<InlinePolicy> {
        let n = self.rng.weighted(weights);
        let mut unique = Unique::default();
        (0..n)
            .map(|_| {
                let base = match self.rng.below(4) {
                    0 => format!("{owner}-policy"),
                    1 => format!("{}-{}-inline", TEAMS[team], self.rng.pick(APPS)),
                    2 => (*self.rng.pick(&[
                        "default",
                        "AllowS3Access",
                        "ExtraPermissions",
                        "access",
                        "TempAccess",
                    ]))
                    .to_string(),
                    _ => format!("{}{}", super::skeleton::capitalize(TEAMS[team]), "Inline"),
                };
                let policy_name = unique.take(base);
                let stmts = statements(&mut self.rng, self.ctx, team, audience, 1, 4);
                InlinePolicy {
                    policy_name,
                    policy_document: self.doc(stmts),
                }
            })
            .collect()
    }

    /// Up to `n` distinct managed policies: `preferred` first, then the team's, then any.
    fn attach(&mut self, team: usize, n: usize, preferred: &[usize]) -> Vec<AttachedPolicy> {
        let n = n.min(MAX_ATTACHED);
        let mut chosen: Vec<usize> = Vec::new();
        for &p in preferred {
            if chosen.len() < n && !chosen.contains(&p) {
                chosen.push(p);
            }
        }
        let attachable: Vec<usize> = (0..self.ctx.policies.len())
            .filter(|&i| self.ctx.policies[i].kind != PolicyKind::Boundary)
            .collect();
        let mut tries = 0;
        while chosen.len() < n && !attachable.is_empty() && tries < 50 {
            tries += 1;
            let team_pool = &self.by_team[team];
            let p = if !team_pool.is_empty() && self.rng.chance(0.7) {
                *self.rng.pick(team_pool)
            } else {
                *self.rng.pick(&attachable)
            };
            if !chosen.contains(&p) {
                chosen.push(p);
            }
        }
        chosen
            .into_iter()
            .map(|p| {
                self.attach_count[p] += 1;
                AttachedPolicy {
                    policy_name: self.ctx.policies[p].name.clone(),
                    policy_arn: self.ctx.policies[p].arn.clone(),
                }
            })
            .collect()
    }

    fn boundary(&mut self, p: f64) -> Option<Boundary> {
        if self.boundaries.is_empty() || !self.rng.chance(p) {
            return None;
        }
        let b = *self.rng.pick(&self.boundaries);
        self.boundary_count[b] += 1;
        Some(Boundary {
            permissions_boundary_type: "Policy",
            permissions_boundary_arn: self.ctx.policies[b].arn.clone(),
        })
    }

    fn aws_policy(&self, name: &str) -> Option<usize> {
        self.ctx
            .policies
            .iter()
            .position(|p| matches!(p.kind, PolicyKind::Aws(i) if CATALOGUE[i].name == name))
    }

    fn groups(&mut self, n: usize) -> Vec<(GroupDetail, Option<usize>)> {
        let mut unique = Unique::default();
        (0..n)
            .map(|i| {
                let (base, team) = if i < SPECIAL_GROUPS.len() {
                    (SPECIAL_GROUPS[i].to_string(), None)
                } else {
                    let team = self.rng.below(TEAMS.len());
                    (
                        format!("{}-{}", TEAMS[team], self.rng.pick(GROUP_SUFFIXES)),
                        Some(team),
                    )
                };
                let group_name = unique.take(base);
                let path = if team.is_some() && self.rng.chance(0.3) {
                    format!("/{}/", TEAMS[team.unwrap_or(0)])
                } else {
                    "/".into()
                };
                let t = team.unwrap_or_else(|| self.rng.below(TEAMS.len()));
                let preferred: Vec<usize> = match group_name.as_str() {
                    "Administrators" | "BreakGlass" => {
                        self.aws_policy("AdministratorAccess").into_iter().collect()
                    }
                    "ReadOnly" => self.aws_policy("ReadOnlyAccess").into_iter().collect(),
                    "SecurityAudit" => self.aws_policy("SecurityAudit").into_iter().collect(),
                    "Developers" => self.aws_policy("PowerUserAccess").into_iter().collect(),
                    _ => Vec::new(),
                };
                let n_att = self.rng.weighted(&[5, 30, 25, 15, 8, 6, 4, 3, 2, 1, 1]);
                let attached = self.attach(t, n_att.max(preferred.len()), &preferred);
                let inline = self.inline(t, Audience::User, &[50, 35, 12, 3], &group_name);
                let created = self.date();
                (
                    GroupDetail {
                        arn: self.ctx.iam_arn(&format!("group{path}{group_name}")),
                        path,
                        group_id: iam_id(&mut self.rng, "AGPA", &mut self.ids),
                        group_name,
                        create_date: iso(created),
                        group_policy_list: inline,
                        attached_managed_policies: attached,
                    },
                    team,
                )
            })
            .collect()
    }

    fn user(
        &mut self,
        i: usize,
        group_names: &[String],
        group_teams: &[Option<usize>],
    ) -> UserDetail {
        let ctx = self.ctx;
        let stub = &ctx.users[i];
        let team = stub.team;
        let n_groups = if stub.person {
            self.rng.weighted(&[8, 30, 25, 15, 8, 5, 3, 2, 2, 1, 1])
        } else {
            self.rng.weighted(&[60, 30, 10])
        }
        .min(group_names.len())
        .min(MAX_GROUPS);
        let team_groups: Vec<usize> = (0..group_names.len())
            .filter(|&g| group_teams[g] == Some(team))
            .collect();
        let mut groups: Vec<usize> = Vec::new();
        let mut tries = 0;
        while groups.len() < n_groups && tries < 100 {
            tries += 1;
            let gi = if !team_groups.is_empty() && self.rng.chance(0.6) {
                *self.rng.pick(&team_groups)
            } else {
                self.rng.below(group_names.len())
            };
            if !groups.contains(&gi) {
                groups.push(gi);
            }
        }
        let n_att = if stub.person {
            self.rng.weighted(&[45, 28, 12, 6, 3, 2, 1, 1, 1, 1, 1])
        } else {
            self.rng.weighted(&[10, 35, 25, 12, 6, 4, 3, 2, 1, 1, 1])
        };
        let attached = self.attach(team, n_att, &[]);
        let inline = self.inline(team, Audience::User, &[60, 25, 10, 5], &stub.name);
        let boundary = self.boundary(if stub.path == "/contractors/" {
            1.0
        } else {
            0.12
        });
        let tags = self.user_tags(i);
        let created = self.date();
        UserDetail {
            path: stub.path.clone(),
            user_name: stub.name.clone(),
            user_id: iam_id(&mut self.rng, "AIDA", &mut self.ids),
            arn: stub.arn.clone(),
            create_date: iso(created),
            user_policy_list: inline,
            group_list: groups.into_iter().map(|g| group_names[g].clone()).collect(),
            attached_managed_policies: attached,
            permissions_boundary: boundary,
            tags,
        }
    }

    fn user_tags(&mut self, i: usize) -> Vec<Tag> {
        let ctx = self.ctx;
        let stub = &ctx.users[i];
        let mut tags = Vec::new();
        if self.rng.chance(0.6) {
            tags.push(tag("team", TEAMS[stub.team]));
            if stub.person {
                tags.push(tag(
                    "email",
                    &format!("{}@{}.com", stub.name, self.ctx.company),
                ));
                if self.rng.chance(0.5) {
                    tags.push(tag(
                        "cost-center",
                        &format!("CC-{}", self.rng.chars(b"0123456789", 4)),
                    ));
                }
            } else {
                tags.push(tag(
                    "managed-by",
                    self.rng
                        .pick::<&str>(&["terraform", "cloudformation", "manual"]),
                ));
            }
        }
        if self.rng.chance(0.1) {
            // The console stores access-key descriptions as tags keyed by the key id.
            let key = format!(
                "AKIA{}",
                self.rng.chars(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
            );
            tags.push(tag(
                &key,
                self.rng
                    .pick::<&str>(&["laptop", "ci", "backup job", "local dev"]),
            ));
        }
        tags
    }

    fn role(&mut self, i: usize) -> RoleDetail {
        let ctx = self.ctx;
        let stub = &ctx.roles[i];
        let (team, kind) = (stub.team, stub.kind);
        let trust = super::trust::trust_statements(&mut self.rng, self.ctx, i);
        let trust = self.doc(trust);
        let preferred: Vec<usize> = match kind {
            RoleKind::Lambda => self
                .aws_policy("AWSLambdaBasicExecutionRole")
                .into_iter()
                .collect(),
            RoleKind::Ecs => self
                .aws_policy("AmazonECSTaskExecutionRolePolicy")
                .into_iter()
                .collect(),
            RoleKind::Ec2 => self
                .aws_policy("AmazonSSMManagedInstanceCore")
                .into_iter()
                .collect(),
            RoleKind::Glue => self.aws_policy("AWSGlueServiceRole").into_iter().collect(),
            RoleKind::Sso => {
                let ps = stub.name.split('_').nth(1).unwrap_or_default().to_string();
                self.aws_policy(&ps).into_iter().collect()
            }
            _ if stub.name == "OrganizationAccountAccessRole" => {
                self.aws_policy("AdministratorAccess").into_iter().collect()
            }
            _ => Vec::new(),
        };
        let n_att = self.rng.weighted(&[10, 35, 25, 12, 6, 4, 3, 2, 1, 1, 1]);
        let attached = self.attach(team, n_att.max(preferred.len()), &preferred);
        let inline = self.inline(team, Audience::Role, &[35, 40, 18, 7], &stub.name);
        let exempt = kind == RoleKind::Sso || stub.name == "OrganizationAccountAccessRole";
        let boundary = self.boundary(if exempt { 0.0 } else { 0.25 });
        let tags = if self.rng.chance(0.5) && kind != RoleKind::Sso {
            vec![
                tag("team", TEAMS[team]),
                tag("env", ENVS[stub.env]),
                tag("app", APPS[stub.app]),
                tag(
                    "managed-by",
                    self.rng
                        .pick::<&str>(&["terraform", "cloudformation", "cdk", "manual"]),
                ),
            ]
        } else {
            Vec::new()
        };
        let created = self.date();
        let last_used = if self.rng.chance(0.7) {
            RoleLastUsed {
                last_used_date: Some(iso(instant(
                    &mut self.rng,
                    created,
                    EPOCH_2025_06 + 86_400 * 30,
                ))),
                region: Some((*self.rng.pick(REGIONS)).to_string()),
            }
        } else {
            RoleLastUsed::default()
        };
        let max_session_duration = match kind {
            RoleKind::Sso => 43_200,
            _ => *self
                .rng
                .pick(&[3600, 3600, 3600, 3600, 3600, 7200, 14_400, 43_200]),
        };
        let description = self.description(i);
        let role_id = iam_id(&mut self.rng, "AROA", &mut self.ids);
        let instance_profile_list = if kind == RoleKind::Ec2 && self.rng.chance(0.95) {
            let name = if self.rng.chance(0.8) {
                stub.name.clone()
            } else {
                format!("{}-profile", stub.name)
            };
            vec![InstanceProfile {
                path: "/".into(),
                arn: self.ctx.iam_arn(&format!("instance-profile/{name}")),
                instance_profile_name: name,
                instance_profile_id: iam_id(&mut self.rng, "AIPA", &mut self.ids),
                create_date: iso(created + 2),
                roles: vec![ProfileRole {
                    path: stub.path.clone(),
                    role_name: stub.name.clone(),
                    role_id: role_id.clone(),
                    arn: stub.arn.clone(),
                    create_date: iso(created),
                    assume_role_policy_document: trust.clone(),
                    description: description.clone(),
                    max_session_duration,
                    permissions_boundary: boundary.clone(),
                    tags: tags.clone(),
                    role_last_used: last_used.clone(),
                }],
            }]
        } else {
            Vec::new()
        };
        RoleDetail {
            path: stub.path.clone(),
            role_name: stub.name.clone(),
            role_id,
            arn: stub.arn.clone(),
            create_date: iso(created),
            assume_role_policy_document: trust,
            instance_profile_list,
            role_policy_list: inline,
            attached_managed_policies: attached,
            permissions_boundary: boundary,
            tags,
            role_last_used: last_used,
            max_session_duration,
            description,
        }
    }

    fn description(&mut self, i: usize) -> Option<String> {
        let ctx = self.ctx;
        let stub = &ctx.roles[i];
        if !self.rng.chance(0.6) {
            return None;
        }
        let (t, a) = (TEAMS[stub.team], APPS[stub.app]);
        Some(match stub.kind {
            RoleKind::Ec2 => "Allows EC2 instances to call AWS services on your behalf.".into(),
            RoleKind::Lambda => format!("Execution role for the {t} {a} Lambda functions"),
            RoleKind::Ecs => format!("Task role for {t}-{a}"),
            RoleKind::Sso => "".into(),
            RoleKind::CrossAccount => "Read-only access for a third-party monitoring vendor".into(),
            RoleKind::GithubOidc => format!("Deploys {t}-{a} from GitHub Actions"),
            _ => format!("Managed by the {t} team"),
        })
        .filter(|d| !d.is_empty())
    }

    fn policy(&mut self, i: usize) -> ManagedPolicyDetail {
        let ctx = self.ctx;
        let stub = &ctx.policies[i];
        let created = self.date();
        let (versions, first_version, default_idx, description): (
            Vec<Vec<Statement>>,
            usize,
            usize,
            Option<String>,
        ) = match stub.kind {
            PolicyKind::Aws(c) => {
                let v = CATALOGUE[c].default_version as usize;
                (
                    vec![aws_managed::statements(c)],
                    v,
                    0,
                    Some(CATALOGUE[c].description.to_string()),
                )
            }
            PolicyKind::Boundary | PolicyKind::Customer => {
                let latest = if stub.kind == PolicyKind::Boundary {
                    boundary_statements(&mut self.rng, &stub.arn)
                } else {
                    statements(
                        &mut self.rng,
                        self.ctx,
                        stub.team.unwrap_or(0),
                        Audience::Any,
                        1,
                        5,
                    )
                };
                let n = if self.rng.chance(0.6) {
                    1
                } else {
                    self.rng.range(2, 5)
                };
                let first = if n == 1 { 1 } else { 1 + self.rng.below(6) };
                // Oldest first: each older version lacks one more trailing statement.
                let mut versions: Vec<Vec<Statement>> = (0..n)
                    .map(|k| {
                        let keep = latest.len().saturating_sub(n - 1 - k).max(1);
                        latest[..keep].to_vec()
                    })
                    .collect();
                if n > 1 && self.rng.chance(0.3) {
                    versions[0][0].effect = "Allow";
                    versions[0][0].action = Some(json!("*"));
                    versions[0][0].not_action = None;
                }
                let default = if self.rng.chance(0.8) {
                    n - 1
                } else {
                    self.rng.below(n)
                };
                let description = self
                    .rng
                    .chance(0.3)
                    .then(|| format!("Managed by the {} team", TEAMS[stub.team.unwrap_or(0)]));
                (versions, first, default, description)
            }
        };
        let n = versions.len();
        let mut dates: Vec<i64> = (0..n)
            .map(|_| instant(&mut self.rng, created, EPOCH_2025_06))
            .collect();
        dates.sort_unstable();
        dates[0] = created;
        let mut list: Vec<PolicyVersion> = versions
            .into_iter()
            .enumerate()
            .map(|(k, stmts)| PolicyVersion {
                document: self.doc(stmts),
                version_id: format!("v{}", first_version + k),
                is_default_version: k == default_idx,
                create_date: iso(dates[k]),
            })
            .collect();
        list.reverse();
        let policy_id = iam_id(&mut self.rng, "ANPA", &mut self.ids);
        ManagedPolicyDetail {
            policy_name: stub.name.clone(),
            policy_id,
            arn: stub.arn.clone(),
            path: stub.path.clone(),
            default_version_id: format!("v{}", first_version + default_idx),
            attachment_count: self.attach_count[i],
            permissions_boundary_usage_count: self.boundary_count[i],
            is_attachable: true,
            description,
            create_date: iso(created),
            update_date: iso(dates[n - 1]),
            policy_version_list: list,
        }
    }
}

fn tag(key: &str, value: &str) -> Tag {
    Tag {
        key: key.to_string(),
        value: value.to_string(),
    }
}

/// A permissions boundary: broad service access, no IAM escalation, cannot be removed.
fn boundary_statements(rng: &mut Rng, own_arn: &str) -> Vec<Statement> {
    let mut allowed = vec![
        "s3:*",
        "dynamodb:*",
        "sqs:*",
        "sns:*",
        "logs:*",
        "cloudwatch:*",
        "lambda:*",
        "ec2:Describe*",
        "ssm:Get*",
        "secretsmanager:GetSecretValue",
        "kms:Decrypt",
        "ecr:*",
    ];
    if rng.chance(0.5) {
        allowed.push("sts:AssumeRole");
    }
    if rng.chance(0.3) {
        allowed.push("iam:PassRole");
    }
    let star = vec!["*".to_string()];
    vec![
        Statement::allow(&allowed, &star).sid("AllowedServices"),
        Statement::deny(
            &[
                "iam:CreateUser",
                "iam:CreateRole",
                "iam:PutUserPermissionsBoundary",
                "iam:PutRolePermissionsBoundary",
            ],
            &star,
        )
        .when("StringNotEquals", "iam:PermissionsBoundary", json!(own_arn))
        .sid("RequireThisBoundary"),
        Statement::deny(
            &[
                "iam:DeleteUserPermissionsBoundary",
                "iam:DeleteRolePermissionsBoundary",
            ],
            &star,
        )
        .sid("KeepBoundary"),
        Statement::deny(
            &[
                "iam:CreatePolicyVersion",
                "iam:DeletePolicy",
                "iam:DeletePolicyVersion",
                "iam:SetDefaultPolicyVersion",
            ],
            &[own_arn.to_string()],
        )
        .sid("ProtectBoundary"),
    ]
}
