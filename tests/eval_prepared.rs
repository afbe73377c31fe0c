//! [`Engine::prepare`] / [`Engine::decide_all`] (the who-can fast path) give exactly
//! [`Engine::decide`]'s decisions, missing keys and their order included, over generated
//! accounts and a spread of actions, resources and contexts.

use iamscope::eval::{Context, Engine, Query};
use iamscope::synth::{generate_gaad_json, SynthOptions};

fn account(seed: u64) -> iamscope::model::Account {
    let options = SynthOptions {
        users: 150,
        roles: 150,
        groups: 20,
        policies: 80,
        seed,
        ..SynthOptions::default()
    };
    iamscope::load::load_gaad_bytes("t", generate_gaad_json(&options).into_bytes())
        .expect("generated account loads")
}

fn contexts(user: &str) -> Vec<Context> {
    let mut out = vec![Context::new(true), Context::new(false)];
    let mut c = Context::new(false);
    c.add("aws:MultiFactorAuthPresent", "true");
    c.add("aws:SourceIp", "10.1.2.3");
    c.add("aws:RequestedRegion", "eu-west-1");
    out.push(c);
    let mut c = Context::new(true);
    c.add("aws:username", user);
    c.add("aws:PrincipalTag/team", "data");
    c.add("aws:ResourceTag/team", "data");
    out.push(c);
    let mut c = Context::new(false);
    c.set_absent("aws:MultiFactorAuthPresent");
    c.add("aws:TagKeys", "team");
    c.add("aws:TagKeys", "env");
    c.add("aws:CalledVia", "cloudformation.amazonaws.com");
    out.push(c);
    out
}

#[test]
fn prepared_queries_decide_exactly_like_decide() {
    for seed in [1, 7, 42] {
        let account = account(seed);
        let engine = Engine::new(&account);
        let id = account.id.clone();
        let role = account.roles[3].common.arn.as_str().to_string();
        let user = account.users[5].common.arn.as_str().to_string();
        let user_name = account.users[5].common.name.clone();
        let mut resources = vec![
            "*".to_string(),
            "arn:aws:s3:::data-bucket-1/reports/2026.csv".to_string(),
            format!("arn:aws:iam::{id}:role/admin-x"),
            role.clone(),
            user.clone(),
            format!("arn:aws:dynamodb:eu-west-1:{id}:table/data-orders"),
            format!("arn:aws:ec2:eu-west-1:{id}:instance/i-1"),
            format!("arn:aws:s3:::x/{user_name}/y"),
        ];
        for b in account.resource_policies.iter().take(3) {
            resources.push(b.resource_arn.as_str().to_string());
        }
        let actions = [
            "s3:GetObject",
            "s3:PutObject",
            "s3:DeleteBucket",
            "iam:PassRole",
            "iam:CreateAccessKey",
            "iam:CreatePolicyVersion",
            "sts:AssumeRole",
            "ec2:RunInstances",
            "ec2:DescribeInstances",
            "dynamodb:GetItem",
            "kms:Decrypt",
            "secretsmanager:GetSecretValue",
            "lambda:InvokeFunction",
            "logs:PutLogEvents",
            "ssm:GetParameter",
            "organizations:LeaveOrganization",
        ];
        let mut checked = 0usize;
        for action in actions {
            for resource in &resources {
                for context in contexts(&user_name) {
                    let query = Query::new(action, resource).with_context(context);
                    let all = engine.decide_all(&query);
                    assert_eq!(all.len(), engine.principals().count());
                    for (who, d) in all {
                        let expected = engine.decide(who, &query);
                        assert_eq!(d, expected, "seed {seed} {action} {resource} {who:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 10_000);
    }
}

#[test]
fn prepared_query_matches_explain() {
    let account = account(3);
    let engine = Engine::new(&account);
    let query = Query::new(
        "s3:GetObject",
        "arn:aws:s3:::data-bucket-1/reports/2026.csv",
    )
    .with_context(Context::new(false));
    let prepared = engine.prepare(&query);
    for who in engine.principals() {
        assert_eq!(prepared.decide(who), engine.explain(who, &query).0);
    }
}
