//! The past versions read so far, as the prints of their contents
//! ([`content::Print`]), by blob and form (Markdown or record); `None`
//! when a version is not a document. `serve` keeps them between rebuilds;
//! every run keeps them in the git folder (`smsite/contents`), so a version
//! is read from git once, not by every build: what a blob holds never
//! changes, and its print only when what counts as content does (then
//! [`FORMAT`] changes and the file is read anew).
//!
//! The file is a version line, then a line per version: its blob id, `m`
//! (Markdown) or `r` (record), and its print in hexadecimal, or `-` when it
//! is not a document. A file that does not read so, or was written by
//! another version of smsite, is ignored, and a file that cannot be
//! written only makes the next run read the versions again.

use std::collections::HashMap;
use std::fmt::Write;

use super::content::Print;
use crate::git::history::{Oid, Repo, write_atomically};

/// The file's first line: a print depends on how versions are read and
/// serialised, so the file is smsite's version's alone (and the number
/// changes whenever `content` changes what counts).
const FORMAT: &str = concat!("smsite-contents 1 ", env!("CARGO_PKG_VERSION"));

/// Past versions' prints, by blob and whether the file is Markdown.
#[derive(Default)]
pub struct Blobs(pub(super) HashMap<(Oid, bool), Option<Print>>);

impl Blobs {
    pub(super) fn get(&self, blob: Oid, path: &str) -> Option<&Option<Print>> {
        self.0.get(&(blob, path.ends_with(".md")))
    }

    /// Adds the versions kept in `repo`'s cache file that are not known yet.
    pub(super) fn load(&mut self, repo: &Repo) {
        let Some(Ok(text)) = repo.cache_path("contents").map(std::fs::read_to_string) else {
            return;
        };
        let mut lines = text.lines();
        if lines.next() != Some(FORMAT) {
            return;
        }
        for line in lines {
            let mut parts = line.split(' ');
            let (Some(blob), Some(form), Some(print), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return;
            };
            let (Some(blob), Some(md)) = (Oid::from_hex(blob.as_bytes()), form_of(form)) else {
                return;
            };
            let print = match print {
                "-" => None,
                hex => match from_hex(hex) {
                    Some(p) => Some(p),
                    None => return,
                },
            };
            self.0.entry((blob, md)).or_insert(print);
        }
    }

    /// Writes every version known into `repo`'s cache file.
    pub(super) fn save(&self, repo: &Repo) {
        if repo.git_dir.is_none() {
            return;
        }
        let mut out = String::with_capacity(32 + self.0.len() * 112);
        out.push_str(FORMAT);
        out.push('\n');
        for ((blob, md), print) in &self.0 {
            let _ = write!(out, "{blob} {} ", if *md { "m" } else { "r" });
            match print {
                Some(p) => p.iter().for_each(|b| {
                    let _ = write!(out, "{b:02x}");
                }),
                None => out.push('-'),
            }
            out.push('\n');
        }
        if let Some(file) = repo.cache_path("contents") {
            write_atomically(&file, out.as_bytes());
        }
    }
}

fn form_of(s: &str) -> Option<bool> {
    match s {
        "m" => Some(true),
        "r" => Some(false),
        _ => None,
    }
}

fn from_hex(hex: &str) -> Option<Print> {
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (k, pair) in bytes.chunks(2).enumerate() {
        let s = std::str::from_utf8(pair).ok()?;
        out[k] = u8::from_str_radix(s, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_read_back_as_written() {
        let p: Print = std::array::from_fn(|k| k as u8 * 7);
        let hex: String = p.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(from_hex(&hex), Some(p));
        assert_eq!(from_hex("zz"), None);
        assert_eq!(from_hex(&hex[..62]), None);
    }
}
