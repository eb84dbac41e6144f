//! `broken-reference`: a `[[ref]]`, `ref` field, relative link, heading
//! anchor or requirement reference that does not resolve or points at the
//! wrong kind. Resolution already recorded them; this rule reports them,
//! with the `sla`, `metric` and `explained_by` cells of measurement rows
//! that name nothing (found by `measure::check`).

use super::Input;
use crate::diag::Finding;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    for b in &input.resolved.broken {
        out.push(
            Finding::new("broken-reference", &b.file, b.pos, b.message.clone()).width(b.width),
        );
    }
    super::measure_findings(input, "broken-reference", out);
}
