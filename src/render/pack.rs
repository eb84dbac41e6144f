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
use std::io::Write;

use serde::Serialize;

use super::links::ReqLinks;
use super::site::Site;
use super::{RenderError, Sink};
use crate::address;
use crate::catalogue::Catalogues;
use crate::model::{Document, Status};
use crate::resolve::Resolved;

/// The family's entry point: the pack, written as its template goes,
/// each body spliced in as the document pages hand it over.
pub fn render(site: &Site, sink: &dyn Sink) -> Result<(), RenderError> {
    let plan = &site.pack;
    let mut c = tera::Context::new();
    c.insert("title", "Evidence pack");
    c.insert(
        "docs",
        &documents(
            site.input.docs,
            &plan.order,
            &site.input.loaded.catalogues,
            site.input.resolved,
            &site.req_links,
        ),
    );
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

/// Rewrites a document page's body HTML (rendered for `doc/ID.html`) for
/// the pack (at the site root). `pack` holds the ids in the pack.
pub fn rebase(html: &str, id: &str, pack: &HashSet<&str>) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    rebase_into(&mut out, html, id, pack);
    out
}

/// [`rebase`], appending to `out`.
fn rebase_into(out: &mut String, html: &str, id: &str, pack: &HashSet<&str>) {
    let mut rest = html;
    // Only attribute values are touched: text never holds a raw `"` (it is
    // escaped as `&quot;`), so `="` only ever opens an attribute's value.
    // One pass from one `="` to the next (a searcher made once: `str::find`
    // would set one up for every attribute).
    let opening = memchr::memmem::Finder::new("=\"");
    while let Some(eq) = opening.find(rest.as_bytes()) {
        let start = eq + 2;
        let Some(len) = memchr::memchr(b'"', &rest.as_bytes()[start..]) else {
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
            rebase_href(out, value, id, pack);
        } else if name.ends_with(" src") {
            out.push_str(value.strip_prefix("../").unwrap_or(value));
        } else {
            out.push_str(value);
        }
        rest = &rest[start + len..];
    }
    out.push_str(rest);
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

/// A document of the pack: its index in the documents, and the
/// requirement (clause) it is filed under, if any.
pub type Filed = (usize, Option<usize>);

/// The pack's order: the approved documents among those shown (`shown(i)`:
/// canonical and not restricted), by the clause they are filed under.
/// Cheap: the pages need it before they start; [`documents`] makes the
/// template's list from it on the pack's own thread.
pub fn order(docs: &[Document], shown: &dyn Fn(usize) -> bool, cats: &Catalogues) -> Vec<Filed> {
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
        .map(|(_, clause, i)| (i, clause))
        .collect()
}

/// The template's list of the pack's documents, in `order`: each is made
/// as the template's context takes it, so the list is never held twice.
pub fn documents<'a>(
    docs: &'a [Document],
    order: &'a [Filed],
    cats: &'a Catalogues,
    res: &'a Resolved,
    req_links: &'a [tera::Value],
) -> impl Serialize + 'a {
    Documents {
        docs,
        order,
        cats,
        res,
        req_links,
    }
}

struct Documents<'a> {
    docs: &'a [Document],
    order: &'a [Filed],
    cats: &'a Catalogues,
    res: &'a Resolved,
    /// Each requirement's link, as a template value.
    req_links: &'a [tera::Value],
}

impl Serialize for Documents<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (docs, cats, res) = (self.docs, self.cats, self.res);
        s.collect_seq(self.order.iter().enumerate().map(|(k, &(i, clause))| {
            let d = &docs[i];
            PackDoc {
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
                    res,
                    values: self.req_links,
                },
                // Spliced in after rendering (see `splice`): the template
                // never holds every body at once.
                body: placeholder(k),
            }
        }))
    }
}

const MARK: &str = "\u{1}smsite-pack-body:";

fn placeholder(k: usize) -> String {
    format!("{MARK}{k}\u{1}")
}

/// Bodies handed from whoever renders them (the document pages) to the
/// pack writer, which takes each one, in pack order, as its template
/// reaches it: bodies are rendered once, and few are held at a time.
pub struct Handover {
    state: std::sync::Mutex<Slots>,
    ready: std::sync::Condvar,
}

struct Slots {
    bodies: Vec<Option<String>>,
    /// No more bodies will come.
    closed: bool,
    /// How many bodies were handed over.
    given: usize,
    /// Wake the pack writer when `given` reaches this: it waits for a
    /// batch, not for each body (a thread switch per body costs more than
    /// the body's splicing).
    wake_at: usize,
}

/// Bodies the pack writer lets arrive before it wakes.
const BATCH: usize = 64;

