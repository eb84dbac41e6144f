//! # smsite
//!
//! A static site generator for ISO/IEC 20000 service-management-system
//! documentation that checks requirement traceability at build time.
//!
//! A build is one pipeline; each stage is a module that takes plain data
//! from the one before and never reaches back:
//!
//! ```text
//! load     walk the repository, read sms.yaml and catalogues, split front
//!          matter, parse YAML, type each document, read its Markdown
//!          once (what it refers to; its HTML, with holes for references)
//!                                                      -> Loaded
//! resolve  index ids and files, resolve refs, links, anchors,
//!          satisfies and applicability; back-links, coverage -> Resolved
//!          measurements against the SLAs' targets   -> measure::Report
//! control  each document's git history (read while loading), approved
//!          versions and referents' versions compared by content -> Control
//! check    one file per rule                           -> Vec<Finding>
//! render   page families in parallel: bodies' references filled in, Tera
//!          pages, matrices, CSV/JSON exports           -> Output, to a Sink
//! write    into a temporary folder, swapped in whole
//! ```
//!
//! `build` runs it once; `serve` keeps the outputs in memory and reruns it
//! on every change (see [`check_cached`] and [`render_parts_memo_into`]).
//!
//! The modules, in the pipeline's order:
//!
//! - **Reading.** [`source`] reads files (size limits, UTF-8, safe
//!   repository-relative paths); [`yaml`] is the one caller of the YAML
//!   parser, with source positions of keys and items and the fast path for
//!   flat YAML; [`config`] is `sms.yaml`; [`catalogue`] the requirement
//!   catalogues (ISO/IEC 20000-1 built in); [`markdown`] reads each body
//!   once (with [`highlight`] for code blocks and [`html`] for escaping);
//!   [`model`] types a file into a `Document` by the kinds in force;
//!   [`load`] walks the repository and runs all of it in parallel, with the
//!   cache `serve` keeps. [`measure`] reads measurement CSV files and
//!   checks them against SLA targets (plain data).
//! - **Resolving and checking.** [`resolve`] indexes and resolves every
//!   reference and derives back-links and coverage; [`measured`] checks
//!   the measurements against the resolved SLAs; [`check`] runs the
//!   rules, one file each under `src/check/`; [`control`] is document
//!   control over time (revision histories, stale approvals, suspect
//!   references, from the git history); [`diff`] compares two states of
//!   the repository (`smsite diff`, the Changes page), a past one loaded
//!   from git objects.
//! - **Rendering.** [`audience`] redacts documents above the build's
//!   audience; [`render`] runs the page families (one module each under
//!   `src/render/`, listed in `render::FAMILIES`); [`address`] is the one
//!   place every path of the site and every relative link is made.
//! - **Writing and trust.** [`write`] stages the site and swaps it in;
//!   [`manifest`] hashes what was written (`smsite verify`); [`git`] tells
//!   the revision the sources came from, and reads the history of every
//!   file.
//! - **Around.** [`diag`] is what a finding is; [`report`] prints findings
//!   (human, JSON, and for CI: SARIF, GitLab Code Quality, GitHub
//!   annotations); [`serve`] is the live preview; [`scaffold`] is
//!   `smsite init` (drafts with guidance, or the worked example);
//!   [`schema`] writes a JSON Schema per kind for editors.
//!
//! No module imports one that imports it back (`tests/layout.rs` checks
//! the graph).

pub mod address;
pub mod audience;
pub mod catalogue;
pub mod check;
pub mod config;
pub mod control;
pub mod diag;
pub mod diff;
pub mod git;
pub mod highlight;
pub mod html;
pub mod load;
pub mod manifest;
pub mod markdown;
pub mod measure;
pub mod measured;
pub mod model;
pub mod readiness;
pub mod render;
pub mod report;
pub mod resolve;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod source;
pub mod write;
pub mod yaml;

use std::path::Path;

/// The hash behind the build's lookup tables (ids, files, words, slugs):
/// aHash with fixed keys, fast on short strings. Keys come from the
/// repository being built (nothing to defend against), and the same keys
/// give the same order on every run.
pub type FastHash = std::hash::BuildHasherDefault<ahash::AHasher>;
pub type FastMap<K, V> = std::collections::HashMap<K, V, FastHash>;
pub type FastSet<K> = std::collections::HashSet<K, FastHash>;

