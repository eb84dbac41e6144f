//! The walk of a repository: which files are read. Hidden and `_` entries,
//! `exclude:` globs and skipped folders (the output folder, the theme) are
//! left out; symbolic links are followed only while they stay inside.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use globset::{GlobSet, GlobSetBuilder};

use super::{Fatal, LoadOptions};
use crate::config::{self, Config};
use crate::diag::{Finding, Pos};
use crate::source::rel_of;

/// Walks the repository: hidden and `_` entries, `exclude:` globs and the
/// skipped folders are left out; symbolic links are followed only while they
/// stay inside the repository (a link leaving it or looping is a `parse-error`).
pub(super) fn walk(
    root: &Path,
    cfg: &Config,
    opts: &LoadOptions,
    findings: &mut Vec<Finding>,
) -> Result<Vec<String>, Fatal> {
    let canon_root = root
        .canonicalize()
        .map_err(|e| Fatal(format!("{}: {e}", root.display())))?;
    let excludes = globs(&cfg.exclude, cfg.index.key_or_start("exclude"), findings);
    let skip: Vec<PathBuf> = opts
        .skip
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let theme = cfg
        .theme
        .as_ref()
        .and_then(|t| root.join(t).canonicalize().ok());
    // A folder is compared with those by its canonical path, but only if
    // its inode is one of theirs: the inode comes with the folder's entry,
    // canonicalising costs a system call per component of its path.
    #[cfg(unix)]
    let may_skip = {
        use std::os::unix::fs::MetadataExt;
        use walkdir::DirEntryExt;
        let inodes: HashSet<u64> = skip
            .iter()
            .chain(&theme)
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.ino())
            .collect();
        move |e: &walkdir::DirEntry| inodes.contains(&e.ino())
    };
    #[cfg(not(unix))]
    let may_skip = |_: &walkdir::DirEntry| !skip.is_empty() || theme.is_some();
    let mut out = Vec::new();
    let it = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    let mut it = it.filter_entry(|e| {
        if e.depth() == 0 {
            return true;
        }
        let name = e.file_name().to_string_lossy();
        let rel = rel_of(root, e.path());
        if left_out(&name, &rel, &excludes) {
            return false;
        }
        if e.file_type().is_dir()
            && may_skip(e)
            && let Ok(c) = e.path().canonicalize()
            && (skip.contains(&c) || theme.as_ref().is_some_and(|t| *t == c))
        {
            return false;
        }
        true
    });
    while let Some(entry) = it.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e.path().map(|p| rel_of(root, p)).unwrap_or_default();
                let msg = if e.loop_ancestor().is_some() {
                    format!(
                        "`{rel}` is a symbolic link that loops back to a folder above it; remove the link"
                    )
                } else if let Some(target) = e.path().and_then(|p| std::fs::read_link(p).ok()) {
                    format!(
                        "`{rel}` is a symbolic link to `{}`, which does not exist; remove the link or restore its target",
                        target.display()
                    )
                } else {
                    format!("`{rel}` cannot be read: {e}")
                };
                findings.push(Finding::new(
                    "parse-error",
                    if rel.is_empty() { "." } else { &rel },
                    Pos::START,
                    msg,
                ));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let rel = rel_of(root, entry.path());
        if entry.path_is_symlink() {
            match entry.path().canonicalize() {
                Ok(target) if target.starts_with(&canon_root) => {}
                Ok(target) => {
                    findings.push(Finding::new("parse-error", &rel, Pos::START, format!("`{rel}` is a symbolic link to `{}`, outside the repository; copy the file in instead", target.display())));
                    if entry.file_type().is_dir() {
                        it.skip_current_dir();
                    }
                    continue;
                }
                Err(e) => {
                    findings.push(Finding::new(
                        "parse-error",
                        &rel,
                        Pos::START,
                        format!("`{rel}` is a symbolic link that cannot be followed: {e}"),
                    ));
                    continue;
                }
            }
        }
        if entry.file_type().is_file() {
            out.push(rel);
        }
    }
    Ok(out)
}

/// Whether an entry (file or folder) named `name`, at `rel`, is left out
/// with everything beneath it: hidden, `_`, or matching an `exclude:` glob.
pub(super) fn left_out(name: &str, rel: &str, excludes: &GlobSet) -> bool {
    name.starts_with('.') || name.starts_with('_') || excludes.is_match(rel)
}

/// The files of an in-memory repository (a past revision) that a walk of
/// the same files on disk would read: [`left_out`] applied to each file
/// and each folder above it, `skip` folders (relative) and the theme left
/// out.
pub(super) fn walk_memory<'a>(
    files: impl Iterator<Item = &'a str>,
    cfg: &Config,
    skip: &[String],
    findings: &mut Vec<Finding>,
) -> Vec<String> {
    let excludes = globs(&cfg.exclude, cfg.index.key_or_start("exclude"), findings);
    let theme = cfg
        .theme
        .as_deref()
        .and_then(crate::source::normalize)
        .filter(|t| !t.is_empty());
    let under = |rel: &str, dir: &str| rel.strip_prefix(dir).is_some_and(|r| r.starts_with('/'));
    files
        .filter(|rel| {
            let mut at = 0;
            for part in rel.split('/') {
                let end = at + part.len();
                if left_out(part, &rel[..end], &excludes) {
                    return false;
                }
                at = end + 1;
            }
            !skip.iter().chain(&theme).any(|d| under(rel, d))
        })
        .map(str::to_string)
        .collect()
}

fn globs(patterns: &[String], at: Pos, findings: &mut Vec<Finding>) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        match globset::GlobBuilder::new(p).literal_separator(true).build() {
            Ok(g) => {
                b.add(g);
            }
            Err(e) => findings.push(Finding::new(
                "parse-error",
                config::FILE,
                at,
                format!("`exclude:` pattern `{p}` is not a valid glob: {e}"),
            )),
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}
