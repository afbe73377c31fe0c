#!/usr/bin/env python3
"""Generates tests/data/eval-cases-extra.json (one scenario per operator and per layer) and
tests/data/eval-cases-rules.json (the fail-closed and service rules, from rule-cases.py)."""
import json, copy, os

ALICE = "arn:aws:iam::111122223333:user/alice"
OBJ = "arn:aws:s3:::data-bucket/reports/q1.csv"
A = "111122223333"
B = "444455556666"

def pol(*stmts, version="2012-10-17"):
    d = {"Statement": list(stmts)}
    if version:
        d = {"Version": version, **d}
    return d

def allow(action="s3:GetObject", resource="*", **kw):
    s = {"Effect": "Allow", "Action": action, "Resource": resource}
    s.update(kw)
    return s

def deny(action="s3:GetObject", resource="*", **kw):
    s = {"Effect": "Deny", "Action": action, "Resource": resource}
    s.update(kw)
    return s

cases = []

def case(name, area, expected, why, identity=None, context=None, principal=ALICE,
         principal_account=A, action="s3:GetObject", resource=OBJ, resource_account=A,
         complete=True, boundary=None, session=None, scps=None, rcps=None, rp=None,
         missing=None, management_account=None):
    c = {
        "name": name, "area": area, "description": why,
        "request": {"principal": principal, "principal_account": principal_account,
                    "action": action, "resource": resource,
                    "resource_account": resource_account, "context": context or {}},
        "context_complete": complete,
        "identity_policies": identity if identity is not None else [],
        "permissions_boundary": boundary, "session_policies": session or [],
        "scps": scps or [], "rcps": rcps or [], "resource_policy": rp,
        "expected": expected, "why": why,
    }
    if missing is not None:
        c["expected_missing_keys"] = missing
    if management_account is not None:
        c["management_account"] = management_account
    cases.append(c)

def cond(name, op, key, value, ctx, expected, why, **kw):
    case(name, "operators", expected, why,
         identity=[pol(allow(Condition={op: {key: value}}))], context=ctx, **kw)

# --- every operator ---
cond("op-stringnotequals-present-equal", "StringNotEquals", "aws:PrincipalTag/team", "red",
     {"aws:PrincipalTag/team": "red"}, "ImplicitDeny", "red equals red, so StringNotEquals is false.")
cond("op-stringnotequalsignorecase", "StringNotEqualsIgnoreCase", "aws:PrincipalTag/team", "RED",
     {"aws:PrincipalTag/team": "red"}, "ImplicitDeny", "Equal ignoring case.")
cond("op-stringequalsignorecase-differs", "StringEqualsIgnoreCase", "aws:PrincipalTag/team", "BLUE",
     {"aws:PrincipalTag/team": "red"}, "ImplicitDeny", "blue is not red in any case.")
cond("op-stringlike-question", "StringLike", "s3:prefix", "home/?lice/*",
     {"s3:prefix": "home/alice/docs"}, "Allow", "? matches one character, * the rest.")
cond("op-stringlike-case", "StringLike", "s3:prefix", "Home/*",
     {"s3:prefix": "home/alice"}, "ImplicitDeny", "StringLike is case-sensitive.")
cond("op-stringnotlike-missing", "StringNotLike", "s3:prefix", "secret/*",
     {}, "Allow", "Negated operator on an absent key is true.")
cond("op-stringnotlike-match", "StringNotLike", "s3:prefix", "secret/*",
     {"s3:prefix": "secret/x"}, "ImplicitDeny", "The value matches the pattern, so NotLike is false.")
cond("op-numericequals-decimal", "NumericEquals", "s3:max-keys", "10",
     {"s3:max-keys": "10.0"}, "Allow", "10.0 equals 10 numerically.")
cond("op-numericnotequals", "NumericNotEquals", "s3:max-keys", "10",
     {"s3:max-keys": "11"}, "Allow", "11 differs from 10.")
cond("op-numericlessthanequals-equal", "NumericLessThanEquals", "s3:max-keys", "10",
     {"s3:max-keys": "10"}, "Allow", "10 <= 10.")
