//! `audit-overdue`: a live audit whose `planned_on` is before the build
//! date and that has no `performed_on`. At its `planned_on`.

use super::{Input, live_of_kind};
use crate::diag::Finding;
use crate::model::days_between;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    for (_, a) in live_of_kind(input.docs, "audit") {
        let Some(planned) = a.date("planned_on") else {
            continue;
        };
        if planned >= input.date || a.has("performed_on") {
            continue;
        }
        let days = days_between(planned, input.date);
        out.push(
            Finding::new(
                "audit-overdue",
                &a.file,
                a.index.key_or_start("planned_on"),
                format!(
                    "audit {} was planned for {planned}, {days} day{} ago, and has no `performed_on`; once it is done record `performed_on: YYYY-MM-DD` and its results, or plan it again with a new `planned_on`",
                    a.id,
                    if days == 1 { "" } else { "s" }
                ),
            )
            .width(10),
        );
    }
}
