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
    have_site: bool,
    overlay: String,
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
            have_site: false,
            overlay: String::new(),
        }
    }

    /// Marks a repository-relative file or folder as changed (`""`: everything).
    pub fn invalidate(&mut self, rel: &str) {
        self.cache.invalidate(rel);
    }

    /// Rebuilds from the files on disk. `touched` are the repository-relative
    /// paths the watcher reported (assets among them count as changed).
    pub fn rebuild(&mut self, touched: &[String]) -> Rebuilt {
        let start = Instant::now();
        let opts = crate::Options {
            date: self.date.unwrap_or_else(|| jiff::Zoned::now().date()),
            skip: self.skip.clone(),
        };
        let checked = crate::check_cached(&self.root, &opts, &mut self.cache);
        let check_time = start.elapsed();
        let mut render_time = Duration::ZERO;
        let mut outputs = None;
        let mut assets = HashSet::new();
        let mut documents = 0;
        let findings = match checked {
            Err(fatal) => vec![Finding::new(
                "parse-error",
                crate::config::FILE,
                Pos::START,
                fatal.0,
            )],
            Ok(c) => {
                let mut findings = c.findings.clone();
                assets = c.loaded.assets.iter().cloned().collect();
                documents = c.loaded.documents.len();
                // With errors the last good site stays; render anyway when
                // there is none yet, so the first page shows something.
                if c.errors() == 0 || !self.have_site {
                    let t = Instant::now();
                    match crate::render(&c) {
                        Ok(o) => outputs = Some(o),
                        Err(errs) => {
                            findings.extend(errs);
                            diag::sort(&mut findings);
                        }
                    }
                    render_time = t.elapsed();
                }
                findings
            }
        };
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        let mut changed = BTreeSet::new();
        let published = outputs.is_some();
        if let Some(outputs) = outputs {
            let mut files = HashMap::with_capacity(outputs.len());
            for o in outputs {
                match self.files.remove(&o.path) {
                    Some(old) if *old == o.bytes => {
                        files.insert(o.path, old);
                    }
                    _ => {
                        changed.insert(o.path.clone());
                        files.insert(o.path, Arc::new(o.bytes));
                    }
                }
            }
            changed.extend(self.files.drain().map(|(p, _)| p));
            self.files = files;
            self.have_site = true;
        }
        for t in touched {
            if t.starts_with("assets/") {
                changed.insert(t.clone());
            }
        }
        let overlay = if errors > 0 {
            super::inject::overlay(&findings, errors)
        } else {
            String::new()
        };
        let all = overlay != self.overlay;
        self.overlay = overlay.clone();
        Rebuilt {
            site: Site {
                generation: 0,
                files: self.files.clone(),
                assets,
                findings,
                errors,
                overlay,
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
}
