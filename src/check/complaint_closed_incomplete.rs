//! `complaint-closed-incomplete`: a live complaint with `state: closed`
//! that does not say when it was closed (`closed_on`) or how it was
//! resolved (`resolution`). One finding at its `state:`, naming both gaps
//! when both are missing. A `closed_on` that is not a date is left to
//! `invalid-field`.

use super::{Input, live_of_kind};
use crate::diag::Finding;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    for (_, c) in live_of_kind(input.docs, "complaint") {
        if c.text("state").as_deref() != Some("closed") {
            continue;
        }
        let mut gaps = Vec::new();
        if c.text("closed_on").is_none_or(|s| s.trim().is_empty()) {
            gaps.push("no `closed_on:` (the date it was closed, YYYY-MM-DD)");
        }
        if c.text("resolution").is_none_or(|s| s.trim().is_empty()) {
            gaps.push("no `resolution:` (what was done, and what the customer was told)");
        }
        if gaps.is_empty() {
            continue;
        }
        out.push(
            Finding::new(
                "complaint-closed-incomplete",
                &c.file,
                c.index.key_or_start("state"),
                format!(
                    "complaint {} is closed but has {}; add {}, or set `state: open` until it is resolved",
                    c.id,
                    gaps.join(" and "),
                    if gaps.len() == 1 { "it" } else { "both" }
                ),
            )
            .width(5),
        );
    }
}
