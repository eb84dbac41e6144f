//! The search index: `search-index.js`, a script assigning one global
//! (`SMSITE_SEARCH`), so search works from `file://` where an index could
//! not be fetched. The theme's `site.js` loads it on first use (focus of
//! the search box) and searches as the user types.
//!
//! Kept small: per document its id, title, kind, URL, headings and at most
//! [`WORDS_PER_DOC`] distinct body words, the most distinctive ones (by
//! tf-idf, words already in the title or headings left out), each written
//! as an index into one shared vocabulary (base 36, the most frequent words
//! first, so they get the shortest numbers). Per requirement: key, title,
//! URL. Restricted documents are not in it.
//!
//! Layout: `{"k":[kinds],"w":[vocabulary],"d":[[id,title,kind,headings
//! joined by "\n",word indices joined by " "]],"r":[[key,title]]}`. URLs
//! are not stored: a document's is `doc/ID.html`, a requirement's
//! `req/CATALOGUE/ID.html` (its key is `CATALOGUE:ID`).

use std::borrow::Cow;

use rayon::prelude::*;

use crate::FastMap;
use crate::address;
use crate::audience;
use crate::catalogue::Catalogues;
use crate::model::Document;

use super::site::Site;
use super::{Output, RenderError, Sink};

/// The family's entry point.
pub fn render(site: &Site, sink: &dyn Sink) -> Result<(), RenderError> {
    let (docs, cats) = (site.input.docs, &site.input.loaded.catalogues);
    let vars = site.input.loaded.config.variables.as_deref();
    sink.put(index(docs, &|i| site.canonical(i), cats, vars));
    Ok(())
}

/// Body words kept per document.
pub const WORDS_PER_DOC: usize = 40;

const STOP: &[&str] = &[
    "the", "and", "for", "are", "with", "that", "this", "from", "not", "any", "all", "its", "was",
    "were", "has", "have", "had", "but", "our", "out", "can", "may", "must", "shall", "will",
    "who", "when", "where", "which", "what", "each", "every", "per", "into", "than", "then",
    "them", "they", "their", "there", "these", "those", "been", "being", "also", "only", "such",
    "other", "more", "most", "some", "one", "two", "how", "why", "use", "used", "via", "see",
    "should", "would", "could", "does", "did", "done", "within", "after", "before", "under",
    "over", "between", "both", "upon", "onto", "off", "own", "same", "too", "very", "you", "your",
    "his", "her", "she", "him", "http", "https", "www", "html",
];

/// The stop words, each packed into a `u64` (all are ASCII and at most
/// eight bytes long), in an open-addressed table of [`STOP_SLOTS`] (zero:
/// empty): a word is looked up without hashing it or copying it to fold
/// its case.
fn stop_words() -> &'static [u64; STOP_SLOTS] {
    static S: std::sync::OnceLock<[u64; STOP_SLOTS]> = std::sync::OnceLock::new();
    S.get_or_init(|| {
        let mut t = [0; STOP_SLOTS];
        for x in STOP.iter().filter_map(|w| packed(w.as_bytes())) {
            let mut k = stop_slot(x);
            while t[k] != 0 && t[k] != x {
                k = (k + 1) % STOP_SLOTS;
            }
            t[k] = x;
        }
        t
    })
}

/// Slots of the stop-word table (a power of two, well over the words' number).
const STOP_SLOTS: usize = 512;

fn stop_slot(x: u64) -> usize {
    (x.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 55) as usize
}

/// `w` with ASCII capitals folded, packed into a `u64`; `None` if longer than eight bytes.
fn packed(w: &[u8]) -> Option<u64> {
    if w.len() > 8 {
        return None;
    }
    Some(fold8(load8(w)))
}

