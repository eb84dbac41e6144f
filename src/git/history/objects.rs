//! Reading objects: file contents (blobs) in bulk, revisions, and the files
//! of a tree, without touching the work tree or the index.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdout};

use super::{Commit, ErrorKind, GitError, Oid, Repo, command, log};

/// What a tree entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileMode {
    File,
    Executable,
    Symlink,
}

/// A file of a tree at some revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeEntry {
    /// Relative to the repository root, `/`-separated.
    pub path: String,
    pub blob: Oid,
    pub mode: FileMode,
}

impl Repo {
    /// The contents of `blobs`, in the same order, from one `git cat-file
    /// --batch`. A blob that is missing or cannot be read is an error of
    /// its own; the others are still read (git is started again after one
    /// that stopped it, such as a damaged object).
    pub fn read_blobs(&self, blobs: &[Oid]) -> Vec<Result<Vec<u8>, GitError>> {
        let mut out = Vec::with_capacity(blobs.len());
        // Git stopping again and again before reading anything: give up.
        let mut stuck = 0;
        while out.len() < blobs.len() {
            let rest = &blobs[out.len()..];
            let before = out.len();
            let result = self.cat_file(rest, &mut out);
            stuck = if out.len() == before { stuck + 1 } else { 0 };
            let e = match result {
                Ok(()) if out.len() > before => continue,
                Ok(()) => self.unreadable(rest[0], b""),
                Err(e) => e,
            };
            if e.kind == ErrorKind::NoGit || stuck >= 3 {
                out.resize(blobs.len(), Err(e));
            } else {
                out.push(Err(e));
            }
        }
        out
    }

    /// Reads as many of `blobs` as one `git cat-file --batch` gives, into
    /// `out`; `Err` for the blob where it stopped.
    fn cat_file(
        &self,
        blobs: &[Oid],
        out: &mut Vec<Result<Vec<u8>, GitError>>,
    ) -> Result<(), GitError> {
        let mut child = self
            .git
            .command(&self.top)
            .args(["cat-file", "--batch"])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| self.git.spawn_error(&e))?;
        let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(self.unreadable(blobs[0], b"git's output could not be read"));
        };
        let read = std::thread::scope(|s| {
            // Written from another thread: git answers while we ask.
            s.spawn(move || {
                let mut w = std::io::BufWriter::new(&mut stdin);
                for b in blobs {
                    if writeln!(w, "{b}").is_err() {
                        break;
                    }
                }
                let _ = w.flush();
            });
            read_batch(stdout, blobs, out)
        });
        let stderr = finish(child);
        match read {
            Ok(()) => Ok(()),
            Err(i) => Err(self.unreadable(blobs[i], &stderr)),
        }
    }

    fn unreadable(&self, blob: Oid, stderr: &[u8]) -> GitError {
        let mut e = command::failed(&format!("read the file version {blob}"), &self.top, stderr);
        if self.is_shallow() {
            e.message.push_str(
                ". This clone is shallow: `git fetch --unshallow` fetches the whole history",
            );
        }
        e
    }

    /// The commit that `revision` names (a tag, branch, commit or an
    /// expression such as `HEAD~3`), with its date and subject.
    pub fn resolve(&self, revision: &str) -> Result<Commit, GitError> {
        if revision.is_empty() || revision.contains(['\n', '\0']) {
            return Err(self.no_revision(revision, b""));
        }
        let rev = format!("{revision}^{{commit}}");
        let mut args = vec!["log", "-1", "--no-walk"];
        // The history's options (the same format), without the changes.
        args.extend(log::LOG_ARGS[1..].iter().filter(|a| **a != "--raw"));
        args.extend(["--end-of-options", &rev, "--"]);
        let out = self.git.output(&self.top, &args)?;
        if !out.status.success() {
            return Err(self.no_revision(revision, &out.stderr));
        }
        let shallow: HashSet<Oid> = self.shallow.iter().copied().collect();
        let mut tokens = out.stdout.split(|&b| b == 0);
        let first = tokens.next().unwrap_or_default();
        match first.strip_prefix(b"\x01") {
            Some(id) => log::parse_commit(id, &mut tokens, &shallow)
                .map_err(|e| command::failed("read a commit", &self.top, e.as_bytes())),
            None => Err(command::failed("read a commit", &self.top, first)),
        }
    }

    fn no_revision(&self, revision: &str, stderr: &[u8]) -> GitError {
        let mut message = format!(
            "there is no revision `{revision}` in the git repository at {} ({}): give a tag \
             (`git tag` lists them), a branch (`git branch -a`), a commit (`git log --oneline`) \
             or an expression such as HEAD~3",
            self.top.display(),
            command::said(stderr)
        );
        if self.is_shallow() {
            message.push_str(". This clone is shallow, so older commits are not here: `git fetch --unshallow` fetches them");
        }
        GitError {
            kind: ErrorKind::NoSuchRevision,
            message,
        }
    }

    /// The files under the root in the tree of `commit` (from
    /// [`Repo::resolve`]), in git's order; none when the root's folder did
    /// not exist then. Submodules are left out.
    pub fn tree(&self, commit: Oid) -> Result<Vec<TreeEntry>, GitError> {
        let id = commit.to_string();
        let mut args = vec!["ls-tree", "-r", "-z", "--full-tree", &id, "--"];
        // ls-tree matches paths literally (no wildcards), from the top.
        if !self.prefix.is_empty() {
            args.push(&self.prefix);
        }
        let out = self
            .git
            .run(&self.top, &args, &format!("list the files of {id}"))?;
        let mut entries = Vec::new();
        for record in out.split(|&b| b == 0).filter(|r| !r.is_empty()) {
            match self.tree_entry(record) {
                Some(Some(e)) => entries.push(e),
                Some(None) => {}
                None => {
                    return Err(command::failed(
                        &format!("list the files of {id}"),
                        &self.top,
                        record,
                    ));
                }
            }
        }
        Ok(entries)
    }

    /// Parses `<mode> SP <type> SP <id> TAB <path>`: `None` if it is not
    /// that, `Some(None)` for what is not a file (a submodule).
    fn tree_entry(&self, record: &[u8]) -> Option<Option<TreeEntry>> {
        let tab = record.iter().position(|&b| b == b'\t')?;
        let (meta, path) = (&record[..tab], &record[tab + 1..]);
        let mut parts = meta.split(|&b| b == b' ');
        let (mode, _kind, id) = (parts.next()?, parts.next()?, parts.next()?);
        let mode = match mode {
            b"100644" | b"100664" => FileMode::File,
            b"100755" => FileMode::Executable,
            b"120000" => FileMode::Symlink,
            _ => return Some(None),
        };
        let path = String::from_utf8_lossy(path);
        let path = self.strip_prefix(&path)?.to_string();
        Some(Some(TreeEntry {
            path,
            blob: Oid::from_hex(id)?,
            mode,
        }))
    }
}

