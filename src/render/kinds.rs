//! Kind indexes: `kind/KIND.html` for every kind that has documents, a
//! sortable table of its documents (the register's columns) naming the
//! kind's fields.

use rayon::prelude::*;

use super::matrix::{RegisterRow, register_row};
use super::site::{Errors, Site, kind_title};
use super::{RenderError, Sink};
use crate::address;

/// The family's entry point.
pub fn render(site: &Site, sink: &dyn Sink) -> Result<(), RenderError> {
    let errs = Errors::default();
    let docs = site.input.docs;
    let size = |k: &str| site.by_kind.get(k).map_or(0, Vec::len);
    // The largest first: the last to start ends the soonest.
    let mut by_size: Vec<&&str> = site.kinds.iter().collect();
    by_size.sort_by_key(|k| std::cmp::Reverse(size(k)));
    by_size.into_par_iter().for_each(|k| {
        let mut rows: Vec<RegisterRow> = site
            .by_kind
            .get(k)
            .into_iter()
            .flatten()
            .map(|&i| register_row(&docs[i]))
            .collect();
        rows.sort_by(|a, b| a.id.cmp(b.id));
        let fields: Vec<String> = site
            .input
            .loaded
            .profile
            .kinds
            .get(*k)
            .map(|f| f.iter().map(|(n, _)| n.clone()).collect())
            .unwrap_or_default();
        let mut c = tera::Context::new();
        c.insert("kind", k);
        c.insert("title", &kind_title(k));
        c.insert("rows", &rows);
        c.insert("fields", &fields);
        errs.note(site.stream_page(sink, "kind.html", &address::kind(k), c));
    });
    errs.result()
}
