//! Keeping a history between runs. Reading the whole history is one `git
//! log`, but its cost grows with commits times the size of the folders they
//! touch (2,000 commits over a 5,880-file folder: 0.4 s of CPU); what a
//! commit changed never changes, so a run can start from the history the
//! last one read and ask git only for the commits made since
//! ([`Repo::history_since`]).
//!
//! The file is `smsite/history` in the git folder (beside git's own files,
//! untouched by them; not in the work tree, so it never shows as a change),
//! written whole to a temporary file and renamed over the old one. Its format
//! is this module's: NUL-separated fields (no field can hold a NUL: git's
//! output has none), after a version line; anything else is ignored and the
//! history read anew.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::{ChangeKind, Commit, FileChange, GitError, History, Oid, Repo};

const MAGIC: &str = "smsite-history 2";

impl Repo {
    /// The history at `HEAD`, as [`Repo::history`], from the cache file
    /// and the commits made since it was written; the cache is then
    /// brought up to date. A cache that cannot be read or written is only
    /// slower (read anew, not kept).
    pub fn history_cached(&self) -> Result<History, GitError> {
        let file = self.cache_file();
        let cached = file
            .as_deref()
            .and_then(|f| std::fs::read(f).ok())
            .and_then(|bytes| History::from_cache(&bytes));
        let history = match cached {
            Some(previous) => self.history_since(previous)?,
            None => self.history()?,
        };
        if let Some(file) = file {
            write_atomically(&file, &history.to_cache());
        }
        Ok(history)
    }

    /// Where the cache lives: `smsite/history` in the git folder.
    fn cache_file(&self) -> Option<PathBuf> {
        self.cache_path("history")
    }

    /// The file `name` of smsite's caches: `smsite/NAME` in the git folder
    /// (`None`: no cache, see [`Repo::git_dir`]).
    pub fn cache_path(&self, name: &str) -> Option<PathBuf> {
        Some(self.git_dir.as_ref()?.join("smsite").join(name))
    }
}

/// Writes `bytes` to a temporary file of its own beside `file`, then
/// renames it over `file` (two runs at once: the last one's file is kept,
/// whole); gives up silently (a read-only repository keeps no cache).
pub fn write_atomically(file: &Path, bytes: &[u8]) {
    use std::io::Write;
    let Some(dir) = file.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let Ok(mut tmp) = tempfile::NamedTempFile::new_in(dir) else {
        return;
    };
    if tmp.write_all(bytes).is_ok() {
        // (On failure the temporary file is removed when dropped.)
        let _ = tmp.persist(file);
    }
}

impl History {
    /// The history in the cache file's format.
    pub fn to_cache(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(
            64 * (self.commits.len() + self.files.len()),
        ));
        w.field(MAGIC);
        w.field(self.head.map(|h| h.to_string()).unwrap_or_default());
        w.field(&self.prefix);
        w.list(&self.shallow, |w, id| w.field(id.to_string()));
        w.list(&self.commits, |w, c| {
            w.field(c.id.to_string());
            w.field(&c.short);
            w.field(&c.author);
            w.field(&c.time);
            w.field(&c.subject);
            w.field(if c.boundary { "b" } else { "" });
        });
        w.list(
            &self.files.iter().collect::<Vec<_>>(),
            |w, (path, changes)| {
                w.field(path);
                w.list(changes, |w, c| {
                    w.field(c.commit.to_string());
                    w.field(&c.path);
                    w.field(c.blob.to_string());
                    match &c.kind {
                        ChangeKind::Added => w.field("A"),
                        ChangeKind::Modified => w.field("M"),
                        ChangeKind::TypeChanged => w.field("T"),
                        ChangeKind::Renamed { from, similarity } => {
                            w.field(format!("R{similarity}"));
                            w.field(from);
                        }
                    }
                });
            },
        );
        w.0
    }

    /// Reads [`History::to_cache`]'s bytes; `None` if they are not that
    /// (another version, a damaged or partly written file).
    pub fn from_cache(bytes: &[u8]) -> Option<History> {
        let text = std::str::from_utf8(bytes).ok()?;
        let mut r = Reader(text.split('\0'));
        if r.next()? != MAGIC {
            return None;
        }
        let head = match r.next()? {
            "" => None,
            h => Some(oid(h)?),
        };
        let prefix = r.next()?.to_string();
        let shallow = r.list(|r| oid(r.next()?))?;
        let commits = r.list(read_commit)?;
        let files = r.list(|r| {
            let path = r.next()?.to_string();
            let changes = r.list(read_change)?;
            changes
                .iter()
                .all(|c| c.commit < commits.len())
                .then_some((path, changes))
        })?;
        (r.next() == Some("")).then_some(History {
            commits,
            files: files.into_iter().collect(),
            head,
            prefix,
            shallow,
        })
    }
}

fn oid(hex: &str) -> Option<Oid> {
    Oid::from_hex(hex.as_bytes())
}

fn read_commit(r: &mut Reader) -> Option<Commit> {
    let id = oid(r.next()?)?;
    let short = r.next()?.to_string();
    let author = r.next()?.to_string();
    let time = r.next()?.to_string();
    let subject = r.next()?.to_string();
    let boundary = r.next()? == "b";
    let day: Date = time.get(..10)?.parse().ok()?;
    Some(Commit {
        id,
        short,
        author,
        subject,
        day,
        time,
        boundary,
    })
}

fn read_change(r: &mut Reader) -> Option<FileChange> {
    let commit = r.next()?.parse().ok()?;
    let path = r.next()?.to_string();
    let blob = oid(r.next()?)?;
    let kind = match r.next()? {
        "A" => ChangeKind::Added,
        "M" => ChangeKind::Modified,
        "T" => ChangeKind::TypeChanged,
        k => ChangeKind::Renamed {
            similarity: k.strip_prefix('R')?.parse().ok()?,
            from: r.next()?.to_string(),
        },
    };
    Some(FileChange {
        commit,
        path,
        blob,
        kind,
    })
}

struct Writer(Vec<u8>);

impl Writer {
    fn field(&mut self, s: impl AsRef<str>) {
        self.0.extend_from_slice(s.as_ref().as_bytes());
        self.0.push(0);
    }
    fn list<T>(&mut self, items: &[T], mut each: impl FnMut(&mut Writer, &T)) {
        self.field(items.len().to_string());
        for item in items {
            each(self, item);
        }
    }
}

struct Reader<'a>(std::str::Split<'a, char>);

impl<'a> Reader<'a> {
    fn next(&mut self) -> Option<&'a str> {
        self.0.next()
    }
    /// A count, then that many items.
    fn list<T>(&mut self, mut each: impl FnMut(&mut Reader<'a>) -> Option<T>) -> Option<Vec<T>> {
        let n: usize = self.next()?.parse().ok()?;
        // A damaged count must not make a huge allocation.
        let mut items = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            items.push(each(self)?);
        }
        Some(items)
    }
}
