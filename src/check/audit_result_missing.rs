//! `audit-result-missing`: a performed audit that gives no result for some
//! leaf of its scope (an entry on a parent counts for the leaves beneath
//! it). Names the first few and how many. At its `results:` key, or at
//! `performed_on` when it has none.

use super::Input;
use crate::diag::Finding;

/// Leaves named in a message before "and N more".
const NAMED: usize = 5;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let cats = input.catalogues;
    for a in input
        .resolved
        .operation
        .audits
        .iter()
        .filter(|a| a.performed)
    {
        let missing: Vec<&str> = a
            .leaves
            .iter()
            .zip(&a.result_of)
            .filter(|(_, r)| r.is_none())
            .map(|(&q, _)| cats.reqs[q].key.as_str())
            .collect();
        if missing.is_empty() {
            continue;
        }
        let d = &input.docs[a.doc];
        let (pos, width) = match d.index.key("results") {
            Some(p) => (p, 7),
            None => (d.index.key_or_start("performed_on"), 12),
        };
        let named = missing[..missing.len().min(NAMED)].join(", ");
        let rest = match missing.len().saturating_sub(NAMED) {
            0 => String::new(),
            m => format!(" and {m} more"),
        };
        out.push(
            Finding::new(
                "audit-result-missing",
                &d.file,
                pos,
                format!(
                    "audit {} was performed but gives no result for {} of the {} requirements in its scope: {named}{rest}; add `- {{req: {}, result: conforming}}` (or nonconforming, observation, not-audited) under `results:` for each, or one on a parent for all beneath it",
                    d.id,
                    missing.len(),
                    a.leaves.len(),
                    missing[0]
                ),
            )
            .width(width),
        );
    }
}
