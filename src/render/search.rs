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

use crate::audience;
use crate::catalogue::Catalogues;
use crate::model::Document;
use crate::{FastMap, FastSet};

use super::Output;

/// Body words kept per document.
pub const WORDS_PER_DOC: usize = 40;

/// Site path of the index.
pub const PATH: &str = "search-index.js";

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

fn stop_words() -> &'static FastSet<&'static str> {
    static S: std::sync::OnceLock<FastSet<&'static str>> = std::sync::OnceLock::new();
    S.get_or_init(|| STOP.iter().copied().collect())
}

/// Lower-case words of at least three characters, no stop words, no
/// numbers, no document ids (`SVC-EMAIL`: ids are searched as ids).
#[cfg(test)]
pub fn words(text: &str) -> Vec<Cow<'_, str>> {
    let mut v = Vec::new();
    each_word(text, &mut |w| v.push(w));
    v
}

/// Calls `f` with each word of `text` (see `words`), in order. One pass
/// over each token: the ASCII ones (most of any body) are classified and
/// lower-cased without decoding, the others take the general path.
fn each_word<'a>(text: &'a str, f: &mut impl FnMut(Cow<'a, str>)) {
    for t in tokens(text) {
        if !t.is_ascii() {
            other_word(t, f);
            continue;
        }
        let (mut upper, mut lower, mut dash) = (false, false, false);
        for &c in t.as_bytes() {
            upper |= c.is_ascii_uppercase();
            lower |= c.is_ascii_lowercase();
            dash |= c == b'-';
        }
        if !dash {
            ascii_part(t, upper, f);
        } else if lower || !upper {
            // (Capitals and dashes without lower case: an id, left out.)
            for p in t.split('-') {
                ascii_part(p, upper, f);
            }
        }
    }
}

/// An ASCII part of a token (`upper`: the token has capitals).
fn ascii_part<'a>(p: &'a str, upper: bool, f: &mut impl FnMut(Cow<'a, str>)) {
    let p = p.trim_matches('_');
    if !(3..=30).contains(&p.len()) || p.bytes().all(|c| c.is_ascii_digit()) {
        return;
    }
    if upper && p.bytes().any(|c| c.is_ascii_uppercase()) {
        // Stop words are short: check a lower-case copy on the stack
        // before making one on the heap ("The" starts many sentences).
        let mut buf = [0u8; 8];
        if let Some(b) = buf.get_mut(..p.len()) {
            b.copy_from_slice(p.as_bytes());
            b.make_ascii_lowercase();
            if std::str::from_utf8(b).is_ok_and(|w| stop_words().contains(w)) {
                return;
            }
        }
        f(Cow::Owned(p.to_ascii_lowercase()));
    } else {
        unless_stop_word(Cow::Borrowed(p), f);
    }
}

/// Passes a lower-case word on, unless it is a stop word.
fn unless_stop_word<'a>(w: Cow<'a, str>, f: &mut impl FnMut(Cow<'a, str>)) {
    if !stop_words().contains(w.as_ref()) {
        f(w);
    }
}

/// A token with other than ASCII characters: the definition, as written.
fn other_word<'a>(w: &'a str, f: &mut impl FnMut(Cow<'a, str>)) {
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
        unless_stop_word(w, f);
    }
}

/// The runs of letters, digits, `-` and `_` in `text`. A loop over bytes:
/// ASCII is classified without decoding (most of any body), other
/// characters as chars.
fn tokens(text: &str) -> impl Iterator<Item = &str> + '_ {
    let bytes = text.as_bytes();
    // Whether the character at `i` belongs to a word, and its length.
    let class = move |i: usize| {
        let c = bytes[i];
        if c < 0x80 {
            (c.is_ascii_alphanumeric() || c == b'-' || c == b'_', 1)
        } else {
            let ch = text[i..].chars().next().unwrap_or(' ');
            (ch.is_alphanumeric(), ch.len_utf8())
        }
    };
    let mut i = 0;
    std::iter::from_fn(move || {
        loop {
            if i >= bytes.len() {
                return None;
            }
            let (word, n) = class(i);
            if word {
                break;
            }
            i += n;
        }
        let start = i;
        while i < bytes.len() {
            let (word, n) = class(i);
            if !word {
                break;
            }
            i += n;
        }
        Some(&text[start..i])
    })
}

/// Counts a document's words into `tf` (emptied first): its body and
/// shown fields, less the words of its title, headings and id.
fn count_words<'a>(d: &'a Document, tf: &mut FastMap<Cow<'a, str>, u32>) {
    tf.clear();
    let mut count = |w| *tf.entry(w).or_default() += 1;
    each_word(&d.body, &mut count);
    field_texts(d).for_each(|t| each_word(t, &mut count));
    let mut drop = |w: Cow<str>| {
        tf.remove(w.as_ref());
    };
    each_word(&d.title, &mut drop);
    for h in &d.scan.headings {
        each_word(&h.text, &mut drop);
    }
    each_word(&d.id, &mut drop);
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

