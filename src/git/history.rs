//! A document repository's git history, as plain data.
//!
//! The repository's root may be a folder inside a git work tree (its
//! *prefix*); every path here is relative to that root, `/`-separated.
//! [`Repo::open`] finds the work tree, or says why there is no history and
//! how to get it ([`GitError`]: git missing, not a work tree, a bare
//! repository, no commits yet); it never panics and the caller never has
//! to fail because of it.
//!
//! From an open [`Repo`]:
//!
//! - [`Repo::history`]: every file's commits, newest first, following
//!   renames and moves (git's rename detection, chained here), from one
//!   `git log` for the whole history (a few in parallel on a long one);
//!   [`Repo::history_since`] extends a history read before with the commits
//!   made since, and [`Repo::history_cached`] keeps it in a file between
//!   runs;
//! - [`Repo::work_tree`]: the uncommitted changes (modified, added, deleted,
//!   untracked, renamed);
//! - [`Repo::read_blobs`]: file contents at any version, as bytes, from one
//!   `git cat-file --batch`;
//! - [`Repo::resolve`] and [`Repo::tree`]: a revision (tag, branch, commit,
//!   `HEAD~3`) and the files of its tree, for reading the repository as it
//!   was without touching the work tree or the index.
//!
//! The history is that of the checked-out branch's first parents: a merged
//! branch counts as one change, on the day of its merge, which is when its
//! content arrived in the branch that is built (a side branch's own commits
//! may be dated before it). Day logic needs this, and a linear history is
//! the same either way.
//!
//! The `git` program does the reading: measured against gitoxide, it reads
//! a history three times as fast and adds no compile time (see
//! `bench/results.md`, "Git history reader"). What costs is git comparing
//! the trees of big folders, once per commit: 2,000 commits over 10,000
//! files, 5,880 of them in one folder, take about 0.4 s of CPU (two
//! processes, about 0.2 s each); from the cache, about 15 ms.

mod cache;
pub use cache::write_atomically;
mod command;
mod log;
mod objects;
mod worktree;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

pub use command::Git;
pub use objects::{FileMode, TreeEntry};
pub use worktree::{WorkChange, WorkKind};

/// Why git could not answer. `message` says what is wrong and what to do;
/// for [`Repo::open`] it is the note a build prints when it skips history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitError {
    pub kind: ErrorKind,
    pub message: String,
}

/// What kind of problem a [`GitError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The git program is not installed or could not be started.
    NoGit,
    /// The folder is not inside a git work tree (or is inside `.git`).
    NotWorkTree,
    /// The folder is inside a bare repository: there is no work tree.
    Bare,
    /// The repository has no commit yet.
    NoCommits,
    /// A revision given by the user does not exist.
    NoSuchRevision,
    /// Git failed (a damaged repository, an unreadable object, ...).
    Failed,
}

impl fmt::Display for GitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for GitError {}

/// A git object id (SHA-1, or SHA-256 in repositories that use it).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Oid {
    bytes: [u8; 32],
    len: u8,
}

impl Oid {
    /// Parses 40 (SHA-1) or 64 (SHA-256) hexadecimal digits.
    pub fn from_hex(hex: &[u8]) -> Option<Oid> {
        if hex.len() != 40 && hex.len() != 64 {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (i, pair) in hex.chunks_exact(2).enumerate() {
            bytes[i] = (nibble(pair[0])? << 4) | nibble(pair[1])?;
        }
        Some(Oid {
            bytes,
            len: (hex.len() / 2) as u8,
        })
    }

    /// The id's bytes (20 or 32).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// Whether this is git's all-zero id (no object).
    pub fn is_null(&self) -> bool {
        self.as_bytes().iter().all(|&b| b == 0)
    }
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.as_bytes() {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Oid({self})")
    }
}

/// A git work tree holding the document repository.
#[derive(Debug, Clone)]
pub struct Repo {
    git: Git,
    /// The work tree's top folder (absolute, symbolic links resolved).
    pub top: PathBuf,
    /// The git folder (absolute), where smsite keeps its caches
    /// (`smsite/`, beside git's own files); `None` when git did not name
    /// it as an absolute UTF-8 path (then nothing is cached).
    pub git_dir: Option<PathBuf>,
    /// The repository root's path inside the work tree: empty, or
    /// `/`-separated and ending in `/` (`docs/sms/`).
    pub prefix: String,
    /// The checked-out commit (a branch's, or a detached HEAD).
    pub head: Oid,
    /// The commits where a shallow clone's history is cut off (their
    /// parents are not here); empty for a complete history.
    pub shallow: Vec<Oid>,
}

impl Repo {
    /// Opens the git work tree that holds `root`, with `git` from `PATH`.
    pub fn open(root: &Path) -> Result<Repo, GitError> {
        Repo::open_with(root, Git::default())
    }

