//! Escalation edges to other principals: credentials for another user, rewriting a
//! role's trust, passing a role to a service one controls, or taking over a resource
//! that already runs as a role.

use std::collections::HashMap;

use super::build::Builder;
use super::candidates::Allowing;
use super::edge::{EdgeKind, Proof, ProofContext};
use crate::eval::{Context, Decision, PrincipalRef};
use crate::model::{CredentialReportRow, RoleId, UserId};
use crate::policy::ActionName;

/// A way to run code as a role by passing it to a service.
struct PassRoleTechnique {
    kind: EdgeKind,
    service: &'static str,
    /// Any one of these sets of actions, each needed in full (on `*`).
    alternatives: &'static [&'static [&'static str]],
}

const PASS_ROLE: &[PassRoleTechnique] = &[
    PassRoleTechnique {
        kind: EdgeKind::PassRoleToEc2,
        service: "ec2.amazonaws.com",
        alternatives: &[&["ec2:RunInstances"]],
    },
    PassRoleTechnique {
        kind: EdgeKind::PassRoleToLambda,
        service: "lambda.amazonaws.com",
        alternatives: &[
            &["lambda:CreateFunction", "lambda:InvokeFunction"],
            &["lambda:CreateFunction", "lambda:CreateEventSourceMapping"],
        ],
    },
    PassRoleTechnique {
        kind: EdgeKind::PassRoleToCloudFormation,
        service: "cloudformation.amazonaws.com",
        alternatives: &[&["cloudformation:CreateStack"]],
    },
    PassRoleTechnique {
        kind: EdgeKind::PassRoleToGlue,
        service: "glue.amazonaws.com",
        alternatives: &[
            &["glue:CreateDevEndpoint"],
            &["glue:CreateJob", "glue:StartJobRun"],
        ],
    },
    PassRoleTechnique {
        kind: EdgeKind::PassRoleToSageMaker,
        service: "sagemaker.amazonaws.com",
        alternatives: &[
            &[
                "sagemaker:CreateNotebookInstance",
                "sagemaker:CreatePresignedNotebookInstanceUrl",
            ],
            &["sagemaker:CreateTrainingJob"],
            &["sagemaker:CreateProcessingJob"],
        ],
    },
    PassRoleTechnique {
        kind: EdgeKind::PassRoleToCodeBuild,
        service: "codebuild.amazonaws.com",
        alternatives: &[&["codebuild:CreateProject", "codebuild:StartBuild"]],
    },
    PassRoleTechnique {
        kind: EdgeKind::PassRoleToEcs,
        service: "ecs-tasks.amazonaws.com",
        alternatives: &[
            &["ecs:RegisterTaskDefinition", "ecs:RunTask"],
            &["ecs:RegisterTaskDefinition", "ecs:StartTask"],
            &["ecs:RegisterTaskDefinition", "ecs:CreateService"],
        ],
    },
    PassRoleTechnique {
        kind: EdgeKind::PassRoleToDataPipeline,
        service: "datapipeline.amazonaws.com",
        alternatives: &[&[
            "datapipeline:CreatePipeline",
            "datapipeline:PutPipelineDefinition",
            "datapipeline:ActivatePipeline",
        ]],
    },
];

/// Taking over something that already runs as a role: the bundle cannot see whether it
/// exists, so these edges carry that assumption.
struct TakeoverTechnique {
    kind: EdgeKind,
    service: &'static str,
    actions: &'static [&'static str],
    needs_instance_profile: bool,
    assumption: &'static str,
}

const TAKEOVER: &[TakeoverTechnique] = &[
    TakeoverTechnique {
        kind: EdgeKind::SsmOnInstance,
        service: "ec2.amazonaws.com",
        actions: &["ssm:SendCommand", "ssm:StartSession"],
        needs_instance_profile: true,
        assumption: "an EC2 instance with the SSM agent runs with this role's instance profile",
    },
    TakeoverTechnique {
        kind: EdgeKind::UpdateLambdaCode,
        service: "lambda.amazonaws.com",
        actions: &["lambda:UpdateFunctionCode"],
        needs_instance_profile: false,
        assumption: "a Lambda function runs with this role",
    },
    TakeoverTechnique {
        kind: EdgeKind::UpdateGlueDevEndpoint,
        service: "glue.amazonaws.com",
        actions: &["glue:UpdateDevEndpoint"],
        needs_instance_profile: false,
        assumption: "a Glue development endpoint runs with this role",
    },
];

