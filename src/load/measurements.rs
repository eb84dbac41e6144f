//! Measurement files: every `.csv` file under `measurements/` (any depth)
//! is read into a [`Sheet`] by `measure::read`, in parallel with the
//! documents; `serve`'s cache keeps each sheet between loads, so a rebuild
//! reads again only the files that changed (as for documents: same stamp,
//! or same text).

use std::path::Path;

use super::cache::{Cache, SheetEntry, Stamp, sha};
use crate::diag::Finding;
use crate::measure::{self, Sheet};
use crate::source::read_bytes;

/// The folder measurement files are read from.
pub const FOLDER: &str = "measurements/";

/// Whether a repository-relative path is a measurements file.
pub fn is_measurements(rel: &str) -> bool {
    rel.starts_with(FOLDER) && rel.ends_with(".csv")
}

/// How one measurements file was obtained.
pub(super) enum Got {
    /// Unchanged: take it from the cache (with its new stamp, if it changed).
    Reused(Option<Stamp>),
    /// Read now: its sheet and findings (`None`: the file could not be
    /// read), and what the cache keeps of it.
    Read(Option<Sheet>, Vec<Finding>, Option<(Stamp, [u8; 32])>),
}

/// Reads one measurements file, or finds it unchanged in `cache` (see
/// `load_document`, which decides the same way).
pub(super) fn read(root: &Path, rel: &str, cache: &Cache, trust_stamps: bool) -> Got {
    let path = root.join(rel);
    let entry = cache.sheets.get(rel).filter(|e| e.sheet.is_some());
    if cache.keep && entry.is_some() && !cache.is_dirty(rel) {
        if trust_stamps {
            return Got::Reused(None);
        }
        let stamp = std::fs::metadata(&path).ok().map(|m| Stamp::of(&m));
        if entry.is_some_and(|e| Some(e.stamp) == stamp) {
            return Got::Reused(None);
        }
    }
    let stamp = match cache.keep {
        true => std::fs::metadata(&path).ok().map(|m| Stamp::of(&m)),
        false => None,
    };
    let bytes = match read_bytes(&path) {
        Ok(b) => b,
        Err((pos, m)) => {
            return Got::Read(None, vec![Finding::new("parse-error", rel, pos, m)], None);
        }
    };
    let key = match (cache.keep, stamp) {
        (true, Some(s)) => Some((s, sha(&bytes))),
        _ => None,
    };
    if let (Some(e), Some((_, hash))) = (entry, key)
        && e.hash == hash
    {
        return Got::Reused(stamp);
    }
    let (sheet, findings) = measure::read(rel, &bytes);
    Got::Read(Some(sheet), findings, key)
}

/// Takes what [`read`] got for each of `rels` into the load: the sheets,
/// and their findings; the cache lends its sheets and keeps the new ones'
/// stamps (they come back with [`Cache::give_back_sheets`]).
pub(super) fn take(
    cache: &mut Cache,
    rels: &[String],
    got: Vec<Got>,
    generation: u64,
) -> (Vec<Sheet>, Vec<Finding>) {
    let mut sheets = Vec::with_capacity(rels.len());
    let mut findings = Vec::new();
    for (rel, g) in rels.iter().zip(got) {
        match g {
            Got::Reused(stamp) => {
                let Some(e) = cache.sheets.get_mut(rel.as_str()) else {
                    continue; // not reachable: `read` found it there
                };
                if let Some(s) = stamp {
                    e.stamp = s;
                }
                e.seen = generation;
                findings.extend(e.findings.iter().cloned());
                sheets.extend(e.sheet.take());
            }
            Got::Read(sheet, found, key) => {
                if let (Some((stamp, hash)), true) = (key, sheet.is_some()) {
                    cache.sheets.insert(
                        rel.clone(),
                        SheetEntry {
                            stamp,
                            hash,
                            seen: generation,
                            findings: found.clone(),
                            sheet: None, // lent: given back after the rebuild
                        },
                    );
                }
                findings.extend(found);
                sheets.extend(sheet);
            }
        }
    }
    cache.sheets.retain(|_, e| e.seen == generation);
    (sheets, findings)
}
