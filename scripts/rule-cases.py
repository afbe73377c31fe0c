# Scenarios for the rules that make iamscope fail closed (issue 9), each citing the AWS
# page that decides it. Run by gen-extra-cases.py (which defines case, pol, allow, deny,
# trust, FULL, ALICE, A, B, OBJ, ROLE_DEPLOY); written to tests/data/eval-cases-rules.json.
RULES_START = len(cases)

KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
KMS_GUIDE = 'AWS KMS Developer Guide, "Key policies in AWS KMS"'
ROOT_A = "arn:aws:iam::111122223333:root"
KEYADMIN = "arn:aws:iam::111122223333:role/key-admin"

def key_policy(*stmts):
    return pol(*stmts)

def key_allow(principal, action="kms:Decrypt", **kw):
    s = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": action, "Resource": "*"}
    s.update(kw)
    return s

# --- KMS key policies ---
case("kms-key-policy-naming-others-leaves-identity-powerless", "kms", "ImplicitDeny",
     "The key policy names only key-admin, not the account: identity policies cannot give "
     f"access to the key ({KMS_GUIDE}: without the root statement IAM policies are not enabled).",
     identity=[pol(allow(action="kms:Decrypt"))], action="kms:Decrypt", resource=KEY,
     rp=key_policy(key_allow(KEYADMIN, action="kms:*")))
case("kms-key-policy-root-enables-identity-policies", "kms", "Allow",
     f"The key policy allows the account root, which enables IAM policies ({KMS_GUIDE}); "
     "alice's identity policy allows kms:Decrypt.",
     identity=[pol(allow(action="kms:Decrypt"))], action="kms:Decrypt", resource=KEY,
     rp=key_policy(key_allow(ROOT_A, action="kms:*")))
case("kms-key-policy-root-still-needs-identity", "kms", "ImplicitDeny",
     f"Naming the account delegates to IAM policies; alice has none for kms:Decrypt ({KMS_GUIDE}).",
     identity=[pol(allow(action="s3:GetObject"))], action="kms:Decrypt", resource=KEY,
     rp=key_policy(key_allow(ROOT_A, action="kms:*")))
case("kms-key-policy-naming-the-user-grants", "kms", "Allow",
     f"A key policy that names the user grants by itself, as a resource policy does ({KMS_GUIDE}).",
     action="kms:Decrypt", resource=KEY, rp=key_policy(key_allow(ALICE)))
case("kms-key-policy-missing-is-conditional", "kms", "Conditional",
     "Without the key policy the answer cannot be known: the key policy must allow, and it may "
     f"deny ({KMS_GUIDE}). Never Allow.",
     identity=[pol(allow(action="kms:*"))], action="kms:Decrypt", resource=KEY, rp=None, missing=[])
case("kms-calleraccount-is-set-by-kms", "kms", "Allow",
     'AWS KMS sets kms:CallerAccount to the caller\'s account on every request (AWS KMS Developer '
     'Guide, "kms:CallerAccount"); the AWS-managed-key style statement admits alice.',
     action="kms:Decrypt", resource=KEY,
     rp=key_policy(key_allow("*", Condition={"StringEquals": {"kms:CallerAccount": A}})))
case("kms-calleraccount-other-account", "kms", "ImplicitDeny",
     "kms:CallerAccount is the caller's own account (444455556666), not the key's, so the "
     'statement does not admit bob (AWS KMS Developer Guide, "kms:CallerAccount").',
     principal="arn:aws:iam::444455556666:user/bob", principal_account=B,
     identity=[pol(allow(action="kms:Decrypt"))], action="kms:Decrypt", resource=KEY,
     rp=key_policy(key_allow("*", Condition={"StringEquals": {"kms:CallerAccount": A}})))

