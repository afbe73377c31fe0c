#!/usr/bin/env bash
# Exports AWS IAM into an iamscope bundle folder, using only read-only AWS CLI calls
# (get-*, list-*, describe-*, batch-get-*, plus sts assume-role in --org mode and the
# credential report's generation). iamscope itself never talks to AWS; run this where
# you have credentials (e.g. with a SecurityAudit or ReadOnlyAccess role), then copy
# the folder.
#
#   scripts/collect-account.sh OUT_DIR [--no-org] [--region R ...] [--all-regions]
#   scripts/collect-account.sh --org ORG_DIR [--role NAME | --this-account] [--region R ...] [--all-regions]
#
# One account: OUT_DIR becomes an account bundle (see README, "Exporting a real
# account"). Organizations data (SCPs, RCPs) needs credentials in the management account
# or a delegated administrator; without them those parts are skipped and iamscope says so.
#
# --org: ORG_DIR becomes an org bundle:
#   ORG_DIR/organizations/   organization.json, accounts.json, parents/ID.json,
#                            scp/ID.json, rcp/ID.json, policies/P.json
#   ORG_DIR/<account id>/    one account bundle per account reached
# Every account of `aws organizations list-accounts` is collected by assuming
# arn:aws:iam::<id>:role/NAME (--role, default OrganizationAccountAccessRole); the
# caller's own account with the caller's credentials. An account whose role cannot be
# assumed is skipped and named. With --this-account, only the caller's account is
# collected (into ORG_DIR/<its id>/), with the organization data it can read.
#
# Regions: resources and workloads are listed in each --region (default: the CLI's
# configured region); --all-regions lists every enabled region. The bundle's
# workloads/regions.json (aws ec2 describe-regions) records the enabled regions, so
# iamscope knows when an inventory is complete; a region not listed stays unknown.
#
# Regional files (a queue, key or function of one name may exist in two regions):
#   resource-policies/{kms,sqs,sns,lambda}/<region>/<name>.json
#   workloads/lambda/<region>.json          aws lambda list-functions
#   workloads/ec2/<region>.json             aws ec2 describe-instances
#   workloads/ssm/<region>.json             aws ssm describe-instance-information
#   workloads/ecs/<region>/services-<cluster>.json            aws ecs describe-services
#   workloads/ecs/<region>/task-definitions/<family>-<rev>.json  aws ecs describe-task-definition
#   workloads/cloudformation/<region>.json  aws cloudformation describe-stacks
#   workloads/codebuild/<region>.json       aws codebuild batch-get-projects (list-projects when none)
#   workloads/glue/<region>.json            aws glue get-dev-endpoints
#   workloads/sagemaker/<region>/<notebook>.json  aws sagemaker describe-notebook-instance
set -uo pipefail

usage="usage: collect-account.sh OUT_DIR [--no-org] [--region R ...] [--all-regions]
       collect-account.sh --org ORG_DIR [--role NAME | --this-account] [--region R ...] [--all-regions]"
out=
org_mode=0
with_org=1
this_account=0
all_regions=0
role_name=OrganizationAccountAccessRole
regions=()
while [ $# -gt 0 ]; do
    case "$1" in
        --no-org) with_org=0 ;;
        --org) org_mode=1; shift; out=${1:-} ;;
        --role) shift; role_name=${1:?--role needs a role name} ;;
        --this-account) this_account=1 ;;
        --region) shift; regions+=("${1:?--region needs a region}") ;;
        --all-regions) all_regions=1 ;;
        -h|--help) echo "$usage"; exit 0 ;;
        -*) echo "unknown option $1" >&2; echo "$usage" >&2; exit 2 ;;
        *) [ -z "$out" ] || { echo "$usage" >&2; exit 2; }; out=$1 ;;
    esac
    shift
