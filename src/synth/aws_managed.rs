//! A small catalogue of AWS managed policies with abridged but faithful documents.

use serde_json::json;

use super::doc::{strs, Statement};

/// One AWS managed policy.
pub(crate) struct AwsPolicy {
    pub name: &'static str,
    pub path: &'static str,
    pub default_version: u32,
    pub description: &'static str,
}

/// The catalogue, most commonly attached first.
pub(crate) const CATALOGUE: &[AwsPolicy] = &[
    AwsPolicy { name: "AdministratorAccess", path: "/", default_version: 1, description: "Provides full access to AWS services and resources." },
    AwsPolicy { name: "ReadOnlyAccess", path: "/", default_version: 118, description: "Provides read-only access to AWS services and resources." },
    AwsPolicy { name: "AWSLambdaBasicExecutionRole", path: "/service-role/", default_version: 1, description: "Provides write permissions to CloudWatch Logs." },
    AwsPolicy { name: "AmazonECSTaskExecutionRolePolicy", path: "/service-role/", default_version: 1, description: "Provides access to other AWS service resources that are required to run Amazon ECS tasks" },
    AwsPolicy { name: "AmazonSSMManagedInstanceCore", path: "/", default_version: 2, description: "The policy for Amazon EC2 Role to enable AWS Systems Manager service core functionality." },
    AwsPolicy { name: "PowerUserAccess", path: "/", default_version: 5, description: "Provides full access to AWS services and resources, but does not allow management of Users and groups." },
    AwsPolicy { name: "AmazonS3ReadOnlyAccess", path: "/", default_version: 3, description: "Provides read only access to all buckets via the AWS Management Console." },
    AwsPolicy { name: "AmazonS3FullAccess", path: "/", default_version: 2, description: "Provides full access to all buckets via the AWS Management Console." },
    AwsPolicy { name: "IAMFullAccess", path: "/", default_version: 2, description: "Provides full access to IAM via the AWS Management Console." },
    AwsPolicy { name: "SecurityAudit", path: "/", default_version: 40, description: "The security audit template grants access to read security configuration metadata." },
    AwsPolicy { name: "AWSGlueServiceRole", path: "/service-role/", default_version: 5, description: "Policy for AWS Glue service role which allows access to related services including EC2, S3, and Cloudwatch Logs" },
    AwsPolicy { name: "AWSLambda_FullAccess", path: "/", default_version: 9, description: "Grants full access to AWS Lambda service, AWS Lambda console features, and other related AWS services." },
    AwsPolicy { name: "AmazonDynamoDBFullAccess", path: "/", default_version: 16, description: "Provides full access to Amazon DynamoDB via the AWS Management Console." },
    AwsPolicy { name: "CloudWatchAgentServerPolicy", path: "/", default_version: 2, description: "Permissions required to use AmazonCloudWatchAgent on servers" },
    AwsPolicy { name: "AmazonEC2ContainerRegistryReadOnly", path: "/", default_version: 3, description: "Provides read-only access to Amazon EC2 Container Registry repositories." },
    AwsPolicy { name: "ViewOnlyAccess", path: "/job-function/", default_version: 19, description: "This policy grants permissions to view resources and basic metadata across all AWS services." },
    AwsPolicy { name: "AWSCodeBuildDeveloperAccess", path: "/", default_version: 12, description: "Provides access to AWS CodeBuild via the AWS Management Console, but does not allow CodeBuild project administration." },
    AwsPolicy { name: "AmazonEC2FullAccess", path: "/", default_version: 5, description: "Provides full access to Amazon EC2 via the AWS Management Console." },
];

