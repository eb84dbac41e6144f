//! The implementation progress page: for the SMS manager while the SMS
//! is being put in place (certification step 2), how far each clause has
//! come: per applicable leaf requirement, whether it has approved
//! evidence (or another party's), a document in review, drafts only, or
//! nothing yet; counted per top-level clause and in total, drawn as a
//! chart, listed requirement by requirement, and exported as CSV and JSON
//! beside the page.

use serde::Serialize;

use super::export::{CsvWriter, export};
use super::links::{DocLink, doc_link};
use super::site::{Errors, Site};
use super::{RenderError, Sink, svg};
use crate::address;
use crate::model::Status;
use crate::resolve::Cover;

/// How far a requirement has come, furthest first.
#[derive(Serialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Approved evidence, or declared operated by another party.
    Approved,
    /// A document that would cover it is in review.
    InReview,
    /// Only drafts would cover it.
    DraftOnly,
    /// No document names it.
    Nothing,
}

impl Stage {
    pub const ALL: [Stage; 4] = [
        Stage::Approved,
        Stage::InReview,
        Stage::DraftOnly,
        Stage::Nothing,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Stage::Approved => "approved evidence",
            Stage::InReview => "in review",
            Stage::DraftOnly => "draft only",
            Stage::Nothing => "nothing yet",
        }
    }
    pub fn class(self) -> &'static str {
        match self {
            Stage::Approved => "approved",
            Stage::InReview => "in-review",
            Stage::DraftOnly => "draft-only",
            Stage::Nothing => "nothing",
        }
    }
}

/// Counts of applicable leaf requirements per stage (in `Stage::ALL` order).
#[derive(Serialize, Clone, Default, Debug)]
pub struct Counts {
    pub approved: usize,
    pub in_review: usize,
    pub draft_only: usize,
    pub nothing: usize,
    pub total: usize,
    /// Whole per cent approved (0 when there is nothing to approve).
    pub percent: usize,
}

impl Counts {
    fn add(&mut self, s: Stage) {
        match s {
            Stage::Approved => self.approved += 1,
            Stage::InReview => self.in_review += 1,
            Stage::DraftOnly => self.draft_only += 1,
            Stage::Nothing => self.nothing += 1,
        }
        self.total += 1;
        self.percent = (self.approved * 100).checked_div(self.total).unwrap_or(0);
    }
    pub fn get(&self, s: Stage) -> usize {
        match s {
            Stage::Approved => self.approved,
            Stage::InReview => self.in_review,
            Stage::DraftOnly => self.draft_only,
            Stage::Nothing => self.nothing,
        }
    }
}

/// A top-level clause (or catalogue root) and its counts.
#[derive(Serialize, Clone)]
pub struct ClauseProgress {
    pub key: String,
    pub title: String,
    pub url: String,
    pub counts: Counts,
}

/// An applicable leaf requirement, its stage and the documents behind it.
#[derive(Serialize, Clone)]
pub struct ReqProgress<'a> {
    pub key: String,
    pub title: String,
    pub clause: String,
    pub url: String,
    pub stage: Stage,
    pub stage_label: &'static str,
    pub evidence: Vec<DocLink<'a>>,
    pub pending: Vec<DocLink<'a>>,
}

