//! `resource-policies/`: bucket, key, queue, topic, function and secret policies.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::builder::AccountBuilder;
use super::policy_text::PolicyFile;
use super::providers::partition;
use super::{json, LoadError};
use crate::model::ResourcePolicy;

/// Every shape the supported exports take; each file fills some of these.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawPolicyFile<'a> {
    #[serde(borrow)]
    policy: Option<&'a RawValue>,
    #[serde(borrow)]
    resource_policy: Option<&'a RawValue>,
    #[serde(rename = "ARN")]
    arn: Option<String>,
    resource_arn: Option<String>,
    #[serde(borrow)]
    attributes: Option<RawAttributes<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawAttributes<'a> {
    #[serde(borrow)]
    policy: Option<&'a RawValue>,
    queue_arn: Option<String>,
    topic_arn: Option<String>,
}

/// Services whose files sit in one folder per region (`sqs/<region>/<name>.json`), so
/// that a queue or topic of the same name in two regions does not collide.
const REGIONAL_FOLDERS: &[&str] = &["kms", "lambda", "sqs", "sns"];
/// Services whose files sit directly in their folder. Queues and topics carry their
/// ARN, so the older flat `sqs/<name>.json` and `sns/<name>.json` are still read.
const FLAT_FOLDERS: &[&str] = &["s3", "sqs", "sns", "secretsmanager", "other"];

/// Reads every resource policy file of the bundle.
pub fn read(builder: &mut AccountBuilder<'_>) -> Result<(), LoadError> {
    let mut files = Vec::new();
    for service in FLAT_FOLDERS {
        let dir = format!("resource-policies/{service}");
        for rel in builder.source().list_files(&dir)? {
            files.push((service.to_string(), String::new(), rel));
        }
    }
    for service in REGIONAL_FOLDERS {
        for region_dir in builder
            .source()
            .list_dirs(&format!("resource-policies/{service}"))?
        {
            let region = region_dir
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string();
            for rel in builder.source().list_files(&region_dir)? {
                files.push((service.to_string(), region.clone(), rel));
            }
        }
    }
    for (service, region, rel) in files.iter().filter(|(_, _, rel)| rel.ends_with(".json")) {
        read_one(builder, service, region, rel)?;
    }
    Ok(())
}

fn read_one(
    builder: &mut AccountBuilder<'_>,
    service: &str,
    region: &str,
    rel: &str,
) -> Result<(), LoadError> {
    let Some(bytes) = builder.source().read(rel)? else {
        return Ok(());
    };
    let path = builder.display_path(rel);
    let text = super::text::check_text(&path, &bytes)?;
    let raw: RawPolicyFile<'_> = json::parse(&path, text)?;
    builder.account.parts.resource_policies = true;
    let name = rel
        .rsplit('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".json")
        .to_string();
    let part = partition(builder);
    let account = builder.account.id.clone();
    let attributes = raw.attributes.as_ref();
    let (arn, policy, field) = match service {
        "s3" => (
            Some(format!("arn:{part}:s3:::{name}")),
            raw.policy,
            "Policy",
        ),
        "kms" => (
            Some(format!("arn:{part}:kms:{region}:{account}:key/{name}")),
            raw.policy,
            "Policy",
        ),
        "lambda" => (
            Some(format!(
                "arn:{part}:lambda:{region}:{account}:function:{name}"
            )),
            raw.policy,
            "Policy",
        ),
        "sqs" => (
            attributes.and_then(|a| a.queue_arn.clone()),
            attributes.and_then(|a| a.policy),
            "Attributes.Policy",
        ),
        "sns" => (
            attributes.and_then(|a| a.topic_arn.clone()),
            attributes.and_then(|a| a.policy),
            "Attributes.Policy",
        ),
        "secretsmanager" => (raw.arn.clone(), raw.resource_policy, "ResourcePolicy"),
        _ => (raw.resource_arn.clone(), raw.policy, "Policy"),
    };
    let Some(arn) = arn else {
        builder.warn(
            rel,
            None,
            format!("cannot tell which {service} resource this policy belongs to (no ARN in the file); skipped"),
        );
        return Ok(());
    };
    let Some(policy) = policy else {
        builder.warn(
            rel,
            Some(field.to_string()),
            "no policy in this file; skipped".to_string(),
        );
        return Ok(());
    };
    let file = PolicyFile::new(rel, text);
    let policy = file.policy(policy, || field.to_string(), &mut builder.account.warnings);
    builder.account.resource_policies.push(ResourcePolicy {
        service: service.to_string(),
        resource_arn: arn,
        name,
        file: rel.to_string(),
        policy,
    });
    Ok(())
}