# --- RCPs and service-linked roles ---
SLR = "arn:aws:iam::111122223333:role/aws-service-role/replication.s3.amazonaws.com/AWSServiceRoleForS3Replication"
case("rcp-exempts-service-linked-roles", "rcp", "Allow",
     'RCPs never restrict service-linked roles (AWS Organizations User Guide, "Resource control '
     'policies (RCPs)": RCPs do not apply to service-linked roles).',
     principal=SLR, identity=[pol(allow(action="s3:*"))], action="s3:PutObject",
     rcps=[[FULL, pol({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"})]])

# --- NotPrincipal with an account ---
NP_DOC = 'IAM User Guide, "AWS JSON policy elements: NotPrincipal" (the example with Bob)'
np_deny = {"Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:user/bob", ROOT_A]},
           "Action": "s3:*", "Resource": "*"}
case("notprincipal-account-does-not-exempt-its-users", "notprincipal", "ExplicitDeny",
     "Listing the account in NotPrincipal keeps only the account principal out of the Deny: AWS "
     f"checks the account, then the user, so alice is denied ({NP_DOC}).",
     identity=[pol(allow(action="s3:GetObject"))], rp=pol(np_deny))
case("notprincipal-listed-user-is-exempt", "notprincipal", "Allow",
     f"bob is listed in NotPrincipal, so the Deny does not apply to him ({NP_DOC}).",
     principal="arn:aws:iam::111122223333:user/bob", identity=[pol(allow(action="s3:GetObject"))],
     rp=pol(np_deny))

# --- federated users (GetFederationToken) ---
FED = "arn:aws:sts::111122223333:federated-user/bob-session"
FED_DOC = 'IAM User Guide, "Permissions for GetFederationToken"'
case("federated-user-without-session-policy-has-nothing", "federated-user", "ImplicitDeny",
     "A federated user session created without a session policy has no permissions of its own, "
     f"whatever the IAM user's policies say ({FED_DOC}).",
     principal=FED, identity=[pol(allow(action="s3:*"))])
case("federated-user-gets-the-intersection", "federated-user", "Allow",
     "The session's permissions are the intersection of the IAM user's policies and the session "
     f"policy: both allow s3:GetObject ({FED_DOC}).",
     principal=FED, identity=[pol(allow(action="s3:*"))], session=[pol(allow(action="s3:GetObject"))])
case("federated-user-session-policy-cannot-add", "federated-user", "ImplicitDeny",
     "The session policy allows s3:PutObject, but the IAM user's policies do not: the "
     f"intersection is empty ({FED_DOC}).",
     principal=FED, action="s3:PutObject", identity=[pol(allow(action="s3:GetObject"))],
     session=[pol(allow(action="s3:PutObject"))])
case("federated-user-resource-policy-naming-the-session", "federated-user", "Allow",
     "A resource policy naming the federated-user ARN grants even without a session policy "
     f"({FED_DOC}; \"Policy evaluation logic\": a session ARN named by a resource policy).",
     principal=FED, rp=pol({"Effect": "Allow", "Principal": {"AWS": FED}, "Action": "s3:GetObject",
                           "Resource": "*"}))

# --- a trust policy naming a user: the user's boundary still applies ---
TRUST_DOC = 'IAM User Guide, "Update a role trust policy" ("If a permissions boundary is set for the user, then it must allow the sts:AssumeRole action")'
trust_alice = trust({"Effect": "Allow", "Principal": {"AWS": ALICE}, "Action": "sts:AssumeRole"})
case("trust-naming-user-boundary-must-allow", "trust", "ImplicitDeny",
     f"The trust names alice, but her permissions boundary does not allow sts:AssumeRole ({TRUST_DOC}).",
     action="sts:AssumeRole", resource=ROLE_DEPLOY, boundary=pol(allow(action="s3:*")), rp=trust_alice)
case("trust-naming-user-boundary-allows", "trust", "Allow",
     f"The trust names alice and her boundary allows sts:AssumeRole ({TRUST_DOC}).",
     action="sts:AssumeRole", resource=ROLE_DEPLOY, boundary=pol(allow(action="sts:AssumeRole")),
     rp=trust_alice)

# --- rules of the services that no policy changes ---
case("getcalleridentity-always-allowed", "service-rules", "Allow",
     "sts:GetCallerIdentity is always allowed for an authenticated caller, even under an explicit "
     "Deny (STS API Reference, GetCallerIdentity: \"No permissions are required\").",
     action="sts:GetCallerIdentity", resource="*", identity=[pol(deny(action="*"))])
case("aws-managed-policy-cannot-be-versioned", "service-rules", "ImplicitDeny",
     'AWS managed policies cannot be versioned by a customer (IAM User Guide, "Managed policies '
     'and inline policies"), whatever iam:* allows.',
     action="iam:CreatePolicyVersion", resource="arn:aws:iam::aws:policy/AdministratorAccess",
     identity=[pol(allow(action="iam:*"))])
case("identity-center-role-is-protected", "service-rules", "ImplicitDeny",
     "Roles that IAM Identity Center creates are changed only by Identity Center (IAM Identity "
     'Center User Guide, "Permission sets"): iam:UpdateAssumeRolePolicy on one fails.',
     action="iam:UpdateAssumeRolePolicy",
     resource="arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef",
     identity=[pol(allow(action="iam:*"))])
case("service-linked-role-permissions-are-the-services", "service-rules", "ImplicitDeny",
     'A service-linked role\'s permissions are managed by its service (IAM User Guide, "Using '
     'service-linked roles"): iam:PutRolePolicy on one fails.',
     action="iam:PutRolePolicy", resource=SLR, identity=[pol(allow(action="iam:*"))])
case("kms-aws-aliases-are-reserved", "service-rules", "ImplicitDeny",
     'Aliases beginning alias/aws/ are reserved for AWS managed keys (AWS KMS Developer Guide, '
     '"Aliases in AWS KMS").',
     action="kms:CreateAlias", resource="arn:aws:kms:us-east-1:111122223333:alias/aws/backdoor",
     identity=[pol(allow(action="kms:*"))])

# --- the management account ---
case("scps-never-apply-to-the-management-account", "scp", "Allow",
     'SCPs do not affect users or roles in the management account (AWS Organizations User '
     'Guide, "Service control policies (SCPs)").',
     identity=[pol(allow())], scps=[[FULL, pol(deny(action="*"))]], management_account=A)
case("rcps-never-apply-to-management-account-resources", "rcp", "Allow",
     'RCPs do not apply to resources in the management account (AWS Organizations User Guide, '
     '"Resource control policies (RCPs)").',
     identity=[pol(allow())],
     rcps=[[FULL, pol({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"})]],
     management_account=A)
case("scps-apply-to-member-accounts", "scp", "ExplicitDeny",
     "The same SCP denies in a member account (the management account is another).",
     identity=[pol(allow())], scps=[[FULL, pol(deny(action="*"))]], management_account=B)

# --- invalid statements never grant and never hide a Deny ---
EVAL_DOC = 'IAM User Guide, "Policy evaluation logic" (an explicit deny overrides any allow)'
case("invalid-deny-makes-an-allow-conditional", "invalid", "Conditional",
     "The Deny's condition uses a value that is not a number, so the statement is invalid; it "
     f"might deny, so the Allow beside it cannot be trusted ({EVAL_DOC}).",
     identity=[pol(allow(), deny(Condition={"NumericLessThan": {"aws:MultiFactorAuthAge": "an hour"}}))],
     missing=[])
case("invalid-deny-on-another-action-changes-nothing", "invalid", "Allow",
     "The invalid Deny covers only ec2:*, so it cannot touch s3:GetObject.",
     identity=[pol(allow(), deny(action="ec2:*", Condition={"StringEqualz": {"aws:username": "x"}}))])
case("valid-deny-decides-beside-an-invalid-statement", "invalid", "ExplicitDeny",
     f"A valid explicit Deny decides whatever the invalid statement would have said ({EVAL_DOC}).",
     identity=[pol(allow(), deny(), {"Effect": "Deny", "Action": "s3:*", "Resource": "*",
                                     "Condition": {"Bogus": {"k": "v"}}})])
case("unreadable-effect-might-deny", "invalid", "Conditional",
     "An Effect that is not exactly Allow or Deny might be a Deny: the Allow beside it cannot be "
     "trusted.",
     identity=[pol(allow()), pol({"Effect": "deny", "Action": "s3:GetObject", "Resource": "*"})],
     missing=[])
case("invalid-allow-in-an-scp-is-not-a-confident-deny", "invalid", "Conditional",
     "The SCP level's only Allow is invalid: whether the level allows is unknown, so the answer "
     "is neither Allow nor a confident deny.",
     identity=[pol(allow())],
     scps=[[pol({"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bogus": {"k": "v"}}})]],
     missing=[])
case("invalid-allow-in-a-boundary-is-not-a-confident-deny", "invalid", "Conditional",
     "The boundary's only Allow is invalid: whether it allows is unknown.",
     identity=[pol(allow())],
     boundary=pol({"Effect": "Allow", "Action": "s3:*", "Resource": "*",
                   "Condition": {"IpAddress": {"aws:SourceIp": "not-an-ip"}}}),
     missing=[])
case("unreadable-scp-is-conditional", "invalid", "Conditional",
     "An SCP whose document cannot be read at all might allow and might deny.",
     identity=[pol(allow())], scps=[[{"Version": "2012-10-17", "Statement": 7}]], missing=[])
case("invalid-allow-in-identity-never-grants", "invalid", "ImplicitDeny",
     "An invalid Allow never grants; being a clean Allow, it cannot deny either.",
     identity=[pol({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                    "Condition": {"DateLessThan": {"aws:CurrentTime": "soon"}}})])
