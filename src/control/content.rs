//! What counts as a change to a document: its **content** is its body
//! (line endings normalised) and the *values* of its fields, except the
//! approval fields ([`APPROVAL_FIELDS`]). Layout that leaves the values as
//! they were (key order, comments, quoting, flow or block lists, line
//! endings) is no change; quoting that changes a value (`1.0` to `"1.0"`,
//! a number to a string) is.
//!
//! A past version is read from its bytes with the load stage's own reader
//! (`load::parse_file`), and its values are turned into JSON exactly as a
//! loaded document's are (`Document::raw`), so both sides are compared
//! alike. A record's `body:` is its body, as for a Markdown document (a
//! document moved from one form to the other with the same values is
//! unchanged).

use crate::model::Document;

/// The fields whose change is an approval, not a change of content.
pub const APPROVAL_FIELDS: &[&str] = &[
    "status",
    "version",
    "approved_by",
    "approved_on",
    "review_by",
];

/// A version's content.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    /// Field values but the approval fields (and a record's `body`), by key.
    pub fields: Vec<(String, serde_json::Value)>,
    /// The body, line endings normalised to `\n`.
    pub body: String,
}

/// Whether `key` is part of a version's fields (not an approval field).
fn counts(key: &str) -> bool {
    !APPROVAL_FIELDS.contains(&key)
}

fn is_record(file: &str) -> bool {
    !file.ends_with(".md")
}

/// Line endings normalised to `\n` (borrowed when there is no `\r`).
pub fn normalise(body: &str) -> std::borrow::Cow<'_, str> {
    if body.contains('\r') {
        body.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        body.into()
    }
}

/// The content of the version of `file` whose bytes are `bytes`; `None`
/// when they are not a document (not UTF-8, no front matter, bad YAML):
/// such a version differs from any document.
pub fn of_bytes(file: &str, bytes: &[u8]) -> Option<Content> {
    let text = std::str::from_utf8(bytes).ok()?;
    let parsed = crate::load::parse_file(file, text).ok()?;
    let serde_json::Value::Object(map) = serde_json::to_value(&parsed.front).ok()? else {
        return None;
    };
    let record = parsed.record;
    let mut body = if record { String::new() } else { parsed.body };
    let mut fields = Vec::with_capacity(map.len());
    for (k, v) in map {
        if record
            && k == "body"
            && let serde_json::Value::String(b) = &v
        {
            body.clone_from(b);
            continue;
        }
        if counts(&k) {
            fields.push((k, v));
        }
    }
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    Some(Content {
        fields,
        body: normalise(&body).into_owned(),
    })
}

/// A version's content in 32 bytes (SHA-256 of its fields, each key and
/// value serialised as JSON and prefixed by its length, then its body):
/// two versions have the same content exactly when their prints are equal
/// (JSON maps are sorted by key, so values equal as values serialise
/// alike; `-0.0` and `0.0` are the one exception: a change). What is kept
/// of a past version, in memory and in the cache file (see `blobs`), so
/// that it is read from git once.
pub type Print = [u8; 32];

/// The print of a past version's content.
pub fn print_of(content: &Content) -> Print {
    let fields = content.fields.iter().map(|(k, v)| (k.as_str(), v));
    print(fields, &content.body)
}

/// The print of loaded document `d` (the work tree's version).
pub fn print_now(d: &Document) -> Print {
    let record = is_record(&d.file);
    let body_field = |k: &str, v: &serde_json::Value| record && k == "body" && v.is_string();
    let fields = d.raw.iter().filter(|(k, v)| counts(k) && !body_field(k, v));
    let body = if record {
        match d.raw.get("body") {
            Some(serde_json::Value::String(b)) => b.as_str(),
            _ => "",
        }
    } else {
        d.body.as_str()
    };
    print(fields, &normalise(body))
}

fn print<'a>(fields: impl Iterator<Item = (&'a str, &'a serde_json::Value)>, body: &str) -> Print {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let mut part = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    for (k, v) in fields {
        part(k.as_bytes());
        part(&serde_json::to_vec(v).unwrap_or_default());
    }
    h.update([0xff]);
    h.update(body.as_bytes());
    h.finalize().into()
}
