//! Git: what the build reads from the repository's version control. Here,
//! the revision the sources were built from (the commit checked out and
//! whether the work tree was modified), for the manifest and every page's
//! footer; in [`history`], the history of every file (commits per file,
//! following renames), the work tree's uncommitted changes, file contents
//! at any version and whole trees at a revision, as plain data, without
//! touching the work tree or the index. The `git` program is run as a
//! process of its own; a missing program or a folder outside any work tree
//! is no history, never an error.

pub mod history;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Where the sources came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    /// The git commit checked out (`git rev-parse HEAD`).
    pub commit: String,
    /// The working tree had uncommitted changes (`git status --porcelain`).
    pub dirty: bool,
}

impl Revision {
    /// `1a2b3c4d5e6f` or `1a2b3c4d5e6f (modified)`, for page footers.
    pub fn short(&self) -> String {
        let c: String = self.commit.chars().take(12).collect();
        if self.dirty {
            format!("{c} (modified)")
        } else {
            c
        }
    }
}

/// The source revision of the repository at `root`, or `None` when git is
/// missing or `root` is not inside a git work tree. Paths in `skip` (such as
/// the output folder, when it lies inside the repository) do not make the
/// tree dirty. Git runs as the history reader runs it (the user's
/// configuration and git environment neutralised, no lock taken).
pub fn revision(root: &Path, skip: &[PathBuf]) -> Option<Revision> {
    let repo = history::Repo::open(root).ok()?;
    // Status failed after the commit was read: say dirty rather than claim clean.
    let dirty = repo.work_tree(skip).map_or(true, |w| !w.is_empty());
    Some(Revision {
        commit: repo.head.to_string(),
        dirty,
    })
}
