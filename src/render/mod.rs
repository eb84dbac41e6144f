//! Stage 5, render: turn the resolved repository into the site's files, in
//! memory, handing each to a [`Sink`] as soon as it is ready (`build`
//! writes it at once, `serve` keeps it).
//!
//! The site is made of **page families**, each a module with one entry
//! point, `render(&Site, &dyn Sink) -> Result<(), RenderError>`, and its own
//! templates' contexts; they are listed once, in [`FAMILIES`], and run in
//! parallel. What they share is made once per render, in [`Site`]. Each
//! page's HTML depends on its own neighbourhood, never on the size of the
//! repository (navigation lists kinds, not documents).
//!
//! Families: `document` (a page per document), `requirement` (a page per
//! requirement), `kinds` (an index per kind), `matrix` (register,
//! statement of applicability, matrices and their CSV/JSON exports, and the
//! home page with their summary), `search` (the search index), `pack` (the
//! evidence pack), `model` (`model.json`), `readiness` (the readiness
//! page), `progress` (implementation progress per clause), `customers`
//! (the customers index, and the sections of customer and service pages),
//! `complaints` (the complaints register), `changes` (what changed since a
//! revision), `audits` (the audit programme and each audit's checklist
//! exports), `nonconformities` (the nonconformity register), `reporting`
//! (the service reporting page and its exports), `monthly` (the monthly
//! service reports), `pages` (findings, 404, the restricted notice, static
//! files). `reviews` gives management reviews' pages their section.
//!
//! Helpers: `site` (what the families share, how a page is written),
//! `links` (links as pages show them), `export` (CSV and JSON beside a
//! page), `layout` (header, navigation and
//! footer, rendered once per depth), `theme` (templates and static files),
//! `svg` (pictures drawn at build time), `sla_results` (the charts of an
//! SLA's page), `memo` (`serve`'s page hashes).
//! Every path comes from `address`.

pub mod audits;
pub mod changes;
pub mod complaints;
pub mod customers;
pub mod document;
pub mod export;
pub mod home;
pub mod kinds;
pub mod layout;
pub mod links;
pub mod matrix;
pub mod memo;
pub mod model;
pub mod monthly;
pub mod nonconformities;
pub mod pack;
pub mod pages;
pub mod progress;
pub mod readiness;
pub mod reporting;
pub mod requirement;
pub mod reviews;
pub mod search;
pub mod site;
pub mod sla_results;
pub mod svg;
pub mod theme;

pub use links::{DocLink, ReqLink, ReqLinks};
pub use memo::Memo;
pub use site::Site;

use crate::diag::Finding;
use crate::load::Loaded;
use crate::model::{Classification, Document};
use crate::resolve::Resolved;

/// One file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path inside the site, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Where rendered files go, from any thread: `build` writes each one at
/// once, `serve` keeps them in memory. Any `Fn(Output)` is a sink.
pub trait Sink: Sync {
    fn put(&self, file: Output);
    /// A large file (the evidence pack, `model.json`) produced piece by
    /// piece by `fill`, so that a sink writing to disk never holds it
    /// whole. By default the pieces are collected and `put`.
    fn stream(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) {
        let mut bytes = Vec::new();
        // Writing into a Vec cannot fail.
        if fill(&mut bytes).is_ok() {
            self.put(Output {
                path: path.to_string(),
                bytes,
            });
        }
    }
}

impl<F: Fn(Output) + Sync> Sink for F {
    fn put(&self, file: Output) {
        self(file)
    }
}

/// What render reads.
pub struct Input<'a> {
    pub loaded: &'a Loaded,
    /// The documents to render: `loaded.documents`, with those above the
    /// audience redacted (see `audience`).
    pub docs: &'a [Document],
    pub resolved: &'a Resolved,
    /// The measurements, checked against the SLAs' targets.
    pub measures: &'a crate::measure::Report,
    pub findings: &'a [Finding],
    /// Readiness for certification (the readiness page).
    pub readiness: &'a crate::readiness::Readiness,
    pub date: jiff::civil::Date,
    /// The highest classification published.
    pub audience: Classification,
    /// The source revision, shown in every page's footer.
    pub revision: Option<&'a crate::git::Revision>,
    /// Pages kept from the previous render (`serve`): a document page whose
    /// inputs did not change is not rendered again.
    pub memo: Option<&'a Memo>,
    /// Source files whose documents' pages [`Parts::Focus`] renders.
    pub focus: &'a [String],
    /// Document control over time: each document's revision history.
    pub history: &'a crate::control::Control,
    /// What changed since a revision (the Changes page), if compared.
    pub changes: Option<&'a crate::diff::Changes>,
}

