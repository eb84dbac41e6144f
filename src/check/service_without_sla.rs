//! `service-without-sla`: a non-retired service that no live SLA covers
//! through its `service:` field.

use std::collections::HashSet;

use super::{Input, live_of_kind};
use crate::diag::Finding;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let covered: HashSet<&str> = live_of_kind(input.docs, "sla")
        .flat_map(|(_, d)| d.refs_of("service"))
        .collect();
    for (_, s) in live_of_kind(input.docs, "service") {
        if !covered.contains(s.id.as_str()) {
            out.push(
                Finding::new(
                    "service-without-sla",
                    &s.file,
                    s.id_pos(),
                    format!("service {} has no SLA; add a document of kind `sla` with `service: {}` and its targets", s.id, s.id),
                )
                .width(2),
            );
        }
    }
}
