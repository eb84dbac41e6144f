//! The traceability matrices and registers, built once as plain rows and
//! written three ways: an HTML page, CSV and JSON beside it (the document
//! register, the statement of applicability, requirements × evidence,
//! services × SLAs × continuity plans × suppliers, documents due for
//! review). The home page shows their summary: it is rendered with them.

use serde::Serialize;

use super::export::export;
use super::links::{DocLink, doc_link};
use super::site::{Errors, Site};
use super::{Input, RenderError, Sink, home, svg};
use crate::address;
use crate::config::SoaStatus;
use crate::model::{Document, Status};
use crate::resolve::Cover;

/// The family's entry point: the matrices' pages and exports, then the home page.
pub fn render(site: &Site, sink: &dyn Sink) -> Result<(), RenderError> {
    let errs = Errors::default();
    let m = Matrices::build(site.input);
    let (m, errs_ref) = (&m, &errs);
    rayon::scope(|s| {
        s.spawn(move |_| m.exports(sink));
        for (tpl, path, title) in Matrices::PAGES {
            s.spawn(move |_| {
                let mut ctx = m.page_context(path, title);
                // Pictures drawn at build time (see `svg`).
                let root = address::root(path);
                match path {
                    address::MATRIX_SERVICES => {
                        ctx.insert("graph_svg", &svg::dependency_graph(&m.services, &root))
                    }
                    address::MATRIX_REVIEWS => ctx.insert(
                        "calendar_svg",
                        &svg::review_calendar(&m.reviews, site.input.date, &root),
                    ),
                    _ => {}
                }
                errs_ref.note(site.stream_page(sink, tpl, path, ctx));
            });
        }
    });
    errs.emit(sink, home::page(site, m));
    errs.result()
}

/// A row of the document register (and of a kind's index). Borrowed from
/// the documents: the register is built for every document, twice over.
#[derive(Serialize, Clone)]
pub struct RegisterRow<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub kind: &'a str,
    pub version: &'a str,
    pub owner: &'a str,
    pub status: &'static str,
    pub approved_by: &'a str,
    pub approved_on: String,
    pub review_by: String,
    pub classification: &'static str,
    pub file: &'a str,
    pub url: String,
}

pub fn register_row(d: &Document) -> RegisterRow<'_> {
    RegisterRow {
        id: &d.id,
        title: &d.title,
        kind: &d.kind,
        version: d.version.as_deref().unwrap_or_default(),
        owner: d.owner.as_deref().unwrap_or_default(),
        status: d.status.as_str(),
        approved_by: d.approved_by.as_deref().unwrap_or_default(),
        approved_on: d.approved_on.map(|x| x.to_string()).unwrap_or_default(),
        review_by: d.review_by.map(|x| x.to_string()).unwrap_or_default(),
        classification: d.classification.as_str(),
        file: if crate::audience::is_restricted(d) {
            ""
        } else {
            &d.file
        },
        url: address::page(d),
    }
}

/// A row of the requirement × evidence matrix.
#[derive(Serialize, Clone)]
pub struct ReqRow<'a> {
    pub catalogue: String,
    pub key: String,
    pub id: String,
    pub title: String,
    pub depth: usize,
    pub leaf: bool,
    pub cover: Cover,
    pub leaves: usize,
    pub leaves_covered: usize,
    pub evidence: Vec<DocLink<'a>>,
    pub pending: Vec<DocLink<'a>>,
    pub applicability: String,
    pub url: String,
}

/// A row of the service × SLA × continuity plan × supplier matrix.
#[derive(Serialize, Clone)]
pub struct ServiceRow<'a> {
    pub id: String,
    pub title: String,
    pub url: String,
    pub criticality: String,
    pub status: String,
    pub slas: Vec<DocLink<'a>>,
    pub continuity_plans: Vec<DocLink<'a>>,
    pub suppliers: Vec<DocLink<'a>>,
    pub depends_on: Vec<DocLink<'a>>,
    /// Needs a plan (high/critical) and has none.
    pub plan_missing: bool,
    /// Customer documents: the ids of its `customers:` list that are
    /// customers, then the live customers whose `services:` list it.
    pub customers: Vec<DocLink<'a>>,
    /// The other names of its `customers:` list.
    pub customer_names: Vec<String>,
}