/// A render failure (a template error), as findings.
pub type RenderError = Vec<Finding>;

/// A family of pages (see the module docs).
pub struct Family {
    /// Its name, in `SMSITE_TIMING=1` output.
    pub name: &'static str,
    /// Whether a render of these parts makes its files.
    pub runs: fn(Parts) -> bool,
    /// It waits for what another family hands over (the evidence pack waits
    /// for the document pages' bodies): it runs on a thread of its own,
    /// never taking one of the pool's while it waits.
    pub waits: bool,
    pub render: fn(&Site, &dyn Sink) -> Result<(), RenderError>,
}

/// Every family of the site. Started in this order on purpose: the thread
/// that starts them takes the last first (the document pages, in small
/// pieces any thread can share), the other takes the first (the long
/// pieces: model, matrices, search index, kind indexes), then both share
/// the pages left, so neither waits alone at the end.
pub const FAMILIES: &[Family] = &[
    family("evidence pack", Parts::aggregates, true, pack::render),
    family("model.json", Parts::aggregates, false, model::render),
    // Long pieces with measurements (dozens of monthly reports of every
    // target, the 12-month grid): started early, not left for the end.
    family(
        "monthly service reports",
        Parts::aggregates,
        false,
        monthly::render,
    ),
    family(
        "service reporting",
        Parts::aggregates,
        false,
        reporting::render,
    ),
    family(
        "matrices and home",
        Parts::aggregates,
        false,
        matrix::render,
    ),
    family("search index", Parts::aggregates, false, search::render),
    family("kind indexes", Parts::aggregates, false, kinds::render),
    family("readiness", Parts::aggregates, false, readiness::render),
    family("progress", Parts::aggregates, false, progress::render),
    family("customers", Parts::aggregates, false, customers::render),
    family("complaints", Parts::aggregates, false, complaints::render),
    family("changes", Parts::aggregates, false, changes::render),
    family("audit programme", Parts::aggregates, false, audits::render),
    family(
        "nonconformity register",
        Parts::aggregates,
        false,
        nonconformities::render,
    ),
    family(
        "requirement pages",
        Parts::pages,
        false,
        requirement::render,
    ),
    // Always: with the aggregates alone it still makes the pack's bodies.
    family("document pages", Parts::always, false, document::render),
    family("small pages", Parts::pages, false, pages::render),
];

const fn family(
    name: &'static str,
    runs: fn(Parts) -> bool,
    waits: bool,
    render: fn(&Site, &dyn Sink) -> Result<(), RenderError>,
) -> Family {
    Family {
        name,
        runs,
        waits,
        render,
    }
}

/// Which files to render. `serve` renders the pages first and publishes
/// them (tabs reload), then the aggregates that every document feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parts {
    All,
    /// Document and requirement pages, the findings, 404 and restricted pages, static files.
    Pages,
    /// Home, register, applicability, matrices, kind indexes, exports,
    /// search index, evidence pack and `model.json`.
    Aggregates,
    /// Only the pages of the documents read from `Input::focus` (`serve`
    /// publishes the edited document's page before any other).
    Focus,
}

impl Parts {
    /// Document pages (all, or those in focus).
    pub fn documents(self) -> bool {
        self != Parts::Aggregates
    }
    /// The other pages and static files.
    pub fn pages(self) -> bool {
        matches!(self, Parts::All | Parts::Pages)
    }
    pub fn aggregates(self) -> bool {
        matches!(self, Parts::All | Parts::Aggregates)
    }
    /// Every render.
    pub fn always(self) -> bool {
        true
    }
}

/// Renders `parts` of the site (see [`Parts`]): every family that runs for
/// them, concurrently (see [`FAMILIES`]), each file handed to `sink` as
/// soon as it is ready, from any thread.
pub fn render_parts(input: &Input, parts: Parts, sink: &dyn Sink) -> Result<(), RenderError> {
    let site = Site::new(input, parts)?;
    let site = &site;
    let errs = std::sync::Mutex::new(Vec::new());
    let run = |f: &Family| {
        if let Err(e) = (f.render)(site, sink)
            && let Ok(mut all) = errs.lock()
        {
            all.extend(e);
        }
        site.done(f.name);
    };
    let run = &run;
    let chosen = || FAMILIES.iter().filter(|f| (f.runs)(parts));
    std::thread::scope(|threads| {
        for f in chosen().filter(|f| f.waits) {
            threads.spawn(move || run(f));
        }
        rayon::scope(|s| {
            for f in chosen().filter(|f| !f.waits) {
                s.spawn(move |_| run(f));
            }
        });
    });
    let errs = errs.into_inner().unwrap_or_default();
    if errs.is_empty() { Ok(()) } else { Err(errs) }
}
