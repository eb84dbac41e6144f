//! `customer-review-overdue`: a live customer whose `last_service_review`
//! is missing (at its `id:`) or more than `max_age_days` (default 365)
//! before the build date (at the key). Service performance is reviewed
//! with each customer at planned intervals (ISO/IEC 20000-1 8.3.2).

use super::{Input, live_of_kind};
use crate::diag::Finding;

/// The option's default.
pub const MAX_AGE_DAYS: i64 = 365;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let max = input
        .config
        .days("customer-review-overdue", "max_age_days", MAX_AGE_DAYS);
    for (_, c) in live_of_kind(input.docs, "customer") {
        let finding = match c.date("last_service_review") {
            // A value that is not a date is an invalid-field finding.
            None if c.raw.contains_key("last_service_review") => continue,
            None => Finding::new(
                "customer-review-overdue",
                &c.file,
                c.id_pos(),
                format!(
                    "customer {} has no `last_service_review`: review service performance with them and record the date as `last_service_review: YYYY-MM-DD`",
                    c.id
                ),
            )
            .width(2),
            Some(r) => {
                let age = crate::model::days_between(r, input.date);
                if age <= max {
                    continue;
                }
                Finding::new(
                    "customer-review-overdue",
                    &c.file,
                    c.index.key_or_start("last_service_review"),
                    format!(
                        "service performance was last reviewed with customer {} on {r}, {age} days before {}, over the {max} days allowed; hold a service review with them and update `last_service_review`",
                        c.id, input.date
                    ),
                )
                .width(19)
            }
        };
        out.push(finding);
    }
}
