//! Audits: each audit's **checklist** (a section of the audit's page, and
//! CSV and JSON beside it under `audit/`), and the **audit programme**
//! (`audit-programme.html`, its CSV and JSON, its timeline; filed in the
//! evidence pack under ISO/IEC 20000-1 9.2).
//!
//! A checklist has a row per leaf requirement in the audit's scope: the
//! approved evidence the repository offers for it (its `satisfies`), the
//! drafts and documents in review beside it, the result and note (empty
//! while the audit is planned: the page prints as the checklist to take
//! into the audit), the documents examined and the nonconformities raised.
//!
//! The programme crosses every applicable leaf requirement with the audits
//! of the last cycle (`cycle_days` of `requirement-not-audited`) and the
//! planned ones: when each requirement was last audited by an internal
//! audit and when it is next. Restricted audits are left out of both
//! (their scope and dates are their content); the page says how many.

use std::io::Write;

use serde::Serialize;

use super::export::{CsvWriter, export};
use super::links::{DocLink, DocLinkOrText, doc_link, link_or_text};
use super::site::{Errors, Site};
use super::{Output, RenderError, Sink, svg};
use crate::address;
use crate::html::push_escaped;
use crate::model::{Document, Outcome, days_between};
use crate::resolve::{AuditView, Cover, related};

/// The family's entry point: the checklists' exports, the programme page
/// and its exports.
pub fn render(site: &Site, sink: &dyn Sink) -> Result<(), RenderError> {
    let errs = Errors::default();
    let p = Programme::build(site);
    let (p, errs_ref) = (&p, &errs);
    rayon::scope(|s| {
        for a in &site.input.resolved.operation.audits {
            if site.visible(a.doc) {
                s.spawn(move |_| checklist_exports(site, a, sink));
            }
        }
        export(
            s,
            sink,
            address::AUDIT_PROGRAMME,
            PROGRAMME_HEADER,
            &p.exports,
            programme_record,
        );
        s.spawn(move |_| {
            errs_ref.emit(
                sink,
                site.page(
                    "audit-programme.html",
                    address::AUDIT_PROGRAMME,
                    p.context(site, address::AUDIT_PROGRAMME),
                ),
            )
        });
    });
    errs.result()
}

/// One row of a checklist: a leaf requirement in the audit's scope.
#[derive(Serialize)]
pub struct ChecklistRow<'a> {
    pub key: &'a str,
    pub title: &'a str,
    pub url: String,
    /// Approved documents that are evidence for it (ids).
    pub evidence: Vec<&'a str>,
    /// Drafts and documents in review that would be (ids).
    pub pending: Vec<&'a str>,
    /// The same, as documents (for the page's links).
    #[serde(skip)]
    evidence_docs: &'a [usize],
    #[serde(skip)]
    pending_docs: &'a [usize],
    /// `conforming`, `nonconforming`, `observation`, `not-audited`, or
    /// empty (no result yet).
    pub result: &'static str,
    /// The parent requirement the result is given on, when not on this one.
    pub result_on: Option<&'a str>,
    pub note: &'a str,
    /// The documents the auditor examined.
    pub examined: Vec<DocLinkOrText>,
    /// Nonconformities raised from this audit for this requirement.
    pub nonconformities: Vec<DocLink<'a>>,
}

/// Audit `a`'s checklist.
pub fn checklist<'a>(site: &'a Site, a: &AuditView) -> Vec<ChecklistRow<'a>> {
    let docs = site.input.docs;
    let cats = &site.input.loaded.catalogues;
    let res = site.input.resolved;
    let links = |list: &[usize]| list.iter().map(|&e| doc_link(&docs[e])).collect();
    let ids = |to: &[usize]| to.iter().map(|&d| docs[d].id.as_str()).collect();
    a.leaves
        .iter()
        .enumerate()
        .map(|(k, &q)| {
            let r = &cats.reqs[q];
            let cov = &res.coverage[q];
            let result = a.result_at(docs, k);
            let on = a
                .result_of
                .get(k)
                .copied()
                .flatten()
                .and_then(|j| a.result_reqs.get(j).copied().flatten())
                .filter(|&x| x != q);
            let raised: Vec<usize> = a
                .raised
                .iter()
                .copied()
                .filter(|&n| {
                    docs[n]
                        .reqs_of("requirements")
                        .filter_map(|x| cats.get(&x.key))
                        .any(|x| related(cats, x, q))
                })
                .collect();
            ChecklistRow {
                key: &r.key,
                title: &r.title,
                url: address::req(&r.key),
                evidence: ids(&cov.evidence),
                pending: ids(&cov.pending),
                evidence_docs: &cov.evidence,
                pending_docs: &cov.pending,
                result: result.and_then(|r| r.outcome).map_or("", Outcome::as_str),
                result_on: on.map(|x| cats.reqs[x].key.as_str()),
                note: result.map_or("", |r| r.note.as_str()),
                examined: result
                    .map(|r| {
                        r.evidence
                            .iter()
                            .map(|id| link_or_text(&site.ix, id))
                            .collect()
                    })
                    .unwrap_or_default(),
                nonconformities: links(&raised),
            }
        })
        .collect()
}

