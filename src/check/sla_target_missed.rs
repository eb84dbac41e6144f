//! `sla-target-missed`: a measured value on the wrong side of its SLA
//! target (a value equal to the target meets it) with no `explained_by`;
//! at the row's `value` cell. A miss with `explained_by` is shown on the
//! pages, explained, and is no finding. Found by `measure::check`.

use super::Input;
use crate::diag::Finding;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    super::measure_findings(input, "sla-target-missed", out);
}
