//! Service reporting (clause 9.4): the page `service-reporting.html` with
//! every SLA target against the last 12 months (met, missed, explained,
//! missing) and each target's attainment, its CSV and JSON beside it, and
//! the section of each SLA's page that charts its targets' last measured
//! months. What they show comes from the measurements' report (see
//! `measured`), per SLA: a page never walks every row.
//!
//! The monthly service reports are `monthly`'s; what both show of a
//! target in a month ([`Cell`]) is made here.

use serde::Serialize;

use super::export::{CsvWriter, export};
use super::site::Site;
use super::svg;
use super::{RenderError, Sink};
use crate::address;
use crate::measure::{Month, Point, Series, State};
use crate::model::{Document, Target};

/// Months the service reporting page shows, and each SLA chart at most.
pub const MONTHS: u32 = 12;

/// The family's entry point: the page, then its exports.
pub fn render(site: &Site, sink: &dyn Sink) -> Result<(), RenderError> {
    let targets = targets(site);
    let (from, to) = window(site);
    let months: Vec<Month> = Month::range(from, to).collect();
    let reports = site.input.measures.months();
    let rows: Vec<PageRow> = targets
        .iter()
        .map(|t| page_row(site, t, &months, &reports))
        .collect();
    let export_rows: Vec<ExportRow> = targets
        .iter()
        .flat_map(|t| export_rows(site, t, &months))
        .collect();
    let mut c = tera::Context::new();
    c.insert("title", "Service reporting");
    c.insert("from", &from.to_string());
    c.insert("to", &to.to_string());
    c.insert(
        "months",
        &months.iter().map(Month::to_string).collect::<Vec<_>>(),
    );
    c.insert("rows", &rows);
    c.insert("summary", &Summary::of(&rows));
    let links: Vec<(String, String)> = reports
        .iter()
        .rev()
        .map(|m| (m.to_string(), address::monthly_report(*m)))
        .collect();
    c.insert("reports", &links);
    let page = site.page("service-reporting.html", address::SERVICE_REPORTING, c);
    rayon::scope(|s| {
        export(
            s,
            sink,
            address::SERVICE_REPORTING,
            EXPORT_HEADER,
            &export_rows,
            export_record,
        );
    });
    sink.put(page.map_err(|f| vec![f])?);
    Ok(())
}

/// The months the page shows: the 12 ending with the last month of any
/// target's span (the month before the build date, or the build date's
/// own when measured).
pub fn window(site: &Site) -> (Month, Month) {
    let build = crate::measured::month_of(site.input.date);
    let to = site
        .input
        .measures
        .series
        .iter()
        .map(|s| s.until)
        .max()
        .unwrap_or_else(|| build.prev().unwrap_or(build));
    (to.back(MONTHS - 1), to)
}

/// An SLA target as the reporting pages list it: its SLA (a visible
/// document), the target as written, and its series when it has
/// measurements compared with it.
pub struct TargetOf<'a> {
    pub sla: usize,
    pub target: &'a Target,
    pub series: Option<&'a Series>,
}

/// Every target of every visible SLA, by SLA id, in the SLA's order.
pub fn targets<'a>(site: &'a Site) -> Vec<TargetOf<'a>> {
    let docs = site.input.docs;
    let mut slas: Vec<usize> = site
        .by_kind
        .get("sla")
        .map(|v| v.iter().copied().filter(|&i| site.visible(i)).collect())
        .unwrap_or_default();
    slas.sort_by(|a, b| docs[*a].id.cmp(&docs[*b].id));
    slas.into_iter()
        .flat_map(|i| sla_targets(site, i))
        .collect()
}