impl Handover {
    /// Room for `n` bodies, by position in the pack.
    pub fn new(n: usize) -> Handover {
        Handover {
            state: std::sync::Mutex::new(Slots {
                bodies: vec![None; n],
                closed: false,
                given: 0,
                wake_at: usize::MAX,
            }),
            ready: std::sync::Condvar::new(),
        }
    }

    /// Hands over the body of the `k`-th pack document.
    pub fn give(&self, k: usize, body: String) {
        if let Ok(mut s) = self.state.lock()
            && let Some(slot) = s.bodies.get_mut(k)
        {
            *slot = Some(body);
            s.given += 1;
            if s.given >= s.wake_at {
                s.wake_at = usize::MAX;
                self.ready.notify_all();
            }
        }
    }

    /// No more bodies will come (called when the producer ends, even by a panic).
    pub fn close(&self) {
        if let Ok(mut s) = self.state.lock() {
            s.closed = true;
            self.ready.notify_all();
        }
    }

    /// Waits for the `k`-th body and takes it; empty if it never comes.
    pub fn take(&self, k: usize) -> String {
        let Ok(mut s) = self.state.lock() else {
            return String::new();
        };
        loop {
            if let Some(b) = s.bodies.get_mut(k).and_then(Option::take) {
                return b;
            }
            if s.closed || k >= s.bodies.len() {
                return String::new();
            }
            // Bodies come roughly in pack order: once `k + BATCH` have, `k` most likely has.
            s.wake_at = (s.given + 1).max(k + 1 + BATCH).min(s.bodies.len());
            s = match self.ready.wait(s) {
                Ok(s) => s,
                Err(_) => return String::new(),
            };
        }
    }
}

/// Closes a [`Handover`] when dropped.
pub struct CloseOnDrop<'a>(pub &'a Handover);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// A writer that passes the rendered pack on to `out`, replacing each body
/// placeholder with that document's body, rebased onto the pack (ids
/// prefixed, links kept inside). The template renders straight into it, so
/// neither the page nor the bodies are ever joined in memory. What the
/// template writes (many small pieces) is gathered and searched for
/// placeholders a block at a time.
pub struct Splicer<'a> {
    out: &'a mut dyn Write,
    pack: &'a [Filed],
    docs: &'a [Document],
    /// The body of the `k`-th pack document (as rendered for its page).
    body: &'a dyn Fn(usize) -> String,
    in_pack: HashSet<&'a str>,
    /// What the template wrote that is not passed on yet.
    held: Vec<u8>,
    /// A body being rebased (kept from one body to the next).
    rebased: String,
}

/// Bytes gathered before they are searched and passed on.
const BLOCK: usize = 64 * 1024;

/// What a placeholder's start in held bytes turned out to be.
enum Found {
    /// The placeholder of pack document `k`, `len` bytes long.
    Mark { k: usize, len: usize },
    /// Not a placeholder: the `\u{1}` is text.
    Text,
    /// The held bytes end before telling.
    Unsure,
}

impl<'a> Splicer<'a> {
    pub fn new(
        out: &'a mut dyn Write,
        pack: &'a [Filed],
        docs: &'a [Document],
        body: &'a dyn Fn(usize) -> String,
    ) -> Splicer<'a> {
        let in_pack = pack.iter().map(|&(i, _)| docs[i].id.as_str()).collect();
        Splicer {
            out,
            pack,
            docs,
            body,
            in_pack,
            held: Vec::with_capacity(BLOCK + 1024),
            rebased: String::new(),
        }
    }

    /// Passes on what is held (an unfinished placeholder is not one: as is).
    pub fn finish(mut self) -> std::io::Result<()> {
        self.pass(true)?;
        self.out.flush()
    }

    /// Passes on the held bytes, each placeholder replaced by its body;
    /// keeps what may be the start of a placeholder unless `last`.
    fn pass(&mut self, last: bool) -> std::io::Result<()> {
        let held = std::mem::take(&mut self.held);
        let mut at = 0;
        loop {
            let Some(i) = memchr::memchr(1, &held[at..]) else {
                self.out.write_all(&held[at..])?;
                at = held.len();
                break;
            };
            let start = at + i;
            self.out.write_all(&held[at..start])?;
            at = start;
            match read_placeholder(&held[start..]) {
                Found::Mark { k, len } => {
                    self.splice(k)?;
                    at += len;
                }
                Found::Text => {
                    self.out.write_all(&held[start..start + 1])?;
                    at += 1;
                }
                // Kept for the next block to tell, unless there is none.
                Found::Unsure if !last => break,
                Found::Unsure => {
                    self.out.write_all(&held[start..])?;
                    at = held.len();
                    break;
                }
            }
        }
        // Keep the buffer (and what is left of it).
        let mut held = held;
        held.drain(..at);
        self.held = held;
        Ok(())
    }

    /// Writes the body of the `k`-th pack document, rebased.
    fn splice(&mut self, k: usize) -> std::io::Result<()> {
        if let Some(&(i, _)) = self.pack.get(k) {
            let body = (self.body)(k);
            self.rebased.clear();
            rebase_into(&mut self.rebased, &body, &self.docs[i].id, &self.in_pack);
            self.out.write_all(self.rebased.as_bytes())?;
        }
        Ok(())
    }
}

