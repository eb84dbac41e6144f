//! `critical-service-without-continuity-plan`: a live `high` or `critical`
//! service that no live continuity plan `covers`.

use std::collections::HashSet;

use super::{Input, live_of_kind};
use crate::diag::Finding;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let covered: HashSet<&str> = live_of_kind(input.docs, "continuity-plan")
        .flat_map(|(_, d)| d.refs_of("covers"))
        .collect();
    for (_, s) in live_of_kind(input.docs, "service") {
        let crit = s.text("criticality").unwrap_or_default();
        if (crit == "high" || crit == "critical") && !covered.contains(s.id.as_str()) {
            out.push(
                Finding::new(
                    "critical-service-without-continuity-plan",
                    &s.file,
                    s.id_pos(),
                    format!("{crit} service {} has no continuity plan; add a `continuity-plan` with `covers: [{}]`, its RTO, RPO and last test date", s.id, s.id),
                )
                .width(2),
            );
        }
    }
}
