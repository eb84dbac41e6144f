//! Document control over time (ISO/IEC 20000-1 7.5.3), derived from the
//! repository's git history with nothing kept by hand: each document's
//! revision history, the approvals that later edits made stale, and the
//! references of approved documents to documents changed since.
//!
//! The stage sits between resolve and check: [`read`] asks git (on a
//! thread of its own while the repository loads, see `check_cached`) for
//! the history of every file, the uncommitted changes and the checked-out
//! commit; [`judge`] then finds, for each approved document, its approved
//! version and, for each of its references, the referent's version on its
//! approval day, reads those versions in one `git cat-file` and compares
//! their *content* with the work tree's ([`content`]). The rules
//! `approval-stale` and `suspect-reference`, the readiness row, the
//! document pages and `model.json` read the result, [`Control`], as plain
//! data.
//!
//! What cannot be known is skipped, never failed: without git, outside a
//! work tree, with a damaged repository or a history cut off by a shallow
//! clone, [`Control::notes`] says what was skipped and how to get it.
//!
//! - `content`: what counts as a change (values, not layout);
//! - `judge`: versions by day, the blobs to read, the judgements.

mod blobs;
pub mod content;
mod judge;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use blobs::Blobs;
pub use judge::judge;

use crate::git::Revision;
use crate::git::history::{Commit, GitError, History, Repo, WorkChange};

/// What git says about the repository, read once (`build`) or kept and
/// brought up to date after each commit (`serve`).
#[derive(Clone)]
pub struct Git {
    pub repo: Repo,
    pub history: Arc<History>,
    /// The uncommitted changes (`git status`), or why they are not known
    /// (then every document's work-tree version is compared with its last
    /// commit).
    pub work: Result<Vec<WorkChange>, GitError>,
    /// Files edited since `work` was read (`serve`): whether each differs
    /// from its last commit is decided by comparing contents.
    pub touched: BTreeSet<String>,
}

impl Git {
    /// The revision the sources come from: the checked-out commit, and
    /// whether the work tree has uncommitted changes.
    pub fn revision(&self) -> Revision {
        Revision {
            commit: self.repo.head.to_string(),
            dirty: !matches!(&self.work, Ok(w) if w.is_empty()) || !self.touched.is_empty(),
        }
    }
}

/// Opens the git work tree holding `root` and reads the history of its
/// files (from the cache in the git folder when `cached`, see
/// `Repo::history_cached`) and, at the same time, its uncommitted changes
/// (`skip`: folders left out, such as the output folder).
pub fn read(root: &Path, skip: &[PathBuf], cached: bool) -> Result<Git, GitError> {
    let repo = Repo::open(root)?;
    let (history, work) = std::thread::scope(|s| {
        let work = s.spawn(|| repo.work_tree(skip));
        let history = if cached {
            repo.history_cached()
        } else {
            repo.history()
        };
        let work = work.join().unwrap_or_else(|_| {
            Err(GitError {
                kind: crate::git::history::ErrorKind::Failed,
                message: "the uncommitted changes could not be listed".into(),
            })
        });
        (history, work)
    });
    Ok(Git {
        history: Arc::new(history?),
        work,
        repo,
        touched: BTreeSet::new(),
    })
}

/// How a document's work-tree version stands against its last commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Uncommitted {
    /// Changed since its last commit.
    Changed,
    /// Moved or renamed since its last commit (perhaps edited too).
    Moved,
    /// Not committed yet (new, added or untracked).
    New,
}

impl Uncommitted {
    /// As a page says it.
    pub fn describe(self) -> &'static str {
        match self {
            Uncommitted::Changed => "uncommitted changes",
            Uncommitted::Moved => "moved, not committed yet",
            Uncommitted::New => "new, not committed yet",
        }
    }
}

/// One document's history.
#[derive(Debug, Clone, Default)]
pub struct DocHistory {
    /// Its file's path in the history (its path at the last commit: the
    /// work tree may have moved it since); `None`: git does not keep it.
    pub path: Option<String>,
    /// The commits that changed it, newest first (indices into
    /// `History::commits`), through moves and renames.
    pub commits: Vec<usize>,
    pub uncommitted: Option<Uncommitted>,
}

/// An approved document whose content changed since its approved version.
#[derive(Debug, Clone)]
pub struct Stale {
    pub doc: usize,
    /// The commits since the approved version, newest first.
    pub since: Vec<usize>,
    /// The work tree's version differs from the last commit too.
    pub uncommitted: bool,
}

/// An approved document referring to one whose content changed since its
/// approval day.
#[derive(Debug, Clone)]
pub struct Suspect {
    pub from: usize,
    pub to: usize,
    /// The referent's commits since that day, newest first.
    pub since: Vec<usize>,
    pub uncommitted: bool,
}

/// Whether the history was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum State {
    /// Skipped on purpose (`--no-history`).
    #[default]
    Off,
    /// Git could not be asked (see the notes).
    Unavailable,
    Read,
}

