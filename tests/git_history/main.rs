//! The git history reader (`smsite::git::history`) on real repositories made
//! here with `git`, dates set through GIT_AUTHOR_DATE/GIT_COMMITTER_DATE.
//! `history`: opening and the history of files; `objects`: revisions, trees
//! and contents; `worktree`: uncommitted changes and what reading leaves alone.

#[path = "../common/mod.rs"]
mod common;
mod history;
mod objects;
mod worktree;

use std::path::{Path, PathBuf};

use common::{fast_import, git as git_in};
use jiff::civil::Date;
use smsite::git::history::{
    ChangeKind, ErrorKind, FileMode, Git, History, Oid, Repo, WorkChange, WorkKind,
};

/// A git repository in a temporary folder.
struct TestRepo {
    dir: tempfile::TempDir,
}

impl TestRepo {
    fn new() -> TestRepo {
        let r = TestRepo {
            dir: tempfile::tempdir().expect("a temporary folder"),
        };
        r.git(&["init", "-q", "-b", "main"]);
        r
    }
    fn path(&self) -> &Path {
        self.dir.path()
    }
    fn git(&self, args: &[&str]) -> String {
        git_in(self.path(), args, "2024-01-01T12:00:00+00:00")
    }
    fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("a parent")).expect("mkdir");
        std::fs::write(p, content).expect("write");
    }
    /// Stages everything and commits at `date` (ISO 8601 with offset).
    fn commit(&self, message: &str, date: &str) -> String {
        git_in(self.path(), &["add", "-A"], date);
        git_in(self.path(), &["commit", "-q", "-m", message], date);
        self.git(&["rev-parse", "HEAD"])
    }
    fn open(&self) -> Repo {
        Repo::open(self.path()).unwrap_or_else(|e| panic!("opens: {e}"))
    }
    fn history(&self) -> History {
        self.open()
            .history()
            .unwrap_or_else(|e| panic!("history: {e}"))
    }
}

fn day(s: &str) -> Date {
    s.parse().expect("a date")
}

fn oid(hex: &str) -> Oid {
    Oid::from_hex(hex.as_bytes()).expect("an object id")
}

/// (subject, path, kind) of each change to `path`, newest first.
fn changes(h: &History, path: &str) -> Vec<(String, String, ChangeKind)> {
    h.of(path)
        .iter()
        .map(|c| (h.commit(c).subject.clone(), c.path.clone(), c.kind.clone()))
        .collect()
}

fn content(repo: &Repo, blob: Oid) -> Vec<u8> {
    let mut read = repo.read_blobs(&[blob]);
    read.remove(0)
        .unwrap_or_else(|e| panic!("reads {blob}: {e}"))
}
