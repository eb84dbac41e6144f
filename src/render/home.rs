//! The home page: the SMS's name and scope, the coverage summary and the
//! chart of coverage per clause, and the kinds with their counts. It is
//! rendered by the matrices' family, whose summary it shows.

use super::matrix::Matrices;
use super::site::{Site, kind_title, md_plain};
use super::{Output, svg};
use crate::address;
use crate::diag::Finding;

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
    site.page("index.html", address::HOME, c)
}
