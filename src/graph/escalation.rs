//! Escalation edges to other principals: credentials for another user, rewriting a
//! role's trust, passing a role to a service one controls, or taking over a resource
//! that already runs as a role.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::build::{ask, gather, target_proof, Builder, Pending, PendingGrants};
use super::candidates::covers_action;
use super::class::{self, Class};
use super::edge::{EdgeKind, Proof, ProofContext};
use super::takeover;
use super::targets::{Keep, Universe};
use super::trust::graph_node;
use crate::eval::{Decision, Engine, PrincipalRef};
use crate::model::{CredentialReportRow, RoleId, WorkloadKind};
use crate::policy::{ActionName, Effect};

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
            &["ecs:RegisterTaskDefinition", "ecs:UpdateService"],
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

/// Taking over something that already runs as a role: without the workload inventory
/// the bundle cannot see whether it exists, so these edges carry that assumption.
struct TakeoverTechnique {
    kind: EdgeKind,
    /// The inventory kind that lists such workloads.
    workload: WorkloadKind,
    service: &'static str,
    actions: &'static [&'static str],
    needs_instance_profile: bool,
    assumption: &'static str,
}

const TAKEOVER: &[TakeoverTechnique] = &[
    TakeoverTechnique {
        kind: EdgeKind::SsmOnInstance,
        workload: WorkloadKind::Ec2Instance,
        service: "ec2.amazonaws.com",
        actions: &["ssm:SendCommand", "ssm:StartSession"],
        needs_instance_profile: true,
        assumption: "an EC2 instance with the SSM agent runs with this role's instance profile",
    },
    TakeoverTechnique {
        kind: EdgeKind::UpdateLambdaCode,
        workload: WorkloadKind::LambdaFunction,
        service: "lambda.amazonaws.com",
        actions: &["lambda:UpdateFunctionCode"],
        needs_instance_profile: false,
        assumption: "a Lambda function runs with this role",
    },
    TakeoverTechnique {
        kind: EdgeKind::UpdateGlueDevEndpoint,
        workload: WorkloadKind::GlueDevEndpoint,
        service: "glue.amazonaws.com",
        actions: &["glue:UpdateDevEndpoint"],
        needs_instance_profile: false,
        assumption: "a Glue development endpoint runs with this role",
    },
    TakeoverTechnique {
        kind: EdgeKind::UpdateCloudFormationStack,
        workload: WorkloadKind::CloudFormationStack,
        service: "cloudformation.amazonaws.com",
        actions: &["cloudformation:UpdateStack"],
        needs_instance_profile: false,
        assumption: "a CloudFormation stack has this role as its service role",
    },
    TakeoverTechnique {
        kind: EdgeKind::StartCodeBuildProject,
        workload: WorkloadKind::CodeBuildProject,
        service: "codebuild.amazonaws.com",
        actions: &["codebuild:StartBuild", "codebuild:StartBuildBatch"],
        needs_instance_profile: false,
        assumption: "a CodeBuild project has this role as its service role",
    },
    TakeoverTechnique {
        kind: EdgeKind::OpenSageMakerNotebook,
        workload: WorkloadKind::SageMakerNotebook,
        service: "sagemaker.amazonaws.com",
        actions: &["sagemaker:CreatePresignedNotebookInstanceUrl"],
        needs_instance_profile: false,
        assumption: "a SageMaker notebook instance runs with this role",
    },
    TakeoverTechnique {
        kind: EdgeKind::EcsExecOnService,
        workload: WorkloadKind::EcsService,
        service: "ecs-tasks.amazonaws.com",
        actions: &["ecs:ExecuteCommand"],
        needs_instance_profile: false,
        assumption: "an ECS service with ECS Exec enabled runs tasks with this task role",
    },
];

type Proven = (Decision, Proof);

/// Adds escalation edges from every principal that is not already an administrator.
pub fn add_escalations(b: &mut Builder<'_, '_>) {
    let escalates: HashSet<u32> = b.pending.self_escalating();
    // An administrator, or a principal that can make itself one, controls every
    // principal already (searches add that hop); its edges would only repeat it.
    let principals: Vec<PrincipalRef> = b
        .sources()
        .into_iter()
        .filter(|p| {
            let n = b.graph.node_of(*p);
            !b.graph.is_admin(n) && !escalates.contains(&(n as u32))
        })
        .collect();
    // Each technique's grants are interned as soon as found (see `gather`).
    let mut sink = std::mem::take(&mut b.pending);
    user_credential_edges(b, &principals, &mut sink);
    role_trust_edges(b, &principals, &mut sink);
    pass_role_edges(b, &principals, &mut sink);
    takeover_edges(b, &principals, &mut sink);
    b.pending = sink;
}

