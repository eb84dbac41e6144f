//! `exclusion-not-permitted`: a `not-applicable` entry in the statement of
//! applicability for a catalogue that declares `exclusions: not-permitted`
//! (ISO/IEC 20000-1:2018 accepts no exclusion of clauses 4 to 10).

use super::Input;
use crate::config::SoaStatus;
use crate::diag::Finding;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let cats = input.catalogues;
    for e in &input.config.applicability {
        if e.status != SoaStatus::NotApplicable {
            continue;
        }
        let Some(q) = cats.get(&e.req) else { continue };
        let cat = &cats.list[cats.reqs[q].catalogue];
        if !cat.exclusions_permitted {
            out.push(Finding::new(
                "exclusion-not-permitted",
                crate::config::FILE,
                e.pos,
                format!("{} cannot be declared not-applicable: catalogue {} permits no exclusions; provide evidence, or declare it `other-party` with the party that operates it", e.req, cat.name),
            ));
        }
    }
}