type Proven = (Decision, Proof);

/// Adds escalation edges from every principal that is not already an administrator.
pub fn add_escalations(b: &mut Builder<'_, '_>) {
    let engine = b.engine;
    let account = engine.account();
    let report: HashMap<&str, &CredentialReportRow> = account
        .credential_report
        .iter()
        .flatten()
        .map(|r| (r.arn.as_str(), r))
        .collect();
    let principals: Vec<PrincipalRef> = engine.principals().collect();
    let mut self_escalates = vec![false; b.graph.nodes.len()];
    for e in b.graph.edges.iter().filter(|e| e.kind.is_self_escalation()) {
        self_escalates[e.from] = true;
    }
    for who in principals {
        let from = b.graph.node_of(who);
        // An administrator, or a principal that can make itself one, controls every
        // principal already (searches add that hop); its edges would only repeat it.
        if b.graph.is_admin(from) || self_escalates[from] {
            continue;
        }
        user_credential_edges(b, who, &report);
        role_trust_edges(b, who);
        pass_role_edges(b, who);
        takeover_edges(b, who);
    }
}

/// Targets among `arns` that `who`'s Allow statements for `action` could cover.
fn covered<'t, T: Copy>(
    b: &Builder<'_, '_>,
    who: PrincipalRef,
    action: &str,
    targets: impl Iterator<Item = (T, &'t str)>,
) -> Vec<(T, &'t str)> {
    let name = ActionName::new(action);
    let allowing = Allowing::new(b.engine, who, &name);
    if allowing.is_empty() {
        return Vec::new();
    }
    targets
        .filter(|(_, arn)| allowing.could_cover(b.engine, who, &name, arn))
        .collect()
}

fn user_credential_edges(
    b: &mut Builder<'_, '_>,
    who: PrincipalRef,
    report: &HashMap<&str, &CredentialReportRow>,
) {
    let account = b.engine.account();
    let from = b.graph.node_of(who);
    let users = || {
        account
            .users
            .iter()
            .enumerate()
            .map(|(i, u)| (UserId(i as u32), u.common.arn.as_str()))
            .filter(move |(u, _)| PrincipalRef::User(*u) != who)
    };
    for (target, arn) in covered(b, who, "iam:CreateAccessKey", users()) {
        if let Some(proof) = b.ask(who, "iam:CreateAccessKey", arn, ProofContext::Unknown) {
            let mut assumptions = Vec::new();
            if report
                .get(arn)
                .is_some_and(|r| r.access_key_1.active && r.access_key_2.active)
            {
                assumptions.push(
                    "the user already has two active access keys: one must be deleted first"
                        .to_string(),
                );
            }
            let to = b.graph.user_node(target);
            b.edge(
                from,
                to,
                EdgeKind::CreateAccessKey,
                vec![proof],
                assumptions,
            );
        }
    }
    for (action, kind, wants_password) in [
        (
            "iam:CreateLoginProfile",
            EdgeKind::CreateLoginProfile,
            false,
        ),
        ("iam:UpdateLoginProfile", EdgeKind::UpdateLoginProfile, true),
    ] {
        for (target, arn) in covered(b, who, action, users()) {
            // The credential report says whether a password exists; without it, both
            // techniques are possible.
            if report
                .get(arn)
                .is_some_and(|r| r.password_enabled != wants_password)
            {
                continue;
            }
            if let Some(proof) = b.ask(who, action, arn, ProofContext::Unknown) {
                let to = b.graph.user_node(target);
                b.edge(from, to, kind, vec![proof], Vec::new());
            }
        }
    }
}

