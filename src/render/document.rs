//! Document pages: `doc/ID.html` for every visible document (its
//! document-control block, kind fields, body, requirements satisfied,
//! references and back-links). Each body is rendered once, for its page and
//! for the evidence pack: bodies of the pack's documents are handed over to
//! the pack as they are made (see `pack::Plan`), pack documents first.
//!
//! With a memo (`serve`), a page whose inputs hash as before is not
//! rendered again; its body is still made when the pack needs it.

use rayon::prelude::*;
use serde::Serialize;

use super::links::{DocLinkOrText, ReqLinks, SharedLinks, joined_items, link_or_text};
use super::site::{Errors, Site, kind_title, md_plain};
use super::{Parts, RenderError, Sink};
use crate::address;
use crate::markdown::Links;
use crate::model::ShownField;

/// The family's entry point.
pub fn render(site: &Site, sink: &dyn Sink) -> Result<(), RenderError> {
    let errs = Errors::default();
    let _close = site.pack.close_on_drop();
    order(site).iter().par_bridge().for_each(|&i| {
        // The pack shows a document's body and its sections (an audit's
        // checklist, say), as its page does.
        let give = |body: String, sections: &[String]| {
            if site.pack.holds(i) {
                site.pack.give(i, with_sections(body, sections))
            }
        };
        let sections = || match sections(site, i) {
            Ok(s) => s,
            Err(f) => {
                errs.note(Err(f));
                Vec::new()
            }
        };
        if !site.parts.documents() {
            give(site.body_of(i), &sections());
            return;
        }
        let d = &site.input.docs[i];
        let url = address::doc(&d.id);
        let memo = site.input.memo;
        let mut data = document_data(site, i);
        data.sections = sections();
        let key = memo.map(|_| memo_key(site, i, &data));
        if let (Some(memo), Some(key)) = (memo, key)
            && memo.hit(&url, key)
        {
            give(site.body_of(i), &data.sections);
            return;
        }
        data.body = site.body_of(i);
        let page = site.page("document.html", &url, doc_context(&data));
        give(std::mem::take(&mut data.body), &data.sections);
        if let (Some(memo), Some(key), true) = (memo, key, page.is_ok()) {
            memo.put(url, key);
        }
        errs.emit(sink, page);
    });
    errs.result()
}

/// A section some document pages show after the body (an audit's
/// checklist, an SLA's charts): one line in [`SECTIONS`].
pub struct Section {
    /// Its template, rendered as a fragment of the document's page.
    pub template: &'static str,
    /// Its template's context for document `i`; `None`: no such section.
    pub context: fn(&Site, usize) -> Option<tera::Context>,
}

/// The sections of document pages, in the order they are shown.
pub const SECTIONS: &[Section] = &[
    Section {
        template: "customer-section.html",
        context: super::customers::customer_section,
    },
    Section {
        template: "service-customers.html",
        context: super::customers::service_section,
    },
    Section {
        template: "audit-checklist.html",
        context: super::audits::checklist_section,
    },
    Section {
        template: "nonconformity-stage.html",
        context: super::nonconformities::stage_section,
    },
    Section {
        template: "review-inputs.html",
        context: super::reviews::inputs_section,
    },
    Section {
        template: "sla-charts.html",
        context: super::sla_results::section,
    },
];

/// A body followed by its page's sections (what the pack shows).
fn with_sections(mut body: String, sections: &[String]) -> String {
    for s in sections {
        body.push('\n');
        body.push_str(s);
    }
    body
}

/// Document `i`'s sections, as HTML.
fn sections(site: &Site, i: usize) -> Result<Vec<String>, crate::diag::Finding> {
    let path = address::doc(&site.input.docs[i].id);
    let mut out = Vec::new();
    for s in SECTIONS {
        if let Some(ctx) = (s.context)(site, i) {
            out.push(site.fragment(s.template, &path, ctx)?);
        }
    }
    Ok(out)
}

