//! The evidence pack: `evidence-pack.html`, every approved (and visible)
//! document in one page, in clause order, with a table of contents and a
//! document-control block per document, made to print to PDF from the
//! browser as one audit file (the print stylesheet breaks the page before
//! each document).
//!
//! Order: by the first clause of the ISO/IEC 20000-1 catalogue (or, without
//! it, the first catalogue in force) the document satisfies, in catalogue
//! order; then documents satisfying only other catalogues' requirements;
//! then the rest, by kind and id.
//!
//! Bodies are the HTML already rendered for the document pages, rebased
//! for a page at the site root ([`rebase`]): heading ids get the document's
//! id as prefix so they stay unique in one page, links within the pack
//! become in-page links, and `../` links lose their `../`.

use std::collections::HashSet;

use serde::Serialize;

use crate::audience;
use crate::catalogue::Catalogues;
use crate::model::{Document, Status};

use super::{ReqLink, req_link};
use crate::resolve::Resolved;

/// Site path of the pack.
pub const PATH: &str = "evidence-pack.html";

/// One document of the pack.
#[derive(Serialize)]
pub struct PackDoc {
    /// In-page anchor of the document's section.
    pub anchor: String,
    pub id: String,
    pub title: String,
    pub kind: String,
    pub url: String,
    pub owner: Option<String>,
    pub version: Option<String>,
    pub approved_by: Option<String>,
    pub approved_on: Option<String>,
    pub review_by: Option<String>,
    pub classification: &'static str,
    pub file: String,
    /// The clause it is filed under (first satisfied), if any.
    pub clause: Option<String>,
    pub satisfies: Vec<ReqLink>,
    /// A placeholder for the body, replaced by `splice`.
    pub body: String,
    /// The document's index.
    #[serde(skip)]
    pub index: usize,
}

/// The in-page anchor of document `id` in the pack.
pub fn anchor(id: &str) -> String {
    format!("pack-{id}")
}

/// Rewrites a document page's body HTML (rendered for `doc/ID.html`) for
/// the pack (at the site root). `pack` holds the ids in the pack.
pub fn rebase(html: &str, id: &str, pack: &HashSet<&str>) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    // Only attribute values are touched: text never holds a raw `"` (it is
    // escaped as `&quot;`), so `="` only ever opens an attribute's value.
    // One pass from one `="` to the next.
    while let Some(eq) = rest.find("=\"") {
        let start = eq + 2;
        let Some(len) = rest[start..].find('"') else {
            break;
        };
        let name = &rest[..eq];
        let value = &rest[start..start + len];
        out.push_str(&rest[..start]);
        if name.ends_with(" id") {
            out.push_str(id);
            out.push_str("--");
            out.push_str(value);
        } else if name.ends_with(" href") {
            rebase_href(&mut out, value, id, pack);
        } else if name.ends_with(" src") {
            out.push_str(value.strip_prefix("../").unwrap_or(value));
        } else {
            out.push_str(value);
        }
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

fn rebase_href(out: &mut String, v: &str, id: &str, pack: &HashSet<&str>) {
    if let Some(a) = v.strip_prefix('#') {
        out.push('#');
        out.push_str(id);
        out.push_str("--");
        out.push_str(a);
        return;
    }
    if let Some(d) = v.strip_prefix("../doc/") {
        let (file, frag) = match d.split_once('#') {
            Some((f, a)) => (f, Some(a)),
            None => (d, None),
        };
        if let Some(target) = file.strip_suffix(".html")
            && pack.contains(target)
        {
            out.push('#');
            match frag {
                Some(a) => {
                    out.push_str(target);
                    out.push_str("--");
                    out.push_str(a);
                }
                None => out.push_str(&anchor(target)),
            }
            return;
        }
        out.push_str("doc/");
        out.push_str(d);
        return;
    }
    out.push_str(v.strip_prefix("../").unwrap_or(v));
}

/// The pack's documents, in order. `bodies[i]` is document `i`'s rendered body.
pub fn documents(
    docs: &[Document],
    canonical: &dyn Fn(usize) -> bool,
    bodies: &[Option<String>],
    cats: &Catalogues,
    res: &Resolved,
) -> Vec<PackDoc> {
    let primary = cats
        .list
        .iter()
        .position(|c| c.name == "ISO20000-1")
        .unwrap_or(0);
    // Position of each requirement in its catalogue's order.
    let mut order = vec![usize::MAX; cats.reqs.len()];
    for c in &cats.list {
        for (k, &q) in c.reqs.iter().enumerate() {
            order[q] = k;
        }
    }
    let chosen: Vec<usize> = (0..docs.len())
        .filter(|&i| {
            canonical(i)
                && docs[i].status == Status::Approved
                && !audience::is_restricted(&docs[i])
                && bodies.get(i).is_some_and(Option::is_some)
        })
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
            match (first_primary, first_other) {
                (Some(q), _) => ((0, order[q], 0), Some(q), i),
                (None, Some(q)) => ((1, cats.reqs[q].catalogue, order[q]), Some(q), i),
                (None, None) => ((2, 0, 0), None, i),
            }
        })
        .collect();
    keyed.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| docs[a.2].kind.cmp(&docs[b.2].kind))
            .then_with(|| docs[a.2].id.cmp(&docs[b.2].id))
    });
    keyed
        .into_iter()
        .enumerate()
        .map(|(k, (_, clause, i))| {
            let d = &docs[i];
            PackDoc {
                anchor: anchor(&d.id),
                id: d.id.clone(),
                title: d.title.clone(),
                kind: d.kind.clone(),
                url: d.url(),
                owner: d.owner.clone(),
                version: d.version.clone(),
                approved_by: d.approved_by.clone(),
                approved_on: d.approved_on.map(|x| x.to_string()),
                review_by: d.review_by.map(|x| x.to_string()),
                classification: d.classification.as_str(),
                file: d.file.clone(),
                clause: clause.map(|q| cats.reqs[q].key.clone()),
                satisfies: d
                    .satisfies
                    .iter()
                    .filter_map(|s| cats.get(&s.req))
                    .map(|q| req_link(cats, res, q, None))
                    .collect(),
                // Spliced in after rendering (see `splice`): the template
                // never holds every body at once.
                body: placeholder(k),
                index: i,
            }
        })
        .collect()
}

