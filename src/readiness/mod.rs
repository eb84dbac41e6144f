//! Readiness for certification: one row per check an auditor makes before
//! a certification or surveillance audit (every applicable requirement
//! covered and audited within the cycle, no open major nonconformity, a
//! recent management review, no document overdue for review, every
//! critical service's continuity plan tested...), each met or not, with its figure and what
//! falls short. Shown on the readiness page and given, as the `readiness`
//! object, in the JSON summary of `check` and `build`.
//!
//! Each row is judged from the checked repository itself, not from the
//! findings: a rule set to `off` hides its findings, never a row. Rows are
//! listed once, in [`ROWS`], in the order the page shows them; a group of
//! rows is a file of this module.

mod documented;
mod history;
mod operation;
mod relationship;
mod service_levels;

use serde::Serialize;

use crate::check::Input;

/// One check: whether it is met, its figure, and what falls short.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Check {
    /// A stable name (`requirements-covered`), for tools reading the JSON.
    pub key: &'static str,
    /// What is checked, as the page says it.
    pub title: &'static str,
    pub met: bool,
    /// The figure behind it, e.g. "55 of 57 applicable requirements covered".
    pub figure: String,
    /// What falls short (empty when met).
    pub short: Vec<Shortfall>,
}

/// Something that keeps a check from being met.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Shortfall {
    /// `requirement` (`id` is its key `CATALOGUE:ID`) or `document` (`id` is its id).
    pub what: &'static str,
    pub id: String,
    /// Why it falls short.
    pub note: String,
}

impl Shortfall {
    pub fn document(id: &str, note: impl Into<String>) -> Shortfall {
        Shortfall {
            what: "document",
            id: id.to_string(),
            note: note.into(),
        }
    }
    pub fn requirement(key: &str, note: impl Into<String>) -> Shortfall {
        Shortfall {
            what: "requirement",
            id: key.to_string(),
            note: note.into(),
        }
    }
}

/// Every check, in the page's order, and how many are met.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Readiness {
    pub met: usize,
    pub total: usize,
    pub checks: Vec<Check>,
    /// The keys of the checks that could not be judged (counted as not
    /// met): `approvals-current` when the git history was not read.
    pub unknown: Vec<&'static str>,
}

/// A row: judges one check of the checked repository.
pub type Row = fn(&Input) -> Check;

/// The rows, in the order the readiness page shows them.
pub const ROWS: &[Row] = &[
    documented::requirements_covered,
    operation::requirements_audited,
    operation::no_open_major,
    operation::nonconformities_in_hand,
    operation::management_review_current,
    documented::continuity_tested,
    documented::reviews_current,
    history::approvals_current,
    service_levels::sla_targets_met,
    relationship::complaints_within_limit,
    relationship::customer_reviews_current,
];

/// Judges every row.
pub fn assess(input: &Input) -> Readiness {
    let checks: Vec<Check> = ROWS.iter().map(|row| row(input)).collect();
    let mut unknown = Vec::new();
    if history::unknown(input) {
        unknown.push(history::KEY);
    }
    Readiness {
        met: checks.iter().filter(|c| c.met).count(),
        total: checks.len(),
        checks,
        unknown,
    }
}
