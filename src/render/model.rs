//! `model.json`: the whole resolved model for other tools — every
//! canonical document with its fields, references and back-links, every
//! requirement with its coverage, the statement of applicability and the
//! findings — written straight into its file as it is serialised.

use std::io::Write;

use serde::Serialize;

use super::site::Site;
use super::{Input, RenderError, Sink};
use crate::address;

/// The family's entry point.
pub fn render(site: &Site, sink: &dyn Sink) -> Result<(), RenderError> {
    sink.stream(address::MODEL, &mut |w| write(site.input, w));
    Ok(())
}

/// A canonical document as `model.json` gives it.
#[derive(Serialize)]
struct Doc<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'a str,
    file: &'a str,
    url: String,
    owner: Option<&'a str>,
    version: Option<&'a str>,
    status: &'a str,
    approved_by: Option<&'a str>,
    approved_on: Option<String>,
    review_by: Option<String>,
    classification: &'a str,
    fields: &'a crate::model::Fields,
    satisfies: &'a [crate::model::Satisfies],
    references: Vec<&'a str>,
    referenced_by: Vec<&'a str>,
    /// Its revision history; `null` when the git history was not read.
    history: Option<History<'a>>,
}

#[derive(Serialize)]
struct History<'a> {
    /// `changed`, `moved` or `new` when the work tree's version is not committed.
    uncommitted: Option<crate::control::Uncommitted>,
    /// The commits that changed its file, newest first.
    commits: Vec<Rev<'a>>,
}

#[derive(Serialize)]
struct Rev<'a> {
    commit: String,
    short: &'a str,
    date: String,
    time: &'a str,
    author: &'a str,
    subject: &'a str,
}

/// A requirement with its coverage.
#[derive(Serialize)]
struct Req<'a> {
    key: &'a str,
    catalogue: &'a str,
    id: &'a str,
    title: &'a str,
    parent: Option<&'a str>,
    leaf: bool,
    coverage: &'static str,
    evidence: Vec<&'a str>,
    pending: Vec<&'a str>,
    url: String,
}

#[derive(Serialize)]
struct Model<'a> {
    name: &'a str,
    organisation: Option<&'a str>,
    date: String,
    generator: String,
    documents: Vec<Doc<'a>>,
    requirements: Vec<Req<'a>>,
    applicability: &'a [crate::config::SoaEntry],
    findings: &'a [crate::diag::Finding],
}

/// Writes the model as JSON into `w`.
fn write(input: &Input, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let l = input.loaded;
    let model = Model {
        name: &l.config.name,
        organisation: l.config.organisation.as_deref(),
        date: input.date.to_string(),
        generator: format!("smsite {}", env!("CARGO_PKG_VERSION")),
        documents: documents(input),
        requirements: requirements(input),
        applicability: &l.config.applicability,
        findings: input.findings,
    };
    // Serialised in small pieces: buffered here, not per piece by `w`.
    let mut b = std::io::BufWriter::with_capacity(1 << 16, w);
    serde_json::to_writer_pretty(&mut b, &model)?;
    b.write_all(b"\n")?;
    b.flush()
}

/// Every canonical document (the first of its id), in order.
fn documents<'a>(input: &'a Input) -> Vec<Doc<'a>> {
    let (res, docs) = (input.resolved, input.docs);
    let ids = |list: &[usize]| list.iter().map(|&t| docs[t].id.as_str()).collect();
    docs.iter()
        .enumerate()
        .filter(|(i, d)| res.by_id.get(&d.id) == Some(i))
        .map(|(i, d)| {
            let restricted = crate::audience::is_restricted(d);
            Doc {
                id: &d.id,
                title: &d.title,
                kind: &d.kind,
                file: if restricted { "" } else { &d.file },
                url: address::page(d),
                owner: d.owner.as_deref(),
                version: d.version.as_deref(),
                status: d.status.as_str(),
                approved_by: d.approved_by.as_deref(),
                approved_on: d.approved_on.map(|x| x.to_string()),
                review_by: d.review_by.map(|x| x.to_string()),
                classification: d.classification.as_str(),
                fields: &d.raw,
                satisfies: &d.satisfies,
                references: ids(&res.references[i]),
                referenced_by: ids(&res.referenced_by[i]),
                history: if restricted {
                    None
                } else {
                    history_of(input, i)
                },
            }
        })
        .collect()
}

/// Document `i`'s revision history; `None` when the history was not read.
fn history_of<'a>(input: &Input<'a>, i: usize) -> Option<History<'a>> {
    let control = input.history;
    if control.state != crate::control::State::Read {
        return None;
    }
    let h = control.of(i);
    let commits = h
        .commits
        .iter()
        .map(|&k| {
            let c = control.commit(k);
            Rev {
                commit: c.id.to_string(),
                short: &c.short,
                date: c.day.to_string(),
                time: &c.time,
                author: &c.author,
                subject: &c.subject,
            }
        })
        .collect();
    Some(History {
        uncommitted: h.uncommitted,
        commits,
    })
}

/// Every requirement of the catalogues in force, with its coverage.
fn requirements<'a>(input: &'a Input) -> Vec<Req<'a>> {
    let (res, docs, cats) = (input.resolved, input.docs, &input.loaded.catalogues);
    let ids = |list: &[usize]| list.iter().map(|&d| docs[d].id.as_str()).collect();
    cats.reqs
        .iter()
        .enumerate()
        .map(|(q, r)| Req {
            key: &r.key,
            catalogue: &cats.list[r.catalogue].name,
            id: &r.id,
            title: &r.title,
            parent: r.parent.map(|p| cats.reqs[p].key.as_str()),
            leaf: r.is_leaf(),
            coverage: super::matrix::cover_name(res.coverage[q].cover),
            evidence: ids(&res.coverage[q].evidence),
            pending: ids(&res.coverage[q].pending),
            url: address::req(&r.key),
        })
        .collect()
}