/// Up to eight bytes as a little-endian `u64`, zero-padded (without a
/// call to `memcpy`: two loads that may overlap, or single bytes).
fn load8(b: &[u8]) -> u64 {
    let u32_at = |i: usize| {
        let mut x = [0u8; 4];
        x.copy_from_slice(&b[i..i + 4]);
        u64::from(u32::from_le_bytes(x))
    };
    match b.len() {
        0 => 0,
        n @ 1..4 => b[..n].iter().rev().fold(0, |x, &c| (x << 8) | u64::from(c)),
        n @ 4..8 => u32_at(0) | (u32_at(n - 4) << (8 * (n - 4))),
        _ => {
            let mut x = [0u8; 8];
            x.copy_from_slice(&b[..8]);
            u64::from_le_bytes(x)
        }
    }
}

/// What a word is found by in a [`Counter`]: its hash, its first eight
/// bytes and its length, ASCII capitals folded (so `Backup` and `backup`
/// hash alike, as they compare equal). Two words of at most eight bytes
/// are equal when their keys are; longer ones compare their other bytes.
#[derive(Clone, Copy)]
struct Key {
    hash: u64,
    head: u64,
    len: usize,
}

impl Key {
    fn of(w: &str) -> Key {
        let b = w.as_bytes();
        let head = fold8(load8(b));
        let mut hash = mix(head ^ (b.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        if b.len() > 8 {
            let mut chunks = b[8..].chunks_exact(8);
            for c in &mut chunks {
                hash = mix(hash ^ fold8(load8(c)));
            }
            hash = mix(hash ^ fold8(load8(chunks.remainder())));
        }
        Key {
            hash,
            head,
            len: b.len(),
        }
    }
}

/// A 64-bit finaliser (MurmurHash3's): every input bit moves every output bit.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// Whether `w` (any case) is a stop word.
fn is_stop(w: &str) -> bool {
    let Some(x) = packed(w.as_bytes()) else {
        return false;
    };
    let t = stop_words();
    let mut k = stop_slot(x);
    while t[k] != 0 {
        if t[k] == x {
            return true;
        }
        k = (k + 1) % STOP_SLOTS;
    }
    false
}

/// A word as found in the text, its ASCII capitals not yet folded (folding
/// would copy it): hashing and comparing fold them, so `Backup` and
/// `backup` are one key, and [`Word::folded`] gives the word itself. Other
/// capitals are folded when the word is found (`Cow::Owned`).
#[derive(Debug, Clone)]
struct Word<'a>(Cow<'a, str>);

impl Word<'_> {
    /// The word in lower case.
    fn folded(&self) -> Cow<'_, str> {
        if self.0.bytes().any(|c| c.is_ascii_uppercase()) {
            Cow::Owned(self.0.to_ascii_lowercase())
        } else {
            Cow::Borrowed(self.0.as_ref())
        }
    }
}

/// Eight bytes with their ASCII capitals folded to lower case, all at once
/// (other bytes are kept).
fn fold8(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low7 = x & (0x7f * ONES);
    // Per byte, bit 7 set when the byte is at least `A`, and when above `Z`.
    let ge_a = low7 + (0x80 - u64::from(b'A')) * ONES;
    let gt_z = low7 + (0x7f - u64::from(b'Z')) * ONES;
    let upper = ge_a & !gt_z & !x & (0x80 * ONES);
    x | (upper >> 2)
}

impl PartialEq for Word<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl Eq for Word<'_> {}

/// Lower-case words of at least three characters, no stop words, no
/// numbers, no document ids (`SVC-EMAIL`: ids are searched as ids).
#[cfg(test)]
pub fn words(text: &str) -> Vec<String> {
    let mut v = Vec::new();
    each_word(text, &mut |w| v.push(w.folded().into_owned()));
    v
}

/// Character classes of ASCII bytes, for [`each_word`].
const IN_WORD: u8 = 1;
const UPPER: u8 = 2;
const LOWER: u8 = 4;
const DASH: u8 = 8;
const UNDERSCORE: u8 = 16;
/// Not a class: a token has characters beyond ASCII.
const OTHER: u8 = 32;
/// A byte of a character beyond ASCII (decoded to tell whether it is of a word).
const BEYOND: u8 = 64;