const MARK: &str = "\u{1}smsite-pack-body:";

fn placeholder(k: usize) -> String {
    format!("{MARK}{k}\u{1}")
}

/// Writes the rendered pack to `w`, replacing each body placeholder with
/// that document's body, rebased onto the pack (ids prefixed, links kept
/// inside).
pub fn splice(
    rendered: &str,
    pack: &[PackDoc],
    docs: &[Document],
    bodies: &[Option<String>],
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let in_pack: HashSet<&str> = pack.iter().map(|p| docs[p.index].id.as_str()).collect();
    let mut rest = rendered;
    while let Some(at) = rest.find(MARK) {
        w.write_all(&rest.as_bytes()[..at])?;
        let after = &rest[at + MARK.len()..];
        let Some(end) = after.find('\u{1}') else {
            rest = after;
            continue;
        };
        if let Some(p) = after[..end].parse::<usize>().ok().and_then(|k| pack.get(k)) {
            let body = bodies[p.index].as_deref().unwrap_or("");
            w.write_all(rebase(body, &docs[p.index].id, &in_pack).as_bytes())?;
        }
        rest = &after[end + 1..];
    }
    w.write_all(rest.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rebases_ids_and_links() {
        let pack: HashSet<&str> = ["A", "B"].into_iter().collect();
        let html = r##"<h2 id="intro">Intro<a class="anchor" href="#intro">#</a></h2><p><a class="ref" href="../doc/B.html">B</a> <a href="../doc/C.html#x">C</a> <a href="../doc/B.html#y">y</a> <img src="../assets/x.png"> <a href="https://e.org/">e</a> <a href="../req/ISO20000-1/8.1.html">8.1</a> id=&quot;text&quot;</p>"##;
        let out = rebase(html, "A", &pack);
        assert!(out.contains(r#"<h2 id="A--intro">"#), "{out}");
        assert!(out.contains(r##"href="#A--intro""##), "{out}");
        assert!(out.contains(r##"href="#pack-B""##), "{out}");
        assert!(out.contains(r#"href="doc/C.html#x""#), "{out}");
        assert!(out.contains(r##"href="#B--y""##), "{out}");
        assert!(out.contains(r#"src="assets/x.png""#), "{out}");
        assert!(out.contains(r#"href="https://e.org/""#), "{out}");
        assert!(out.contains(r#"href="req/ISO20000-1/8.1.html""#), "{out}");
        assert!(out.contains("id=&quot;text&quot;"), "{out}");
    }
}