/// What the checklist section says of its audit.
#[derive(Serialize)]
struct AuditCtx<'a> {
    id: &'a str,
    audit_type: String,
    planned_on: String,
    performed_on: String,
    /// Performed (results expected), or only planned (results empty).
    performed: bool,
    leaves: usize,
    /// Leaves with a result.
    results: usize,
    nonconforming: usize,
    /// The exports, from the site's root.
    csv: String,
    json: String,
}

/// The checklist section of document `i`'s page, when it is an audit.
pub fn checklist_section(site: &Site, i: usize) -> Option<tera::Context> {
    let a = site.input.resolved.operation.audit(i)?;
    let d = &site.input.docs[i];
    let rows = checklist(site, a);
    let ctx = AuditCtx {
        id: &d.id,
        audit_type: d.text("audit_type").unwrap_or_default(),
        planned_on: d.text("planned_on").unwrap_or_default(),
        performed_on: d.text("performed_on").unwrap_or_default(),
        performed: a.performed,
        leaves: rows.len(),
        results: rows.iter().filter(|r| !r.result.is_empty()).count(),
        nonconforming: rows.iter().filter(|r| r.result == "nonconforming").count(),
        csv: address::checklist(&d.id, "csv"),
        json: address::checklist(&d.id, "json"),
    };
    // The lists of evidence, often long and the same in every audit of a
    // requirement, are written here as HTML rather than by the template.
    let rows: Vec<SectionRow> = rows
        .into_iter()
        .map(|row| SectionRow {
            evidence_html: links_html(site, row.evidence_docs, false, row.key),
            pending_html: links_html(site, row.pending_docs, true, row.key),
            row,
        })
        .collect();
    let mut c = tera::Context::new();
    c.insert("audit", &ctx);
    c.insert("rows", &rows);
    Some(c)
}

/// A checklist row as its section shows it.
#[derive(Serialize)]
struct SectionRow<'a> {
    #[serde(flatten)]
    row: ChecklistRow<'a>,
    /// `evidence` as links on a document page, separated by commas.
    evidence_html: String,
    /// `pending` likewise, each with its status.
    pending_html: String,
}

/// Documents a checklist row links to before "and N more", which links to
/// the requirement's page (it lists them all): a requirement with hundreds
/// of documents of evidence would otherwise repeat them in every audit.
const SHOWN: usize = 12;

/// Links to documents `to` as written on a document page
/// (`<a href="../doc/ID.html">ID</a>`, comma-separated), each followed by
/// its status in brackets when `status`; past [`SHOWN`], "and N more",
/// linked to requirement `key`'s page.
fn links_html(site: &Site, to: &[usize], status: bool, key: &str) -> String {
    let docs = site.input.docs;
    let mut out = String::with_capacity(to.len().min(SHOWN + 1) * 48);
    for (n, &d) in to.iter().take(SHOWN).enumerate() {
        if n > 0 {
            out.push_str(", ");
        }
        out.push_str("<a href=\"");
        push_escaped(&mut out, &site.hrefs[d]);
        out.push_str("\">");
        push_escaped(&mut out, &docs[d].id);
        out.push_str("</a>");
        if status {
            out.push_str(" (");
            out.push_str(docs[d].status.as_str());
            out.push(')');
        }
    }
    if to.len() > SHOWN {
        out.push_str(", <a href=\"");
        push_escaped(&mut out, &address::from_doc(&address::req(key)));
        out.push_str("\">and ");
        out.push_str(&(to.len() - SHOWN).to_string());
        out.push_str(" more</a>");
    }
    out
}

const CHECKLIST_HEADER: &[&str] = &[
    "requirement",
    "title",
    "evidence",
    "pending",
    "result",
    "result_on",
    "note",
    "examined",
    "nonconformities",
];

fn ids<'x>(v: impl IntoIterator<Item = &'x str>) -> String {
    v.into_iter().collect::<Vec<_>>().join(" ")
}

