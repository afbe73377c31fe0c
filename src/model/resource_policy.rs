//! Resource-based policies of S3 buckets, KMS keys, queues, topics, functions, secrets.

use super::PolicySource;

/// A resource-based policy attached to one resource.
#[derive(Debug, Clone)]
pub struct ResourcePolicy {
    /// Service: `s3`, `kms`, `sqs`, `sns`, `lambda`, `secretsmanager` or other.
    pub service: String,
    /// The resource's ARN (derived from the file name when the export lacks it).
    pub resource_arn: String,
    /// A short display name: bucket, key id, queue, topic, function or secret name.
    pub name: String,
    /// The bundle-relative file it came from.
    pub file: String,
    /// The policy.
    pub policy: PolicySource,
}
