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
        // The lines of the others, the first few (a body may hold thousands).
        const SHOWN: usize = 8;
        let rest = &found[1..];
        let mut lines: Vec<String> = rest
            .iter()
            .take(SHOWN)
            .map(|&o| d.body_pos(o).line.to_string())
            .collect();
        if rest.len() > SHOWN {
            lines.push("…".into());
        }
        let more = match rest.len() {
            0 => String::new(),
            1 => format!(" (and another at line {})", lines[0]),
            n => format!(" (and {n} more, at lines {})", lines.join(", ")),
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