/// Audit `a`'s checklist as CSV and JSON (`audit/ID.csv`, `.json`).
fn checklist_exports(site: &Site, a: &AuditView, sink: &dyn Sink) {
    let rows = checklist(site, a);
    let id = &site.input.docs[a.doc].id;
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut write = || -> csv::Result<()> {
        w.write_record(CHECKLIST_HEADER)?;
        for r in &rows {
            w.write_record([
                r.key,
                r.title,
                &ids(r.evidence.iter().copied()),
                &ids(r.pending.iter().copied()),
                r.result,
                r.result_on.unwrap_or_default(),
                r.note,
                &ids(r.examined.iter().map(|d| d.id.as_str())),
                &ids(r.nonconformities.iter().map(|d| d.id)),
            ])?;
        }
        w.flush()?;
        Ok(())
    };
    // Writing into memory cannot fail.
    let _ = write();
    if let Ok(bytes) = w.into_inner() {
        sink.put(Output {
            path: address::checklist(id, "csv"),
            bytes,
        });
    }
    let mut json = serde_json::to_vec_pretty(&rows).unwrap_or_default();
    let _ = json.write_all(b"\n");
    sink.put(Output {
        path: address::checklist(id, "json"),
        bytes: json,
    });
}

/// An audit of the programme (a column of its table, a line of its timeline).
#[derive(Serialize, Clone)]
pub struct Column<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: String,
    pub audit_type: String,
    pub internal: bool,
    pub planned_on: String,
    pub performed_on: String,
    /// `performed`, `planned` or `overdue` (planned for a past date).
    pub state: &'static str,
    /// The date it stands at: performed, else planned.
    #[serde(skip)]
    pub when: Option<jiff::civil::Date>,
    pub leaves: usize,
}

/// A row of the programme page: a requirement, its cell per column.
#[derive(Serialize)]
struct Row<'a> {
    key: &'a str,
    title: &'a str,
    url: String,
    /// Its cells, one per column, as HTML (see [`cells_html`]).
    cells_html: String,
    last_audited: String,
    last_audit: Option<DocLink<'a>>,
    within_cycle: bool,
    next_planned: String,
    next_audit: Option<DocLink<'a>>,
}

/// A row of the programme's exports.
#[derive(Serialize)]
struct ExportRow<'a> {
    requirement: &'a str,
    title: &'a str,
    applicability: &'static str,
    last_audited: String,
    last_audit: &'a str,
    within_cycle: bool,
    next_planned: String,
    next_audit: &'a str,
    /// The programme's audits that have it in scope, with its result in each.
    audits: Vec<AuditCell<'a>>,
}

#[derive(Serialize)]
struct AuditCell<'a> {
    id: &'a str,
    result: &'static str,
}

const PROGRAMME_HEADER: &[&str] = &[
    "requirement",
    "title",
    "applicability",
    "last_audited",
    "last_audit",
    "within_cycle",
    "next_planned",
    "next_audit",
    "audits",
];

fn programme_record(r: &ExportRow, w: &mut CsvWriter) -> csv::Result<()> {
    w.write_record([
        r.requirement,
        r.title,
        r.applicability,
        &r.last_audited,
        r.last_audit,
        &r.within_cycle.to_string(),
        &r.next_planned,
        r.next_audit,
        &ids(r.audits.iter().map(|a| a.id)),
    ])
}

/// The audit programme, built once for its page, exports and pack section.
pub struct Programme<'a> {
    columns: Vec<Column<'a>>,
    rows: Vec<Row<'a>>,
    exports: Vec<ExportRow<'a>>,
    cycle: i64,
    not_applicable: usize,
    restricted: usize,
    /// Any audit recorded (visible or not).
    any: bool,
}