/// The class of every byte (`BEYOND` for those of characters beyond ASCII).
const CLASS: [u8; 256] = {
    let mut t = [BEYOND; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        t[c] = if b.is_ascii_uppercase() {
            IN_WORD | UPPER
        } else if b.is_ascii_lowercase() {
            IN_WORD | LOWER
        } else if b.is_ascii_digit() {
            IN_WORD
        } else if b == b'-' {
            IN_WORD | DASH
        } else if b == b'_' {
            IN_WORD | UNDERSCORE
        } else {
            0
        };
        c += 1;
    }
    t
};

/// Calls `f` with each word of `text` (see `words`), in order. One pass
/// over the bytes finds each token (a run of letters, digits, `-` and
/// `_`) and notes what it holds, so most tokens are judged without being
/// read again: ASCII is classified by table, other characters decoded.
fn each_word<'a>(text: &'a str, f: &mut impl FnMut(Word<'a>)) {
    let bytes = text.as_bytes();
    // Whether the character at `i` (not ASCII) belongs to a word, and its length.
    let other = |i: usize| {
        let ch = text.get(i..).and_then(|t| t.chars().next()).unwrap_or(' ');
        (ch.is_alphanumeric(), ch.len_utf8())
    };
    let class = |i: usize| CLASS[usize::from(bytes[i])];
    let mut i = 0;
    while i < bytes.len() {
        // To the next word's first character.
        let k = class(i);
        if k & IN_WORD == 0 {
            if k != BEYOND {
                i += 1;
                continue;
            }
            let (word, n) = other(i);
            if !word {
                i += n;
                continue;
            }
        }
        // To its end: runs of ASCII, and characters beyond ASCII of a word.
        let start = i;
        let mut seen = 0;
        loop {
            while i < bytes.len() && class(i) & IN_WORD != 0 {
                seen |= class(i);
                i += 1;
            }
            if i < bytes.len() && class(i) == BEYOND {
                let (word, n) = other(i);
                if word {
                    seen |= OTHER;
                    i += n;
                    continue;
                }
            }
            break;
        }
        let t = &text[start..i];
        if seen & OTHER != 0 {
            other_word(t, f);
        } else if seen & DASH == 0 {
            ascii_part(t, seen, f);
        } else if seen & LOWER != 0 || seen & UPPER == 0 {
            // (Capitals and dashes without lower case: an id, left out.)
            for p in t.split('-') {
                let seen = p.bytes().fold(0, |s, c| s | CLASS[usize::from(c)]);
                ascii_part(p, seen, f);
            }
        }
    }
}

/// An ASCII part of a token, holding the classes `seen`.
fn ascii_part<'a>(p: &'a str, seen: u8, f: &mut impl FnMut(Word<'a>)) {
    let p = if seen & UNDERSCORE != 0 {
        p.trim_matches('_')
    } else {
        p
    };
    if !(3..=30).contains(&p.len())
        || (seen & (UPPER | LOWER) == 0 && p.bytes().all(|c| c.is_ascii_digit()))
        || is_stop(p)
    {
        return;
    }
    f(Word(Cow::Borrowed(p)));
}

/// A token with other than ASCII characters: the definition, as written.
fn other_word<'a>(w: &'a str, f: &mut impl FnMut(Word<'a>)) {
    if w.contains('-')
        && w.bytes().any(|c| c.is_ascii_uppercase())
        && !w.chars().any(char::is_lowercase)
    {
        return;
    }
    for p in w.split('-') {
        let p = p.trim_matches('_');
        let n = p.chars().count();
        if !(3..=30).contains(&n) || p.bytes().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let w = if p.chars().any(char::is_uppercase) {
            Cow::Owned(p.to_lowercase())
        } else {
            Cow::Borrowed(p)
        };
        if !is_stop(&w) {
            f(Word(w));
        }
    }
}

