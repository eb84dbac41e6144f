//! Customers (the relationship processes, ISO/IEC 20000-1 8.3.2): the
//! customers index, `customers.html` with CSV and JSON beside it (each
//! customer, its relationship manager, services, last service review and
//! complaints), and two sections of document pages: on a customer's page,
//! the services it receives with their SLAs' targets, its complaints and
//! its last service review ([`customer_section`]); on a service's page,
//! the customers who receive it ([`service_section`]).

use std::collections::HashMap;

use serde::Serialize;

use super::complaints::{self, ComplaintRow};
use super::export::export;
use super::links::{DocLink, DocLinkOrText, doc_link, link_or_text};
use super::site::{Errors, Site};
use super::{RenderError, Sink};
use crate::address;
use crate::audience;
use crate::model::{Document, Target, days_between};

/// The family's entry point: the index's page and its exports.
pub fn render(site: &Site, sink: &dyn Sink) -> Result<(), RenderError> {
    let errs = Errors::default();
    let rows = index(site);
    let (rows, errs_ref) = (&rows, &errs);
    rayon::scope(|s| {
        exports(s, sink, rows);
        s.spawn(move |_| {
            let mut c = tera::Context::new();
            c.insert("title", "Customers");
            c.insert("rows", rows);
            c.insert("max_age_days", &max_age(site));
            errs_ref.note(site.stream_page(sink, "customers.html", address::CUSTOMERS, c));
        });
    });
    errs.result()
}

/// A row of the customers index.
#[derive(Serialize)]
pub struct CustomerRow<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: String,
    pub status: &'static str,
    pub relationship_manager: String,
    pub services: Vec<DocLinkOrText>,
    #[serde(flatten)]
    pub review: Review,
    /// Live complaints naming it, and how many of them are open.
    pub complaints: usize,
    pub complaints_open: usize,
}

/// A customer's last service review, as of the build date.
#[derive(Serialize)]
pub struct Review {
    /// As written (empty when not recorded).
    pub last_service_review: String,
    /// Days since it, when it is a date.
    pub review_age_days: Option<i64>,
    /// `current`, `overdue` (older than `max_age_days` of
    /// `customer-review-overdue`), `missing` (or not a date); empty for a
    /// restricted customer.
    pub review_state: &'static str,
}

/// The days a service review stays current (`customer-review-overdue`).
fn max_age(site: &Site) -> i64 {
    site.input
        .loaded
        .config
        .days("customer-review-overdue", "max_age_days", 365)
}

fn review(site: &Site, c: &Document) -> Review {
    let date = c.date("last_service_review");
    let age = date.map(|r| days_between(r, site.input.date));
    Review {
        last_service_review: c.text("last_service_review").unwrap_or_default(),
        review_age_days: age,
        review_state: match age {
            _ if audience::is_restricted(c) => "",
            None => "missing",
            Some(a) if a > max_age(site) => "overdue",
            Some(_) => "current",
        },
    }
}

/// Every customer of the site, by id.
fn index<'a>(site: &'a Site) -> Vec<CustomerRow<'a>> {
    let docs = site.input.docs;
    // Complaints per customer, counted once: (all, open).
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for &i in site.by_kind.get("complaint").into_iter().flatten() {
        let c = &docs[i];
        if !c.is_live() {
            continue;
        }
        if let Some(id) = c.refs_of("customer").next() {
            let n = counts.entry(id).or_default();
            n.0 += 1;
            n.1 += usize::from(c.text("state").as_deref() == Some("open"));
        }
    }
    let mut rows: Vec<CustomerRow> = site
        .by_kind
        .get("customer")
        .into_iter()
        .flatten()
        .map(|&i| {
            let c = &docs[i];
            let (complaints, complaints_open) =
                counts.get(c.id.as_str()).copied().unwrap_or_default();
            CustomerRow {
                id: &c.id,
                title: &c.title,
                url: address::page(c),
                status: c.status.as_str(),
                relationship_manager: c.text("relationship_manager").unwrap_or_default(),
                services: c
                    .refs_of("services")
                    .map(|s| link_or_text(&site.ix, s))
                    .collect(),
                review: review(site, c),
                complaints,
                complaints_open,
            }
        })
        .collect();
    rows.sort_by(|a, b| a.id.cmp(b.id));
    rows
}

fn exports<'s>(s: &rayon::Scope<'s>, sink: &'s dyn Sink, rows: &'s [CustomerRow<'_>]) {
    export(
        s,
        sink,
        address::CUSTOMERS,
        &[
            "id",
            "title",
            "status",
            "relationship_manager",
            "services",
            "last_service_review",
            "review_age_days",
            "review_state",
            "complaints",
            "complaints_open",
        ],
        rows,
        |r, w| {
            let services: Vec<&str> = r.services.iter().map(|s| s.id.as_str()).collect();
            w.write_record([
                r.id,
                r.title,
                r.status,
                &r.relationship_manager,
                &services.join(" "),
                &r.review.last_service_review,
                &r.review
                    .review_age_days
                    .map(|a| a.to_string())
                    .unwrap_or_default(),
                r.review.review_state,
                &r.complaints.to_string(),
                &r.complaints_open.to_string(),
            ])
        },
    );
}

