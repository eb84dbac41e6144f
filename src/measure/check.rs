//! Checking rows against the SLAs' targets: references, duplicates, and
//! the raw results of `sla-target-missed` and `measurement-missing`.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::BuildHasher;
use std::sync::Arc;

use super::{Cell, Month, Point, Row, Series, Sheet, State};
use crate::diag::{Finding, Pos, Severity, nearest};

type Map<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<ahash::AHasher>>;

/// Which way of a target is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Better {
    Higher,
    Lower,
}

impl Better {
    /// `higher` or `lower`.
    pub fn parse(s: &str) -> Option<Better> {
        match s {
            "higher" => Some(Better::Higher),
            "lower" => Some(Better::Lower),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Better::Higher => "higher",
            Better::Lower => "lower",
        }
    }
    /// Whether `value` meets `target` (a value equal to the target meets it).
    pub fn meets(self, value: f64, target: f64) -> bool {
        match self {
            Better::Higher => value >= target,
            Better::Lower => value <= target,
        }
    }
}

/// A target's `target:` as written in the SLA: a number, or text
/// (`24x7`), which cannot be compared.
#[derive(Debug, Clone, PartialEq)]
pub enum Goal {
    Number(f64),
    Text(String),
}

/// One target of an SLA, as the measurements need it.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub metric: String,
    pub target: Goal,
    pub unit: Option<String>,
    pub better: Option<Better>,
    /// Where the target's `metric` is in the SLA document.
    pub metric_pos: Pos,
}

impl Target {
    /// The number and direction to compare with, when the target has both.
    pub fn comparable(&self) -> Option<(f64, Better)> {
        match (&self.target, self.better) {
            (Goal::Number(n), Some(b)) => Some((*n, b)),
            _ => None,
        }
    }
}

/// An SLA document's id, file and targets.
#[derive(Debug, Clone, PartialEq)]
pub struct SlaTargets {
    pub id: String,
    pub file: String,
    pub targets: Vec<Target>,
}

/// The document ids `explained_by` may name.
pub trait DocIds {
    fn has_id(&self, id: &str) -> bool;
    /// Every id, for suggestions.
    fn each_id(&self) -> Box<dyn Iterator<Item = &str> + '_>;
}

impl<V, S: BuildHasher> DocIds for HashMap<String, V, S> {
    fn has_id(&self, id: &str) -> bool {
        self.contains_key(id)
    }
    fn each_id(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        Box::new(self.keys().map(String::as_str))
    }
}

impl<S: BuildHasher> DocIds for HashSet<String, S> {
    fn has_id(&self, id: &str) -> bool {
        self.contains(id)
    }
    fn each_id(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        Box::new(self.iter().map(String::as_str))
    }
}

impl DocIds for BTreeSet<String> {
    fn has_id(&self, id: &str) -> bool {
        self.contains(id)
    }
    fn each_id(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        Box::new(self.iter().map(String::as_str))
    }
}

/// What checking gives: the sheets (ordered by path), findings at their
/// rules' default severities (`sla-target-missed` and
/// `measurement-missing` warnings, the others errors), and a series per
/// comparable target that has measurements, in the order of the SLAs and
/// their targets.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub sheets: Vec<Sheet>,
    pub findings: Vec<Finding>,
    pub series: Vec<Series>,
    /// Where each SLA's series are in `series` (they are consecutive).
    by_sla: Map<String, std::ops::Range<usize>>,
    /// The months measured, in order (see [`Report::months`]).
    months: Vec<Month>,
}

impl Report {
    /// The series of SLA `id`'s targets, in the order of its targets (empty
    /// when none of them has measurements that can be compared).
    pub fn of_sla(&self, id: &str) -> &[Series] {
        self.by_sla
            .get(id)
            .and_then(|r| self.series.get(r.clone()))
            .unwrap_or_default()
    }

    /// The latest measured result of each of SLA `id`'s targets that has
    /// measurements: the target's series and its last point (what a page
    /// about a customer or a service shows of an SLA).
    pub fn latest(&self, id: &str) -> impl Iterator<Item = (&Series, &Point)> {
        self.of_sla(id)
            .iter()
            .filter_map(|s| s.points.last().map(|p| (s, p)))
    }

