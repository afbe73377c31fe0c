//! Identity policy statements: everyday access, guard-rail denies, and a few
//! privilege-escalation paths so access graphs have edges.

use serde_json::json;

use super::ctx::Ctx;
use super::doc::Statement;
use super::names::{APPS, ENVS, REGIONS, TEAMS};
use super::rng::Rng;

/// Who a policy is written for; `${aws:username}` only makes sense for users.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audience {
    User,
    Role,
    Any,
}

/// Template names with relative weights; the index selects the builder in [`build`].
const TEMPLATES: &[(&str, u32)] = &[
    ("S3Read", 14),
    ("S3Write", 8),
    ("S3HomeDir", 3),
    ("DynamoTables", 8),
    ("Queues", 6),
    ("Logs", 8),
    ("KmsViaS3", 4),
    ("Ec2Describe", 6),
    ("Ec2ByTag", 3),
    ("Secrets", 6),
    ("Parameters", 6),
    ("SelfManage", 3),
    ("DenyWithoutMfa", 3),
    ("DenyOtherRegions", 3),
    ("DenyDestructive", 3),
    ("Admin", 1),
    ("IamAll", 1),
    ("PassRole", 5),
    ("AssumeRoles", 6),
    ("PolicyVersions", 2),
    ("AttachRolePolicy", 2),
    ("OfficeIpOnly", 3),
    ("OnlyOwnBucket", 2),
    ("InvokeLambda", 5),
    ("EcrPull", 4),
    ("CloudWatchRead", 5),
    ("CreateAccessKeys", 1),
];

/// Between `min` and `max` statements for a policy owned by `team`.
pub(crate) fn statements(
    rng: &mut Rng,
    ctx: &Ctx,
    team: usize,
    audience: Audience,
    min: usize,
    max: usize,
) -> Vec<Statement> {
    let weights: Vec<u32> = TEMPLATES
        .iter()
        .map(|(name, w)| {
            let user_only = matches!(*name, "S3HomeDir" | "SelfManage" | "DenyWithoutMfa");
            if user_only && audience == Audience::Role {
                0
            } else {
                *w
            }
        })
        .collect();
    let n = rng.range(min, max);
    let mut used = Vec::new();
    let mut out = Vec::new();
    while used.len() < n {
        let t = rng.weighted(&weights);
        if used.contains(&t) {
            continue;
        }
        used.push(t);
        let with_sid = rng.chance(0.6);
        for (k, mut s) in build(rng, ctx, team, t).into_iter().enumerate() {
            if with_sid && s.sid.is_none() {
                let suffix = if k == 0 { String::new() } else { k.to_string() };
                s.sid = Some(format!("{}{suffix}", TEMPLATES[t].0));
            }
            out.push(s);
        }
    }
    out
}

