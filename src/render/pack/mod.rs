//! The evidence pack: `evidence-pack.html`, every approved (and visible)
//! document in one page, in clause order, with a table of contents and a
//! document-control block per document, made to print to PDF from the
//! browser as one audit file (the print stylesheet breaks the page before
//! each document).
//!
//! Order: by the first clause of the ISO/IEC 20000-1 catalogue (or, without
//! it, the first catalogue in force) the document satisfies, in catalogue
//! order; then documents satisfying only other catalogues' requirements;
//! then the rest, by kind and id. Audits, nonconformities and management
//! reviews that satisfy nothing are filed under 9.2, 10.1 and 9.3.
//!
//! Bodies are the HTML already rendered for the document pages, rebased
//! for a page at the site root ([`rebase`]): heading ids get the document's
//! id as prefix so they stay unique in one page, links within the pack
//! become in-page links, and `../` links lose their `../`.
//!
//! Generated content (a register, a programme) is filed under a clause
//! too, beside the documents filed there: one line in [`SECTIONS`].
//!
//! - `handover`: bodies passed from the document pages to the pack writer;
//! - `splice`: the writer that puts each body in place, rebased.

mod handover;
mod splice;

pub use handover::{CloseOnDrop, Handover};
pub use splice::{Splicer, rebase};

use std::io::Write;

use serde::Serialize;

use super::links::ReqLinks;
use super::site::Site;
use super::{RenderError, Sink};
use crate::address;
use crate::catalogue::Catalogues;
use crate::model::{Document, Status};
use crate::resolve::Resolved;
use splice::placeholder;

/// The family's entry point: the pack, written as its template goes,
/// each body spliced in as the document pages hand it over.
pub fn render(site: &Site, sink: &dyn Sink) -> Result<(), RenderError> {
    let plan = &site.pack;
    let sections = sections(site, &plan.order)?;
    let mut c = tera::Context::new();
    c.insert("title", "Evidence pack");
    c.insert("doc_count", &plan.order.len());
    c.insert("docs", &documents(site, &sections));
    // The template renders each body as a placeholder, and straight into
    // the file: the bodies are spliced in on the way.
    let through =
        |file: &mut dyn Write, render: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>| {
            let take = |k| plan.handover.take(k);
            let mut sp = Splicer::new(file, &plan.order, site.input.docs, &take);
            render(&mut sp)?;
            sp.finish()
        };
    site.stream_through(
        sink,
        "evidence-pack.html",
        address::EVIDENCE_PACK,
        c,
        &through,
    )
    .map_err(|f| vec![f])
}

/// Which documents the pack holds, and how their bodies reach it from the
/// document pages, which render them (see [`Handover`]).
pub struct Plan {
    /// The pack's documents in pack order, each with the clause it is filed under.
    pub order: Vec<Filed>,
    /// Each document's position in the pack, if it is in it.
    pos: Vec<Option<usize>>,
    handover: Handover,
}

impl Default for Plan {
    fn default() -> Plan {
        Plan {
            order: Vec::new(),
            pos: Vec::new(),
            handover: Handover::new(0),
        }
    }
}

impl Plan {
    /// The pack of a render: empty unless it renders the aggregates.
    pub fn new(site: &Site) -> Plan {
        let docs = site.input.docs;
        let order = if site.parts.aggregates() {
            order(docs, &|i| site.visible(i), &site.input.loaded.catalogues)
        } else {
            Vec::new()
        };
        let mut pos = vec![None; docs.len()];
        for (k, &(i, _)) in order.iter().enumerate() {
            pos[i] = Some(k);
        }
        let handover = Handover::new(order.len());
        Plan {
            order,
            pos,
            handover,
        }
    }

    /// Whether document `i` is in the pack.
    pub fn holds(&self, i: usize) -> bool {
        self.pos.get(i).is_some_and(Option::is_some)
    }

    /// Hands over document `i`'s body, if the pack holds it.
    pub fn give(&self, i: usize, body: String) {
        if let Some(&Some(k)) = self.pos.get(i) {
            self.handover.give(k, body);
        }
    }

    /// Closes the handover when dropped (no more bodies will come), also
    /// when the one who holds it panics.
    pub fn close_on_drop(&self) -> CloseOnDrop<'_> {
        CloseOnDrop(&self.handover)
    }
}

/// One document of the pack.
#[derive(Serialize)]
pub struct PackDoc<'a> {
    /// Not a section (see [`Section`]).
    pub section: bool,
    /// In-page anchor of the document's section.
    pub anchor: String,
    pub id: &'a str,
    pub title: &'a str,
    pub kind: &'a str,
    pub url: String,
    pub owner: Option<&'a str>,
    pub version: Option<&'a str>,
    pub approved_by: Option<&'a str>,
    pub approved_on: Option<String>,
    pub review_by: Option<String>,
    pub classification: &'static str,
    pub file: &'a str,
    /// The clause it is filed under (first satisfied), if any.
    pub clause: Option<String>,
    pub satisfies: ReqLinks<'a>,
    /// A placeholder for the body, replaced by `splice`.
    pub body: String,
}

