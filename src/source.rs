//! Reading the repository's files: text within the size limit, as UTF-8
//! (a file that is not says where), and the paths the build speaks of
//! (repository-relative, `/`-separated, never climbing out). Everything
//! that reads a source file, to type it or to quote it under a finding,
//! reads it through here.

use std::path::{Path, PathBuf};

use crate::diag::Pos;

/// Largest document file read (bytes).
pub const MAX_FILE: u64 = 16 * 1024 * 1024;

/// `path` relative to `root`, with `/` separators.
pub fn rel_of(root: &Path, path: &Path) -> String {
    // The walk's paths are clean (`root/a/b`): on Unix their text after
    // the root's is already the answer (the walk asks twice per file, and
    // comparing paths component by component was most of its time).
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let (p, r) = (path.as_os_str().as_bytes(), root.as_os_str().as_bytes());
        let rest = p.strip_prefix(r).and_then(|rest| {
            if r.ends_with(b"/") || rest.is_empty() {
                Some(rest)
            } else {
                rest.strip_prefix(b"/")
            }
        });
        // Components drop empty and `.` parts; without any, the text is theirs.
        if let Some(t) = rest.and_then(|t| std::str::from_utf8(t).ok())
            && !r.is_empty()
            && t.split('/').all(|part| !part.is_empty() && part != ".")
        {
            return t.to_string();
        }
    }
    rel_by_components(root, path)
}

/// `rel_of` in general: the path's components after the root's, joined by `/`.
fn rel_by_components(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Joins a repository-relative path, refusing `..` that climbs out and absolute paths.
pub fn safe_join(root: &Path, rel: &str) -> Option<PathBuf> {
    let norm = normalize(rel)?;
    Some(root.join(norm))
}

/// Normalises a `/`-separated relative path (`a/./b/../c` → `a/c`); `None` if it climbs above its start or is absolute.
pub fn normalize(rel: &str) -> Option<String> {
    if rel.starts_with('/') || rel.contains('\0') || rel.contains('\\') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Reads a file's bytes within the size limit, whatever their encoding
/// (a measurements file: its reader says where it is not UTF-8).
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, (Pos, String)> {
    use std::io::Read;
    let cannot = |e: std::io::Error| (Pos::START, format!("cannot read the file: {e}"));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    (&file)
        .take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE {
        let len = file.metadata().map_or(bytes.len() as u64, |m| m.len());
        return Err((
            Pos::START,
            format!(
                "the file is {} bytes, over the limit of {MAX_FILE} bytes; split it into several files",
                len.max(bytes.len() as u64)
            ),
        ));
    }
    Ok(bytes)
}

/// Reads a file as UTF-8 text within the size limit.
pub fn read_text(path: &Path) -> Result<String, (Pos, String)> {
    use std::io::Read;
    let cannot = |e: std::io::Error| (Pos::START, format!("cannot read the file: {e}"));
    let too_big = |len: u64| {
        (
            Pos::START,
            format!(
                "the file is {len} bytes, over the limit of {MAX_FILE} bytes; split it into several documents"
            ),
        )
    };
    // Read without asking its size first (a system call per file): room
    // for a document of usual size, grown for a larger one; no more than
    // the limit is read. Over it, the file's size is asked for the message.
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::with_capacity(16 * 1024);
    let mut limited = (&file).take(MAX_FILE + 1);
    limited.read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE {
        let len = file.metadata().map_or(bytes.len() as u64, |m| m.len());
        return Err(too_big(len.max(bytes.len() as u64)));
    }
    text_of(bytes)
}

/// A file's bytes as UTF-8 text (a file read from the repository, or a
/// past version of one read from git): within the size limit, and where
/// it is not UTF-8, the line and column of the first bad byte.
pub fn text_of(bytes: Vec<u8>) -> Result<String, (Pos, String)> {
    if bytes.len() as u64 > MAX_FILE {
        return Err((
            Pos::START,
            format!(
                "the file is {} bytes, over the limit of {MAX_FILE} bytes; split it into several documents",
                bytes.len()
            ),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let b = e.as_bytes();
        let line = b[..at].iter().filter(|&&c| c == b'\n').count() + 1;
        let col = at - b[..at].iter().rposition(|&c| c == b'\n').map(|i| i + 1).unwrap_or(0) + 1;
        (Pos::new(line, col), format!("the file is not valid UTF-8 (invalid byte 0x{:02x} at byte offset {at}); save it as UTF-8", b.get(at).copied().unwrap_or(0)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text shortcut gives what joining the path's components gives.
    #[test]
    fn rel_of_matches_the_components() {
        for (root, p) in [
            ("repo", "repo/a/b.md"),
            ("repo/", "repo/a/b.md"),
            ("./repo", "./repo/a.md"),
            ("repo", "repo"),
            ("/abs/repo", "/abs/repo/x/y/z.yaml"),
            ("repo", "repo/a//b.md"),
            ("repo", "repo/a/./b.md"),
            ("repo", "repo/a/"),
            ("repo", "elsewhere/c.md"),
            ("repo", "./c.md"),
            ("repo", "repo2/x.md"),
            ("repo", "repo/../x.md"),
            ("repo/", "repo//a.md"),
            ("", "a/b.md"),
            ("/", "/etc/x"),
            ("repo/sub/..", "repo/sub/../a.md"),
        ] {
            let (root, p) = (Path::new(root), Path::new(p));
            assert_eq!(
                rel_of(root, p),
                rel_by_components(root, p),
                "{p:?} under {root:?}"
            );
        }
    }
}
