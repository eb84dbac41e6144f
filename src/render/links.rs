//! Links as pages show them: to a document (id, title, kind, status), to
//! a requirement (key, title, coverage), and the links written in a
//! document page's body. The links to a document are the same on every page
//! that shows them: each is made once per render, as a template value and
//! as HTML (see [`LinkHtml`]), and shared.

use std::borrow::Cow;

use serde::Serialize;

use crate::address;
use crate::audience;
use crate::catalogue::Catalogues;
use crate::html::push_escaped;
use crate::markdown::{self, Links};
use crate::model::Document;
use crate::resolve::{Cover, Index, LinkTarget, Resolved, Target};

/// A link to a document, borrowing what it shows from the document.
#[derive(Serialize, Clone, Hash)]
pub struct DocLink<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: String,
    pub kind: &'a str,
    pub status: &'static str,
}

#[derive(Serialize, Clone, Hash)]
pub struct ReqLink {
    pub key: String,
    pub title: String,
    pub url: String,
    pub cover: Cover,
    pub note: Option<String>,
}

pub fn doc_link(d: &Document) -> DocLink<'_> {
    DocLink {
        id: &d.id,
        title: &d.title,
        url: address::page(d),
        kind: &d.kind,
        status: d.status.as_str(),
    }
}

pub(crate) fn req_link(
    cats: &Catalogues,
    res: &Resolved,
    q: usize,
    note: Option<String>,
) -> ReqLink {
    ReqLink {
        key: cats.reqs[q].key.clone(),
        title: cats.reqs[q].title.clone(),
        url: address::req(&cats.reqs[q].key),
        cover: res.coverage[q].cover,
        note,
    }
}

/// Resolves body links for one document page (at `doc/ID.html`).
pub struct PageLinks<'a> {
    pub ix: &'a Index<'a>,
    pub from: usize,
    /// Each document's page as a document page links to it (`../doc/ID.html`).
    pub hrefs: &'a [String],
    /// Each document's `[[ref]]` HTML on a document page (see [`LinkHtml`]).
    pub html: &'a [LinkHtml],
    /// Where the page's body's local links lead, as resolved (`Resolved::links`).
    pub resolved: &'a [Option<LinkTarget>],
}

impl Links for PageLinks<'_> {
    fn wiki_html(&self, target: &str) -> Option<(&str, &str)> {
        // (What `Index::wiki` finds first: a document with that id.)
        let h = self.html.get(*self.ix.by_id.get(target)?)?;
        Some((&h.wiki_tag, &h.wiki_title))
    }
    fn wiki(&self, target: &str) -> Result<(Cow<'_, str>, Cow<'_, str>), String> {
        match self.ix.wiki(target)? {
            Target::Doc(d) => Ok((
                Cow::Borrowed(&self.hrefs[d]),
                Cow::Borrowed(&self.ix.docs[d].title),
            )),
            Target::Req(q) => {
                let r = &self.ix.cats.reqs[q];
                Ok((
                    Cow::Owned(address::from_doc(&address::req(&r.key))),
                    Cow::Owned(format!("{} {}", r.key, r.title)),
                ))
            }
        }
    }
    fn link_at(&self, n: usize, dest: &str) -> Result<Cow<'_, str>, String> {
        match self.resolved.get(n) {
            Some(Some(target)) => Ok(self.href(target)),
            _ => self.link(dest),
        }
    }
    fn link(&self, dest: &str) -> Result<Cow<'_, str>, String> {
        match self.ix.link_or_best(self.from, dest) {
            Ok(target) | Err((_, Some(target))) => Ok(self.href(&target)),
            Err((message, None)) => Err(message),
        }
    }
}

impl PageLinks<'_> {
    /// Where a link to `target` leads from a document page.
    fn href(&self, target: &LinkTarget) -> Cow<'_, str> {
        Cow::Owned(match target {
            LinkTarget::Doc(d, a) => {
                let base = &self.hrefs[*d];
                match a {
                    Some(a) if !audience::is_restricted(&self.ix.docs[*d]) => {
                        format!("{base}#{a}")
                    }
                    _ => return Cow::Borrowed(base),
                }
            }
            LinkTarget::Asset(rel) => address::from_doc(&address::asset(rel)),
            LinkTarget::Page(path) => address::from_doc(path),
            LinkTarget::Anchor(a) => format!("#{a}"),
        })
    }
}

