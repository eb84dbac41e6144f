//! `retired-reference`: a live document referring to a retired one.

use super::Input;
use crate::diag::Finding;
use crate::resolve::Target;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    for e in input.resolved.edges.iter().flatten() {
        let Target::Doc(t) = e.to else { continue };
        let (from, to) = (&input.docs[e.from], &input.docs[t]);
        if from.is_live() && !to.is_live() {
            out.push(Finding::new(
                "retired-reference",
                &from.file,
                e.pos(input.docs),
                format!("{} refers to {} \"{}\", which is retired; point it at the document that replaced it", from.id, to.id, to.title),
            ).width(to.id.len()));
        }
    }
}
