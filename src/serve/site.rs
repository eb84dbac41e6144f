//! The site as served: the last good outputs of the pipeline, held in
//! memory, and the rebuild that refreshes them. A rebuild runs the same
//! stages as `smsite build` (`crate::check_cached` then `crate::render`);
//! only loading is incremental (unchanged files are not parsed again, see
//! `load::Cache`). Rendering runs whole, and the outputs are compared with
//! the previous ones so that only the pages whose bytes changed count as
//! changed (and only the tabs showing them reload).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::civil::Date;

use crate::diag::{self, Finding, Pos, Severity};
use crate::load;

/// At most this many edited documents get their pages published first.
const FOCUS_MAX: usize = 16;

/// One generation of the served site.
#[derive(Default)]
pub struct Site {
    /// Rebuild counter, 1 for the first build.
    pub generation: u64,
    /// Output path → bytes (the last good render).
    pub files: HashMap<String, Arc<Vec<u8>>>,
    /// Files under `assets/` (read from the repository when requested).
    pub assets: HashSet<String>,
    /// The current findings (of the files on disk, even when `files` is older).
    pub findings: Vec<Finding>,
    /// Error findings in `findings`: the overlay shows when this is not 0.
    pub errors: usize,
    /// The overlay's HTML (empty without errors).
    pub overlay: String,
    /// Site path → a notice shown on that page alone (an approved
    /// document with uncommitted changes: `inject::editing_notice`).
    pub notices: Arc<HashMap<String, String>>,
}

impl Site {
    /// A site without errors, published before a rebuild ends.
    fn clean(
        files: &HashMap<String, Arc<Vec<u8>>>,
        assets: &HashSet<String>,
        findings: &[Finding],
        notices: &Arc<HashMap<String, String>>,
    ) -> Site {
        Site {
            generation: 0,
            files: files.clone(),
            assets: assets.clone(),
            findings: findings.to_vec(),
            errors: 0,
            overlay: String::new(),
            notices: notices.clone(),
        }
    }
}

/// What one rebuild did.
pub struct Rebuilt {
    pub site: Site,
    /// Output paths added, removed or changed (and assets touched).
    pub changed: BTreeSet<String>,
    /// Every page changed (the overlay appeared, changed or went).
    pub all: bool,
    /// The outputs were replaced (false: errors, the last good site stays).
    pub published: bool,
    pub check_time: Duration,
    pub render_time: Duration,
    pub total: Duration,
    pub parsed: usize,
    pub reused: usize,
    pub documents: usize,
}

/// Runs the pipeline on demand and remembers what it needs between runs.
pub struct Builder {
    root: PathBuf,
    skip: Vec<PathBuf>,
    date: Option<Date>,
    cache: load::Cache,
    files: HashMap<String, Arc<Vec<u8>>>,
    /// SHA-256 of each file, for `manifest.json` (kept between rebuilds).
    hashes: HashMap<String, String>,
    /// Document pages of the last render, reused when their inputs are unchanged.
    memo: crate::render::Memo,
    have_site: bool,
    overlay: String,
    /// Read the git history (`--no-history`: no).
    history: bool,
    /// Git's answers and the past versions read, kept between rebuilds.
    kept: crate::control::Kept,
    /// The notes of the last rebuild (printed when they change).
    pub notes: Vec<String>,
    /// The notices of the last rebuild, by site path.
    notices: Arc<HashMap<String, String>>,
    /// The last external audit's baseline as read (see
    /// [`Builder::compare_with_baseline`]).
    baseline: Option<Baseline>,
}

/// A baseline revision read for the Changes page: its revision, the commit
/// it named then (a tag made or a branch moved since is read anew) and the
/// date it was checked with; the revision checked, or why it could not be
/// read (the note).
struct Baseline {
    key: (String, Option<crate::git::history::Oid>, Date),
    read: Result<(Box<crate::Checked>, crate::diff::Side), String>,
}