/// Interns `key` as a small feature id.
fn feature<K: std::hash::Hash + Eq>(ids: &mut HashMap<K, u32>, key: K) -> u32 {
    let next = ids.len() as u32;
    *ids.entry(key).or_insert(next)
}

/// For each class of `principals` (by `action`'s statements), each block of `universe`
/// its statements could allow, asked once: `make` turns the representative, the block's
/// first target and its nodes into an edge, or nothing.
#[allow(clippy::too_many_arguments)]
fn per_block<C>(
    b: &Builder<'_, '_>,
    principals: &[PrincipalRef],
    actions: &[ActionName],
    universe: &Universe<'_>,
    prepare: impl Fn(PrincipalRef) -> Option<C> + Sync,
    make: impl Fn(PrincipalRef, &C, usize) -> Option<(Vec<Proven>, Vec<String>)> + Sync,
    kind: EdgeKind,
    sink: &mut PendingGrants,
) {
    let engine = b.engine;
    let account = engine.account();
    let none = HashSet::new();
    let classes = class::classes(engine, &b.statement_ids, principals, actions, &none);
    let allowing: Vec<&Class> = classes.iter().filter(|c| c.allows[0]).collect();
    gather(sink, &allowing, |class| {
        let rep = class.representative();
        let Some(prepared) = prepare(rep) else {
            return Vec::new();
        };
        let from: Vec<u32> = class
            .members
            .iter()
            .map(|p| graph_node(account, *p))
            .collect();
        universe
            .blocks(engine, &b.statement_ids, rep, &actions[0], Keep::default())
            .into_iter()
            .filter_map(|block| {
                let (proofs, assumptions) = make(rep, &prepared, block.targets[0] as usize)?;
                Some(Pending {
                    from: from.clone(),
                    to: Some(
                        block
                            .targets
                            .iter()
                            .map(|&i| universe.nodes[i as usize])
                            .collect(),
                    ),
                    kind,
                    proofs,
                    assumptions,
                })
            })
            .collect::<Vec<_>>()
    });
}

fn user_credential_edges(
    b: &Builder<'_, '_>,
    principals: &[PrincipalRef],
    sink: &mut PendingGrants,
) {
    let engine = b.engine;
    let account = engine.account();
    let report: HashMap<&str, &CredentialReportRow> = account
        .credential_report
        .iter()
        .flatten()
        .map(|r| (r.arn.as_str(), r))
        .collect();
    let two_keys = |arn: &str| {
        report
            .get(arn)
            .is_some_and(|r| r.access_key_1.active && r.access_key_2.active)
    };
    for (action, kind, wants_password) in [
        ("iam:CreateAccessKey", EdgeKind::CreateAccessKey, None),
        (
            "iam:CreateLoginProfile",
            EdgeKind::CreateLoginProfile,
            Some(false),
        ),
        (
            "iam:UpdateLoginProfile",
            EdgeKind::UpdateLoginProfile,
            Some(true),
        ),
    ] {
        let mut ids = HashMap::new();
        // The credential report says whether a password exists; without it, both
        // login-profile techniques are possible.
        let universe = Universe::new(
            account
                .users
                .iter()
                .enumerate()
                .filter(|(i, _)| b.scope.is_target(*i))
                .filter(|(_, u)| {
                    let has = report
                        .get(u.common.arn.as_str())
                        .map(|r| r.password_enabled);
                    wants_password.is_none() || has.is_none() || has == wants_password
                })
                .map(|(i, u)| {
                    let arn = u.common.arn.as_str();
                    let f = feature(&mut ids, (u.common.path.as_str(), two_keys(arn)));
                    (i as u32, arn, f)
                }),
        );
        if universe.len() == 0 {
            continue;
        }
        per_block(
            b,
            principals,
            &[ActionName::new(action)],
            &universe,
            |_| Some(()),
            |who, _, first| {
                let arn = universe.arns[first];
                let proof = ask(
                    engine,
                    who,
                    target_proof(action, arn, ProofContext::Unknown),
                )?;
                let mut assumptions = Vec::new();
                if kind == EdgeKind::CreateAccessKey && two_keys(arn) {
                    assumptions.push(
                        "the user already has two active access keys: one must be deleted first"
                            .to_string(),
                    );
                }
                Some((vec![proof], assumptions))
            },
            kind,
            sink,
        );
    }
}