/// The targets of SLA document `i`, each with its series.
pub fn sla_targets<'a>(site: &'a Site, i: usize) -> Vec<TargetOf<'a>> {
    let d = &site.input.docs[i];
    let series = site.input.measures.of_sla(&d.id);
    let mut used = vec![false; series.len()];
    d.fields
        .iter()
        .filter(|f| f.name == "targets")
        .flat_map(|f| &f.targets)
        .map(|t| {
            // A metric written twice has one series: the first target's.
            let k = series
                .iter()
                .enumerate()
                .position(|(k, s)| !used[k] && s.metric == t.metric);
            if let Some(k) = k {
                used[k] = true;
            }
            TargetOf {
                sla: i,
                target: t,
                series: k.and_then(|k| series.get(k)),
            }
        })
        .collect()
}

/// A target as written: `99.9 %`.
pub fn goal(t: &Target) -> String {
    match t.unit.as_deref() {
        Some(u) if !u.is_empty() => format!("{} {u}", t.target),
        _ => t.target.clone(),
    }
}

/// Why a target has no series: it says no `better`, its target is no
/// number, or nothing was measured.
pub fn unmeasured(t: &Target) -> &'static str {
    if t.better.is_none() {
        "not compared: the target does not say which way is better"
    } else if crate::measure::parse_value(&t.target).is_err() {
        "not compared: the target is not a number"
    } else {
        "no measurements"
    }
}

/// What a page shows of one target in one month.
#[derive(Serialize, Default)]
pub struct Cell<'a> {
    pub month: String,
    /// `met`, `missed`, `explained`, `missing`, or empty outside the
    /// target's measured span.
    pub state: &'static str,
    /// The value measured, as a number is written (`99.71`).
    pub value: Option<String>,
    pub explained_by: Option<&'a str>,
    /// The explaining document's page, relative to the site root.
    pub explained_url: Option<String>,
    pub note: Option<&'a str>,
    /// Where the row is: `measurements/2026.csv:14`.
    pub source: Option<String>,
    /// The month's service report, relative to the site root.
    pub report_url: Option<String>,
}

/// A target's `month` as pages show it; `reports`: the months that have
/// a monthly report.
pub fn cell<'a>(site: &'a Site, s: Option<&Series>, month: Month, reports: &[Month]) -> Cell<'a> {
    let mut c = Cell {
        month: month.to_string(),
        report_url: reports
            .binary_search(&month)
            .ok()
            .map(|_| address::monthly_report(month)),
        ..Cell::default()
    };
    let Some(s) = s else { return c };
    c.state = s.state(month).map_or("", State::as_str);
    if let Some(p) = s.point(month) {
        point_cell(site, p, &mut c);
    }
    c
}

/// The measured parts of a cell, from its point.
pub fn point_cell<'a>(site: &'a Site, p: &Point, c: &mut Cell<'a>) {
    let m = site.input.measures;
    c.value = Some(p.value.to_string());
    c.explained_by = m.explained_by(p);
    c.explained_url = c.explained_by.and_then(|id| doc_url(site, id));
    c.note = m.note(p);
    let (file, line) = m.source(p);
    c.source = Some(format!("{file}:{line}"));
}

/// The page of the document with id `id` (or the restricted notice).
pub fn doc_url(site: &Site, id: &str) -> Option<String> {
    let &j = site.ix.by_id.get(id)?;
    Some(address::page(&site.input.docs[j]))
}

/// A row of the service reporting page.
#[derive(Serialize)]
struct PageRow<'a> {
    sla: &'a str,
    sla_title: &'a str,
    sla_url: String,
    services: Vec<&'a str>,
    metric: &'a str,
    goal: String,
    better: Option<&'a str>,
    /// Empty when the target has measurements; else why it has none.
    unmeasured: &'static str,
    cells: Vec<Cell<'a>>,
    measured: usize,
    met: usize,
    missed: usize,
    explained: usize,
    missing: usize,
    /// Months met of months measured, as a percentage (`91.7`).
    attainment: Option<String>,
}