done
[ -n "$out" ] || { echo "$usage" >&2; exit 2; }
command -v aws >/dev/null 2>&1 || { echo "the AWS CLI (aws) is not installed" >&2; exit 2; }
command -v python3 >/dev/null 2>&1 || { echo "python3 is needed to read the CLI's JSON" >&2; exit 2; }
[ ${#regions[@]} -gt 0 ] || regions=("$(aws configure get region 2>/dev/null || echo us-east-1)")
[ -n "${regions[0]}" ] || regions=(us-east-1)

# AWS CLI v1 sends sqs calls to its own endpoint even when AWS_ENDPOINT_URL names
# another (an emulator such as moto); pass it explicitly there.
aws() {
    if [ -n "${AWS_ENDPOINT_URL:-}" ] && [ "${1:-}" = sqs ]; then
        command aws --endpoint-url "$AWS_ENDPOINT_URL" "$@"
    else
        command aws "$@"
    fi
}
try() { # try FILE command...: writes FILE only when the command succeeds
    local file=$1; shift
    mkdir -p "$(dirname "$file")"
    if "$@" >"$file.tmp" 2>/dev/null; then mv "$file.tmp" "$file"; else rm -f "$file.tmp"; echo "skipped $file" >&2; fi
}
# json_values FILE EXPR: the values of a Python expression over the file's JSON `d`, one a line.
json_values() {
    python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
for v in eval(sys.argv[2]) or []:
    print(v)' "$1" "$2"
}

# org_path DIR ACCOUNT: the account's parents up to the root, with the SCPs and RCPs
# attached at each level and their documents, into DIR (an organizations/ folder).
org_path() {
    local dir=$1 child=$2 parent pid ptype kind id f
    while [ -n "$child" ]; do
        [ -f "$dir/parents/$child.json" ] || try "$dir/parents/$child.json" aws organizations list-parents --child-id "$child" --output json
        [ -f "$dir/parents/$child.json" ] || break
        for kind in SERVICE_CONTROL_POLICY:scp RESOURCE_CONTROL_POLICY:rcp; do
            [ -f "$dir/${kind#*:}/$child.json" ] || try "$dir/${kind#*:}/$child.json" aws organizations list-policies-for-target --target-id "$child" --filter "${kind%%:*}" --output json
        done
        parent=$(json_values "$dir/parents/$child.json" '[p["Id"] + " " + p["Type"] for p in d["Parents"][:1]]')
        pid=${parent%% *}; ptype=${parent##* }
        [ -n "$pid" ] || break
        if [ "$ptype" = ROOT ]; then
            for kind in SERVICE_CONTROL_POLICY:scp RESOURCE_CONTROL_POLICY:rcp; do
                [ -f "$dir/${kind#*:}/$pid.json" ] || try "$dir/${kind#*:}/$pid.json" aws organizations list-policies-for-target --target-id "$pid" --filter "${kind%%:*}" --output json
            done
            break
        fi
        child=$pid
    done
    for f in "$dir"/scp/*.json "$dir"/rcp/*.json; do
        [ -f "$f" ] || continue
        for id in $(json_values "$f" '[p["Id"] for p in d["Policies"]]'); do
            [ -f "$dir/policies/$id.json" ] || try "$dir/policies/$id.json" aws organizations describe-policy --policy-id "$id" --output json
        done
    done
}

# collect_workloads REGION: what runs as a role in one region (see the header).
collect_workloads() {
    local region=$1 cluster name arns batch td project_names f
    try "workloads/lambda/$region.json" aws lambda list-functions --region "$region" --output json
    try "workloads/ec2/$region.json" aws ec2 describe-instances --region "$region" --output json
    try "workloads/ssm/$region.json" aws ssm describe-instance-information --region "$region" --output json
    for cluster in $(aws ecs list-clusters --region "$region" --query 'clusterArns[]' --output text 2>/dev/null); do
        name=${cluster##*/}
        f="workloads/ecs/$region/services-$name.json"
        arns=($(aws ecs list-services --region "$region" --cluster "$cluster" --query 'serviceArns[]' --output text 2>/dev/null))
        # describe-services takes ten services a call: one JSON page per call.
        mkdir -p "workloads/ecs/$region"
        : >"$f"
        while [ ${#arns[@]} -gt 0 ]; do
            batch=("${arns[@]:0:10}"); arns=("${arns[@]:10}")
            aws ecs describe-services --region "$region" --cluster "$cluster" --services "${batch[@]}" --output json >>"$f" 2>/dev/null || echo "skipped part of $f" >&2
        done
        [ -s "$f" ] || { rm -f "$f"; continue; }
        for td in $(json_values "$f" '[s["taskDefinition"] for s in d["services"] if s.get("taskDefinition")]' 2>/dev/null | sort -u); do
            name=${td##*/}
            try "workloads/ecs/$region/task-definitions/${name/:/-}.json" aws ecs describe-task-definition --region "$region" --task-definition "$td" --output json
        done
    done
    try "workloads/cloudformation/$region.json" aws cloudformation describe-stacks --region "$region" --output json
    # With no project, list-projects' own output ({"projects": []}) says so in the
    # same shape (one call, not two); else batch-get-projects, 100 names a call, one
    # JSON page per call. A batch that fails leaves the region unknown (no file).
    f="workloads/codebuild/$region.json"
    try "$f" aws codebuild list-projects --region "$region" --output json
    project_names=($( [ -f "$f" ] && json_values "$f" 'd["projects"]'))
    if [ ${#project_names[@]} -gt 0 ]; then
        local ok=1
        : >"$f.tmp"
        while [ ${#project_names[@]} -gt 0 ]; do
            aws codebuild batch-get-projects --region "$region" --names "${project_names[@]:0:100}" --output json >>"$f.tmp" 2>/dev/null || ok=0
            project_names=("${project_names[@]:100}")
        done
        if [ "$ok" = 1 ]; then mv "$f.tmp" "$f"; else rm -f "$f" "$f.tmp"; echo "skipped $f" >&2; fi
    fi
    try "workloads/glue/$region.json" aws glue get-dev-endpoints --region "$region" --output json
    if names=$(aws sagemaker list-notebook-instances --region "$region" --query 'NotebookInstances[].NotebookInstanceName' --output text 2>/dev/null); then
        mkdir -p "workloads/sagemaker/$region"
        for name in $names; do
            try "workloads/sagemaker/$region/$name.json" aws sagemaker describe-notebook-instance --region "$region" --notebook-instance-name "$name" --output json
        done
    fi
}

# collect_account DIR ORG [ACCOUNT]: one account bundle into DIR with the current
# credentials; ORG=1 also writes DIR/organizations/. ACCOUNT, when the caller knows it
# (--org), saves asking STS.
collect_account() {
    local dir=$1 org=$2 account=${3:-} arn state bucket region key url fn name
    mkdir -p "$dir"
    cd "$dir" || return 2
    [ -n "$account" ] || account=$(aws sts get-caller-identity --query Account --output text) || return 2
    echo "account $account" >&2

    aws iam get-account-authorization-details --output json >gaad.json || { echo "get-account-authorization-details failed" >&2; return 2; }
    try account-aliases.json aws iam list-account-aliases --output json
    try saml-providers.json aws iam list-saml-providers --output json
    try instance-profiles.json aws iam list-instance-profiles --output json
    for arn in $(aws iam list-open-id-connect-providers --query 'OpenIDConnectProviderList[].Arn' --output text 2>/dev/null); do
        try "oidc-providers/${arn##*/}.json" aws iam get-open-id-connect-provider --open-id-connect-provider-arn "$arn" --output json
    done

    # Credential report: generation is asynchronous.
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        state=$(aws iam generate-credential-report --query State --output text 2>/dev/null) || break
        [ "$state" = COMPLETE ] && break
        sleep 2
    done
    aws iam get-credential-report --query Content --output text 2>/dev/null | base64 -d >credential-report.csv 2>/dev/null || rm -f credential-report.csv

    if [ "$org" = 1 ]; then
        # The organization and its management account, which SCPs never restrict.
        try organizations/organization.json aws organizations describe-organization --output json
        org_path organizations "$account"
    fi

    for bucket in $(aws s3api list-buckets --query 'Buckets[].Name' --output text 2>/dev/null); do
        try "resource-policies/s3/$bucket.json" aws s3api get-bucket-policy --bucket "$bucket" --output json
    done
    try workloads/regions.json aws ec2 describe-regions --output json
    local scan=("${regions[@]}")
    if [ "$all_regions" = 1 ] && [ -f workloads/regions.json ]; then
        scan=($(json_values workloads/regions.json '[r["RegionName"] for r in d["Regions"]]'))
    fi
    for region in "${scan[@]}"; do
        for key in $(aws kms list-keys --region "$region" --query 'Keys[].KeyId' --output text 2>/dev/null); do
            try "resource-policies/kms/$region/$key.json" aws kms get-key-policy --region "$region" --key-id "$key" --policy-name default --output json
        done
        for url in $(aws sqs list-queues --region "$region" --query 'QueueUrls[]' --output text 2>/dev/null); do
            try "resource-policies/sqs/$region/${url##*/}.json" aws sqs get-queue-attributes --region "$region" --queue-url "$url" --attribute-names Policy QueueArn --output json
        done
        for arn in $(aws sns list-topics --region "$region" --query 'Topics[].TopicArn' --output text 2>/dev/null); do
            try "resource-policies/sns/$region/${arn##*:}.json" aws sns get-topic-attributes --region "$region" --topic-arn "$arn" --output json
        done
        collect_workloads "$region"
        # The function list is the inventory's (one call fewer per region).
        for fn in $( [ -f "workloads/lambda/$region.json" ] && json_values "workloads/lambda/$region.json" '[f["FunctionName"] for f in d["Functions"]]'); do
            try "resource-policies/lambda/$region/$fn.json" aws lambda get-policy --region "$region" --function-name "$fn" --output json
        done
        for arn in $(aws secretsmanager list-secrets --region "$region" --query 'SecretList[].ARN' --output text 2>/dev/null); do
            name=${arn##*:secret:}
            try "resource-policies/secretsmanager/${name//\//_}.json" aws secretsmanager get-resource-policy --region "$region" --secret-id "$arn" --output json
        done
    done
    # Files that a service answered with "no policy" are dropped by try(); empty ones too.
    find . -name '*.json' -size 0 -delete
    echo "bundle written to $dir; open it with: iamscope $dir" >&2
}

if [ "$org_mode" = 0 ]; then
    (collect_account "$out" "$with_org") || exit 2
    exit 0
fi

# --org: the organization's data once, then one bundle per account reached.
mkdir -p "$out/organizations" || exit 2
out=$(cd "$out" && pwd)
caller=$(aws sts get-caller-identity --query Account --output text) || exit 2
orgdir="$out/organizations"
try "$orgdir/organization.json" aws organizations describe-organization --output json
if [ "$this_account" = 1 ]; then
    accounts=("$caller")
else
    try "$orgdir/accounts.json" aws organizations list-accounts --output json
    [ -f "$orgdir/accounts.json" ] || { echo "cannot list the organization's accounts (run from the management account or a delegated administrator, or use --this-account)" >&2; exit 2; }
    accounts=($(json_values "$orgdir/accounts.json" '[a["Id"] for a in d["Accounts"] if a.get("Status", "ACTIVE") == "ACTIVE"]'))
fi
failed=()
for id in "${accounts[@]}"; do
    org_path "$orgdir" "$id"
    if [ "$id" = "$caller" ]; then
        (collect_account "$out/$id" 0 "$id") || failed+=("$id")
        continue
    fi
    creds=$(aws sts assume-role --role-arn "arn:aws:iam::$id:role/$role_name" --role-session-name iamscope-collect \
        --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text 2>/dev/null) || {
        echo "skipped account $id: cannot assume role $role_name in it" >&2
        failed+=("$id")
        continue
    }
    read -r key secret token <<<"$creds"
    (
        export AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret AWS_SESSION_TOKEN=$token
        collect_account "$out/$id" 0 "$id"
    ) || failed+=("$id")
done
echo "org bundle written to $out (${#accounts[@]} accounts); open it with: iamscope $out" >&2
[ ${#failed[@]} -eq 0 ] || { echo "not collected: ${failed[*]}" >&2; exit 1; }
