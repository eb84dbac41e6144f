//! Stage 3, resolve: index documents by id and by file, resolve every
//! reference (`ref` fields, `[[refs]]`, relative links and their anchors,
//! `satisfies:`, the statement of applicability) through those indexes, and
//! derive the graph the rules and pages need: back-links and requirement
//! coverage. Lookups are hash-map hits; nothing scans all documents per
//! reference.

mod operation;
mod refs;

pub use operation::{AuditView, Operation, Stage, above, is_nonconforming, related};

use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};

use crate::FastMap;
use crate::catalogue::Catalogues;
use crate::config::{Config, SoaStatus};
use crate::diag::{Pos, did_you_mean};
use crate::model::{Document, Status};

/// What a reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Doc(usize),
    Req(usize),
}

/// How a reference is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    Field(String),
    Body,
    Link,
    Satisfies,
}

/// A resolved reference from a document.
#[derive(Debug, Clone)]
pub struct Edge {
    pub from: usize,
    pub to: Target,
    pub via: Via,
    pub at: At,
}

/// Where a reference is written: a position, or an offset into its
/// document's body (turned into a position only for a finding, see
/// [`Edge::pos`]: most references never need one).
#[derive(Debug, Clone, Copy)]
pub enum At {
    Pos(Pos),
    Body(usize),
}

impl Edge {
    /// Where the reference is written in `docs[self.from]`'s file.
    pub fn pos(&self, docs: &[Document]) -> Pos {
        match self.at {
            At::Pos(p) => p,
            At::Body(offset) => docs
                .get(self.from)
                .map_or(Pos::START, |d| d.body_pos(offset)),
        }
    }
}

/// A reference that does not resolve (a `broken-reference` finding).
#[derive(Debug, Clone)]
pub struct Broken {
    pub file: String,
    pub pos: Pos,
    pub width: usize,
    pub message: String,
}

/// Where a local link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// A document page, with an optional anchor.
    Doc(usize, Option<String>),
    /// A file copied from `assets/`.
    Asset(String),
    /// An anchor on the same page.
    Anchor(String),
    /// A page the site generates (the service reporting page, a monthly
    /// service report), by its site path: see [`crate::address::generated`].
    Page(String),
}

/// How a requirement is covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cover {
    /// Approved documents provide evidence.
    Documents,
    /// Declared operated by another party in the statement of applicability.
    OtherParty,
    /// Declared not applicable.
    NotApplicable,
    /// No approved evidence.
    Uncovered,
    /// A parent: some leaves covered, not all.
    Partial,
    /// A parent: every leaf covered.
    Covered,
}

impl Cover {
    pub fn is_covered(self) -> bool {
        matches!(
            self,
            Cover::Documents | Cover::OtherParty | Cover::NotApplicable | Cover::Covered
        )
    }
}

/// Coverage of one requirement.
#[derive(Debug, Clone)]
pub struct Coverage {
    pub cover: Cover,
    /// Approved documents that are evidence (leaf: its own and its ancestors' `satisfies`).
    pub evidence: Vec<usize>,
    /// Draft or in-review documents that would be evidence once approved.
    pub pending: Vec<usize>,
    /// The statement-of-applicability entry in force (index into `Config::applicability`).
    pub soa: Option<usize>,
    /// Leaves beneath (1 for a leaf) and how many are covered.
    pub leaves: usize,
    pub leaves_covered: usize,
}

/// The resolved repository.
#[derive(Debug, Default)]
pub struct Resolved {
    pub by_id: FastMap<String, usize>,
    pub by_file: FastMap<String, usize>,
    /// Ids defined more than once: all their documents.
    pub duplicates: Vec<Vec<usize>>,
    /// Every reference that resolved, per referring document (`edges[i]`:
    /// those of document `i`): for the rules only (emptied once they have
    /// run, see `check_cached`).
    pub edges: Vec<Vec<Edge>>,
    pub broken: Vec<Broken>,
    /// Per document: documents referring to it (sorted by id, no duplicates).
    pub referenced_by: Vec<Vec<usize>>,
    /// Per document: documents it refers to (in order of first mention).
    pub references: Vec<Vec<usize>>,
    /// Per document: requirements it refers to in its body (`[[CAT:REQ]]`).
    pub req_mentions: Vec<Vec<usize>>,
    /// Per requirement: documents whose `satisfies:` names it (any status), with notes.
    pub satisfied_by: Vec<Vec<(usize, Option<String>)>>,
    /// Per document, per local link in its body (`scan.links`): where it
    /// leads on the site (pages use these, instead of resolving each link
    /// again). A link that does not resolve (a `broken-reference`) leads to
    /// the best target that exists (a document's page without the missing
    /// anchor), or nowhere (`None`: pages show its text, not a link).
    pub links: Vec<Vec<Option<LinkTarget>>>,
    pub coverage: Vec<Coverage>,
    /// Audits, nonconformities and management reviews (see [`Operation`]).
    pub operation: Operation,
}

