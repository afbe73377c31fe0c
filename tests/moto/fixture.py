"""Builds the organization that tests/collector_moto.rs exports with
scripts/collect-account.sh, in a moto server (the endpoint is argv[1]).

Management account (moto's default, 123456789012): an organization with two member
accounts, `dev` and `prod`, and an SCP on `dev` that denies iam:CreateUser. In `dev`
(reached by assuming OrganizationAccountAccessRole, as the collector's --org mode does):
users, groups, roles with trust policies, an OIDC provider, a bucket, key, queues (one
name in two regions), topic and function with resource policies, and one workload of
each kind. `prod` holds one user. Prints the account ids as JSON on stdout.
"""

import io
import json
import sys
import zipfile

import boto3

ENDPOINT = sys.argv[1]
REGION = "us-east-1"
OTHER_REGION = "eu-west-1"


def client(service, creds=None, region=REGION):
    creds = creds or {
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }
    return boto3.client(service, region_name=region, endpoint_url=ENDPOINT, **creds)


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def assume(account_id):
    c = client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole",
        RoleSessionName="fixture",
    )["Credentials"]
    return {
        "aws_access_key_id": c["AccessKeyId"],
        "aws_secret_access_key": c["SecretAccessKey"],
        "aws_session_token": c["SessionToken"],
    }


# --- the organization -----------------------------------------------------------
org = client("organizations")
org.create_organization(FeatureSet="ALL")
root = org.list_roots()["Roots"][0]["Id"]
dev = org.create_account(Email="dev@example.com", AccountName="dev")["CreateAccountStatus"]["AccountId"]
prod = org.create_account(Email="prod@example.com", AccountName="prod")["CreateAccountStatus"]["AccountId"]
ou = org.create_organizational_unit(ParentId=root, Name="workloads")["OrganizationalUnit"]["Id"]
org.move_account(AccountId=dev, SourceParentId=root, DestinationParentId=ou)
scp = org.create_policy(
    Name="DenyCreateUser",
    Description="no IAM users in dev",
    Type="SERVICE_CONTROL_POLICY",
    Content=doc({"Sid": "NoUsers", "Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"}),
)["Policy"]["PolicySummary"]["Id"]
org.attach_policy(PolicyId=scp, TargetId=dev)
# AWS attaches FullAWSAccess to every new OU and account; moto only to the root.
for target in (ou, dev, prod):
    org.attach_policy(PolicyId="p-FullAWSAccess", TargetId=target)

# --- the dev account --------------------------------------------------------------
creds = assume(dev)
iam = client("iam", creds)
A = f"arn:aws:iam::{dev}"