/// Words as one thread of the count meets them: each distinct word (ASCII
/// case aside) once, numbered in the order met, with its hash and the
/// number of documents holding it; and a document's counts while it is
/// being read. Each thread counts into its own (no lock is shared), and
/// the threads' words are merged once all documents are counted.
#[derive(Default)]
struct Counter<'a> {
    /// Word numbers, found by hash.
    table: hashbrown::HashTable<u32>,
    words: Vec<Word<'a>>,
    keys: Vec<Key>,
    df: Vec<u32>,
    /// The document being read: its count of each word (zero for words
    /// it has not), and the words it has counted.
    tf: Vec<u32>,
    touched: Vec<u32>,
}

impl<'a> Counter<'a> {
    /// The number of `w` (whose key is `key`), if met.
    fn find(&self, w: &Word<'a>, key: Key) -> Option<u32> {
        self.table
            .find(key.hash, |&k| {
                let (j, v) = (&self.keys[k as usize], &self.words[k as usize]);
                j.head == key.head
                    && j.len == key.len
                    && (key.len <= 8
                        || v.0.as_bytes()[8..].eq_ignore_ascii_case(&w.0.as_bytes()[8..]))
            })
            .copied()
    }

    /// The number of `w`, numbering it if new.
    fn intern(&mut self, w: Word<'a>, key: Key) -> u32 {
        if let Some(k) = self.find(&w, key) {
            return k;
        }
        let k = self.words.len() as u32;
        let keys = &self.keys;
        self.table
            .insert_unique(key.hash, k, |&j| keys[j as usize].hash);
        self.words.push(w);
        self.keys.push(key);
        self.df.push(0);
        self.tf.push(0);
        k
    }

    /// Counts one more of `w` in the document being read.
    fn add(&mut self, w: Word<'a>) {
        let key = Key::of(&w.0);
        let k = self.intern(w, key) as usize;
        if self.tf[k] == 0 {
            self.touched.push(k as u32);
        }
        self.tf[k] += 1;
    }

    /// Leaves `w` out of the document being read.
    fn forget(&mut self, w: Word<'a>) {
        if let Some(k) = self.find(&w, Key::of(&w.0)) {
            self.tf[k as usize] = 0;
        }
    }

    /// A document's words (body and shown fields, less the words of its
    /// title, headings and id), as `(word number, count)` pairs.
    /// Counts document `d`'s words, its body's as `body` reads.
    fn count(&mut self, d: &'a Document, body: &'a str) -> Vec<(u32, u32)> {
        each_word(body, &mut |w| self.add(w));
        field_texts(d).for_each(|t| each_word(t, &mut |w| self.add(w)));
        each_word(&d.title, &mut |w| self.forget(w));
        for h in &d.scan.headings {
            each_word(&h.text, &mut |w| self.forget(w));
        }
        each_word(&d.id, &mut |w| self.forget(w));
        let mut out = Vec::with_capacity(self.touched.len());
        for k in self.touched.drain(..) {
            let c = std::mem::take(&mut self.tf[k as usize]);
            if c > 0 {
                self.df[k as usize] += 1;
                out.push((k, c));
            }
        }
        out
    }
}

/// The texts of a document's shown fields.
fn field_texts(d: &Document) -> impl Iterator<Item = &str> + '_ {
    d.fields.iter().flat_map(|f| {
        f.text
            .as_deref()
            .into_iter()
            .chain(f.items.iter().map(String::as_str))
            .chain(f.targets.iter().map(|t| t.metric.as_str()))
    })
}

/// A document in the index: id, title, kind number, headings, word numbers.
type IndexDoc<'a> = (&'a String, &'a String, usize, String, String);

/// The index, in the layout the module's documentation gives.
#[derive(serde::Serialize)]
struct IndexJson<'a> {
    d: Vec<IndexDoc<'a>>,
    k: Vec<&'a str>,
    r: Vec<(&'a str, &'a str)>,
    w: Vec<&'a str>,
}

