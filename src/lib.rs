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
//!   rules, one file each under `src/check/`.
//! - **Rendering.** [`audience`] redacts documents above the build's
//!   audience; [`render`] runs the page families (one module each under
//!   `src/render/`, listed in `render::FAMILIES`); [`address`] is the one
//!   place every path of the site and every relative link is made.
//! - **Writing and trust.** [`write`] stages the site and swaps it in;
//!   [`manifest`] hashes what was written (`smsite verify`); [`git`] tells
//!   the revision the sources came from.
//! - **Around.** [`diag`] is what a finding is; [`report`] prints findings
//!   (human or JSON); [`serve`] is the live preview; [`scaffold`] is
//!   `smsite init`.
//!
//! No module imports one that imports it back (`tests/layout.rs` checks
//! the graph).

pub mod address;
pub mod audience;
pub mod catalogue;
pub mod check;
pub mod config;
pub mod diag;
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
    let t = std::time::Instant::now();
    // git answers (one or two processes, a few milliseconds) while the
    // repository loads, not after.
    let revision = {
        let (root, skip) = (root.to_path_buf(), opts.skip.clone());
        std::thread::spawn(move || git::revision(&root, &skip))
    };
    let mut loaded = load::load_cached(
        root,
        &load::LoadOptions {
            skip: opts.skip.clone(),
        },
        cache,
    )?;
    let t_load = t.elapsed();
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
        opts.date,
    );
    let t_resolve = t.elapsed();
    let parse_errors = std::mem::take(&mut loaded.findings);
    let input = check::Input {
        config: &loaded.config,
        catalogues: &loaded.catalogues,
        docs: &loaded.documents,
        resolved: &resolved,
        measures: &measures,
        date: opts.date,
    };
    let (findings, readiness) = rayon::join(
        || check::run(&input, parse_errors),
        || readiness::assess(&input),
    );
    // The rules were the edges' last readers: rendering reads the
    // per-document lists made from them. (10,000 documents: about 10 MB.)
    resolved.edges = Vec::new();
    if std::env::var_os("SMSITE_TIMING").is_some() {
        eprintln!(
            "timing: load {} ms, resolve and measurements {} ms, check {} ms",
            t_load.as_millis(),
            (t_resolve - t_load).as_millis(),
            (t.elapsed() - t_resolve).as_millis()
        );
    }
    // (A thread that panicked knows no revision.)
    let revision = revision.join().ok().flatten();
    Ok(Checked {
        loaded,
        resolved,
        measures,
        findings,
        date: opts.date,
        revision,
        readiness,
    })
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
        },
        parts,
        sink,
    )
}