/// The in-page anchor of document `id` in the pack.
pub fn anchor(id: &str) -> String {
    format!("pack-{id}")
}

/// A document of the pack: its index in the documents, and the
/// requirement (clause) it is filed under, if any.
pub type Filed = (usize, Option<usize>);

/// The pack's order: the approved documents among those shown (`shown(i)`:
/// canonical and not restricted), by the clause they are filed under.
/// Cheap: the pages need it before they start; [`documents`] makes the
/// template's list from it on the pack's own thread.
pub fn order(docs: &[Document], shown: &dyn Fn(usize) -> bool, cats: &Catalogues) -> Vec<Filed> {
    let places = Places::new(cats);
    let (primary, order) = (places.primary, &places.order);
    let chosen: Vec<usize> = (0..docs.len())
        .filter(|&i| shown(i) && docs[i].status == Status::Approved)
        .collect();
    // (sort key, clause filed under, document)
    type Keyed = ((u8, usize, usize), Option<usize>, usize);
    let mut keyed: Vec<Keyed> = chosen
        .iter()
        .map(|&i| {
            let reqs: Vec<usize> = docs[i]
                .satisfies
                .iter()
                .filter_map(|s| cats.get(&s.req))
                .collect();
            let first_primary = reqs
                .iter()
                .filter(|&&q| cats.reqs[q].catalogue == primary)
                .min_by_key(|&&q| order[q])
                .copied();
            let first_other = reqs
                .iter()
                .min_by_key(|&&q| (cats.reqs[q].catalogue, order[q]))
                .copied();
            let clause = first_primary
                .or(first_other)
                .or_else(|| filed_by_kind(&docs[i].kind).and_then(|k| cats.get(k)));
            (places.key(clause), clause, i)
        })
        .collect();
    keyed.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| docs[a.2].kind.cmp(&docs[b.2].kind))
            .then_with(|| docs[a.2].id.cmp(&docs[b.2].id))
    });
    keyed
        .into_iter()
        .map(|(_, clause, i)| (i, clause))
        .collect()
}

/// The clause a record of the SMS in operation is filed under when it
/// names none in `satisfies`: audit reports under 9.2, nonconformities
/// under 10.1, management reviews under 9.3.
fn filed_by_kind(kind: &str) -> Option<&'static str> {
    match kind {
        "audit" => Some("ISO20000-1:9.2"),
        "nonconformity" => Some("ISO20000-1:10.1"),
        "management-review" => Some("ISO20000-1:9.3"),
        _ => None,
    }
}

/// Where a clause stands in the pack: its catalogue's place (ISO/IEC
/// 20000-1 first, or the first catalogue in force) and its place there.
struct Places<'a> {
    cats: &'a Catalogues,
    primary: usize,
    /// Position of each requirement in its catalogue's order.
    order: Vec<usize>,
}

