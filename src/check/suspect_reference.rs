//! `suspect-reference`: an approved document that refers to a document
//! whose content changed since the referring one's approval day (see
//! `control`). One finding per referring place, where `broken-reference`
//! would point.

use super::Input;
use crate::diag::Finding;
use crate::resolve::{At, Target, Via};

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let h = input.history;
    for s in &h.suspect {
        let (a, b) = (&input.docs[s.from], &input.docs[s.to]);
        let Some(on) = a.approved_on else { continue };
        let edges = input
            .resolved
            .edges
            .get(s.from)
            .map_or(&[][..], Vec::as_slice);
        for e in edges.iter().filter(|e| e.to == Target::Doc(s.to)) {
            let width = match (&e.via, e.at) {
                (Via::Body | Via::Link, At::Body(offset)) => body_width(a, offset),
                _ => b.id.chars().count(),
            };
            out.push(
                Finding::new(
                    "suspect-reference",
                    &a.file,
                    e.pos(input.docs),
                    format!(
                        "{} (approved on {on}) refers to {}, which changed since then: {}. \
                         Review {} against it and re-approve it (update `approved_on` and \
                         `approved_by`), or revert the change to {}",
                        a.id,
                        b.id,
                        h.describe(&s.since, s.uncommitted, 3),
                        a.id,
                        b.id
                    ),
                )
                .width(width),
            );
        }
    }
}

/// The length of the reference or link written at `offset` of `d`'s body.
fn body_width(d: &crate::model::Document, offset: usize) -> usize {
    let refs = d.scan.refs.iter().map(|r| (r.offset, r.len));
    let links = d.scan.links.iter().map(|l| (l.offset, l.len));
    refs.chain(links)
        .find(|(o, _)| *o == offset)
        .map_or(1, |(_, len)| len)
}
