//! Trust: the site manifest and `smsite verify`.
//!
//! Every build writes `manifest.json` at the root of the site: the SHA-256
//! of every other file of the site (pages, exports, static files, copied
//! assets), the tool and its version, the build date and the source
//! revision (git commit and dirty flag, when the repository is in git).
//! Hashes are taken after rendering, in parallel, so no page depends on the
//! manifest or on the rest of the site.
//!
//! `verify` recomputes the hashes of a copy of the site and reports files
//! added, removed or changed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::git::Revision;
use crate::render::Output;

/// The manifest's path inside the site.
pub const FILE: &str = "manifest.json";

/// The manifest's format version (bumped on incompatible changes).
pub const FORMAT: u32 = 1;

/// `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub generator: String,
    pub version: String,
    /// The build date (the `--date` the rules were judged against).
    pub date: String,
    /// `null` when the repository is not a git repository (or git is missing).
    pub revision: Option<Revision>,
    /// Site path (`/`-separated) → lower-case hex SHA-256.
    pub files: BTreeMap<String, String>,
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hexadecimal of a digest.
pub fn hex(digest: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(2 * digest.len());
    for &b in digest {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// SHA-256 of repository files (the copied assets), by path.
pub fn hash_files(root: &Path, assets: &[String]) -> Vec<(String, String)> {
    assets
        .par_iter()
        .filter_map(|a| {
            std::fs::read(root.join(a))
                .ok()
                .map(|b| (a.clone(), sha256(&b)))
        })
        .collect()
}

/// The manifest file for these hashes (the manifest itself is never listed).
pub fn from_hashes(
    mut hashes: BTreeMap<String, String>,
    date: &str,
    revision: Option<Revision>,
) -> Output {
    hashes.remove(FILE);
    let m = Manifest {
        format: FORMAT,
        generator: "smsite".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        date: date.into(),
        revision,
        files: hashes,
    };
    let mut bytes = serde_json::to_vec_pretty(&m).unwrap_or_default();
    bytes.push(b'\n');
    Output {
        path: FILE.into(),
        bytes,
    }
}

/// What `verify` found.
#[derive(Debug, Default)]
pub struct Report {
    pub manifest: Option<Manifest>,
    pub checked: usize,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

impl Report {
    pub fn intact(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Why a site could not be verified at all (exit code 2).
#[derive(Debug)]
pub struct VerifyError(pub String);

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Recomputes the hashes of the site at `site` and compares them with its manifest.
pub fn verify(site: &Path) -> Result<Report, VerifyError> {
    if !site.is_dir() {
        return Err(VerifyError(format!(
            "{}: no such folder; point at a site built by `smsite build`",
            site.display()
        )));
    }
    let mpath = site.join(FILE);
    let text = std::fs::read(&mpath).map_err(|e| {
        VerifyError(format!(
            "{}: cannot read the manifest ({e}); was this site built by smsite 0.1 or later?",
            mpath.display()
        ))
    })?;
    let manifest: Manifest = serde_json::from_slice(&text).map_err(|e| {
        VerifyError(format!(
            "{}: not a valid smsite manifest ({e})",
            mpath.display()
        ))
    })?;
    if manifest.format != FORMAT {
        return Err(VerifyError(format!(
            "{}: manifest format {} is not supported (this smsite reads format {FORMAT})",
            mpath.display(),
            manifest.format
        )));
    }
    let mut on_disk: Vec<(String, PathBuf)> = Vec::new();
    for e in walkdir::WalkDir::new(site).follow_links(false) {
        let e = e.map_err(|e| VerifyError(format!("cannot read {}: {e}", site.display())))?;
        if e.file_type().is_dir() {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(site)
            .map_err(|_| VerifyError(format!("{}: outside the site", e.path().display())))?;
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().to_string())
            .collect();
        let rel = rel.join("/");
        if rel != FILE {
            on_disk.push((rel, e.path().to_path_buf()));
        }
    }
    let hashed: Vec<(String, Result<String, String>)> = on_disk
        .par_iter()
        .map(|(rel, p)| {
            (
                rel.clone(),
                std::fs::read(p)
                    .map(|b| sha256(&b))
                    .map_err(|e| e.to_string()),
            )
        })
        .collect();
    let mut report = Report::default();
    let mut seen = BTreeSet::new();
    for (rel, h) in hashed {
        seen.insert(rel.clone());
        match (manifest.files.get(&rel), h) {
            (None, _) => report.added.push(rel),
            (Some(_), Err(_)) => report.changed.push(rel),
            (Some(want), Ok(got)) => {
                report.checked += 1;
                if *want != got {
                    report.changed.push(rel);
                }
            }
        }
    }
    report.removed = manifest
        .files
        .keys()
        .filter(|k| !seen.contains(*k))
        .cloned()
        .collect();
    report.added.sort();
    report.changed.sort();
    report.manifest = Some(manifest);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_abc() {
        assert_eq!(
            sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn short_revision() {
        let r = Revision {
            commit: "0123456789abcdef0123".into(),
            dirty: true,
        };
        assert_eq!(r.short(), "0123456789ab (modified)");
    }
}
