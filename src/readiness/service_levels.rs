//! The row about service reporting: every SLA target met, or its miss
//! explained, in each of its last three measured months.

use super::{Check, Shortfall};
use crate::check::Input;
use crate::measure::State;

/// How many of a target's last measured months are judged.
const MONTHS: usize = 3;

/// Every SLA target that has measurements is met or explained in each of
/// its last three measured months; with no measurements at all, not met.
pub fn sla_targets_met(input: &Input) -> Check {
    let series = &input.measures.series;
    let mut short = Vec::new();
    for s in series {
        let missed: Vec<String> = s
            .last_measured(MONTHS)
            .iter()
            .filter(|p| p.state == State::Missed)
            .map(|p| format!("{} ({})", p.month, number(p.value, s.unit.as_deref())))
            .collect();
        if !missed.is_empty() {
            short.push(Shortfall::document(
                &s.sla,
                format!(
                    "`{}` missed its target of {} without explanation in {}",
                    s.metric,
                    number(s.target, s.unit.as_deref()),
                    missed.join(", ")
                ),
            ));
        }
    }
    let figure = match series.len() {
        0 => "no SLA target has measurements recorded (CSV files under measurements/)".to_string(),
        n => format!(
            "{} of {n} measured SLA targets met or explained in their last {MONTHS} measured months",
            n - short.len()
        ),
    };
    Check {
        key: "sla-targets-met",
        title: "Every SLA target met or explained in the last three measured months",
        met: !series.is_empty() && short.is_empty(),
        figure,
        short,
    }
}

/// A value with its unit, as written in the SLA (`99.71 %`, `12 min`).
pub fn number(v: f64, unit: Option<&str>) -> String {
    match unit {
        Some(u) if !u.is_empty() => format!("{v} {u}"),
        _ => v.to_string(),
    }
}
