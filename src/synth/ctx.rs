//! The skeleton of the account (names, ARNs, kinds) that documents refer to.

/// What a role is for; decides its name, trust policy and typical policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RoleKind {
    Ec2,
    Lambda,
    Ecs,
    Glue,
    CodeBuild,
    SameAccountRole,
    SameAccountUser,
    AccountRoot,
    CrossAccount,
    Saml,
    Sso,
    GithubOidc,
    EksOidc,
    Public,
}

impl RoleKind {
    /// All kinds, with relative weights for random choice.
    pub(crate) const WEIGHTED: &'static [(RoleKind, u32)] = &[
        (RoleKind::Ec2, 14),
        (RoleKind::Lambda, 16),
        (RoleKind::Ecs, 10),
        (RoleKind::Glue, 4),
        (RoleKind::CodeBuild, 4),
        (RoleKind::SameAccountRole, 9),
        (RoleKind::SameAccountUser, 7),
        (RoleKind::AccountRoot, 9),
        (RoleKind::CrossAccount, 7),
        (RoleKind::Saml, 5),
        (RoleKind::Sso, 4),
        (RoleKind::GithubOidc, 6),
        (RoleKind::EksOidc, 4),
        (RoleKind::Public, 1),
    ];

    /// Roles an AWS service assumes (targets of `iam:PassRole`).
    pub(crate) fn is_service(self) -> bool {
        matches!(
            self,
            RoleKind::Ec2 | RoleKind::Lambda | RoleKind::Ecs | RoleKind::Glue | RoleKind::CodeBuild
        )
    }

    /// Roles that same-account principals may assume with `sts:AssumeRole`.
    pub(crate) fn is_assumable(self) -> bool {
        matches!(
            self,
            RoleKind::SameAccountRole | RoleKind::SameAccountUser | RoleKind::AccountRoot
        )
    }
}

/// A user before its policies are chosen.
pub(crate) struct UserStub {
    pub name: String,
    pub path: String,
    pub arn: String,
    pub team: usize,
    pub person: bool,
}

/// A role before its policies are chosen.
pub(crate) struct RoleStub {
    pub name: String,
    pub path: String,
    pub arn: String,
    pub team: usize,
    pub app: usize,
    pub env: usize,
    pub kind: RoleKind,
}

/// A managed policy's identity.
pub(crate) struct PolicyStub {
    pub name: String,
    pub arn: String,
    pub path: String,
    pub team: Option<usize>,
    pub kind: PolicyKind,
}

/// Which family a managed policy belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PolicyKind {
    /// AWS managed, index into the catalogue.
    Aws(usize),
    /// Customer managed, used as a permissions boundary.
    Boundary,
    /// Customer managed, attached to identities.
    Customer,
}

/// Everything documents may refer to.
pub(crate) struct Ctx {
    pub account: String,
    pub company: &'static str,
    pub org_id: String,
    pub users: Vec<UserStub>,
    pub roles: Vec<RoleStub>,
    pub policies: Vec<PolicyStub>,
    /// Indices of roles that AWS services assume.
    pub service_roles: Vec<usize>,
    /// Indices of roles same-account principals may assume.
    pub assumable_roles: Vec<usize>,
    /// Indices of attachable customer managed policies.
    pub customer_policies: Vec<usize>,
    pub external_accounts: Vec<String>,
    /// The organization's other accounts (empty for a lone account).
    pub org_accounts: Vec<String>,
    pub saml_providers: Vec<String>,
    pub sso_provider: String,
    pub eks_providers: Vec<String>,
}

impl Ctx {
    /// `arn:aws:iam::ACCOUNT:{rest}`.
    pub(crate) fn iam_arn(&self, rest: &str) -> String {
        format!("arn:aws:iam::{}:{rest}", self.account)
    }
}