    /// Opens the git work tree that holds `root`, running `git` as told.
    pub fn open_with(root: &Path, git: Git) -> Result<Repo, GitError> {
        let args = [
            "rev-parse",
            "--is-bare-repository",
            "--is-inside-work-tree",
            "--is-shallow-repository",
            "--absolute-git-dir",
            "--show-cdup",
            "--show-prefix",
        ];
        let out = git.output(root, &args)?;
        let text = String::from_utf8_lossy(&out.stdout);
        let mut lines = text.splitn(6, '\n');
        let bare = lines.next() == Some("true");
        let inside = lines.next() == Some("true");
        let shallow = lines.next() == Some("true");
        if bare {
            return Err(not_here(
                ErrorKind::Bare,
                root,
                "is inside a bare git repository (one without a work tree)",
                "clone it (`git clone`) and build the clone",
            ));
        }
        if !out.status.success() || !inside {
            let why = format!(
                "is not inside a git work tree ({})",
                command::said(&out.stderr)
            );
            return Err(not_here(
                ErrorKind::NotWorkTree,
                root,
                &why,
                "keep the repository in git (`git init`, then commit) to get revision histories",
            ));
        }
        let git_dir = lines.next().and_then(|l| {
            // A git folder whose name is not UTF-8 keeps no cache (the
            // lossy line would name another folder).
            let p = PathBuf::from(l);
            (p.is_absolute() && !l.contains('\u{fffd}')).then_some(p)
        });
        let cdup = lines.next().unwrap_or("");
        let prefix = lines.next().unwrap_or("").strip_suffix('\n').unwrap_or("");
        let top = std::fs::canonicalize(root.join(cdup)).unwrap_or_else(|_| root.join(cdup));
        let head = head(&git, &top)?;
        let shallow = if shallow {
            shallow_commits(&git, &top)?
        } else {
            Vec::new()
        };
        Ok(Repo {
            git,
            top,
            git_dir,
            prefix: prefix.to_string(),
            head,
            shallow,
        })
    }

    /// Whether the history is cut off (a shallow clone).
    pub fn is_shallow(&self) -> bool {
        !self.shallow.is_empty()
    }

    /// The pathspec for the repository root (`:(top,literal)docs/sms/`),
    /// or none when the root is the work tree's top.
    fn pathspec(&self) -> Option<String> {
        (!self.prefix.is_empty()).then(|| format!(":(top,literal){}", self.prefix))
    }