/// A row of the documents-due-for-review list.
#[derive(Serialize, Clone)]
pub struct ReviewRow<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub kind: &'a str,
    pub owner: &'a str,
    pub status: &'static str,
    pub review_by: String,
    pub days: i64,
    /// `overdue`, `due` (within 90 days) or `scheduled`.
    pub state: &'static str,
    pub url: String,
}

/// A row of the statement of applicability.
#[derive(Serialize, Clone)]
pub struct SoaRow<'a> {
    pub key: String,
    pub title: String,
    pub depth: usize,
    pub leaf: bool,
    pub applicability: String,
    pub justification: String,
    pub party: String,
    pub evidence: Vec<DocLink<'a>>,
    pub url: String,
}

/// Coverage of a top-level clause (home page).
#[derive(Serialize, Clone)]
pub struct ClauseRow {
    pub key: String,
    pub title: String,
    pub url: String,
    pub leaves: usize,
    pub covered: usize,
    pub percent: usize,
}

#[derive(Serialize, Clone, Default)]
pub struct Summary {
    pub documents: usize,
    pub approved: usize,
    pub requirements: usize,
    pub covered: usize,
    pub percent: usize,
    pub services: usize,
    pub errors: usize,
    pub warnings: usize,
    pub due: usize,
    pub overdue: usize,
}

pub struct Matrices<'a> {
    pub register: Vec<RegisterRow<'a>>,
    pub requirements: Vec<ReqRow<'a>>,
    pub services: Vec<ServiceRow<'a>>,
    pub reviews: Vec<ReviewRow<'a>>,
    pub soa: Vec<SoaRow<'a>>,
    pub clauses: Vec<ClauseRow>,
    pub summary: Summary,
}

fn ids(v: &[DocLink]) -> String {
    v.iter().map(|d| d.id).collect::<Vec<_>>().join(" ")
}

