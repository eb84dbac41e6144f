//! `contract-expired`: a contract past `expires_on` that a live supplier
//! still lists in its `contracts:`.

use std::collections::HashMap;

use super::{Input, live_of_kind};
use crate::diag::Finding;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let mut holders: HashMap<&str, Vec<&str>> = HashMap::new();
    for (_, s) in live_of_kind(input.docs, "supplier") {
        for c in s.refs_of("contracts") {
            holders.entry(c).or_default().push(&s.id);
        }
    }
    for c in input
        .docs
        .iter()
        .filter(|d| d.kind == "contract" && d.is_live())
    {
        let Some(exp) = c.date("expires_on") else {
            continue;
        };
        if exp >= input.date {
            continue;
        }
        if let Some(sups) = holders.get(c.id.as_str()) {
            out.push(
                Finding::new(
                    "contract-expired",
                    &c.file,
                    c.index.key_or_start("expires_on"),
                    format!("contract {} expired on {exp} but supplier {} still lists it; renew it (new `expires_on`) or retire it and update the supplier", c.id, sups.join(", ")),
                )
                .width(10),
            );
        }
    }
}