/// A link to document `id`, or its id alone when it does not resolve.
pub fn link_or_text(ix: &Index, id: &str) -> DocLinkOrText {
    match ix.by_id.get(id) {
        Some(&t) => DocLinkOrText {
            id: id.to_string(),
            title: ix.docs[t].title.clone(),
            url: Some(address::page(&ix.docs[t])),
        },
        None => DocLinkOrText {
            id: id.to_string(),
            title: String::new(),
            url: None,
        },
    }
}

#[derive(Serialize, Hash)]
pub struct DocLinkOrText {
    pub id: String,
    pub title: String,
    pub url: Option<String>,
}

/// A document's items in the lists of references and back-links of a
/// document page (in `doc/`), as the default theme writes them:
///
/// ```text
/// <li><a href="{{ root }}{{ d.url }}">{{ d.id }}</a> {{ d.title }} <span class="badge status-{{ d.status }}">{{ d.status }}</span></li>
/// <li><a href="{{ root }}{{ d.url }}">{{ d.id }}</a> {{ d.title }}</li>
/// ```
///
/// Written once per document, they are the same on every page that lists
/// it; a page's lists are its items joined (these loops were a third of a
/// document page's template work). `tests/build.rs` checks them against
/// the loops above.
///
/// Likewise a `[[ref]]` to the document in a document page's body: its
/// opening tag and title (`markdown::wiki_html`), the same in every body.
pub struct LinkHtml {
    pub reference: String,
    pub referenced_by: String,
    pub wiki_tag: String,
    pub wiki_title: String,
}

impl LinkHtml {
    pub fn of(link: &DocLink) -> LinkHtml {
        let (wiki_tag, wiki_title) =
            markdown::wiki_html(&address::from_doc(&link.url), link.id, link.title);
        let mut head = String::with_capacity(64 + link.title.len());
        head.push_str("<li><a href=\"");
        push_escaped(&mut head, &address::from_doc(&link.url));
        head.push_str("\">");
        push_escaped(&mut head, link.id);
        head.push_str("</a> ");
        push_escaped(&mut head, link.title);
        let mut reference = head.clone();
        reference.push_str(" <span class=\"badge status-");
        push_escaped(&mut reference, link.status);
        reference.push_str("\">");
        push_escaped(&mut reference, link.status);
        reference.push_str("</span></li>");
        head.push_str("</li>");
        LinkHtml {
            reference,
            referenced_by: head,
            wiki_tag,
            wiki_title,
        }
    }
}

/// The items of documents `to` joined (see [`LinkHtml`]).
pub fn joined_items(to: &[usize], items: &[LinkHtml], pick: fn(&LinkHtml) -> &str) -> String {
    let len = to
        .iter()
        .filter_map(|&t| items.get(t))
        .map(|x| pick(x).len())
        .sum();
    let mut out = String::with_capacity(len);
    for x in to.iter().filter_map(|&t| items.get(t)) {
        out.push_str(pick(x));
    }
    out
}

/// Links to requirements (each with its note, if any), given to templates
/// as the values made once per requirement when they have no note.
pub struct ReqLinks<'a> {
    pub(crate) items: Vec<(usize, Option<&'a str>)>,
    pub(crate) cats: &'a Catalogues,
    pub(crate) res: &'a Resolved,
    pub(crate) values: &'a [tera::Value],
}

impl ReqLinks<'_> {
    fn link(&self, q: usize, note: Option<&str>) -> ReqLink {
        req_link(self.cats, self.res, q, note.map(str::to_string))
    }
}

impl Serialize for ReqLinks<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(untagged)]
        enum Item<'v> {
            Shared(&'v tera::Value),
            Own(ReqLink),
        }
        s.collect_seq(
            self.items
                .iter()
                .map(|&(q, note)| match (note, self.values.get(q)) {
                    (None, Some(v)) => Item::Shared(v),
                    _ => Item::Own(self.link(q, note)),
                }),
        )
    }
}

impl std::hash::Hash for ReqLinks<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.items.len().hash(h);
        for &(q, note) in &self.items {
            self.link(q, note).hash(h);
        }
    }
}

/// Links to documents `to`, given to templates as the values made once
/// per document (`values`, by document); hashed by what they show.
pub struct SharedLinks<'a> {
    pub to: &'a [usize],
    pub docs: &'a [Document],
    pub values: &'a [tera::Value],
}

impl Serialize for SharedLinks<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Tera takes a value it is given as it is (a reference count).
        s.collect_seq(self.to.iter().filter_map(|&t| self.values.get(t)))
    }
}

impl std::hash::Hash for SharedLinks<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.to.len().hash(h);
        for &t in self.to {
            doc_link(&self.docs[t]).hash(h);
        }
    }
}
