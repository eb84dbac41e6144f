//! Rows about the relationship processes (8.3.2): complaints closed within
//! their limit, and service performance reviewed with every customer
//! within its maximum age. The limits are the options of the rules that
//! report the same things (`complaint-open-too-long`, `customer-review-overdue`).

use super::{Check, Shortfall};
use crate::check::{Input, live_of_kind};
use crate::model::days_between;

/// No live complaint is still open more than `days` of
/// `complaint-open-too-long` after it was received.
pub fn complaints_within_limit(input: &Input) -> Check {
    let limit = input.config.days("complaint-open-too-long", "days", 30);
    let mut open = 0;
    let mut short = Vec::new();
    for (_, c) in live_of_kind(input.docs, "complaint") {
        if c.text("state").as_deref() != Some("open") {
            continue;
        }
        open += 1;
        if let Some(r) = c.date("received_on") {
            let age = days_between(r, input.date);
            if age > limit {
                short.push(Shortfall::document(
                    &c.id,
                    format!("open since {r}, {age} days"),
                ));
            }
        }
    }
    Check {
        key: "complaints-within-limit",
        title: "No complaint open past its limit",
        met: short.is_empty(),
        figure: format!(
            "{} of {open} open complaint{} received more than {limit} days ago",
            short.len(),
            if open == 1 { "" } else { "s" }
        ),
        short,
    }
}

/// Every live customer has a `last_service_review` within `max_age_days`
/// of `customer-review-overdue`; not met while no customer is recorded.
pub fn customer_reviews_current(input: &Input) -> Check {
    let max = input
        .config
        .days("customer-review-overdue", "max_age_days", 365);
    let mut customers = 0;
    let mut short = Vec::new();
    for (_, c) in live_of_kind(input.docs, "customer") {
        customers += 1;
        match c.date("last_service_review") {
            None if c.raw.contains_key("last_service_review") => short.push(Shortfall::document(
                &c.id,
                "`last_service_review` is not a date",
            )),
            None => short.push(Shortfall::document(&c.id, "no service review recorded")),
            Some(r) => {
                let age = days_between(r, input.date);
                if age > max {
                    short.push(Shortfall::document(
                        &c.id,
                        format!("last reviewed on {r}, {age} days ago"),
                    ));
                }
            }
        }
    }
    let figure = if customers == 0 {
        "no customer is recorded: add a document of kind `customer` for each customer of the services".to_string()
    } else {
        format!(
            "{} of {customers} customer{} reviewed within {max} days",
            customers - short.len(),
            if customers == 1 { "" } else { "s" }
        )
    };
    Check {
        key: "customer-reviews-current",
        title: "Every customer's service review within its maximum age",
        met: customers > 0 && short.is_empty(),
        figure,
        short,
    }
}
