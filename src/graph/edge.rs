//! Edges: how one principal can act as, or gain the permissions of, another — with
//! the statements that make it possible.

use std::sync::Arc;

use serde::{Serialize, Serializer};

use crate::eval::Decision;

/// How an edge's source becomes (or acts as) its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// `sts:AssumeRole`: the trust policy and, where AWS requires it, the caller's own
    /// identity policy allow it.
    AssumeRole,
    /// `sts:AssumeRoleWithWebIdentity` through an OIDC provider.
    AssumeRoleWithWebIdentity,
    /// `sts:AssumeRoleWithSAML` through a SAML provider.
    AssumeRoleWithSaml,
    /// A service the role trusts assumes it on behalf of a resource (EC2 via an
    /// instance profile, Lambda, ECS tasks, …).
    ServiceAssumeRole,
    /// `iam:CreateAccessKey` on another user: new long-term credentials for it.
    CreateAccessKey,
    /// `iam:CreateLoginProfile` on a user without a console password.
    CreateLoginProfile,
    /// `iam:UpdateLoginProfile`: reset another user's console password.
    UpdateLoginProfile,
    /// `iam:UpdateAssumeRolePolicy`: rewrite the role's trust to name oneself, then assume it.
    UpdateAssumeRolePolicy,
    /// `iam:PassRole` + `ec2:RunInstances` with the role's instance profile.
    PassRoleToEc2,
    /// `iam:PassRole` + `lambda:CreateFunction` + `lambda:InvokeFunction` (or an event source).
    PassRoleToLambda,
    /// `iam:PassRole` + `cloudformation:CreateStack`.
    PassRoleToCloudFormation,
    /// `iam:PassRole` + `glue:CreateDevEndpoint` (or `glue:CreateJob` + `glue:StartJobRun`).
    PassRoleToGlue,
    /// `iam:PassRole` + `sagemaker:CreateNotebookInstance` (or training/processing jobs).
    PassRoleToSageMaker,
    /// `iam:PassRole` + `codebuild:CreateProject` + `codebuild:StartBuild`.
    PassRoleToCodeBuild,
    /// `iam:PassRole` + `ecs:RegisterTaskDefinition` + `ecs:RunTask`.
    PassRoleToEcs,
    /// `iam:PassRole` + `datapipeline:CreatePipeline` + `datapipeline:PutPipelineDefinition`.
    PassRoleToDataPipeline,
    /// `ssm:SendCommand` or `ssm:StartSession` on an instance running with the role's
    /// instance profile (needs such an instance to exist).
    SsmOnInstance,
    /// `lambda:UpdateFunctionCode` on a function that runs as the role (needs such a
    /// function to exist).
    UpdateLambdaCode,
    /// `glue:UpdateDevEndpoint` on an endpoint that runs as the role (needs one to exist).
    UpdateGlueDevEndpoint,
    /// `cloudformation:UpdateStack` on a stack with a service role: the new template's
    /// resources are created as that role (needs such a stack to exist).
    UpdateCloudFormationStack,
    /// `codebuild:StartBuild` (or `StartBuildBatch`) with a buildspec override on a
    /// project that builds as the role (needs such a project to exist).
    StartCodeBuildProject,
    /// `sagemaker:CreatePresignedNotebookInstanceUrl`: a Jupyter shell on a notebook
    /// that runs as the role (needs such a notebook to exist).
    OpenSageMakerNotebook,
    /// `ecs:ExecuteCommand` into a running task of an ECS service whose task role is
    /// the role (needs such a service, with ECS Exec enabled, to exist).
    EcsExecOnService,
    /// Self-escalation: `iam:PutUserPolicy`/`iam:PutRolePolicy` on oneself.
    PutOwnPolicy,
    /// Self-escalation: `iam:AttachUserPolicy`/`iam:AttachRolePolicy` on oneself.
    AttachOwnPolicy,
    /// Self-escalation: `iam:CreatePolicyVersion` (set as default) on a customer-managed
    /// policy attached to oneself or one's group.
    CreatePolicyVersion,
    /// Self-escalation: `iam:SetDefaultPolicyVersion` on an attached policy with another
    /// version (grants admin only if that version does).
    SetDefaultPolicyVersion,
    /// Self-escalation: `iam:PutGroupPolicy` on one's own group.
    PutGroupPolicy,
    /// Self-escalation: `iam:AttachGroupPolicy` on one's own group.
    AttachGroupPolicy,
    /// Self-escalation: `iam:AddUserToGroup` to join a group whose policies grant admin.
    AddUserToGroup,
    /// Self-escalation: `iam:CreateRole` + `iam:AttachRolePolicy`/`PutRolePolicy`: a new
    /// admin role trusting oneself.
    CreateAdminRole,
    /// An administrator can become any principal of the account (it can rewrite any
    /// trust policy or create keys for any user).
    AdminControl,
}