/// Builds `search-index.js` over the canonical, visible documents (`docs[i]`
/// with `include(i)`) and every requirement.
/// With `vars` (`variables:` in sms.yaml), a body's placeholders count as
/// the words they are replaced with.
pub fn index(
    docs: &[Document],
    include: &dyn Fn(usize) -> bool,
    cats: &Catalogues,
    vars: Option<&crate::markdown::Variables>,
) -> Output {
    let chosen: Vec<usize> = (0..docs.len())
        .filter(|&i| include(i) && !audience::is_restricted(&docs[i]))
        .collect();
    // The bodies whose placeholders are filled, by document (the others
    // are read as they are).
    let filled: Vec<Option<String>> = match vars {
        Some(v) => docs
            .par_iter()
            .map(|d| match crate::markdown::fill_variables(&d.body, v) {
                Cow::Owned(b) => Some(b),
                Cow::Borrowed(_) => None,
            })
            .collect(),
        None => Vec::new(),
    };
    let body = |i: usize| {
        filled
            .get(i)
            .and_then(|b| b.as_deref())
            .unwrap_or(&docs[i].body)
    };
    // One pass over the words: each document's counts, kept as (word
    // number, count) pairs (8 bytes a word: a map per document took a
    // quarter of the build's peak), and each word's document frequency.
    // Documents are counted in parallel, each thread into a counter of its
    // own; the counters' words are then merged and renumbered. Numbers
    // depend on the threads' timing: nothing below depends on them, only
    // on the words they stand for.
    let threads = rayon::current_num_threads();
    let counters: Vec<std::sync::Mutex<Counter>> =
        (0..=threads).map(|_| Default::default()).collect();
    let counted: Vec<(usize, Vec<(u32, u32)>)> = chosen
        .par_iter()
        .with_max_len(64)
        .map(|&i| {
            // Each thread its own counter (the last for a thread not of the pool).
            let t = rayon::current_thread_index().map_or(threads, |t| t.min(threads));
            match counters[t].lock() {
                Ok(mut c) => (t, c.count(&docs[i], body(i))),
                Err(_) => (t, Vec::new()),
            }
        })
        .collect();
    let mut all = Counter::default();
    let renumber: Vec<Vec<u32>> = counters
        .into_iter()
        .map(|c| {
            let c = c.into_inner().unwrap_or_default();
            c.words
                .into_iter()
                .zip(c.keys)
                .zip(c.df)
                .map(|((w, key), f)| {
                    let k = all.intern(w, key);
                    all.df[k as usize] += f;
                    k
                })
                .collect()
        })
        .collect();
    let counts: Vec<Vec<(u32, u32)>> = counted
        .into_par_iter()
        .map(|(t, mut tf)| {
            for (w, _) in &mut tf {
                *w = renumber[t][*w as usize];
            }
            tf
        })
        .collect();
    let Counter { df, words, .. } = all;
    let names: Vec<Cow<str>> = words.iter().map(Word::folded).collect();
    let n = chosen.len().max(1) as f64;
    let idf: Vec<f64> = df.iter().map(|&f| (n / f64::from(f)).ln() + 1.0).collect();
    // Each document's most distinctive words.
    let kept: Vec<Vec<u32>> = counts
        .into_par_iter()
        .map(|tf| {
            let mut scored: Vec<(f64, u32)> = tf
                .iter()
                .map(|&(w, c)| ((1.0 + f64::from(c).ln()) * idf[w as usize], w))
                .collect();
            let order = |a: &(f64, u32), b: &(f64, u32)| {
                b.0.total_cmp(&a.0)
                    .then_with(|| names[a.1 as usize].cmp(&names[b.1 as usize]))
            };
            if scored.len() > WORDS_PER_DOC {
                scored.select_nth_unstable_by(WORDS_PER_DOC, order);
                scored.truncate(WORDS_PER_DOC);
            }
            scored.sort_by(order);
            // A new, exact list (collecting in place would keep the scored list's size).
            scored.iter().map(|&(_, w)| w).collect()
        })
        .collect();
    // Vocabulary: most used first (shortest numbers), then alphabetical.
    let mut uses = vec![0u32; names.len()];
    for &w in kept.iter().flatten() {
        uses[w as usize] += 1;
    }
    let mut vocab: Vec<u32> = (0..names.len() as u32)
        .filter(|&w| uses[w as usize] > 0)
        .collect();
    vocab.sort_by(|&a, &b| {
        uses[b as usize]
            .cmp(&uses[a as usize])
            .then_with(|| names[a as usize].cmp(&names[b as usize]))
    });
    let mut slot = vec![0usize; names.len()];
    for (k, &w) in vocab.iter().enumerate() {
        slot[w as usize] = k;
    }
    let vocab: Vec<&str> = vocab.iter().map(|&w| names[w as usize].as_ref()).collect();

    let mut kinds: Vec<&str> = chosen.iter().map(|&i| docs[i].kind.as_str()).collect();
    kinds.sort();
    kinds.dedup();
    let kind_slot: FastMap<&str, usize> = kinds.iter().enumerate().map(|(i, k)| (*k, i)).collect();

    let d: Vec<IndexDoc> = chosen
        .par_iter()
        .zip(&kept)
        .map(|(&i, k)| {
            let doc = &docs[i];
            let mut nums: Vec<usize> = k.iter().map(|&w| slot[w as usize]).collect();
            nums.sort();
            let mut ws = String::with_capacity(3 * nums.len());
            for (j, &x) in nums.iter().enumerate() {
                if j > 0 {
                    ws.push(' ');
                }
                push_base36(&mut ws, x);
            }
            let heads = doc
                .scan
                .headings
                .iter()
                .map(|h| h.text.replace('\n', " "))
                .collect::<Vec<_>>()
                .join("\n");
            (&doc.id, &doc.title, kind_slot[doc.kind.as_str()], heads, ws)
        })
        .collect();
    // (`site.js` makes each URL from the key, as `address::req` does.)
    let r: Vec<(&str, &str)> = cats
        .reqs
        .iter()
        .map(|req| (req.key.as_str(), req.title.as_str()))
        .collect();
    let json = IndexJson {
        d,
        k: kinds,
        r,
        w: vocab,
    };
    // `</` cannot end a script here (the file is loaded by src), but keep it inert anyway.
    let body = serde_json::to_string(&json)
        .unwrap_or_else(|_| "null".into())
        .replace("</", "<\\/");
    Output {
        path: address::SEARCH_INDEX.into(),
        bytes: format!("window.SMSITE_SEARCH={body};\n").into_bytes(),
    }
}

