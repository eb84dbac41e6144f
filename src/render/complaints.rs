//! The complaints register: `complaints.html`, every complaint (open
//! first, the oldest on top; then the closed ones, the latest received
//! first; retired ones last) with its customer, service, dates, age and linked
//! nonconformity, sortable, with CSV and JSON beside it. The same table is
//! filed in the evidence pack under ISO/IEC 20000-1 8.3.2 (see
//! [`pack_section`]); a customer's page lists that customer's rows.
//!
//! Rows are made from the documents as published: a complaint above the
//! build's audience keeps its row (it is counted) but shows nothing of
//! its content.

use serde::Serialize;

use super::export::export;
use super::links::{DocLinkOrText, link_or_text};
use super::site::{Errors, Site};
use super::{RenderError, Sink};
use crate::address;
use crate::audience;
use crate::model::{Document, days_between};

/// The family's entry point: the register's page and its exports.
pub fn render(site: &Site, sink: &dyn Sink) -> Result<(), RenderError> {
    let errs = Errors::default();
    let rows = register(site);
    let (rows, errs_ref) = (&rows, &errs);
    rayon::scope(|s| {
        exports(s, sink, rows);
        s.spawn(move |_| {
            let mut c = table_context(site, rows);
            c.insert("title", "Complaints register");
            errs_ref.note(site.stream_page(sink, "complaints.html", address::COMPLAINTS, c));
        });
    });
    errs.result()
}

/// A row of the complaints register.
#[derive(Serialize)]
pub struct ComplaintRow<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: String,
    /// `open`, `closed`, or as written when it is neither (an
    /// `invalid-field` finding says so); empty for a restricted complaint.
    pub state: String,
    pub customer: Option<DocLinkOrText>,
    pub service: Option<DocLinkOrText>,
    pub received_on: String,
    pub closed_on: String,
    /// Days open: from `received_on` to `closed_on` once closed, to the
    /// build date while not; none without a valid `received_on`, or for a
    /// closed complaint without a valid `closed_on`.
    pub age_days: Option<i64>,
    /// Open for longer than `complaint-open-too-long` allows.
    pub overdue: bool,
    pub nonconformity: Option<DocLinkOrText>,
    /// As written (Markdown), for the exports.
    pub resolution: String,
    pub status: &'static str,
    #[serde(skip)]
    order: (u8, i64),
}

/// Every complaint of the site, in the register's order.
pub fn register<'a>(site: &'a Site) -> Vec<ComplaintRow<'a>> {
    let docs = site.input.docs;
    let mut rows: Vec<ComplaintRow> = site
        .by_kind
        .get("complaint")
        .into_iter()
        .flatten()
        .map(|&i| row(site, &docs[i]))
        .collect();
    sort(&mut rows);
    rows
}

/// The complaints of customer `i` (among the documents that refer to
/// it), in the register's order.
pub fn of_customer<'a>(site: &'a Site, i: usize) -> Vec<ComplaintRow<'a>> {
    let docs = site.input.docs;
    let mut rows: Vec<ComplaintRow> = referring(site, i, "complaint", "customer")
        .map(|c| row(site, &docs[c]))
        .collect();
    sort(&mut rows);
    rows
}

/// The documents of kind `kind` (each the one its id names) whose field
/// `field` refers to document `i`, by id: found among the documents that
/// refer to it, not by reading every document for each page.
pub fn referring<'a>(
    site: &'a Site,
    i: usize,
    kind: &'a str,
    field: &'a str,
) -> impl Iterator<Item = usize> + 'a {
    let docs = site.input.docs;
    let id = docs[i].id.as_str();
    site.input
        .resolved
        .referenced_by
        .get(i)
        .into_iter()
        .flatten()
        .copied()
        .filter(move |&j| {
            docs[j].kind == kind && site.canonical(j) && docs[j].refs_of(field).any(|t| t == id)
        })
}

