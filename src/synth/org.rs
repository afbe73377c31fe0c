//! Synthetic organizations: several generated accounts, each trusting some of the
//! others, written as an organization bundle (`DIR/organizations/`, `DIR/<id>/gaad.json`).

use std::io::Write;
use std::path::Path;

use serde_json::json;

use super::{write_gaad, SynthOptions};

/// The organization's root id.
const ROOT: &str = "r-synth";

/// The ids of an organization of `n` accounts: `first`, `first + 1`, … (12 digits).
pub fn org_account_ids(first: &str, n: usize) -> Vec<String> {
    let base: u64 = first.parse().unwrap_or(100_000_000_000);
    (0..n as u64)
        .map(|k| format!("{:012}", (base + k) % 1_000_000_000_000))
        .collect()
}

fn write_json(path: &Path, value: &serde_json::Value) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    serde_json::to_writer_pretty(&mut file, value).map_err(std::io::Error::other)?;
    file.write_all(b"\n")?;
    file.flush()
}

/// Writes an organization of `accounts` accounts shaped like `template` (account `k`
/// gets id `template.account_id + k` and seed `template.seed + k`) into `dir`. The
/// first account is the management account; every account sits under the root with
/// `FullAWSAccess`, so SCPs are evaluated and allow what identity policies allow.
pub fn write_org(template: &SynthOptions, accounts: usize, dir: &Path) -> std::io::Result<()> {
    let ids = org_account_ids(&template.account_id, accounts);
    let org = dir.join("organizations");
    let management = ids.first().cloned().unwrap_or_default();
    write_json(
        &org.join("organization.json"),
        &json!({"Organization": {
            "Id": "o-synth00001",
            "Arn": format!("arn:aws:organizations::{management}:organization/o-synth00001"),
            "FeatureSet": "ALL",
            "MasterAccountId": management,
        }}),
    )?;
    let listed: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(k, id)| json!({"Id": id, "Name": format!("synth-{k:03}"), "Status": "ACTIVE"}))
        .collect();
    write_json(&org.join("accounts.json"), &json!({ "Accounts": listed }))?;
    let full = json!({"Policies": [{
        "Id": "p-FullAWSAccess",
        "Arn": "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
        "Name": "FullAWSAccess",
        "Type": "SERVICE_CONTROL_POLICY",
        "AwsManaged": true,
    }]});
    write_json(&org.join(format!("scp/{ROOT}.json")), &full)?;
    for (k, id) in ids.iter().enumerate() {
        write_json(
            &org.join(format!("parents/{id}.json")),
            &json!({"Parents": [{"Id": ROOT, "Type": "ROOT"}]}),
        )?;
        write_json(&org.join(format!("scp/{id}.json")), &full)?;
        let options = SynthOptions {
            account_id: id.clone(),
            seed: template.seed + k as u64,
            org_accounts: ids.clone(),
            ..template.clone()
        };
        let member = dir.join(id);
        std::fs::create_dir_all(&member)?;
        let file = std::fs::File::create(member.join("gaad.json"))?;
        write_gaad(&options, file)?;
    }
    Ok(())
}