    /// The months that have at least one measurement compared with its
    /// target, in order (each has a monthly service report).
    pub fn months(&self) -> &[Month] {
        &self.months
    }

    /// The row a point was read from.
    pub fn row(&self, point: &Point) -> Option<&Row> {
        self.sheets
            .get(point.sheet as usize)?
            .rows
            .get(point.row as usize)
    }

    /// The file and line a point was read from.
    pub fn source(&self, point: &Point) -> (&str, usize) {
        match self.sheets.get(point.sheet as usize) {
            Some(s) => (
                &*s.file,
                s.rows.get(point.row as usize).map_or(1, |r| r.line),
            ),
            None => ("", 1),
        }
    }

    /// A point's `explained_by`, if any.
    pub fn explained_by(&self, point: &Point) -> Option<&str> {
        self.cell_text(point, |r| r.explained_by)
    }

    /// A point's `note`, if any.
    pub fn note(&self, point: &Point) -> Option<&str> {
        self.cell_text(point, |r| r.note)
    }

    /// A point's value as written in its row (`99.90`, `+3`): what pages
    /// show, without formatting the number again. It is a plain decimal
    /// (sign, digits, a `.`: see [`super::parse_value`]), so it needs no
    /// escaping in HTML or CSV.
    pub fn value_text(&self, point: &Point) -> &str {
        self.cell_text(point, |r| Some(r.value)).unwrap_or_default()
    }

    fn cell_text(&self, point: &Point, cell: impl Fn(&Row) -> Option<Cell>) -> Option<&str> {
        let sheet = self.sheets.get(point.sheet as usize)?;
        let cell = cell(sheet.rows.get(point.row as usize)?)?;
        Some(sheet.text(&cell))
    }
}

/// A row's place: sheet and row index.
type At = (usize, usize);

/// Which ids a suggestion is drawn from (see `Checker::hint`).
const SLA_IDS: u8 = 0;
const DOC_IDS: u8 = 1;

/// Checks the rows of `sheets` against `slas` (see the module docs): rows
/// are taken in the order of their files' paths, then lines. `ids`: every
/// document id, for `explained_by`; `build`: the build date's month.
pub fn check(
    mut sheets: Vec<Sheet>,
    slas: &[SlaTargets],
    ids: &dyn DocIds,
    build: Month,
) -> Report {
    sheets.sort_by(|a, b| a.file.cmp(&b.file));
    let mut c = Checker::new(&sheets, slas, ids, build);
    for (s, sheet) in sheets.iter().enumerate() {
        for (r, row) in sheet.rows.iter().enumerate() {
            c.row((s, r), row);
        }
    }
    let (findings, series) = c.finish();
    let mut by_sla: Map<String, std::ops::Range<usize>> = Map::default();
    for (k, one) in series.iter().enumerate() {
        let r = by_sla.entry(one.sla.clone()).or_insert(k..k);
        r.end = k + 1;
    }
    let mut months: Vec<Month> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.month))
        .collect();
    months.sort_unstable();
    months.dedup();
    Report {
        sheets,
        findings,
        series,
        by_sla,
        months,
    }
}

struct Checker<'a> {
    sheets: &'a [Sheet],
    slas: &'a [SlaTargets],
    ids: &'a dyn DocIds,
    build: Month,
    by_id: Map<&'a str, usize>,
    /// Index of each SLA's first target in the flat per-target lists.
    first: Vec<usize>,
    /// (month, flat target) -> the row that measured it first.
    seen: Map<(u32, u32), (u32, u32)>,
    /// Per flat target: the first row measuring it and how many do.
    named: Vec<Option<(At, usize)>>,
    points: Vec<Vec<Point>>,
    findings: Vec<Finding>,
    /// Suggestions already computed, by the unknown text.
    hints: Map<(u8, String), String>,
}

