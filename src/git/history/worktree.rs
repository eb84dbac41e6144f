//! The work tree's uncommitted changes, from one `git status` (and, when
//! files were deleted and others appeared, one `git hash-object` to tell
//! which of them are the same files moved).

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::Stdio;

use super::{GitError, Oid, Repo};

/// A file under the root whose work-tree version is not `HEAD`'s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkChange {
    /// Its path in the work tree (for `Deleted`, where it was), relative
    /// to the root.
    pub path: String,
    pub kind: WorkKind,
}

/// How a file differs from `HEAD`: staged or not, it is all "uncommitted".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkKind {
    /// Changed (in the work tree, the index, or both).
    Modified,
    /// New and added to the index (`git add`).
    Added,
    /// New and not added: git does not know it yet.
    Untracked,
    /// Gone from the work tree or the index.
    Deleted,
    /// Moved from `from`: staged (`git mv`, git's rename detection, which
    /// may include an edit), or the same content deleted at `from` and
    /// found untracked here (a plain `mv`; a move with an edit that is not
    /// staged shows as `Deleted` and `Untracked`).
    Renamed { from: String },
    /// In the middle of a merge with conflicts.
    Unmerged,
}

/// One `git status --porcelain=v2` entry before pairing.
struct Entry {
    change: WorkChange,
    /// For a deleted file: its last committed and staged contents.
    gone: [Option<Oid>; 2],
}

impl Repo {
    /// The files under the root that differ from `HEAD`, sorted by path.
    /// Files git ignores (`.gitignore`) are not listed: a document with no
    /// history and no entry here is one git does not keep. `exclude`:
    /// folders whose files are never reported (e.g. the build's output,
    /// when inside the repository); absolute, or relative to the current
    /// directory.
    pub fn work_tree(&self, exclude: &[PathBuf]) -> Result<Vec<WorkChange>, GitError> {
        let mut args: Vec<String> = [
            "status",
            "--porcelain=v2",
            "-z",
            "--untracked-files=all",
            "--ignored=no",
            "--ignore-submodules=all",
            "--find-renames=50",
            "--",
        ]
        .map(String::from)
        .to_vec();
        args.push(format!(":(top,literal){}", self.prefix));
        args.extend(self.exclusions(exclude));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = self
            .git
            .run(&self.top, &args, "list the uncommitted changes")?;
        let entries = parse_status(&out, self);
        let mut changes = self.pair_moves(entries)?;
        changes.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(changes)
    }

    /// Pathspecs leaving out the `exclude` folders that are in the work tree.
    fn exclusions(&self, exclude: &[PathBuf]) -> Vec<String> {
        exclude
            .iter()
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .filter_map(|p| Some(p.strip_prefix(&self.top).ok()?.to_str()?.to_string()))
            .filter(|p| !p.is_empty())
            .map(|p| format!(":(top,exclude,literal){p}"))
            .collect()
    }

    /// Turns a deleted file and an untracked one with its exact content
    /// into one move.
    fn pair_moves(&self, entries: Vec<Entry>) -> Result<Vec<WorkChange>, GitError> {
        let untracked: Vec<usize> = (0..entries.len())
            .filter(|&i| entries[i].change.kind == WorkKind::Untracked)
            .collect();
        let mut gone: HashMap<Oid, usize> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            for id in e.gone.iter().flatten() {
                gone.entry(*id).or_insert(i);
            }
        }
        let mut changes: Vec<Option<WorkChange>> =
            entries.into_iter().map(|e| Some(e.change)).collect();
        if untracked.is_empty() || gone.is_empty() {
            return Ok(changes.into_iter().flatten().collect());
        }
        let paths: Vec<String> = untracked
            .iter()
            .filter_map(|&i| {
                changes[i]
                    .as_ref()
                    .map(|c| format!("{}{}", self.prefix, c.path))
            })
            .collect();
        for (&i, id) in untracked.iter().zip(self.hash_files(&paths)?) {
            let Some(d) = id.and_then(|id| gone.remove(&id)) else {
                continue;
            };
            // The same path deleted and untracked (`git rm --cached`) is no move.
            let same = changes[d].as_ref().map(|c| &c.path) == changes[i].as_ref().map(|c| &c.path);
            if same {
                continue;
            }
            if let (Some(deleted), Some(new)) = (changes[d].take(), changes[i].as_mut()) {
                new.kind = WorkKind::Renamed { from: deleted.path };
            }
        }
        Ok(changes.into_iter().flatten().collect())
    }

    /// The blob ids the files at `paths` (relative to the top) would have
    /// if added, from one `git hash-object` (which writes nothing).
    fn hash_files(&self, paths: &[String]) -> Result<Vec<Option<Oid>>, GitError> {
        let paths_owned = paths.to_vec();
        let mut child = self
            .git
            .command(&self.top)
            .args(["hash-object", "--stdin-paths"])
            .stdin(Stdio::piped())
            .spawn()
            .map_err(|e| self.git.spawn_error(&e))?;
        let stdin = child.stdin.take();
        // Written from another thread: git answers while we ask.
        let writer = std::thread::spawn(move || {
            if let Some(stdin) = stdin {
                let mut w = std::io::BufWriter::new(stdin);
                for p in paths_owned {
                    if writeln!(w, "{p}").is_err() {
                        break;
                    }
                }
                let _ = w.flush();
            }
        });
        let out = child
            .wait_with_output()
            .map_err(|e| self.git.spawn_error(&e))?;
        let _ = writer.join();
        let ids = out.stdout.split(|&b| b == b'\n').map(Oid::from_hex);
        Ok(ids
            .chain(std::iter::repeat(None))
            .take(paths.len())
            .collect())
    }
}

