//! The sample accounts, embedded in the binary so an installed iamscope has them.

use include_dir::{include_dir, Dir};

static SAMPLES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/sample-accounts");

/// The samples in the order they are offered; the first opens by default.
const ORDER: &[&str] = &["startup", "enterprise", "vulnerable", "analytics", "org"];

/// A sample account.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// Its name, e.g. `startup`.
    pub name: &'static str,
    /// The embedded bundle folder.
    pub dir: &'static Dir<'static>,
}

/// The file that makes a sample an organization: `{"Members": ["enterprise", …]}`, the
/// samples that are its accounts (their files are not copied into it). A folder on disk
/// holding it (a copy of `sample-accounts/org`) opens as the same organization.
pub const MEMBERS_FILE: &str = "members.json";

/// The members file's shape.
#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RawMembers {
    /// The names of the samples that are the organization's accounts.
    pub members: Vec<String>,
}

fn parse_members(bytes: &[u8]) -> Result<Vec<Sample>, String> {
    let raw: RawMembers = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    account_samples(&raw.members)
}

/// The account samples named `names`, in order; `Err` names one that is not an account
/// sample.
pub fn account_samples(names: &[String]) -> Result<Vec<Sample>, String> {
    names
        .iter()
        .map(|m| {
            find(m)
                .filter(|s| s.members().is_none())
                .ok_or_else(|| format!("{m:?} is not an account sample"))
        })
        .collect()
}

impl Sample {
    /// For an organization sample, the samples that are its accounts, in order; `None`
    /// for an account sample. `Err` names a member that is not a sample.
    pub fn members(&self) -> Option<Result<Vec<Sample>, String>> {
        let file = self.dir.get_file(self.dir.path().join(MEMBERS_FILE))?;
        Some(parse_members(file.contents()).map_err(|e| format!("{MEMBERS_FILE}: {e}")))
    }

    /// The first line of the sample's README after its title: what it shows.
    pub fn description(&self) -> String {
        let readme = self
            .dir
            .get_file(self.dir.path().join("README.md"))
            .and_then(|f| f.contents_utf8())
            .unwrap_or_default();
        readme
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .unwrap_or_default()
            .to_string()
    }
}

/// Every embedded sample: the known ones in order, then any others by name.
pub fn all() -> Vec<Sample> {
    let mut samples: Vec<Sample> = SAMPLES
        .dirs()
        .filter(|d| {
            d.get_file(d.path().join("gaad.json")).is_some()
                || d.get_file(d.path().join(MEMBERS_FILE)).is_some()
        })
        .filter_map(|dir| {
            let name = dir.path().file_name()?.to_str()?;
            Some(Sample { name, dir })
        })
        .collect();
    samples.sort_by_key(|s| {
        (
            ORDER
                .iter()
                .position(|o| *o == s.name)
                .unwrap_or(ORDER.len()),
            s.name,
        )
    });
    samples
}

/// The sample named `name`; the first one for an empty name.
pub fn find(name: &str) -> Option<Sample> {
    let all = all();
    if name.is_empty() {
        return all.into_iter().next();
    }
    all.into_iter().find(|s| s.name == name)
}