impl<'a> Matrices<'a> {
    pub fn build(input: &'a Input) -> Matrices<'a> {
        let l = input.loaded;
        let res = input.resolved;
        let cats = &l.catalogues;
        let docs = input.docs;
        let canonical = |i: usize| res.by_id.get(&docs[i].id) == Some(&i);

        let mut register: Vec<RegisterRow> = (0..docs.len())
            .filter(|&i| canonical(i))
            .map(|i| register_row(&docs[i]))
            .collect();
        register.sort_by(|a, b| a.id.cmp(b.id));

        let applicability = |q: usize| -> String {
            let c = &res.coverage[q];
            match c.soa.map(|e| l.config.applicability[e].status) {
                Some(SoaStatus::NotApplicable) => "not-applicable".into(),
                Some(SoaStatus::OtherParty) => "other-party".into(),
                _ => "applicable".into(),
            }
        };
        let mut requirements = Vec::new();
        let mut soa = Vec::new();
        for cat in &cats.list {
            for &q in &cat.reqs {
                let r = &cats.reqs[q];
                let c = &res.coverage[q];
                requirements.push(ReqRow {
                    catalogue: cat.name.clone(),
                    key: r.key.clone(),
                    id: r.id.clone(),
                    title: r.title.clone(),
                    depth: cats.depth(q),
                    leaf: r.is_leaf(),
                    cover: c.cover,
                    leaves: c.leaves,
                    leaves_covered: c.leaves_covered,
                    evidence: c.evidence.iter().map(|&d| doc_link(&docs[d])).collect(),
                    pending: c.pending.iter().map(|&d| doc_link(&docs[d])).collect(),
                    applicability: if r.is_leaf() {
                        applicability(q)
                    } else {
                        String::new()
                    },
                    url: address::req(&cats.reqs[q].key),
                });
                let entry = c.soa.map(|e| &l.config.applicability[e]);
                soa.push(SoaRow {
                    key: r.key.clone(),
                    title: r.title.clone(),
                    depth: cats.depth(q),
                    leaf: r.is_leaf(),
                    applicability: if r.is_leaf() {
                        applicability(q)
                    } else {
                        String::new()
                    },
                    justification: entry
                        .and_then(|e| e.justification.clone())
                        .unwrap_or_default(),
                    party: entry.and_then(|e| e.party.clone()).unwrap_or_default(),
                    evidence: match entry {
                        Some(e) if e.status == SoaStatus::OtherParty => e
                            .evidence
                            .iter()
                            .filter_map(|id| res.by_id.get(id))
                            .map(|&d| doc_link(&docs[d]))
                            .collect(),
                        _ => c.evidence.iter().map(|&d| doc_link(&docs[d])).collect(),
                    },
                    url: address::req(&cats.reqs[q].key),
                });
            }
        }

        // Services: who covers whom, through an index built once.
        let mut slas_of: std::collections::HashMap<&str, Vec<usize>> = Default::default();
        let mut plans_of: std::collections::HashMap<&str, Vec<usize>> = Default::default();
        let mut customers_of: std::collections::HashMap<&str, Vec<usize>> = Default::default();
        for (i, d) in docs.iter().enumerate() {
            if !d.is_live() || !canonical(i) {
                continue;
            }
            match d.kind.as_str() {
                "sla" => d
                    .refs_of("service")
                    .for_each(|s| slas_of.entry(s).or_default().push(i)),
                "continuity-plan" => d
                    .refs_of("covers")
                    .for_each(|s| plans_of.entry(s).or_default().push(i)),
                "customer" => d
                    .refs_of("services")
                    .for_each(|s| customers_of.entry(s).or_default().push(i)),
                _ => {}
            }
        }
        let link_ids = |list: &mut dyn Iterator<Item = &str>| -> Vec<DocLink<'a>> {
            list.filter_map(|id| res.by_id.get(id))
                .map(|&t| doc_link(&docs[t]))
                .collect()
        };
        let mut services: Vec<ServiceRow> = docs
            .iter()
            .enumerate()
            .filter(|(i, d)| d.kind == "service" && canonical(*i))
            .map(|(_, s)| {
                let crit = s.text("criticality").unwrap_or_default();
                let (customers, customer_names) =
                    customers(s, customers_of.get(s.id.as_str()), docs, res);
                let plans: Vec<DocLink<'a>> = plans_of
                    .get(s.id.as_str())
                    .into_iter()
                    .flatten()
                    .map(|&p| doc_link(&docs[p]))
                    .collect();
                ServiceRow {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    url: address::page(s),
                    plan_missing: (crit == "high" || crit == "critical")
                        && plans.is_empty()
                        && s.is_live(),
                    criticality: crit,
                    status: s.status.as_str().into(),
                    slas: slas_of
                        .get(s.id.as_str())
                        .into_iter()
                        .flatten()
                        .map(|&p| doc_link(&docs[p]))
                        .collect(),
                    continuity_plans: plans,
                    suppliers: link_ids(&mut s.refs_of("suppliers")),
                    depends_on: link_ids(&mut s.refs_of("depends_on")),
                    customers,
                    customer_names,
                }
            })
            .collect();
        services.sort_by(|a, b| a.id.cmp(&b.id));

        let mut reviews: Vec<ReviewRow> = docs
            .iter()
            .enumerate()
            .filter(|(i, d)| d.is_live() && canonical(*i))
            .filter_map(|(_, d)| {
                let r = d.review_by?;
                let days = crate::model::days_between(input.date, r);
                Some(ReviewRow {
                    id: &d.id,
                    title: &d.title,
                    kind: &d.kind,
                    owner: d.owner.as_deref().unwrap_or_default(),
                    status: d.status.as_str(),
                    review_by: r.to_string(),
                    days,
                    state: if days < 0 {
                        "overdue"
                    } else if days <= 90 {
                        "due"
                    } else {
                        "scheduled"
                    },
                    url: address::page(d),
                })
            })
            .collect();
        reviews.sort_by(|a, b| (&a.review_by, &a.id).cmp(&(&b.review_by, &b.id)));

        let mut clauses = Vec::new();
        for cat in &cats.list {
            for &q in cat.reqs.iter().filter(|&&q| cats.reqs[q].parent.is_none()) {
                let c = &res.coverage[q];
                clauses.push(ClauseRow {
                    key: cats.reqs[q].key.clone(),
                    title: cats.reqs[q].title.clone(),
                    url: address::req(&cats.reqs[q].key),
                    leaves: c.leaves,
                    covered: c.leaves_covered,
                    percent: (c.leaves_covered * 100)
                        .checked_div(c.leaves)
                        .unwrap_or(100),
                });
            }
        }
        let leaves: Vec<usize> = (0..cats.reqs.len())
            .filter(|&q| cats.reqs[q].is_leaf())
            .collect();
        let covered = leaves
            .iter()
            .filter(|&&q| res.coverage[q].cover.is_covered())
            .count();
        let summary = Summary {
            documents: register.len(),
            approved: register
                .iter()
                .filter(|r| r.status == Status::Approved.as_str())
                .count(),
            requirements: leaves.len(),
            covered,
            percent: (covered * 100).checked_div(leaves.len()).unwrap_or(100),
            services: services.len(),
            errors: input
                .findings
                .iter()
                .filter(|f| f.severity == crate::diag::Severity::Error)
                .count(),
            warnings: input
                .findings
                .iter()
                .filter(|f| f.severity == crate::diag::Severity::Warning)
                .count(),
            due: reviews.iter().filter(|r| r.state == "due").count(),
            overdue: reviews.iter().filter(|r| r.state == "overdue").count(),
        };
        Matrices {
            register,
            requirements,
            services,
            reviews,
            soa,
            clauses,
            summary,
        }
    }