impl Builder {
    /// `skip`: folders never read (the default output folder, as `build` does).
    pub fn new(root: PathBuf, skip: Vec<PathBuf>, date: Option<Date>) -> Builder {
        Builder {
            root,
            skip,
            date,
            cache: load::Cache::keeping(),
            files: HashMap::new(),
            hashes: HashMap::new(),
            memo: Default::default(),
            have_site: false,
            overlay: String::new(),
            history: true,
            kept: Default::default(),
            notes: Vec::new(),
            notices: Default::default(),
            baseline: None,
        }
    }

    /// Reads no git history (`--no-history`).
    pub fn without_history(&mut self) {
        self.history = false;
    }

    /// Every change will be reported through [`Builder::invalidate`] (see
    /// `load::Cache::trust_invalidations`).
    pub fn trust_watcher(&mut self) {
        self.cache.trust_invalidations();
    }

    /// Marks a repository-relative file or folder as changed (`""`: everything).
    pub fn invalidate(&mut self, rel: &str) {
        self.cache.invalidate(rel);
        self.kept.touch(rel);
        if rel.is_empty() || rel == super::watch::GIT {
            // A tag or branch named as the baseline may have moved.
            self.baseline = None;
        }
    }

    /// The Changes page since the last external audit's baseline, as
    /// `build` makes it. The baseline is read from git once, and again
    /// only when it names another commit (a tag made, a branch moved), or
    /// the baseline or the date changes; each rebuild compares the work
    /// tree with it.
    fn compare_with_baseline(&mut self, c: &mut crate::Checked) {
        let Some((rev, audit)) = c.audit_baseline().filter(|_| self.history) else {
            self.baseline = None;
            return;
        };
        let commit = crate::git::history::commit_id(&c.loaded.root, &rev);
        let key = (rev, commit, c.date);
        if self.baseline.as_ref().is_none_or(|b| b.key != key) {
            let read = c
                .read_revision(&key.0)
                .map(|(old, side)| (Box::new(old), side))
                .map_err(|e| crate::Checked::baseline_unreadable(&key.0, &audit, &e));
            self.baseline = Some(Baseline { key, read });
        }
        match self.baseline.as_ref().map(|b| &b.read) {
            Some(Ok((old, side))) => c.compare_with(old, side.clone(), Some(&audit)),
            Some(Err(note)) => c.control.notes.push(note.clone()),
            None => {}
        }
    }

    /// Rebuilds from the files on disk. `touched` are the repository-relative
    /// paths the watcher reported (assets among them count as changed).
    pub fn rebuild(&mut self, touched: &[String]) -> Rebuilt {
        self.rebuild_phased(touched, &mut |_, _| {})
    }

