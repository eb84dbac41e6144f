//! Requirement pages: `req/CATALOGUE/ID.html` for every requirement of
//! the catalogues in force: its place in the catalogue, its coverage, the
//! evidence and the documents that would be evidence once approved, its
//! statement-of-applicability entry, and the audits that had it in scope
//! and the nonconformities that name it (or a requirement beneath it).

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
    let records = Records::new(site);
    (0..cats.reqs.len()).into_par_iter().for_each(|q| {
        let mut c = requirement_ctx(site, q);
        c.insert("audits", &records.audits(site, q));
        c.insert("nonconformities", &records.nonconformities(site, q));
        errs.emit(
            sink,
            site.page("requirement.html", &address::req(&cats.reqs[q].key), c),
        )
    });
    errs.result()
}

/// Per requirement, the visible audits that had it (or a leaf beneath it)
/// in scope, and the visible nonconformities that name it (or one beneath).
struct Records {
    audits: Vec<Vec<usize>>,
    nonconformities: Vec<Vec<usize>>,
}

/// An audit as a requirement's page lists it.
#[derive(Serialize)]
struct AuditItem<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
    audit_type: String,
    /// `performed` or `planned`.
    state: &'static str,
    date: String,
    /// For a leaf: the result that applies to it, if any.
    result: &'static str,
}

/// A nonconformity as a requirement's page lists it.
#[derive(Serialize)]
struct NcItem<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
    grade: String,
    stage: &'static str,
}

impl Records {
    fn new(site: &Site) -> Records {
        let cats = &site.input.loaded.catalogues;
        let op = &site.input.resolved.operation;
        let n = cats.reqs.len();
        let (mut audits, mut ncs) = (vec![Vec::new(); n], vec![Vec::new(); n]);
        // `q` and its ancestors get `k` (once: `k` only grows).
        let mark = |lists: &mut Vec<Vec<usize>>, q: usize, k: usize| {
            let mut cur = Some(q);
            while let Some(c) = cur {
                if lists[c].last() != Some(&k) {
                    lists[c].push(k);
                }
                cur = cats.reqs[c].parent;
            }
        };
        for (k, a) in op.audits.iter().enumerate() {
            if site.visible(a.doc) {
                a.leaves.iter().for_each(|&q| mark(&mut audits, q, k));
            }
        }
        for &d in op.nonconformities.iter().filter(|&&d| site.visible(d)) {
            let doc = &site.input.docs[d];
            for q in doc.reqs_of("requirements").filter_map(|r| cats.get(&r.key)) {
                mark(&mut ncs, q, d);
            }
        }
        Records {
            audits,
            nonconformities: ncs,
        }
    }

    fn audits<'a>(&self, site: &'a Site, q: usize) -> Vec<AuditItem<'a>> {
        let op = &site.input.resolved.operation;
        let docs = site.input.docs;
        self.audits[q]
            .iter()
            .map(|&k| {
                let a = &op.audits[k];
                let d = &docs[a.doc];
                let result = a
                    .leaves
                    .binary_search(&q)
                    .ok()
                    .and_then(|i| a.result_at(docs, i))
                    .and_then(|r| r.outcome)
                    .map_or("", crate::model::Outcome::as_str);
                AuditItem {
                    id: &d.id,
                    title: &d.title,
                    url: address::page(d),
                    audit_type: d.text("audit_type").unwrap_or_default(),
                    state: if a.performed { "performed" } else { "planned" },
                    date: a.when().map(|w| w.to_string()).unwrap_or_default(),
                    result,
                }
            })
            .collect()
    }

    fn nonconformities<'a>(&self, site: &'a Site, q: usize) -> Vec<NcItem<'a>> {
        let docs = site.input.docs;
        let mut list: Vec<&crate::model::Document> =
            self.nonconformities[q].iter().map(|&d| &docs[d]).collect();
        list.sort_by(|a, b| a.id.cmp(&b.id));
        list.into_iter()
            .map(|d| NcItem {
                id: &d.id,
                title: &d.title,
                url: address::page(d),
                grade: d.text("grade").unwrap_or_default(),
                stage: crate::resolve::Stage::of(d).as_str(),
            })
            .collect()
    }
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
