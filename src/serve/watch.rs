//! File events for `serve`: the repository folder is watched recursively
//! (watching folders, not files, survives editors that save by renaming a
//! temporary file over the original), events are debounced by
//! `notify-debouncer-full`, and what no build reads is dropped: hidden
//! files and folders, `_` folders, the output folder, editors' swap, backup
//! and probe files, and plain "opened" events (our own reads would loop).
//! What remains is sent to the rebuild loop as repository-relative paths.
//! The events only say *when* to rebuild and which cached files to read
//! again; each rebuild walks the repository afresh, so a missed or
//! mislabelled event (a rename seen as two halves, a metadata-only save)
//! can never leave the site different from the files.
//!
//! When the inotify watch limit is exhausted (or native events fail to
//! start), the rebuild loop is told and switches to `notify::PollWatcher`.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer_opt,
};

/// What the watcher tells the rebuild loop.
#[derive(Debug)]
pub enum Batch {
    /// These repository-relative paths (files or folders) changed.
    Paths(Vec<String>),
    /// Events were lost: read everything again.
    Rescan,
    /// The OS watch limit was reached: switch to polling.
    Limit(String),
    /// Another watcher error (reported; the loop rescans).
    Error(String),
}

/// Decides which paths matter.
#[derive(Clone)]
pub struct Filter {
    /// The watched repository folder (as given to the watcher).
    pub root: PathBuf,
    /// Top-level folders never read (the output folder), relative.
    pub skip: Vec<String>,
}

impl Filter {
    /// The repository-relative path of `path`, or `None` if no build reads it.
    pub fn rel(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.root).ok()?;
        let mut parts = Vec::new();
        for c in rel.components() {
            match c {
                Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
                Component::CurDir => {}
                _ => return None,
            }
        }
        if let Some(first) = parts.first()
            && self.skip.iter().any(|s| s == first)
        {
            return None;
        }
        if is_commit_trace(&parts) {
            return Some(GIT.to_string());
        }
        if parts
            .iter()
            .any(|p| p.starts_with('.') || p.starts_with('_'))
        {
            return None;
        }
        if let Some(name) = parts.last()
            && is_editor_temp(name)
        {
            return None;
        }
        Some(parts.join("/"))
    }
}

/// What the watcher reports for a change in the git folder that a commit,
/// checkout or `git add` makes: `serve` then reads the history again.
pub const GIT: &str = ".git";

/// `.git/HEAD`, `.git/index`, `.git/packed-refs`, `.git/logs/HEAD` or a
/// ref under `.git/refs/` (not the history cache smsite itself writes).
fn is_commit_trace(parts: &[String]) -> bool {
    let p: Vec<&str> = parts.iter().map(String::as_str).collect();
    matches!(
        p.as_slice(),
        [".git", "HEAD" | "index" | "packed-refs"]
            | [".git", "logs", "HEAD"]
            | [".git", "refs", ..]
    )
}

/// Editors' swap, backup, lock and probe files.
pub fn is_editor_temp(name: &str) -> bool {
    name.ends_with('~')
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#'))
        || name.starts_with(".#")
        || name.contains("___jb_")
        || (name.starts_with("jb_") && name.ends_with("___"))
        || [
            ".swp",
            ".swx",
            ".swo",
            ".swn",
            ".bck",
            ".bak",
            ".kate-swp",
            ".crswap",
            ".orig",
        ]
        .iter()
        .any(|s| name.ends_with(s))
}