/// Where the first `pair` of bytes (`[[`, `: `) is in `s`: `memchr` on the
/// first byte, then a look at the next (`str::find` would set up a
/// substring searcher for every short text it is given).
pub(crate) fn find_pair(s: &str, pair: [u8; 2]) -> Option<usize> {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(pair[0], &b[from..]) {
        let at = from + i;
        if b.get(at + 1) == Some(&pair[1]) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

use diag::{Finding, Severity, Summary};
use jiff::civil::Date;

/// Options of one run of the pipeline.
#[derive(Debug, Clone)]
pub struct Options {
    /// "Today" for the date rules.
    pub date: Date,
    /// Folders that are never read (the output folder, when inside the repository).
    pub skip: Vec<std::path::PathBuf>,
    /// Read the git history: revision histories, `approval-stale`,
    /// `suspect-reference` (`--no-history` turns it off; see [`control`]).
    pub history: bool,
}

/// The result of loading, resolving and checking a repository.
pub struct Checked {
    pub loaded: load::Loaded,
    pub resolved: resolve::Resolved,
    /// The measurements, checked against the SLAs' targets.
    pub measures: measure::Report,
    pub findings: Vec<Finding>,
    pub date: Date,
    /// The repository's git revision, when it is in git.
    pub revision: Option<git::Revision>,
    /// Readiness for certification, judged with the rules.
    pub readiness: readiness::Readiness,
    /// Document control over time: histories, stale approvals, suspect
    /// references, and the notes on what git could not tell.
    pub control: control::Control,
    /// What changed since a revision (see [`Checked::compare_since`]).
    pub changes: Option<diff::Changes>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }
    pub fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count()
    }
    pub fn summary(&self) -> Summary {
        let cats = &self.loaded.catalogues;
        let leaves: Vec<usize> = (0..cats.reqs.len())
            .filter(|&q| cats.reqs[q].is_leaf())
            .collect();
        Summary {
            errors: self.errors(),
            warnings: self.warnings(),
            documents: self.loaded.documents.len(),
            requirements: leaves.len(),
            covered: leaves
                .iter()
                .filter(|&&q| self.resolved.coverage[q].cover.is_covered())
                .count(),
        }
    }

    /// Compares the repository as checked with git revision `rev` (both
    /// checked with the same date), for the Changes page; `audit`: the
    /// audit whose baseline `rev` is. The revision is read from git's
    /// objects, never from the work tree or the index.
    pub fn compare_since(
        &mut self,
        rev: &str,
        audit: Option<&str>,
    ) -> Result<(), diff::revision::Unreadable> {
        let (old, old_side) = self.read_revision(rev)?;
        self.compare_with(&old, old_side, audit);
        Ok(())
    }

    /// Git revision `rev` of this repository, loaded and checked with the
    /// same date, from git's objects (see [`Checked::compare_since`]).
    pub fn read_revision(
        &self,
        rev: &str,
    ) -> Result<(Checked, diff::Side), diff::revision::Unreadable> {
        let opts = Options {
            date: self.date,
            skip: Vec::new(),
            history: false,
        };
        diff::revision::at(&self.loaded.root, rev, &opts)
    }

    /// The Changes page's comparison with `old`, a revision read by
    /// [`Checked::read_revision`] (`serve` keeps it between rebuilds).
    pub fn compare_with(&mut self, old: &Checked, old_side: diff::Side, audit: Option<&str>) {
        let new_side = diff::Side {
            revision: "work tree".to_string(),
            commit: self.revision.as_ref().map(|r| r.commit.clone()),
            date: None,
            modified: self.revision.as_ref().is_some_and(|r| r.dirty),
        };
        let mut changes = diff::compare(old, self, old_side, new_side);
        changes.audit = audit.map(str::to_string);
        self.changes = Some(changes);
    }

    /// The note when the `baseline` of `audit` cannot be read: the build
    /// goes on without its Changes page.
    pub fn baseline_unreadable(rev: &str, audit: &str, e: &diff::revision::Unreadable) -> String {
        format!(
            "the Changes page is left out: the baseline `{rev}` of audit {audit} cannot be read ({e}); correct its `baseline:` or pass --since REV"
        )
    }

    /// The `baseline` of the latest performed certification, surveillance
    /// or recertification audit (documents of kind `audit`, read by their
    /// fields `audit_type`, `performed_on` and `baseline`), and that
    /// audit's id: what `build` compares with when not given `--since`.
    pub fn audit_baseline(&self) -> Option<(String, String)> {
        const EXTERNAL: &[&str] = &["certification", "surveillance", "recertification"];
        self.loaded
            .documents
            .iter()
            .filter(|d| d.kind == "audit" && d.is_live())
            .filter(|d| {
                d.text("audit_type")
                    .is_some_and(|t| EXTERNAL.contains(&t.trim()))
            })
            .filter_map(|d| {
                let on = d.date("performed_on").filter(|on| *on <= self.date)?;
                let baseline = d.text("baseline").map(|b| b.trim().to_string())?;
                (!baseline.is_empty()).then_some((on, d.id.clone(), baseline))
            })
            .max()
            .map(|(_, id, baseline)| (baseline, id))
    }

    /// Frees what only findings need, once they are made: each document's
    /// YAML text, kept to point at its keys. `build` calls it before
    /// rendering, so the pages reuse that memory (10,000 documents: about
    /// 7 MB); `serve` keeps the texts for its next rebuild's findings.
    pub fn release_positions(&mut self) {
        use rayon::prelude::*;
        self.loaded
            .documents
            .par_iter_mut()
            .for_each(|d| d.index = yaml::YamlIndex::default());
    }
}