/// Open first (the oldest on top), then any other state, then the closed
/// ones (the latest received first), then the retired (recorded in
/// error), then the restricted; by id within.
fn sort(rows: &mut [ComplaintRow]) {
    rows.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.id.cmp(b.id)));
}

/// The days a complaint may stay open (`complaint-open-too-long`).
pub fn limit(site: &Site) -> i64 {
    site.input
        .loaded
        .config
        .days("complaint-open-too-long", "days", 30)
}

fn row<'a>(site: &'a Site, c: &'a Document) -> ComplaintRow<'a> {
    let ix = &site.ix;
    let today = site.input.date;
    let one = |field: &str| c.refs_of(field).next().map(|id| link_or_text(ix, id));
    let text = |field: &str| c.text(field).unwrap_or_default();
    let state = text("state");
    let received = c.date("received_on");
    let closed = c.date("closed_on");
    let age_days = received.and_then(|r| match (state.as_str(), closed) {
        ("closed", Some(cl)) => Some(days_between(r, cl)),
        // Closed without a date: how long it was open is not known.
        ("closed", None) => None,
        _ => Some(days_between(r, today)),
    });
    let overdue = c.is_live() && state == "open" && age_days.is_some_and(|a| a > limit(site));
    // Sorted by day number: ascending while open, descending once closed.
    let day = received.map_or(i64::MAX, |r| days_between(today, r));
    let order = match state.as_str() {
        _ if audience::is_restricted(c) => (4, 0),
        _ if !c.is_live() => (3, day),
        "open" => (0, day),
        "closed" => (2, received.map_or(i64::MAX, |_| -day)),
        _ => (1, day),
    };
    ComplaintRow {
        id: &c.id,
        title: &c.title,
        url: address::page(c),
        customer: one("customer"),
        service: one("service"),
        received_on: text("received_on"),
        closed_on: text("closed_on"),
        age_days,
        overdue,
        nonconformity: one("nonconformity"),
        resolution: text("resolution"),
        status: c.status.as_str(),
        state,
        order,
    }
}

/// The table's context: its rows, the limit, and how many of them are
/// live (not retired: recorded in error), open, and open too long.
pub fn table_context(site: &Site, rows: &[ComplaintRow]) -> tera::Context {
    let live = || rows.iter().filter(|r| r.status != "retired");
    let mut c = tera::Context::new();
    c.insert("rows", rows);
    c.insert("limit", &limit(site));
    c.insert("count", &live().count());
    c.insert("open", &live().filter(|r| r.state == "open").count());
    c.insert("overdue", &rows.iter().filter(|r| r.overdue).count());
    c
}

/// The register in the evidence pack, under 8.3.2 (when there is any
/// complaint).
pub fn pack_section(site: &Site) -> Option<tera::Context> {
    let rows = register(site);
    if rows.is_empty() {
        return None;
    }
    Some(table_context(site, &rows))
}

fn id_of(l: &Option<DocLinkOrText>) -> &str {
    l.as_ref().map_or("", |l| l.id.as_str())
}

/// CSV and JSON beside the register.
fn exports<'s>(s: &rayon::Scope<'s>, sink: &'s dyn Sink, rows: &'s [ComplaintRow<'_>]) {
    export(
        s,
        sink,
        address::COMPLAINTS,
        &[
            "id",
            "title",
            "state",
            "customer",
            "service",
            "received_on",
            "closed_on",
            "age_days",
            "overdue",
            "nonconformity",
            "resolution",
            "status",
        ],
        rows,
        |r, w| {
            w.write_record([
                r.id,
                r.title,
                &r.state,
                id_of(&r.customer),
                id_of(&r.service),
                &r.received_on,
                &r.closed_on,
                &r.age_days.map(|a| a.to_string()).unwrap_or_default(),
                &r.overdue.to_string(),
                id_of(&r.nonconformity),
                &r.resolution,
                r.status,
            ])
        },
    );
}
