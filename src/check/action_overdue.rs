//! `action-overdue`: an action (an item of an `actions` field) due before
//! the build date and not done, in any live document but a closed
//! nonconformity (whose closing rule, `nonconformity-closed-unverified`,
//! judges its actions). At the item's `due_by`.

use super::Input;
use crate::diag::Finding;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    for d in input.docs.iter().filter(|d| d.is_live()) {
        if d.kind == "nonconformity" && d.text("state").as_deref() == Some("closed") {
            continue;
        }
        for (field, a) in d.actions() {
            let Some(due) = a.due else { continue };
            if due >= input.date || a.done.is_some() || !a.done_on.is_empty() {
                continue;
            }
            let days = crate::model::days_between(due, input.date);
            out.push(
                Finding::new(
                    "action-overdue",
                    &d.file,
                    a.due_pos,
                    format!(
                        "{}: action \"{}\" ({}, owner {}) was due on {due}, {days} day{} ago, and is not done; do it and record `done_on: YYYY-MM-DD`, or agree a new `due_by`",
                        d.id,
                        a.action,
                        field,
                        if a.owner.is_empty() { "none" } else { &a.owner },
                        if days == 1 { "" } else { "s" }
                    ),
                )
                .width(6),
            );
        }
    }
}
