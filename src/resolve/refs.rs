//! One document's references, resolved on their own (in parallel, see
//! [`super::resolve`]): its fields' references to documents, its
//! `satisfies`, the requirements its records name, its body's `[[…]]`
//! references and links. Each that does not resolve is a [`Broken`] at its
//! place, saying what to write instead.

use super::{
    At, Broken, Edge, Index, LinkTarget, Target, Via, a_or_an, requirement_refs, unknown_variable,
};
use crate::config::Config;
use crate::diag::{Pos, did_you_mean};
use crate::model::Document;

/// What resolving one document's references finds: its edges, its broken
/// references, the requirements it satisfies (requirement, document,
/// note), and where each of its body's links leads.
pub(super) struct Found {
    pub edges: Vec<Edge>,
    pub broken: Vec<Broken>,
    pub satisfied: Vec<(usize, usize, Option<String>)>,
    pub links: Vec<Option<LinkTarget>>,
}

impl Found {
    fn bad(&mut self, d: &Document, pos: Pos, width: usize, message: String) {
        self.broken.push(Broken {
            file: d.file.clone(),
            pos,
            width,
            message,
        });
    }
}

/// Document `i`'s references: its fields' document references, its
/// `satisfies`, the requirements its records name, and its body's `[[…]]`
/// references and links.
pub(super) fn resolve_document(ix: &Index, cfg: &Config, i: usize, d: &Document) -> Found {
    let mut f = Found {
        // At most one edge per reference: sized once, not grown.
        edges: Vec::with_capacity(
            d.refs.len() + d.satisfies.len() + d.scan.refs.len() + d.scan.links.len(),
        ),
        broken: Vec::new(),
        satisfied: Vec::new(),
        links: Vec::with_capacity(d.scan.links.len()),
    };
    field_refs(ix, i, d, &mut f);
    satisfies(ix, i, d, &mut f);
    for (what, key, pos) in requirement_refs(d) {
        if ix.cats.get(key).is_none() {
            let msg = match key.split_once(':') {
                Some((cat, _)) => ix.req_error(key, cat),
                None => format!(
                    "`{what}: {key}` must name a requirement as `CATALOGUE:ID`, e.g. `ISO20000-1:8.5`"
                ),
            };
            f.bad(d, pos, key.chars().count(), format!("{what}: {msg}"))
        }
    }
    body_refs(ix, cfg, i, d, &mut f);
    f
}

/// The references of document `i`'s fields to other documents.
fn field_refs(ix: &Index, i: usize, d: &Document, f: &mut Found) {
    let docs = ix.docs;
    for fr in &d.refs {
        match ix.by_id.get(&fr.target) {
            Some(&t) if fr.to.is_empty() || fr.to.contains(&docs[t].kind) => f.edges.push(Edge {
                from: i,
                to: Target::Doc(t),
                via: Via::Field(fr.field.clone()),
                at: At::Pos(fr.pos),
            }),
            Some(&t) => f.bad(
                d,
                fr.pos,
                fr.target.len(),
                format!(
                    "`{}: {}` must point at {} {} document, but {} is {} {}",
                    fr.field,
                    fr.target,
                    a_or_an(&fr.to.join(" or ")),
                    fr.to.join(" or "),
                    fr.target,
                    a_or_an(&docs[t].kind),
                    docs[t].kind
                ),
            ),
            None => {
                let same_kind = ix
                    .by_id
                    .iter()
                    .filter(|(_, j)| fr.to.is_empty() || fr.to.contains(&docs[**j].kind))
                    .map(|(k, _)| k.as_str());
                let message = format!(
                    "`{}` refers to `{}`, but no document has that id{}",
                    fr.field,
                    fr.target,
                    did_you_mean(&fr.target, same_kind)
                );
                f.bad(d, fr.pos, fr.target.len(), message)
            }
        }
    }
}

/// Document `i`'s `satisfies`: the requirements it is evidence for.
fn satisfies(ix: &Index, i: usize, d: &Document, f: &mut Found) {
    for s in &d.satisfies {
        match ix.cats.get(&s.req) {
            Some(q) => {
                f.satisfied.push((q, i, s.note.clone()));
                f.edges.push(Edge {
                    from: i,
                    to: Target::Req(q),
                    via: Via::Satisfies,
                    at: At::Pos(s.pos),
                });
            }
            None => {
                let msg = match s.req.split_once(':') {
                    Some((cat, _)) => ix.req_error(&s.req, cat),
                    None => format!(
                        "`satisfies: {}` must name a requirement as `CATALOGUE:ID`, e.g. `ISO20000-1:8.3.3`",
                        s.req
                    ),
                };
                f.bad(d, s.pos, s.req.len(), msg)
            }
        }
    }
}

/// Document `i`'s body: its `[[…]]` references, the problems its scan
/// found, and where each link leads (the best page that exists when it
/// does not resolve fully).
fn body_refs(ix: &Index, cfg: &Config, i: usize, d: &Document, f: &mut Found) {
    for w in d.scan.refs.iter().filter(|w| !w.spans_lines) {
        match ix.wiki(&w.target) {
            Ok(t) => f.edges.push(Edge {
                from: i,
                to: t,
                via: Via::Body,
                at: At::Body(w.offset),
            }),
            Err(m) => f.bad(d, d.body_pos(w.offset), w.len, m),
        }
    }
    for &u in &d.scan.unclosed {
        f.bad(d, d.body_pos(u), 2, "`[[` is not closed by `]]` on the same line; close it (`[[ID]]`) or escape it as `\\[\\[`".into());
    }
    for v in &d.scan.unknown_vars {
        f.bad(
            d,
            d.body_pos(v.offset),
            v.len,
            unknown_variable(cfg, &v.name),
        );
    }
    for &u in &d.scan.cut_by_cell {
        f.bad(d, d.body_pos(u), 2, "this `[[ID|text]]` is in a table, where `|` ends the cell and cuts the reference in two; escape the pipe: `[[ID\\|text]]`".into());
    }
    for l in &d.scan.links {
        match ix.link_or_best(i, &l.dest) {
            Ok(target) => {
                if let LinkTarget::Doc(t, _) = target {
                    f.edges.push(Edge {
                        from: i,
                        to: Target::Doc(t),
                        via: Via::Link,
                        at: At::Body(l.offset),
                    });
                }
                f.links.push(Some(target));
            }
            Err((m, best)) => {
                f.bad(d, d.body_pos(l.offset), l.len, m);
                f.links.push(best);
            }
        }
    }
}
