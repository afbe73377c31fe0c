//! Loading account bundles into the [`crate::model::Account`].
//!
//! One reader per export kind; raw serde structs mirror the AWS JSON and are
//! converted into the model. Every fatal error is a [`LoadError`] naming the file,
//! the JSON path and the line:column; a malformed policy is a warning, not an error:
//! the account loads and that policy is marked invalid.

mod builder;
mod credential_report;
mod disk;
mod document;
mod error;
mod gaad;
mod gaad_raw;
mod json;
mod locate;
mod merge;
pub mod org;
mod org_source;
mod organizations;
mod policy_text;
mod providers;
mod resource_policies;
mod shape;
mod source;
mod text;
mod workloads;

use std::path::{Path, PathBuf};

pub use disk::{parse_size, DEFAULT_MAX_FILE_BYTES, MAX_FILE_SIZE_VAR};
pub use document::read_text;
pub use error::LoadError;
pub use org_source::{MemberSource, StackedSource};
pub use source::{BundleSource, EmbeddedSource, FolderSource, SingleFileSource};

use crate::model::Account;
use crate::samples;
use builder::AccountBuilder;
use policy_text::PolicyFile;

/// Where an account comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A bundle folder or a single GAAD file.
    Path(PathBuf),
    /// A GAAD document on standard input.
    Stdin,
    /// A sample account embedded in the binary, by name; empty for the first.
    Sample(String),
}

impl Input {
    /// The input named by a `-b` argument: `-` is stdin, `sample:NAME` a sample,
    /// nothing the first sample account, anything else a path.
    pub fn from_arg(arg: Option<&str>) -> Input {
        match arg {
            None => Input::Sample(String::new()),
            Some("-") => Input::Stdin,
            Some(s) => match s.strip_prefix("sample:") {
                Some(name) => Input::Sample(name.to_string()),
                None => Input::Path(PathBuf::from(s)),
            },
        }
    }
}

/// Loads an account from a folder, a GAAD file, stdin or an embedded sample.
pub fn load(input: &Input) -> Result<Account, LoadError> {
    match input {
        Input::Path(path) => load_path(path),
        Input::Stdin => {
            let source = SingleFileSource::reader(std::io::stdin().lock())?;
            load_source(&source, "-".to_string())
        }
        Input::Sample(name) => {
            let sample = samples::find(name).ok_or_else(|| {
                let names: Vec<&str> = samples::all().iter().map(|s| s.name).collect();
                LoadError::file(
                    format!("sample:{name}"),
                    format!(
                        "no such sample account; the samples are: {}",
                        names.join(", ")
                    ),
                )
            })?;
            let name = format!("sample:{}", sample.name);
            let own = EmbeddedSource::new(sample.name, sample.dir);
            match sample.members() {
                Some(members) => {
                    let members = members.map_err(|e| LoadError::file(name.clone(), e))?;
                    load_sample_org(&own, &members, name)
                }
                None => load_source(&own, name),
            }
        }
    }
}

/// An organization sample: its own `organizations/` first (from `org_own`, embedded or
/// a copy on disk), then each member sample's, so the enterprise sample's Organizations
/// data serves the organization uncopied.
fn load_sample_org(
    org_own: &dyn BundleSource,
    members: &[samples::Sample],
    name: String,
) -> Result<Account, LoadError> {
    let sources: Vec<EmbeddedSource> = members
        .iter()
        .map(|m| EmbeddedSource::new(m.name, m.dir))
        .collect();
    let mut layers: Vec<&dyn BundleSource> = vec![org_own];
    layers.extend(sources.iter().map(|s| s as &dyn BundleSource));
    let org_data = StackedSource::new(layers);
    let members: Vec<(Option<String>, &dyn BundleSource)> = sources
        .iter()
        .map(|s| (None, s as &dyn BundleSource))
        .collect();
    org::load(&org_data, &members, name)
}

fn load_path(path: &Path) -> Result<Account, LoadError> {
    let meta = std::fs::metadata(path).map_err(|e| disk::io_error(path, "open it", &e))?;
    let name = path.display().to_string();
    if meta.is_dir() {
        if let Some(ids) = org::member_folders(path)? {
            return org::load_folder(path, &ids);
        }
        if let Some(members) = sample_members(path)? {
            return load_sample_org(&FolderSource::shared(path), &members, name);
        }
        load_source(&FolderSource::open(path)?, name)
    } else {
        load_source(&SingleFileSource::file(path)?, name)
    }
}

/// The account samples a folder's `members.json` names, when it is a copy of an
/// organization sample (no `gaad.json` of its own): its accounts are those samples.
fn sample_members(dir: &Path) -> Result<Option<Vec<samples::Sample>>, LoadError> {
    let file = dir.join(samples::MEMBERS_FILE);
    if dir.join("gaad.json").exists() || !file.is_file() {
        return Ok(None);
    }
    let bytes = std::fs::read(&file).map_err(|e| disk::io_error(&file, "read it", &e))?;
    let text = text::check_text(&file, &bytes)?;
    let raw: samples::RawMembers = json::parse(&file, text)?;
    samples::account_samples(&raw.members)
        .map(Some)
        .map_err(|e| LoadError::file(file, e))
}

/// Loads a GAAD document held in memory (benchmarks, tests, embedding).
pub fn load_gaad_bytes(name: &str, bytes: Vec<u8>) -> Result<Account, LoadError> {
    load_source(&SingleFileSource::bytes(name, bytes), name.to_string())
}

/// Loads every part of a bundle from `source`.
pub fn load_source(source: &dyn BundleSource, name: String) -> Result<Account, LoadError> {
    let mut builder = AccountBuilder::new(source, name);
    let gaad = source
        .read("gaad.json")?
        .ok_or_else(|| LoadError::file(source.display_path("gaad.json"), "missing gaad.json"))?;
    let text = text::check_text(&source.display_path("gaad.json"), &gaad)?;
    gaad::read(&mut builder, &PolicyFile::new("gaad.json", text))?;
    if builder.account.id.is_empty() {
        builder.warn(
            "gaad.json",
            None,
            "no account id: the export has no users, groups, roles or customer-managed policies"
                .to_string(),
        );
    }
    providers::read_aliases(&mut builder)?;
    providers::read_saml(&mut builder)?;
    providers::read_oidc(&mut builder)?;
    providers::read_instance_profiles(&mut builder)?;
    organizations::read(&mut builder)?;
    resource_policies::read(&mut builder)?;
    credential_report::read(&mut builder)?;
    workloads::read(&mut builder)?;
    Ok(builder.finish())
}
