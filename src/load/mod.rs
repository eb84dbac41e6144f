//! Stage 1, load: walk the repository, read `sms.yaml`, the catalogues and
//! every document file, split Markdown front matter from the body and parse
//! the YAML. Reading and parsing run in parallel; every file that cannot be
//! read becomes a `parse-error` finding and the build goes on with the rest.
//!
//! A [`Cache`] (used by `smsite serve`) keeps each file's typed document
//! between loads: a file whose size, time and inode are unchanged, or whose
//! text hashes the same, is not parsed again. The walk, `sms.yaml`, the
//! catalogues and the templates are read afresh on every load, so a cached
//! load gives exactly what a fresh one would.
//!
//! - `cache`: what `serve` keeps between loads;
//! - `measurements`: the measurement CSV files;
//! - `memory`: loading a past revision's files, held in memory;
//! - `walk`: which files of the repository are read.

mod cache;
mod measurements;
mod memory;
mod walk;

pub use cache::Cache;
pub use measurements::{FOLDER as MEASUREMENTS, is_measurements};
pub use memory::{Files, load_files};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use yaml_serde::Value;

use crate::catalogue::{self, Catalogues};
use crate::config::{self, Config};
use crate::diag::{Finding, Pos};
use crate::model::{self, BodyMap, Document, Parsed, Profile};
use crate::source::{read_text, safe_join};
use crate::yaml::{MAX_YAML, YamlIndex, parse_mapping};
use cache::{Entry, Got, Stamp, sha};
use walk::walk;

/// Everything read from a repository.
pub struct Loaded {
    pub root: PathBuf,
    pub config: Config,
    pub profile: Profile,
    pub catalogues: Catalogues,
    pub documents: Vec<Document>,
    /// Every file of the repository (relative, `/`-separated), documents or not.
    pub files: BTreeSet<String>,
    /// Files under `assets/`, copied to the site.
    pub assets: Vec<String>,
    /// Template overrides in `templates/`: (name, text).
    pub templates: Vec<(String, String)>,
    /// The measurement files read (`measurements/**/*.csv`), each as its
    /// rows; checked against the SLAs once they are resolved (`measured`).
    pub sheets: Vec<crate::measure::Sheet>,
    /// What reading them found besides `parse-error`s (those are in
    /// `findings`): rows and headers that cannot be measurements.
    pub sheet_findings: Vec<Finding>,
    pub findings: Vec<Finding>,
}

/// A fatal problem: the repository cannot be loaded at all (exit code 2).
#[derive(Debug)]
pub struct Fatal(pub String);

impl std::fmt::Display for Fatal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Options of a load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Folders never read (e.g. the output folder when it is inside the repository).
    pub skip: Vec<PathBuf>,
}

/// A file of the repository, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileClass {
    Document,
    Record,
    Asset,
    Template,
    /// A CSV file under `measurements/`.
    Measurements,
    Other,
}

/// Reads the whole repository at `root`.
pub fn load(root: &Path, opts: &LoadOptions) -> Result<Loaded, Fatal> {
    load_cached(root, opts, &mut Cache::default())
}