    /// `path` (relative to the work tree's top) relative to the root, or
    /// `None` when it is outside it.
    fn strip_prefix<'a>(&self, path: &'a str) -> Option<&'a str> {
        path.strip_prefix(self.prefix.as_str())
            .filter(|p| !p.is_empty())
    }

    /// The history of every file under the root at `HEAD`, newest first.
    /// A long history is read as a few segments in parallel, one `git log`
    /// each (see `log`).
    pub fn history(&self) -> Result<History, GitError> {
        let tips = self.segment_tips()?;
        let ranges: Vec<Vec<String>> = (0..tips.len())
            .map(|i| {
                let mut r = vec![tips[i].to_string()];
                r.extend(tips.get(i + 1).map(|older| format!("^{older}")));
                r
            })
            .collect();
        self.read_log(&ranges, History::default())
    }

    /// The history at `HEAD`, reusing `previous` (read earlier by this
    /// function or [`Repo::history`]): the same when `HEAD` has not moved,
    /// extended by the new commits when it moved forward along its first
    /// parents, read anew otherwise.
    pub fn history_since(&self, previous: History) -> Result<History, GitError> {
        let same_view = previous.prefix == self.prefix && previous.shallow == self.shallow;
        match previous.head {
            Some(head) if same_view && head == self.head => Ok(previous),
            Some(head) if same_view && self.on_first_parents(head)? => {
                let range = vec![self.head.to_string(), format!("^{head}")];
                self.read_log(&[range], previous)
            }
            _ => self.history(),
        }
    }

    /// Runs one `git log` per range (newest first) in parallel and puts
    /// each segment on top of the ones after it, and all on top of `older`.
    fn read_log(&self, ranges: &[Vec<String>], older: History) -> Result<History, GitError> {
        let spec = self.pathspec();
        let outputs: Vec<Result<Vec<u8>, GitError>> = std::thread::scope(|s| {
            let handles: Vec<_> = ranges
                .iter()
                .map(|range| {
                    let mut args: Vec<&str> = log::LOG_ARGS.to_vec();
                    args.extend(range.iter().map(String::as_str));
                    args.push("--");
                    args.extend(spec.as_deref());
                    s.spawn(move || self.git.run(&self.top, &args, "read the history"))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(self.broken("read the history")))
                })
                .collect()
        });
        let mut history = older;
        for out in outputs.into_iter().rev() {
            let chain = log::parse(&out?, self)
                .map_err(|e| command::failed("read the history", &self.top, e.as_bytes()))?;
            history = chain.on_top_of(history);
        }
        history.head = Some(self.head);
        history.prefix.clone_from(&self.prefix);
        history.shallow.clone_from(&self.shallow);
        history.abbreviate();
        Ok(history)
    }

    /// Where the history's segments start, newest first (`HEAD` first):
    /// one segment per core (at most 4), of at least 250 commits each.
    fn segment_tips(&self) -> Result<Vec<Oid>, GitError> {
        const MIN: usize = 250;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        let mut args = vec!["rev-list", "--first-parent", "HEAD", "--"];
        let spec = self.pathspec();
        args.extend(spec.as_deref());
        let out = self.git.run(&self.top, &args, "list the commits")?;
        let commits: Vec<Oid> = out
            .split(|&b| b == b'\n')
            .filter_map(Oid::from_hex)
            .collect();
        let parts = (commits.len() / MIN).clamp(1, cores);
        let size = commits.len().div_ceil(parts).max(1);
        let mut tips: Vec<Oid> = commits.iter().step_by(size).copied().collect();
        if tips.is_empty() {
            tips.push(self.head);
        }
        tips[0] = self.head;
        Ok(tips)
    }

    /// Whether `commit` is on `HEAD`'s chain of first parents.
    fn on_first_parents(&self, commit: Oid) -> Result<bool, GitError> {
        let range = format!("^{commit}");
        let args = ["rev-list", "--first-parent", "--parents", "HEAD", &range];
        let out = self.git.output(&self.top, &args)?;
        if !out.status.success() {
            // Not a commit here any more (a history rewritten and pruned).
            return Ok(false);
        }
        let last = out.stdout.split(|&b| b == b'\n').rfind(|l| !l.is_empty());
        let parent = last.and_then(|l| l.split(|&b| b == b' ').nth(1));
        Ok(parent.and_then(Oid::from_hex) == Some(commit))
    }

    /// The error for a reading thread that died (it cannot: no panics are
    /// reachable; kept so a bug becomes a message, not a crash).
    fn broken(&self, what: &str) -> GitError {
        command::failed(what, &self.top, b"the reading thread stopped unexpectedly")
    }
}

/// The commit `revision` (a tag, branch, commit...) names in the git work
/// tree holding `root`, or `None` when it names none or git cannot tell:
/// one `git rev-parse`, to see whether a named revision moved.
pub fn commit_id(root: &Path, revision: &str) -> Option<Oid> {
    if revision.is_empty() || revision.starts_with('-') || revision.contains(['\n', '\0']) {
        return None;
    }
    let rev = format!("{revision}^{{commit}}");
    let out = Git::default()
        .output(root, &["rev-parse", "--verify", "--quiet", &rev])
        .ok()?;
    Oid::from_hex(out.stdout.trim_ascii_end()).filter(|_| out.status.success())
}

/// The error for a folder where there is no history to read.
fn not_here(kind: ErrorKind, root: &Path, why: &str, fix: &str) -> GitError {
    GitError {
        kind,
        message: format!(
            "{} {why}: document history is skipped. To get it, {fix}",
            root.display()
        ),
    }
}