/// A service a customer receives, with its SLAs.
#[derive(Serialize)]
struct Received<'a> {
    service: DocLinkOrText,
    criticality: String,
    slas: Vec<SlaTargets<'a>>,
}

/// An SLA of a service and its targets.
#[derive(Serialize)]
struct SlaTargets<'a> {
    sla: DocLink<'a>,
    targets: Vec<TargetResult<'a>>,
}

/// An SLA target, and the latest result measured against it.
#[derive(Serialize)]
struct TargetResult<'a> {
    #[serde(flatten)]
    target: &'a Target,
    /// The latest measured result: none when the target has no
    /// measurements (see service reporting).
    latest: Option<Latest<'a>>,
}

/// The latest measured result of a target: its month (and that month's
/// service report), the value as written, and whether it met the target.
#[derive(Serialize)]
struct Latest<'a> {
    month: String,
    report: String,
    value: &'a str,
    state: &'static str,
}

/// The latest result of each measured target of SLA `sla`, by metric.
fn latest_of<'a>(site: &'a Site, sla: &str) -> Vec<(&'a str, Latest<'a>)> {
    let report = site.input.measures;
    report
        .latest(sla)
        .map(|(series, point)| {
            (
                series.metric.as_str(),
                Latest {
                    month: point.month.to_string(),
                    report: address::monthly_report(point.month),
                    value: report.value_text(point),
                    state: point.state.as_str(),
                },
            )
        })
        .collect()
}

/// The section of a customer's page: services received (with their SLAs'
/// targets and latest results), complaints, last service review.
pub fn customer_section(site: &Site, i: usize) -> Option<tera::Context> {
    let c = &site.input.docs[i];
    if c.kind != "customer" {
        return None;
    }
    let ix = &site.ix;
    let received: Vec<Received> = c
        .refs_of("services")
        .map(|s| Received {
            service: link_or_text(ix, s),
            criticality: ix
                .by_id
                .get(s)
                .and_then(|&t| site.input.docs[t].text("criticality"))
                .unwrap_or_default(),
            slas: ix.by_id.get(s).map_or_else(Vec::new, |&t| slas_of(site, t)),
        })
        .collect();
    let complaints: Vec<ComplaintRow> = complaints::of_customer(site, i);
    let mut ctx = complaints::table_context(site, &complaints);
    ctx.insert("customer", &c.id);
    ctx.insert("received", &received);
    ctx.insert("review", &review(site, c));
    ctx.insert("max_age_days", &max_age(site));
    Some(ctx)
}

/// The live SLAs that cover service `i`, with their targets.
fn slas_of<'a>(site: &'a Site, i: usize) -> Vec<SlaTargets<'a>> {
    let docs = site.input.docs;
    complaints::referring(site, i, "sla", "service")
        .map(|t| &docs[t])
        .filter(|s| s.is_live())
        .map(|s| {
            let mut latest = latest_of(site, &s.id);
            SlaTargets {
                sla: doc_link(s),
                targets: s
                    .fields
                    .iter()
                    .flat_map(|f| &f.targets)
                    .map(|target| TargetResult {
                        target,
                        latest: latest
                            .iter()
                            .position(|(m, _)| *m == target.metric)
                            .map(|k| latest.swap_remove(k).1),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// A customer of a service, as the service's page lists it.
#[derive(Serialize)]
struct ServiceCustomer<'a> {
    customer: DocLink<'a>,
    relationship_manager: String,
    #[serde(flatten)]
    review: Review,
}

/// The section of a service's page: the customers whose `services:` list
/// it (in a repository that records customers).
pub fn service_section(site: &Site, i: usize) -> Option<tera::Context> {
    let (s, docs) = (&site.input.docs[i], site.input.docs);
    let all = site.by_kind.get("customer")?;
    if s.kind != "service" || !all.iter().any(|&c| docs[c].is_live()) {
        return None;
    }
    let customers: Vec<ServiceCustomer> = complaints::referring(site, i, "customer", "services")
        .map(|c| &docs[c])
        .filter(|c| c.is_live())
        .map(|c| ServiceCustomer {
            customer: doc_link(c),
            relationship_manager: c.text("relationship_manager").unwrap_or_default(),
            review: review(site, c),
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("customers", &customers);
    Some(ctx)
}

/// The items of a service's `customers:` list: the ids of customer
/// documents linked, other names as text.
pub fn named_customers(site: &Site, items: &[String]) -> Vec<DocLinkOrText> {
    items
        .iter()
        .map(|name| match site.ix.by_id.get(name.as_str()) {
            Some(&t) if site.input.docs[t].kind == "customer" => link_or_text(&site.ix, name),
            _ => DocLinkOrText {
                id: name.clone(),
                title: String::new(),
                url: None,
            },
        })
        .collect()
}