/// Load, resolve and check.
pub fn check(root: &Path, opts: &Options) -> Result<Checked, load::Fatal> {
    check_cached(root, opts, &mut load::Cache::default())
}

/// Load (reusing the unchanged documents of `cache`), resolve and check:
/// the same result as [`check`], for `serve`'s rebuilds.
pub fn check_cached(
    root: &Path,
    opts: &Options,
    cache: &mut load::Cache,
) -> Result<Checked, load::Fatal> {
    check_kept(root, opts, cache, &mut control::Kept::default())
}

/// Git's answers: being read on a thread of their own, or kept.
enum Asking {
    Revision(std::thread::JoinHandle<Option<git::Revision>>),
    Git(std::thread::JoinHandle<Result<control::Git, git::history::GitError>>),
    Kept(Result<control::Git, git::history::GitError>),
}

impl Asking {
    fn start(root: &Path, opts: &Options, kept: &mut control::Kept) -> Asking {
        let (root, skip) = (root.to_path_buf(), opts.skip.clone());
        if !opts.history {
            return Asking::Revision(std::thread::spawn(move || git::revision(&root, &skip)));
        }
        match kept.get() {
            Some(git) => Asking::Kept(git),
            None => Asking::Git(std::thread::spawn(move || {
                control::read(&root, &skip, true)
            })),
        }
    }
}

/// Load, resolve and check, as [`check_cached`], with git's answers kept
/// between runs in `kept` (`serve`: read again only after a commit).
pub fn check_kept(
    root: &Path,
    opts: &Options,
    cache: &mut load::Cache,
    kept: &mut control::Kept,
) -> Result<Checked, load::Fatal> {
    let t = std::time::Instant::now();
    // git answers while the repository loads, not after.
    let asking = Asking::start(root, opts, kept);
    let mut loaded = load::load_cached(
        root,
        &load::LoadOptions {
            skip: opts.skip.clone(),
        },
        cache,
    )?;
    let t_load = t.elapsed();
    let (mut resolved, measures) = resolve_stage(&mut loaded, opts.date);
    let t_resolve = t.elapsed();
    let (control, revision) = answers(asking, &loaded, &resolved, opts.date, kept);
    let t_history = t.elapsed();
    let (findings, readiness) =
        check_stage(&mut loaded, &mut resolved, &measures, &control, opts.date);
    if std::env::var_os("SMSITE_TIMING").is_some() {
        eprintln!(
            "timing: load {} ms, resolve and measurements {} ms, history {} ms, check {} ms",
            t_load.as_millis(),
            (t_resolve - t_load).as_millis(),
            (t_history - t_resolve).as_millis(),
            (t.elapsed() - t_history).as_millis()
        );
    }
    Ok(Checked {
        loaded,
        resolved,
        measures,
        findings,
        date: opts.date,
        revision,
        readiness,
        control,
        changes: None,
    })
}

/// Resolves and checks a repository already loaded (a past revision, see
/// `diff::revision`), without history.
pub fn check_loaded(mut loaded: load::Loaded, date: Date) -> Checked {
    let (mut resolved, measures) = resolve_stage(&mut loaded, date);
    let control = control::Control::default();
    let (findings, readiness) = check_stage(&mut loaded, &mut resolved, &measures, &control, date);
    Checked {
        loaded,
        resolved,
        measures,
        findings,
        date,
        revision: None,
        readiness,
        control,
        changes: None,
    }
}

/// Stage 3: references resolved, and the measurement rows checked against
/// the SLAs' targets (the rows move out of `loaded`).
fn resolve_stage(loaded: &mut load::Loaded, date: Date) -> (resolve::Resolved, measure::Report) {
    let mut resolved = resolve::resolve(
        &loaded.documents,
        &loaded.catalogues,
        &loaded.config,
        &loaded.files,
    );
    let measures = measured::check(
        &loaded.documents,
        &mut resolved,
        std::mem::take(&mut loaded.sheets),
        std::mem::take(&mut loaded.sheet_findings),
        date,
    );
    (resolved, measures)
}