/// The documents whose pages (or bodies) are made, in order: the pack's
/// first (it waits for them), then the other visible ones (those in focus,
/// for [`Parts::Focus`]).
fn order(site: &Site) -> Vec<usize> {
    let docs = site.input.docs;
    let parts = site.parts;
    site.pack
        .order
        .iter()
        .map(|&(i, _)| i)
        .chain((0..docs.len()).filter(|&i| {
            parts.documents()
                && site.visible(i)
                && !site.pack.holds(i)
                && (parts != Parts::Focus || site.input.focus.contains(&docs[i].file))
        }))
        .collect()
}

/// Everything document `i`'s page is made from, hashed: the site, the
/// page's data, its body and where each of its references and links leads.
fn memo_key(site: &Site, i: usize, data: &DocCtx) -> u64 {
    use std::hash::{Hash, Hasher};
    let d = &site.input.docs[i];
    let mut h = std::hash::DefaultHasher::new();
    site.site_key.hash(&mut h);
    data.hash(&mut h);
    d.body.hash(&mut h);
    let links = site.page_links(i);
    for r in &d.scan.refs {
        links.wiki(&r.target).hash(&mut h);
    }
    for l in &d.scan.links {
        links.link(&l.dest).hash(&mut h);
    }
    h.finish()
}

#[derive(Serialize, Hash)]
struct FieldCtx<'a> {
    name: &'a str,
    label: String,
    ty: &'static str,
    text: Option<&'a str>,
    html: Option<String>,
    links: Vec<DocLinkOrText>,
    items: &'a [String],
    targets: &'a [crate::model::Target],
    actions: &'a [crate::model::Action],
}

#[derive(Serialize, Hash)]
pub(super) struct DocCtx<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'a str,
    kind_title: String,
    kind_url: String,
    owner: Option<&'a str>,
    version: Option<&'a str>,
    status: &'static str,
    approved_by: Option<&'a str>,
    approved_on: Option<String>,
    review_by: Option<String>,
    classification: &'static str,
    file: &'a str,
    fields: Vec<FieldCtx<'a>>,
    body: String,
    headings: &'a [crate::markdown::Heading],
    satisfies: ReqLinks<'a>,
    mentions: ReqLinks<'a>,
    references: SharedLinks<'a>,
    referenced_by: SharedLinks<'a>,
    /// The page's sections after the body (see [`SECTIONS`]), as HTML.
    sections: Vec<String>,
    /// `references` and `referenced_by` as the default theme lists them:
    /// one `<li>` per document (see [`LinkHtml`]).
    references_html: String,
    referenced_by_html: String,
    /// Its revision history (see [`HistoryCtx`]).
    history: HistoryCtx<'a>,
}

/// Commits a document page lists; the older ones are counted (all are in
/// `model.json`).
const HISTORY_SHOWN: usize = 10;

/// A document's revision history as its page shows it.
#[derive(Serialize, Hash)]
pub(super) struct HistoryCtx<'a> {
    /// The git history was read (else the page shows none).
    read: bool,
    /// "uncommitted changes", "new, not committed yet"...
    uncommitted: Option<&'static str>,
    /// The latest commits that changed its file, newest first.
    commits: Vec<RevisionCtx<'a>>,
    /// How many older ones there are.
    older: usize,
    /// The day the history starts, when a shallow clone cuts it off.
    cut_off: Option<String>,
    /// Its approval is stale: the changes since, as the finding names them.
    stale: Option<String>,
}

/// One commit of a document's history.
#[derive(Serialize, Hash)]
pub(super) struct RevisionCtx<'a> {
    short: &'a str,
    date: String,
    author: &'a str,
    subject: &'a str,
}

/// Document `i`'s revision history, its latest `max` commits.
pub(super) fn history_ctx<'a>(site: &Site<'a>, i: usize, max: usize) -> HistoryCtx<'a> {
    let c: &'a crate::control::Control = site.input.history;
    let h = c.of(i);
    let cut = c.history.cut_off();
    HistoryCtx {
        read: c.state == crate::control::State::Read,
        uncommitted: h.uncommitted.map(|u| u.describe()),
        commits: h
            .commits
            .iter()
            .take(max)
            .map(|&k| {
                let commit = c.commit(k);
                RevisionCtx {
                    short: &commit.short,
                    date: commit.day.to_string(),
                    author: &commit.author,
                    subject: &commit.subject,
                }
            })
            .collect(),
        older: h.commits.len().saturating_sub(max),
        cut_off: h
            .commits
            .last()
            .filter(|&&k| c.commit(k).boundary)
            .and(cut)
            .map(|d| d.to_string()),
        stale: c
            .stale
            .iter()
            .find(|s| s.doc == i)
            .map(|s| c.describe(&s.since, s.uncommitted, 3)),
    }
}

