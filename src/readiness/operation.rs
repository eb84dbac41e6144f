//! Rows about the SMS in operation: every applicable requirement audited
//! within the cycle, no open major nonconformity, no unplanned
//! nonconformity and no overdue action, a complete management review
//! within its maximum age. Without audit, nonconformity or review records a
//! row is not met, and its figure says what to record.

use super::{Check, Shortfall};
use crate::check::management_review_incomplete as incomplete;
use crate::check::nonconformity_unplanned as unplanned;
use crate::check::{Input, management_review_overdue, requirement_not_audited};
use crate::model::days_between;
use crate::resolve::Cover;

/// Every applicable leaf requirement (of the catalogues the rule
/// `requirement-not-audited` judges) had in scope by an internal audit
/// performed within its `cycle_days`.
pub fn requirements_audited(input: &Input) -> Check {
    let rule = requirement_not_audited::RULE;
    let cycle = input.config.days(rule, "cycle_days", 365);
    let cats = input.catalogues;
    let wanted: Vec<bool> = match input.config.names(rule, "catalogues") {
        Some((names, _)) => cats.list.iter().map(|c| names.contains(&c.name)).collect(),
        None => vec![true; cats.list.len()],
    };
    let op = &input.resolved.operation;
    let last = op.last_internal(cats.reqs.len(), input.date, &|_| true);
    let mut applicable = 0;
    let mut short = Vec::new();
    for (q, r) in cats.reqs.iter().enumerate() {
        if !r.is_leaf()
            || input.resolved.coverage[q].cover == Cover::NotApplicable
            || !wanted[r.catalogue]
        {
            continue;
        }
        applicable += 1;
        match last[q] {
            Some((on, _)) if days_between(on, input.date) <= cycle => {}
            Some((on, k)) => short.push(Shortfall::requirement(
                &r.key,
                format!("last audited on {on} ({})", input.docs[op.audits[k].doc].id),
            )),
            None if !op.audits.is_empty() => {
                short.push(Shortfall::requirement(&r.key, "never audited"))
            }
            None => {}
        }
    }
    let figure = if op.audits.is_empty() {
        format!(
            "no audit recorded: record the internal audits as documents of kind `audit` (0 of {applicable} applicable requirements audited within {cycle} days)"
        )
    } else {
        format!(
            "{} of {applicable} applicable requirements audited by an internal audit within {cycle} days",
            applicable - short.len()
        )
    };
    Check {
        key: "requirements-audited",
        title: "Every applicable requirement audited within the cycle",
        met: !op.audits.is_empty() && short.is_empty(),
        figure,
        short,
    }
}

/// What a nonconformity row says when nothing is recorded at all.
fn nothing_recorded(input: &Input) -> bool {
    let op = &input.resolved.operation;
    op.audits.is_empty() && op.nonconformities.is_empty()
}

const NOTHING: &str = "no audit or nonconformity recorded: record the internal audits (kind `audit`) and the nonconformities found (kind `nonconformity`)";

/// No live nonconformity graded `major` is open.
pub fn no_open_major(input: &Input) -> Check {
    let docs = input.docs;
    let ncs = &input.resolved.operation.nonconformities;
    let short: Vec<Shortfall> = ncs
        .iter()
        .map(|&n| &docs[n])
        .filter(|d| {
            d.text("grade").as_deref() == Some("major")
                && d.text("state").as_deref() != Some("closed")
        })
        .map(|d| {
            Shortfall::document(
                &d.id,
                format!(
                    "open major nonconformity, {}",
                    crate::resolve::Stage::of(d).as_str()
                ),
            )
        })
        .collect();
    let nothing = nothing_recorded(input);
    Check {
        key: "no-open-major-nonconformity",
        title: "No open major nonconformity",
        met: !nothing && short.is_empty(),
        figure: if nothing {
            NOTHING.to_string()
        } else {
            format!(
                "{} open major nonconformit{} of {} recorded",
                short.len(),
                if short.len() == 1 { "y" } else { "ies" },
                ncs.len()
            )
        },
        short,
    }
}

