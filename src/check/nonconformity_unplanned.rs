//! `nonconformity-unplanned`: an open `major` or `minor` nonconformity
//! with no `root_cause` or no `actions`, raised more than `days` (30)
//! before the build date. At its `state`.

use super::{Input, live_of_kind};
use crate::diag::Finding;
use crate::model::days_between;

pub const RULE: &str = "nonconformity-unplanned";

/// What an open nonconformity lacks to be planned (none: planned, or not
/// judged: not open, not major or minor, not raised long enough ago).
pub fn gaps(d: &crate::model::Document, date: jiff::civil::Date, days: i64) -> Vec<&'static str> {
    let grade = d.text("grade").unwrap_or_default();
    let raised = d.date("raised_on");
    if d.text("state").as_deref() != Some("open")
        || !(grade == "major" || grade == "minor")
        || raised.is_none_or(|r| days_between(r, date) <= days)
    {
        return Vec::new();
    }
    let mut gaps = Vec::new();
    if !d.has("root_cause") {
        gaps.push("no `root_cause`");
    }
    if !d.actions().any(|(f, _)| f == "actions") {
        gaps.push("no `actions`");
    }
    gaps
}

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let days = input.config.days(RULE, "days", 30);
    for (_, d) in live_of_kind(input.docs, "nonconformity") {
        let gaps = gaps(d, input.date, days);
        if gaps.is_empty() {
            continue;
        }
        let raised = d
            .date("raised_on")
            .map(|r| days_between(r, input.date))
            .unwrap_or(0);
        out.push(
            Finding::new(
                RULE,
                &d.file,
                d.index.key_or_start("state"),
                format!(
                    "{} nonconformity {} was raised {raised} days ago (more than {days}) and has {}; analyse its cause (`root_cause:`) and plan corrective actions (`actions:` with owner and due date)",
                    d.text("grade").unwrap_or_default(),
                    d.id,
                    gaps.join(" and ")
                ),
            )
            .width(5),
        );
    }
}