/// Reads `cat-file --batch` answers for `blobs` into `out` until git stops;
/// `Err(i)`: it stopped (or answered oddly) at `blobs[i]`, which is not read.
fn read_batch(
    stdout: ChildStdout,
    blobs: &[Oid],
    out: &mut Vec<Result<Vec<u8>, GitError>>,
) -> Result<(), usize> {
    let mut r = BufReader::with_capacity(1 << 16, stdout);
    let mut line = Vec::new();
    for (i, blob) in blobs.iter().enumerate() {
        line.clear();
        if r.read_until(b'\n', &mut line).map_or(true, |n| n == 0) {
            return Err(i);
        }
        let header = line.strip_suffix(b"\n").unwrap_or(&line);
        let mut fields = header.rsplitn(3, |&b| b == b' ');
        let size = fields
            .next()
            .and_then(|s| std::str::from_utf8(s).ok()?.parse::<usize>().ok());
        let kind = fields.next();
        let Some(size) = size.filter(|_| kind.is_some()) else {
            // `<id> missing` (or another one-word answer): no content follows.
            out.push(Err(missing(*blob, header)));
            continue;
        };
        let mut content = vec![0; size + 1];
        if r.read_exact(&mut content).is_err() {
            return Err(i);
        }
        content.pop();
        out.push(if kind == Some(b"blob") {
            Ok(content)
        } else {
            Err(missing(*blob, b"not a file's content"))
        });
    }
    Ok(())
}

fn missing(blob: Oid, said: &[u8]) -> GitError {
    GitError {
        kind: ErrorKind::Failed,
        message: format!(
            "the file version {blob} is not in the git repository ({}): in a shallow \
             clone, `git fetch --unshallow` fetches it; a partial clone (`git clone \
             --filter`) needs a full clone; otherwise `git fsck` says what is wrong",
            String::from_utf8_lossy(said)
        ),
    }
}

/// Waits for git and returns what it printed on its standard error.
fn finish(mut child: Child) -> Vec<u8> {
    let mut stderr = Vec::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_end(&mut stderr);
    }
    let _ = child.wait();
    stderr
}
