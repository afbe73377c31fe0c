//! The sources an organization bundle's accounts are read through: each member's own
//! files, with `organizations/` taken from the organization's level.

use std::borrow::Cow;
use std::path::PathBuf;

use super::source::BundleSource;
use super::LoadError;

/// The folder whose files come from the organization's level rather than the member's.
const ORG_FOLDER: &str = "organizations";

fn is_org_path(rel: &str) -> bool {
    rel == ORG_FOLDER || rel.starts_with("organizations/")
}

/// A member account's bundle as its loaders see it: every file from the member's
/// sub-bundle except `organizations/…`, which is the organization's (one copy for all
/// accounts, so every member's SCP chain is read from the same data).
pub struct MemberSource<'s> {
    org: &'s dyn BundleSource,
    member: &'s dyn BundleSource,
}

impl<'s> MemberSource<'s> {
    /// Member `member` of the organization whose shared files are in `org`.
    pub fn new(org: &'s dyn BundleSource, member: &'s dyn BundleSource) -> MemberSource<'s> {
        MemberSource { org, member }
    }

    fn pick(&self, rel: &str) -> &'s dyn BundleSource {
        if is_org_path(rel) {
            self.org
        } else {
            self.member
        }
    }
}

impl BundleSource for MemberSource<'_> {
    fn display_path(&self, rel: &str) -> PathBuf {
        self.pick(rel).display_path(rel)
    }
    fn read(&self, rel: &str) -> Result<Option<Cow<'_, [u8]>>, LoadError> {
        self.pick(rel).read(rel)
    }
    fn list_files(&self, rel_dir: &str) -> Result<Vec<String>, LoadError> {
        self.pick(rel_dir).list_files(rel_dir)
    }
    fn list_dirs(&self, rel_dir: &str) -> Result<Vec<String>, LoadError> {
        self.pick(rel_dir).list_dirs(rel_dir)
    }
}

/// Several sources seen as one: a file is read from the first that has it, and a
/// folder lists the union. The sample organization uses it to add its second account's
/// place in the organization to the enterprise sample's Organizations data without
/// copying it.
pub struct StackedSource<'s> {
    layers: Vec<&'s dyn BundleSource>,
}

impl<'s> StackedSource<'s> {
    /// `layers`, first wins.
    pub fn new(layers: Vec<&'s dyn BundleSource>) -> StackedSource<'s> {
        StackedSource { layers }
    }

    fn union(
        &self,
        list: impl Fn(&dyn BundleSource) -> Result<Vec<String>, LoadError>,
    ) -> Result<Vec<String>, LoadError> {
        let mut out = Vec::new();
        for layer in &self.layers {
            out.extend(list(*layer)?);
        }
        out.sort();
        out.dedup();
        Ok(out)
    }
}

impl BundleSource for StackedSource<'_> {
    fn display_path(&self, rel: &str) -> PathBuf {
        for layer in &self.layers {
            if matches!(layer.read(rel), Ok(Some(_))) {
                return layer.display_path(rel);
            }
        }
        self.layers
            .first()
            .map_or_else(|| PathBuf::from(rel), |l| l.display_path(rel))
    }
    fn read(&self, rel: &str) -> Result<Option<Cow<'_, [u8]>>, LoadError> {
        for layer in &self.layers {
            if let Some(bytes) = layer.read(rel)? {
                return Ok(Some(bytes));
            }
        }
        Ok(None)
    }
    fn list_files(&self, rel_dir: &str) -> Result<Vec<String>, LoadError> {
        self.union(|l| l.list_files(rel_dir))
    }
    fn list_dirs(&self, rel_dir: &str) -> Result<Vec<String>, LoadError> {
        self.union(|l| l.list_dirs(rel_dir))
    }
}