/// Read-only lookups shared by resolution and rendering.
pub struct Index<'a> {
    pub docs: &'a [Document],
    pub cats: &'a Catalogues,
    pub files: &'a BTreeSet<String>,
    pub by_id: &'a FastMap<String, usize>,
    pub by_file: &'a FastMap<String, usize>,
    /// Heading anchors of the documents with many headings, as sets (the
    /// others' few are compared in turn: no set per document to build).
    many_anchors: HashMap<usize, HashSet<&'a str>>,
}

/// Headings above which a document's anchors are looked up in a set.
const FEW_ANCHORS: usize = 32;

impl<'a> Index<'a> {
    pub fn new(
        docs: &'a [Document],
        cats: &'a Catalogues,
        files: &'a BTreeSet<String>,
        resolved: &'a Resolved,
    ) -> Index<'a> {
        let many_anchors = docs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.scan.headings.len() > FEW_ANCHORS)
            .map(|(i, d)| (i, d.scan.headings.iter().map(|h| h.slug.as_str()).collect()))
            .collect();
        Index {
            docs,
            cats,
            files,
            by_id: &resolved.by_id,
            by_file: &resolved.by_file,
            many_anchors,
        }
    }

    /// Whether document `d` has a heading with anchor `a`.
    fn has_anchor(&self, d: usize, a: &str) -> bool {
        match self.many_anchors.get(&d) {
            Some(set) => set.contains(a),
            None => self.docs[d].scan.headings.iter().any(|h| h.slug == a),
        }
    }

    /// Document `d`'s heading anchors (for suggestions).
    fn anchors(&self, d: usize) -> impl Iterator<Item = &'a str> + 'a {
        self.docs[d].scan.headings.iter().map(|h| h.slug.as_str())
    }

    /// Resolves `[[target]]`: a document id or `CATALOGUE:REQ`.
    pub fn wiki(&self, target: &str) -> Result<Target, String> {
        if let Some(&i) = self.by_id.get(target) {
            return Ok(Target::Doc(i));
        }
        if let Some((cat, _)) = target.split_once(':') {
            if let Some(r) = self.cats.get(target) {
                return Ok(Target::Req(r));
            }
            return Err(self.req_error(target, cat));
        }
        if target.is_empty() {
            return Err("empty reference `[[]]`; write `[[ID]]` with a document id".into());
        }
        Err(format!(
            "no document has id `{target}`{}",
            did_you_mean(target, self.by_id.keys().map(String::as_str))
        ))
    }

    /// The message for a requirement reference that does not resolve.
    pub fn req_error(&self, key: &str, cat: &str) -> String {
        if self.cats.list.iter().any(|c| c.name == cat) {
            let hint = did_you_mean(
                key,
                self.cats
                    .reqs
                    .iter()
                    .filter(|r| self.cats.list[r.catalogue].name == cat)
                    .map(|r| r.key.as_str()),
            );
            format!("catalogue {cat} has no requirement `{key}`{hint}")
        } else {
            let names: Vec<&str> = self.cats.list.iter().map(|c| c.name.as_str()).collect();
            let hint = did_you_mean(cat, names.iter().copied());
            if hint.is_empty() {
                format!(
                    "`{key}` names catalogue `{cat}`, which is not in force; list it under `requirements:` in sms.yaml"
                )
            } else {
                format!("`{key}` names catalogue `{cat}`, which is not in force{hint}")
            }
        }
    }

    /// Resolves a local link written in document `from`.
    pub fn link(&self, from: usize, dest: &str) -> Result<LinkTarget, String> {
        self.link_or_best(from, dest).map_err(|(m, _)| m)
    }

    /// Resolves a local link written in document `from`; when it does not
    /// resolve, the message and the best target that exists, if any: the
    /// document's page without a missing anchor (a page shows the link
    /// leading there, never to nothing).
    pub fn link_or_best(
        &self,
        from: usize,
        dest: &str,
    ) -> Result<LinkTarget, (String, Option<LinkTarget>)> {
        let (path, anchor) = match dest.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (dest, None),
        };
        let anchor_decoded =
            anchor.map(|a| percent_encoding::percent_decode_str(a).decode_utf8_lossy());
        let anchor = anchor_decoded.as_deref();
        let path = path.split('?').next().unwrap_or("");
        let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let path = path.as_ref();
        if path.is_empty() {
            let a = anchor.unwrap_or("");
            return if a.is_empty() || self.has_anchor(from, a) {
                Ok(LinkTarget::Anchor(a.to_string()))
            } else {
                Err((
                    format!(
                        "this document has no heading with anchor `#{a}`{}",
                        did_you_mean(a, self.anchors(from))
                    ),
                    None,
                ))
            };
        }
        if path.starts_with('/') {
            return Err((
                format!(
                    "`{dest}` is an absolute path; write links relative to this file (e.g. `../slas/email.md`) so the site works under any path"
                ),
                None,
            ));
        }
        let from_file = &self.docs[from].file;
        let dir = from_file.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let joined = if dir.is_empty() {
            path.to_string()
        } else {
            format!("{dir}/{path}")
        };
        let Some(rel) = crate::source::normalize(&joined) else {
            return Err((
                format!(
                    "`{dest}` climbs above the repository root; link only to files inside the repository"
                ),
                None,
            ));
        };
        if let Some(&d) = self.by_file.get(&rel) {
            return match anchor {
                Some(a) if !a.is_empty() && !self.has_anchor(d, a) => Err((
                    format!(
                        "`{rel}` has no heading with anchor `#{a}`{}",
                        did_you_mean(a, self.anchors(d))
                    ),
                    Some(LinkTarget::Doc(d, None)),
                )),
                Some(a) if !a.is_empty() => Ok(LinkTarget::Doc(d, Some(a.to_string()))),
                _ => Ok(LinkTarget::Doc(d, None)),
            };
        }
        if self.files.contains(&rel) {
            if rel.starts_with("assets/") {
                return Ok(LinkTarget::Asset(rel));
            }
            return Err((
                format!(
                    "`{rel}` exists but is not published (only documents and files under `assets/` are); move it under `assets/`"
                ),
                None,
            ));
        }
        if crate::address::generated(&rel) {
            return Ok(LinkTarget::Page(rel));
        }
        let near = did_you_mean(&rel, self.by_file.keys().map(String::as_str));
        Err((
            format!("`{dest}` points at `{rel}`, which does not exist in the repository{near}"),
            None,
        ))
    }
}

