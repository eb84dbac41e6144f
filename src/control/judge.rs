//! Judging approvals and references against the history. A document's
//! **version on a day** is its newest version dated on or before it: the
//! work tree's (dated the build date) or a commit's (its committer day, in
//! the time zone it was recorded with). The **approved version** of an
//! approved document is its version on its `approved_on` day, or when it
//! has none by then its first committed version. A version older than a
//! shallow clone's oldest commit cannot be known: what needs one is not
//! judged (and a note says so).
//!
//! Only the versions that can differ are read: a version that is the last
//! commit's, of a file without uncommitted changes, is the work tree's.
//! The others are read in one `git cat-file` and compared by content
//! (see `content`).

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;
use rayon::prelude::*;

use super::blobs::Blobs;
use super::content::{self, Print};
use super::{Control, DocHistory, Git, Stale, State, Suspect, Uncommitted};
use crate::git::history::{FileChange, History, Oid, WorkKind};
use crate::model::{Document, Status};
use crate::resolve::{Edge, Target};

/// The versions to read, once each.
#[derive(Default)]
struct Wanted {
    list: Vec<(Oid, String)>,
    seen: HashSet<(Oid, bool)>,
}

impl Wanted {
    fn add(&mut self, blobs: &Blobs, blob: Oid, path: &str) {
        let key = (blob, path.ends_with(".md"));
        if !blobs.0.contains_key(&key) && self.seen.insert(key) {
            self.list.push((blob, path.to_string()));
        }
    }
}

/// How a document's work-tree version stands, before contents are compared.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dirty {
    No,
    Yes(Uncommitted),
    /// Not known from `git status` (edited since, or status unavailable):
    /// compared with the last commit.
    Maybe,
}

/// What the judging knows of one document.
struct Fact<'h> {
    path: Option<&'h str>,
    changes: &'h [FileChange],
    dirty: Dirty,
}

/// A document's version on a day.
enum Then<'h> {
    /// The work tree's.
    Now,
    /// A commit's: its content, and how many of the document's changes
    /// are newer.
    Blob {
        blob: Oid,
        path: &'h str,
        newer: usize,
    },
    /// The document did not exist yet.
    NotYet,
    /// Older than the oldest commit of a shallow clone.
    CutOff,
}

/// Whether a version is the work tree's content.
enum Same {
    Yes,
    No,
    /// Its content could not be read.
    Unknown,
}

/// Judges every approval and reference of `docs` against `git`'s history
/// (`edges`: the resolved references, by document; `date`: the build date).
pub fn judge(
    git: &Git,
    docs: &[Document],
    edges: &[Vec<Edge>],
    date: Date,
    blobs: &mut Blobs,
) -> Control {
    let h: &History = &git.history;
    let mut facts: Vec<Fact> = facts(git, docs);
    let mut notes = Vec::new();
    if let Err(e) = &git.work {
        notes.push(format!(
            "{} (each document was compared with its last commit instead)",
            e.message
        ));
    }
    // Each approved document, its approval day and what it refers to.
    let approvals: Vec<(usize, Date, Vec<usize>)> = docs
        .iter()
        .enumerate()
        .filter_map(|(a, d)| Some((a, approved_day(d)?, targets(a, edges))))
        .collect();
    // The versions to read: those that may differ from the work tree's,
    // and that no earlier run read (see `blobs`).
    if blobs.0.is_empty() {
        blobs.load(&git.repo);
    }
    let mut wanted = Wanted::default();
    for f in &facts {
        if let (Dirty::Maybe, Some(c)) = (f.dirty, f.changes.first()) {
            wanted.add(blobs, c.blob, &c.path);
        }
    }
    for &(a, day, ref refers) in &approvals {
        if let Then::Blob { blob, path, newer } = approved(&facts[a], h, day, date)
            && !trivially_same(&facts[a], blob, newer)
        {
            wanted.add(blobs, blob, path);
        }
        for &b in refers {
            if let Then::Blob { blob, path, newer } = referent(&facts[a], &facts[b], h, day, date)
                && !trivially_same(&facts[b], blob, newer)
            {
                wanted.add(blobs, blob, path);
            }
        }
    }
    let failed = read(git, &wanted.list, blobs);
    if failed.as_ref().is_none_or(|(n, _)| *n < wanted.list.len()) && !wanted.list.is_empty() {
        blobs.save(&git.repo);
    }
    if let Some((n, first)) = failed {
        notes.push(format!(
            "{n} past version{} of documents could not be read, so what depends on {} is not judged: {first}",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" }
        ));
    }
    // Edited since `git status`: changed when the content differs.
    let mut now = Now::new(docs);
    for (i, f) in facts.iter_mut().enumerate() {
        if f.dirty == Dirty::Maybe {
            f.dirty = match f.changes.first() {
                None => Dirty::Yes(Uncommitted::New),
                Some(c) => match compare(blobs, c.blob, &c.path, now.print(i)) {
                    Same::Yes => Dirty::No,
                    _ => Dirty::Yes(Uncommitted::Changed),
                },
            };
        }
    }
    let mut control = Control {
        state: State::Read,
        history: git.history.clone(),
        ..Control::default()
    };
    let mut cut_off = 0;
    for &(a, day, ref refers) in &approvals {
        let fa = &facts[a];
        match verdict(fa, approved(fa, h, day, date), &mut now, a, blobs) {
            Verdict::Same => {}
            Verdict::Changed(since, uncommitted) => control.stale.push(Stale {
                doc: a,
                since,
                uncommitted,
            }),
            Verdict::CutOff => {
                cut_off += 1;
                control.unjudged.push(a);
            }
            Verdict::Unreadable => control.unjudged.push(a),
        }
        for &b in refers {
            let fb = &facts[b];
            match verdict(fb, referent(fa, fb, h, day, date), &mut now, b, blobs) {
                Verdict::Changed(since, uncommitted) => control.suspect.push(Suspect {
                    from: a,
                    to: b,
                    since,
                    uncommitted,
                }),
                Verdict::CutOff => cut_off += 1,
                _ => {}
            }
        }
    }
    if cut_off > 0 {
        notes.push(cut_off_note(h, cut_off));
    }
    notes.extend(not_in_git(docs, &facts, git.work.is_ok()));
    control.notes = notes;
    control.docs = facts
        .iter()
        .map(|f| DocHistory {
            path: f.path.map(str::to_string),
            commits: f.changes.iter().map(|c| c.commit).collect(),
            uncommitted: match f.dirty {
                Dirty::Yes(u) => Some(u),
                _ => None,
            },
        })
        .collect();
    control
}

