//! Stage 6, write: publish the rendered site atomically. Files are written
//! into a fresh temporary folder beside the output, then swapped in whole
//! with renames; a failed or interrupted build leaves the previous site
//! exactly as it was. A lock file keeps two builds from publishing into the
//! same folder at once: the second waits for the first.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::Output;

/// Why publishing failed.
#[derive(Debug)]
pub struct WriteError(pub String);

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A site being written: files go into a temporary folder beside the
/// output as they are rendered (so rendering and writing overlap and the
/// site is never held in memory whole), then `finish` swaps it in.
/// Dropped without `finish`, the temporary folder is removed and the
/// previous site is untouched.
///
/// Pages are created by one writer thread: creating files in one folder
/// is serialised by the kernel anyway, and renderers that created their
/// own would wait on each other (spinning on the folder's lock) instead of
/// rendering.
pub struct Staging {
    out: PathBuf,
    tmp: Option<tempfile::TempDir>,
    _lock: Lock,
    files: std::sync::Arc<Files>,
    writer: Option<(
        std::sync::mpsc::SyncSender<Vec<Output>>,
        std::thread::JoinHandle<()>,
    )>,
    /// Pages handed over since the last batch went to the writer.
    batch: std::sync::Mutex<Vec<Output>>,
    /// HTML files handed over.
    pages: std::sync::atomic::AtomicUsize,
}

/// Pages handed to the writer at a time: it is woken once per batch, not
/// once per page (a thread switch costs about as much as writing a page).
const BATCH: usize = 16;

/// Batches waiting for the writer, at most (a page is a few kilobytes).
const QUEUE: usize = 16;

/// The temporary folder being filled, shared with the writer thread.
struct Files {
    dir: PathBuf,
    /// Folders created so far (relative).
    dirs: std::sync::Mutex<std::collections::HashSet<String>>,
    /// SHA-256 of every file written, for the manifest.
    hashes: std::sync::Mutex<Vec<(String, String)>>,
    /// The first write error; reported by `finish`.
    error: std::sync::Mutex<Option<WriteError>>,
}