/// Reads the whole repository at `root`, reusing the documents of `cache`
/// whose files are unchanged, and updating it.
pub fn load_cached(root: &Path, opts: &LoadOptions, cache: &mut Cache) -> Result<Loaded, Fatal> {
    let t0 = std::time::Instant::now();
    let sms = root.join(config::FILE);
    // Never read more than the limit (plus one byte, to tell it was over).
    let read_limited = |p: &Path| -> std::io::Result<Vec<u8>> {
        use std::io::Read;
        let mut b = Vec::new();
        std::fs::File::open(p)?
            .take(MAX_YAML as u64 + 1)
            .read_to_end(&mut b)?;
        Ok(b)
    };
    let text = match read_limited(&sms) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Fatal(format!(
                "{}: no sms.yaml here, so this is not an SMS repository; run `smsite init {}` to create one, or point at the folder that holds sms.yaml",
                root.display(),
                root.display()
            )));
        }
        Err(e) => {
            return Err(Fatal(format!(
                "{}: cannot read sms.yaml: {e}",
                sms.display()
            )));
        }
    };
    let context = sha(&text);
    if cache.context != Some(context) {
        cache.entries.clear();
        cache.context = Some(context);
    }
    let (config, profile, catalogues, mut findings) = settings(text, &|rel: &str| {
        let p = safe_join(root, rel).ok_or_else(|| "the path leaves the repository".to_string())?;
        read_text(&p).map_err(|(_, m)| m)
    });

    // `serve`: the last walk, when only listed files were edited since.
    let (walk, trust_stamps) = match cache.reusable_walk(root) {
        Some((files, walk_findings)) => {
            findings.extend(walk_findings);
            (files, true)
        }
        None => {
            let before = findings.len();
            let files = walk(root, &config, opts, &mut findings)?;
            if cache.keep {
                cache.walked = Some((files.clone(), findings[before..].to_vec()));
            }
            (files, false)
        }
    };
    let t_walk = t0.elapsed();
    let catalogue_files: BTreeSet<&str> = catalogues
        .list
        .iter()
        .filter(|c| !c.builtin)
        .map(|c| c.file.as_str())
        .collect();
    let mut docs_to_read = Vec::new();
    let mut sheets_to_read = Vec::new();
    let mut assets = Vec::new();
    let mut templates = Vec::new();
    for rel in &walk {
        match classify(rel) {
            FileClass::Document | FileClass::Record if !catalogue_files.contains(rel.as_str()) => {
                docs_to_read.push(rel.clone())
            }
            FileClass::Asset => assets.push(rel.clone()),
            FileClass::Measurements => sheets_to_read.push(rel.clone()),
            FileClass::Template => {
                let name = rel.trim_start_matches("templates/").to_string();
                match read_text(&root.join(rel)) {
                    Ok(t) => templates.push((name, t)),
                    Err((pos, m)) => findings.push(Finding::new("parse-error", rel, pos, m)),
                }
            }
            _ => {}
        }
    }

    let cached: &Cache = cache;
    // In small pieces: a thread that runs out of documents takes more from
    // the other, instead of waiting for a long run of them to end.
    // The measurement files are read beside them.
    let typing = Typing {
        profile: &profile,
        vars: config.variables.as_ref(),
    };
    let (results, sheets_got): (Vec<Got>, Vec<measurements::Got>) = rayon::join(
        || {
            docs_to_read
                .par_iter()
                .with_max_len(16)
                .map(|rel| load_document(root, rel, cached, trust_stamps, &typing))
                .collect()
        },
        || {
            sheets_to_read
                .par_iter()
                .map(|rel| measurements::read(root, rel, cached, trust_stamps))
                .collect()
        },
    );
    // The entries are updated in place: a rebuild after one edit touches
    // one entry, not all of them.
    cache.generation += 1;
    let generation = cache.generation;
    let (mut parsed, mut reused) = (0, 0);
    // Collected into `results`' own memory (a `Vec`'s `into_iter` ...
    // `collect` reuses it): a new list would be fresh memory, faulted in
    // by this one thread while the others wait (10,000 documents: 6 MB).
    let documents: Vec<Document> = results
        .into_iter()
        .enumerate()
        .filter_map(|(k, got)| {
            let rel = &docs_to_read[k];
            let r = match got {
                Got::Reused(stamp) => {
                    reused += 1;
                    let e = cache.entries.get_mut(rel.as_str())?;
                    if let Some(s) = stamp {
                        e.stamp = s;
                    }
                    e.seen = generation;
                    // Lend documents; parse errors are small, keep a copy.
                    match e.result.take() {
                        Some(Err(f)) => {
                            e.result = Some(Err(f.clone()));
                            Err(f)
                        }
                        Some(ok) => ok,
                        None => return None, // not reachable: `load_document` checked it
                    }
                }
                Got::Parsed(r, key) => {
                    parsed += 1;
                    if let Some((stamp, hash)) = key {
                        cache.entries.insert(
                            rel.clone(),
                            Entry {
                                stamp,
                                hash,
                                seen: generation,
                                result: match &r {
                                    Err(f) => Some(Err(f.clone())),
                                    Ok(_) => None, // lent: given back after the rebuild
                                },
                            },
                        );
                    }
                    r
                }
            };
            match r {
                Ok(d) => Some(d),
                Err(f) => {
                    findings.push(f);
                    None
                }
            }
        })
        .collect();
    // Files gone (or no longer documents) since the last load.
    cache.entries.retain(|_, e| e.seen == generation);
    let (sheets, read) = measurements::take(cache, &sheets_to_read, sheets_got, generation);
    let (parse_errors, sheet_findings): (Vec<Finding>, Vec<Finding>) =
        read.into_iter().partition(|f| f.rule == "parse-error");
    findings.extend(parse_errors);
    if std::env::var_os("SMSITE_TIMING").is_some() {
        eprintln!(
            "timing: load: settings, catalogues and walk {} ms, documents {} ms",
            t_walk.as_millis(),
            (t0.elapsed() - t_walk).as_millis()
        );
    }
    cache.dirty.clear();
    cache.all_dirty = false;
    cache.parsed = parsed;
    cache.reused = reused;
    Ok(Loaded {
        root: root.to_path_buf(),
        config,
        profile,
        catalogues,
        documents,
        files: walk.into_iter().collect(),
        assets,
        templates,
        sheets,
        sheet_findings,
        findings,
    })
}