    /// Like [`Builder::rebuild`]; when a clean site stays clean, the pages are
    /// rendered first and handed to `early` (to publish: tabs on them reload
    /// at once), then the aggregates (home, matrices, search index, evidence
    /// pack, exports), which the returned `Rebuilt` reports.
    pub fn rebuild_phased(
        &mut self,
        touched: &[String],
        early: &mut dyn FnMut(Site, BTreeSet<String>),
    ) -> Rebuilt {
        let start = Instant::now();
        let opts = crate::Options {
            date: self.date.unwrap_or_else(|| jiff::Zoned::now().date()),
            skip: self.skip.clone(),
            history: self.history,
        };
        let checked = crate::check_kept(&self.root, &opts, &mut self.cache, &mut self.kept);
        let check_time = start.elapsed();
        let mut render_time = Duration::ZERO;
        let mut assets = HashSet::new();
        let mut documents = 0;
        let mut changed = BTreeSet::new();
        let mut published = false;
        let mut manifest_inputs = None;
        let mut notices = Arc::new(HashMap::new());
        let findings = match checked {
            Err(fatal) => vec![Finding::new(
                "parse-error",
                crate::config::FILE,
                Pos::START,
                fatal.0,
            )],
            Ok(mut c) => {
                self.compare_with_baseline(&mut c);
                let mut findings = c.findings.clone();
                notices = Arc::new(editing_notices(&c));
                self.notes.clone_from(&c.control.notes);
                assets = c.loaded.assets.iter().cloned().collect::<HashSet<_>>();
                documents = c.loaded.documents.len();
                // With errors the last good site stays; render anyway when
                // there is none yet, so the first page shows something.
                if c.errors() == 0 || !self.have_site {
                    let t = Instant::now();
                    let shown = (&findings[..], &assets, &notices);
                    match self.render_checked(&c, touched, shown, early) {
                        Ok(ch) => {
                            changed = ch;
                            published = true;
                            self.have_site = true;
                            manifest_inputs = Some((
                                c.date.to_string(),
                                c.revision.clone(),
                                c.loaded.root.clone(),
                                c.loaded.assets.clone(),
                            ));
                        }
                        Err(errs) => {
                            // Pages kept by the memo were not taken in: forget it.
                            self.memo.clear();
                            findings.extend(errs);
                            diag::sort(&mut findings);
                        }
                    }
                    render_time = t.elapsed();
                }
                // The documents go back to the cache: the next rebuild moves
                // them again instead of parsing or copying them.
                self.cache.give_back(c.loaded.documents);
                self.cache.give_back_sheets(c.measures.sheets);
                findings
            }
        };
        if let Some(inputs) = manifest_inputs {
            self.update_manifest(inputs, &mut changed);
        }
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        for t in touched {
            if t.starts_with("assets/") {
                changed.insert(t.clone());
            }
        }
        let overlay = self.overlay_of(&findings, errors);
        let all = overlay != self.overlay;
        self.overlay = overlay.clone();
        self.notices_changed(&notices, &mut changed);
        Rebuilt {
            site: Site {
                generation: 0,
                files: self.files.clone(),
                assets,
                findings,
                errors,
                overlay,
                notices,
            },
            changed,
            all,
            published,
            check_time,
            render_time,
            total: start.elapsed(),
            parsed: self.cache.parsed,
            reused: self.cache.reused,
            documents,
        }
    }

    /// Renders checked repository `c` and takes its files in: the changed
    /// paths, or the render's errors. When a clean site stays clean, the
    /// edited documents' pages, then the other pages, are handed to `early`
    /// before the aggregates are rendered; `shown`: the findings, assets
    /// and notices of the site handed over.
    fn render_checked(
        &mut self,
        c: &crate::Checked,
        touched: &[String],
        (findings, assets, notices): (&[Finding], &HashSet<String>, &Arc<HashMap<String, String>>),
        early: &mut dyn FnMut(Site, BTreeSet<String>),
    ) -> Result<BTreeSet<String>, Vec<Finding>> {
        use crate::address::is_aggregate;
        use crate::render::Parts;
        let phased = self.have_site && c.errors() == 0 && self.overlay.is_empty();
        if !phased {
            return render(c, Parts::All, &self.memo, &[]).map(|all| self.merge(all, |_| true));
        }
        // The edited documents' own pages first: the tab on one reloads
        // before the rest of the pages are done.
        let focus: Vec<String> = touched
            .iter()
            .filter(|t| c.resolved.by_file.contains_key(t.as_str()))
            .cloned()
            .collect();
        if !focus.is_empty() && focus.len() <= FOCUS_MAX {
            match render(c, Parts::Focus, &self.memo, &focus) {
                Ok(first) => {
                    let ch = self.merge(first, |_| false);
                    if !ch.is_empty() {
                        early(Site::clean(&self.files, assets, findings, notices), ch);
                    }
                }
                // Reported by the full render below.
                Err(_) => self.memo.clear(),
            }
        }
        let pages = render(c, Parts::Pages, &self.memo, &[])?;
        let mut early_changed = self.merge(pages, |p| !is_aggregate(p));
        early_changed.extend(touched.iter().filter(|t| t.starts_with("assets/")).cloned());
        early(
            Site::clean(&self.files, assets, findings, notices),
            early_changed,
        );
        let agg = render(c, Parts::Aggregates, &self.memo, &[])?;
        Ok(self.merge(agg, is_aggregate))
    }

