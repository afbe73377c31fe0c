#!/usr/bin/env bash
# Exports one AWS account's IAM into an iamscope bundle folder, using only read-only
# AWS CLI calls. iamscope itself never talks to AWS; run this where you have
# credentials (e.g. with a SecurityAudit or ReadOnlyAccess role), then copy the folder.
#
#   scripts/collect-account.sh OUT_DIR [--no-org] [--region R ...]
#
# Organizations data (SCPs, RCPs) needs credentials in the management account or a
# delegated administrator; without them those parts are skipped and iamscope says so.
set -uo pipefail

out=${1:?usage: collect-account.sh OUT_DIR [--no-org] [--region R ...]}
shift
with_org=1
regions=()
while [ $# -gt 0 ]; do
    case "$1" in
        --no-org) with_org=0 ;;
        --region) shift; regions+=("$1") ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
[ ${#regions[@]} -gt 0 ] || regions=("$(aws configure get region || echo us-east-1)")

mkdir -p "$out"
cd "$out" || exit 2
try() { # try FILE command...: writes FILE only when the command succeeds
    local file=$1; shift
    mkdir -p "$(dirname "$file")"
    if "$@" >"$file.tmp" 2>/dev/null; then mv "$file.tmp" "$file"; else rm -f "$file.tmp"; echo "skipped $file" >&2; fi
}

account=$(aws sts get-caller-identity --query Account --output text) || exit 2
echo "account $account" >&2

aws iam get-account-authorization-details --output json >gaad.json || { echo "get-account-authorization-details failed" >&2; exit 2; }
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

if [ "$with_org" = 1 ]; then
    # The organization and its management account, which SCPs never restrict.
    try organizations/organization.json aws organizations describe-organization --output json
    child=$account
    while [ -n "$child" ]; do
        try "organizations/parents/$child.json" aws organizations list-parents --child-id "$child" --output json
        [ -f "organizations/parents/$child.json" ] || break
        for kind in SERVICE_CONTROL_POLICY:scp RESOURCE_CONTROL_POLICY:rcp; do
            try "organizations/${kind#*:}/$child.json" aws organizations list-policies-for-target --target-id "$child" --filter "${kind%%:*}" --output json
        done
        parent=$(aws organizations list-parents --child-id "$child" --query 'Parents[0].[Id,Type]' --output text 2>/dev/null)
        pid=${parent%%[[:space:]]*}; ptype=${parent##*[[:space:]]}
        if [ "$ptype" = ROOT ]; then
            for kind in SERVICE_CONTROL_POLICY:scp RESOURCE_CONTROL_POLICY:rcp; do
                try "organizations/${kind#*:}/$pid.json" aws organizations list-policies-for-target --target-id "$pid" --filter "${kind%%:*}" --output json
            done
            break
        fi
        child=$pid
    done
    for f in organizations/scp/*.json organizations/rcp/*.json; do
        [ -f "$f" ] || continue
        for id in $(python3 -c 'import json,sys; print(" ".join(p["Id"] for p in json.load(open(sys.argv[1]))["Policies"]))' "$f"); do
            [ -f "organizations/policies/$id.json" ] || try "organizations/policies/$id.json" aws organizations describe-policy --policy-id "$id" --output json
        done
    done
fi

for bucket in $(aws s3api list-buckets --query 'Buckets[].Name' --output text 2>/dev/null); do
    try "resource-policies/s3/$bucket.json" aws s3api get-bucket-policy --bucket "$bucket" --output json
done
for region in "${regions[@]}"; do
    for key in $(aws kms list-keys --region "$region" --query 'Keys[].KeyId' --output text 2>/dev/null); do
        try "resource-policies/kms/$region/$key.json" aws kms get-key-policy --region "$region" --key-id "$key" --policy-name default --output json
    done
    for url in $(aws sqs list-queues --region "$region" --query 'QueueUrls[]' --output text 2>/dev/null); do
        try "resource-policies/sqs/${url##*/}.json" aws sqs get-queue-attributes --region "$region" --queue-url "$url" --attribute-names Policy QueueArn --output json
    done
    for arn in $(aws sns list-topics --region "$region" --query 'Topics[].TopicArn' --output text 2>/dev/null); do
        try "resource-policies/sns/${arn##*:}.json" aws sns get-topic-attributes --region "$region" --topic-arn "$arn" --output json
    done
    for fn in $(aws lambda list-functions --region "$region" --query 'Functions[].FunctionName' --output text 2>/dev/null); do
        try "resource-policies/lambda/$region/$fn.json" aws lambda get-policy --region "$region" --function-name "$fn" --output json
    done
    for arn in $(aws secretsmanager list-secrets --region "$region" --query 'SecretList[].ARN' --output text 2>/dev/null); do
        name=${arn##*:secret:}
        try "resource-policies/secretsmanager/${name//\//_}.json" aws secretsmanager get-resource-policy --region "$region" --secret-id "$arn" --output json
    done
done
# Files that a service answered with "no policy" are dropped by try(); empty ones too.
find . -name '*.json' -size 0 -delete
echo "bundle written to $out; open it with: iamscope $out" >&2