/// Watching: native (inotify, FSEvents, …) or polling. Dropping it stops.
pub enum Watcher {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

fn handler(filter: Filter, tx: Sender<Batch>) -> impl FnMut(DebounceEventResult) + Send + 'static {
    move |res: DebounceEventResult| match res {
        Ok(events) => {
            let mut paths = Vec::new();
            let mut rescan = false;
            for e in &events {
                if e.need_rescan() {
                    rescan = true;
                }
                match e.kind {
                    // Opening or reading changes nothing (and our own reads would loop).
                    EventKind::Access(AccessKind::Close(AccessMode::Write)) => {}
                    EventKind::Access(_) => continue,
                    _ => {}
                }
                for p in &e.paths {
                    if let Some(r) = filter.rel(p) {
                        paths.push(r);
                    }
                }
            }
            let _ = if rescan {
                tx.send(Batch::Rescan)
            } else if paths.is_empty() {
                Ok(())
            } else {
                paths.sort();
                paths.dedup();
                tx.send(Batch::Paths(paths))
            };
        }
        Err(errors) => {
            for e in errors {
                let _ = if matches!(e.kind, notify::ErrorKind::MaxFilesWatch) {
                    tx.send(Batch::Limit(e.to_string()))
                } else {
                    tx.send(Batch::Error(e.to_string()))
                };
            }
        }
    }
}

/// Watches `filter.root` with the platform's native events.
pub fn native(filter: Filter, tx: Sender<Batch>, debounce: Duration) -> notify::Result<Watcher> {
    let root = filter.root.clone();
    let mut d = new_debouncer_opt::<_, RecommendedWatcher, RecommendedCache>(
        debounce,
        Some(tick(debounce)),
        handler(filter, tx),
        RecommendedCache::new(),
        notify::Config::default(),
    )?;
    d.watch(&root, RecursiveMode::Recursive)?;
    Ok(Watcher::Native(d))
}

/// Watches `filter.root` by scanning it every `interval`.
pub fn poll(
    filter: Filter,
    tx: Sender<Batch>,
    debounce: Duration,
    interval: Duration,
) -> notify::Result<Watcher> {
    let root = filter.root.clone();
    let mut d = new_debouncer_opt::<_, PollWatcher, NoCache>(
        debounce,
        Some(tick(debounce)),
        handler(filter, tx),
        NoCache,
        notify::Config::default().with_poll_interval(interval),
    )?;
    d.watch(&root, RecursiveMode::Recursive)?;
    Ok(Watcher::Poll(d))
}

fn tick(debounce: Duration) -> Duration {
    (debounce / 4).max(Duration::from_millis(1)).min(debounce)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_are_ignored() {
        for n in [
            "doc.md~",
            "4913",
            "#doc.md#",
            ".#doc.md",
            "doc.md___jb_tmp___",
            "doc.md___jb_old___",
            "jb_x___",
            ".doc.md.swp",
            "doc.md.swp",
            "doc.md.swx",
            "doc.md.bck",
            "doc.md.kate-swp",
        ] {
            assert!(is_editor_temp(n), "{n}");
        }
        for n in [
            "doc.md",
            "risk-register.yaml",
            "service-management-policy.tmp.md",
        ] {
            assert!(!is_editor_temp(n), "{n}");
        }
    }

    #[test]
    fn filter_keeps_what_builds_read() {
        let f = Filter {
            root: PathBuf::from("/r"),
            skip: vec!["public".into()],
        };
        assert_eq!(
            f.rel(Path::new("/r/policies/a.md")).as_deref(),
            Some("policies/a.md")
        );
        assert_eq!(f.rel(Path::new("/r")).as_deref(), Some(""));
        assert_eq!(f.rel(Path::new("/r/public/index.html")), None);
        assert_eq!(f.rel(Path::new("/r/.git/index")).as_deref(), Some(GIT));
        assert_eq!(
            f.rel(Path::new("/r/.git/refs/heads/main")).as_deref(),
            Some(GIT)
        );
        assert_eq!(f.rel(Path::new("/r/.git/smsite/history")), None);
        assert_eq!(f.rel(Path::new("/r/.git/objects/ab/cdef")), None);
        assert_eq!(f.rel(Path::new("/r/_drafts/x.md")), None);
        assert_eq!(f.rel(Path::new("/r/policies/.a.md.swp")), None);
        assert_eq!(f.rel(Path::new("/elsewhere/a.md")), None);
    }
}
