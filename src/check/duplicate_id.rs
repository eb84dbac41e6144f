//! `duplicate-id`: an id used by more than one document; every place is reported.

use super::Input;
use crate::diag::Finding;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    for group in &input.resolved.duplicates {
        for &i in group {
            let d = &input.docs[i];
            let others: Vec<&str> = group
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| input.docs[j].file.as_str())
                .collect();
            out.push(
                Finding::new(
                    "duplicate-id",
                    &d.file,
                    d.id_pos(),
                    format!("id `{}` is also used by {}; every id must be unique, so rename one of them", d.id, others.join(", ")),
                )
                .width(2),
            );
        }
    }
}