iam.create_group(GroupName="developers")
iam.put_group_policy(
    GroupName="developers",
    PolicyName="ReadData",
    PolicyDocument=doc(
        {"Sid": "ReadData", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-dev-data/*"},
        {"Sid": "Deploy", "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": f"{A}:role/deployer"},
    ),
)
iam.create_group(GroupName="auditors")
iam.create_user(UserName="alice")
iam.add_user_to_group(GroupName="developers", UserName="alice")
iam.create_user(UserName="bob")
admin = iam.create_policy(
    PolicyName="Administrator",
    PolicyDocument=doc({"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"}),
)["Policy"]["Arn"]
iam.attach_user_policy(UserName="bob", PolicyArn=admin)
iam.create_user(UserName="carol")
iam.add_user_to_group(GroupName="auditors", UserName="carol")

iam.create_role(
    RoleName="deployer",
    AssumeRolePolicyDocument=doc(
        {"Effect": "Allow", "Principal": {"AWS": f"{A}:user/alice"}, "Action": "sts:AssumeRole"}
    ),
)
iam.put_role_policy(
    RoleName="deployer",
    PolicyName="DeployFunctions",
    PolicyDocument=doc(
        {"Effect": "Allow", "Action": "lambda:UpdateFunctionCode", "Resource": f"arn:aws:lambda:{REGION}:{dev}:function:thumbnailer"}
    ),
)
iam.create_role(
    RoleName="thumbnailer-lambda",
    Path="/service-role/",
    AssumeRolePolicyDocument=doc(
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ),
)
iam.put_role_policy(
    RoleName="thumbnailer-lambda",
    PolicyName="WriteThumbnails",
    PolicyDocument=doc({"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::acme-dev-data/thumbs/*"}),
)
# A second Lambda role no function runs as: its takeover stays conditional.
iam.create_role(
    RoleName="idle-lambda",
    AssumeRolePolicyDocument=doc(
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ),
)
iam.create_role(
    RoleName="web-ec2",
    AssumeRolePolicyDocument=doc(
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ),
)
iam.create_instance_profile(InstanceProfileName="web-profile")
iam.add_role_to_instance_profile(InstanceProfileName="web-profile", RoleName="web-ec2")
iam.create_role(
    RoleName="builder",
    AssumeRolePolicyDocument=doc(
        {
            "Effect": "Allow",
            "Principal": {"Service": ["codebuild.amazonaws.com", "cloudformation.amazonaws.com", "ecs-tasks.amazonaws.com", "glue.amazonaws.com", "sagemaker.amazonaws.com"]},
            "Action": "sts:AssumeRole",
        }
    ),
)
oidc = iam.create_open_id_connect_provider(
    Url="https://token.actions.githubusercontent.com",
    ClientIDList=["sts.amazonaws.com"],
    ThumbprintList=["6938fd4d98bab03faadb97b34396831e3780aea1"],
)["OpenIDConnectProviderArn"]
iam.create_role(
    RoleName="github-deploy",
    AssumeRolePolicyDocument=doc(
        {
            "Effect": "Allow",
            "Principal": {"Federated": oidc},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/app:*"}},
        }
    ),
)
iam.create_role(
    RoleName="prod-auditor",
    AssumeRolePolicyDocument=doc(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{prod}:root"}, "Action": "sts:AssumeRole"}
    ),
)

# Resource policies.
s3 = client("s3", creds)
s3.create_bucket(Bucket="acme-dev-data")
s3.put_bucket_policy(
    Bucket="acme-dev-data",
    Policy=doc(
        {
            "Sid": "ProdReads",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{prod}:root"},
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::acme-dev-data/shared/*",
        }
    ),
)
kms = client("kms", creds)
kms.create_key(
    Description="dev data key",
    Policy=doc(
        {"Sid": "Account", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{dev}:root"}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "ProdDecrypt", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{prod}:root"}, "Action": "kms:Decrypt", "Resource": "*"},
    ),
)
for region, sender in [(REGION, f"arn:aws:iam::{dev}:root"), (OTHER_REGION, f"arn:aws:iam::{prod}:root")]:
    sqs = client("sqs", creds, region)
    url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
    arn = f"arn:aws:sqs:{region}:{dev}:jobs"
    sqs.set_queue_attributes(
        QueueUrl=url,
        Attributes={"Policy": doc({"Sid": "Send", "Effect": "Allow", "Principal": {"AWS": sender}, "Action": "sqs:SendMessage", "Resource": arn})},
    )
sns = client("sns", creds)
topic = sns.create_topic(Name="alerts")["TopicArn"]
sns.set_topic_attributes(
    TopicArn=topic,
    AttributeName="Policy",
    AttributeValue=doc({"Sid": "ProdPublish", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{prod}:root"}, "Action": "sns:Publish", "Resource": topic}),
)

# Workloads.
code = io.BytesIO()
with zipfile.ZipFile(code, "w") as z:
    z.writestr("index.py", "def handler(event, context):\n    return 'ok'\n")
lam = client("lambda", creds)
lam.create_function(
    FunctionName="thumbnailer",
    Runtime="python3.12",
    Role=f"{A}:role/service-role/thumbnailer-lambda",
    Handler="index.handler",
    Code={"ZipFile": code.getvalue()},
)
lam.add_permission(
    FunctionName="thumbnailer",
    StatementId="S3Invoke",
    Action="lambda:InvokeFunction",
    Principal="s3.amazonaws.com",
    SourceArn="arn:aws:s3:::acme-dev-data",
)
ec2 = client("ec2", creds)
ec2.run_instances(
    ImageId="ami-12c6146b",
    MinCount=1,
    MaxCount=1,
    InstanceType="t3.micro",
    IamInstanceProfile={"Name": "web-profile"},
)
ecs = client("ecs", creds)
ecs.create_cluster(clusterName="apps")
td = ecs.register_task_definition(
    family="api",
    taskRoleArn=f"{A}:role/builder",
    containerDefinitions=[{"name": "api", "image": "nginx", "memory": 128}],
)["taskDefinition"]["taskDefinitionArn"]
ecs.create_service(cluster="apps", serviceName="api", taskDefinition=td, desiredCount=0)
cfn = client("cloudformation", creds)
cfn.create_stack(
    StackName="network",
    TemplateBody=json.dumps(
        {"Resources": {"Wait": {"Type": "AWS::CloudFormation::WaitConditionHandle"}}}
    ),
    RoleARN=f"{A}:role/builder",
)
cb = client("codebuild", creds)
cb.create_project(
    name="site-build",
    source={"type": "S3", "location": "acme-dev-data/src.zip"},
    artifacts={"type": "NO_ARTIFACTS"},
    environment={"type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0", "computeType": "BUILD_GENERAL1_SMALL"},
    serviceRole=f"{A}:role/builder",
)
client("glue", creds).create_dev_endpoint(EndpointName="etl-dev", RoleArn=f"{A}:role/builder")
sm = client("sagemaker", creds)
sm.create_notebook_instance(
    NotebookInstanceName="research",
    InstanceType="ml.t3.medium",
    RoleArn=f"{A}:role/builder",
)

# The management account's own administrator.
client("iam").create_user(UserName="org-admin")

# --- the prod account -------------------------------------------------------------
client("iam", assume(prod)).create_user(UserName="prod-operator")

print(json.dumps({"management": "123456789012", "dev": dev, "prod": prod, "root": root, "ou": ou, "scp": scp}))
