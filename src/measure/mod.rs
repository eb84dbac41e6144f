//! Service reporting: measurements against SLA targets, as plain data.
//!
//! This module owns the measurement files (CSV under `measurements/`) from
//! their bytes to the figures pages show, and nothing around them: it
//! reads no files, knows no documents, and applies no configured
//! severities. The build gives it the files' bytes, the SLAs' targets
//! ([`SlaTargets`]) and the document ids ([`DocIds`]); it gives back rows,
//! findings at their rules' default severities, and a [`Series`] per
//! target. It depends on `diag` alone (and crates), so the pipeline around
//! it can change without it.
//!
//! - [`read`] one file into a [`Sheet`] of [`Row`]s (every cell with its
//!   line and column; the cells' texts in one string), with findings for the
//!   file and for every row that is not a measurement; [`read_all`] reads
//!   many, in parallel.
//! - [`check`] the sheets against the SLAs: references, duplicates, the raw
//!   results of `sla-target-missed` and `measurement-missing`, in a
//!   [`Report`] that owns the sheets and the series.
//! - [`Series`] gives each month's [`State`], [`Attainment`] over a window,
//!   the last months measured; a [`Point`] leads back to its row.
//!
//! 144,000 rows (1,000 SLAs × 4 targets × 36 months, 5.5 MB) read and
//! check in about 35 ms on two cores when in a file per month, 55 ms in
//! one file (`examples/measure_cost.rs`).
//!
//! # Decisions where the contract is silent
//!
//! - **Rules.** A file that is not UTF-8 is a `parse-error` at its first bad
//!   byte, and none of it is read (as for documents). A quote never closed
//!   takes the rest of the file into one cell: `parse-error` at that quote,
//!   naming the lines lost; the rows before it are read. A row with more or
//!   fewer cells than the header has columns is `invalid-field` (at the first
//!   extra cell, or at the row's first cell) and is not read: its cells
//!   cannot be matched with the columns. An empty file, or a first row that
//!   names no column (data without a header), is the missing-column
//!   `invalid-field` at 1:1. A column named twice is `invalid-field` at the
//!   second (its cells are ignored); a header cell with no name is
//!   `unknown-field`. An empty `period`, `sla`, `metric` or `value` is
//!   `invalid-field` at the cell. A `period` after the build date's month is
//!   `invalid-field` (a typo, not a measurement). An `sla` naming a document
//!   that is not an SLA is `broken-reference`, saying so.
//! - **Blank rows.** Empty lines are skipped (csv-core does), and so is a
//!   row whose every cell is blank (`,,,,`, which spreadsheets write for an
//!   empty formatted row): neither holds anything to lose. Every other row
//!   is a measurement or has a finding.
//! - **Cells** are trimmed of surrounding spaces (the text inside is kept:
//!   metrics are matched exactly, case included). A cell's place is its
//!   first character (its opening quote when quoted), columns counted in
//!   characters after any byte-order mark; CR, LF and CRLF end records
//!   (csv-core), lines are counted by LF as everywhere in the project.
//! - **Values** are plain decimals: a sign, digits, a `.` and digits. No
//!   exponent, thousands separator or unit; NaN and infinities refused.
//! - **Duplicates.** The same period, SLA and target on a later row is a
//!   duplicate whether or not either row's value is valid; only the first
//!   row can be the month's measurement (when its value is valid), a later
//!   one never is.
//! - **Targets that cannot be compared** (no `better`, or a `target` that is
//!   not a number) are the contract's `invalid-field` once per target, at
//!   the `metric` cell of its first row, naming the rows; those rows give no
//!   series and no `measurement-missing`.
//! - **Missing months** are months without a measurement: a month whose
//!   only row is not one (a bad value, a duplicate) is named missing too.
//! - **Explained** is a miss with `explained_by`, resolved or not; a met
//!   value with `explained_by` is met. Attainment counts an explained miss
//!   as a miss.

mod cells;
mod check;
mod month;
mod read;
mod series;
mod value;

pub use cells::Cell;
pub use check::{Better, DocIds, Goal, Report, SlaTargets, Target, check, month_list};
pub use month::Month;
pub use read::{COLUMNS, Row, Sheet, read};
pub use series::{Attainment, Point, Series, State};
pub use value::parse as parse_value;

use crate::diag::Finding;

/// Reads many files (path, bytes) in parallel: their sheets ordered by
/// path, and every file's findings.
pub fn read_all<P, B>(files: &[(P, B)]) -> (Vec<Sheet>, Vec<Finding>)
where
    P: AsRef<str> + Sync,
    B: AsRef<[u8]> + Sync,
{
    use rayon::prelude::*;
    let mut read: Vec<(Sheet, Vec<Finding>)> = files
        .par_iter()
        .map(|(path, bytes)| read(path.as_ref(), bytes.as_ref()))
        .collect();
    read.sort_by(|a, b| a.0.file.cmp(&b.0.file));
    let findings = read
        .iter_mut()
        .flat_map(|(_, f)| std::mem::take(f))
        .collect();
    (read.into_iter().map(|(s, _)| s).collect(), findings)
}
