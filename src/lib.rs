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
//!          matter, parse YAML, type each document     -> Loaded
//! resolve  index ids and files, resolve refs, links, anchors,
//!          satisfies and applicability; back-links, coverage -> Resolved
//! check    one file per rule                           -> Vec<Finding>
//! render   Markdown to HTML, Tera pages, matrices, CSV/JSON exports
//!                                                      -> Vec<Output>
//! write    into a temporary folder, swapped in whole
//! ```
//!
//! `build` runs it once; `serve` keeps the outputs in memory and reruns it
//! on every change. Supporting modules: `config` (sms.yaml), `catalogue`
//! (requirement catalogues), `model` (kinds, fields, documents), `markdown`
//! (scanning and rendering bodies), `yamlpos` (source positions in YAML),
//! `diag` (findings and how they are printed), `scaffold` (`smsite init`).

pub mod catalogue;
pub mod check;
pub mod config;
pub mod diag;
pub mod load;
pub mod markdown;
pub mod model;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod serve;
pub mod write;
pub mod yamlpos;

use std::path::Path;

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
    pub findings: Vec<Finding>,
    pub date: Date,
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
    let mut loaded = load::load_cached(
        root,
        &load::LoadOptions {
            skip: opts.skip.clone(),
        },
        cache,
    )?;
    let t_load = t.elapsed();
    let resolved = resolve::resolve(
        &loaded.documents,
        &loaded.catalogues,
        &loaded.config,
        &loaded.files,
    );
    let t_resolve = t.elapsed();
    let parse_errors = std::mem::take(&mut loaded.findings);
    let findings = check::run(
        &check::Input {
            config: &loaded.config,
            catalogues: &loaded.catalogues,
            docs: &loaded.documents,
            resolved: &resolved,
            date: opts.date,
        },
        parse_errors,
    );
    if std::env::var_os("SMSITE_TIMING").is_some() {
        eprintln!(
            "timing: load {} ms, resolve {} ms, check {} ms",
            t_load.as_millis(),
            (t_resolve - t_load).as_millis(),
            (t.elapsed() - t_resolve).as_millis()
        );
    }
    Ok(Checked {
        loaded,
        resolved,
        findings,
        date: opts.date,
    })
}

/// Renders a checked repository; template errors come back as findings.
pub fn render(c: &Checked) -> Result<Vec<render::Output>, Vec<Finding>> {
    render::render(&render::Input {
        loaded: &c.loaded,
        resolved: &c.resolved,
        findings: &c.findings,
        date: c.date,
    })
}
