//! The home page: the SMS's name and scope, readiness for certification,
//! the coverage summary and the chart of coverage per clause, the kinds
//! with their counts, and the site's other pages ([`PAGES`]). It is
//! rendered by the matrices' family, whose summary it shows.

use super::matrix::Matrices;
use super::site::{Site, kind_title, md_plain};
use super::{Output, svg};
use crate::address;
use crate::diag::Finding;

/// The pages the home page lists under the documents: (title, address).
pub const PAGES: &[(&str, &str)] = &[
    ("Document register", address::REGISTER),
    ("Statement of applicability", address::SOA),
    ("Requirements × evidence", address::MATRIX_REQUIREMENTS),
    (
        "Services × SLAs × continuity × suppliers",
        address::MATRIX_SERVICES,
    ),
    ("Documents due for review", address::MATRIX_REVIEWS),
    ("Audit programme", address::AUDIT_PROGRAMME),
    ("Nonconformity register", address::NONCONFORMITIES),
    ("Evidence pack", address::EVIDENCE_PACK),
    ("Service reporting", address::SERVICE_REPORTING),
    ("Model (JSON)", address::MODEL),
    ("Implementation progress", address::PROGRESS),
    ("Customers", address::CUSTOMERS),
    ("Complaints register", address::COMPLAINTS),
    ("Changes since the audit baseline", address::CHANGES),
];

/// The home page, from the matrices' summary.
pub(super) fn page(site: &Site, m: &Matrices) -> Result<Output, Finding> {
    let config = &site.input.loaded.config;
    let mut c = tera::Context::new();
    c.insert("title", &config.name);
    c.insert(
        "scope_html",
        &config.scope.as_deref().map(md_plain).unwrap_or_default(),
    );
    c.insert("summary", &m.summary);
    c.insert("clauses", &m.clauses);
    c.insert(
        "coverage_svg",
        &svg::coverage_chart(&m.clauses, &address::root(address::HOME)),
    );
    let kinds: Vec<(String, String, usize)> = site
        .kinds
        .iter()
        .map(|k| {
            (
                kind_title(k),
                address::kind(k),
                site.by_kind.get(k).map_or(0, Vec::len),
            )
        })
        .collect();
    c.insert("kinds", &kinds);
    c.insert("pages", PAGES);
    c.insert("readiness", site.input.readiness);
    site.page("index.html", address::HOME, c)
}