/// The message for a `{{name}}` that names no variable.
fn unknown_variable(cfg: &Config, name: &str) -> String {
    let names = cfg
        .variables
        .iter()
        .flat_map(|m| m.keys().map(String::as_str));
    let hint = did_you_mean(name, names);
    if hint.is_empty() {
        format!(
            "`{{{{{name}}}}}` names no variable of `variables:` in sms.yaml; declare `{name}:` there, or write `\\{{{{{name}}}}}` to keep it as text"
        )
    } else {
        format!("`{{{{{name}}}}}` names no variable of `variables:` in sms.yaml{hint}")
    }
}

/// Resolves references and derives back-links and coverage.
pub fn resolve(
    docs: &[Document],
    cats: &Catalogues,
    cfg: &Config,
    files: &BTreeSet<String>,
) -> Resolved {
    let mut r = Resolved {
        by_id: FastMap::with_capacity_and_hasher(docs.len(), Default::default()),
        by_file: FastMap::with_capacity_and_hasher(docs.len(), Default::default()),
        ..Resolved::default()
    };
    r.duplicates = index_ids(docs, &mut r);
    // Edges stay with their documents (gathering them into one list would
    // copy them all, on one thread).
    let mut edges: Vec<Vec<Edge>> = Vec::with_capacity(docs.len());
    let mut links: Vec<Vec<Option<LinkTarget>>> = Vec::with_capacity(docs.len());
    let mut broken = Vec::new();
    let mut satisfied_by: Vec<Vec<(usize, Option<String>)>> = vec![Vec::new(); cats.reqs.len()];
    {
        let ix = Index::new(docs, cats, files, &r);
        // Each document's references resolve on their own: in parallel,
        // gathered in document order (the result is the same as in one pass).
        let found: Vec<refs::Found> = docs
            .par_iter()
            .with_max_len(64)
            .enumerate()
            .map(|(i, d)| refs::resolve_document(&ix, cfg, i, d))
            .collect();
        for f in found {
            edges.push(f.edges);
            links.push(f.links);
            broken.extend(f.broken);
            for (q, i, note) in f.satisfied {
                satisfied_by[q].push((i, note));
            }
        }
    }
    let soa_of = applicability(docs, cats, cfg, files, &r, &mut broken);
    let (references, req_mentions) = outgoing(&edges);
    r.referenced_by = back_links(docs, &edges);
    r.coverage = coverage(docs, cats, cfg, &satisfied_by, &soa_of);
    r.operation = Operation::new(docs, cats, &r.by_id);
    r.edges = edges;
    r.broken = broken;
    r.references = references;
    r.req_mentions = req_mentions;
    r.satisfied_by = satisfied_by;
    r.links = links;
    r
}

