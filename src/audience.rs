//! Audiences: who a build is for.
//!
//! An audience is the highest `classification:` a build publishes:
//! `public` publishes public documents only, `internal` public and internal
//! ones, `confidential` (the default) everything. It is set with
//! `audience:` in `sms.yaml` or `smsite build --audience`.
//!
//! Documents above the audience are *restricted*: before rendering they are
//! replaced by a redacted copy that keeps what the matrices count (id, kind,
//! status, classification, review date) and nothing of their content (title,
//! owner, fields, body, file). No page is emitted for them; every link to
//! them points at the one `restricted.html` notice, so there is no dangling
//! link, and they are left out of the search index and the evidence pack.
//! Coverage was computed on the full repository, so the matrices still
//! count them.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::diag::Finding;
use crate::model::{Classification, Document};

/// Title shown for a restricted document.
pub const TITLE: &str = "Restricted document";
/// Marks a redacted document (in its `file`, which is never shown for it).
const MARK: &str = "\u{0}restricted";

/// Whether `d` is a redacted (restricted) document.
pub fn is_restricted(d: &Document) -> bool {
    d.file == MARK
}

/// The documents as an `audience` may see them: the same slice when nothing
/// is restricted, otherwise a copy with restricted documents redacted.
pub fn redact(docs: &[Document], audience: Classification) -> Cow<'_, [Document]> {
    if docs.iter().all(|d| d.classification <= audience) {
        return Cow::Borrowed(docs);
    }
    Cow::Owned(
        docs.iter()
            .map(|d| {
                if d.classification <= audience {
                    d.clone()
                } else {
                    redacted(d)
                }
            })
            .collect(),
    )
}

fn redacted(d: &Document) -> Document {
    let mut r = d.clone();
    r.title = TITLE.to_string();
    r.owner = None;
    r.version = None;
    r.approved_by = None;
    r.approved_on = None;
    r.satisfies = Vec::new();
    r.refs = Vec::new();
    r.fields = Vec::new();
    r.raw = Default::default();
    r.file = MARK.to_string();
    r.body = String::new();
    r.html = Default::default();
    r.problems = Vec::new();
    r.record = None;
    // `scan` is kept: its heading anchors let links to a restricted
    // document's sections resolve (to the notice) instead of dangling.
    r
}

/// Findings as an audience may see them: those about a restricted
/// document's file name only its id; those in a measurements file that
/// name a restricted document (a restricted SLA's measured values) keep
/// their place and lose their message.
pub fn redact_findings<'a>(
    findings: &'a [Finding],
    original: &[Document],
    audience: Classification,
) -> Cow<'a, [Finding]> {
    let hidden: HashMap<&str, &str> = original
        .iter()
        .filter(|d| d.classification > audience)
        .map(|d| (d.file.as_str(), d.id.as_str()))
        .collect();
    // A measurement finding about a restricted SLA names the SLA.
    let names_hidden = |f: &Finding| -> Option<&str> {
        if !crate::load::is_measurements(&f.file) {
            return None;
        }
        hidden.values().copied().find(|id| names(&f.message, id))
    };
    if hidden.is_empty()
        || !findings
            .iter()
            .any(|f| hidden.contains_key(f.file.as_str()) || names_hidden(f).is_some())
    {
        return Cow::Borrowed(findings);
    }
    Cow::Owned(
        findings
            .iter()
            .map(|f| match hidden.get(f.file.as_str()) {
                None => match names_hidden(f) {
                    Some(id) => {
                        let mut f = f.clone();
                        f.message = format!(
                            "a `{}` finding about restricted document {id}; see the full build",
                            f.rule
                        );
                        f
                    }
                    None => f.clone(),
                },
                Some(id) => {
                    let mut f = f.clone();
                    f.file = format!("(restricted document {id})");
                    f.line = 0;
                    f.column = 0;
                    f.message = format!(
                        "a `{}` finding in restricted document {id}; see the full build",
                        f.rule
                    );
                    f
                }
            })
            .collect(),
    )
}

/// Whether `text` names document id `id` (as a whole id, not a part of another).
fn names(text: &str, id: &str) -> bool {
    let part = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
    text.match_indices(id).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + id.len()..].chars().next();
        !before.is_some_and(part) && !after.is_some_and(|c| part(c) && c != '.')
    })
}
