//! Changes between two states of a repository: what an auditor asks
//! first at a surveillance audit, "what changed since we were last here?"
//! Both sides are loaded, resolved and checked by the same pipeline with
//! the same build date (a past revision from git objects, without
//! touching the work tree or the index: see `revision`), then compared:
//! documents added, removed and changed (every field that changed, with
//! old and new values, approval fields included; whether the body
//! changed; a moved document is changed, not removed and added), leaf
//! requirements whose coverage, evidence or applicability changed, and
//! findings that appeared or were resolved.
//!
//! [`Changes`] serialises to the stable JSON of `smsite diff --format
//! json` and of the `changes.json` beside a site's Changes page (see
//! `docs/history.md`).
//!
//! - `revision`: a past revision, loaded from git and checked;
//! - `human`: the terminal's text.

pub mod human;
pub mod revision;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::Value;

use crate::Checked;
use crate::diag::Finding;
use crate::model::Document;
use crate::resolve::Cover;

/// One side of a comparison.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Side {
    /// As the user named it (`audit-2026-09`, `HEAD~3`), or `work tree`.
    pub revision: String,
    /// The commit (full id); `null` for a work tree outside git.
    pub commit: Option<String>,
    /// The commit's day; `null` for the work tree.
    pub date: Option<String>,
    /// The work tree had uncommitted changes.
    pub modified: bool,
}

/// A document added or removed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DocRef {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub status: String,
    pub classification: String,
    pub file: String,
}

/// One field's change: its old and new value (`null`: absent).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FieldChange {
    pub field: String,
    pub old: Value,
    pub new: Value,
}

/// A document changed (matched by id, or by file when its id changed).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DocChange {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub status: String,
    pub classification: String,
    pub file: String,
    /// Where it was, when it moved.
    pub old_file: Option<String>,
    pub fields: Vec<FieldChange>,
    pub body_changed: bool,
    /// Lines of the body added and removed.
    pub lines_added: usize,
    pub lines_removed: usize,
    /// The bodies (line endings normalised), for a line diff.
    #[serde(skip)]
    pub bodies: Option<(String, String)>,
}

/// A value that changed: its old and new.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Was {
    pub old: String,
    pub new: String,
}

/// A leaf requirement whose coverage, evidence or applicability changed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ReqChange {
    pub key: String,
    pub title: String,
    /// `documents`, `other-party`, `not-applicable`, `uncovered`, or
    /// `absent` (the requirement was not in force on that side).
    pub coverage: Option<Was>,
    pub evidence_added: Vec<String>,
    pub evidence_removed: Vec<String>,
    /// `applicable`, `not-applicable` or `other-party`.
    pub applicability: Option<Was>,
}

/// Findings that appeared and were resolved.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct FindingChanges {
    pub appeared: Vec<Finding>,
    pub resolved: Vec<Finding>,
}

/// Counts, for a summary line.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub requirements: usize,
    pub findings_appeared: usize,
    pub findings_resolved: usize,
}

/// Everything that changed from `old` to `new`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Changes {
    pub old: Side,
    pub new: Side,
    /// The build date both sides were checked with.
    pub date: String,
    /// The audit whose `baseline` the old side is (`build` without
    /// `--since`), if any.
    pub audit: Option<String>,
    pub summary: Counts,
    pub added: Vec<DocRef>,
    pub removed: Vec<DocRef>,
    pub changed: Vec<DocChange>,
    pub requirements: Vec<ReqChange>,
    pub findings: FindingChanges,
}

impl Changes {
    /// Nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.requirements.is_empty()
            && self.findings.appeared.is_empty()
            && self.findings.resolved.is_empty()
    }

    /// The stable JSON (see the module docs).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

/// Compares two checked states of a repository.
pub fn compare(old: &Checked, new: &Checked, old_side: Side, new_side: Side) -> Changes {
    let (added, removed, changed) = documents(old, new);
    let requirements = requirements(old, new);
    let findings = findings(&old.findings, &new.findings);
    Changes {
        summary: Counts {
            added: added.len(),
            removed: removed.len(),
            changed: changed.len(),
            requirements: requirements.len(),
            findings_appeared: findings.appeared.len(),
            findings_resolved: findings.resolved.len(),
        },
        old: old_side,
        new: new_side,
        date: new.date.to_string(),
        audit: None,
        added,
        removed,
        changed,
        requirements,
        findings,
    }
}