/// Each document's path in the history, its changes and its work-tree state.
fn facts<'h>(git: &'h Git, docs: &[Document]) -> Vec<Fact<'h>> {
    let work: HashMap<&str, &WorkKind> = match &git.work {
        Ok(w) => w.iter().map(|c| (c.path.as_str(), &c.kind)).collect(),
        Err(_) => HashMap::new(),
    };
    docs.iter()
        .map(|d| {
            let kind = work.get(d.file.as_str()).copied();
            let key = match kind {
                Some(WorkKind::Renamed { from }) => from.as_str(),
                _ => d.file.as_str(),
            };
            let (path, changes) = match git.history.files.get_key_value(key) {
                Some((p, c)) => (Some(p.as_str()), c.as_slice()),
                None => (None, &[][..]),
            };
            let dirty = if git.touched.contains(&d.file) || git.work.is_err() {
                Dirty::Maybe
            } else {
                match kind {
                    None => Dirty::No,
                    Some(WorkKind::Added | WorkKind::Untracked) => Dirty::Yes(Uncommitted::New),
                    Some(WorkKind::Renamed { .. }) => Dirty::Yes(Uncommitted::Moved),
                    Some(_) => Dirty::Yes(Uncommitted::Changed),
                }
            };
            Fact {
                path,
                changes,
                dirty,
            }
        })
        .collect()
}

/// The approval day of an approved document.
fn approved_day(d: &Document) -> Option<Date> {
    (d.status == Status::Approved)
        .then_some(d.approved_on)
        .flatten()
}

/// The documents `a` refers to (not itself), once each.
fn targets(a: usize, edges: &[Vec<Edge>]) -> Vec<usize> {
    let mut out: Vec<usize> = edges
        .get(a)
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| match e.to {
            Target::Doc(b) if b != a => Some(b),
            _ => None,
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The document's version on `day` (the build date is `date`).
fn then<'h>(f: &Fact<'h>, h: &History, day: Date, date: Date) -> Then<'h> {
    if day >= date {
        return Then::Now;
    }
    match f
        .changes
        .iter()
        .position(|c| h.commits[c.commit].day <= day)
    {
        Some(k) => Then::Blob {
            blob: f.changes[k].blob,
            path: &f.changes[k].path,
            newer: k,
        },
        None => match f.changes.last() {
            Some(c) if h.commits[c.commit].boundary => Then::CutOff,
            _ => Then::NotYet,
        },
    }
}

/// The approved version: the version on `day`, else the first committed one.
fn approved<'h>(f: &Fact<'h>, h: &History, day: Date, date: Date) -> Then<'h> {
    match then(f, h, day, date) {
        Then::NotYet => match f.changes.last() {
            Some(c) => Then::Blob {
                blob: c.blob,
                path: &c.path,
                newer: f.changes.len() - 1,
            },
            // Never committed: its first version is the work tree's.
            None => Then::Now,
        },
        t => t,
    }
}

/// The referent's version on the referring document's approval day: as
/// [`then`]; and when the history starts after that day for both (they
/// were committed after being approved, e.g. imported into git), the
/// referent's first committed version, if it came no later than the
/// referring document's: it existed when the history of both began.
fn referent<'h>(fa: &Fact, fb: &Fact<'h>, h: &History, day: Date, date: Date) -> Then<'h> {
    match then(fb, h, day, date) {
        Then::NotYet => match (fa.changes.last(), fb.changes.last()) {
            (Some(a), Some(b)) if b.commit >= a.commit && then_is_not_yet(fa, h, day) => {
                Then::Blob {
                    blob: b.blob,
                    path: &b.path,
                    newer: fb.changes.len() - 1,
                }
            }
            _ => Then::NotYet,
        },
        t => t,
    }
}

