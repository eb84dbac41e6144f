//! `review-overdue`: a live document whose `review_by` date is before the build date.

use super::Input;
use crate::diag::Finding;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    for d in input.docs.iter().filter(|d| d.is_live()) {
        if let Some(r) = d.review_by
            && r < input.date
        {
            out.push(
                Finding::new(
                    "review-overdue",
                    &d.file,
                    d.index.key_or_start("review_by"),
                    format!(
                        "{} was due for review on {r}; review it and set the next `review_by` date",
                        d.id
                    ),
                )
                .width(9),
            );
        }
    }
}