impl EdgeKind {
    /// True for the self-escalation kinds: the edge goes from a principal to itself and
    /// leaves it an administrator.
    pub fn is_self_escalation(self) -> bool {
        use EdgeKind::*;
        matches!(
            self,
            PutOwnPolicy
                | AttachOwnPolicy
                | CreatePolicyVersion
                | SetDefaultPolicyVersion
                | PutGroupPolicy
                | AttachGroupPolicy
                | AddUserToGroup
                | CreateAdminRole
        )
    }

    /// True for trust-based edges (assuming a role), as opposed to escalation techniques.
    pub fn is_trust(self) -> bool {
        matches!(
            self,
            EdgeKind::AssumeRole
                | EdgeKind::AssumeRoleWithWebIdentity
                | EdgeKind::AssumeRoleWithSaml
                | EdgeKind::ServiceAssumeRole
        )
    }

    /// The snake_case name used in JSON and graph exports.
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// Extra context a proof's request was evaluated with (beyond unknown keys).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProofContext {
    /// Nothing known: every condition key is unknown.
    Unknown,
    /// `iam:PassedToService` set to this service.
    PassedToService(&'static str),
    /// `iam:PolicyARN` set to this policy (attaching AdministratorAccess).
    PolicyArn(Box<str>),
}

/// One request the evaluator allowed (or conditionally allowed) to create an edge.
/// Kept small; the statements behind it (the evidence) are found again on demand by
/// replaying the request with a trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proof {
    /// The action.
    pub action: &'static str,
    /// The resource it was asked on (shared: a graph keeps one copy of each).
    #[serde(serialize_with = "as_str")]
    pub resource: Arc<str>,
    /// The context it was asked with.
    pub context: ProofContext,
    /// Who asked, when not the edge's source: the service that assumes a passed role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caller: Option<Box<str>>,
    /// In a [`super::Grant`]: the request is asked on each target's own ARN (`resource`
    /// is the representative's). Always false in an expanded [`Edge`].
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub on_target: bool,
}

impl Proof {
    /// A request on a fixed resource, with unknown context.
    pub fn on(action: &'static str, resource: &str, context: ProofContext) -> Proof {
        Proof {
            action,
            resource: resource.into(),
            context,
            caller: None,
            on_target: false,
        }
    }

    /// The same request, asked on each target's ARN.
    pub fn per_target(mut self) -> Proof {
        self.on_target = true;
        self
    }
}

fn as_str<S: Serializer>(text: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(text)
}

/// The statements that allowed one request (`PolicyName/Sid` or `PolicyName#index`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The action.
    pub action: String,
    /// The resource it was asked on.
    pub resource: String,
    /// `Allow` or `Conditional`.
    pub decision: String,
    /// The statements that allowed it.
    pub statements: Vec<String>,
    /// The conditions of the trust-policy statements among them, e.g.
    /// `StringLike token.actions.githubusercontent.com:sub = repo:acme/app:*`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
}

/// A directed edge of the principal graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// Index of the source node.
    pub from: usize,
    /// Index of the target node.
    pub to: usize,
    /// How.
    pub kind: EdgeKind,
    /// True when the edge depends on context keys or on facts the bundle lacks.
    pub conditional: bool,
    /// The context keys that decide a conditional edge.
    pub missing_keys: Vec<String>,
    /// What must also be true that the bundle cannot tell (e.g. "an EC2 instance runs
    /// with instance profile X").
    pub assumptions: Vec<String>,
    /// The requests the evaluator allowed to create the edge.
    pub proofs: Vec<Proof>,
}

impl Edge {
    /// Folds a decision into the edge: a Conditional makes it conditional.
    pub fn absorb(&mut self, decision: &Decision) {
        if let Decision::Conditional {
            missing_keys,
            reasons,
        } = decision
        {
            self.conditional = true;
            for k in missing_keys {
                if !self.missing_keys.contains(k) {
                    self.missing_keys.push(k.clone());
                }
            }
            for r in reasons {
                if !self.assumptions.contains(r) {
                    self.assumptions.push(r.clone());
                }
            }
        }
    }
}