/// The checked-out commit.
fn head(git: &Git, top: &Path) -> Result<Oid, GitError> {
    let out = git.output(top, &["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])?;
    let id = Oid::from_hex(out.stdout.trim_ascii_end());
    match id {
        Some(id) if out.status.success() => Ok(id),
        _ => Err(GitError {
            kind: ErrorKind::NoCommits,
            message: format!(
                "the git repository at {} has no commit yet (or HEAD cannot be read: {}): \
                 document history is skipped. Commit the documents to start their history",
                top.display(),
                command::said(&out.stderr)
            ),
        }),
    }
}

/// The commits of a shallow clone's boundary (`.git/shallow`).
fn shallow_commits(git: &Git, top: &Path) -> Result<Vec<Oid>, GitError> {
    let out = git.run(
        top,
        &["rev-parse", "--git-path", "shallow"],
        "find the shallow clone's boundary",
    )?;
    let path = String::from_utf8_lossy(out.strip_suffix(b"\n").unwrap_or(&out)).into_owned();
    let text = std::fs::read(top.join(path)).unwrap_or_default();
    Ok(text
        .split(|&b| b == b'\n')
        .filter_map(Oid::from_hex)
        .collect())
}

/// One commit of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    pub id: Oid,
    /// The abbreviated id git shows (unique in this repository).
    pub short: String,
    /// The author's name (`.mailmap` applied).
    pub author: String,
    /// The subject line of the message.
    pub subject: String,
    /// The committer date's calendar day, in the time zone it was recorded with.
    pub day: Date,
    /// The committer date as recorded (ISO 8601 with its offset).
    pub time: String,
    /// A shallow clone's oldest commit here: its parents are not available,
    /// so the files it shows as added may be older.
    pub boundary: bool,
}

/// How a commit changed a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Modified,
    /// Renamed or moved from `from` (relative to the root), content
    /// `similarity` % the same (100: unchanged).
    Renamed {
        from: String,
        similarity: u8,
    },
    /// Changed between a file and a symbolic link.
    TypeChanged,
}

/// One commit's change to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Index into [`History::commits`].
    pub commit: usize,
    /// The file's path after the commit (relative to the root).
    pub path: String,
    /// The file's content after the commit (read with [`Repo::read_blobs`]).
    pub blob: Oid,
    pub kind: ChangeKind,
}

/// The history of the files under the root at `HEAD`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// Every commit that changed something under the root, newest first.
    pub commits: Vec<Commit>,
    /// Each file at `HEAD` (its path relative to the root) and the changes
    /// to it, newest first, through its renames: the last one is where it
    /// was added (or a shallow clone's boundary).
    pub files: BTreeMap<String, Vec<FileChange>>,
    /// The commit it was read at ([`Repo::head`]), the root's prefix and the
    /// shallow boundary then: what [`Repo::history_since`] checks.
    pub head: Option<Oid>,
    pub prefix: String,
    pub shallow: Vec<Oid>,
}

impl History {
    /// Gives every commit the short id git would show: the first 7 hex
    /// digits, or more where two commits of the history share them
    /// (`--no-abbrev`, which the raw changes need, makes git print whole ids).
    fn abbreviate(&mut self) {
        let mut ids: Vec<String> = self.commits.iter().map(|c| c.id.to_string()).collect();
        ids.sort_unstable();
        let common =
            |a: &str, b: &str| a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
        let len = ids
            .windows(2)
            .map(|w| common(&w[0], &w[1]) + 1)
            .max()
            .unwrap_or(0)
            .max(7);
        for c in &mut self.commits {
            let id = c.id.to_string();
            c.short = id[..len.min(id.len())].to_string();
        }
    }

    /// The changes to the file at `path` (at `HEAD`), newest first.
    pub fn of(&self, path: &str) -> &[FileChange] {
        self.files.get(path).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The file's newest version dated on or before `day`, if it existed then.
    pub fn version_on(&self, path: &str, day: Date) -> Option<&FileChange> {
        self.of(path)
            .iter()
            .find(|c| self.commits[c.commit].day <= day)
    }

    /// The commit of a change.
    pub fn commit(&self, change: &FileChange) -> &Commit {
        &self.commits[change.commit]
    }

    /// Whether the history is cut off (its oldest commit is a shallow
    /// clone's boundary), and from which day.
    pub fn cut_off(&self) -> Option<Date> {
        self.commits
            .iter()
            .filter(|c| c.boundary)
            .map(|c| c.day)
            .min()
    }
}