/// Appends `x` in base 36 (digits, then lower-case letters).
fn push_base36(out: &mut String, mut x: usize) {
    const D: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut buf = [0u8; 16];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = D[x % 36];
        x /= 36;
        if x == 0 {
            break;
        }
    }
    out.extend(buf[i..].iter().map(|&c| char::from(c)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base36_numbers() {
        let mut s = String::new();
        for x in [0, 35, 36, 1295, 1296, usize::MAX] {
            push_base36(&mut s, x);
            s.push(' ');
        }
        assert_eq!(s, "0 z 10 zz 100 3w5e11264sgsf ");
    }

    #[test]
    fn words_fold_eight_bytes_at_once() {
        for x in [
            *b"AZaz@[`{",
            *b"Hello-W\xff",
            *b"\x80\xc1\xdaZ09_-",
            *b"SERVICES",
        ] {
            let mut lower = x;
            lower.make_ascii_lowercase();
            assert_eq!(fold8(u64::from_le_bytes(x)), u64::from_le_bytes(lower));
        }
    }

    #[test]
    fn words_hash_and_compare_without_case() {
        let key = |w: &str| Key::of(w);
        for (a, b) in [
            ("Backup", "backup"),
            ("RESTORATION-TESTS", "restoration-tests"),
            ("größe", "größe"),
            ("Availability-Management", "availability-management"),
        ] {
            assert_eq!(Word(Cow::Borrowed(a)), Word(Cow::Borrowed(b)));
            let (x, y) = (key(a), key(b));
            assert_eq!((x.hash, x.head, x.len), (y.hash, y.head, y.len));
        }
        assert_ne!(
            Word(Cow::Borrowed("backup")),
            Word(Cow::Borrowed("backups"))
        );
        assert_ne!(key("backup").hash, key("backups").hash);
        assert_ne!(key("availability-x").hash, key("availability-y").hash);
        assert_eq!(Word(Cow::Borrowed("Backup")).folded(), "backup");
    }

    /// A counter finds a word again whatever its ASCII case, keeps words
    /// that differ only after their eighth byte apart, and leaves out what
    /// a document's title holds.
    #[test]
    fn counter_counts_each_word_once_whatever_its_case() {
        let mut c = Counter::default();
        for w in [
            "Backup",
            "backup",
            "availability-a",
            "availability-b",
            "BACKUP",
        ] {
            c.add(Word(Cow::Borrowed(w)));
        }
        c.forget(Word(Cow::Borrowed("Availability-B")));
        let mut got: Vec<(String, u32)> = c
            .touched
            .iter()
            .map(|&k| (c.words[k as usize].folded().into_owned(), c.tf[k as usize]))
            .filter(|(_, n)| *n > 0)
            .collect();
        got.sort();
        assert_eq!(got, [("availability-a".into(), 1), ("backup".into(), 3)]);
    }

    #[test]
    fn load8_reads_up_to_eight_bytes() {
        let text = b"abcdefghij";
        for n in 0..=10 {
            let mut x = [0u8; 8];
            let k = n.min(8);
            x[..k].copy_from_slice(&text[..k]);
            assert_eq!(load8(&text[..n]), u64::from_le_bytes(x), "{n}");
        }
    }

    #[test]
    fn every_stop_word_is_found_in_its_table() {
        for w in STOP {
            assert!(is_stop(w), "{w}");
            assert!(is_stop(&w.to_ascii_uppercase()), "{w}");
        }
        for w in ["backup", "them2", "ands", "thee", "service"] {
            assert!(!is_stop(w), "{w}");
        }
    }

    /// The definition `words` implements with a faster tokenizer.
    fn words_reference(text: &str) -> Vec<String> {
        text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .filter(|w| {
                !(w.contains('-')
                    && w.chars().any(|c| c.is_ascii_uppercase())
                    && !w.chars().any(|c| c.is_lowercase()))
            })
            .flat_map(|w| w.split('-'))
            .map(|w| w.trim_matches('_'))
            .filter(|w| {
                let n = w.chars().count();
                (3..=30).contains(&n) && !w.bytes().all(|c| c.is_ascii_digit())
            })
            .map(|w| {
                if w.chars().any(char::is_uppercase) {
                    w.to_lowercase()
                } else {
                    w.to_string()
                }
            })
            .filter(|w| !STOP.contains(&w.as_str()))
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn words_match_their_definition(text in "([a-zA-Z0-9_ .:-]|[éßÅΣ中٣]|SVC-EMAIL|the ){0,60}") {
            proptest::prop_assert_eq!(words(&text), words_reference(&text));
        }
    }

    #[test]
    fn words_drop_stop_words_and_numbers() {
        let w = words("The backup-verification of 2026 runs: OK, restore [[SVC-EMAIL]]");
        assert_eq!(w, vec!["backup", "verification", "runs", "restore"]);
    }

    #[test]
    fn capitalised_stop_words_are_dropped() {
        // Checked on a stack copy of at most 8 bytes.
        assert!(STOP.iter().all(|w| w.len() <= 8));
        let w = words("The THE Between BETWEEN Shall Restore Services");
        assert_eq!(w, vec!["restore", "services"]);
    }
}