/// The page's rows, built from the resolved coverage.
pub struct Progress<'a> {
    pub clauses: Vec<ClauseProgress>,
    pub reqs: Vec<ReqProgress<'a>>,
    pub total: Counts,
    /// Documents by status: draft, review, approved, retired.
    pub documents: [(&'static str, usize); 4],
}

impl<'a> Progress<'a> {
    pub fn build(site: &Site<'a>) -> Progress<'a> {
        let input = site.input;
        let cats = &input.loaded.catalogues;
        let docs = input.docs;
        let mut clauses = Vec::new();
        let mut reqs = Vec::new();
        let mut total = Counts::default();
        for cat in &cats.list {
            for &top in cat.reqs.iter().filter(|&&q| cats.reqs[q].parent.is_none()) {
                let mut counts = Counts::default();
                for &q in cat
                    .reqs
                    .iter()
                    .filter(|&&q| cats.reqs[q].is_leaf() && root_of(cats, q) == top)
                {
                    let c = &input.resolved.coverage[q];
                    let stage = match c.cover {
                        Cover::NotApplicable => continue,
                        cover if cover.is_covered() => Stage::Approved,
                        _ if c_has(&c.pending, docs, Status::Review) => Stage::InReview,
                        _ if !c.pending.is_empty() => Stage::DraftOnly,
                        _ => Stage::Nothing,
                    };
                    counts.add(stage);
                    total.add(stage);
                    let r = &cats.reqs[q];
                    reqs.push(ReqProgress {
                        key: r.key.clone(),
                        title: r.title.clone(),
                        clause: cats.reqs[top].key.clone(),
                        url: address::req(&r.key),
                        stage,
                        stage_label: stage.label(),
                        evidence: c.evidence.iter().map(|&d| doc_link(&docs[d])).collect(),
                        pending: c.pending.iter().map(|&d| doc_link(&docs[d])).collect(),
                    });
                }
                clauses.push(ClauseProgress {
                    key: cats.reqs[top].key.clone(),
                    title: cats.reqs[top].title.clone(),
                    url: address::req(&cats.reqs[top].key),
                    counts,
                });
            }
        }
        let visible = || {
            (0..docs.len())
                .filter(|&i| site.canonical(i))
                .map(|i| &docs[i])
        };
        let of = |s: Status| visible().filter(|d| d.status == s).count();
        Progress {
            clauses,
            reqs,
            total,
            documents: [
                ("draft", of(Status::Draft)),
                ("review", of(Status::Review)),
                ("approved", of(Status::Approved)),
                ("retired", of(Status::Retired)),
            ],
        }
    }
}

/// Whether any of `docs` (indexes) has status `s`.
fn c_has(list: &[usize], docs: &[crate::model::Document], s: Status) -> bool {
    list.iter().any(|&d| docs[d].status == s)
}

/// The top-level requirement above `q`.
fn root_of(cats: &crate::catalogue::Catalogues, mut q: usize) -> usize {
    while let Some(p) = cats.reqs[q].parent {
        q = p;
    }
    q
}

const HEADER: &[&str] = &[
    "requirement",
    "title",
    "clause",
    "stage",
    "evidence",
    "pending",
];

fn record(r: &ReqProgress, w: &mut CsvWriter) -> csv::Result<()> {
    let evidence: Vec<&str> = r.evidence.iter().map(|d| d.id).collect();
    let pending: Vec<String> = r
        .pending
        .iter()
        .map(|d| format!("{} ({})", d.id, d.status))
        .collect();
    w.write_record([
        r.key.as_str(),
        &r.title,
        &r.clause,
        r.stage.class(),
        &evidence.join(" "),
        &pending.join(" "),
    ])
}

/// The family's entry point.
pub fn render(site: &Site, sink: &dyn Sink) -> Result<(), RenderError> {
    let p = Progress::build(site);
    let errs = Errors::default();
    let (p, errs_ref) = (&p, &errs);
    rayon::scope(|s| {
        export(s, sink, address::PROGRESS, HEADER, &p.reqs, record);
        s.spawn(move |_| {
            let mut c = tera::Context::new();
            c.insert("title", "Implementation progress");
            c.insert("clauses", &p.clauses);
            c.insert("reqs", &p.reqs);
            c.insert("total", &p.total);
            c.insert("documents", &p.documents);
            let stages: Vec<(&str, &str)> =
                Stage::ALL.iter().map(|s| (s.class(), s.label())).collect();
            c.insert("stages", &stages);
            c.insert(
                "chart_svg",
                &svg::progress_chart(&p.clauses, &address::root(address::PROGRESS)),
            );
            errs_ref.emit(sink, site.page("progress.html", address::PROGRESS, c));
        });
    });
    errs.result()
}
