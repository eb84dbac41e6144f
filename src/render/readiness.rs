//! The readiness page: every readiness check (see `readiness`), met or
//! not, with its figure and links to what falls short.

use serde::Serialize;

use super::site::Site;
use super::{RenderError, Sink};
use crate::address;
use crate::readiness::Check;

/// A shortfall as the page shows it: a link where its page exists.
#[derive(Serialize)]
struct Short<'a> {
    id: &'a str,
    note: &'a str,
    url: Option<String>,
}

#[derive(Serialize)]
struct Row<'a> {
    key: &'a str,
    title: &'a str,
    met: bool,
    /// It could not be judged (see `Readiness::unknown`).
    unknown: bool,
    figure: &'a str,
    short: Vec<Short<'a>>,
}

/// The family's entry point.
pub fn render(site: &Site, sink: &dyn Sink) -> Result<(), RenderError> {
    let r = site.input.readiness;
    let rows: Vec<Row> = r.checks.iter().map(|c| row(site, c)).collect();
    let mut c = tera::Context::new();
    c.insert("title", "Readiness for certification");
    c.insert("met", &r.met);
    c.insert("total", &r.total);
    c.insert("rows", &rows);
    sink.put(
        site.page("readiness.html", address::READINESS, c)
            .map_err(|f| vec![f])?,
    );
    Ok(())
}

fn row<'a>(site: &Site, c: &'a Check) -> Row<'a> {
    Row {
        key: c.key,
        title: c.title,
        met: c.met,
        unknown: site.input.readiness.unknown.contains(&c.key),
        figure: &c.figure,
        short: c
            .short
            .iter()
            .map(|s| Short {
                id: &s.id,
                note: &s.note,
                url: url_of(site, s.what, &s.id),
            })
            .collect(),
    }
}

/// Where a shortfall's page is: a document's (or the restricted notice),
/// a requirement's.
fn url_of(site: &Site, what: &str, id: &str) -> Option<String> {
    match what {
        "document" => site
            .ix
            .by_id
            .get(id)
            .map(|&i| address::page(&site.input.docs[i])),
        "requirement" => site.ix.cats.get(id).map(|_| address::req(id)),
        _ => None,
    }
}