fn role_trust_edges(b: &mut Builder<'_, '_>, who: PrincipalRef) {
    let account = b.engine.account();
    let from = b.graph.node_of(who);
    let targets = account
        .roles
        .iter()
        .enumerate()
        .map(|(i, r)| (RoleId(i as u32), r.common.arn.as_str()))
        .filter(|(r, _)| PrincipalRef::Role(*r) != who);
    for (target, arn) in covered(b, who, "iam:UpdateAssumeRolePolicy", targets) {
        if let Some(proof) = b.ask(
            who,
            "iam:UpdateAssumeRolePolicy",
            arn,
            ProofContext::Unknown,
        ) {
            let to = b.graph.role_node(target);
            b.edge(
                from,
                to,
                EdgeKind::UpdateAssumeRolePolicy,
                vec![proof],
                Vec::new(),
            );
        }
    }
}

/// The first alternative whose actions are all allowed (on `*`), with their proofs.
fn service_actions(
    b: &Builder<'_, '_>,
    who: PrincipalRef,
    alternatives: &[&[&'static str]],
) -> Option<Vec<Proven>> {
    alternatives.iter().find_map(|actions| {
        actions
            .iter()
            .map(|a| b.ask(who, a, "*", ProofContext::Unknown))
            .collect::<Option<Vec<_>>>()
    })
}

fn pass_role_edges(b: &mut Builder<'_, '_>, who: PrincipalRef) {
    let account = b.engine.account();
    let from = b.graph.node_of(who);
    let name = ActionName::new("iam:PassRole");
    let allowing = Allowing::new(b.engine, who, &name);
    if allowing.is_empty() {
        return;
    }
    for technique in PASS_ROLE {
        let targets: Vec<RoleId> = b
            .roles_trusting(technique.service, who)
            .filter(|r| {
                allowing.could_cover(b.engine, who, &name, account.role(*r).common.arn.as_str())
            })
            .collect();
        if targets.is_empty() {
            continue;
        }
        let Some(actions) = service_actions(b, who, technique.alternatives) else {
            continue;
        };
        let mut targets = targets;
        targets.sort();
        for target in targets {
            let role = account.role(target);
            let arn = role.common.arn.as_str();
            let mut context = Context::new(false);
            context.set("iam:PassedToService", vec![technique.service.to_string()]);
            let Some(pass) = b.ask(
                who,
                "iam:PassRole",
                arn,
                ProofContext::PassedToService(technique.service),
            ) else {
                continue;
            };
            let mut proofs = vec![pass];
            proofs.extend(actions.iter().cloned());
            // The service must be able to assume the role: its trust is part of the proof.
            let trust = Proof {
                action: "sts:AssumeRole",
                resource: arn.into(),
                context: ProofContext::Unknown,
                caller: Some(technique.service.into()),
            };
            let trusted = b
                .engine
                .decide_outside(technique.service, &trust.query(), None);
            proofs.push((trusted, trust));
            if technique.kind == EdgeKind::PassRoleToEc2 && role.instance_profiles.is_empty() {
                let profile = service_actions(
                    b,
                    who,
                    &[&["iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile"]],
                );
                match profile {
                    Some(p) => proofs.extend(p),
                    None => continue,
                }
            }
            let to = b.graph.role_node(target);
            b.edge(from, to, technique.kind, proofs, Vec::new());
        }
    }
}

fn takeover_edges(b: &mut Builder<'_, '_>, who: PrincipalRef) {
    let account = b.engine.account();
    let from = b.graph.node_of(who);
    for technique in TAKEOVER {
        let Some(proof) = technique
            .actions
            .iter()
            .find_map(|a| b.ask(who, a, "*", ProofContext::Unknown))
        else {
            continue;
        };
        let mut targets: Vec<RoleId> = b
            .roles_trusting(technique.service, who)
            .filter(|r| {
                !technique.needs_instance_profile || !account.role(*r).instance_profiles.is_empty()
            })
            .collect();
        targets.sort();
        for target in targets {
            let to = b.graph.role_node(target);
            b.edge(
                from,
                to,
                technique.kind,
                vec![proof.clone()],
                vec![technique.assumption.to_string()],
            );
        }
    }
}