/// The statements of catalogue entry `i`.
pub(crate) fn statements(i: usize) -> Vec<Statement> {
    let star = || vec!["*".to_string()];
    match CATALOGUE[i].name {
        "AdministratorAccess" => vec![Statement::allow(&["*"], &star())],
        "ReadOnlyAccess" | "ViewOnlyAccess" | "SecurityAudit" => vec![Statement::allow(
            &[
                "acm:Describe*", "acm:List*", "cloudtrail:Describe*", "cloudtrail:Get*",
                "cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*", "dynamodb:Describe*",
                "dynamodb:List*", "ec2:Describe*", "ecr:Describe*", "ecs:Describe*", "ecs:List*",
                "iam:Get*", "iam:List*", "iam:GenerateCredentialReport", "kms:Describe*", "kms:List*",
                "lambda:Get*", "lambda:List*", "logs:Describe*", "rds:Describe*", "s3:GetBucket*",
                "s3:List*", "sns:Get*", "sns:List*", "sqs:Get*", "sqs:List*",
            ],
            &star(),
        )],
        "AWSLambdaBasicExecutionRole" => vec![Statement::allow(
            &["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            &star(),
        )],
        "AmazonECSTaskExecutionRolePolicy" => vec![Statement::allow(
            &[
                "ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability",
                "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "logs:CreateLogStream",
                "logs:PutLogEvents",
            ],
            &star(),
        )],
        "AmazonSSMManagedInstanceCore" => vec![
            Statement::allow(
                &[
                    "ssm:DescribeAssociation", "ssm:GetDeployablePatchSnapshotForInstance",
                    "ssm:GetDocument", "ssm:DescribeDocument", "ssm:GetManifest", "ssm:GetParameter",
                    "ssm:GetParameters", "ssm:ListAssociations", "ssm:ListInstanceAssociations",
                    "ssm:PutInventory", "ssm:PutComplianceItems", "ssm:PutConfigurePackageResult",
                    "ssm:UpdateAssociationStatus", "ssm:UpdateInstanceAssociationStatus",
                    "ssm:UpdateInstanceInformation",
                ],
                &star(),
            ),
            Statement::allow(
                &["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
                &star(),
            ),
            Statement::allow(&["ec2messages:*"], &star()),
        ],
        "PowerUserAccess" => vec![
            Statement {
                effect: "Allow",
                not_action: Some(json!(["iam:*", "organizations:*", "account:*"])),
                resource: Some(json!("*")),
                ..Statement::default()
            },
            Statement::allow(
                &[
                    "account:GetAccountInformation", "account:GetPrimaryEmail", "account:ListRegions",
                    "iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole", "iam:ListRoles",
                    "organizations:DescribeOrganization",
                ],
                &star(),
            ),
        ],
        "AmazonS3ReadOnlyAccess" => vec![Statement::allow(
            &["s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*", "s3-object-lambda:List*"],
            &star(),
        )],
        "AmazonS3FullAccess" => vec![Statement::allow(&["s3:*", "s3-object-lambda:*"], &star())],
        "IAMFullAccess" => vec![Statement::allow(
            &["iam:*", "organizations:DescribeAccount", "organizations:DescribeOrganization", "organizations:ListAccounts"],
            &star(),
        )],
        "AWSGlueServiceRole" => vec![
            Statement::allow(
                &["glue:*", "s3:GetBucketLocation", "s3:ListBucket", "s3:ListAllMyBuckets", "ec2:Describe*", "cloudwatch:PutMetricData", "iam:ListRolePolicies", "iam:GetRole", "iam:GetRolePolicy"],
                &star(),
            ),
            Statement::allow(
                &["s3:GetObject", "s3:PutObject"],
                &["arn:aws:s3:::aws-glue-*/*".into(), "arn:aws:s3:::*/*aws-glue-*/*".into()],
            ),
            Statement::allow(
                &["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                &["arn:aws:logs:*:*:*:/aws-glue/*".into()],
            ),
        ],
        "AWSLambda_FullAccess" => vec![
            Statement::allow(
                &["cloudformation:DescribeStacks", "cloudwatch:ListMetrics", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "iam:GetRole", "iam:ListRoles", "lambda:*", "logs:DescribeLogGroups", "states:DescribeStateMachine"],
                &star(),
            ),
            Statement::allow(&["iam:PassRole"], &star())
                .when("StringEquals", "iam:PassedToService", json!("lambda.amazonaws.com")),
        ],
        "AmazonDynamoDBFullAccess" => vec![Statement::allow(
            &["dynamodb:*", "dax:*", "application-autoscaling:*", "cloudwatch:*", "kms:DescribeKey", "kms:ListAliases", "sns:*"],
            &star(),
        )],
        "CloudWatchAgentServerPolicy" => vec![
            Statement::allow(
                &["cloudwatch:PutMetricData", "ec2:DescribeVolumes", "ec2:DescribeTags", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:DescribeLogGroups", "logs:CreateLogStream", "logs:CreateLogGroup"],
                &star(),
            ),
            Statement::allow(&["ssm:GetParameter"], &["arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*".into()]),
        ],
        "AmazonEC2ContainerRegistryReadOnly" => vec![Statement::allow(
            &["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:GetRepositoryPolicy", "ecr:DescribeRepositories", "ecr:ListImages", "ecr:DescribeImages", "ecr:BatchGetImage"],
            &star(),
        )],
        "AWSCodeBuildDeveloperAccess" => vec![Statement::allow(
            &["codebuild:StartBuild", "codebuild:StopBuild", "codebuild:BatchGet*", "codebuild:Get*", "codebuild:List*", "codecommit:GetBranch", "logs:GetLogEvents"],
            &star(),
        )],
        _ /* AmazonEC2FullAccess */ => vec![
            Statement::allow(&["ec2:*", "elasticloadbalancing:*", "cloudwatch:*", "autoscaling:*"], &star()),
            Statement {
                effect: "Allow",
                action: Some(strs(&["iam:CreateServiceLinkedRole"])),
                resource: Some(json!("*")),
                ..Statement::default()
            }
            .when(
                "StringEquals",
                "iam:AWSServiceName",
                json!(["autoscaling.amazonaws.com", "ec2scheduled.amazonaws.com", "elasticloadbalancing.amazonaws.com"]),
            ),
        ],
    }
}

/// The ARN of catalogue entry `i`.
pub(crate) fn arn(i: usize) -> String {
    let p = &CATALOGUE[i];
    format!("arn:aws:iam::aws:policy{}{}", p.path, p.name)
}
