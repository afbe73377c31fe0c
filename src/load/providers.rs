//! The small IAM exports: account aliases, SAML and OIDC providers, instance profiles.

use serde::Deserialize;

use super::builder::AccountBuilder;
use super::gaad::{parse_arn, tags};
use super::gaad_raw::{RawInstanceProfile, RawTag};
use super::{json, LoadError};
use crate::model::{Arn, OidcProvider, SamlProvider};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawAliases {
    account_aliases: Vec<String>,
}

#[derive(Deserialize)]
struct RawSamlList {
    #[serde(rename = "SAMLProviderList")]
    providers: Vec<RawSaml>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawSaml {
    arn: String,
    valid_until: Option<String>,
    create_date: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawOidc {
    url: String,
    #[serde(default, rename = "ClientIDList")]
    client_ids: Vec<String>,
    #[serde(default)]
    thumbprint_list: Vec<String>,
    create_date: Option<String>,
    #[serde(default)]
    tags: Vec<RawTag>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawInstanceProfiles {
    instance_profiles: Vec<RawInstanceProfile>,
}

/// Reads one JSON file of the bundle into `T`; `None` when the bundle lacks it.
pub fn read_owned<T: serde::de::DeserializeOwned>(
    builder: &AccountBuilder<'_>,
    rel: &str,
) -> Result<Option<T>, LoadError> {
    let Some(bytes) = builder.source().read(rel)? else {
        return Ok(None);
    };
    let path = builder.display_path(rel);
    let text = super::text::check_text(&path, &bytes)?;
    json::parse(&path, text).map(Some)
}

/// `account-aliases.json`.
pub fn read_aliases(builder: &mut AccountBuilder<'_>) -> Result<(), LoadError> {
    if let Some(raw) = read_owned::<RawAliases>(builder, "account-aliases.json")? {
        builder.account.parts.account_aliases = true;
        builder.account.alias = raw.account_aliases.into_iter().next();
    }
    Ok(())
}

/// `saml-providers.json`.
pub fn read_saml(builder: &mut AccountBuilder<'_>) -> Result<(), LoadError> {
    let rel = "saml-providers.json";
    let Some(raw) = read_owned::<RawSamlList>(builder, rel)? else {
        return Ok(());
    };
    builder.account.parts.saml_providers = true;
    let path = builder.display_path(rel);
    for (i, p) in raw.providers.into_iter().enumerate() {
        let arn = parse_arn(&path, &format!("SAMLProviderList[{i}].Arn"), &p.arn)
            .map_err(|e| builder.place(rel, e))?;
        builder.account.saml_providers.push(SamlProvider {
            arn,
            valid_until: p.valid_until,
            create_date: p.create_date,
        });
    }
    Ok(())
}

/// `oidc-providers/*.json`: one `get-open-id-connect-provider` output each. The
/// output has no ARN; it is built from the account and the issuer URL.
pub fn read_oidc(builder: &mut AccountBuilder<'_>) -> Result<(), LoadError> {
    let files = builder.source().list_files("oidc-providers")?;
    for rel in files.iter().filter(|f| f.ends_with(".json")) {
        let Some(raw) = read_owned::<RawOidc>(builder, rel)? else {
            continue;
        };
        builder.account.parts.oidc_providers = true;
        let host = raw
            .url
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/');
        let arn_text = format!(
            "arn:{}:iam::{}:oidc-provider/{host}",
            partition(builder),
            builder.account.id
        );
        let arn = Arn::parse(&arn_text)
            .ok_or_else(|| {
                LoadError::file(
                    builder.display_path(rel),
                    format!("cannot build an ARN from Url {:?}", raw.url),
                )
                .at_path("Url")
            })
            .map_err(|e| builder.place(rel, e))?;
        builder.account.oidc_providers.push(OidcProvider {
            arn,
            url: raw.url,
            client_ids: raw.client_ids,
            thumbprints: raw.thumbprint_list,
            create_date: raw.create_date,
            tags: tags(&raw.tags),
        });
    }
    Ok(())
}

/// `instance-profiles.json`: adds profiles the roles did not mention (e.g. empty ones).
pub fn read_instance_profiles(builder: &mut AccountBuilder<'_>) -> Result<(), LoadError> {
    let rel = "instance-profiles.json";
    let Some(raw) = read_owned::<RawInstanceProfiles>(builder, rel)? else {
        return Ok(());
    };
    builder.account.parts.instance_profiles = true;
    for (i, p) in raw.instance_profiles.iter().enumerate() {
        builder
            .add_instance_profile(rel, &format!("InstanceProfiles[{i}]"), p, None)
            .map_err(|e| builder.place(rel, e))?;
    }
    Ok(())
}

/// The account's partition, `aws` when no ARN said otherwise.
pub fn partition(builder: &AccountBuilder<'_>) -> String {
    if builder.account.partition.is_empty() {
        "aws".to_string()
    } else {
        builder.account.partition.clone()
    }
}
