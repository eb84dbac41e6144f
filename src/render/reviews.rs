//! Management reviews: each review's page shows the inputs it considered
//! against the inputs a review must address (the option `inputs:` of
//! `management-review-incomplete`), with the documents that informed each,
//! and how its decisions stand (a section, see `document::SECTIONS`; the
//! decisions themselves are listed with the review's fields).

use serde::Serialize;

use super::links::{DocLinkOrText, link_or_text};
use super::site::Site;
use crate::model::REVIEW_INPUTS;

/// An input as the section lists it.
#[derive(Serialize)]
struct InputRow<'a> {
    input: &'a str,
    /// One of the required inputs.
    required: bool,
    /// The review lists it.
    considered: bool,
    note: &'a str,
    documents: Vec<DocLinkOrText>,
}

/// How the review's decisions stand.
#[derive(Serialize, Default)]
struct Decisions {
    total: usize,
    done: usize,
    open: usize,
    overdue: usize,
}

/// The inputs section of document `i`'s page, when it is a live management review.
pub fn inputs_section(site: &Site, i: usize) -> Option<tera::Context> {
    let d = &site.input.docs[i];
    if d.kind != "management-review" || !d.is_live() {
        return None;
    }
    let config = &site.input.loaded.config;
    let required: Vec<String> = match config.names("management-review-incomplete", "inputs") {
        Some((names, _)) => names.to_vec(),
        None => REVIEW_INPUTS.iter().map(|s| s.to_string()).collect(),
    };
    let given = d.review_inputs();
    let mut rows: Vec<InputRow> = Vec::new();
    for r in &required {
        let mine: Vec<_> = given.iter().filter(|g| &g.input == r).collect();
        rows.push(InputRow {
            input: r,
            required: true,
            considered: !mine.is_empty(),
            note: mine.first().map_or("", |g| g.note.as_str()),
            documents: mine
                .iter()
                .flat_map(|g| &g.documents)
                .map(|id| link_or_text(&site.ix, id))
                .collect(),
        });
        for g in mine.iter().skip(1) {
            rows.push(InputRow {
                input: r,
                required: true,
                considered: true,
                note: &g.note,
                documents: Vec::new(),
            });
        }
    }
    for g in given.iter().filter(|g| !required.contains(&g.input)) {
        rows.push(InputRow {
            input: &g.input,
            required: false,
            considered: true,
            note: &g.note,
            documents: g
                .documents
                .iter()
                .map(|id| link_or_text(&site.ix, id))
                .collect(),
        });
    }
    let mut decisions = Decisions::default();
    for (_, a) in d.actions().filter(|(f, _)| *f == "decisions") {
        decisions.total += 1;
        if !a.done_on.is_empty() {
            decisions.done += 1;
        } else if a.due.is_some_and(|due| due < site.input.date) {
            decisions.overdue += 1;
        } else {
            decisions.open += 1;
        }
    }
    let mut c = tera::Context::new();
    c.insert("inputs", &rows);
    c.insert(
        "missing",
        &rows.iter().filter(|r| r.required && !r.considered).count(),
    );
    c.insert("required", &required.len());
    c.insert("decisions", &decisions);
    Some(c)
}