/// No open nonconformity that `nonconformity-unplanned` reports, and no
/// overdue action (as `action-overdue` judges them).
pub fn nonconformities_in_hand(input: &Input) -> Check {
    let days = input.config.days(unplanned::RULE, "days", 30);
    let mut short = Vec::new();
    let mut unplanned_n = 0;
    for &n in &input.resolved.operation.nonconformities {
        let d = &input.docs[n];
        let gaps = unplanned::gaps(d, input.date, days);
        if !gaps.is_empty() {
            unplanned_n += 1;
            short.push(Shortfall::document(
                &d.id,
                format!("open more than {days} days with {}", gaps.join(" and ")).replace('`', ""),
            ));
        }
    }
    let mut overdue_n = 0;
    for d in input.docs.iter().filter(|d| d.is_live()) {
        if d.kind == "nonconformity" && d.text("state").as_deref() == Some("closed") {
            continue;
        }
        let overdue: Vec<&str> = d
            .actions()
            .filter(|(_, a)| a.done_on.is_empty() && a.due.is_some_and(|due| due < input.date))
            .map(|(_, a)| a.due_by.as_str())
            .collect();
        if let Some(first) = overdue.iter().min() {
            overdue_n += overdue.len();
            short.push(Shortfall::document(
                &d.id,
                format!(
                    "{} overdue action{} (the first due {first})",
                    overdue.len(),
                    if overdue.len() == 1 { "" } else { "s" }
                ),
            ));
        }
    }
    let nothing = nothing_recorded(input);
    Check {
        key: "nonconformities-in-hand",
        title: "No unplanned nonconformity and no overdue action",
        met: !nothing && short.is_empty(),
        figure: if nothing {
            NOTHING.to_string()
        } else {
            format!(
                "{unplanned_n} open nonconformit{} without cause analysis or actions after {days} days; {overdue_n} overdue action{}",
                if unplanned_n == 1 { "y" } else { "ies" },
                if overdue_n == 1 { "" } else { "s" }
            )
        },
        short,
    }
}

/// A live management review held within `max_age_days` of
/// `management-review-overdue` that lists every required input.
pub fn management_review_current(input: &Input) -> Check {
    let max = input
        .config
        .days(management_review_overdue::RULE, "max_age_days", 365);
    let required = incomplete::required(input);
    let reviews = &input.resolved.operation.reviews;
    let recent: Vec<&crate::model::Document> = reviews
        .iter()
        .map(|&i| &input.docs[i])
        .filter(|d| {
            d.date("held_on")
                .is_some_and(|on| on <= input.date && days_between(on, input.date) <= max)
        })
        .collect();
    let complete = recent
        .iter()
        .any(|d| incomplete::missing(d, &required).is_empty());
    let mut short = Vec::new();
    if !complete {
        for d in &recent {
            let missing = incomplete::missing(d, &required);
            short.push(Shortfall::document(
                &d.id,
                format!("does not record the inputs {}", missing.join(", ")),
            ));
        }
        if recent.is_empty()
            && let Some(d) = reviews
                .iter()
                .map(|&i| &input.docs[i])
                .rfind(|d| d.date("held_on").is_some_and(|on| on <= input.date))
        {
            short.push(Shortfall::document(
                &d.id,
                format!("the latest review, held over {max} days ago"),
            ));
        }
    }
    let figure = if reviews.is_empty() {
        "no management review recorded: record each review as a document of kind `management-review`".to_string()
    } else if complete {
        format!(
            "{} review{} held within {max} days, at least one with all {} required inputs",
            recent.len(),
            if recent.len() == 1 { "" } else { "s" },
            required.len()
        )
    } else if recent.is_empty() {
        format!("no management review held within {max} days")
    } else {
        format!(
            "{} review{} held within {max} days, none with all {} required inputs",
            recent.len(),
            if recent.len() == 1 { "" } else { "s" },
            required.len()
        )
    };
    Check {
        key: "management-review-current",
        title: "A complete management review within its maximum age",
        met: complete,
        figure,
        short,
    }
}
