//! `service-without-customer`: in a repository that records its customers
//! (at least one live `customer` document), a live service that no live
//! customer's `services:` lists. At the service's `id:`. A repository with
//! no customer at all is told so by the readiness page, not by findings.

use std::collections::HashSet;

use super::{Input, live_of_kind};
use crate::diag::Finding;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let mut customers = live_of_kind(input.docs, "customer").peekable();
    if customers.peek().is_none() {
        return;
    }
    let served: HashSet<&str> = customers.flat_map(|(_, c)| c.refs_of("services")).collect();
    for (_, s) in live_of_kind(input.docs, "service") {
        if served.contains(s.id.as_str()) {
            continue;
        }
        out.push(
            Finding::new(
                "service-without-customer",
                &s.file,
                s.id_pos(),
                format!(
                    "service {} has no customer: no customer document lists it in `services:`; add `{}` to the `services:` of each customer who receives it (or retire the service)",
                    s.id, s.id
                ),
            )
            .width(2),
        );
    }
}
