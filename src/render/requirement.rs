//! Requirement pages: `req/CATALOGUE/ID.html` for every requirement of
//! the catalogues in force: its place in the catalogue, its coverage, the
//! evidence and the documents that would be evidence once approved, and
//! its statement-of-applicability entry.

use rayon::prelude::*;
use serde::Serialize;

use super::links::{DocLinkOrText, ReqLink, SharedLinks, link_or_text, req_link};
use super::site::{Errors, Site};
use super::{RenderError, Sink};
use crate::address;
use crate::config::SoaStatus;
use crate::resolve::Cover;

/// The family's entry point.
pub fn render(site: &Site, sink: &dyn Sink) -> Result<(), RenderError> {
    let errs = Errors::default();
    let cats = &site.input.loaded.catalogues;
    (0..cats.reqs.len()).into_par_iter().for_each(|q| {
        errs.emit(
            sink,
            site.page(
                "requirement.html",
                &address::req(&cats.reqs[q].key),
                requirement_ctx(site, q),
            ),
        )
    });
    errs.result()
}

#[derive(Serialize)]
struct SoaCtx {
    status: SoaStatus,
    req: String,
    justification: Option<String>,
    party: Option<String>,
    evidence: Vec<DocLinkOrText>,
}

#[derive(Serialize)]
struct ReqCtx<'a> {
    key: String,
    id: String,
    title: String,
    catalogue: String,
    catalogue_title: String,
    leaf: bool,
    cover: Cover,
    leaves: usize,
    leaves_covered: usize,
    parent: Option<ReqLink>,
    ancestors: Vec<ReqLink>,
    children: Vec<ReqLink>,
    evidence: SharedLinks<'a>,
    pending: SharedLinks<'a>,
    /// Documents naming this requirement (or an ancestor) in `satisfies:`, with notes.
    notes: Vec<(String, String)>,
    soa: Option<SoaCtx>,
}

fn requirement_ctx(site: &Site, q: usize) -> tera::Context {
    let (input, ix, doc_links) = (site.input, &site.ix, &site.doc_links);
    let l = input.loaded;
    let cats = &l.catalogues;
    let res = input.resolved;
    let r = &cats.reqs[q];
    let cov = &res.coverage[q];
    let docs = input.docs;
    let mut ancestors = Vec::new();
    let mut p = r.parent;
    while let Some(a) = p {
        ancestors.push(req_link(cats, res, a, None));
        p = cats.reqs[a].parent;
    }
    ancestors.reverse();
    let soa = cov.soa.map(|e| {
        let e = &l.config.applicability[e];
        SoaCtx {
            status: e.status,
            req: e.req.clone(),
            justification: e.justification.clone(),
            party: e.party.clone(),
            evidence: e.evidence.iter().map(|id| link_or_text(ix, id)).collect(),
        }
    });
    let notes = res.satisfied_by[q]
        .iter()
        .filter_map(|(d, n)| n.as_ref().map(|n| (docs[*d].id.clone(), n.clone())))
        .collect();
    let ctx = ReqCtx {
        key: r.key.clone(),
        id: r.id.clone(),
        title: r.title.clone(),
        catalogue: cats.list[r.catalogue].name.clone(),
        catalogue_title: cats.list[r.catalogue].title.clone(),
        leaf: r.is_leaf(),
        cover: cov.cover,
        leaves: cov.leaves,
        leaves_covered: cov.leaves_covered,
        parent: r.parent.map(|p| req_link(cats, res, p, None)),
        ancestors,
        children: r
            .children
            .iter()
            .map(|&c| req_link(cats, res, c, None))
            .collect(),
        evidence: SharedLinks {
            to: &cov.evidence,
            docs,
            values: doc_links,
        },
        pending: SharedLinks {
            to: &cov.pending,
            docs,
            values: doc_links,
        },
        notes,
        soa,
    };
    let mut c = tera::Context::new();
    c.insert("req", &ctx);
    c.insert("title", &format!("{} {}", r.key, r.title));
    c
}