fn role_trust_edges(b: &Builder<'_, '_>, principals: &[PrincipalRef], sink: &mut PendingGrants) {
    let engine = b.engine;
    let account = engine.account();
    let mut ids = HashMap::new();
    let universe = Universe::new(
        account
            .roles
            .iter()
            .enumerate()
            .map(|(i, r)| (b.graph.role_node(RoleId(i as u32)), r))
            .filter(|(node, _)| b.scope.is_target(*node))
            .map(|(node, r)| {
                let f = feature(&mut ids, r.common.path.as_str());
                (node as u32, r.common.arn.as_str(), f)
            }),
    );
    if universe.len() == 0 {
        return;
    }
    let action = "iam:UpdateAssumeRolePolicy";
    per_block(
        b,
        principals,
        &[ActionName::new(action)],
        &universe,
        |_| Some(()),
        |who, _, first| {
            let proof = target_proof(action, universe.arns[first], ProofContext::Unknown);
            Some((vec![ask(engine, who, proof)?], Vec::new()))
        },
        EdgeKind::UpdateAssumeRolePolicy,
        sink,
    );
}

/// The first alternative whose actions are all allowed (on `*`), with their proofs.
fn service_actions(
    engine: &Engine<'_>,
    who: PrincipalRef,
    alternatives: &[&[&'static str]],
) -> Option<Vec<Proven>> {
    alternatives.iter().find_map(|actions| {
        actions
            .iter()
            .map(|a| ask(engine, who, Proof::on(a, "*", ProofContext::Unknown)))
            .collect::<Option<Vec<_>>>()
    })
}

const INSTANCE_PROFILE: &[&str] = &["iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile"];

fn pass_role_edges(b: &Builder<'_, '_>, principals: &[PrincipalRef], sink: &mut PendingGrants) {
    let engine = b.engine;
    let account = engine.account();
    for technique in PASS_ROLE {
        let mut ids = HashMap::new();
        let universe = Universe::new(b.roles_trusting(technique.service).map(|r| {
            let role = account.role(r);
            let key = (
                b.roles[r.index()].group,
                role.common.path.as_str(),
                role.instance_profiles.is_empty(),
            );
            (
                b.graph.role_node(r) as u32,
                role.common.arn.as_str(),
                feature(&mut ids, key),
            )
        }));
        if universe.len() == 0 {
            continue;
        }
        // Every action of the technique is part of the class: members must agree on all.
        let mut actions = vec![ActionName::new("iam:PassRole")];
        actions.extend(
            technique
                .alternatives
                .iter()
                .flat_map(|a| a.iter())
                .chain(INSTANCE_PROFILE)
                .map(|a| ActionName::new(a)),
        );
        per_block(
            b,
            principals,
            &actions,
            &universe,
            |who| {
                let actions = service_actions(engine, who, technique.alternatives)?;
                let profile = (technique.kind == EdgeKind::PassRoleToEc2)
                    .then(|| service_actions(engine, who, &[INSTANCE_PROFILE]));
                Some((actions, profile.flatten()))
            },
            |who, (actions, profile), first| {
                let arn = universe.arns[first];
                let role = account.role(RoleId(universe.nodes[first] - account.users.len() as u32));
                let pass = target_proof(
                    "iam:PassRole",
                    arn,
                    ProofContext::PassedToService(technique.service),
                );
                let pass = ask(engine, who, pass)?;
                let mut proofs = vec![pass];
                proofs.extend(actions.iter().cloned());
                // The service must be able to assume the role: its trust is part of the proof.
                let mut trust = target_proof("sts:AssumeRole", arn, ProofContext::Unknown);
                trust.caller = Some(technique.service.into());
                let trusted = engine.decide_outside(technique.service, &trust.query(), None);
                proofs.push((trusted, trust));
                if technique.kind == EdgeKind::PassRoleToEc2 && role.instance_profiles.is_empty() {
                    proofs.extend(profile.as_ref()?.iter().cloned());
                }
                Some((proofs, Vec::new()))
            },
            technique.kind,
            sink,
        );
    }
}

/// The resources `who`'s Allow statements for `action` name (`*` for NotResource or
/// no Resource), as written.
fn allowed_resources(engine: &Engine<'_>, who: PrincipalRef, action: &ActionName) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in engine
        .identity_policies(who)
        .iter()
        .filter_map(|p| p.document.ok())
        .flat_map(|d| d.statements.iter())
        .filter(|s| s.effect == Effect::Allow && covers_action(s, action))
    {
        let written: Vec<String> = match &s.resource {
            Some(spec) if !spec.negated => spec
                .patterns
                .iter()
                .map(|p| p.as_str().to_string())
                .collect(),
            _ => vec!["*".to_string()],
        };
        for r in written {
            if !out.contains(&r) {
                out.push(r);
            }
        }
    }
    out
}

/// Takeover edges: the technique's actions are asked on every resource the principal's
/// statements allow them on (a deploy role limited to two functions can still replace
/// their code), not only on `*`. With the workload inventory, they are asked on each
/// listed workload instead and the edge goes to the role it runs as, a fact; only
/// resources the inventory cannot see (an unlisted region) keep the assumption.
fn takeover_edges(b: &Builder<'_, '_>, principals: &[PrincipalRef], sink: &mut PendingGrants) {
    let engine = b.engine;
    let account = engine.account();
    let inventory = &account.workloads;
    let none = HashSet::new();
    let mut out = Vec::new();
    for technique in TAKEOVER {
        let kind = technique.workload;
        let listed = inventory.covered.contains_key(&kind);
        let targets: Vec<u32> = b
            .roles_trusting(technique.service)
            .filter(|r| {
                !technique.needs_instance_profile || !account.role(*r).instance_profiles.is_empty()
            })
            .map(|r| b.graph.role_node(r) as u32)
            .collect();
        if targets.is_empty() {
            continue;
        }
        let actions: Vec<ActionName> = technique
            .actions
            .iter()
            .map(|a| ActionName::new(a))
            .collect();
        let classes = class::classes(engine, &b.statement_ids, principals, &actions, &none);
        out.par_extend(
            classes
                .par_iter()
                .filter(|c| c.allows.iter().any(|&a| a))
                .flat_map_iter(|class| {
                    let who = class.representative();
                    let from: Vec<u32> = class
                        .members
                        .iter()
                        .map(|p| graph_node(account, *p))
                        .collect();
                    let facts = if listed {
                        takeover::fact_edges(b, who, kind, technique.service, technique.actions)
                    } else {
                        Vec::new()
                    };
                    let unlisted = technique
                        .actions
                        .iter()
                        .zip(&actions)
                        .find_map(|(a, name)| {
                            let mut proofs = Vec::new();
                            let mut resources = Vec::new();
                            for r in allowed_resources(engine, who, name)
                                .into_iter()
                                .filter(|r| takeover::could_be_unlisted(inventory, kind, r))
                            {
                                if let Some(p) =
                                    ask(engine, who, Proof::on(a, &r, ProofContext::Unknown))
                                {
                                    proofs.push(p);
                                    resources.push(r);
                                }
                            }
                            (!proofs.is_empty()).then_some((proofs, resources))
                        });
                    // Without a resource policy saying otherwise, a principal reaches
                    // the workloads of its own account only.
                    let home = b.graph.account_of(graph_node(account, who) as usize);
                    let at_home = |t: &u32| b.graph.account_of(*t as usize) == home;
                    let mut edges: Vec<Pending> = Vec::new();
                    if let Some((proofs, resources)) = unlisted {
                        let base = if resources.iter().any(|r| r == "*") {
                            technique.assumption.to_string()
                        } else {
                            format!(
                                "{} (one of: {})",
                                technique.assumption,
                                resources.join(", ")
                            )
                        };
                        // A role already reached as a fact needs no assumed edge too.
                        let to: Vec<u32> = targets
                            .iter()
                            .copied()
                            .filter(|t| at_home(t) && !facts.iter().any(|(n, _, _)| n == t))
                            .collect();
                        edges.push(Pending {
                            from: from.clone(),
                            to: Some(to),
                            kind: technique.kind,
                            proofs,
                            assumptions: vec![takeover::unlisted_assumption(
                                inventory, kind, &base,
                            )],
                        });
                    }
                    let wanted = |f: &super::takeover::FactEdge| {
                        at_home(&f.0) && b.scope.is_target(f.0 as usize)
                    };
                    for (node, proofs, assumptions) in facts.into_iter().filter(wanted) {
                        edges.push(Pending {
                            from: from.clone(),
                            to: Some(vec![node]),
                            kind: technique.kind,
                            proofs,
                            assumptions,
                        });
                    }
                    edges
                }),
        );
    }
    sink.extend(out);
}