/// `sms.yaml` (its bytes, read within the limit plus one byte), the
/// profile it declares and the catalogues it names (read through `read`).
fn settings(
    text: Vec<u8>,
    read: &(dyn Fn(&str) -> Result<String, String> + Sync),
) -> (Config, Profile, Catalogues, Vec<Finding>) {
    let over = text.len() > MAX_YAML;
    let mut findings = Vec::new();
    let (config, cfg_findings) = match String::from_utf8(text) {
        _ if over => (
            Config::default(),
            vec![Finding::new(
                "parse-error",
                config::FILE,
                Pos::START,
                format!(
                    "sms.yaml is over the limit of {MAX_YAML} bytes; it holds settings, not documents"
                ),
            )],
        ),
        Ok(t) => config::parse(&t),
        Err(e) => (
            Config::default(),
            vec![Finding::new(
                "parse-error",
                config::FILE,
                Pos::START,
                format!(
                    "sms.yaml is not UTF-8 (invalid byte at offset {}); save it as UTF-8",
                    e.utf8_error().valid_up_to()
                ),
            )],
        ),
    };
    findings.extend(cfg_findings);
    let profile = config.profile();
    findings.extend(config::validate_user_rules(&config, &profile));
    let (catalogues, cat_findings) = catalogue::load(&config.requirements, read);
    findings.extend(cat_findings);
    (config, profile, catalogues, findings)
}

/// Reads, parses and types one document file, or takes it from `cache`
/// when the file is unchanged (same stamp and not marked dirty, or same
/// text; not marked dirty alone with `trust_stamps`, see
/// [`Cache::trust_invalidations`]).
/// What a document is typed with: the kinds in force and the variables.
struct Typing<'a> {
    profile: &'a Profile,
    vars: Option<&'a std::sync::Arc<crate::markdown::Variables>>,
}

impl Typing<'_> {
    fn build(&self, parsed: Parsed) -> Document {
        model::build_with(parsed, self.profile, self.vars)
    }
}

fn load_document(
    root: &Path,
    rel: &str,
    cache: &Cache,
    trust_stamps: bool,
    typing: &Typing,
) -> Got {
    let path = root.join(rel);
    if !cache.keep {
        let result = read_text(&path)
            .and_then(|text| parse_file(rel, &text))
            .map_err(|(pos, m)| Finding::new("parse-error", rel, pos, m))
            .map(|parsed| typing.build(parsed));
        return Got::Parsed(result, None);
    }
    // An entry whose document was lent and never given back is no cache.
    let entry = cache.entries.get(rel).filter(|e| e.result.is_some());
    if trust_stamps && entry.is_some() && !cache.is_dirty(rel) {
        return Got::Reused(None);
    }
    let stamp = std::fs::metadata(&path).ok().map(|m| Stamp::of(&m));
    if let (Some(e), Some(s)) = (entry, stamp)
        && e.stamp == s
        && !cache.is_dirty(rel)
    {
        return Got::Reused(None);
    }
    let text = match read_text(&path) {
        Ok(t) => t,
        // Not cached: a read error may be transient (a file being replaced).
        Err((pos, m)) => return Got::Parsed(Err(Finding::new("parse-error", rel, pos, m)), None),
    };
    let hash = sha(text.as_bytes());
    if let Some(e) = entry
        && e.hash == hash
    {
        return Got::Reused(stamp);
    }
    let result = parse_file(rel, &text)
        .map_err(|(pos, m)| Finding::new("parse-error", rel, pos, m))
        .map(|parsed| typing.build(parsed));
    Got::Parsed(result, stamp.map(|s| (s, hash)))
}

