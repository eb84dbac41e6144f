//! `management-review-incomplete`: a live management review that does
//! not list every required input (the option `inputs:`, by default
//! `model::REVIEW_INPUTS`); names the missing ones. At its `inputs:` key,
//! or at `held_on` when it has none.

use super::{Input, live_of_kind};
use crate::diag::Finding;

pub const RULE: &str = "management-review-incomplete";

/// The inputs a review must address.
pub fn required(input: &Input) -> Vec<String> {
    match input.config.names(RULE, "inputs") {
        Some((names, _)) => names.to_vec(),
        None => crate::model::REVIEW_INPUTS
            .iter()
            .map(|s| s.to_string())
            .collect(),
    }
}

/// The required inputs review `d` does not list.
pub fn missing<'r>(d: &crate::model::Document, required: &'r [String]) -> Vec<&'r str> {
    required
        .iter()
        .filter(|r| !d.review_inputs().iter().any(|i| &i.input == *r))
        .map(String::as_str)
        .collect()
}

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let required = required(input);
    for (_, d) in live_of_kind(input.docs, "management-review") {
        let missing = missing(d, &required);
        if missing.is_empty() {
            continue;
        }
        let (pos, width) = match d.index.key("inputs") {
            Some(p) => (p, 6),
            None => (d.index.key_or_start("held_on"), 7),
        };
        out.push(
            Finding::new(
                RULE,
                &d.file,
                pos,
                format!(
                    "management review {} does not record {} of the {} required inputs: {}; add an entry for each under `inputs:`, e.g. `- {{input: {}, documents: [...], note: \"...\"}}`",
                    d.id,
                    missing.len(),
                    required.len(),
                    missing.join(", "),
                    missing[0]
                ),
            )
            .width(width),
        );
    }
}
