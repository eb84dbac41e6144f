//! `invalid-field`: a missing required field, a wrong type, a bad date, an
//! unknown status or kind. Found while typing each document (see `model`),
//! or, for audit results, while resolving them (`resolve::Operation`); and
//! in measurement files, a bad period or value, a missing column, a row
//! that does not fit the header, a measured target without `better` (see
//! `measure`).

use super::Input;
use crate::diag::Finding;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    for d in input.docs {
        for p in d.problems.iter().filter(|p| p.rule == "invalid-field") {
            out.push(
                Finding::new("invalid-field", &d.file, p.pos, p.message.clone()).width(p.width),
            );
        }
    }
    // What only the catalogues tell (a result outside an audit's scope).
    for (i, p) in &input.resolved.operation.problems {
        let d = &input.docs[*i];
        out.push(Finding::new("invalid-field", &d.file, p.pos, p.message.clone()).width(p.width));
    }
    super::measure_findings(input, "invalid-field", out);
}
