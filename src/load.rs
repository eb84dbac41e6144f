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

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use globset::{GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use yaml_serde::Value;

use crate::catalogue::{self, Catalogues};
use crate::config::{self, Config};
use crate::diag::{Finding, Pos};
use crate::model::{self, BodyMap, Document, Parsed, Profile};
use crate::yamlpos::YamlIndex;

/// Largest document file read (bytes).
pub const MAX_FILE: u64 = 16 * 1024 * 1024;
/// Largest front matter / record (bytes): YAML is costlier to parse than Markdown.
pub const MAX_YAML: usize = 1024 * 1024;

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
    Other,
}

/// Reads the whole repository at `root`.
pub fn load(root: &Path, opts: &LoadOptions) -> Result<Loaded, Fatal> {
    load_cached(root, opts, &mut Cache::default())
}

/// Typed documents of earlier loads, by repository-relative file.
#[derive(Default)]
pub struct Cache {
    /// Hash of `sms.yaml` the entries were built with (documents are typed by its profile).
    context: Option<[u8; 32]>,
    entries: HashMap<String, Entry>,
    /// Counts loads; an entry not seen by the last one is dropped.
    generation: u64,
    /// Files (or folders: everything beneath) to read again whatever their stamp.
    dirty: HashSet<String>,
    all_dirty: bool,
    /// Documents parsed and reused by the last load.
    pub parsed: usize,
    pub reused: usize,
    /// Keep what is loaded for the next load (`serve`); a one-shot build
    /// neither hashes files nor keeps copies of its documents.
    keep: bool,
    /// Every change is reported through `invalidate` (see [`Cache::trust_invalidations`]).
    trusted: bool,
    /// The last walk: the files found and the findings it made.
    walked: Option<(Vec<String>, Vec<Finding>)>,
}

struct Entry {
    stamp: Stamp,
    hash: [u8; 32],
    /// The last load that found the file (see `Cache::generation`).
    seen: u64,
    /// The typed document (or its parse error). A document is lent to the
    /// load that reused it (`None` meanwhile) and comes back with
    /// [`Cache::give_back`]: a rebuild moves documents, it never copies them.
    result: Option<Result<Document, Finding>>,
}

/// What a file's metadata says about its content without reading it.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    inode: u64,
    changed: i64,
}