impl<'a> Checker<'a> {
    fn new(sheets: &'a [Sheet], slas: &'a [SlaTargets], ids: &'a dyn DocIds, build: Month) -> Self {
        let mut first = Vec::with_capacity(slas.len());
        let mut n = 0;
        for s in slas {
            first.push(n);
            n += s.targets.len();
        }
        let rows = sheets.iter().map(|s| s.rows.len()).sum();
        let mut by_id = Map::default();
        for (i, s) in slas.iter().enumerate() {
            by_id.entry(s.id.as_str()).or_insert(i);
        }
        Checker {
            sheets,
            slas,
            ids,
            build,
            by_id,
            first,
            seen: Map::with_capacity_and_hasher(rows, Default::default()),
            named: vec![None; n],
            points: vec![Vec::new(); n],
            findings: Vec::new(),
            hints: Map::default(),
        }
    }

    fn file(&self, at: At) -> &'a Arc<str> {
        &self.sheets[at.0].file
    }

    /// The text of a cell of the row at `at`.
    fn text(&self, at: At, cell: &super::Cell) -> &'a str {
        self.sheets[at.0].text(cell)
    }

    fn push(&mut self, rule: &str, at: At, cell: &super::Cell, message: String) {
        let f = Finding::new(rule, self.file(at), cell.pos(), message).width(cell.width());
        self.findings.push(f);
    }

    fn row(&mut self, at: At, row: &Row) {
        self.explained_by(at, row);
        let Some((sla, t)) = self.target(at, row) else {
            return;
        };
        let flat = self.first[sla] + t;
        let named = self.named[flat].get_or_insert((at, 0));
        named.1 += 1;
        let Some(month) = row.month else { return };
        if month > self.build {
            let m = format!(
                "`{month}` is after the month of the build date ({}); a measurement is of a month that has begun: correct the period",
                self.build
            );
            return self.push("invalid-field", at, &row.period, m);
        }
        // (Sheets, rows and targets are fewer than 2^32: each takes bytes of the input.)
        let key = (month.index(), flat as u32);
        if let Some(&(s, r)) = self.seen.get(&key) {
            return self.duplicate(at, row, (s as usize, r as usize), sla, t);
        }
        self.seen.insert(key, (at.0 as u32, at.1 as u32));
        if let Some(value) = row.number {
            self.measure(at, row, month, value, (sla, t));
        }
    }

    /// The SLA and target a row names: `broken-reference` when either does
    /// not resolve (an empty cell was reported when read).
    fn target(&mut self, at: At, row: &Row) -> Option<(usize, usize)> {
        if row.sla.is_empty() {
            return None;
        }
        let id = self.text(at, &row.sla);
        let Some(&sla) = self.by_id.get(id) else {
            let m = self.unknown_sla(id);
            self.push("broken-reference", at, &row.sla, m);
            return None;
        };
        if row.metric.is_empty() {
            return None;
        }
        let metric = self.text(at, &row.metric);
        let targets = &self.slas[sla].targets;
        match targets.iter().position(|t| t.metric == metric) {
            Some(t) => Some((sla, t)),
            None => {
                let m = self.unknown_metric(sla, metric);
                self.push("broken-reference", at, &row.metric, m);
                None
            }
        }
    }

    /// `broken-reference` when `explained_by` names no document.
    fn explained_by(&mut self, at: At, row: &Row) {
        let Some(cell) = &row.explained_by else {
            return;
        };
        let id = self.text(at, cell);
        if self.ids.has_id(id) {
            return;
        }
        let hint = self.hint(DOC_IDS, id, |ids, _| ids.each_id().collect());
        let fix = match hint.is_empty() {
            true if id.contains([',', ';', ' ']) => {
                "; name one document: the incident, nonconformity or improvement that explains the miss"
                    .to_string()
            }
            true => "; write the id of the incident, nonconformity or improvement that explains the miss"
                .to_string(),
            false => hint,
        };
        let m = format!("no document has id `{id}`{fix}");
        self.push("broken-reference", at, cell, m);
    }

    fn unknown_sla(&mut self, id: &str) -> String {
        let hint = self.hint(SLA_IDS, id, |_, slas| {
            slas.iter().map(|s| s.id.as_str()).collect()
        });
        let fix = match hint.is_empty() {
            true => "; write the id of the `sla` document whose target was measured".to_string(),
            false => hint,
        };
        match self.ids.has_id(id) {
            true => format!("`{id}` is not an SLA{fix}"),
            false => format!("no SLA has id `{id}`{fix}"),
        }
    }

    fn unknown_metric(&mut self, sla: usize, metric: &str) -> String {
        let s = &self.slas[sla];
        if s.targets.is_empty() {
            return format!(
                "{} has no targets; add a target with metric `{metric}` to {}, or correct the `sla`",
                s.id, s.file
            );
        }
        let list: Vec<String> = s
            .targets
            .iter()
            .map(|t| format!("`{}`", t.metric))
            .collect();
        let hint = nearest(metric, s.targets.iter().map(|t| t.metric.as_str()))
            .map(|m| format!("; did you mean `{m}`?"))
            .unwrap_or_default();
        format!(
            "{} has no target with metric `{metric}`{hint} (its metrics, matched exactly: {})",
            s.id,
            list.join(", ")
        )
    }

    /// The "did you mean" suffix for an unknown `text` among `which` ids
    /// ([`SLA_IDS`] or [`DOC_IDS`]), computed once per text.
    fn hint(
        &mut self,
        which: u8,
        text: &str,
        candidates: impl Fn(&'a dyn DocIds, &'a [SlaTargets]) -> Vec<&'a str>,
    ) -> String {
        let key = (which, text.to_string());
        if let Some(h) = self.hints.get(&key) {
            return h.clone();
        }
        let h = crate::diag::did_you_mean(text, candidates(self.ids, self.slas));
        self.hints.insert(key, h.clone());
        h
    }

    /// `duplicate-measurement` at the later row's period.
    fn duplicate(&mut self, at: At, row: &Row, earlier: At, sla: usize, t: usize) {
        let first = &self.sheets[earlier.0];
        let line = first.rows.get(earlier.1).map_or(1, |r| r.line);
        let m = format!(
            "{} `{}` for {} is measured twice: first in {} on line {line}; keep one of the two rows (this one is not used)",
            self.slas[sla].id,
            self.slas[sla].targets[t].metric,
            self.text(at, &row.period),
            first.file
        );
        self.push("duplicate-measurement", at, &row.period, m);
    }

    /// A usable measurement: a point of its target's series, compared when
    /// the target is comparable (a `sla-target-missed` candidate when it
    /// misses with no `explained_by`).
    fn measure(&mut self, at: At, row: &Row, month: Month, value: f64, (sla, t): (usize, usize)) {
        let target = &self.slas[sla].targets[t];
        let Some((goal, better)) = target.comparable() else {
            return;
        };
        let state = match (better.meets(value, goal), &row.explained_by) {
            (true, _) => State::Met,
            (false, Some(_)) => State::Explained,
            (false, None) => State::Missed,
        };
        if state == State::Missed {
            let written = [&row.value, &row.period].map(|c| self.text(at, c));
            let m = missed_message(&self.slas[sla].id, target, written, better);
            let f = Finding::new("sla-target-missed", self.file(at), row.value.pos(), m);
            self.findings.push(warning(f.width(row.value.width())));
        }
        let points = &mut self.points[self.first[sla] + t];
        if points.is_empty() {
            // Room for three years of months at once, rather than growing by steps.
            points.reserve(36);
        }
        // (Sheets and rows are fewer than 2^32: each takes bytes of the input.)
        points.push(Point {
            month,
            value,
            state,
            sheet: at.0 as u32,
            row: at.1 as u32,
        });
    }

    /// The findings on whole targets, and the series.
    fn finish(mut self) -> (Vec<Finding>, Vec<Series>) {
        let mut series = Vec::new();
        for (sla, s) in self.slas.iter().enumerate() {
            for (t, target) in s.targets.iter().enumerate() {
                let flat = self.first[sla] + t;
                if let Some((first, rows)) = self.named[flat] {
                    self.not_comparable(first, rows, s, target);
                }
                let points = std::mem::take(&mut self.points[flat]);
                if let Some(one) = self.series(s, target, points) {
                    series.push(one);
                }
            }
        }
        crate::diag::sort(&mut self.findings);
        (self.findings, series)
    }

    /// `invalid-field`, once per target, when rows measure a target that
    /// cannot be compared.
    fn not_comparable(&mut self, first: At, rows: usize, s: &SlaTargets, target: &Target) {
        if target.comparable().is_some() {
            return;
        }
        let rows_text = match rows {
            1 => "its measurement row is".to_string(),
            n => format!("its {n} measurement rows are"),
        };
        let m = match &target.target {
            Goal::Text(text) if target.better.is_some() => format!(
                "{} target `{}` is `{text}`, not a number, so {rows_text} not compared with it; write the target as a number in {}, or remove these rows",
                s.id, target.metric, s.file
            ),
            _ => format!(
                "{} target `{}` does not say which way is better, so {rows_text} not compared with it; add `better: higher` or `better: lower` to the target in {}, or remove these rows",
                s.id, target.metric, s.file
            ),
        };
        let Some(row) = self.sheets[first.0].rows.get(first.1) else {
            return;
        };
        self.push("invalid-field", first, &row.metric, m);
    }

    /// The series of a comparable target with measurements, and its
    /// `measurement-missing` finding when months are missing.
    fn series(
        &mut self,
        s: &SlaTargets,
        target: &Target,
        mut points: Vec<Point>,
    ) -> Option<Series> {
        let (goal, better) = target.comparable()?;
        points.sort_by_key(|p| p.month);
        let first = points.first()?.month;
        let last_due = self.build.prev().unwrap_or(self.build);
        let until = points.last().map_or(last_due, |p| p.month.max(last_due));
        // Both in month order: a walk through the points.
        let mut measured = points.iter().map(|p| p.month).peekable();
        let missing: Vec<Month> = Month::range(first, last_due)
            .filter(|m| {
                while measured.next_if(|p| p < m).is_some() {}
                measured.peek() != Some(m)
            })
            .collect();
        if !missing.is_empty() {
            self.findings
                .push(missing_finding(s, target, first, &missing));
        }
        Some(Series {
            sla: s.id.clone(),
            sla_file: s.file.clone(),
            metric: target.metric.clone(),
            target: goal,
            better,
            unit: target.unit.clone(),
            metric_pos: target.metric_pos,
            points,
            missing,
            until,
        })
    }
}

