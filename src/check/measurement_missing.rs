//! `measurement-missing`: an SLA target that has measurements but none
//! for some month from its first measured month to the month before the
//! build date (the months named); one finding per target, at its `metric`
//! in the SLA document. Found by `measure::check`.

use super::Input;
use crate::diag::Finding;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    super::measure_findings(input, "measurement-missing", out);
}