impl Staging {
    /// Checks `out`, takes the lock beside it, sweeps leftovers of killed
    /// builds and creates the temporary folder.
    pub fn begin(out: &Path, root: &Path) -> Result<Staging, WriteError> {
        let out = absolute(out)?;
        refuse_to_replace(&out, root)?;
        let parent = out
            .parent()
            .ok_or_else(|| {
                WriteError(format!(
                    "{}: cannot publish to the filesystem root",
                    out.display()
                ))
            })?
            .to_path_buf();
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "site".into());
        fs::create_dir_all(&parent)
            .map_err(|e| WriteError(format!("cannot create {}: {e}", parent.display())))?;
        let lock = Lock::take(&parent.join(format!(".{name}.lock")))?;
        if out.exists() && !out.is_dir() {
            return Err(WriteError(format!(
                "{} exists and is not a folder; choose another --out",
                out.display()
            )));
        }
        // Sweep leftovers of builds that were killed before they could clean up.
        // A build killed between the two renames of the fallback swap (not on
        // Linux, where the swap is one exchange) leaves the previous site as
        // `.NAME.old-PID` and no `NAME`: put it back first.
        let leftovers: Vec<(String, PathBuf)> = fs::read_dir(&parent)
            .map(|rd| {
                rd.flatten()
                    .map(|e| (e.file_name().to_string_lossy().to_string(), e.path()))
                    .filter(|(n, _)| {
                        n.starts_with(&format!(".{name}.tmp-"))
                            || n.starts_with(&format!(".{name}.old-"))
                    })
                    .collect()
            })
            .unwrap_or_default();
        if !out.exists()
            && let Some((_, old)) = leftovers
                .iter()
                .find(|(n, _)| n.starts_with(&format!(".{name}.old-")))
        {
            let _ = fs::rename(old, &out);
        }
        for (_, p) in &leftovers {
            if p.exists() {
                let _ = fs::remove_dir_all(p);
            }
        }
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}.tmp-"))
            .tempdir_in(&parent)
            .map_err(|e| {
                WriteError(format!(
                    "cannot create a temporary folder in {}: {e}",
                    parent.display()
                ))
            })?;
        let files = std::sync::Arc::new(Files {
            dir: tmp.path().to_path_buf(),
            dirs: Default::default(),
            hashes: Default::default(),
            error: Default::default(),
        });
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Output>>(QUEUE);
        let shared = std::sync::Arc::clone(&files);
        // Without a thread, pages are written by whoever renders them.
        let writer = std::thread::Builder::new()
            .name("smsite-write".into())
            .spawn(move || {
                for batch in rx {
                    for f in &batch {
                        shared.put(f);
                    }
                }
            })
            .ok()
            .map(|h| (tx, h));
        Ok(Staging {
            out,
            tmp: Some(tmp),
            _lock: lock,
            files,
            writer,
            batch: Default::default(),
            pages: Default::default(),
        })
    }

    /// Writes one file (from any thread), through the writer thread. An
    /// error is kept for `finish`.
    pub fn put(&self, f: Output) {
        self.count(&f.path);
        let Some((tx, _)) = &self.writer else {
            return self.files.put(&f);
        };
        let full = match self.batch.lock() {
            Ok(mut b) => {
                b.push(f);
                (b.len() >= BATCH).then(|| std::mem::take(&mut *b))
            }
            Err(_) => return self.files.put(&f),
        };
        if let Some(batch) = full {
            self.send(tx, batch);
        }
    }

    fn count(&self, path: &str) {
        if path.ends_with(".html") {
            self.pages
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// How many pages (HTML files) were handed over so far.
    pub fn pages(&self) -> usize {
        self.pages.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Hands `batch` to the writer thread (or writes it here if it is gone).
    fn send(&self, tx: &std::sync::mpsc::SyncSender<Vec<Output>>, batch: Vec<Output>) {
        if let Err(std::sync::mpsc::SendError(batch)) = tx.send(batch) {
            for f in &batch {
                self.files.put(f);
            }
        }
    }

    /// Waits for the writer thread to write what it was given.
    fn drain(&mut self) {
        if let Some((tx, handle)) = self.writer.take() {
            let rest = self
                .batch
                .lock()
                .map(|mut b| std::mem::take(&mut *b))
                .unwrap_or_default();
            self.send(&tx, rest);
            drop(tx);
            let _ = handle.join();
        }
    }

    /// Copies the assets, writes the manifest when `manifest` is given
    /// (`(date, revision)`), then swaps the new site in.
    pub fn finish(
        mut self,
        root: &Path,
        assets: &[String],
        manifest: Option<(&str, Option<crate::git::Revision>)>,
    ) -> Result<(), WriteError> {
        self.drain();
        let files = &self.files;
        if let Some(e) = files.error.lock().ok().and_then(|mut e| e.take()) {
            return Err(e);
        }
        copy_assets(&files.dir, root, assets)?;
        if let Some((date, revision)) = manifest {
            let mut hashes: std::collections::BTreeMap<String, String> = files
                .hashes
                .lock()
                .map(|mut v| std::mem::take(&mut *v).into_iter().collect())
                .unwrap_or_default();
            hashes.extend(crate::manifest::hash_files(root, assets));
            let m = crate::manifest::from_hashes(hashes, date, revision);
            files.try_put(&m)?;
        }
        let Some(tmp) = self.tmp.take() else {
            return Err(WriteError("the site was already published".into()));
        };
        let staged = tmp.keep();
        swap(&staged, &self.out).inspect_err(|_| {
            let _ = fs::remove_dir_all(&staged);
        })
    }
}

impl Drop for Staging {
    /// The writer stops before the temporary folder goes.
    fn drop(&mut self) {
        self.drain();
    }
}

impl Files {
    /// Writes one file. An error is kept for `finish`.
    fn put(&self, f: &Output) {
        self.keep_error(self.try_put(f));
    }

    /// Keeps the first error, for `finish`.
    fn keep_error(&self, r: Result<(), WriteError>) {
        if let Err(e) = r
            && let Ok(mut slot) = self.error.lock()
        {
            slot.get_or_insert(e);
        }
    }

    fn try_put(&self, f: &Output) -> Result<(), WriteError> {
        let (p, mut file) = self.create(&f.path)?;
        file.write_all(&f.bytes)
            .map_err(|e| WriteError(format!("cannot write {}: {e}", p.display())))?;
        self.hashed(&f.path, crate::manifest::sha256(&f.bytes));
        Ok(())
    }

    /// Creates the file at `path` (relative), and its folder if need be.
    fn create(&self, path: &str) -> Result<(PathBuf, fs::File), WriteError> {
        // Output paths come from ids, kinds and catalogue names, which are
        // validated upstream; refuse anything that could still leave the folder.
        if !safe_rel(path) {
            return Err(WriteError(format!(
                "refusing to write `{}`: an output path must stay inside the site folder (this is a bug in smsite: please report it)",
                path.escape_debug()
            )));
        }
        let dir = &self.dir;
        if let Some((d, _)) = path.rsplit_once('/') {
            // Record a folder only once it exists: another thread may be
            // about to write into it (creating it twice is harmless).
            let known = self.dirs.lock().is_ok_and(|s| s.contains(d));
            if !known {
                fs::create_dir_all(dir.join(d)).map_err(|e| {
                    WriteError(format!("cannot create {}: {e}", dir.join(d).display()))
                })?;
                if let Ok(mut s) = self.dirs.lock() {
                    s.insert(d.to_string());
                }
            }
        }
        let p = dir.join(path);
        let file = fs::File::create(&p)
            .map_err(|e| WriteError(format!("cannot write {}: {e}", p.display())))?;
        Ok((p, file))
    }

    fn hashed(&self, path: &str, hash: String) {
        if let Ok(mut v) = self.hashes.lock() {
            v.push((path.to_string(), hash));
        }
    }

    fn try_stream(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), WriteError> {
        let (p, file) = self.create(path)?;
        let mut w = std::io::BufWriter::with_capacity(1 << 16, Hashing::new(file));
        fill(&mut w)
            .and_then(|()| w.flush())
            .map_err(|e| WriteError(format!("cannot write {}: {e}", p.display())))?;
        let h = w
            .into_inner()
            .map_err(|e| WriteError(format!("cannot write {}: {e}", p.display())))?
            .finish();
        self.hashed(path, h);
        Ok(())
    }
}

impl crate::render::Sink for Staging {
    fn put(&self, file: Output) {
        Staging::put(self, file)
    }
    fn stream(&self, path: &str, fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>) {
        self.count(path);
        // Large files are written by the thread that renders them.
        self.files.keep_error(self.files.try_stream(path, fill));
    }
}

/// A file being written and hashed (SHA-256, for the manifest) as it goes.
struct Hashing {
    file: fs::File,
    hash: sha2::Sha256,
}

impl Hashing {
    fn new(file: fs::File) -> Hashing {
        Hashing {
            file,
            hash: sha2::Digest::new(),
        }
    }
    fn finish(self) -> String {
        crate::manifest::hex(&sha2::Digest::finalize(self.hash))
    }
}

impl Write for Hashing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        sha2::Digest::update(&mut self.hash, &buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// The output folder is replaced whole: never let that be the repository
/// (or a folder holding it), nor an existing folder that is not a site, i.e.
/// has no `index.html` (`--out ~` must not delete a home directory).
fn refuse_to_replace(out: &Path, root: &Path) -> Result<(), WriteError> {
    let Ok(canon_out) = out.canonicalize() else {
        return Ok(()); // does not exist yet
    };
    if let Ok(canon_root) = root.canonicalize()
        && canon_root.starts_with(&canon_out)
    {
        return Err(WriteError(format!(
            "{} holds the repository itself; the output folder is replaced whole, so publishing there would delete the sources: choose a separate folder, e.g. {}",
            out.display(),
            root.join("public").display()
        )));
    }
    let empty = fs::read_dir(&canon_out).is_ok_and(|mut rd| rd.next().is_none());
    // Any site has an index.html; a folder without one is not a site.
    let site = canon_out.join(crate::address::HOME).is_file();
    if !empty && !site {
        return Err(WriteError(format!(
            "{} is a folder that is not a site (it has no index.html), and the output folder is replaced whole: choose a new or empty folder, or remove this one yourself",
            out.display()
        )));
    }
    Ok(())
}

fn absolute(p: &Path) -> Result<PathBuf, WriteError> {
    std::path::absolute(p).map_err(|e| WriteError(format!("{}: {e}", p.display())))
}

/// A relative, `/`-separated path with no empty, `.` or `..` component,
/// no backslash and no control character.
fn safe_rel(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && path
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
}

fn copy_assets(dir: &Path, root: &Path, assets: &[String]) -> Result<(), WriteError> {
    assets.par_iter().try_for_each(|rel| {
        let to = dir.join(rel);
        if let Some(p) = to.parent() {
            fs::create_dir_all(p)
                .map_err(|e| WriteError(format!("cannot create {}: {e}", p.display())))?;
        }
        fs::copy(root.join(rel), &to)
            .map(|_| ())
            .map_err(|e| WriteError(format!("cannot copy {rel}: {e}")))
    })
}

/// Replaces `out` with `staged`: rename the old site aside, rename the new
/// one in, then delete the old one. Between the two renames `out` is briefly
/// absent, never half-written.
fn swap(staged: &Path, out: &Path) -> Result<(), WriteError> {
    // On Linux one atomic exchange: at every instant `out` is a complete
    // site, the old one or the new one, even if the build is killed.
    #[cfg(target_os = "linux")]
    if out.exists() {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, staged, CWD, out, RenameFlags::EXCHANGE) {
            Ok(()) => {
                // `staged` now holds the previous site.
                let _ = fs::remove_dir_all(staged);
                return Ok(());
            }
            // Not supported by this filesystem: fall back to two renames.
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => {
                return Err(WriteError(format!(
                    "cannot move the new site to {}: {e}",
                    out.display()
                )));
            }
        }
    }
    if !out.exists() {
        return fs::rename(staged, out).map_err(|e| {
            WriteError(format!(
                "cannot move the new site to {}: {e}",
                out.display()
            ))
        });
    }
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let old = out.with_file_name(format!(".{name}.old-{}", std::process::id()));
    fs::rename(out, &old).map_err(|e| {
        WriteError(format!(
            "cannot move the previous site {} aside: {e}",
            out.display()
        ))
    })?;
    if let Err(e) = fs::rename(staged, out) {
        let _ = fs::rename(&old, out);
        return Err(WriteError(format!(
            "cannot move the new site to {}: {e}",
            out.display()
        )));
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

/// An exclusive lock on a file beside the output, released when dropped
/// (the file stays: deleting it would race with a waiting build).
struct Lock(#[allow(dead_code)] fs::File);

impl Lock {
    fn take(path: &Path) -> Result<Lock, WriteError> {
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(|e| WriteError(format!("cannot create lock file {}: {e}", path.display())))?;
        match file.try_lock() {
            Ok(()) => Ok(Lock(file)),
            Err(fs::TryLockError::WouldBlock) => {
                // Another build is publishing here: wait for it (the lock
                // goes with its process, so a killed build never blocks us).
                eprintln!(
                    "waiting for another smsite build publishing to this folder to finish (lock {})",
                    path.display()
                );
                file.lock()
                    .map_err(|e| WriteError(format!("cannot lock {}: {e}", path.display())))?;
                Ok(Lock(file))
            }
            Err(fs::TryLockError::Error(e)) => {
                Err(WriteError(format!("cannot lock {}: {e}", path.display())))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Many threads writing into the same new folders at once: every file
    /// lands (a folder was once marked as created before it existed).
    #[test]
    fn concurrent_puts_into_new_folders() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("site");
        for round in 0..5 {
            let stage = Staging::begin(&out, tmp.path()).expect("begin");
            let mut files: Vec<Output> = (0..2000)
                .map(|i| Output {
                    path: format!("d{}/sub{}/f{i}.html", i % 7, i % 3),
                    bytes: format!("{round}-{i}").into_bytes(),
                })
                .collect();
            // A site has an index.html (the next round replaces it).
            files.push(Output {
                path: "index.html".into(),
                bytes: b"site".to_vec(),
            });
            files.into_par_iter().for_each(|f| stage.put(f));
            stage.finish(tmp.path(), &[], None).expect("finish");
            assert_eq!(
                fs::read_to_string(out.join("d4/sub1/f1999.html")).expect("read"),
                format!("{round}-1999")
            );
        }
    }
}
