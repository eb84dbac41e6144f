//! `approval-stale`: an approved document whose content now (the work
//! tree) differs from its approved version's (see `control`). At its
//! `approved_on`.

use super::Input;
use crate::diag::Finding;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let h = input.history;
    for s in &h.stale {
        let d = &input.docs[s.doc];
        let Some(on) = d.approved_on else { continue };
        let by = d
            .approved_by
            .as_deref()
            .map(|b| format!(" by {b}"))
            .unwrap_or_default();
        out.push(
            Finding::new(
                "approval-stale",
                &d.file,
                d.index.key_or_start("approved_on"),
                format!(
                    "{} was approved on {on}{by}, but its content changed since: {}. \
                     Re-approve it (update `approved_on` and `approved_by`) or revert the change",
                    d.id,
                    h.describe(&s.since, s.uncommitted, 3)
                ),
            )
            .width(11),
        );
    }
}