    /// The HTML pages, as (template, path, title).
    pub const PAGES: [(&'static str, &'static str, &'static str); 5] = [
        ("register.html", address::REGISTER, "Document register"),
        ("soa.html", address::SOA, "Statement of applicability"),
        (
            "matrix-requirements.html",
            address::MATRIX_REQUIREMENTS,
            "Requirements × evidence",
        ),
        (
            "matrix-services.html",
            address::MATRIX_SERVICES,
            "Services × SLAs × continuity plans × suppliers",
        ),
        (
            "matrix-reviews.html",
            address::MATRIX_REVIEWS,
            "Documents due for review",
        ),
    ];

    /// The context of one of [`Self::PAGES`], built when that page is
    /// rendered: as template values the rows take several times their
    /// size, and all five at once were a large share of the peak memory.
    pub fn page_context(&self, path: &str, title: &str) -> tera::Context {
        use tera::Value;
        let rows = match path {
            address::REGISTER => Value::from_serializable(&self.register),
            address::SOA => Value::from_serializable(&self.soa),
            address::MATRIX_REQUIREMENTS => Value::from_serializable(&self.requirements),
            address::MATRIX_SERVICES => Value::from_serializable(&self.services),
            _ => Value::from_serializable(&self.reviews),
        };
        let mut c = tera::Context::new();
        c.insert_value("rows", rows);
        c.insert("title", title);
        c
    }

    /// CSV and JSON beside each matrix page, each file written as it is
    /// made (the 10,000-document register is 6 MB in both forms) and in a
    /// task of its own (the largest take as long as a few hundred pages:
    /// one after the other they ended the build alone).
    pub fn exports(&self, sink: &dyn Sink) {
        rayon::scope(|s| {
            export(
                s,
                sink,
                address::REGISTER,
                &[
                    "id",
                    "title",
                    "kind",
                    "version",
                    "owner",
                    "status",
                    "approved_by",
                    "approved_on",
                    "review_by",
                    "classification",
                    "file",
                ],
                &self.register,
                |r, w| {
                    w.write_record([
                        r.id,
                        r.title,
                        r.kind,
                        r.version,
                        r.owner,
                        r.status,
                        r.approved_by,
                        &r.approved_on,
                        &r.review_by,
                        r.classification,
                        r.file,
                    ])
                },
            );
            export(
                s,
                sink,
                address::SOA,
                &[
                    "requirement",
                    "title",
                    "leaf",
                    "applicability",
                    "justification",
                    "party",
                    "evidence",
                ],
                &self.soa,
                |r, w| {
                    w.write_record([
                        &r.key,
                        &r.title,
                        &r.leaf.to_string(),
                        &r.applicability,
                        &r.justification,
                        &r.party,
                        &ids(&r.evidence),
                    ])
                },
            );
            export(
                s,
                sink,
                address::MATRIX_REQUIREMENTS,
                &[
                    "catalogue",
                    "requirement",
                    "title",
                    "leaf",
                    "coverage",
                    "leaves",
                    "leaves_covered",
                    "evidence",
                    "pending",
                    "applicability",
                ],
                &self.requirements,
                |r, w| {
                    w.write_record([
                        r.catalogue.as_str(),
                        &r.key,
                        &r.title,
                        &r.leaf.to_string(),
                        cover_name(r.cover),
                        &r.leaves.to_string(),
                        &r.leaves_covered.to_string(),
                        &ids(&r.evidence),
                        &ids(&r.pending),
                        &r.applicability,
                    ])
                },
            );
            export(
                s,
                sink,
                address::MATRIX_SERVICES,
                &[
                    "service",
                    "title",
                    "criticality",
                    "status",
                    "slas",
                    "continuity_plans",
                    "suppliers",
                    "depends_on",
                    "customers",
                    "customer_names",
                ],
                &self.services,
                |r, w| {
                    w.write_record([
                        r.id.as_str(),
                        &r.title,
                        &r.criticality,
                        &r.status,
                        &ids(&r.slas),
                        &ids(&r.continuity_plans),
                        &ids(&r.suppliers),
                        &ids(&r.depends_on),
                        &ids(&r.customers),
                        &r.customer_names.join("; "),
                    ])
                },
            );
            export(
                s,
                sink,
                address::MATRIX_REVIEWS,
                &[
                    "id",
                    "title",
                    "kind",
                    "owner",
                    "status",
                    "review_by",
                    "days",
                    "state",
                ],
                &self.reviews,
                |r, w| {
                    w.write_record([
                        r.id,
                        r.title,
                        r.kind,
                        r.owner,
                        r.status,
                        &r.review_by,
                        &r.days.to_string(),
                        r.state,
                    ])
                },
            );
        });
    }
}

/// Service `s`'s customer documents and other customer names (see
/// [`ServiceRow::customers`]); `listing`: the live customers whose
/// `services:` name it.
fn customers<'a>(
    s: &Document,
    listing: Option<&Vec<usize>>,
    docs: &'a [Document],
    res: &crate::resolve::Resolved,
) -> (Vec<DocLink<'a>>, Vec<String>) {
    let names = s
        .fields
        .iter()
        .filter(|f| f.name == "customers")
        .flat_map(|f| &f.items);
    let mut linked: Vec<usize> = Vec::new();
    let mut customer_names = Vec::new();
    for name in names {
        match res.by_id.get(name) {
            Some(&t) if docs[t].kind == "customer" => linked.push(t),
            _ => customer_names.push(name.clone()),
        }
    }
    linked.extend(listing.into_iter().flatten().copied());
    let mut seen = std::collections::HashSet::new();
    linked.retain(|&t| seen.insert(t));
    let linked = linked.into_iter().map(|t| doc_link(&docs[t])).collect();
    (linked, customer_names)
}

pub fn cover_name(c: Cover) -> &'static str {
    match c {
        Cover::Documents => "documents",
        Cover::OtherParty => "other-party",
        Cover::NotApplicable => "not-applicable",
        Cover::Uncovered => "uncovered",
        Cover::Partial => "partial",
        Cover::Covered => "covered",
    }
}