fn doc_ref(d: &Document) -> DocRef {
    DocRef {
        id: d.id.clone(),
        title: d.title.clone(),
        kind: d.kind.clone(),
        status: d.status.as_str().to_string(),
        classification: d.classification.as_str().to_string(),
        file: d.file.clone(),
    }
}

/// The canonical documents of a side (the first of each id), by id.
fn by_id(c: &Checked) -> BTreeMap<&str, &Document> {
    c.resolved
        .by_id
        .iter()
        .map(|(id, &i)| (id.as_str(), &c.loaded.documents[i]))
        .collect()
}

type Docs = (Vec<DocRef>, Vec<DocRef>, Vec<DocChange>);

/// Documents added, removed and changed, each sorted by id.
fn documents(old: &Checked, new: &Checked) -> Docs {
    let (o, n) = (by_id(old), by_id(new));
    let mut changed = Vec::new();
    let mut gone: Vec<&Document> = Vec::new();
    for (id, d) in &o {
        match n.get(id) {
            Some(e) => changed.extend(change(d, e)),
            None => gone.push(d),
        }
    }
    let mut new_only: HashMap<&str, &Document> = n
        .iter()
        .filter(|(id, _)| !o.contains_key(*id))
        .map(|(_, d)| (d.file.as_str(), *d))
        .collect();
    // An id changed in the same file: changed, not removed and added.
    let mut removed = Vec::new();
    for d in gone {
        match new_only.remove(d.file.as_str()) {
            Some(e) => changed.extend(change(d, e)),
            None => removed.push(doc_ref(d)),
        }
    }
    let mut added: Vec<DocRef> = new_only.values().map(|d| doc_ref(d)).collect();
    added.sort_by(|a, b| a.id.cmp(&b.id));
    removed.sort_by(|a, b| a.id.cmp(&b.id));
    changed.sort_by(|a, b| a.id.cmp(&b.id));
    (added, removed, changed)
}

/// A record's `body:` is its body, not a field.
fn body_of(d: &Document) -> String {
    crate::control::content::normalise(&d.body).into_owned()
}

fn is_body_field(d: &Document, k: &str) -> bool {
    !d.file.ends_with(".md") && k == "body"
}

/// How `a` (old) became `b` (new), if it changed.
fn change(a: &Document, b: &Document) -> Option<DocChange> {
    let mut keys: Vec<&str> = a.raw.iter().chain(b.raw.iter()).map(|(k, _)| k).collect();
    keys.sort_unstable();
    keys.dedup();
    let fields: Vec<FieldChange> = keys
        .into_iter()
        .filter(|k| !(is_body_field(a, k) && is_body_field(b, k)))
        .filter_map(|k| {
            let (x, y) = (a.raw.get(k), b.raw.get(k));
            (x != y).then(|| FieldChange {
                field: k.to_string(),
                old: x.cloned().unwrap_or(Value::Null),
                new: y.cloned().unwrap_or(Value::Null),
            })
        })
        .collect();
    let (ob, nb) = (body_of(a), body_of(b));
    let body_changed = ob != nb;
    let moved = a.file != b.file;
    if fields.is_empty() && !body_changed && !moved {
        return None;
    }
    let (lines_added, lines_removed) = if body_changed {
        line_counts(&ob, &nb)
    } else {
        (0, 0)
    };
    Some(DocChange {
        id: b.id.clone(),
        title: b.title.clone(),
        kind: b.kind.clone(),
        status: b.status.as_str().to_string(),
        classification: a.classification.max(b.classification).as_str().to_string(),
        file: b.file.clone(),
        old_file: moved.then(|| a.file.clone()),
        fields,
        body_changed,
        lines_added,
        lines_removed,
        bodies: body_changed.then_some((ob, nb)),
    })
}

/// Lines added and removed from `old` to `new`.
fn line_counts(old: &str, new: &str) -> (usize, usize) {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::from_lines(old, new);
    let (mut add, mut del) = (0, 0);
    for c in diff.iter_all_changes() {
        match c.tag() {
            ChangeTag::Insert => add += 1,
            ChangeTag::Delete => del += 1,
            ChangeTag::Equal => {}
        }
    }
    (add, del)
}