impl<'a> Programme<'a> {
    pub fn build(site: &'a Site) -> Programme<'a> {
        let input = site.input;
        let (docs, date) = (input.docs, input.date);
        let cats = &input.loaded.catalogues;
        let op = &input.resolved.operation;
        let cycle = input
            .loaded
            .config
            .days("requirement-not-audited", "cycle_days", 365);
        let shown = |i: usize| site.visible(i);
        let last = op.last_internal(cats.reqs.len(), date, &shown);
        let next = op.next_planned(cats.reqs.len(), &shown);
        // The columns: audits performed within the cycle, and those planned.
        let chosen: Vec<&AuditView> = op
            .audits
            .iter()
            .filter(|a| shown(a.doc))
            .filter(|a| match (a.performed, a.performed_on) {
                (false, _) => true,
                (true, Some(on)) => days_between(on, date) <= cycle,
                (true, None) => false,
            })
            .collect();
        let columns: Vec<Column> = chosen.iter().map(|a| column(docs, a, date)).collect();
        let link = |x: Option<(jiff::civil::Date, usize)>| {
            x.map(|(on, k)| (on.to_string(), doc_link(&docs[op.audits[k].doc])))
        };
        let mut rows = Vec::new();
        let mut exports = Vec::new();
        let mut not_applicable = 0;
        for (q, r) in cats.reqs.iter().enumerate() {
            if !r.is_leaf() {
                continue;
            }
            let cover = input.resolved.coverage[q].cover;
            if cover == Cover::NotApplicable {
                not_applicable += 1;
                continue;
            }
            let cells: Vec<&'static str> = chosen.iter().map(|a| cell(docs, a, q)).collect();
            let (last_audited, last_audit) = link(last[q]).unzip();
            let (next_planned, next_audit) = link(next[q]).unzip();
            let within_cycle = last[q].is_some_and(|(on, _)| days_between(on, date) <= cycle);
            exports.push(ExportRow {
                requirement: &r.key,
                title: &r.title,
                applicability: if cover == Cover::OtherParty {
                    "other-party"
                } else {
                    "applicable"
                },
                last_audited: last_audited.clone().unwrap_or_default(),
                last_audit: last_audit.as_ref().map_or("", |d| d.id),
                within_cycle,
                next_planned: next_planned.clone().unwrap_or_default(),
                next_audit: next_audit.as_ref().map_or("", |d| d.id),
                audits: columns
                    .iter()
                    .zip(&cells)
                    .filter(|(_, c)| !c.is_empty())
                    .map(|(col, c)| AuditCell {
                        id: col.id,
                        result: c,
                    })
                    .collect(),
            });
            rows.push(Row {
                key: &r.key,
                title: &r.title,
                url: address::req(&r.key),
                cells_html: cells_html(&cells),
                last_audited: last_audited.unwrap_or_default(),
                last_audit,
                within_cycle,
                next_planned: next_planned.unwrap_or_default(),
                next_audit,
            });
        }
        Programme {
            columns,
            rows,
            exports,
            cycle,
            not_applicable,
            restricted: op.audits.iter().filter(|a| !shown(a.doc)).count(),
            any: !op.audits.is_empty(),
        }
    }

    /// The context of the programme page or of its pack section, for a page at `path`.
    pub fn context(&self, site: &Site, path: &str) -> tera::Context {
        let date = site.input.date;
        let mut c = tera::Context::new();
        c.insert("title", "Audit programme");
        c.insert("columns", &self.columns);
        c.insert("rows", &self.rows);
        c.insert("cycle", &self.cycle);
        c.insert("not_applicable", &self.not_applicable);
        c.insert("restricted", &self.restricted);
        c.insert("any", &self.any);
        c.insert(
            "audited",
            &self.rows.iter().filter(|r| r.within_cycle).count(),
        );
        c.insert(
            "timeline_svg",
            &svg::audit_timeline(&self.columns, date, self.cycle, &address::root(path)),
        );
        c
    }
}

/// The programme's column for audit `a`.
fn column<'a>(docs: &'a [Document], a: &AuditView, date: jiff::civil::Date) -> Column<'a> {
    let d = &docs[a.doc];
    Column {
        id: &d.id,
        title: &d.title,
        url: address::page(d),
        audit_type: d.text("audit_type").unwrap_or_default(),
        internal: a.internal,
        planned_on: d.text("planned_on").unwrap_or_default(),
        performed_on: d.text("performed_on").unwrap_or_default(),
        state: if a.performed {
            "performed"
        } else if a.planned_on.is_some_and(|p| p < date) {
            "overdue"
        } else {
            "planned"
        },
        when: a.when(),
        leaves: a.leaves.len(),
    }
}

/// A programme row's cells as the default theme writes them, one `<td>`
/// per column: written here, once, rather than by the template (a
/// programme of a few hundred audits has tens of thousands of cells).
fn cells_html(cells: &[&str]) -> String {
    let mut out = String::with_capacity(cells.len() * 40);
    for c in cells {
        let word = match *c {
            "conforming" => "✓ conforming",
            "nonconforming" => "✗ nonconforming",
            "observation" => "! observation",
            "not-audited" => "– not audited",
            "no-result" => "? no result",
            "planned" => "○ planned",
            _ => "",
        };
        out.push_str("<td class=\"cell cell-");
        out.push_str(c);
        out.push_str("\">");
        out.push_str(word);
        out.push_str("</td>");
    }
    out
}

/// What the programme shows for leaf `q` in audit `a`.
fn cell(docs: &[Document], a: &AuditView, q: usize) -> &'static str {
    let Ok(k) = a.leaves.binary_search(&q) else {
        return "";
    };
    if !a.performed {
        return "planned";
    }
    a.result_at(docs, k)
        .and_then(|r| r.outcome)
        .map_or("no-result", Outcome::as_str)
}

/// The programme as a section of the evidence pack (under 9.2).
pub fn pack_section(site: &Site) -> Option<tera::Context> {
    if site.input.resolved.operation.audits.is_empty() {
        return None;
    }
    let p = Programme::build(site);
    Some(p.context(site, address::EVIDENCE_PACK))
}
