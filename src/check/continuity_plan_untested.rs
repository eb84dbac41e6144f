//! `continuity-plan-untested`: a live continuity plan whose `last_tested`
//! is missing or older than `max_age_days` (default 365) before the build date.

use super::{Input, live_of_kind};
use crate::diag::Finding;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let max = input
        .config
        .days("continuity-plan-untested", "max_age_days", 365);
    for (_, p) in live_of_kind(input.docs, "continuity-plan") {
        match p.date("last_tested") {
            None if p.raw.contains_key("last_tested") => {} // an invalid date is an invalid-field finding
            None => out.push(
                Finding::new(
                    "continuity-plan-untested",
                    &p.file,
                    p.id_pos(),
                    format!("continuity plan {} has never been tested; test it and record the date as `last_tested: YYYY-MM-DD`", p.id),
                )
                .width(2),
            ),
            Some(t) => {
                let age = crate::model::days_between(t, input.date);
                if age > max {
                    out.push(
                        Finding::new(
                            "continuity-plan-untested",
                            &p.file,
                            p.index.key_or_start("last_tested"),
                            format!("continuity plan {} was last tested on {t}, {age} days before {}, over the {max} days allowed; test it again and update `last_tested`", p.id, input.date),
                        )
                        .width(11),
                    );
                }
            }
        }
    }
}