/// A leaf requirement on one side: coverage, evidence ids, applicability.
struct Leaf<'a> {
    title: &'a str,
    cover: &'static str,
    evidence: Vec<&'a str>,
    applicability: &'static str,
}

fn cover_name(c: Cover) -> &'static str {
    match c {
        Cover::Documents => "documents",
        Cover::OtherParty => "other-party",
        Cover::NotApplicable => "not-applicable",
        Cover::Uncovered => "uncovered",
        Cover::Partial => "partial",
        Cover::Covered => "covered",
    }
}

fn leaves(c: &Checked) -> BTreeMap<&str, Leaf<'_>> {
    use crate::config::SoaStatus;
    let cats = &c.loaded.catalogues;
    let docs = &c.loaded.documents;
    cats.reqs
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_leaf())
        .map(|(q, r)| {
            let cov = &c.resolved.coverage[q];
            let mut evidence: Vec<&str> =
                cov.evidence.iter().map(|&d| docs[d].id.as_str()).collect();
            evidence.sort_unstable();
            let applicability = match cov.soa.map(|e| c.loaded.config.applicability[e].status) {
                Some(SoaStatus::NotApplicable) => "not-applicable",
                Some(SoaStatus::OtherParty) => "other-party",
                _ => "applicable",
            };
            let leaf = Leaf {
                title: &r.title,
                cover: cover_name(cov.cover),
                evidence,
                applicability,
            };
            (r.key.as_str(), leaf)
        })
        .collect()
}

/// Leaf requirements whose coverage, evidence or applicability changed.
fn requirements(old: &Checked, new: &Checked) -> Vec<ReqChange> {
    let (o, n) = (leaves(old), leaves(new));
    let mut keys: Vec<&str> = o.keys().chain(n.keys()).copied().collect();
    keys.sort_unstable();
    keys.dedup();
    let absent = Leaf {
        title: "",
        cover: "absent",
        evidence: Vec::new(),
        applicability: "absent",
    };
    let was = |a: &str, b: &str| {
        (a != b).then(|| Was {
            old: a.to_string(),
            new: b.to_string(),
        })
    };
    keys.into_iter()
        .filter_map(|k| {
            let (a, b) = (o.get(k).unwrap_or(&absent), n.get(k).unwrap_or(&absent));
            let change = ReqChange {
                key: k.to_string(),
                title: if b.title.is_empty() { a.title } else { b.title }.to_string(),
                coverage: was(a.cover, b.cover),
                evidence_added: minus(&b.evidence, &a.evidence),
                evidence_removed: minus(&a.evidence, &b.evidence),
                applicability: was(a.applicability, b.applicability),
            };
            let same = change.coverage.is_none()
                && change.evidence_added.is_empty()
                && change.evidence_removed.is_empty()
                && change.applicability.is_none();
            (!same).then_some(change)
        })
        .collect()
}

fn minus(a: &[&str], b: &[&str]) -> Vec<String> {
    a.iter()
        .filter(|x| !b.contains(x))
        .map(|x| x.to_string())
        .collect()
}

/// The rules that read the history: a past revision is checked without
/// it, so they are compared on neither side.
pub const HISTORY_RULES: &[&str] = &["approval-stale", "suspect-reference"];

/// Findings on one side and not the other, matched by rule, file and
/// message (lines move with edits), as many times as they occur.
fn findings(old: &[Finding], new: &[Finding]) -> FindingChanges {
    fn key(f: &Finding) -> (&str, &str, &str) {
        (&f.rule, &f.file, &f.message)
    }
    fn only(a: &[Finding], b: &[Finding]) -> Vec<Finding> {
        let mut left: HashMap<(&str, &str, &str), usize> = HashMap::new();
        for f in b {
            *left.entry(key(f)).or_default() += 1;
        }
        a.iter()
            .filter(|f| !HISTORY_RULES.contains(&f.rule.as_str()))
            .filter(|f| match left.get_mut(&key(f)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            })
            .cloned()
            .collect()
    }
    FindingChanges {
        appeared: only(new, old),
        resolved: only(old, new),
    }
}