/// Reads `git status --porcelain=v2 -z` (paths relative to the top).
fn parse_status(out: &[u8], repo: &Repo) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut records = out.split(|&b| b == 0);
    while let Some(r) = records.next() {
        let fields = |n: usize| -> Vec<&[u8]> { r.splitn(n, |&b| b == b' ').collect() };
        let entry = match r.first() {
            Some(b'1') => ordinary(&fields(9)),
            Some(b'2') => {
                let from = records.next().unwrap_or_default();
                renamed(&fields(10), from, repo)
            }
            Some(b'u') => fields(11)
                .last()
                .map(|p| (*p, WorkKind::Unmerged, [None, None])),
            Some(b'?') => r.get(2..).map(|p| (p, WorkKind::Untracked, [None, None])),
            _ => None,
        };
        let Some((path, kind, gone)) = entry else {
            continue;
        };
        let path = String::from_utf8_lossy(path);
        if let Some(path) = repo.strip_prefix(&path) {
            entries.push(Entry {
                change: WorkChange {
                    path: path.to_string(),
                    kind,
                },
                gone,
            });
        }
    }
    entries
}

type Parsed<'a> = Option<(&'a [u8], WorkKind, [Option<Oid>; 2])>;

/// `1 XY sub mH mI mW hH hI path`
fn ordinary<'a>(f: &[&'a [u8]]) -> Parsed<'a> {
    let [_, xy, sub, _, _, _, h_head, h_index, path] = f else {
        return None;
    };
    if sub.first() == Some(&b'S') {
        return None;
    }
    let (x, y) = (xy.first()?, xy.get(1)?);
    let kind = match (x, y) {
        (b'D', _) | (_, b'D') => WorkKind::Deleted,
        (b'A', _) => WorkKind::Added,
        _ => WorkKind::Modified,
    };
    let gone = if kind == WorkKind::Deleted {
        [Oid::from_hex(h_head), Oid::from_hex(h_index)]
    } else {
        [None, None]
    };
    Some((path, kind, gone))
}

/// `2 XY sub mH mI mW hH hI Xscore path` and the original path.
fn renamed<'a>(f: &[&'a [u8]], from: &'a [u8], repo: &Repo) -> Parsed<'a> {
    let [_, xy, sub, _, _, _, h_head, _, score, path] = f else {
        return None;
    };
    if sub.first() == Some(&b'S') {
        return None;
    }
    if xy.get(1) == Some(&b'D') {
        // Moved in the index, then deleted: the original is what is gone.
        return Some((from, WorkKind::Deleted, [Oid::from_hex(h_head), None]));
    }
    let from_text = String::from_utf8_lossy(from);
    let kind = match (score.first(), repo.strip_prefix(&from_text)) {
        (Some(b'R'), Some(from)) => WorkKind::Renamed {
            from: from.to_string(),
        },
        _ => WorkKind::Added,
    };
    Some((path, kind, [None, None]))
}
