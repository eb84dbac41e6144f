//! `unknown-field`: a field the document's kind does not declare (the
//! nearest known name is suggested), or a column of a measurements file
//! that is not one of its columns (at the header cell).

use super::Input;
use crate::diag::Finding;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    for d in input.docs {
        for p in d.problems.iter().filter(|p| p.rule == "unknown-field") {
            out.push(
                Finding::new("unknown-field", &d.file, p.pos, p.message.clone()).width(p.width),
            );
        }
    }
    super::measure_findings(input, "unknown-field", out);
}
