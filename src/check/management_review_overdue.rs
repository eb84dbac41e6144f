//! `management-review-overdue`: no management review `held_on` within
//! `max_age_days` (365) before the build date. At the latest review's
//! `held_on`, or at `name:` in `sms.yaml` when no review has a valid date.
//! Only in a repository with a live management review.

use super::Input;
use crate::diag::Finding;
use crate::model::days_between;

pub const RULE: &str = "management-review-overdue";

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let reviews = &input.resolved.operation.reviews;
    if reviews.is_empty() {
        return;
    }
    let max = input.config.days(RULE, "max_age_days", 365);
    let dated: Vec<(jiff::civil::Date, usize)> = reviews
        .iter()
        .filter_map(|&i| input.docs[i].date("held_on").map(|on| (on, i)))
        .collect();
    let held = dated.iter().filter(|(on, _)| *on <= input.date).max();
    if held.is_some_and(|(on, _)| days_between(*on, input.date) <= max) {
        return;
    }
    let what = "hold a management review (clause 9.3) and record it as a `management-review` document with its `held_on` date";
    let finding = match held.or(dated.iter().max()) {
        Some(&(on, i)) => {
            let d = &input.docs[i];
            let when = if on > input.date {
                format!("the latest, {}, is dated {on}, after the build date", d.id)
            } else {
                format!(
                    "the latest, {}, was held on {on}, {} days before {}",
                    d.id,
                    days_between(on, input.date),
                    input.date
                )
            };
            Finding::new(
                RULE,
                &d.file,
                d.index.key_or_start("held_on"),
                format!("no management review was held within the last {max} days: {when}; {what}"),
            )
            .width(7)
        }
        None => Finding::new(
            RULE,
            crate::config::FILE,
            input.config.index.key_or_start("name"),
            format!("no management review has a valid `held_on` date; {what}"),
        ),
    };
    out.push(finding);
}