fn build(rng: &mut Rng, ctx: &Ctx, team_idx: usize, t: usize) -> Vec<Statement> {
    let a = ctx.account.as_str();
    let team = TEAMS[team_idx];
    let app = *rng.pick(APPS);
    let env = *rng.pick(ENVS);
    let region = *rng.pick(REGIONS);
    let bucket = format!("{}-{team}-{app}-{env}", ctx.company);
    let bucket_arn = format!("arn:aws:s3:::{bucket}");
    match TEMPLATES[t].0 {
        "S3Read" => {
            let actions: &[&str] = if rng.chance(0.5) {
                &["s3:Get*", "s3:List*"]
            } else {
                &["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"]
            };
            vec![Statement::allow(actions, &[bucket_arn.clone(), format!("{bucket_arn}/*")])]
        }
        "S3Write" => vec![Statement::allow(
            &["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
            &[format!("{bucket_arn}/{app}/*")],
        )],
        "S3HomeDir" => {
            let home = format!("arn:aws:s3:::{}-home", ctx.company);
            vec![
                Statement::allow(&["s3:ListBucket"], std::slice::from_ref(&home)).when(
                    "StringLike",
                    "s3:prefix",
                    json!(["", "home/", "home/${aws:username}/*"]),
                ),
                Statement::allow(&["s3:*Object*"], &[format!("{home}/home/${{aws:username}}/*")]),
            ]
        }
        "DynamoTables" => vec![Statement::allow(
            &[
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:DeleteItem",
                "dynamodb:Query",
                "dynamodb:Scan",
                "dynamodb:BatchGetItem",
                "dynamodb:BatchWriteItem",
            ],
            &[
                format!("arn:aws:dynamodb:{region}:{a}:table/{team}-*"),
                format!("arn:aws:dynamodb:{region}:{a}:table/{team}-*/index/*"),
            ],
        )],
        "Queues" => vec![
            Statement::allow(
                &["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
                &[format!("arn:aws:sqs:{region}:{a}:{team}-{app}-*")],
            ),
            Statement::allow(&["sns:Publish"], &[format!("arn:aws:sns:{region}:{a}:{team}-*")]),
        ],
        "Logs" => vec![Statement::allow(
            &["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            &[format!("arn:aws:logs:*:{a}:log-group:/aws/lambda/{team}-*:*")],
        )],
        "KmsViaS3" => {
            let key = format!(
                "{}-{}-{}-{}-{}",
                rng.chars(b"0123456789abcdef", 8),
                rng.chars(b"0123456789abcdef", 4),
                rng.chars(b"0123456789abcdef", 4),
                rng.chars(b"0123456789abcdef", 4),
                rng.chars(b"0123456789abcdef", 12)
            );
            vec![Statement::allow(
                &["kms:Decrypt", "kms:GenerateDataKey*"],
                &[format!("arn:aws:kms:{region}:{a}:key/{key}")],
            )
            .when("StringEquals", "kms:ViaService", json!(format!("s3.{region}.amazonaws.com")))]
        }
        "Ec2Describe" => vec![Statement::allow(&["ec2:Describe*"], &["*".into()])],
        "Ec2ByTag" => vec![Statement::allow(
            &["ec2:StartInstances", "ec2:StopInstances", "ec2:RebootInstances"],
            &[format!("arn:aws:ec2:*:{a}:instance/*")],
        )
        .when("StringEquals", "aws:ResourceTag/team", json!("${aws:PrincipalTag/team}"))],
        "Secrets" => vec![Statement::allow(
            &["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            &[format!("arn:aws:secretsmanager:{region}:{a}:secret:{team}/{env}/*")],
        )],
        "Parameters" => vec![Statement::allow(
            &["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
            &[format!("arn:aws:ssm:{region}:{a}:parameter/{team}/{app}/*")],
        )],
        "SelfManage" => vec![Statement::allow(
            &[
                "iam:ChangePassword",
                "iam:GetUser",
                "iam:CreateAccessKey",
                "iam:DeleteAccessKey",
                "iam:ListAccessKeys",
                "iam:UpdateAccessKey",
                "iam:*MFADevice",
            ],
            &[
                format!("arn:aws:iam::{a}:user/${{aws:username}}"),
                format!("arn:aws:iam::{a}:mfa/${{aws:username}}"),
            ],
        )],
        "DenyWithoutMfa" => vec![Statement {
            effect: "Deny",
            not_action: Some(json!([
                "iam:CreateVirtualMFADevice",
                "iam:EnableMFADevice",
                "iam:GetUser",
                "iam:ListMFADevices",
                "iam:ListVirtualMFADevices",
                "iam:ResyncMFADevice",
                "sts:GetSessionToken"
            ])),
            resource: Some(json!("*")),
            ..Statement::default()
        }
        .when("BoolIfExists", "aws:MultiFactorAuthPresent", json!("false"))],
        "DenyOtherRegions" => vec![Statement {
            effect: "Deny",
            not_action: Some(json!([
                "iam:*",
                "organizations:*",
                "sts:*",
                "support:*",
                "cloudfront:*",
                "route53:*"
            ])),
            resource: Some(json!("*")),
            ..Statement::default()
        }
        .when("StringNotEquals", "aws:RequestedRegion", json!(["us-east-1", region]))],
        "DenyDestructive" => vec![Statement::deny(
            &["s3:DeleteBucket", "s3:PutBucketPolicy", "dynamodb:DeleteTable", "kms:ScheduleKeyDeletion"],
            &["*".into()],
        )],
        "Admin" => vec![Statement::allow(&["*"], &["*".into()])],
        "IamAll" => {
            if rng.chance(0.5) {
                vec![Statement::allow(&["iam:*"], &["*".into()])]
            } else {
                vec![Statement {
                    effect: "Allow",
                    action: Some(json!("iam:*")),
                    not_resource: Some(json!([
                        format!("arn:aws:iam::{a}:role/admin-*"),
                        format!("arn:aws:iam::{a}:user/breakglass-*")
                    ])),
                    ..Statement::default()
                }]
            }
        }
        "PassRole" => {
            let roles = pick_roles(rng, ctx, &ctx.service_roles, team);
            let mut s = Statement::allow(&["iam:PassRole"], &roles);
            if rng.chance(0.5) {
                let svc = *rng.pick(&["lambda.amazonaws.com", "ec2.amazonaws.com", "ecs-tasks.amazonaws.com", "glue.amazonaws.com"]);
                s = s.when("StringEquals", "iam:PassedToService", json!(svc));
            }
            vec![
                s,
                Statement::allow(
                    &["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration", "ec2:RunInstances"],
                    &["*".into()],
                ),
            ]
        }
        "AssumeRoles" => {
            let mut roles = pick_roles(rng, ctx, &ctx.assumable_roles, team);
            // In an organization, a third also reach into a sibling account's roles.
            if !ctx.org_accounts.is_empty() && rng.chance(0.33) {
                let other = rng.pick(&ctx.org_accounts);
                roles.push(format!("arn:aws:iam::{other}:role/*"));
            }
            vec![Statement::allow(&["sts:AssumeRole"], &roles)]
        }
        "PolicyVersions" => {
            let n = if ctx.customer_policies.is_empty() { 0 } else { rng.range(1, 3) };
            let mut arns: Vec<String> = (0..n)
                .map(|_| ctx.policies[*rng.pick(&ctx.customer_policies)].arn.clone())
                .collect();
            arns.dedup();
            if arns.is_empty() || rng.chance(0.2) {
                arns = vec![format!("arn:aws:iam::{a}:policy/{team}/*")];
            }
            vec![Statement::allow(&["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"], &arns)]
        }
        "AttachRolePolicy" => vec![Statement::allow(
            &["iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"],
            &[format!("arn:aws:iam::{a}:role/{team}-*")],
        )],
        "OfficeIpOnly" => {
            let s = Statement::deny(&["*"], &["*".into()]).when(
                "NotIpAddress",
                "aws:SourceIp",
                json!(["192.0.2.0/24", "203.0.113.0/24"]),
            );
            let allow = Statement::allow(&["s3:*", "cloudwatch:*"], &["*".into()]).when(
                "IpAddress",
                "aws:SourceIp",
                json!(["192.0.2.0/24", "203.0.113.0/24"]),
            );
            if rng.chance(0.5) {
                vec![allow]
            } else {
                vec![s.when("Bool", "aws:ViaAWSService", json!("false"))]
            }
        }
        "OnlyOwnBucket" => vec![Statement {
            effect: "Deny",
            action: Some(json!("s3:*")),
            not_resource: Some(json!([bucket_arn.clone(), format!("{bucket_arn}/*")])),
            ..Statement::default()
        }],
        "InvokeLambda" => vec![Statement::allow(
            &["lambda:InvokeFunction", "lambda:GetFunction"],
            &[format!("arn:aws:lambda:{region}:{a}:function:{team}-*")],
        )],
        "EcrPull" => vec![
            Statement::allow(&["ecr:GetAuthorizationToken"], &["*".into()]),
            Statement::allow(
                &["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
                &[format!("arn:aws:ecr:{region}:{a}:repository/{team}/*")],
            ),
        ],
        "CloudWatchRead" => vec![Statement::allow(
            &["cloudwatch:Get*", "cloudwatch:List*", "cloudwatch:Describe*", "logs:FilterLogEvents"],
            &["*".into()],
        )],
        _ /* CreateAccessKeys */ => vec![Statement::allow(
            &["iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"],
            &[format!("arn:aws:iam::{a}:user/*")],
        )],
    }
}

/// 1–3 specific role ARNs from `pool` (favouring the team), or a team wildcard.
fn pick_roles(rng: &mut Rng, ctx: &Ctx, pool: &[usize], team: &str) -> Vec<String> {
    if pool.is_empty() || rng.chance(0.25) {
        return vec![ctx.iam_arn(&format!("role/{team}-*"))];
    }
    let n = rng.range(1, 3);
    let mut out: Vec<String> = Vec::new();
    for _ in 0..n {
        let arn = &ctx.roles[*rng.pick(pool)].arn;
        if !out.contains(arn) {
            out.push(arn.clone());
        }
    }
    out
}
