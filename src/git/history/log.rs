//! Reading `git log --raw` into per-file histories.
//!
//! One `git log` lists, newest first, each first-parent commit with its
//! changes as raw diff entries (`-z`: fields end with NUL, so any file name
//! passes unquoted). [`Chain`] walks them, following each file back through
//! its renames: a path first met is a file at the segment's tip; a path that
//! was added, deleted or renamed away later belongs to no such file further
//! back. A long history is read as a few segments in parallel (one `git log`
//! each, the diffing of big folders is what costs), and a newer segment is
//! put on top of the older ones' finished history ([`Chain::on_top_of`]),
//! which also extends a history read earlier.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use jiff::civil::Date;

use super::{ChangeKind, Commit, FileChange, History, Oid, Repo};

/// The `git log` arguments before the revisions: first-parent history, each
/// merge compared with its first parent, renames found at 50 % similarity
/// among at most 1,000 files (git's defaults, stated so configuration does
/// not change them), nothing that configuration could add to the output.
/// A commit that moves more files than the limit *and* edits them shows
/// those as deleted and added (exact moves are always found).
pub(super) const LOG_ARGS: &[&str] = &[
    "log",
    "-z",
    "--raw",
    "--no-abbrev",
    "--root",
    "--first-parent",
    "--diff-merges=first-parent",
    "-M50%",
    "-l1000",
    "--no-ext-diff",
    "--no-textconv",
    "--no-color",
    "--no-decorate",
    "--no-notes",
    "--no-show-signature",
    "--no-relative",
    "--encoding=UTF-8",
    "--format=%x01%H%x00%h%x00%aN%x00%cI%x00%s",
];

/// One entry of `git log --raw`, paths still relative to the work tree's top.
struct RawChange<'a> {
    status: u8,
    score: u8,
    blob: Oid,
    gitlink: bool,
    /// Not UTF-8 (possible on Linux): read with U+FFFD for the bad bytes,
    /// as the rest of smsite reads file names.
    paths: (Cow<'a, str>, Option<Cow<'a, str>>),
}

/// Reads one segment's `git log` output (see [`LOG_ARGS`]).
pub(super) fn parse(out: &[u8], repo: &Repo) -> Result<Chain, String> {
    let shallow: HashSet<Oid> = repo.shallow.iter().copied().collect();
    let mut chain = Chain::default();
    let mut tokens = out.split(|&b| b == 0);
    while let Some(tok) = tokens.next() {
        // A commit's changes start on a new line; paths are taken as they are.
        let tok = tok.strip_prefix(b"\n").unwrap_or(tok);
        match tok.first() {
            None => {}
            Some(1) => chain
                .commits
                .push(parse_commit(&tok[1..], &mut tokens, &shallow)?),
            Some(b':') => {
                let raw = parse_raw(tok, &mut tokens)?;
                if chain.commits.is_empty() {
                    return Err("a change before any commit in git's output".into());
                }
                chain.apply(&raw, repo);
            }
            Some(_) => {
                return Err(format!(
                    "unexpected output `{}`",
                    String::from_utf8_lossy(tok)
                ));
            }
        }
    }
    Ok(chain)
}

fn text<'a>(tokens: &mut impl Iterator<Item = &'a [u8]>) -> Result<String, String> {
    let t = tokens.next().ok_or("git's output ended inside a commit")?;
    Ok(String::from_utf8_lossy(t).into_owned())
}

pub(super) fn parse_commit<'a>(
    id: &[u8],
    tokens: &mut impl Iterator<Item = &'a [u8]>,
    shallow: &HashSet<Oid>,
) -> Result<Commit, String> {
    let id = Oid::from_hex(id).ok_or("a commit id git printed is not one")?;
    let short = text(tokens)?;
    let author = text(tokens)?;
    let time = text(tokens)?;
    let subject = text(tokens)?;
    let day = time
        .get(..10)
        .and_then(|d| d.parse::<Date>().ok())
        .ok_or_else(|| format!("commit {id} has a date git printed as `{time}`"))?;
    Ok(Commit {
        boundary: shallow.contains(&id),
        id,
        short,
        author,
        subject,
        day,
        time,
    })
}