/// Stage 4: the rules (with the load stage's findings, which move out of
/// `loaded`) and the readiness checks, side by side.
fn check_stage(
    loaded: &mut load::Loaded,
    resolved: &mut resolve::Resolved,
    measures: &measure::Report,
    control: &control::Control,
    date: Date,
) -> (Vec<Finding>, readiness::Readiness) {
    let parse_errors = std::mem::take(&mut loaded.findings);
    let input = check::Input {
        config: &loaded.config,
        catalogues: &loaded.catalogues,
        docs: &loaded.documents,
        resolved,
        measures,
        date,
        history: control,
    };
    let out = rayon::join(
        || check::run(&input, parse_errors),
        || readiness::assess(&input),
    );
    // The rules were the edges' last readers: rendering reads the
    // per-document lists made from them. (10,000 documents: about 10 MB.)
    resolved.edges = Vec::new();
    out
}

/// Waits for git's answers and judges the documents with them.
fn answers(
    asking: Asking,
    loaded: &load::Loaded,
    resolved: &resolve::Resolved,
    date: Date,
    kept: &mut control::Kept,
) -> (control::Control, Option<git::Revision>) {
    let (git, fresh) = match asking {
        // (A thread that panicked knows no revision.)
        Asking::Revision(h) => return (control::Control::default(), h.join().ok().flatten()),
        Asking::Kept(git) => (git, false),
        Asking::Git(h) => (
            h.join().unwrap_or_else(|_| {
                Err(git::history::GitError {
                    kind: git::history::ErrorKind::Failed,
                    message:
                        "reading the git history stopped unexpectedly: document history is skipped"
                            .into(),
                })
            }),
            true,
        ),
    };
    let out = match &git {
        Ok(g) => (
            control::judge(g, &loaded.documents, &resolved.edges, date, &mut kept.blobs),
            Some(g.revision()),
        ),
        Err(e) => (control::Control::skipped(Some(e.message.clone())), None),
    };
    if fresh {
        kept.put(git);
    }
    out
}

/// Template problems (syntax errors, a missing theme folder) as findings,
/// without rendering: what `build` would report, for `check`.
pub fn check_templates(c: &Checked) -> Vec<Finding> {
    let l = &c.loaded;
    match render::theme::load(&l.root, l.config.theme.as_deref(), &l.templates) {
        Ok(_) => Vec::new(),
        Err(f) => f,
    }
}

/// Renders for `audience` (`None`: the one set in `sms.yaml`, else
/// everything), handing each file to `sink` as soon as it is ready. The
/// manifest is not among them: it hashes what was written (see `write`).
pub fn render_into(
    c: &Checked,
    audience: Option<model::Classification>,
    sink: &dyn render::Sink,
) -> Result<(), Vec<Finding>> {
    render_parts_into(c, audience, render::Parts::All, sink)
}

/// Renders `parts` for `audience`; see [`render_into`].
pub fn render_parts_into(
    c: &Checked,
    audience: Option<model::Classification>,
    parts: render::Parts,
    sink: &dyn render::Sink,
) -> Result<(), Vec<Finding>> {
    render_parts_memo_into(c, audience, parts, None, &[], sink)
}

/// Renders `parts`, reusing the document pages of `memo` whose inputs did
/// not change (for `serve`); `focus`: the source files of the document
/// pages [`render::Parts::Focus`] renders. See [`render_into`].
pub fn render_parts_memo_into(
    c: &Checked,
    audience: Option<model::Classification>,
    parts: render::Parts,
    memo: Option<&render::Memo>,
    focus: &[String],
    sink: &dyn render::Sink,
) -> Result<(), Vec<Finding>> {
    let audience = audience
        .or(c.loaded.config.audience)
        .unwrap_or(model::Classification::Confidential);
    let docs = audience::redact(&c.loaded.documents, audience);
    let findings = audience::redact_findings(&c.findings, &c.loaded.documents, audience);
    render::render_parts(
        &render::Input {
            loaded: &c.loaded,
            docs: &docs,
            resolved: &c.resolved,
            measures: &c.measures,
            findings: &findings,
            readiness: &c.readiness,
            date: c.date,
            audience,
            revision: c.revision.as_ref(),
            memo,
            focus,
            history: &c.control,
            changes: c.changes.as_ref(),
        },
        parts,
        sink,
    )
}
