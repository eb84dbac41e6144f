//! `duplicate-measurement`: the same period, SLA and metric on two rows of
//! the measurement files (rows ordered by file path, then line); at the
//! later row's `period` cell, naming the earlier row. Found by
//! `measure::check`.

use super::Input;
use crate::diag::Finding;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    super::measure_findings(input, "duplicate-measurement", out);
}
