//! Organization bundles: a folder with one sub-bundle per account (named by account id)
//! and the organization's data in `organizations/`, loaded as one model.
//!
//! ```text
//! ORG/organizations/   organization.json, accounts.json, parents/, scp/, rcp/, policies/
//! ORG/<account id>/    an account bundle (gaad.json, resource-policies/, …)
//! ```

use std::path::Path;

use serde::Deserialize;

use super::disk::io_error;
use super::org_source::MemberSource;
use super::source::{BundleSource, FolderSource};
use super::{json, load_source, merge, text, LoadError};
use crate::model::{Account, OrgAccount};

/// The organization's account list, `organizations/accounts.json`.
pub const ACCOUNTS_FILE: &str = "organizations/accounts.json";

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawAccounts {
    accounts: Vec<RawAccount>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawAccount {
    id: String,
    name: Option<String>,
    status: Option<String>,
}

/// Whether `name` is a 12-digit account id.
pub fn is_account_id(name: &str) -> bool {
    name.len() == 12 && name.bytes().all(|b| b.is_ascii_digit())
}

/// The account sub-folders of `root` (sorted), when `root` is an organization bundle: a
/// folder without `gaad.json` holding folders named by account id. `None` otherwise.
pub fn member_folders(root: &Path) -> Result<Option<Vec<String>>, LoadError> {
    if root.join("gaad.json").exists() {
        return Ok(None);
    }
    let entries = std::fs::read_dir(root).map_err(|e| io_error(root, "list the folder", &e))?;
    let mut ids = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io_error(root, "list the folder", &e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_account_id(&name) && entry.path().is_dir() {
            ids.push(name);
        }
    }
    ids.sort();
    Ok((!ids.is_empty()).then_some(ids))
}

/// Loads the organization bundle at `root` whose account folders are `ids`.
pub fn load_folder(root: &Path, ids: &[String]) -> Result<Account, LoadError> {
    let org = FolderSource::shared(root);
    let mut members = Vec::with_capacity(ids.len());
    for id in ids {
        members.push((Some(id.clone()), FolderSource::open(&root.join(id))?));
    }
    let members: Vec<(Option<String>, &dyn BundleSource)> = members
        .iter()
        .map(|(id, s)| (id.clone(), s as &dyn BundleSource))
        .collect();
    load(&org, &members, root.display().to_string())
}

/// Loads an organization: its shared data from `org`, each account from its source
/// (with the account id its folder name promises, when it has one).
pub fn load(
    org: &dyn BundleSource,
    members: &[(Option<String>, &dyn BundleSource)],
    name: String,
) -> Result<Account, LoadError> {
    let org_accounts = read_accounts(org)?;
    let management = management_account(org)?;
    let mut accounts = Vec::with_capacity(members.len());
    for (expected, member) in members {
        let source = MemberSource::new(org, *member);
        let shown = member.display_path("").display().to_string();
        let account = load_source(&source, shown.trim_end_matches('/').to_string())?;
        if let Some(expected) = expected {
            if !account.id.is_empty() && account.id != *expected {
                return Err(LoadError::file(
                    member.display_path("gaad.json"),
                    format!(
                        "this folder is named for account {expected} but its gaad.json holds account {}'s IAM",
                        account.id
                    ),
                ));
            }
        }
        if accounts.iter().any(|a: &Account| a.id == account.id) {
            return Err(LoadError::file(
                member.display_path("gaad.json"),
                format!("account {} appears twice in the organization", account.id),
            ));
        }
        accounts.push(account);
    }
    // The management account first, when held: it is the organization's own account.
    if let Some(m) = management {
        if let Some(i) = accounts.iter().position(|a| a.id == m) {
            let management = accounts.remove(i);
            accounts.insert(0, management);
        }
    }
    Ok(merge::merge(accounts, org_accounts, name))
}

fn read_accounts(org: &dyn BundleSource) -> Result<Vec<OrgAccount>, LoadError> {
    let Some(bytes) = org.read(ACCOUNTS_FILE)? else {
        return Ok(Vec::new());
    };
    let path = org.display_path(ACCOUNTS_FILE);
    let raw: RawAccounts = json::parse(&path, text::check_text(&path, &bytes)?)?;
    Ok(raw
        .accounts
        .into_iter()
        .map(|a| OrgAccount {
            id: a.id,
            name: a.name,
            status: a.status,
        })
        .collect())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawDescribe {
    organization: RawManagement,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawManagement {
    master_account_id: Option<String>,
}

fn management_account(org: &dyn BundleSource) -> Result<Option<String>, LoadError> {
    let rel = "organizations/organization.json";
    let Some(bytes) = org.read(rel)? else {
        return Ok(None);
    };
    let path = org.display_path(rel);
    let raw: RawDescribe = json::parse(&path, text::check_text(&path, &bytes)?)?;
    Ok(raw.organization.master_account_id)
}