impl<'a> Places<'a> {
    fn new(cats: &'a Catalogues) -> Places<'a> {
        let primary = cats
            .list
            .iter()
            .position(|c| c.name == "ISO20000-1")
            .unwrap_or(0);
        let mut order = vec![usize::MAX; cats.reqs.len()];
        for c in &cats.list {
            for (k, &q) in c.reqs.iter().enumerate() {
                order[q] = k;
            }
        }
        Places {
            cats,
            primary,
            order,
        }
    }

    /// The sort key of what is filed under `clause` (none: last).
    fn key(&self, clause: Option<usize>) -> (u8, usize, usize) {
        match clause {
            Some(q) if self.cats.reqs[q].catalogue == self.primary => (0, self.order[q], 0),
            Some(q) => (1, self.cats.reqs[q].catalogue, self.order[q]),
            None => (2, 0, 0),
        }
    }
}

/// Generated content the pack files under a clause, beside the documents
/// filed there (an audit programme, a register): one line in [`SECTIONS`].
pub struct Section {
    /// The requirement it is filed under (`CATALOGUE:ID`); not in force: not in the pack.
    pub clause: &'static str,
    /// Its anchor in the pack (`pack-...`) and its title.
    pub anchor: &'static str,
    pub title: &'static str,
    /// The template of its content, rendered as a fragment of a page at the site's root.
    pub template: &'static str,
    /// Its template's context, or `None` when the repository has nothing for it.
    pub context: fn(&Site) -> Option<tera::Context>,
}

/// The pack's sections of generated content.
pub const SECTIONS: &[Section] = &[
    Section {
        clause: "ISO20000-1:8.3.2",
        anchor: "pack-complaints",
        title: "Complaints register",
        template: "complaints-table.html",
        context: super::complaints::pack_section,
    },
    Section {
        clause: "ISO20000-1:9.2",
        anchor: "pack-audit-programme",
        title: "Audit programme",
        template: "audit-programme-table.html",
        context: super::audits::pack_section,
    },
    Section {
        clause: "ISO20000-1:9.4",
        anchor: "pack-service-report",
        title: "Monthly service report, latest month",
        template: "service-report-body.html",
        context: super::monthly::pack_section,
    },
    Section {
        clause: "ISO20000-1:10.1",
        anchor: "pack-nonconformities",
        title: "Nonconformity register",
        template: "nonconformities-table.html",
        context: super::nonconformities::pack_section,
    },
];

/// A section of the pack as its template lists it, beside the documents.
#[derive(Serialize)]
struct PackSection {
    section: bool,
    anchor: &'static str,
    id: &'static str,
    title: &'static str,
    clause: String,
    html: String,
}

/// The sections this render's pack holds, each with the number of pack
/// documents before it, in order; a section that fails to render is a finding.
fn sections(site: &Site, order: &[Filed]) -> Result<Vec<(usize, PackSection)>, RenderError> {
    let cats = &site.input.loaded.catalogues;
    let places = Places::new(cats);
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for s in SECTIONS {
        let Some(q) = cats.get(s.clause) else {
            continue;
        };
        let Some(ctx) = (s.context)(site) else {
            continue;
        };
        let html = match site.fragment(s.template, address::EVIDENCE_PACK, ctx) {
            Ok(h) => h,
            Err(f) => {
                errs.push(f);
                continue;
            }
        };
        let key = places.key(Some(q));
        let before = order.partition_point(|&(_, c)| places.key(c) <= key);
        out.push((
            before,
            PackSection {
                section: true,
                anchor: s.anchor,
                id: s.anchor,
                title: s.title,
                clause: cats.reqs[q].key.clone(),
                html,
            },
        ));
    }
    out.sort_by_key(|(before, _)| *before);
    if errs.is_empty() { Ok(out) } else { Err(errs) }
}

/// The template's list of the pack's documents, in `order`, with its
/// sections among them: each document is made as the template's context
/// takes it, so the list is never held twice.
fn documents<'a>(site: &'a Site<'a>, sections: &'a [(usize, PackSection)]) -> Documents<'a> {
    Documents {
        docs: site.input.docs,
        order: &site.pack.order,
        cats: &site.input.loaded.catalogues,
        res: site.input.resolved,
        req_links: &site.req_links,
        sections,
    }
}

struct Documents<'a> {
    docs: &'a [Document],
    order: &'a [Filed],
    cats: &'a Catalogues,
    res: &'a Resolved,
    /// Each requirement's link, as a template value.
    req_links: &'a [tera::Value],
    /// Sections, each after as many documents as it says.
    sections: &'a [(usize, PackSection)],
}

/// An entry of the pack's list: a document or a section.
#[derive(Serialize)]
#[serde(untagged)]
enum Entry<'a> {
    Doc(Box<PackDoc<'a>>),
    Section(&'a PackSection),
}

impl<'a> Documents<'a> {
    /// The `k`-th document of the pack, for the template.
    fn doc(&self, k: usize, i: usize, clause: Option<usize>) -> PackDoc<'a> {
        let (d, cats) = (&self.docs[i], self.cats);
        PackDoc {
            section: false,
            anchor: anchor(&d.id),
            id: &d.id,
            title: &d.title,
            kind: &d.kind,
            url: address::doc(&d.id),
            owner: d.owner.as_deref(),
            version: d.version.as_deref(),
            approved_by: d.approved_by.as_deref(),
            approved_on: d.approved_on.map(|x| x.to_string()),
            review_by: d.review_by.map(|x| x.to_string()),
            classification: d.classification.as_str(),
            file: &d.file,
            clause: clause.map(|q| cats.reqs[q].key.clone()),
            satisfies: ReqLinks {
                items: d
                    .satisfies
                    .iter()
                    .filter_map(|s| cats.get(&s.req))
                    .map(|q| (q, None))
                    .collect(),
                cats,
                res: self.res,
                values: self.req_links,
            },
            // Spliced in after rendering (see `splice`): the template
            // never holds every body at once.
            body: placeholder(k),
        }
    }
}

impl Serialize for Documents<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(Entries {
            list: self,
            next_doc: 0,
            next_section: 0,
        })
    }
}

/// The pack's entries in order: each section before the document it is
/// placed before (or after the last), each document made as it is reached.
struct Entries<'l, 'a> {
    list: &'l Documents<'a>,
    next_doc: usize,
    next_section: usize,
}

impl<'l, 'a> Iterator for Entries<'l, 'a> {
    type Item = Entry<'l>;
    fn next(&mut self) -> Option<Entry<'l>> {
        let list = self.list;
        if let Some((before, sec)) = list.sections.get(self.next_section)
            && *before <= self.next_doc
        {
            self.next_section += 1;
            return Some(Entry::Section(sec));
        }
        let k = self.next_doc;
        let &(i, clause) = list.order.get(k)?;
        self.next_doc += 1;
        Some(Entry::Doc(Box::new(list.doc(k, i, clause))))
    }
}