cond("op-numericlessthan-equal", "NumericLessThan", "s3:max-keys", "10",
     {"s3:max-keys": "10"}, "ImplicitDeny", "10 is not < 10.")
cond("op-numericgreaterthanequals", "NumericGreaterThanEquals", "s3:max-keys", 10,
     {"s3:max-keys": "12"}, "Allow", "12 >= 10; a JSON number is accepted as the policy value.")
cond("op-numeric-not-a-number", "NumericGreaterThan", "s3:max-keys", "1",
     {"s3:max-keys": "many"}, "ImplicitDeny", "A request value that is not a number matches nothing.")
cond("op-numeric-missing", "NumericLessThan", "s3:max-keys", "1",
     {}, "ImplicitDeny", "Positive operator on an absent key is false.")
cond("op-dateequals-epoch-vs-iso", "DateEquals", "aws:CurrentTime", "1700000000",
     {"aws:CurrentTime": "2023-11-14T22:13:20Z"}, "Allow", "Epoch seconds and ISO 8601 name the same instant.")
cond("op-datenotequals", "DateNotEquals", "aws:CurrentTime", "2024-01-01T00:00:00Z",
     {"aws:CurrentTime": "2024-01-02T00:00:00Z"}, "Allow", "Different instants.")
cond("op-datelessthanequals-equal", "DateLessThanEquals", "aws:CurrentTime", "2024-01-01T00:00:00Z",
     {"aws:CurrentTime": "2024-01-01T00:00:00Z"}, "Allow", "Equal instants satisfy <=.")
cond("op-dategreaterthan", "DateGreaterThan", "aws:CurrentTime", "2024-01-01",
     {"aws:CurrentTime": "2024-06-01T00:00:00Z"}, "Allow", "June is after January.")
cond("op-dategreaterthanequals-offset", "DateGreaterThanEquals", "aws:CurrentTime", "2024-01-01T12:00:00Z",
     {"aws:CurrentTime": "2024-01-01T13:00:00+01:00"}, "Allow", "13:00+01:00 is 12:00Z.")
cond("op-bool-false", "Bool", "aws:SecureTransport", False,
     {"aws:SecureTransport": "false"}, "Allow", "Bool false matches false (JSON boolean accepted).")
cond("op-bool-true-vs-false", "Bool", "aws:SecureTransport", "true",
     {"aws:SecureTransport": "false"}, "ImplicitDeny", "false is not true.")
cond("op-binaryequals", "BinaryEquals", "custom:blob", "aGVsbG8=",
     {"custom:blob": "aGVsbG8="}, "Allow", "Same bytes.")
cond("op-binaryequals-differs", "BinaryEquals", "custom:blob", "aGVsbG8=",
     {"custom:blob": "d29ybGQ="}, "ImplicitDeny", "Different bytes.")
cond("op-ipaddress-bare", "IpAddress", "aws:SourceIp", "203.0.113.7",
     {"aws:SourceIp": "203.0.113.7"}, "Allow", "A bare address is a /32.")
cond("op-ipaddress-family", "IpAddress", "aws:SourceIp", "10.0.0.0/8",
     {"aws:SourceIp": "2001:db8::1"}, "ImplicitDeny", "An IPv6 address is never in an IPv4 range.")
cond("op-notipaddress-inside", "NotIpAddress", "aws:SourceIp", "10.0.0.0/8",
     {"aws:SourceIp": "10.9.9.9"}, "ImplicitDeny", "Inside the range, so NotIpAddress is false.")
cond("op-notipaddress-missing", "NotIpAddress", "aws:SourceIp", "10.0.0.0/8",
     {}, "Allow", "Negated operator on an absent key is true.")
