//! `complaint-open-too-long`: a live complaint still `open` that was
//! received more than `days` (default 30) before the build date. At its
//! `state:`.

use super::{Input, live_of_kind};
use crate::diag::Finding;

/// The option's default.
pub const DAYS: i64 = 30;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let limit = input.config.days("complaint-open-too-long", "days", DAYS);
    for (_, c) in live_of_kind(input.docs, "complaint") {
        if c.text("state").as_deref() != Some("open") {
            continue;
        }
        // Without a valid `received_on`, invalid-field says so.
        let Some(received) = c.date("received_on") else {
            continue;
        };
        let age = crate::model::days_between(received, input.date);
        if age <= limit {
            continue;
        }
        out.push(
            Finding::new(
                "complaint-open-too-long",
                &c.file,
                c.index.key_or_start("state"),
                format!(
                    "complaint {} was received on {received} and is still open after {age} days, over the {limit} allowed; resolve it and record `state: closed`, `closed_on:` and `resolution:`, or escalate it",
                    c.id
                ),
            )
            .width(5),
        );
    }
}
