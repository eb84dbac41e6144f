//! Loading a repository held in memory: the files of a past revision,
//! read from git (`Repo::tree` and `Repo::read_blobs`), as path → bytes.
//! Everything but the reading is the filesystem load's own: the same
//! settings, catalogues, skip rules (hidden and `_` entries, `exclude:`
//! globs, skipped folders, the theme), classification and parsing (of
//! documents and measurement files), so a revision loads exactly as its
//! files would from disk.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use super::{FileClass, LoadOptions, Loaded, classify, parse_file, settings, walk};
use crate::config;
use crate::diag::{Finding, Pos};
use crate::measure;
use crate::model;
use crate::source::{normalize, rel_of, text_of};
use crate::yaml::MAX_YAML;

/// A repository's files in memory: repository-relative path → bytes.
pub type Files = BTreeMap<String, Vec<u8>>;

/// Loads the repository whose files are `files` (`root`: where it lives,
/// for the paths `opts.skip` names and for messages).
pub fn load_files(root: &Path, files: &Files, opts: &LoadOptions) -> Result<Loaded, super::Fatal> {
    let Some(text) = files.get(config::FILE) else {
        return Err(super::Fatal(format!(
            "{}: no sms.yaml in this revision, so it is not an SMS repository",
            root.display()
        )));
    };
    let limited = text[..text.len().min(MAX_YAML + 1)].to_vec();
    let read = |rel: &str| -> Result<String, String> {
        let rel = normalize(rel).ok_or_else(|| "the path leaves the repository".to_string())?;
        let bytes = files
            .get(&rel)
            .ok_or_else(|| format!("cannot read the file: `{rel}` is not in this revision"))?;
        text_of(bytes.clone()).map_err(|(_, m)| m)
    };
    let (config, profile, catalogues, mut findings) = settings(limited, &read);
    let skip: Vec<String> = opts
        .skip
        .iter()
        .map(|p| rel_of(root, p))
        .filter(|r| !r.is_empty() && !r.starts_with(".."))
        .collect();
    let walked = walk::walk_memory(
        files.keys().map(String::as_str),
        &config,
        &skip,
        &mut findings,
    );
    let catalogue_files: Vec<&str> = catalogues
        .list
        .iter()
        .filter(|c| !c.builtin)
        .map(|c| c.file.as_str())
        .collect();
    let (mut docs, mut assets, mut templates) = (Vec::new(), Vec::new(), Vec::new());
    let mut sheets_to_read = Vec::new();
    for rel in &walked {
        match classify(rel) {
            FileClass::Measurements => sheets_to_read.push(rel.as_str()),
            FileClass::Document | FileClass::Record if !catalogue_files.contains(&rel.as_str()) => {
                docs.push(rel.as_str())
            }
            FileClass::Asset => assets.push(rel.clone()),
            FileClass::Template => match read(rel) {
                Ok(t) => templates.push((rel.trim_start_matches("templates/").to_string(), t)),
                Err(m) => findings.push(Finding::new("parse-error", rel, Pos::START, m)),
            },
            _ => {}
        }
    }
    let results: Vec<Result<model::Document, Finding>> = docs
        .par_iter()
        .with_max_len(16)
        .map(|rel| {
            let bytes = files.get(*rel).cloned().unwrap_or_default();
            text_of(bytes)
                .and_then(|text| parse_file(rel, &text))
                .map_err(|(pos, m)| Finding::new("parse-error", rel, pos, m))
                .map(|parsed| model::build(parsed, &profile))
        })
        .collect();
    let mut documents = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(d) => documents.push(d),
            Err(f) => findings.push(f),
        }
    }
    let (sheets, read): (Vec<_>, Vec<_>) = sheets_to_read
        .par_iter()
        .map(|rel| measure::read(rel, files.get(*rel).map_or(&[][..], Vec::as_slice)))
        .unzip();
    let (parse_errors, sheet_findings): (Vec<Finding>, Vec<Finding>) = read
        .into_iter()
        .flatten()
        .partition(|f| f.rule == "parse-error");
    findings.extend(parse_errors);
    Ok(Loaded {
        root: root.to_path_buf(),
        config,
        profile,
        catalogues,
        documents,
        files: walked.into_iter().collect(),
        assets,
        templates,
        sheets,
        sheet_findings,
        findings,
    })
}
