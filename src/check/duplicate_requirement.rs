//! `duplicate-requirement`: a requirement id declared more than once in
//! its catalogue. Every place is reported, each naming the others; the
//! first declaration is the one in force (see `catalogue::Redeclared`), so
//! a catalogue one does not own can be built with this set to `warning`.

use super::Input;
use crate::diag::Finding;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let cats = input.catalogues;
    let mut firsts: Vec<usize> = cats.duplicates.iter().map(|d| d.first).collect();
    firsts.sort_unstable();
    firsts.dedup();
    for first in firsts {
        let req = &cats.reqs[first];
        let again: Vec<_> = cats
            .duplicates
            .iter()
            .filter(|d| d.first == first)
            .collect();
        let place = |file: &str, line: usize| format!("{file}:{line}");
        let all_again: Vec<String> = again.iter().map(|d| place(&d.file, d.pos.line)).collect();
        out.push(
            Finding::new(
                "duplicate-requirement",
                &req.file,
                req.pos,
                format!(
                    "requirement `{}` is declared again at {}; each id is declared once in its catalogue, so remove or rename the repetition (this first declaration is the one in force)",
                    req.key,
                    all_again.join(", ")
                ),
            )
            .width(2),
        );
        for (k, d) in again.iter().enumerate() {
            let mut others = vec![place(&req.file, req.pos.line)];
            others.extend(
                all_again
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != k)
                    .map(|(_, p)| p.clone()),
            );
            let children = match d.children {
                0 => String::new(),
                1 => "; its 1 child is added to the first declaration's".to_string(),
                n => format!("; its {n} children are added to the first declaration's"),
            };
            out.push(
                Finding::new(
                    "duplicate-requirement",
                    &d.file,
                    d.pos,
                    format!(
                        "requirement `{}` is already declared at {}; this declaration is not used (its title \"{}\" is ignored{children}): remove or rename it",
                        req.key,
                        others.join(", "),
                        d.title
                    ),
                )
                .width(2),
            );
        }
    }
}