impl Stamp {
    fn of(meta: &std::fs::Metadata) -> Stamp {
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
    fn reusable_walk(&self, root: &Path) -> Option<(Vec<String>, Vec<Finding>)> {
        if !(self.keep && self.trusted) || self.all_dirty {
            return None;
        }
        let (files, findings) = self.walked.as_ref()?;
        // A few reported paths against the list: no index needed.
        let only_edits = self.dirty.iter().all(|rel| {
            matches!(
                classify(rel),
                FileClass::Document | FileClass::Record | FileClass::Asset
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

    fn is_dirty(&self, rel: &str) -> bool {
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
enum Got {
    /// Unchanged: take it from the cache (the new stamp, if it changed).
    Reused(Option<Stamp>),
    Parsed(Result<Document, Finding>, Option<(Stamp, [u8; 32])>),
}

fn sha(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
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
    let over = text.len() > MAX_YAML;
    let mut findings = Vec::new();
    let context = sha(&text);
    if cache.context != Some(context) {
        cache.entries.clear();
        cache.context = Some(context);
    }
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
    let profile = Profile::new(&config);
    findings.extend(profile.validate_user_rules(&config));
    let (catalogues, cat_findings) = catalogue::load(&config.requirements, &|rel: &str| {
        let p = safe_join(root, rel).ok_or_else(|| "the path leaves the repository".to_string())?;
        read_text(&p).map_err(|(_, m)| m)
    });
    findings.extend(cat_findings);

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
    let mut assets = Vec::new();
    let mut templates = Vec::new();
    for rel in &walk {
        match classify(rel) {
            FileClass::Document | FileClass::Record if !catalogue_files.contains(rel.as_str()) => {
                docs_to_read.push(rel.clone())
            }
            FileClass::Asset => assets.push(rel.clone()),
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
    let results: Vec<Got> = docs_to_read
        .par_iter()
        .with_max_len(16)
        .map(|rel| load_document(root, rel, cached, trust_stamps, &profile, &config))
        .collect();
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
        findings,
    })
}

/// Reads, parses and types one document file, or takes it from `cache`
/// when the file is unchanged (same stamp and not marked dirty, or same
/// text; not marked dirty alone with `trust_stamps`, see
/// [`Cache::trust_invalidations`]).
fn load_document(
    root: &Path,
    rel: &str,
    cache: &Cache,
    trust_stamps: bool,
    profile: &Profile,
    config: &Config,
) -> Got {
    let path = root.join(rel);
    if !cache.keep {
        let result = read_text(&path)
            .and_then(|text| parse_file(rel, &text))
            .map_err(|(pos, m)| Finding::new("parse-error", rel, pos, m))
            .map(|parsed| model::build(parsed, profile, config));
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
        .map(|parsed| model::build(parsed, profile, config));
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
    if rel.ends_with(".md") {
        FileClass::Document
    } else if rel.ends_with(".yaml") || rel.ends_with(".yml") {
        FileClass::Record
    } else {
        FileClass::Other
    }
}

/// Walks the repository: hidden and `_` entries, `exclude:` globs and the
/// skipped folders are left out; symbolic links are followed only while they
/// stay inside the repository (a link leaving it or looping is a `parse-error`).
fn walk(
    root: &Path,
    cfg: &Config,
    opts: &LoadOptions,
    findings: &mut Vec<Finding>,
) -> Result<Vec<String>, Fatal> {
    let canon_root = root
        .canonicalize()
        .map_err(|e| Fatal(format!("{}: {e}", root.display())))?;
    let excludes = globs(&cfg.exclude, cfg.index.key_or_start("exclude"), findings);
    let skip: Vec<PathBuf> = opts
        .skip
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let theme = cfg
        .theme
        .as_ref()
        .and_then(|t| root.join(t).canonicalize().ok());
    // A folder is compared with those by its canonical path, but only if
    // its inode is one of theirs: the inode comes with the folder's entry,
    // canonicalising costs a system call per component of its path.
    #[cfg(unix)]
    let may_skip = {
        use std::os::unix::fs::MetadataExt;
        use walkdir::DirEntryExt;
        let inodes: HashSet<u64> = skip
            .iter()
            .chain(&theme)
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.ino())
            .collect();
        move |e: &walkdir::DirEntry| inodes.contains(&e.ino())
    };
    #[cfg(not(unix))]
    let may_skip = |_: &walkdir::DirEntry| !skip.is_empty() || theme.is_some();
    let mut out = Vec::new();
    let it = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    let mut it = it.filter_entry(|e| {
        if e.depth() == 0 {
            return true;
        }
        let name = e.file_name().to_string_lossy();
        if name.starts_with('.') || name.starts_with('_') {
            return false;
        }
        let rel = rel_of(root, e.path());
        if excludes.is_match(&rel) {
            return false;
        }
        if e.file_type().is_dir()
            && may_skip(e)
            && let Ok(c) = e.path().canonicalize()
            && (skip.contains(&c) || theme.as_ref().is_some_and(|t| *t == c))
        {
            return false;
        }
        true
    });
    while let Some(entry) = it.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e.path().map(|p| rel_of(root, p)).unwrap_or_default();
                let msg = if e.loop_ancestor().is_some() {
                    format!(
                        "`{rel}` is a symbolic link that loops back to a folder above it; remove the link"
                    )
                } else if let Some(target) = e.path().and_then(|p| std::fs::read_link(p).ok()) {
                    format!(
                        "`{rel}` is a symbolic link to `{}`, which does not exist; remove the link or restore its target",
                        target.display()
                    )
                } else {
                    format!("`{rel}` cannot be read: {e}")
                };
                findings.push(Finding::new(
                    "parse-error",
                    if rel.is_empty() { "." } else { &rel },
                    Pos::START,
                    msg,
                ));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let rel = rel_of(root, entry.path());
        if entry.path_is_symlink() {
            match entry.path().canonicalize() {
                Ok(target) if target.starts_with(&canon_root) => {}
                Ok(target) => {
                    findings.push(Finding::new("parse-error", &rel, Pos::START, format!("`{rel}` is a symbolic link to `{}`, outside the repository; copy the file in instead", target.display())));
                    if entry.file_type().is_dir() {
                        it.skip_current_dir();
                    }
                    continue;
                }
                Err(e) => {
                    findings.push(Finding::new(
                        "parse-error",
                        &rel,
                        Pos::START,
                        format!("`{rel}` is a symbolic link that cannot be followed: {e}"),
                    ));
                    continue;
                }
            }
        }
        if entry.file_type().is_file() {
            out.push(rel);
        }
    }
    Ok(out)
}

fn globs(patterns: &[String], at: Pos, findings: &mut Vec<Finding>) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        match globset::GlobBuilder::new(p).literal_separator(true).build() {
            Ok(g) => {
                b.add(g);
            }
            Err(e) => findings.push(Finding::new(
                "parse-error",
                config::FILE,
                at,
                format!("`exclude:` pattern `{p}` is not a valid glob: {e}"),
            )),
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

/// `path` relative to `root`, with `/` separators.
pub fn rel_of(root: &Path, path: &Path) -> String {
    // The walk's paths are clean (`root/a/b`): on Unix their text after
    // the root's is already the answer (the walk asks twice per file, and
    // comparing paths component by component was most of its time).
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let (p, r) = (path.as_os_str().as_bytes(), root.as_os_str().as_bytes());
        let rest = p.strip_prefix(r).and_then(|rest| {
            if r.ends_with(b"/") || rest.is_empty() {
                Some(rest)
            } else {
                rest.strip_prefix(b"/")
            }
        });
        // Components drop empty and `.` parts; without any, the text is theirs.
        if let Some(t) = rest.and_then(|t| std::str::from_utf8(t).ok())
            && !r.is_empty()
            && t.split('/').all(|part| !part.is_empty() && part != ".")
        {
            return t.to_string();
        }
    }
    rel_by_components(root, path)
}

/// `rel_of` in general: the path's components after the root's, joined by `/`.
fn rel_by_components(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Joins a repository-relative path, refusing `..` that climbs out and absolute paths.
pub fn safe_join(root: &Path, rel: &str) -> Option<PathBuf> {
    let norm = normalize(rel)?;
    Some(root.join(norm))
}

/// Normalises a `/`-separated relative path (`a/./b/../c` → `a/c`); `None` if it climbs above its start or is absolute.
pub fn normalize(rel: &str) -> Option<String> {
    if rel.starts_with('/') || rel.contains('\0') || rel.contains('\\') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Reads a file as UTF-8 text within the size limit.
pub fn read_text(path: &Path) -> Result<String, (Pos, String)> {
    use std::io::Read;
    let cannot = |e: std::io::Error| (Pos::START, format!("cannot read the file: {e}"));
    let too_big = |len: u64| {
        (
            Pos::START,
            format!(
                "the file is {len} bytes, over the limit of {MAX_FILE} bytes; split it into several documents"
            ),
        )
    };
    // Read without asking its size first (a system call per file): room
    // for a document of usual size, grown for a larger one; no more than
    // the limit is read. Over it, the file's size is asked for the message.
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::with_capacity(16 * 1024);
    let mut limited = (&file).take(MAX_FILE + 1);
    limited.read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE {
        let len = file.metadata().map_or(bytes.len() as u64, |m| m.len());
        return Err(too_big(len.max(bytes.len() as u64)));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let b = e.as_bytes();
        let line = b[..at].iter().filter(|&&c| c == b'\n').count() + 1;
        let col = at - b[..at].iter().rposition(|&c| c == b'\n').map(|i| i + 1).unwrap_or(0) + 1;
        (Pos::new(line, col), format!("the file is not valid UTF-8 (invalid byte 0x{:02x} at byte offset {at}); save it as UTF-8", b.get(at).copied().unwrap_or(0)))
    })
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

fn parse_mapping(
    text: &str,
    first_line: usize,
    what: &str,
) -> Result<yaml_serde::Mapping, (Pos, String)> {
    // Flat YAML (nearly every front matter and record) has a fast path;
    // anything else, every error included, is yaml_serde's.
    if let Some(m) = crate::yamlflat::parse(text) {
        return Ok(m);
    }
    match parse_yaml(text) {
        Ok(Value::Mapping(m)) => Ok(m),
        Ok(Value::Null) => Err((
            Pos::new(first_line, 1),
            format!("the {what} is empty; it needs at least `id:` and `title:`"),
        )),
        Ok(Value::Sequence(_)) => Err((
            Pos::new(first_line, 1),
            format!(
                "the {what} is a list; it must be a mapping of fields (`id: ...`, `title: ...`)"
            ),
        )),
        Ok(_) => Err((
            Pos::new(first_line, 1),
            format!(
                "the {what} is a single value; it must be a mapping of fields (`id: ...`, `title: ...`)"
            ),
        )),
        Err((pos, m)) => Err((
            Pos::new(pos.line + first_line - 1, pos.column),
            format!("YAML syntax error in the {what}: {m}"),
        )),
    }
}

/// Most values (scalars, lists, mappings) one YAML text may expand to,
/// counting every copy an alias (`*name`) makes. Without aliases a text
/// within `MAX_YAML` holds far fewer; an alias bomb ("billion laughs") is
/// stopped here, before it is built in memory.
pub const MAX_YAML_VALUES: usize = 500_000;

/// Parses YAML text into a value; errors carry the parser's position within `text`.
pub fn parse_yaml(text: &str) -> Result<Value, (Pos, String)> {
    // A first pass counts the values aliases expand to, without keeping
    // them; a text without `*` has no alias (nearly every text: skipped).
    let count = std::cell::Cell::new(0usize);
    if text.contains('*')
        && let Err(e) = serde::de::DeserializeSeed::deserialize(
            CountValues(&count),
            yaml_serde::Deserializer::from_str(text),
        )
        && count.get() > MAX_YAML_VALUES
    {
        let pos = e
            .location()
            .map(|l| pos_at(text, l.index()))
            .unwrap_or(Pos::START);
        return Err((
            pos,
            format!(
                "the YAML expands to more than {MAX_YAML_VALUES} values through aliases (`*name`) (an alias bomb?); write the values out instead of repeating anchors"
            ),
        ));
    }
    yaml_serde::from_str::<Value>(text).map_err(|e| {
        let mut pos = e
            .location()
            .map(|l| pos_at(text, l.index()))
            .unwrap_or(Pos::START);
        let mut msg = e.to_string();
        // The position is reported separately.
        if let Some(i) = msg.find(" at line ") {
            msg.truncate(i);
        }
        if msg.starts_with("repetition limit exceeded") {
            msg = "aliases (`*name`) are expanded too many times (an alias bomb?); write the values out instead of repeating anchors".into();
        } else if msg.starts_with("recursion limit exceeded") {
            msg = "values are nested too deeply (over 128 levels)".into();
        } else if let Some(i) = msg.find("duplicate entry with key \"") {
            // `path: duplicate entry with key "k"`; the parser points at the
            // mapping: point at the repeated key.
            let path = msg[..i].to_string();
            let key = msg[i + 26..].trim_end_matches('"').to_string();
            if !key.contains('\\')
                && let Some(p) = YamlIndex::new(text, 1).duplicate_key(pos.line, &key)
            {
                pos = p;
            }
            msg = format!("{path}key `{key}` is written twice in the same mapping; keep one");
        }
        (pos, msg)
    })
}

/// Line and column of byte `index` of `text`, counting lines by `\n` as
/// every other position does. The YAML parser's own line numbers also count
/// a lone `\r`, NEL, LS and PS as line breaks, which would put findings on
/// lines the file does not have.
pub fn pos_at(text: &str, index: usize) -> Pos {
    let mut i = index.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    let before = &text[..i];
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    Pos::new(
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// Counts every value a YAML text expands to, failing past `MAX_YAML_VALUES`.
struct CountValues<'a>(&'a std::cell::Cell<usize>);

impl CountValues<'_> {
    fn bump<E: serde::de::Error>(&self) -> Result<(), E> {
        let n = self.0.get() + 1;
        self.0.set(n);
        if n > MAX_YAML_VALUES {
            Err(E::custom("too many values"))
        } else {
            Ok(())
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for CountValues<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for CountValues<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.bump()
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.bump()
    }
    fn visit_i128<E: serde::de::Error>(self, _: i128) -> Result<(), E> {
        self.bump()
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.bump()
    }
    fn visit_u128<E: serde::de::Error>(self, _: u128) -> Result<(), E> {
        self.bump()
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.bump()
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        self.bump()
    }
    fn visit_bytes<E: serde::de::Error>(self, _: &[u8]) -> Result<(), E> {
        self.bump()
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.bump()
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.bump()
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.bump()?;
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.bump()?;
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.bump()?;
        while seq.next_element_seed(CountValues(self.0))?.is_some() {}
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.bump()?;
        while map.next_key_seed(CountValues(self.0))?.is_some() {
            map.next_value_seed(CountValues(self.0))?;
        }
        Ok(())
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        use serde::de::VariantAccess;
        self.bump()?;
        let (_, v) = data.variant::<serde::de::IgnoredAny>()?;
        v.newtype_variant_seed(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text shortcut gives what joining the path's components gives.
    #[test]
    fn rel_of_matches_the_components() {
        for (root, p) in [
            ("repo", "repo/a/b.md"),
            ("repo/", "repo/a/b.md"),
            ("./repo", "./repo/a.md"),
            ("repo", "repo"),
            ("/abs/repo", "/abs/repo/x/y/z.yaml"),
            ("repo", "repo/a//b.md"),
            ("repo", "repo/a/./b.md"),
            ("repo", "repo/a/"),
            ("repo", "elsewhere/c.md"),
            ("repo", "./c.md"),
            ("repo", "repo2/x.md"),
            ("repo", "repo/../x.md"),
            ("repo/", "repo//a.md"),
            ("", "a/b.md"),
            ("/", "/etc/x"),
            ("repo/sub/..", "repo/sub/../a.md"),
        ] {
            let (root, p) = (Path::new(root), Path::new(p));
            assert_eq!(
                rel_of(root, p),
                rel_by_components(root, p),
                "{p:?} under {root:?}"
            );
        }
    }
}
