//! Reading bundle files from disk, carefully: only regular files (a FIFO would block
//! forever, `/dev/zero` would fill memory), never more than a limit, and every
//! failure in words ("permission denied", "is a named pipe").

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

use super::LoadError;

/// The default largest file read: a real get-account-authorization-details export
/// of a 5,000-user account is well under it.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 2 << 30;

/// The environment variable that sets the largest file read, in bytes or with a
/// `K`, `M` or `G` suffix (powers of 1024), e.g. `IAMSCOPE_MAX_FILE_SIZE=4G`.
pub const MAX_FILE_SIZE_VAR: &str = "IAMSCOPE_MAX_FILE_SIZE";

/// Parses a size such as `512M`, `2G` or `1048576`.
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let (digits, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => text.split_at(i),
        None => (text, ""),
    };
    let n: u64 = digits.parse().ok()?;
    let shift = match unit
        .trim()
        .to_ascii_uppercase()
        .trim_end_matches(['B', 'I'])
    {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => return None,
    };
    n.checked_mul(1u64 << shift)
}

/// The largest file the loaders read: [`MAX_FILE_SIZE_VAR`] when set, otherwise
/// [`DEFAULT_MAX_FILE_BYTES`].
pub fn max_file_bytes() -> Result<u64, LoadError> {
    match std::env::var(MAX_FILE_SIZE_VAR) {
        Err(_) => Ok(DEFAULT_MAX_FILE_BYTES),
        Ok(value) => parse_size(&value).ok_or_else(|| {
            LoadError::file(
                MAX_FILE_SIZE_VAR,
                format!("{value:?} is not a size; write bytes, or a number with K, M or G"),
            )
        }),
    }
}

/// The error for a file over the limit.
pub fn too_large(path: &Path, len: u64, limit: u64) -> LoadError {
    LoadError::file(
        path,
        format!(
            "file is {}, over the {} limit; is this really an IAM export? \
             (raise the limit with {MAX_FILE_SIZE_VAR}=SIZE, e.g. 4G)",
            human(len),
            human(limit),
        ),
    )
}

/// A size in bytes, KiB or MiB.
fn human(n: u64) -> String {
    const MIB: u64 = 1 << 20;
    if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else if n >= 1024 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{n} bytes")
    }
}

/// An I/O error in words, naming the common causes.
pub fn io_error(path: &Path, doing: &str, e: &io::Error) -> LoadError {
    let message = match e.kind() {
        io::ErrorKind::PermissionDenied => {
            format!("permission denied: cannot {doing} (check its permissions and its folder's)")
        }
        io::ErrorKind::NotFound => "no such file or folder".to_string(),
        _ => format!("cannot {doing}: {e}"),
    };
    LoadError::file(path, message)
}

/// What a file that is not regular is, in words.
fn kind_of(meta: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

fn not_regular(path: &Path, meta: &Metadata) -> LoadError {
    let through_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let what = kind_of(meta);
    let message = if meta.is_dir() {
        "expected a file, found a folder".to_string()
    } else if through_link {
        format!("refused: this is a symbolic link to {what}, not a regular file; iamscope reads only regular files (use - to read standard input)")
    } else {
        format!("refused: this is {what}, not a regular file; iamscope reads only regular files (use - to read standard input)")
    };
    LoadError::file(path, message)
}

/// Opens `path` without blocking (a FIFO would otherwise wait for a writer) and
/// without taking it as the controlling terminal.
fn open_nonblocking(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    options.open(path)
}

/// Reads a file from disk; `None` when it does not exist. Refuses anything but a
/// regular file (or a symbolic link to one) before reading, and files over
/// [`max_file_bytes`].
pub fn read_file(path: &Path) -> Result<Option<Vec<u8>>, LoadError> {
    let limit = max_file_bytes()?;
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(path, "read it", &e)),
    };
    if !meta.is_file() {
        return Err(not_regular(path, &meta));
    }
    let file = open_nonblocking(path).map_err(|e| io_error(path, "read it", &e))?;
    // Checked again on the open file: the path may have changed since.
    let meta = file.metadata().map_err(|e| io_error(path, "read it", &e))?;
    if !meta.is_file() {
        return Err(not_regular(path, &meta));
    }
    if meta.len() > limit {
        return Err(too_large(path, meta.len(), limit));
    }
    read_bounded(path, file, meta.len() as usize, limit).map(Some)
}

/// Reads at most `limit` bytes of `reader`; an error if there is more.
pub fn read_bounded(
    path: &Path,
    reader: impl Read,
    expected: usize,
    limit: u64,
) -> Result<Vec<u8>, LoadError> {
    let mut bytes = Vec::with_capacity(expected.saturating_add(1));
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, "read it", &e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(path, bytes.len() as u64, limit));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1048576"), Some(1 << 20));
        assert_eq!(parse_size("512M"), Some(512 << 20));
        assert_eq!(parse_size("2G"), Some(2 << 30));
        assert_eq!(parse_size("2 GiB"), Some(2 << 30));
        assert_eq!(parse_size("10k"), Some(10 << 10));
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size("5X"), None);
    }

    #[test]
    fn a_bounded_read_stops_at_the_limit() {
        let e = read_bounded(Path::new("f"), std::io::repeat(0).take(100), 0, 10).unwrap_err();
        assert!(e.message.contains("over the"), "{e}");
        assert_eq!(
            read_bounded(Path::new("f"), &b"abc"[..], 3, 10).unwrap(),
            b"abc"
        );
    }
}
