//! Synthetic AWS accounts for tests and benchmarks.
//!
//! [`generate_gaad`] builds a deterministic, realistic
//! `aws iam get-account-authorization-details` document: users in groups,
//! roles trusted by services, accounts, SAML and OIDC providers, customer and
//! AWS managed policies with versions, permissions boundaries, inline policies,
//! tags, and a sprinkling of privilege-escalation permissions (`iam:PassRole`,
//! `iam:CreatePolicyVersion`, `sts:AssumeRole`) so access graphs have edges.
//! The same [`SynthOptions`] always yield byte-identical output.

mod aws_managed;
mod build;
mod ctx;
mod doc;
mod identity;
mod names;
mod org;
mod rng;
mod shapes;
mod skeleton;
mod trust;

#[cfg(test)]
mod tests;

pub use org::{org_account_ids, write_org};

use serde::Serialize;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthOptions {
    /// Number of IAM users.
    pub users: usize,
    /// Number of IAM roles.
    pub roles: usize,
    /// Number of IAM groups.
    pub groups: usize,
    /// Number of managed policies in `Policies`: about a tenth (at most 18) are
    /// AWS managed, a fortieth of the rest are permissions boundaries, the rest
    /// customer managed.
    pub policies: usize,
    /// PRNG seed; the output is a pure function of the options.
    pub seed: u64,
    /// The 12-digit account id used in ARNs.
    pub account_id: String,
    /// Fraction (0.0–1.0) of policy documents written as URL-encoded JSON
    /// strings, as the raw IAM API returns them, instead of JSON objects.
    pub url_encoded_fraction: f64,
    /// The other accounts of the organization this account belongs to (empty: a lone
    /// account). Cross-account trust then names them, and some principals may assume
    /// their roles, so an organization bundle has edges between accounts.
    pub org_accounts: Vec<String>,
}

impl Default for SynthOptions {
    fn default() -> Self {
        SynthOptions {
            users: 50,
            roles: 50,
            groups: 10,
            policies: 40,
            seed: 1,
            account_id: "123456789012".to_string(),
            url_encoded_fraction: 0.0,
            org_accounts: Vec::new(),
        }
    }
}

impl SynthOptions {
    /// The large account the benchmarks use: 5,000 users, 5,000 roles, 300 groups and
    /// 1,500 managed policies (seed 7).
    pub fn large() -> SynthOptions {
        SynthOptions {
            users: 5_000,
            roles: 5_000,
            groups: 300,
            policies: 1_500,
            seed: 7,
            ..SynthOptions::default()
        }
    }
}

/// The large benchmark account ([`SynthOptions::large`]), loaded.
pub fn large_account() -> crate::model::Account {
    crate::load::load_gaad_bytes(
        "generated",
        generate_gaad_json(&SynthOptions::large()).into_bytes(),
    )
    .expect("the generated account loads")
}

/// Generates the account as a JSON value (object keys sorted, as in any
/// `serde_json::Value`; use [`generate_gaad_json`] for the CLI's key order).
pub fn generate_gaad(opts: &SynthOptions) -> serde_json::Value {
    serde_json::to_value(build::build(opts)).expect("GAAD serializes")
}

/// Generates the account as the AWS CLI v2 prints it: pretty-printed with
/// 4-space indentation, keys in the API's order, and a trailing newline.
pub fn generate_gaad_json(opts: &SynthOptions) -> String {
    let mut out = Vec::new();
    write_gaad(opts, &mut out).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// Streams the document produced by [`generate_gaad_json`] into `w`.
pub fn write_gaad(opts: &SynthOptions, w: impl std::io::Write) -> std::io::Result<()> {
    let gaad = build::build(opts);
    let mut w = std::io::BufWriter::new(w);
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut w, fmt);
    gaad.serialize(&mut ser).map_err(std::io::Error::other)?;
    std::io::Write::write_all(&mut w, b"\n")?;
    std::io::Write::flush(&mut w)
}