/// Fills `r.by_id` and `r.by_file` with the documents that have a valid
/// id (the first of each id wins); returns the groups of documents that
/// share an id, each in document order.
fn index_ids(docs: &[Document], r: &mut Resolved) -> Vec<Vec<usize>> {
    let mut dup: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        if d.id.is_empty() || !crate::model::valid_id(&d.id) {
            continue;
        }
        r.by_file.insert(d.file.clone(), i);
        match r.by_id.get(&d.id) {
            Some(&first) => dup
                .entry(docs[first].id.as_str())
                .or_insert_with(|| vec![first])
                .push(i),
            None => {
                r.by_id.insert(d.id.clone(), i);
            }
        }
    }
    let mut dups: Vec<Vec<usize>> = dup.into_values().collect();
    dups.sort();
    dups
}

/// The statement of applicability: each leaf requirement's entry of
/// `applicability:` in sms.yaml (an entry on a parent applies to every
/// leaf beneath; a more specific entry wins). Requirements and evidence
/// that do not resolve are `broken`.
fn applicability(
    docs: &[Document],
    cats: &Catalogues,
    cfg: &Config,
    files: &BTreeSet<String>,
    r: &Resolved,
    broken: &mut Vec<Broken>,
) -> Vec<Option<usize>> {
    let mut soa_of: Vec<Option<usize>> = vec![None; cats.reqs.len()];
    let mut bad = |entry: &crate::config::SoaEntry, message: String| {
        broken.push(Broken {
            file: crate::config::FILE.into(),
            pos: entry.pos,
            width: 1,
            message,
        })
    };
    for (e, entry) in cfg.applicability.iter().enumerate() {
        let Some(q) = cats.get(&entry.req) else {
            let cat = entry.req.split_once(':').map(|(c, _)| c).unwrap_or("");
            let ix = Index::new(docs, cats, files, r);
            bad(
                entry,
                format!("applicability entry: {}", ix.req_error(&entry.req, cat)),
            );
            continue;
        };
        for ev in entry
            .evidence
            .iter()
            .filter(|ev| !r.by_id.contains_key(*ev))
        {
            let message = format!(
                "applicability entry for {}: evidence `{ev}` is not a document id{}",
                entry.req,
                did_you_mean(ev, r.by_id.keys().map(String::as_str))
            );
            bad(entry, message);
        }
        for leaf in cats.leaves(q) {
            let replace = match soa_of[leaf] {
                None => true,
                Some(prev) => {
                    cats.depth(cats.get(&cfg.applicability[prev].req).unwrap_or(leaf))
                        <= cats.depth(q)
                }
            };
            if replace {
                soa_of[leaf] = Some(e);
            }
        }
    }
    soa_of
}

/// Each document's outgoing references (other documents, each once) and
/// the requirements its body mentions, in parallel.
fn outgoing(edges: &[Vec<Edge>]) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    edges
        .par_iter()
        .enumerate()
        .map(|(from, es)| {
            let (mut refs, mut mentions) = (Vec::new(), Vec::new());
            for e in es {
                match e.to {
                    Target::Doc(t) if t != from && !refs.contains(&t) => refs.push(t),
                    Target::Req(q) if e.via == Via::Body && !mentions.contains(&q) => {
                        mentions.push(q)
                    }
                    _ => {}
                }
            }
            (refs, mentions)
        })
        .unzip()
}