/// Parses `:100644 100644 <old> <new> R086` and the one or two paths after it.
fn parse_raw<'a>(
    head: &[u8],
    tokens: &mut impl Iterator<Item = &'a [u8]>,
) -> Result<RawChange<'a>, String> {
    let bad = || format!("unexpected change line `{}`", String::from_utf8_lossy(head));
    let fields: Vec<&[u8]> = head[1..].split(|&b| b == b' ').collect();
    let [old_mode, new_mode, _old, new, status] = fields[..] else {
        return Err(bad());
    };
    let blob = Oid::from_hex(new).ok_or_else(bad)?;
    let (&letter, score) = status.split_first().ok_or_else(bad)?;
    let score = std::str::from_utf8(score)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut path = || -> Result<Cow<'a, str>, String> {
        let p = tokens.next().ok_or("git's output ended inside a change")?;
        Ok(String::from_utf8_lossy(p))
    };
    let first = path()?;
    let second = match letter {
        b'R' | b'C' => Some(path()?),
        _ => None,
    };
    Ok(RawChange {
        status: letter,
        score,
        blob,
        gitlink: old_mode == b"160000" || new_mode == b"160000",
        paths: (first, second),
    })
}

/// A walk over one segment of the history, newest first, and where it
/// stands at the segment's oldest end.
#[derive(Default)]
pub(super) struct Chain {
    commits: Vec<Commit>,
    /// Files found so far: their path at the segment's tip and changes.
    files: Vec<(String, Vec<FileChange>)>,
    /// Path (at the point of the walk) -> index in `files`.
    live: HashMap<String, usize>,
    /// Paths that, at this point of the walk, belong to no file at the tip
    /// (deleted or renamed away later, or added later: an older file there
    /// was another one).
    dead: HashSet<String>,
}

impl Chain {
    /// The file at `path` at this point of the walk: a known one, none, or
    /// (the first time a path is seen) a file at the tip.
    fn file(&mut self, path: &str) -> Option<usize> {
        if let Some(&i) = self.live.get(path) {
            return Some(i);
        }
        if self.dead.contains(path) {
            return None;
        }
        self.files.push((path.to_string(), Vec::new()));
        self.live.insert(path.to_string(), self.files.len() - 1);
        Some(self.files.len() - 1)
    }

    fn record(&mut self, file: Option<usize>, path: &str, blob: Oid, kind: ChangeKind) {
        if let Some(i) = file {
            self.files[i].1.push(FileChange {
                commit: self.commits.len() - 1,
                path: path.to_string(),
                blob,
                kind,
            });
        }
    }

    /// Before this commit, `path` was not this file.
    fn forget(&mut self, path: &str) {
        self.live.remove(path);
        self.dead.insert(path.to_string());
    }

    fn apply(&mut self, raw: &RawChange, repo: &Repo) {
        if raw.gitlink {
            return;
        }
        let (first, second) = (&raw.paths.0, &raw.paths.1);
        let Some(path) = repo.strip_prefix(second.as_deref().unwrap_or(first)) else {
            return;
        };
        let file = if raw.status == b'D' {
            None
        } else {
            self.file(path)
        };
        match raw.status {
            b'D' => self.forget(path),
            b'A' | b'C' => {
                self.record(file, path, raw.blob, ChangeKind::Added);
                self.forget(path);
            }
            b'R' => {
                let from = repo.strip_prefix(first).unwrap_or(first).to_string();
                let kind = ChangeKind::Renamed {
                    from: from.clone(),
                    similarity: raw.score,
                };
                self.record(file, path, raw.blob, kind);
                self.forget(path);
                self.dead.remove(&from);
                match file {
                    Some(i) => _ = self.live.insert(from, i),
                    None => self.forget(&from),
                }
            }
            b'T' => self.record(file, path, raw.blob, ChangeKind::TypeChanged),
            _ => self.record(file, path, raw.blob, ChangeKind::Modified),
        }
    }

    /// This (newer) segment on top of the finished history of everything
    /// before it: the older files are followed through this segment's
    /// renames to their paths at its tip, and dropped where this segment
    /// deleted them.
    pub(super) fn on_top_of(mut self, older: History) -> History {
        let offset = self.commits.len();
        self.commits.extend(older.commits);
        for (path, mut changes) in older.files {
            for c in &mut changes {
                c.commit += offset;
            }
            match self.live.get(&path) {
                Some(&i) => self.files[i].1.extend(changes),
                None if self.dead.contains(&path) => {}
                None => self.files.push((path, changes)),
            }
        }
        History {
            commits: self.commits,
            files: self.files.into_iter().collect(),
            ..History::default()
        }
    }
}