/// Reads a placeholder (`MARK`, digits, `\u{1}`) at the start of `b`.
fn read_placeholder(b: &[u8]) -> Found {
    let mark = MARK.as_bytes();
    let n = b.len().min(mark.len());
    if b[..n] != mark[..n] {
        return Found::Text;
    }
    if n < mark.len() {
        return Found::Unsure;
    }
    let digits = b[mark.len()..]
        .iter()
        .take(21)
        .take_while(|c| c.is_ascii_digit())
        .count();
    match b.get(mark.len() + digits) {
        _ if digits > 20 => Found::Text,
        None => Found::Unsure,
        Some(1) if digits > 0 => std::str::from_utf8(&b[mark.len()..mark.len() + digits])
            .ok()
            .and_then(|k| k.parse::<usize>().ok())
            .map_or(Found::Text, |k| Found::Mark {
                k,
                len: mark.len() + digits + 1,
            }),
        Some(_) => Found::Text,
    }
}

impl Write for Splicer<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.held.extend_from_slice(buf);
        if self.held.len() >= BLOCK {
            self.pass(false)?;
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `pieces` to a splicer over no documents; placeholders that
    /// name no pack document vanish, anything else passes as is.
    fn spliced(pieces: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut s = Splicer::new(&mut out, &[], &[], &|_| String::new());
        for p in pieces {
            s.write_all(p).unwrap();
        }
        s.finish().unwrap();
        out
    }

    #[test]
    fn handover_waits_for_each_body_and_never_hangs() {
        let h = Handover::new(3);
        std::thread::scope(|t| {
            t.spawn(|| {
                let _close = CloseOnDrop(&h);
                h.give(1, "b".into());
                std::thread::sleep(std::time::Duration::from_millis(20));
                h.give(0, "a".into());
                // Body 2 never comes: closing releases the writer.
            });
            assert_eq!(h.take(0), "a");
            assert_eq!(h.take(1), "b");
            assert_eq!(h.take(2), "");
            assert_eq!(h.take(7), "");
        });
    }

    #[test]
    fn splicer_passes_text_and_near_misses_through() {
        let mark = format!("{MARK}7\u{1}");
        assert_eq!(spliced(&[b"a", mark.as_bytes(), b"b"]), b"ab");
        // Split across writes, byte by byte.
        let whole = format!("x{mark}y");
        let bytes: Vec<&[u8]> = whole.as_bytes().chunks(1).collect();
        assert_eq!(spliced(&bytes), b"xy");
        // A lone \u{1}, a broken mark, a mark without its end: as written.
        assert_eq!(spliced(&[b"\x01a\x01"]), b"\x01a\x01");
        let broken = format!("{MARK}12x");
        assert_eq!(spliced(&[broken.as_bytes()]), broken.as_bytes());
        let open = format!("{MARK}12");
        assert_eq!(spliced(&[open.as_bytes()]), open.as_bytes());
        // A near miss followed by a real mark.
        let two = format!("\u{1}{mark}z");
        assert_eq!(spliced(&[two.as_bytes()]), b"\x01z");
    }

    #[test]
    fn splicer_finds_placeholders_across_its_blocks() {
        let mark = format!("{MARK}7\u{1}");
        // A placeholder at every position around the end of a block, in
        // pieces of every size from one byte to a block and more.
        for cut in BLOCK - 30..BLOCK + 5 {
            let mut text = vec![b'a'; cut];
            text.extend_from_slice(mark.as_bytes());
            text.extend_from_slice(b"\x01b");
            text.extend_from_slice(&vec![b'c'; BLOCK]);
            let mut want = vec![b'a'; cut];
            want.extend_from_slice(b"\x01b");
            want.extend_from_slice(&vec![b'c'; BLOCK]);
            for size in [1, 7, 4096, BLOCK + 100] {
                let pieces: Vec<&[u8]> = text.chunks(size).collect();
                assert!(spliced(&pieces) == want, "cut {cut}, pieces of {size}");
            }
        }
    }

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
