//! A repository as it was at a git revision: its tree listed and its files
//! read from git's objects (`git ls-tree`, one `git cat-file`), never from
//! the work tree or the index, then loaded from memory
//! (`load::load_files`) and checked like the work tree.

use std::path::Path;

use super::Side;
use crate::git::history::{FileMode, GitError, Repo};
use crate::load::{self, Files};
use crate::{Checked, Options};

/// Why a side could not be read: the message says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<GitError> for Unreadable {
    fn from(e: GitError) -> Unreadable {
        Unreadable(e.message)
    }
}

/// The repository at `root` as it was at `revision`, checked with `opts`
/// (without history: a past revision's own history is not judged).
pub fn at(root: &Path, revision: &str, opts: &Options) -> Result<(Checked, Side), Unreadable> {
    let repo = Repo::open(root)?;
    let commit = repo.resolve(revision)?;
    let files = files_at(&repo, commit.id)?;
    let loaded = load::load_files(
        root,
        &files,
        &load::LoadOptions {
            skip: opts.skip.clone(),
        },
    )
    .map_err(|e| Unreadable(format!("at {revision}: {e}")))?;
    let side = Side {
        revision: revision.to_string(),
        commit: Some(commit.id.to_string()),
        date: Some(commit.day.to_string()),
        modified: false,
    };
    Ok((crate::check_loaded(loaded, opts.date), side))
}

/// The work tree at `root`, checked with `opts` (without history, as the
/// revision it is compared with).
pub fn work_tree(root: &Path, opts: &Options) -> Result<(Checked, Side), Unreadable> {
    let opts = Options {
        history: false,
        ..opts.clone()
    };
    let checked = crate::check(root, &opts).map_err(|e| Unreadable(e.0))?;
    let side = Side {
        revision: "work tree".to_string(),
        commit: checked.revision.as_ref().map(|r| r.commit.clone()),
        date: None,
        modified: checked.revision.as_ref().is_some_and(|r| r.dirty),
    };
    Ok((checked, side))
}

/// The files under the root in `commit`'s tree, read in one `cat-file`.
/// A symbolic link to a file of the tree reads as that file (as the walk
/// follows it on disk); one leading elsewhere is left out, as are files
/// git cannot read (each a `parse-error` of the load: it is missing).
fn files_at(repo: &Repo, commit: crate::git::history::Oid) -> Result<Files, Unreadable> {
    let tree = repo.tree(commit)?;
    let ids: Vec<_> = tree.iter().map(|e| e.blob).collect();
    let mut bytes = repo.read_blobs(&ids);
    let mut files = Files::new();
    let mut links = Vec::new();
    let mut failed: Option<GitError> = None;
    for (e, b) in tree.iter().zip(bytes.iter_mut()) {
        match std::mem::replace(b, Ok(Vec::new())) {
            Ok(b) if e.mode == FileMode::Symlink => links.push((e.path.clone(), b)),
            Ok(b) => {
                files.insert(e.path.clone(), b);
            }
            Err(err) => {
                failed.get_or_insert(err);
            }
        }
    }
    if let Some(e) = failed {
        return Err(Unreadable(e.message));
    }
    for (path, target) in links {
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        let target = String::from_utf8_lossy(&target);
        let joined = if dir.is_empty() {
            target.to_string()
        } else {
            format!("{dir}/{target}")
        };
        if let Some(b) = crate::source::normalize(&joined).and_then(|t| files.get(&t).cloned()) {
            files.insert(path, b);
        }
    }
    Ok(files)
}