cond("op-arnequals", "ArnEquals", "aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:alerts",
     {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:alerts"}, "Allow", "Same ARN.")
cond("op-arnlike-no-cross", "ArnLike", "aws:SourceArn", "arn:aws:sns:*:alerts",
     {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:alerts"}, "ImplicitDeny",
     "A pattern with too few fields cannot match: * stays inside one field.")
cond("op-arnnotequals", "ArnNotEquals", "aws:PrincipalArn", "arn:aws:iam::111122223333:user/bob",
     {}, "Allow", "aws:PrincipalArn is derived (alice) and differs from bob.")
cond("op-arnnotlike-match", "ArnNotLike", "aws:PrincipalArn", "arn:aws:iam::111122223333:user/*",
     {}, "ImplicitDeny", "alice's derived ARN matches user/*.")
cond("op-null-false-present", "Null", "aws:TokenIssueTime", "false",
     {"aws:TokenIssueTime": "2024-01-01T00:00:00Z"}, "Allow", "Key present: Null false holds.")
cond("op-null-true-present", "Null", "aws:TokenIssueTime", "true",
     {"aws:TokenIssueTime": "2024-01-01T00:00:00Z"}, "ImplicitDeny", "Key present: Null true fails.")
cond("op-numeric-ifexists-present", "NumericLessThanIfExists", "s3:max-keys", "10",
     {"s3:max-keys": "50"}, "ImplicitDeny", "IfExists evaluates present keys normally.")
cond("op-ipaddress-ifexists-missing", "IpAddressIfExists", "aws:SourceIp", "10.0.0.0/8",
     {}, "Allow", "IfExists is true on an absent key.")
cond("op-foranyvalue-stringlike", "ForAnyValue:StringLike", "aws:TagKeys", "cost*",
     {"aws:TagKeys": ["env", "costcenter"]}, "Allow", "costcenter matches cost*.")
cond("op-forallvalues-empty-list", "ForAllValues:StringEquals", "aws:TagKeys", ["env"],
     {"aws:TagKeys": []}, "Allow", "ForAllValues is true for an empty set.")
cond("op-foranyvalue-empty-list", "ForAnyValue:StringEquals", "aws:TagKeys", ["env"],
     {"aws:TagKeys": []}, "ImplicitDeny", "ForAnyValue is false for an empty set.")
cond("op-forallvalues-stringnotequals", "ForAllValues:StringNotEquals", "aws:TagKeys", ["secret"],
     {"aws:TagKeys": ["env", "team"]}, "Allow", "No request value equals secret.")
cond("op-foranyvalue-stringnotequals", "ForAnyValue:StringNotEquals", "aws:TagKeys", ["env"],
     {"aws:TagKeys": ["env"]}, "ImplicitDeny", "The only value equals env.")
cond("op-key-case-insensitive-context", "StringEquals", "AWS:PRINCIPALTAG/Team", "red",
     {"aws:principaltag/team": "red"}, "Allow", "Key names match case-insensitively on both sides.")

# --- three-valued logic ---
case("unknown-deny-conditional", "conditional", "Conditional",
     "A Deny that depends on an unknown key may apply.",
     identity=[pol(allow(), deny(Condition={"Bool": {"aws:MultiFactorAuthPresent": "false"}}))],
     complete=False, missing=["aws:MultiFactorAuthPresent"])
case("unknown-deny-no-allow", "conditional", "ImplicitDeny",
     "Denied either way: no Allow exists, whatever the unknown Deny does.",
     identity=[pol(deny(Condition={"Bool": {"aws:MultiFactorAuthPresent": "false"}}))], complete=False)
case("unknown-declared-absent", "conditional", "Allow",
     "A key declared absent (null) is absent, not unknown: IfExists holds.",
     identity=[pol(allow(Condition={"IpAddressIfExists": {"aws:SourceIp": "10.0.0.0/8"}}))],
     context={"aws:SourceIp": None}, complete=False)
case("unknown-null-operator", "conditional", "Conditional", "Null on an unknown key is unknown.",
     identity=[pol(allow(Condition={"Null": {"aws:TokenIssueTime": "false"}}))],
     complete=False, missing=["aws:TokenIssueTime"])
case("unknown-derived-key-known", "conditional", "Allow",
     "aws:username is derived from the user ARN even with an incomplete context.",
     identity=[pol(allow(Condition={"StringEquals": {"aws:username": "alice"}}))], complete=False)
case("unknown-false-and-unknown", "conditional", "ImplicitDeny",
     "A false condition decides even beside an unknown one (Kleene AND).",
     identity=[pol(allow(Condition={"StringEquals": {"aws:PrincipalTag/team": "blue"},
                                   "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}))],
     context={"aws:PrincipalTag/team": "red"}, complete=False)
case("unknown-boundary-conditional", "conditional", "Conditional",
     "The boundary allows only from a VPC endpoint that the request leaves unknown.",
     identity=[pol(allow())],
     boundary=pol(allow(Condition={"StringEquals": {"aws:SourceVpce": "vpce-1"}})),
     complete=False, missing=["aws:SourceVpce"])

# --- variables ---
case("var-default-used", "variables", "Allow", "The default applies when the tag is absent.",
     identity=[pol(allow(resource="arn:aws:s3:::data-bucket/${aws:PrincipalTag/team, 'reports'}/*"))])
case("var-special-star-literal", "variables", "ImplicitDeny", "${*} is a literal *, not a wildcard.",
     identity=[pol(allow(resource="arn:aws:s3:::data-bucket/${*}"))])
case("var-special-star-literal-match", "variables", "Allow", "${*} matches a literal * in the ARN.",
     identity=[pol(allow(resource="arn:aws:s3:::data-bucket/${*}"))],
     resource="arn:aws:s3:::data-bucket/*")
case("var-role-has-no-username", "variables", "ImplicitDeny",
     "A role session has no aws:username: the resource never matches.",
     principal="arn:aws:sts::111122223333:assumed-role/app/s1",
     identity=[pol(allow(resource="arn:aws:s3:::homes/${aws:username}/*"))],
     resource="arn:aws:s3:::homes/app/x")
case("var-unknown-in-resource", "variables", "Conditional",
     "The resource depends on a tag the request leaves unknown.",
     identity=[pol(allow(resource="arn:aws:s3:::data-bucket/${aws:PrincipalTag/team}/*"))],
     complete=False, missing=["aws:principaltag/team"])
case("var-missing-version-literal", "variables", "Allow",
     "No Version means 2008-10-17: ${aws:username} is literal and matches a literal resource.",
     identity=[pol(allow(resource="arn:aws:s3:::homes/${aws:username}/*"), version=None)],
     resource="arn:aws:s3:::homes/${aws:username}/x")
case("var-in-condition-value-missing", "variables", "ImplicitDeny",
     "A variable whose key is absent drops the value: nothing left to match.",
     identity=[pol(allow(Condition={"StringEquals": {"s3:prefix": "${aws:PrincipalTag/home}"}}))],
     context={"s3:prefix": "x"})

# --- grammar ---
case("grammar-single-statement-object", "grammar", "Allow", "Statement may be one object.",
     identity=[{"Version": "2012-10-17", "Statement": allow()}])
case("grammar-invalid-effect-skipped", "grammar", "ImplicitDeny",
     "Effect must be exactly Allow: the invalid policy is skipped.",
     identity=[pol({"Effect": "allow", "Action": "*", "Resource": "*"})])
case("grammar-unknown-operator-skipped", "grammar", "ImplicitDeny",
     "An unknown condition operator makes the policy invalid.",
     identity=[pol(allow(Condition={"StringEqualz": {"aws:username": "alice"}}))])
case("action-wildcard-middle", "action-matching", "Allow", "iam:*AccessKey* matches iam:CreateAccessKey.",
     identity=[pol(allow(action="iam:*AccessKey*"))], action="iam:CreateAccessKey",
     resource="arn:aws:iam::111122223333:user/alice")
case("resource-question-mark", "resource-matching", "Allow", "? in the resource part matches one character.",
     identity=[pol(allow(resource="arn:aws:s3:::data-bucket/reports/q?.csv"))])
case("notresource-allow", "not-elements", "Allow", "NotResource in an Allow grants every other resource.",
     identity=[pol(allow(NotResource="arn:aws:s3:::secret/*", resource=None))])
case("notaction-deny", "not-elements", "ExplicitDeny", "NotAction in a Deny denies every other action.",
     identity=[pol(allow(action="*"), {"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"})])

# --- boundary & NotPrincipal ---
case("notprincipal-listed", "not-elements", "Allow", "The listed principal is exempt from the Deny.",
     identity=[pol(allow())],
     rp=pol({"Effect": "Deny", "NotPrincipal": {"AWS": [ALICE, "arn:aws:iam::111122223333:root"]},
             "Action": "s3:*", "Resource": "arn:aws:s3:::data-bucket/*"}))
case("notprincipal-boundary-always-denied", "boundary", "ExplicitDeny",
     "NotPrincipal with Deny always denies a principal that has a permissions boundary (AWS boundaries page).",
     identity=[pol(allow())], boundary=pol(allow(action="s3:*")),
     rp=pol({"Effect": "Deny", "NotPrincipal": {"AWS": ALICE},
             "Action": "s3:*", "Resource": "arn:aws:s3:::data-bucket/*"}))
case("boundary-deny-wins", "boundary", "ExplicitDeny", "A Deny in the boundary is an explicit deny.",
     identity=[pol(allow())], boundary=pol(allow(action="*"), deny()))

# --- resource policies ---
ROLE_SESSION = "arn:aws:sts::111122223333:assumed-role/app/s1"
ROLE = "arn:aws:iam::111122223333:role/app"
def rp_allow(principal):
    return pol({"Effect": "Allow", "Principal": principal, "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::data-bucket/*"})
case("rp-role-arn-no-identity", "resource-policy", "Allow",
     "Naming the role ARN grants its sessions without an identity allow.",
     principal=ROLE_SESSION, rp=rp_allow({"AWS": ROLE}))
case("rp-role-arn-limited-by-boundary", "resource-policy", "ImplicitDeny",
     "Naming the role ARN is still limited by the role's boundary.",
     principal=ROLE_SESSION, rp=rp_allow({"AWS": ROLE}), boundary=pol(allow(action="ec2:*")))
case("rp-role-arn-limited-by-session", "resource-policy", "ImplicitDeny",
     "Naming the role ARN is still limited by the session policy.",
     principal=ROLE_SESSION, rp=rp_allow({"AWS": ROLE}), session=[pol(allow(action="ec2:*"))])
case("rp-session-arn-not-limited", "resource-policy", "Allow",
     "Naming the session ARN is not limited by an implicit deny in the session policy or boundary.",
     principal=ROLE_SESSION, rp=rp_allow({"AWS": ROLE_SESSION}),
     session=[pol(allow(action="ec2:*"))], boundary=pol(allow(action="ec2:*")))
case("rp-aws-star-grants", "resource-policy", "Allow", "{\"AWS\": \"*\"} grants like naming the caller.",
     rp=rp_allow({"AWS": "*"}))
case("rp-anonymous-star", "resource-policy", "Allow", "Principal * grants anonymous callers.",
     principal="anonymous", principal_account=None, rp=rp_allow("*"))
case("rp-anonymous-no-policy", "resource-policy", "ImplicitDeny", "Anonymous callers have no identity policies.",
     principal="anonymous", principal_account=None, rp=None)
case("xacct-role-session-account-grant", "cross-account", "Allow",
     "Cross-account session: identity allows and the bucket names the account.",
     principal="arn:aws:sts::444455556666:assumed-role/etl/s1", principal_account=B,
     identity=[pol(allow())], rp=rp_allow({"AWS": B}))
case("xacct-boundary-limits", "cross-account", "ImplicitDeny",
     "Cross-account: the caller's boundary limits even a resource policy naming the user.",
     principal="arn:aws:iam::444455556666:user/bob", principal_account=B,
     identity=[pol(allow())], boundary=pol(allow(action="ec2:*")),
     rp=rp_allow({"AWS": "arn:aws:iam::444455556666:user/bob"}))

# --- SCP / RCP ---
FULL = pol(allow(action="*"))
case("scp-deny-at-account-level", "scp", "ExplicitDeny", "A Deny at any level wins.",
     identity=[pol(allow())], scps=[[FULL], [FULL, pol(deny(action="s3:*"))]])
case("scp-service-linked-exempt", "scp", "Allow", "SCPs do not limit service-linked roles.",
     principal="arn:aws:iam::111122223333:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk",
     identity=[pol(allow())], scps=[[pol(allow(action="ec2:*"))]])
case("scp-limits-resource-policy-grant", "scp", "ImplicitDeny",
     "SCPs limit the principal even when a resource policy names it.",
     rp=rp_allow({"AWS": ALICE}), scps=[[pol(allow(action="ec2:*"))]])
case("rcp-level-without-allow", "rcp", "ImplicitDeny", "Every RCP level must allow.",
     identity=[pol(allow())], rcps=[[FULL], [pol(allow(action="sqs:*"))]])
case("rcp-unsupported-service", "rcp", "Allow", "RCPs do not apply to EC2.",
     identity=[pol(allow(action="ec2:*"))], action="ec2:DescribeInstances", resource="*",
     rcps=[[pol(deny(action="*", Principal="*"))]])
case("rcp-applies-to-service-principal", "rcp", "ExplicitDeny",
     "RCPs apply to AWS service principals too: AWS's own confused-deputy RCP examples restrict "
     "them (AWS Organizations User Guide, \"Resource control policy examples\"); only "
     "service-linked roles are exempt.",
     principal="cloudtrail.amazonaws.com", principal_account=None, action="s3:PutObject",
     rp=pol({"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
             "Action": "s3:PutObject", "Resource": "arn:aws:s3:::data-bucket/*"}),
     rcps=[[FULL, pol({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"})]])

# --- trust ---
ROLE_DEPLOY = "arn:aws:iam::111122223333:role/deploy"
GH = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
SAML = "arn:aws:iam::111122223333:saml-provider/Okta"
def trust(*stmts):
    return pol(*stmts)
case("trust-github-no-sub-any-repo", "trust", "Allow",
     "Without a sub condition, any GitHub repository can assume the role.",
     principal=GH, principal_account=None, action="sts:AssumeRoleWithWebIdentity",
     resource=ROLE_DEPLOY, context={"token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                                    "token.actions.githubusercontent.com:sub": "repo:evil/x:ref:refs/heads/main"},
     rp=trust({"Effect": "Allow", "Principal": {"Federated": GH}, "Action": "sts:AssumeRoleWithWebIdentity",
               "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}}))
case("trust-github-environment-like", "trust", "Allow", "StringLike on sub allows the prod environment.",
     principal=GH, principal_account=None, action="sts:AssumeRoleWithWebIdentity",
     resource=ROLE_DEPLOY, context={"token.actions.githubusercontent.com:sub": "repo:acme/web:environment:prod"},
     rp=trust({"Effect": "Allow", "Principal": {"Federated": GH}, "Action": "sts:AssumeRoleWithWebIdentity",
               "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/*:environment:prod"}}}))
case("trust-saml", "trust", "Allow", "SAML trust with SAML:aud.",
     principal=SAML, principal_account=None, action="sts:AssumeRoleWithSAML", resource=ROLE_DEPLOY,
     context={"SAML:aud": "https://signin.aws.amazon.com/saml"},
     rp=trust({"Effect": "Allow", "Principal": {"Federated": SAML}, "Action": "sts:AssumeRoleWithSAML",
               "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}))
case("trust-saml-wrong-provider", "trust", "ImplicitDeny", "Another SAML provider is not trusted.",
     principal="arn:aws:iam::111122223333:saml-provider/Other", principal_account=None,
     action="sts:AssumeRoleWithSAML", resource=ROLE_DEPLOY,
     rp=trust({"Effect": "Allow", "Principal": {"Federated": SAML}, "Action": "sts:AssumeRoleWithSAML"}))
case("trust-tagsession-needs-statement", "trust", "ImplicitDeny",
     "sts:TagSession needs its own trust statement.",
     action="sts:TagSession", resource=ROLE_DEPLOY,
     rp=trust({"Effect": "Allow", "Principal": {"AWS": ALICE}, "Action": "sts:AssumeRole"}))
case("trust-tagsession-allowed", "trust", "Allow", "Trust allows sts:TagSession for alice.",
     action="sts:TagSession", resource=ROLE_DEPLOY,
     rp=trust({"Effect": "Allow", "Principal": {"AWS": ALICE}, "Action": ["sts:AssumeRole", "sts:TagSession"]}))
case("trust-externalid-wrong", "trust", "ImplicitDeny", "The external id differs.",
     principal="arn:aws:iam::444455556666:user/bob", principal_account=B, action="sts:AssumeRole",
     resource=ROLE_DEPLOY, context={"sts:ExternalId": "other"}, identity=[pol(allow(action="sts:AssumeRole"))],
     rp=trust({"Effect": "Allow", "Principal": {"AWS": B}, "Action": "sts:AssumeRole",
               "Condition": {"StringEquals": {"sts:ExternalId": "vendor-42"}}}))
case("trust-role-chaining-role-arn", "trust", "Allow",
     "A role session assumes another role whose trust names the first role's ARN.",
     principal=ROLE_SESSION, action="sts:AssumeRole", resource=ROLE_DEPLOY,
     rp=trust({"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "sts:AssumeRole"}))
case("trust-xacct-role-needs-identity", "trust", "ImplicitDeny",
     "Cross-account: the trust naming the role is not enough without the caller's identity allow.",
     principal="arn:aws:sts::444455556666:assumed-role/ci/s", principal_account=B, action="sts:AssumeRole",
     resource=ROLE_DEPLOY,
     rp=trust({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/ci"}, "Action": "sts:AssumeRole"}))
case("trust-mfa-required", "trust", "ImplicitDeny", "The trust requires MFA, absent from the request.",
     action="sts:AssumeRole", resource=ROLE_DEPLOY,
     rp=trust({"Effect": "Allow", "Principal": {"AWS": ALICE}, "Action": "sts:AssumeRole",
               "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}))

case("trust-same-account-identity-alone-does-not-assume", "trust", "ImplicitDeny",
     "A role's trust policy must allow the caller even in the same account; identity policies "
     "alone never let a principal assume a role (id_roles_compare-resource-policies, \u00a76).",
     principal="arn:aws:iam::111122223333:user/mallory", action="sts:AssumeRole",
     resource="arn:aws:iam::111122223333:role/Admin", identity=[pol(allow(action="sts:AssumeRole"))],
     rp=trust({"Effect": "Allow", "Principal": {"AWS": ALICE}, "Action": "sts:AssumeRole"}))
case("trust-same-account-root-delegates-to-identity", "trust", "Allow",
     "Naming the account delegates to the caller's identity policies, which allow it (\u00a76).",
     principal="arn:aws:iam::111122223333:user/mallory", action="sts:AssumeRole",
     resource="arn:aws:iam::111122223333:role/Admin", identity=[pol(allow(action="sts:AssumeRole"))],
     rp=trust({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
               "Action": "sts:AssumeRole"}))

exec(open(os.path.join(os.path.dirname(__file__), "rule-cases.py")).read())

for c in cases:
    for s in c["identity_policies"]:
        for st in s["Statement"] if isinstance(s["Statement"], list) else [s["Statement"]]:
            if st.get("Resource", "") is None:
                del st["Resource"]

data = os.path.join(os.path.dirname(__file__), "..", "tests", "data")
for name, part in [("eval-cases-extra.json", cases[:RULES_START]), ("eval-cases-rules.json", cases[RULES_START:])]:
    with open(os.path.join(data, name), "w") as f:
        json.dump(part, f, indent=2)
        f.write("\n")
    print(len(part), "cases in", name)