/// Document control over time, as the rules and pages read it.
#[derive(Debug, Clone, Default)]
pub struct Control {
    pub state: State,
    /// What was skipped and how to get it (printed once by `check` and
    /// `build`, shown by `serve`; not findings).
    pub notes: Vec<String>,
    /// The history read (commits, files); empty when not read.
    pub history: Arc<History>,
    /// By document (as `Loaded::documents`); empty when not read.
    pub docs: Vec<DocHistory>,
    pub stale: Vec<Stale>,
    pub suspect: Vec<Suspect>,
    /// Approvals that could not be judged (history cut off, a version
    /// that could not be read).
    pub unjudged: Vec<usize>,
}

impl Control {
    /// History skipped, with the reason (`None`: on purpose).
    pub fn skipped(note: Option<String>) -> Control {
        match note {
            Some(n) => Control {
                state: State::Unavailable,
                notes: vec![n],
                ..Control::default()
            },
            None => Control::default(),
        }
    }

    /// Document `i`'s history (empty when the history was not read).
    pub fn of(&self, i: usize) -> &DocHistory {
        static NONE: DocHistory = DocHistory {
            path: None,
            commits: Vec::new(),
            uncommitted: None,
        };
        self.docs.get(i).unwrap_or(&NONE)
    }

    /// Commit `c` of the history.
    pub fn commit(&self, c: usize) -> &Commit {
        &self.history.commits[c]
    }

    /// `a1b2c3d (2026-02-01, "subject")`, the first `max` of `commits`,
    /// "and N more", and "uncommitted changes": for messages.
    pub fn describe(&self, commits: &[usize], uncommitted: bool, max: usize) -> String {
        let mut parts: Vec<String> = commits
            .iter()
            .take(max)
            .map(|&c| {
                let c = self.commit(c);
                format!("{} ({}, \"{}\")", c.short, c.day, c.subject)
            })
            .collect();
        if commits.len() > max {
            parts.push(format!("{} older", commits.len() - max));
        }
        if uncommitted {
            parts.push("uncommitted changes".to_string());
        }
        match parts.len() {
            0 => String::new(),
            1 => parts.remove(0),
            n => format!("{} and {}", parts[..n - 1].join(", "), parts[n - 1]),
        }
    }
}

/// What `serve` keeps between rebuilds: git's answers, read at start and
/// again only after a commit (or a checkout, a merge: whenever the git
/// folder's `HEAD`, index, reflog or the branch's ref changed), the files
/// edited since (compared by content), and the past versions read so far.
#[derive(Default)]
pub struct Kept {
    git: Option<Result<Git, GitError>>,
    stamp: Vec<Option<(std::time::SystemTime, u64)>>,
    touched: BTreeSet<String>,
    pub blobs: Blobs,
}

impl Kept {
    /// A file (or folder, `""`: everything) changed in the work tree.
    pub fn touch(&mut self, rel: &str) {
        if rel.is_empty() {
            self.git = None;
        } else {
            self.touched.insert(rel.to_string());
        }
    }

    /// Git's answers as kept, when the git folder has not changed since.
    pub fn get(&mut self) -> Option<Result<Git, GitError>> {
        let git = self.git.as_ref()?;
        let stamp = match git {
            Ok(g) => git_stamp(&g.repo.top),
            Err(_) => Vec::new(),
        };
        if stamp != self.stamp {
            self.git = None;
            return None;
        }
        Some(git.clone().map(|mut g| {
            g.touched.clone_from(&self.touched);
            g
        }))
    }

    /// Keeps git's fresh answers (the edits seen so far are in them).
    pub fn put(&mut self, git: Result<Git, GitError>) {
        self.stamp = match &git {
            Ok(g) => git_stamp(&g.repo.top),
            Err(_) => Vec::new(),
        };
        self.touched.clear();
        self.git = Some(git);
    }
}

/// The size and time of the git folder's files that a commit, checkout,
/// reset or `git add` changes.
fn git_stamp(top: &Path) -> Vec<Option<(std::time::SystemTime, u64)>> {
    let dot = top.join(".git");
    let dir = match std::fs::read_to_string(&dot) {
        // A linked work tree or a submodule: `gitdir: PATH`.
        Ok(t) => t
            .trim()
            .strip_prefix("gitdir:")
            .map(|p| top.join(p.trim()))
            .unwrap_or(dot),
        Err(_) => dot,
    };
    let common = std::fs::read_to_string(dir.join("commondir"))
        .map(|c| dir.join(c.trim()))
        .unwrap_or_else(|_| dir.clone());
    let head = std::fs::read_to_string(dir.join("HEAD")).unwrap_or_default();
    let mut files = vec![
        dir.join("HEAD"),
        dir.join("index"),
        dir.join("logs/HEAD"),
        common.join("packed-refs"),
    ];
    if let Some(r) = head.trim().strip_prefix("ref:") {
        files.push(common.join(r.trim()));
    }
    files
        .iter()
        .map(|f| {
            let m = std::fs::metadata(f).ok()?;
            Some((m.modified().ok()?, m.len()))
        })
        .collect()
}
