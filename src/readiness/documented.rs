//! Rows about the SMS as documented: coverage of the requirements, tested
//! continuity plans, documents reviewed on time.

use std::collections::HashMap;

use super::{Check, Shortfall};
use crate::check::{Input, live_of_kind};
use crate::model::days_between;
use crate::resolve::Cover;

/// Every applicable leaf requirement is covered (by approved evidence or
/// another party).
pub fn requirements_covered(input: &Input) -> Check {
    let cats = input.catalogues;
    let mut applicable = 0;
    let mut short = Vec::new();
    for (q, r) in cats.reqs.iter().enumerate() {
        let cover = input.resolved.coverage[q].cover;
        if !r.is_leaf() || cover == Cover::NotApplicable {
            continue;
        }
        applicable += 1;
        if !cover.is_covered() {
            short.push(Shortfall::requirement(&r.key, "no approved evidence"));
        }
    }
    Check {
        key: "requirements-covered",
        title: "Every applicable requirement covered",
        met: short.is_empty(),
        figure: format!(
            "{} of {applicable} applicable requirements covered",
            applicable - short.len()
        ),
        short,
    }
}

/// Every high or critical service has a live continuity plan tested
/// within `max_age_days` of `continuity-plan-untested`.
pub fn continuity_tested(input: &Input) -> Check {
    let max = input
        .config
        .days("continuity-plan-untested", "max_age_days", 365);
    let mut plans: HashMap<&str, Vec<&crate::model::Document>> = HashMap::new();
    for (_, p) in live_of_kind(input.docs, "continuity-plan") {
        for s in p.refs_of("covers") {
            plans.entry(s).or_default().push(p);
        }
    }
    let tested = |p: &crate::model::Document| {
        p.date("last_tested")
            .is_some_and(|t| days_between(t, input.date) <= max)
    };
    let mut critical = 0;
    let mut short = Vec::new();
    for (_, s) in live_of_kind(input.docs, "service") {
        let crit = s.text("criticality").unwrap_or_default();
        if crit != "high" && crit != "critical" {
            continue;
        }
        critical += 1;
        match plans.get(s.id.as_str()) {
            None => short.push(Shortfall::document(&s.id, "no continuity plan")),
            Some(ps) if !ps.iter().any(|p| tested(p)) => {
                let names: Vec<&str> = ps.iter().map(|p| p.id.as_str()).collect();
                short.push(Shortfall::document(
                    &s.id,
                    format!(
                        "continuity plan {} not tested within {max} days",
                        names.join(", ")
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    Check {
        key: "continuity-tested",
        title: "Every critical service's continuity plan tested within its maximum age",
        met: short.is_empty(),
        figure: format!(
            "{} of {critical} high or critical services with a plan tested within {max} days",
            critical - short.len()
        ),
        short,
    }
}

/// No live document is past its `review_by` date.
pub fn reviews_current(input: &Input) -> Check {
    let mut dated = 0;
    let mut short = Vec::new();
    for d in input.docs.iter().filter(|d| d.is_live()) {
        let Some(r) = d.review_by else { continue };
        dated += 1;
        if r < input.date {
            short.push(Shortfall::document(&d.id, format!("due for review on {r}")));
        }
    }
    Check {
        key: "reviews-current",
        title: "No document overdue for review",
        met: short.is_empty(),
        figure: format!(
            "{} of {dated} documents with a review date overdue",
            short.len()
        ),
        short,
    }
}