fn warning(mut f: Finding) -> Finding {
    f.severity = Severity::Warning;
    f
}

fn with_unit(n: &str, unit: Option<&str>) -> String {
    match unit {
        Some(u) if !u.is_empty() => format!("{n} {u}"),
        _ => n.to_string(),
    }
}

/// The message of a miss; `[value, period]` as written.
fn missed_message(
    sla: &str,
    target: &Target,
    [value, period]: [&str; 2],
    better: Better,
) -> String {
    let unit = target.unit.as_deref();
    let goal = match &target.target {
        Goal::Number(n) => n.to_string(),
        Goal::Text(t) => t.clone(),
    };
    let side = match better {
        Better::Higher => "below",
        Better::Lower => "above",
    };
    format!(
        "{sla} `{}` was {} in {}, {side} its target of {} ({} is better); name the incident, nonconformity or improvement that explains the miss in `explained_by`, or correct the value",
        target.metric,
        with_unit(value, unit),
        period,
        with_unit(&goal, unit),
        better.as_str()
    )
}

/// `measurement-missing` at the target's metric in its SLA.
fn missing_finding(s: &SlaTargets, target: &Target, first: Month, missing: &[Month]) -> Finding {
    let n = missing.len();
    let m = format!(
        "{} target `{}` has no measurement for {} (measured since {first}); add {} to a CSV file under measurements/",
        s.id,
        target.metric,
        month_list(missing),
        if n == 1 {
            "a row for that month"
        } else {
            "rows for these months"
        }
    );
    let width = target.metric.chars().count();
    warning(Finding::new("measurement-missing", &s.file, target.metric_pos, m).width(width))
}

/// Months as runs: `2026-01, 2026-03 to 2026-05` (sorted input).
pub fn month_list(months: &[Month]) -> String {
    let mut runs: Vec<(Month, Month)> = Vec::new();
    for &m in months {
        match runs.last_mut() {
            Some((_, end)) if end.next() == Some(m) => *end = m,
            _ => runs.push((m, m)),
        }
    }
    let text: Vec<String> = runs
        .iter()
        .map(|(a, b)| match a == b {
            true => a.to_string(),
            false => format!("{a} to {b}"),
        })
        .collect();
    text.join(", ")
}