/// A document page's data; its `body` is left empty for the caller to
/// fill (not rendered when the page's memo says it is unchanged).
fn document_data<'a>(site: &'a Site<'a>, i: usize) -> DocCtx<'a> {
    let (ix, res) = (&site.ix, site.input.resolved);
    let (docs, cats) = (ix.docs, ix.cats);
    let d = &docs[i];
    let (doc_links, req_links, link_html) = (&site.doc_links, &site.req_links, &site.link_html);
    let fields = d
        .fields
        .iter()
        .map(|f: &ShownField| FieldCtx {
            name: &f.name,
            label: f.name.replace('_', " "),
            ty: f.ty,
            text: f.text.as_deref(),
            html: (f.ty == "markdown").then(|| md_plain(f.text.as_deref().unwrap_or(""))),
            links: match f.ty {
                "refs" => f.items.iter().map(|id| link_or_text(ix, id)).collect(),
                "requirements" => f.items.iter().map(|k| req_or_text(cats, k)).collect(),
                // Names that are customer ids become links.
                "list" if d.kind == "service" && f.name == "customers" => {
                    super::customers::named_customers(site, &f.items)
                }
                _ => Vec::new(),
            },
            items: &f.items,
            targets: &f.targets,
            actions: &f.actions,
        })
        .collect();
    let reqs = |items| ReqLinks {
        items,
        cats,
        res,
        values: req_links,
    };
    let satisfies = reqs(
        d.satisfies
            .iter()
            .filter_map(|s| cats.get(&s.req).map(|q| (q, s.note.as_deref())))
            .collect(),
    );
    DocCtx {
        id: &d.id,
        title: &d.title,
        kind: &d.kind,
        kind_title: kind_title(&d.kind),
        // A kind nothing declares has no index (the register lists all).
        kind_url: if d.kind_known {
            address::kind(&d.kind)
        } else {
            address::REGISTER.to_string()
        },
        owner: d.owner.as_deref(),
        version: d.version.as_deref(),
        status: d.status.as_str(),
        approved_by: d.approved_by.as_deref(),
        approved_on: d.approved_on.map(|x| x.to_string()),
        review_by: d.review_by.map(|x| x.to_string()),
        classification: d.classification.as_str(),
        file: &d.file,
        fields,
        body: String::new(),
        headings: &d.scan.headings,
        satisfies,
        mentions: reqs(res.req_mentions[i].iter().map(|&q| (q, None)).collect()),
        references: SharedLinks {
            to: &res.references[i],
            docs,
            values: doc_links,
        },
        referenced_by: SharedLinks {
            to: &res.referenced_by[i],
            docs,
            values: doc_links,
        },
        sections: Vec::new(),
        references_html: joined_items(&res.references[i], link_html, |x| &x.reference),
        referenced_by_html: joined_items(&res.referenced_by[i], link_html, |x| &x.referenced_by),
        history: history_ctx(site, i, HISTORY_SHOWN),
    }
}

/// A link to requirement `key`, or its key alone when it does not resolve.
fn req_or_text(cats: &crate::catalogue::Catalogues, key: &str) -> DocLinkOrText {
    let q = cats.get(key);
    DocLinkOrText {
        id: key.to_string(),
        title: q.map(|q| cats.reqs[q].title.clone()).unwrap_or_default(),
        url: q.map(|_| address::req(key)),
    }
}

fn doc_context(data: &DocCtx) -> tera::Context {
    let mut c = tera::Context::new();
    c.insert("doc", data);
    c.insert("title", &format!("{} {}", data.id, data.title));
    c
}