    /// `manifest.json` over every file, as `build` writes it; its path joins
    /// `changed` when it changed.
    fn update_manifest(
        &mut self,
        (date, revision, root, assets): (
            String,
            Option<crate::git::Revision>,
            PathBuf,
            Vec<String>,
        ),
        changed: &mut BTreeSet<String>,
    ) {
        let mut hashes: std::collections::BTreeMap<String, String> = self
            .hashes
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        hashes.extend(crate::manifest::hash_files(&root, &assets));
        let m = crate::manifest::from_hashes(hashes, &date, revision);
        if self.files.get(&m.path).is_none_or(|old| **old != m.bytes) {
            changed.insert(m.path.clone());
            self.files.insert(m.path, Arc::new(m.bytes));
        }
    }

    /// The overlay of the findings when there are `errors` (a measurement
    /// finding shows its row: a CSV line says more than its line number).
    fn overlay_of(&self, findings: &[Finding], errors: usize) -> String {
        if errors == 0 {
            return String::new();
        }
        let root = &self.root;
        let quote = |f: &Finding| {
            crate::load::is_measurements(&f.file)
                .then(|| crate::report::source_line(root, &f.file, f.line))
                .flatten()
        };
        super::inject::overlay_quoting(findings, errors, &quote)
    }

    /// Keeps `notices`; a page whose notice came or went joins `changed`.
    fn notices_changed(
        &mut self,
        notices: &Arc<HashMap<String, String>>,
        changed: &mut BTreeSet<String>,
    ) {
        for (path, n) in notices.iter() {
            if self.notices.get(path) != Some(n) {
                changed.insert(path.clone());
            }
        }
        for path in self.notices.keys() {
            if !notices.contains_key(path) {
                changed.insert(path.clone());
            }
        }
        self.notices = notices.clone();
    }

    /// Takes `outputs` in: changed and new files are replaced, files in
    /// `scope` that were not rendered again are removed. Returns the paths
    /// that changed.
    fn merge(
        &mut self,
        outputs: Vec<crate::render::Output>,
        scope: impl Fn(&str) -> bool,
    ) -> BTreeSet<String> {
        let mut changed = BTreeSet::new();
        let mut seen: HashSet<String> = self.memo.take_kept().into_iter().collect();
        for o in outputs {
            seen.insert(o.path.clone());
            if self.files.get(&o.path).is_some_and(|old| **old == o.bytes) {
                continue;
            }
            self.hashes
                .insert(o.path.clone(), crate::manifest::sha256(&o.bytes));
            changed.insert(o.path.clone());
            self.files.insert(o.path, Arc::new(o.bytes));
        }
        let gone: Vec<String> = self
            .files
            .keys()
            .filter(|p| scope(p) && !seen.contains(*p) && *p != crate::manifest::FILE)
            .cloned()
            .collect();
        for p in gone {
            self.memo.forget(&p);
            self.files.remove(&p);
            self.hashes.remove(&p);
            changed.insert(p);
        }
        changed
    }
}

/// The notice of each approved document with uncommitted changes that
/// make its approval stale, by its page's path.
fn editing_notices(c: &crate::Checked) -> HashMap<String, String> {
    let docs = &c.loaded.documents;
    c.control
        .stale
        .iter()
        .filter(|s| s.uncommitted && c.loaded.config.severity("approval-stale") != Severity::Off)
        .filter_map(|s| {
            let d = docs.get(s.doc)?;
            let on = d.approved_on?.to_string();
            let html = super::inject::editing_notice(&d.id, &on, d.approved_by.as_deref());
            Some((crate::address::doc(&d.id), html))
        })
        .collect()
}

/// Renders `parts` of the site into memory.
fn render(
    c: &crate::Checked,
    parts: crate::render::Parts,
    memo: &crate::render::Memo,
    focus: &[String],
) -> Result<Vec<crate::render::Output>, Vec<Finding>> {
    let out = std::sync::Mutex::new(Vec::new());
    crate::render_parts_memo_into(c, None, parts, Some(memo), focus, &|o| {
        if let Ok(mut v) = out.lock() {
            v.push(o);
        }
    })?;
    Ok(out.into_inner().unwrap_or_default())
}
