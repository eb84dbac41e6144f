//! What `serve` keeps between loads: each file's typed document, its
//! stamp (size, times, inode) and the hash of its text, and the last walk
//! of the repository. A file whose stamp is unchanged, or whose text hashes
//! the same, is not parsed again (see [`super::load_cached`]).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{FileClass, classify};
use crate::diag::Finding;
use crate::model::Document;

/// Typed documents of earlier loads, by repository-relative file.
#[derive(Default)]
pub struct Cache {
    /// Hash of `sms.yaml` the entries were built with (documents are typed by its profile).
    pub(super) context: Option<[u8; 32]>,
    pub(super) entries: HashMap<String, Entry>,
    /// Measurement files' sheets, by repository-relative file.
    pub(super) sheets: HashMap<String, SheetEntry>,
    /// Counts loads; an entry not seen by the last one is dropped.
    pub(super) generation: u64,
    /// Files (or folders: everything beneath) to read again whatever their stamp.
    pub(super) dirty: HashSet<String>,
    pub(super) all_dirty: bool,
    /// Documents parsed and reused by the last load.
    pub parsed: usize,
    pub reused: usize,
    /// Keep what is loaded for the next load (`serve`); a one-shot build
    /// neither hashes files nor keeps copies of its documents.
    pub(super) keep: bool,
    /// Every change is reported through `invalidate` (see [`Cache::trust_invalidations`]).
    pub(super) trusted: bool,
    /// The last walk: the files found and the findings it made.
    pub(super) walked: Option<(Vec<String>, Vec<Finding>)>,
}

pub(super) struct Entry {
    pub(super) stamp: Stamp,
    pub(super) hash: [u8; 32],
    /// The last load that found the file (see `Cache::generation`).
    pub(super) seen: u64,
    /// The typed document (or its parse error). A document is lent to the
    /// load that reused it (`None` meanwhile) and comes back with
    /// [`Cache::give_back`]: a rebuild moves documents, it never copies them.
    pub(super) result: Option<Result<Document, Finding>>,
}

/// A measurements file of an earlier load: its stamp and hash as for a
/// document, its findings, and its sheet (lent to the load that reused
/// it, back with [`Cache::give_back_sheets`]).
pub(super) struct SheetEntry {
    pub(super) stamp: Stamp,
    pub(super) hash: [u8; 32],
    pub(super) seen: u64,
    pub(super) findings: Vec<Finding>,
    pub(super) sheet: Option<crate::measure::Sheet>,
}

/// What a file's metadata says about its content without reading it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp {
    pub(super) len: u64,
    pub(super) modified: Option<std::time::SystemTime>,
    pub(super) inode: u64,
    pub(super) changed: i64,
}

impl Stamp {
    pub(super) fn of(meta: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        let (inode, changed) = {
            use std::os::unix::fs::MetadataExt;
            (meta.ino(), meta.ctime() * 1_000_000_000 + meta.ctime_nsec())
        };
        #[cfg(not(unix))]
        let (inode, changed) = (0, 0);
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            inode,
            changed,
        }
    }
}

impl Cache {
    /// Takes back the documents a load lent out (see `Entry::result`), so
    /// the next load can reuse them without parsing or copying.
    pub fn give_back(&mut self, documents: Vec<Document>) {
        for d in documents {
            if let Some(e) = self.entries.get_mut(&d.file)
                && e.result.is_none()
            {
                e.result = Some(Ok(d));
            }
        }
    }

    /// Takes back the measurement sheets a load lent out (see
    /// [`SheetEntry`]), as the build's report hands them back.
    pub fn give_back_sheets(&mut self, sheets: Vec<crate::measure::Sheet>) {
        for s in sheets {
            if let Some(e) = self.sheets.get_mut(&*s.file)
                && e.sheet.is_none()
            {
                e.sheet = Some(s);
            }
        }
    }

    /// A cache that keeps documents between loads (for `serve`).
    pub fn keeping() -> Cache {
        Cache {
            keep: true,
            ..Cache::default()
        }
    }

    /// Promises that every change to the repository will be reported through
    /// [`Cache::invalidate`] (`serve`'s file watcher reports every path it
    /// sees change). A load may then skip walking the repository and
    /// checking the stamps of unreported files, when the reported ones were
    /// only edited: none added, removed or made a folder, none a setting,
    /// catalogue or template.
    pub fn trust_invalidations(&mut self) {
        self.trusted = true;
    }

    /// The last walk, when it still holds (see [`Cache::trust_invalidations`]).
    pub(super) fn reusable_walk(&self, root: &Path) -> Option<(Vec<String>, Vec<Finding>)> {
        if !(self.keep && self.trusted) || self.all_dirty {
            return None;
        }
        let (files, findings) = self.walked.as_ref()?;
        // A few reported paths against the list: no index needed.
        let only_edits = self.dirty.iter().all(|rel| {
            matches!(
                classify(rel),
                FileClass::Document
                    | FileClass::Record
                    | FileClass::Asset
                    | FileClass::Measurements
            ) && root.join(rel).is_file() == files.contains(rel)
        });
        only_edits.then(|| (files.clone(), findings.clone()))
    }

    /// Marks a repository-relative file or folder as changed: the next load
    /// reads it (and everything beneath a folder) again. `""` marks everything.
    pub fn invalidate(&mut self, rel: &str) {
        if rel.is_empty() {
            self.all_dirty = true;
        } else {
            self.dirty.insert(rel.to_string());
        }
    }

    pub(super) fn is_dirty(&self, rel: &str) -> bool {
        if self.all_dirty || self.dirty.contains(rel) {
            return true;
        }
        let mut r = rel;
        while let Some((parent, _)) = r.rsplit_once('/') {
            if self.dirty.contains(parent) {
                return true;
            }
            r = parent;
        }
        false
    }
}

/// How a document file was obtained in a cached load.
// Parsed documents are moved out of this once; boxing each would add an
// allocation per document for no gain.
#[allow(clippy::large_enum_variant)]
pub(super) enum Got {
    /// Unchanged: take it from the cache (the new stamp, if it changed).
    Reused(Option<Stamp>),
    Parsed(Result<Document, Finding>, Option<(Stamp, [u8; 32])>),
}

pub(super) fn sha(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}