/// Builds `search-index.js` over the canonical, visible documents (`docs[i]`
/// with `include(i)`) and every requirement.
pub fn index(docs: &[Document], include: &dyn Fn(usize) -> bool, cats: &Catalogues) -> Output {
    let chosen: Vec<usize> = (0..docs.len())
        .filter(|&i| include(i) && !audience::is_restricted(&docs[i]))
        .collect();
    // Two passes over the words: document frequencies first, then each
    // document's term frequencies again, keeping only its best words.
    // (Holding every document's counts between the passes took more memory
    // than the rest of the index: a quarter of the build's peak.)
    let df: FastMap<Cow<str>, u32> = chosen
        .par_iter()
        .fold(
            || (FastMap::default(), FastMap::default()),
            |(mut df, mut tf): (FastMap<Cow<str>, u32>, _), &i| {
                count_words(&docs[i], &mut tf);
                for (w, _) in tf.drain() {
                    *df.entry(w).or_default() += 1;
                }
                (df, tf)
            },
        )
        .map(|(df, _)| df)
        .reduce(FastMap::default, |mut a, mut b| {
            if a.len() < b.len() {
                std::mem::swap(&mut a, &mut b);
            }
            for (w, c) in b {
                *a.entry(w).or_default() += c;
            }
            a
        });
    let n = chosen.len().max(1) as f64;
    let kept: Vec<Vec<&str>> = chosen
        .par_iter()
        .map_init(FastMap::default, |tf, &i| {
            count_words(&docs[i], tf);
            let mut scored: Vec<(f64, &str)> = tf
                .iter()
                .filter_map(|(w, c)| {
                    let (w, f) = df.get_key_value(w.as_ref())?;
                    let idf = (n / f64::from(*f)).ln() + 1.0;
                    Some(((1.0 + f64::from(*c).ln()) * idf, w.as_ref()))
                })
                .collect();
            let order = |a: &(f64, &str), b: &(f64, &str)| b.0.total_cmp(&a.0).then(a.1.cmp(b.1));
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
    let mut uses: FastMap<&str, u32> = FastMap::default();
    for k in &kept {
        for w in k {
            *uses.entry(w).or_default() += 1;
        }
    }
    let mut vocab: Vec<&str> = uses.keys().copied().collect();
    vocab.sort_by(|a, b| uses[b].cmp(&uses[a]).then(a.cmp(b)));
    let slot: FastMap<&str, usize> = vocab.iter().enumerate().map(|(i, w)| (*w, i)).collect();

    let mut kinds: Vec<&str> = chosen.iter().map(|&i| docs[i].kind.as_str()).collect();
    kinds.sort();
    kinds.dedup();
    let kind_slot: FastMap<&str, usize> = kinds.iter().enumerate().map(|(i, k)| (*k, i)).collect();

    let d: Vec<serde_json::Value> = chosen
        .iter()
        .zip(&kept)
        .map(|(&i, k)| {
            let doc = &docs[i];
            let mut nums: Vec<usize> = k.iter().map(|w| slot[w]).collect();
            nums.sort();
            let ws = nums
                .iter()
                .map(|&x| base36(x))
                .collect::<Vec<_>>()
                .join(" ");
            let heads = doc
                .scan
                .headings
                .iter()
                .map(|h| h.text.replace('\n', " "))
                .collect::<Vec<_>>()
                .join("\n");
            serde_json::json!([doc.id, doc.title, kind_slot[doc.kind.as_str()], heads, ws])
        })
        .collect();
    let r: Vec<serde_json::Value> = (0..cats.reqs.len())
        .map(|q| {
            debug_assert_eq!(
                super::req_url(cats, q),
                format!("req/{}.html", cats.reqs[q].key.replacen(':', "/", 1))
            );
            serde_json::json!([cats.reqs[q].key, cats.reqs[q].title])
        })
        .collect();
    let json = serde_json::json!({ "k": kinds, "w": vocab, "d": d, "r": r });
    // `</` cannot end a script here (the file is loaded by src), but keep it inert anyway.
    let body = serde_json::to_string(&json)
        .unwrap_or_else(|_| "null".into())
        .replace("</", "<\\/");
    Output {
        path: PATH.into(),
        bytes: format!("window.SMSITE_SEARCH={body};\n").into_bytes(),
    }
}

fn base36(mut x: usize) -> String {
    const D: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    if x == 0 {
        return "0".into();
    }
    let mut v = Vec::new();
    while x > 0 {
        v.push(D[x % 36]);
        x /= 36;
    }
    v.reverse();
    String::from_utf8(v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base36_numbers() {
        assert_eq!(base36(0), "0");
        assert_eq!(base36(35), "z");
        assert_eq!(base36(36), "10");
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
            let fast: Vec<String> = words(&text).into_iter().map(Cow::into_owned).collect();
            proptest::prop_assert_eq!(fast, words_reference(&text));
        }
    }

    #[test]
    fn words_drop_stop_words_and_numbers() {
        let w: Vec<String> =
            words("The backup-verification of 2026 runs: OK, restore [[SVC-EMAIL]]")
                .into_iter()
                .map(Cow::into_owned)
                .collect();
        assert_eq!(w, vec!["backup", "verification", "runs", "restore"]);
    }

    #[test]
    fn capitalised_stop_words_are_dropped() {
        // Checked on a stack copy of at most 8 bytes.
        assert!(STOP.iter().all(|w| w.len() <= 8));
        let w: Vec<String> = words("The THE Between BETWEEN Shall Restore Services")
            .into_iter()
            .map(Cow::into_owned)
            .collect();
        assert_eq!(w, vec!["restore", "services"]);
    }
}