/// Each document's back-links: the documents referring to it, by id.
fn back_links(docs: &[Document], edges: &[Vec<Edge>]) -> Vec<Vec<usize>> {
    // Counted first, so each list is made at its size (growing 10,000 lists
    // by doubling leaves their old buffers behind as fresh memory).
    let mut count = vec![0usize; docs.len()];
    for e in edges.iter().flatten() {
        if let Target::Doc(t) = e.to
            && t != e.from
        {
            count[t] += 1;
        }
    }
    let mut referenced_by: Vec<Vec<usize>> = count.into_iter().map(Vec::with_capacity).collect();
    for e in edges.iter().flatten() {
        if let Target::Doc(t) = e.to
            && t != e.from
        {
            referenced_by[t].push(e.from);
        }
    }
    referenced_by.par_iter_mut().for_each(|v| {
        v.sort_by(|a, b| docs[*a].id.cmp(&docs[*b].id));
        v.dedup();
    });
    referenced_by
}

/// "an" before a word that starts with a vowel (`an audit`), else "a".
fn a_or_an(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// The requirement references of a document's record fields (`scope`,
/// `requirements`, each result's `req`): what names them, the key, where.
fn requirement_refs(d: &Document) -> impl Iterator<Item = (&str, &str, Pos)> + '_ {
    let rec = d.record.as_deref();
    let fields = rec
        .into_iter()
        .flat_map(|r| r.reqs.iter())
        .map(|r| (r.field.as_str(), r.key.as_str(), r.pos));
    let results = rec
        .into_iter()
        .flat_map(|r| r.results.iter())
        .filter(|r| !r.req.is_empty())
        .map(|r| ("results", r.req.as_str(), r.req_pos));
    fields.chain(results)
}

fn coverage(
    docs: &[Document],
    cats: &Catalogues,
    cfg: &Config,
    satisfied_by: &[Vec<(usize, Option<String>)>],
    soa_of: &[Option<usize>],
) -> Vec<Coverage> {
    let mut out: Vec<Coverage> = Vec::with_capacity(cats.reqs.len());
    for (q, req) in cats.reqs.iter().enumerate() {
        // Evidence named on the requirement itself or on an ancestor.
        let mut evidence = Vec::new();
        let mut pending = Vec::new();
        let mut cur = Some(q);
        while let Some(c) = cur {
            for (d, _) in &satisfied_by[c] {
                match docs[*d].status {
                    Status::Approved => evidence.push(*d),
                    Status::Draft | Status::Review => pending.push(*d),
                    Status::Retired => {}
                }
            }
            cur = cats.reqs[c].parent;
        }
        evidence.sort_by(|a, b| docs[*a].id.cmp(&docs[*b].id));
        evidence.dedup();
        pending.sort_by(|a, b| docs[*a].id.cmp(&docs[*b].id));
        pending.dedup();
        let soa = if req.is_leaf() { soa_of[q] } else { None };
        let cover = match soa.map(|e| cfg.applicability[e].status) {
            Some(SoaStatus::NotApplicable) => Cover::NotApplicable,
            Some(SoaStatus::OtherParty) => Cover::OtherParty,
            _ if !evidence.is_empty() => Cover::Documents,
            _ => Cover::Uncovered,
        };
        out.push(Coverage {
            cover,
            evidence,
            pending,
            soa,
            leaves: 1,
            leaves_covered: cover.is_covered() as usize,
        });
    }
    // Parents: covered when all their leaves are.
    for (q, req) in cats.reqs.iter().enumerate() {
        if req.is_leaf() {
            continue;
        }
        let leaves = cats.leaves(q);
        let covered = leaves
            .iter()
            .filter(|&&l| out[l].cover.is_covered())
            .count();
        let c = &mut out[q];
        c.leaves = leaves.len();
        c.leaves_covered = covered;
        c.cover = if covered == leaves.len() {
            Cover::Covered
        } else if covered == 0 {
            Cover::Uncovered
        } else {
            Cover::Partial
        };
    }
    out
}