fn page_row<'a>(
    site: &'a Site,
    t: &TargetOf<'a>,
    months: &[Month],
    reports: &[Month],
) -> PageRow<'a> {
    let d: &Document = &site.input.docs[t.sla];
    let a = match (t.series, months.first(), months.last()) {
        (Some(s), Some(&from), Some(&to)) => s.attainment(from, to),
        _ => Default::default(),
    };
    PageRow {
        sla: &d.id,
        sla_title: &d.title,
        sla_url: address::page(d),
        services: d.refs_of("service").collect(),
        metric: &t.target.metric,
        goal: goal(t.target),
        better: t.target.better.as_deref(),
        unmeasured: match t.series {
            Some(_) => "",
            None => unmeasured(t.target),
        },
        cells: months
            .iter()
            .map(|&m| cell(site, t.series, m, reports))
            .collect(),
        measured: a.measured,
        met: a.met,
        missed: a.missed,
        explained: a.explained,
        missing: a.missing,
        attainment: a.ratio().map(percent),
    }
}

/// A ratio as a percentage with one decimal, without a trailing `.0`.
pub fn percent(r: f64) -> String {
    let s = format!("{:.1}", r * 100.0);
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// The figures above the table.
#[derive(Serialize)]
struct Summary {
    targets: usize,
    measured: usize,
    /// Measured targets met in every month of the window they were measured.
    all_met: usize,
    missed: usize,
    explained: usize,
    missing: usize,
}

impl Summary {
    fn of(rows: &[PageRow]) -> Summary {
        let measured: Vec<&PageRow> = rows.iter().filter(|r| r.unmeasured.is_empty()).collect();
        Summary {
            targets: rows.len(),
            measured: measured.len(),
            all_met: measured
                .iter()
                .filter(|r| r.measured > 0 && r.met == r.measured)
                .count(),
            missed: rows.iter().map(|r| r.missed).sum(),
            explained: rows.iter().map(|r| r.explained).sum(),
            missing: rows.iter().map(|r| r.missing).sum(),
        }
    }
}

/// The exports' columns.
const EXPORT_HEADER: &[&str] = &[
    "sla",
    "services",
    "metric",
    "target",
    "unit",
    "better",
    "period",
    "state",
    "value",
    "explained_by",
    "note",
    "source",
    "months_measured",
    "months_met",
];

/// A row of the exports: one target in one month of the page's window
/// that is in the target's measured span, with the target's attainment
/// over the window.
#[derive(Serialize)]
struct ExportRow<'a> {
    sla: &'a str,
    services: Vec<&'a str>,
    metric: &'a str,
    target: &'a str,
    unit: Option<&'a str>,
    better: Option<&'a str>,
    period: String,
    state: &'static str,
    value: Option<f64>,
    explained_by: Option<&'a str>,
    note: Option<&'a str>,
    source: Option<String>,
    months_measured: usize,
    months_met: usize,
    /// (JSON only) the SLA's page and the explaining document's.
    url: String,
    explained_url: Option<String>,
}

fn export_rows<'a>(site: &'a Site, t: &TargetOf<'a>, months: &[Month]) -> Vec<ExportRow<'a>> {
    let (Some(s), Some(&from), Some(&to)) = (t.series, months.first(), months.last()) else {
        return Vec::new();
    };
    let d = &site.input.docs[t.sla];
    let a = s.attainment(from, to);
    months
        .iter()
        .filter_map(|&m| {
            let state = s.state(m)?;
            let mut c = Cell::default();
            if let Some(p) = s.point(m) {
                point_cell(site, p, &mut c);
            }
            Some(ExportRow {
                sla: &d.id,
                services: d.refs_of("service").collect(),
                metric: &t.target.metric,
                target: &t.target.target,
                unit: t.target.unit.as_deref(),
                better: t.target.better.as_deref(),
                period: m.to_string(),
                state: state.as_str(),
                value: s.point(m).map(|p| p.value),
                explained_by: c.explained_by,
                note: c.note,
                source: c.source,
                months_measured: a.measured,
                months_met: a.met,
                url: address::page(d),
                explained_url: c.explained_url,
            })
        })
        .collect()
}