/// What a repository-relative path is.
pub fn classify(rel: &str) -> FileClass {
    if rel.starts_with("assets/") {
        return FileClass::Asset;
    }
    if rel.starts_with("templates/") {
        return FileClass::Template;
    }
    if rel == config::FILE || rel.starts_with("requirements/") {
        return FileClass::Other;
    }
    if is_measurements(rel) {
        return FileClass::Measurements;
    }
    if rel.ends_with(".md") {
        FileClass::Document
    } else if rel.ends_with(".yaml") || rel.ends_with(".yml") {
        FileClass::Record
    } else {
        FileClass::Other
    }
}

/// Splits and parses one document file's text.
pub fn parse_file(rel: &str, text: &str) -> Result<Parsed, (Pos, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if rel.ends_with(".md") {
        let split = split_front_matter(text)?;
        if split.front.len() > MAX_YAML {
            return Err((
                Pos::START,
                format!(
                    "the front matter is {} bytes, over the limit of {MAX_YAML}; move long text into the body",
                    split.front.len()
                ),
            ));
        }
        let front = parse_mapping(split.front, 2, "front matter")?;
        let index = YamlIndex::new(split.front, 2);
        let body = split.body.to_string();
        let body_map = BodyMap::new(split.body_line, 0, None);
        Ok(Parsed {
            file: rel.to_string(),
            front,
            index,
            body,
            body_map,
            record: false,
        })
    } else {
        if text.len() > MAX_YAML {
            return Err((
                Pos::START,
                format!(
                    "the record is {} bytes, over the limit of {MAX_YAML}; move long text into a Markdown document",
                    text.len()
                ),
            ));
        }
        let front = parse_mapping(text, 1, "record")?;
        let index = YamlIndex::new(text, 1);
        let (body, body_map) = match front.get("body") {
            Some(Value::String(b)) => {
                let map = match index.block_scalar("body") {
                    Some((line, indent)) => BodyMap::new(line, indent, None),
                    None => BodyMap::new(1, 0, Some(index.key_or_start("body"))),
                };
                (b.clone(), map)
            }
            _ => (String::new(), BodyMap::new(1, 0, None)),
        };
        Ok(Parsed {
            file: rel.to_string(),
            front,
            index,
            body,
            body_map,
            record: true,
        })
    }
}

/// Front matter and body of a Markdown document.
pub struct Split<'a> {
    pub front: &'a str,
    pub body: &'a str,
    /// File line of the body's first line.
    pub body_line: usize,
}

/// Splits `---` front matter from the body. The opening `---` must be the first line.
pub fn split_front_matter(text: &str) -> Result<Split<'_>, (Pos, String)> {
    if text.trim().is_empty() {
        return Err((Pos::START, "the file is empty; a document starts with a `---` front matter block holding at least `id:` and `title:`".into()));
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err((Pos::START, "a Markdown document must start with a `---` line opening its front matter (`id:`, `title:`, …); add one, or list the file under `exclude:` in sms.yaml".into()));
    }
    let start = first.len();
    let mut off = start;
    for (n, line) in lines.enumerate() {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            return Ok(Split {
                front: &text[start..off],
                body: &text[off + line.len()..],
                body_line: n + 3,
            });
        }
        off += line.len();
    }
    Err((
        Pos::START,
        "the front matter opened on line 1 is never closed; add a `---` line after the last field"
            .into(),
    ))
}
