//! `requirement-uncovered`: an applicable leaf requirement that no approved
//! document satisfies. The finding sits on the requirement's declaration and
//! names any draft or in-review documents that would cover it once approved.

use super::Input;
use crate::diag::Finding;
use crate::resolve::Cover;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let cats = input.catalogues;
    for (q, req) in cats.reqs.iter().enumerate() {
        let cov = &input.resolved.coverage[q];
        if !req.is_leaf() || cov.cover != Cover::Uncovered {
            continue;
        }
        let pending: Vec<String> = cov
            .pending
            .iter()
            .map(|&d| format!("{} ({})", input.docs[d].id, input.docs[d].status.as_str()))
            .collect();
        let what_to_do = if pending.is_empty() {
            format!(
                "add `satisfies: [{}]` to an approved document that provides the evidence, or declare it in `applicability:` in sms.yaml",
                req.key
            )
        } else {
            format!("{} would cover it once approved", pending.join(", "))
        };
        out.push(Finding::new(
            "requirement-uncovered",
            &req.file,
            req.pos,
            format!(
                "requirement {} \"{}\" has no approved evidence; {what_to_do}",
                req.key, req.title
            ),
        ));
    }
}
