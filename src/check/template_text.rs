//! `template-text`: an approved document that still holds the scaffold's
//! guidance (a quote block starting with `**Guidance:**`, see
//! `scaffold::guidance`): approving a template unchanged is a classic
//! audit finding. One finding per document, at its first guidance block,
//! naming the lines of the others.

use super::Input;
use crate::diag::Finding;
use crate::model::Status;
use crate::scaffold::guidance;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    for d in input.docs.iter().filter(|d| d.status == Status::Approved) {
        let found = guidance::find(&d.body);
        let Some(&first) = found.first() else {
            continue;
        };
        let at = d.body_pos(first);
        let others: Vec<String> = found[1..]
            .iter()
            .map(|&o| d.body_pos(o).line.to_string())
            .collect();
        let more = match others.len() {
            0 => String::new(),
            1 => format!(" (and another at line {})", others[0]),
            _ => format!(
                " (and {} more, at lines {})",
                others.len(),
                others.join(", ")
            ),
        };
        out.push(
            Finding::new(
                "template-text",
                &d.file,
                at,
                format!(
                    "approved document {} still holds the scaffold's guidance{more}; replace each `> {}` block with your own text and delete it, or set `status:` back to draft",
                    d.id,
                    guidance::LABEL
                ),
            )
            .width(guidance::LABEL.len() + 2),
        );
    }
}
