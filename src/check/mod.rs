//! Stage 4, check: every rule reads the loaded and resolved repository and
//! reports findings. One file per rule; each reports at the rule's default
//! severity and this module applies the severities set in `sms.yaml`.

mod action_overdue;
mod approval_stale;
mod audit_overdue;
mod audit_result_missing;
mod auditor_not_independent;
mod broken_reference;
mod complaint_closed_incomplete;
mod complaint_open_too_long;
mod continuity_plan_untested;
mod contract_expired;
mod coverage_rule;
mod critical_service_without_continuity_plan;
mod customer_review_overdue;
mod duplicate_id;
mod duplicate_measurement;
mod duplicate_requirement;
mod exclusion_not_permitted;
mod invalid_field;
pub(crate) mod management_review_incomplete;
pub(crate) mod management_review_overdue;
mod measurement_missing;
mod nonconformity_closed_unverified;
mod nonconformity_not_raised;
pub(crate) mod nonconformity_unplanned;
pub(crate) mod requirement_not_audited;
mod requirement_uncovered;
mod retired_reference;
mod review_overdue;
mod service_without_customer;
mod service_without_sla;
mod sla_target_missed;
mod suspect_reference;
mod template_text;
mod unknown_field;

use jiff::civil::Date;

use rayon::prelude::*;

use crate::catalogue::Catalogues;
use crate::config::Config;
use crate::diag::{Finding, Severity};
use crate::model::Document;
use crate::resolve::Resolved;

/// What the rules read.
pub struct Input<'a> {
    pub config: &'a Config,
    pub catalogues: &'a Catalogues,
    pub docs: &'a [Document],
    pub resolved: &'a Resolved,
    /// The measurements, checked against the SLAs' targets (see `measured`).
    pub measures: &'a crate::measure::Report,
    /// The build date ("today" for date rules).
    pub date: Date,
    /// Document control over time (the history rules).
    pub history: &'a crate::control::Control,
}

type Rule = fn(&Input, &mut Vec<Finding>);

/// Built-in rules, by name.
const RULES: &[(&str, Rule)] = &[
    ("duplicate-id", duplicate_id::check),
    ("broken-reference", broken_reference::check),
    ("invalid-field", invalid_field::check),
    ("requirement-uncovered", requirement_uncovered::check),
    ("service-without-sla", service_without_sla::check),
    (
        "critical-service-without-continuity-plan",
        critical_service_without_continuity_plan::check,
    ),
    ("continuity-plan-untested", continuity_plan_untested::check),
    ("review-overdue", review_overdue::check),
    ("contract-expired", contract_expired::check),
    ("retired-reference", retired_reference::check),
    ("unknown-field", unknown_field::check),
    ("exclusion-not-permitted", exclusion_not_permitted::check),
    ("action-overdue", action_overdue::check),
    ("template-text", template_text::check),
    ("service-without-customer", service_without_customer::check),
    ("customer-review-overdue", customer_review_overdue::check),
    ("complaint-open-too-long", complaint_open_too_long::check),
    (
        "complaint-closed-incomplete",
        complaint_closed_incomplete::check,
    ),
    ("approval-stale", approval_stale::check),
    ("suspect-reference", suspect_reference::check),
    ("requirement-not-audited", requirement_not_audited::check),
    ("audit-overdue", audit_overdue::check),
    ("auditor-not-independent", auditor_not_independent::check),
    ("audit-result-missing", audit_result_missing::check),
    ("nonconformity-not-raised", nonconformity_not_raised::check),
    ("nonconformity-unplanned", nonconformity_unplanned::check),
    (
        "nonconformity-closed-unverified",
        nonconformity_closed_unverified::check,
    ),
    (
        "management-review-overdue",
        management_review_overdue::check,
    ),
    (
        "management-review-incomplete",
        management_review_incomplete::check,
    ),
    ("sla-target-missed", sla_target_missed::check),
    ("measurement-missing", measurement_missing::check),
    ("duplicate-measurement", duplicate_measurement::check),
    ("duplicate-requirement", duplicate_requirement::check),
];

/// Runs every rule whose severity is not `off`; returns findings with
/// the severities in force (parse errors from loading are passed in).
pub fn run(input: &Input, parse_errors: Vec<Finding>) -> Vec<Finding> {
    let mut all = parse_errors;
    for f in &mut all {
        f.severity = Severity::Error;
    }
    // The rules read the same input and write their own lists: in
    // parallel, gathered in the rules' order (sorted below in any case).
    let (found, coverage) = rayon::join(
        || {
            RULES
                .par_iter()
                .map(|(name, rule)| {
                    let sev = input.config.severity(name);
                    let mut found = Vec::new();
                    if sev != Severity::Off {
                        rule(input, &mut found);
                    }
                    for f in &mut found {
                        f.severity = sev;
                    }
                    found
                })
                .collect::<Vec<_>>()
        },
        || {
            let mut found = Vec::new();
            coverage_rule::check(input, &mut found);
            found
        },
    );
    all.extend(found.into_iter().flatten());
    all.extend(coverage);
    crate::diag::sort(&mut all);
    all.dedup();
    all
}

/// The findings of `rule` among the measurements' (reading them and
/// checking them against the SLAs: see `measured`).
pub(crate) fn measure_findings(input: &Input, rule: &str, out: &mut Vec<Finding>) {
    out.extend(
        input
            .measures
            .findings
            .iter()
            .filter(|f| f.rule == rule)
            .cloned(),
    );
}

/// The documents that are live (not retired), by kind.
pub(crate) fn live_of_kind<'a>(
    docs: &'a [Document],
    kind: &'a str,
) -> impl Iterator<Item = (usize, &'a Document)> + 'a {
    docs.iter()
        .enumerate()
        .filter(move |(_, d)| d.kind == kind && d.is_live())
}