/// Whether the document had no committed version by `day`.
fn then_is_not_yet(f: &Fact, h: &History, day: Date) -> bool {
    !f.changes.iter().any(|c| h.commits[c.commit].day <= day)
}

/// A version that is the last commit's, of a file not changed since.
fn trivially_same(f: &Fact, blob: Oid, newer: usize) -> bool {
    f.dirty == Dirty::No && (newer == 0 || f.changes.first().is_some_and(|c| c.blob == blob))
}

enum Verdict {
    Same,
    /// Changed: the commits since, and whether the work tree changed too.
    Changed(Vec<usize>, bool),
    CutOff,
    Unreadable,
}

/// Whether document `i`'s content now differs from its version `then`.
fn verdict(f: &Fact, then: Then, now: &mut Now, i: usize, blobs: &Blobs) -> Verdict {
    let Then::Blob { blob, path, newer } = then else {
        return match then {
            Then::CutOff => Verdict::CutOff,
            _ => Verdict::Same,
        };
    };
    if trivially_same(f, blob, newer) {
        return Verdict::Same;
    }
    match compare(blobs, blob, path, now.print(i)) {
        Same::Yes => Verdict::Same,
        Same::Unknown => Verdict::Unreadable,
        Same::No => Verdict::Changed(
            f.changes[..newer].iter().map(|c| c.commit).collect(),
            matches!(f.dirty, Dirty::Yes(_)),
        ),
    }
}

/// Whether the version `blob` (of `path`) has the content whose print is `now`.
fn compare(blobs: &Blobs, blob: Oid, path: &str, now: Print) -> Same {
    match blobs.get(blob, path) {
        Some(Some(p)) if *p == now => Same::Yes,
        Some(_) => Same::No,
        None => Same::Unknown,
    }
}

/// The prints of the work tree's documents, each made when first asked.
struct Now<'d> {
    docs: &'d [Document],
    prints: Vec<Option<Print>>,
}

impl<'d> Now<'d> {
    fn new(docs: &'d [Document]) -> Self {
        Now {
            docs,
            prints: vec![None; docs.len()],
        }
    }

    fn print(&mut self, i: usize) -> Print {
        *self.prints[i].get_or_insert_with(|| content::print_now(&self.docs[i]))
    }
}

/// Reads `wanted` into `blobs`, in one `git cat-file`; how many could not
/// be read, and the first error.
fn read(git: &Git, wanted: &[(Oid, String)], blobs: &mut Blobs) -> Option<(usize, String)> {
    if wanted.is_empty() {
        return None;
    }
    let ids: Vec<Oid> = wanted.iter().map(|(b, _)| *b).collect();
    let bytes = git.repo.read_blobs(&ids);
    let parsed: Vec<Result<Option<Print>, String>> = wanted
        .par_iter()
        .zip(bytes.par_iter())
        .map(|((_, path), b)| match b {
            Ok(b) => Ok(content::of_bytes(path, b).map(|c| content::print_of(&c))),
            Err(e) => Err(e.message.clone()),
        })
        .collect();
    let mut failed = 0;
    let mut first = None;
    for ((blob, path), p) in wanted.iter().zip(parsed) {
        match p {
            Ok(c) => {
                blobs.0.insert((*blob, path.ends_with(".md")), c);
            }
            Err(e) => {
                failed += 1;
                first.get_or_insert(e);
            }
        }
    }
    first.map(|f| (failed, f))
}

fn cut_off_note(h: &History, n: usize) -> String {
    let from = h
        .cut_off()
        .map(|d| format!(" (it starts on {d})"))
        .unwrap_or_default();
    format!(
        "this is a shallow clone: its history does not reach back far enough{from} to judge \
         {n} approval{} and reference{}, which {} skipped. `git fetch --unshallow` fetches \
         the whole history (in CI, a full clone: e.g. `fetch-depth: 0` with actions/checkout)",
        if n == 1 { "" } else { "s" },
        if n == 1 { "" } else { "s" },
        if n == 1 { "is" } else { "are" }
    )
}

/// Documents git neither keeps nor lists as new: ignored (`.gitignore`)
/// or inside a submodule.
fn not_in_git(docs: &[Document], facts: &[Fact], status_known: bool) -> Option<String> {
    if !status_known {
        return None;
    }
    let outside: Vec<&str> = docs
        .iter()
        .zip(facts)
        .filter(|(_, f)| f.changes.is_empty() && f.dirty == Dirty::No)
        .map(|(d, _)| d.file.as_str())
        .collect();
    let first = outside.first()?;
    Some(format!(
        "{} document file{} not in this git repository's history (ignored by .gitignore, or \
         inside a submodule), e.g. `{first}`: {} history is skipped. Commit {} here, or build \
         the submodule's repository on its own",
        outside.len(),
        if outside.len() == 1 { " is" } else { "s are" },
        if outside.len() == 1 { "its" } else { "their" },
        if outside.len() == 1 { "it" } else { "them" },
    ))
}
