//! A target's measurements by month, and the figures pages show from them:
//! each month's state, attainment over a window, the last months measured.

use super::{Better, Month};
use crate::diag::Pos;

/// How a month of a target went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// The value meets the target (equal included).
    Met,
    /// The value misses the target, with no `explained_by`.
    Missed,
    /// The value misses the target; `explained_by` names why (whether or
    /// not that id resolves: one that does not is its own finding).
    Explained,
    /// No measurement for a month in the series' span.
    Missing,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Met => "met",
            State::Missed => "missed",
            State::Explained => "explained",
            State::Missing => "missing",
        }
    }
}

/// One month's measurement of a target. Its row (`explained_by`, `note`,
/// file and line) is in the report: [`super::Report::row`],
/// [`super::Report::source`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub month: Month,
    pub value: f64,
    /// `Met`, `Missed` or `Explained` (never `Missing`).
    pub state: State,
    /// The row it comes from: its sheet in [`super::Report::sheets`], and
    /// its index in that sheet's rows.
    pub sheet: u32,
    pub row: u32,
}

/// The measurements of one comparable target (a number and `better`).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub sla: String,
    /// The SLA document's file.
    pub sla_file: String,
    pub metric: String,
    pub target: f64,
    pub better: Better,
    pub unit: Option<String>,
    /// Where the target's `metric` is in the SLA document.
    pub metric_pos: Pos,
    /// By month, one per month measured; never empty.
    pub points: Vec<Point>,
    /// The months without a measurement from the first measured month to
    /// the month before the build date (what `measurement-missing` names).
    pub missing: Vec<Month>,
    /// The last month of the span: the month before the build date, or a
    /// later month measured (the build date's own).
    pub until: Month,
}

/// Counts of a target's months over a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Attainment {
    /// Months measured (met, missed or explained).
    pub measured: usize,
    pub met: usize,
    pub missed: usize,
    pub explained: usize,
    /// Months of the span without a measurement.
    pub missing: usize,
}

impl Attainment {
    /// Months met of months measured (an explained miss is a miss); `None`
    /// when no month was measured.
    pub fn ratio(&self) -> Option<f64> {
        (self.measured > 0).then(|| self.met as f64 / self.measured as f64)
    }
}

impl Series {
    /// The first month measured.
    pub fn first(&self) -> Month {
        self.points.first().map_or(self.until, |p| p.month)
    }

    /// The measurement of `month`, if any.
    pub fn point(&self, month: Month) -> Option<&Point> {
        self.points
            .binary_search_by_key(&month, |p| p.month)
            .ok()
            .and_then(|i| self.points.get(i))
    }

    /// The state of `month`: `None` outside the series' span (from its
    /// first measured month to [`Series::until`]), `Missing` inside it
    /// without a measurement.
    pub fn state(&self, month: Month) -> Option<State> {
        if month < self.first() || month > self.until {
            return None;
        }
        Some(self.point(month).map_or(State::Missing, |p| p.state))
    }

    /// Every month from `from` to `to` with its state (`None`: outside the span).
    pub fn states(&self, from: Month, to: Month) -> Vec<(Month, Option<State>)> {
        Month::range(from, to).map(|m| (m, self.state(m))).collect()
    }

    /// Counts of the months from `from` to `to`, both included.
    pub fn attainment(&self, from: Month, to: Month) -> Attainment {
        let mut a = Attainment::default();
        for (_, state) in self.states(from, to) {
            match state {
                Some(State::Met) => a.met += 1,
                Some(State::Missed) => a.missed += 1,
                Some(State::Explained) => a.explained += 1,
                Some(State::Missing) => a.missing += 1,
                None => continue,
            }
            a.measured += usize::from(state != Some(State::Missing));
        }
        a
    }

    /// Counts of the last `n` months of the span (e.g. 12: the last year).
    pub fn attainment_last(&self, n: u32) -> Attainment {
        self.attainment(self.until.back(n.saturating_sub(1)), self.until)
    }

    /// The last `n` months measured, oldest first.
    pub fn last_measured(&self, n: usize) -> &[Point] {
        &self.points[self.points.len().saturating_sub(n)..]
    }
}
