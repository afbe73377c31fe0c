//! Where bundle files come from: a folder, a single GAAD file, stdin, or a sample
//! account embedded in the binary. Readers see only bundle-relative paths.

use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};

use include_dir::Dir;

use super::disk::{io_error, max_file_bytes, read_bounded, read_file};
use super::LoadError;

/// A read-only view of a bundle's files by bundle-relative path (`/`-separated).
pub trait BundleSource {
    /// How to name a bundle-relative file in messages.
    fn display_path(&self, rel: &str) -> PathBuf;
    /// The bytes of a file, or `None` when the bundle does not have it.
    fn read(&self, rel: &str) -> Result<Option<Cow<'_, [u8]>>, LoadError>;
    /// Bundle-relative paths of the files directly in a folder, sorted; empty when the
    /// folder is absent.
    fn list_files(&self, rel_dir: &str) -> Result<Vec<String>, LoadError>;
    /// Bundle-relative paths of the subfolders of a folder, sorted.
    fn list_dirs(&self, rel_dir: &str) -> Result<Vec<String>, LoadError>;
}

/// A bundle folder on disk.
pub struct FolderSource {
    root: PathBuf,
}

impl FolderSource {
    /// A bundle rooted at `root`, which must be a folder holding `gaad.json`.
    pub fn open(root: &Path) -> Result<FolderSource, LoadError> {
        // An unreadable folder is "permission denied", not "has no gaad.json".
        std::fs::read_dir(root).map_err(|e| io_error(root, "list the folder", &e))?;
        let gaad = root.join("gaad.json");
        let exists = std::fs::symlink_metadata(&gaad)
            .map(|_| true)
            .or_else(|e| match e.kind() {
                std::io::ErrorKind::NotFound => Ok(false),
                _ => Err(io_error(&gaad, "read it", &e)),
            })?;
        if !exists {
            return Err(LoadError::file(
                root,
                "this folder has no gaad.json: a bundle needs the output of \
                 `aws iam get-account-authorization-details` saved as gaad.json \
                 (see README: exporting an account)",
            ));
        }
        Ok(FolderSource { root: root.into() })
    }

    /// The shared level of an organization bundle at `root` (no `gaad.json` of its own).
    pub fn shared(root: &Path) -> FolderSource {
        FolderSource { root: root.into() }
    }

    fn list(&self, rel_dir: &str, want_dirs: bool) -> Result<Vec<String>, LoadError> {
        let dir = self.root.join(rel_dir);
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error(&dir, "list the folder", &e)),
        };
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| io_error(&dir, "list the folder", &e))?;
            let is_dir = entry.path().is_dir();
            if is_dir != want_dirs {
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            out.push(format!("{rel_dir}/{name}"));
        }
        out.sort();
        Ok(out)
    }
}

impl BundleSource for FolderSource {
    fn display_path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn read(&self, rel: &str) -> Result<Option<Cow<'_, [u8]>>, LoadError> {
        read_file(&self.root.join(rel)).map(|b| b.map(Cow::Owned))
    }

    fn list_files(&self, rel_dir: &str) -> Result<Vec<String>, LoadError> {
        self.list(rel_dir, false)
    }

    fn list_dirs(&self, rel_dir: &str) -> Result<Vec<String>, LoadError> {
        self.list(rel_dir, true)
    }
}

/// A single get-account-authorization-details document: a file or stdin.
pub struct SingleFileSource {
    name: PathBuf,
    bytes: Vec<u8>,
}

impl SingleFileSource {
    /// A GAAD file on disk.
    pub fn file(path: &Path) -> Result<SingleFileSource, LoadError> {
        let bytes =
            read_file(path)?.ok_or_else(|| LoadError::file(path, "no such file or folder"))?;
        Ok(SingleFileSource {
            name: path.into(),
            bytes,
        })
    }

    /// A GAAD document read from `reader` (standard input).
    pub fn reader(reader: impl Read) -> Result<SingleFileSource, LoadError> {
        let name = PathBuf::from("-");
        let bytes = read_bounded(&name, reader, 0, max_file_bytes()?)?;
        Ok(SingleFileSource { name, bytes })
    }

    /// A GAAD document already in memory, named `name` in messages.
    pub fn bytes(name: impl Into<PathBuf>, bytes: Vec<u8>) -> SingleFileSource {
        SingleFileSource {
            name: name.into(),
            bytes,
        }
    }
}

impl BundleSource for SingleFileSource {
    fn display_path(&self, _rel: &str) -> PathBuf {
        self.name.clone()
    }

    fn read(&self, rel: &str) -> Result<Option<Cow<'_, [u8]>>, LoadError> {
        Ok((rel == "gaad.json").then_some(Cow::Borrowed(&self.bytes[..])))
    }

    fn list_files(&self, _rel_dir: &str) -> Result<Vec<String>, LoadError> {
        Ok(Vec::new())
    }

    fn list_dirs(&self, _rel_dir: &str) -> Result<Vec<String>, LoadError> {
        Ok(Vec::new())
    }
}

/// A bundle embedded in the binary (the sample accounts).
pub struct EmbeddedSource {
    name: String,
    dir: &'static Dir<'static>,
}

impl EmbeddedSource {
    /// The embedded bundle `dir`, shown as `sample:NAME` in messages.
    pub fn new(name: &str, dir: &'static Dir<'static>) -> EmbeddedSource {
        EmbeddedSource {
            name: name.into(),
            dir,
        }
    }

    fn entry_path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
}

impl BundleSource for EmbeddedSource {
    fn display_path(&self, rel: &str) -> PathBuf {
        PathBuf::from(format!("sample:{}/{rel}", self.name))
    }

    fn read(&self, rel: &str) -> Result<Option<Cow<'_, [u8]>>, LoadError> {
        Ok(self
            .dir
            .get_file(self.entry_path(rel))
            .map(|f| Cow::Borrowed(f.contents())))
    }

    fn list_files(&self, rel_dir: &str) -> Result<Vec<String>, LoadError> {
        let Some(dir) = self.dir.get_dir(self.entry_path(rel_dir)) else {
            return Ok(Vec::new());
        };
        let mut out: Vec<String> = dir
            .files()
            .filter_map(|f| f.path().file_name())
            .map(|n| format!("{rel_dir}/{}", n.to_string_lossy()))
            .collect();
        out.sort();
        Ok(out)
    }

    fn list_dirs(&self, rel_dir: &str) -> Result<Vec<String>, LoadError> {
        let Some(dir) = self.dir.get_dir(self.entry_path(rel_dir)) else {
            return Ok(Vec::new());
        };
        let mut out: Vec<String> = dir
            .dirs()
            .filter_map(|d| d.path().file_name())
            .map(|n| format!("{rel_dir}/{}", n.to_string_lossy()))
            .collect();
        out.sort();
        Ok(out)
    }
}
