//! Writing the pack: each body placeholder the template writes is
//! replaced, on the way to the file, by that document's body rebased onto
//! the pack (heading ids prefixed, links within the pack made in-page).

use std::collections::HashSet;
use std::io::Write;

use super::{Filed, anchor};
use crate::model::Document;

const MARK: &str = "\u{1}smsite-pack-body:";

pub(super) fn placeholder(k: usize) -> String {
    format!("{MARK}{k}\u{1}")
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
