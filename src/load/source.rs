//! Where bundle files come from: a folder, a single GAAD file, stdin, or a sample
//! account embedded in the binary. Readers see only bundle-relative paths.

use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};

use include_dir::Dir;

use super::LoadError;

/// Files larger than this are refused rather than read: a real
/// get-account-authorization-details export of a 5,000-user account is well under it.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

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
        let gaad = root.join("gaad.json");
        if !gaad.exists() {
            return Err(LoadError::file(
                root,
                "this folder has no gaad.json: a bundle needs the output of \
                 `aws iam get-account-authorization-details` saved as gaad.json \
                 (see README: exporting an account)",
            ));
        }
        Ok(FolderSource { root: root.into() })
    }

    fn list(&self, rel_dir: &str, want_dirs: bool) -> Result<Vec<String>, LoadError> {
        let dir = self.root.join(rel_dir);
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(LoadError::file(dir, format!("cannot list folder: {e}"))),
        };
        let mut out = Vec::new();
        for entry in entries {
            let entry =
                entry.map_err(|e| LoadError::file(&dir, format!("cannot list folder: {e}")))?;
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

/// Reads a file from disk; `None` when it does not exist. Refuses folders and files
/// over [`MAX_FILE_BYTES`] with a clear message.
pub fn read_file(path: &Path) -> Result<Option<Vec<u8>>, LoadError> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(LoadError::file(path, format!("cannot read: {e}"))),
    };
    if meta.is_dir() {
        return Err(LoadError::file(path, "expected a file, found a folder"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(path, meta.len()));
    }
    std::fs::read(path)
        .map(Some)
        .map_err(|e| LoadError::file(path, format!("cannot read: {e}")))
}

fn too_large(path: &Path, len: u64) -> LoadError {
    LoadError::file(
        path,
        format!(
            "file is {:.1} MiB, over the {} MiB limit; is this really an IAM export?",
            len as f64 / (1024.0 * 1024.0),
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    )
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
    pub fn reader(mut reader: impl Read) -> Result<SingleFileSource, LoadError> {
        let mut bytes = Vec::new();
        let name = PathBuf::from("-");
        (&mut reader)
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| LoadError::file(&name, format!("cannot read standard input: {e}")))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(too_large(&name, bytes.len() as u64));
        }
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