fn export_record(r: &ExportRow, w: &mut CsvWriter) -> csv::Result<()> {
    let value = r.value.map(|v| v.to_string()).unwrap_or_default();
    w.write_record([
        r.sla,
        &r.services.join(" "),
        r.metric,
        r.target,
        r.unit.unwrap_or_default(),
        r.better.unwrap_or_default(),
        &r.period,
        r.state,
        &value,
        r.explained_by.unwrap_or_default(),
        r.note.unwrap_or_default(),
        r.source.as_deref().unwrap_or_default(),
        &r.months_measured.to_string(),
        &r.months_met.to_string(),
    ])
}

/// One target of an SLA's page: its chart of the last measured months,
/// and the same months as a table.
#[derive(Serialize)]
struct Charted<'a> {
    metric: &'a str,
    goal: String,
    better: &'a str,
    svg: String,
    months: Vec<ChartRow<'a>>,
    /// Months missing between the first and last shown.
    missing: Vec<String>,
    met: usize,
    measured: usize,
    attainment: String,
}

#[derive(Serialize)]
struct ChartRow<'a> {
    month: String,
    value: String,
    state: &'static str,
    explained_by: Option<&'a str>,
    explained_url: Option<String>,
    note: Option<&'a str>,
    report_url: String,
}

/// The SLA page's section (see `document::SECTIONS`): for an SLA whose
/// targets have measurements compared with them, a chart per target.
pub fn sla_section(site: &Site, i: usize) -> Option<tera::Context> {
    let d = &site.input.docs[i];
    if d.kind != "sla" {
        return None;
    }
    let series = site.input.measures.of_sla(&d.id);
    if series.is_empty() {
        return None;
    }
    let charted: Vec<Charted> = sla_targets(site, i)
        .iter()
        .enumerate()
        .filter_map(|(k, t)| Some(charted(site, t, t.series?, k)))
        .collect();
    let mut c = tera::Context::new();
    c.insert("sla", &d.id);
    c.insert("targets", &charted);
    c.insert("reporting_url", address::SERVICE_REPORTING);
    Some(c)
}

/// Target `k` of its SLA, charted.
fn charted<'a>(site: &'a Site, t: &TargetOf<'a>, s: &'a Series, k: usize) -> Charted<'a> {
    let m = site.input.measures;
    let root = address::root(&address::doc(&site.input.docs[t.sla].id));
    let points = s.last_measured(MONTHS as usize);
    let marks: Vec<svg::Mark> = points
        .iter()
        .map(|p| svg::Mark {
            month: p.month,
            value: p.value,
            state: p.state,
            explained_by: m
                .explained_by(p)
                .map(|id| (id, doc_url(site, id).map(|u| format!("{root}{u}")))),
        })
        .collect();
    let id = format!("sla-chart-{}", k + 1);
    let svg = svg::sla_chart(&svg::Chart {
        id: &id,
        sla: &s.sla,
        metric: &s.metric,
        target: s.target,
        better: s.better,
        unit: s.unit.as_deref(),
        marks: &marks,
    });
    let months = points
        .iter()
        .map(|p| {
            let mut c = Cell::default();
            point_cell(site, p, &mut c);
            ChartRow {
                month: p.month.to_string(),
                value: p.value.to_string(),
                state: p.state.as_str(),
                explained_by: c.explained_by,
                explained_url: c.explained_url,
                note: c.note,
                report_url: address::monthly_report(p.month),
            }
        })
        .collect();
    let missing = match (points.first(), points.last()) {
        (Some(a), Some(b)) => s
            .missing
            .iter()
            .filter(|m| (a.month..=b.month).contains(m))
            .map(Month::to_string)
            .collect(),
        _ => Vec::new(),
    };
    let met = points.iter().filter(|p| p.state == State::Met).count();
    Charted {
        metric: &t.target.metric,
        goal: goal(t.target),
        better: s.better.as_str(),
        svg,
        months,
        missing,
        met,
        measured: points.len(),
        attainment: percent(met as f64 / points.len().max(1) as f64),
    }
}
