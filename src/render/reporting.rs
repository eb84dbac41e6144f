//! Service reporting (clause 9.4): the page `service-reporting.html` with
//! every SLA target against the last 12 months (met, missed, explained,
//! missing) and each target's attainment, and its CSV and JSON beside it.
//! What it shows comes from the measurements' report (see `measured`), per
//! target: the page never walks every row.
//!
//! The monthly service reports are `monthly`'s, the charts on SLA pages
//! `sla_results`'; what they show of a target ([`TargetOf`]) and of a
//! target in a month ([`Cell`]) is made here.

use serde::Serialize;

use super::export::{CsvWriter, export};
use super::site::Site;
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
    let root = address::root(address::SERVICE_REPORTING);
    // The table is written here, not by the template: 4,000 targets are
    // 48,000 cells.
    let mut rows = String::with_capacity(targets.len() * 1024);
    let mut summary = Summary::default();
    for t in &targets {
        page_row(site, t, &months, &root, &mut rows, &mut summary);
    }
    let export_rows: Vec<ExportRow> = targets
        .iter()
        .filter_map(|t| export_row(site, t, &months))
        .collect();
    let mut header: Vec<String> = EXPORT_HEADER.iter().map(|h| h.to_string()).collect();
    for m in &months {
        header.push(m.to_string());
        header.push(format!("{m} state"));
    }
    let mut c = tera::Context::new();
    c.insert("title", "Service reporting");
    c.insert("from", &from.to_string());
    c.insert("to", &to.to_string());
    c.insert(
        "months",
        &months.iter().map(Month::to_string).collect::<Vec<_>>(),
    );
    c.insert("rows_html", &rows);
    c.insert("summary", &summary);
    let links: Vec<(String, String)> = reports
        .iter()
        .rev()
        .map(|m| (m.to_string(), address::monthly_report(*m)))
        .collect();
    c.insert("reports", &links);
    let mut page = Ok(());
    rayon::scope(|s| {
        export(
            s,
            sink,
            address::SERVICE_REPORTING,
            &header,
            &export_rows,
            export_record,
        );
        page = site.stream_page(
            sink,
            "service-reporting.html",
            address::SERVICE_REPORTING,
            c,
        );
    });
    page.map_err(|f| vec![f])
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
#[derive(Serialize, Default, Clone)]
pub struct Cell<'a> {
    pub month: String,
    /// `met`, `missed`, `explained`, `missing`, or empty outside the
    /// target's measured span.
    pub state: &'static str,
    /// The value measured, as written in its row (`99.71`).
    pub value: Option<&'a str>,
    pub explained_by: Option<&'a str>,
    /// The explaining document's page, relative to the site root.
    pub explained_url: Option<String>,
    pub note: Option<&'a str>,
    /// Where the row is: `measurements/2026.csv:14`.
    pub source: Option<String>,
    /// The month's service report, relative to the site root.
    pub report_url: Option<String>,
}

/// A target's `month` as a table shows it: its state, value and
/// explanation (its note and source are [`point_cell`]'s); `reports`: the
/// months that have a monthly report.
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
        c.value = Some(site.input.measures.value_text(p));
        c.explained_by = site.input.measures.explained_by(p);
        c.explained_url = c.explained_by.and_then(|id| doc_url(site, id));
    }
    c
}

/// Every part of a cell, from its point: value, explanation, note, source.
pub fn point_cell<'a>(site: &'a Site, p: &Point, c: &mut Cell<'a>) {
    let m = site.input.measures;
    c.value = Some(m.value_text(p));
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

/// Writes target `t`'s row of the service reporting page into `out`
/// (`root`: the page's prefix to the site root), and counts it.
fn page_row(
    site: &Site,
    t: &TargetOf,
    months: &[Month],
    root: &str,
    out: &mut String,
    summary: &mut Summary,
) {
    use std::fmt::Write;
    let d: &Document = &site.input.docs[t.sla];
    let _ = write!(
        out,
        r#"<tr><td><a href="{root}{}" title="{}">{}</a></td><td>{}</td><td class="goal">{}</td>"#,
        esc(&address::page(d)),
        esc(&d.title),
        esc(&d.id),
        esc(&t.target.metric),
        esc(&super::monthly::goal_with_side(t.target))
    );
    summary.targets += 1;
    let (Some(s), Some(&from), Some(&to)) = (t.series, months.first(), months.last()) else {
        let _ = write!(
            out,
            r#"<td colspan="{}" class="note">{}</td><td class="num">—</td><td class="num">—</td></tr>"#,
            months.len(),
            unmeasured(t.target)
        );
        out.push('\n');
        return;
    };
    for &m in months {
        month_cell(site, s, m, root, out);
    }
    let a = s.attainment(from, to);
    summary.measured += 1;
    summary.all_met += usize::from(a.measured > 0 && a.met == a.measured);
    summary.missed += a.missed;
    summary.explained += a.explained;
    summary.missing += a.missing;
    let ratio = a
        .ratio()
        .map_or("—".to_string(), |r| format!("{} %", percent(r)));
    let _ = writeln!(
        out,
        r#"<td class="num">{} of {}</td><td class="num">{ratio}</td></tr>"#,
        a.met, a.measured
    );
}

/// One month's cell: a shape, the word (for screen readers; the legend
/// says it to the eye) and the value; an explained miss links to its
/// explanation.
fn month_cell(site: &Site, s: &Series, m: Month, root: &str, out: &mut String) {
    let Some(p) = s.point(m) else {
        out.push_str(match s.state(m) {
            Some(_) => r#"<td class="num m-missing">○ missing</td>"#,
            None => "<td></td>",
        });
        return;
    };
    out.push_str(match p.state {
        State::Met => r#"<td class="num m-met">●<span class="visually-hidden"> met</span> "#,
        State::Missed => {
            r#"<td class="num m-missed">✕<span class="visually-hidden"> missed</span> "#
        }
        _ => r#"<td class="num m-explained">◆<span class="visually-hidden"> explained</span> "#,
    });
    let value = site.input.measures.value_text(p);
    let why = site.input.measures.explained_by(p);
    match why.and_then(|id| Some((id, doc_url(site, id)?))) {
        Some((id, url)) => {
            use std::fmt::Write;
            let _ = write!(
                out,
                r#"<a href="{root}{}" title="explained by {}">{value}</a>"#,
                esc(&url),
                esc(id)
            );
        }
        None => out.push_str(value),
    }
    out.push_str("</td>");
}

fn esc(s: &str) -> String {
    crate::html::escape(s)
}

/// A ratio as a percentage with one decimal, without a trailing `.0`.
pub fn percent(r: f64) -> String {
    let s = format!("{:.1}", r * 100.0);
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// The figures above the table.
#[derive(Serialize, Default)]
struct Summary {
    targets: usize,
    measured: usize,
    /// Measured targets met in every month of the window they were measured.
    all_met: usize,
    missed: usize,
    explained: usize,
    missing: usize,
}

/// The exports' columns before the months' (each month then has two: its
/// value, `YYYY-MM`, and its state, `YYYY-MM state`).
const EXPORT_HEADER: &[&str] = &[
    "sla",
    "services",
    "metric",
    "target",
    "unit",
    "better",
    "months_measured",
    "months_met",
    "attainment",
];

/// A row of the exports: a target that has measurements, its attainment
/// over the page's months, and each of those months.
#[derive(Serialize)]
struct ExportRow<'a> {
    sla: &'a str,
    services: Vec<&'a str>,
    metric: &'a str,
    target: &'a str,
    unit: Option<&'a str>,
    better: Option<&'a str>,
    months_measured: usize,
    months_met: usize,
    /// Months met of months measured, in percent.
    attainment: Option<f64>,
    /// (JSON only) the SLA's page, and each month.
    url: String,
    months: Vec<ExportMonth<'a>>,
    /// (CSV only) every month of the page, its value (as written) and state.
    #[serde(skip)]
    cells: Vec<(&'a str, &'static str)>,
}

/// A month of an export row (JSON), from the target's first month
/// measured; what it has besides its state only when there is something.
#[derive(Serialize)]
struct ExportMonth<'a> {
    period: String,
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explained_by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explained_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
}

fn export_row<'a>(site: &'a Site, t: &TargetOf<'a>, months: &[Month]) -> Option<ExportRow<'a>> {
    let (s, &from, &to) = (t.series?, months.first()?, months.last()?);
    let d = &site.input.docs[t.sla];
    let a = s.attainment(from, to);
    Some(ExportRow {
        sla: &d.id,
        services: d.refs_of("service").collect(),
        metric: &t.target.metric,
        target: &t.target.target,
        unit: t.target.unit.as_deref(),
        better: t.target.better.as_deref(),
        months_measured: a.measured,
        months_met: a.met,
        attainment: a.ratio().map(|r| (r * 1000.0).round() / 10.0),
        url: address::page(d),
        cells: months
            .iter()
            .map(|&m| {
                let state = s.state(m).map_or("", State::as_str);
                let value = s.point(m).map_or("", |p| site.input.measures.value_text(p));
                (value, state)
            })
            .collect(),
        months: months
            .iter()
            .filter(|&&m| s.state(m).is_some())
            .map(|&m| {
                let mut c = Cell::default();
                if let Some(p) = s.point(m) {
                    point_cell(site, p, &mut c);
                }
                ExportMonth {
                    period: m.to_string(),
                    state: s.state(m).map_or("", State::as_str),
                    value: s.point(m).map(|p| p.value),
                    explained_by: c.explained_by,
                    explained_url: c.explained_url,
                    note: c.note,
                    source: c.source,
                }
            })
            .collect(),
    })
}

fn export_record(r: &ExportRow, w: &mut CsvWriter) -> csv::Result<()> {
    let (services, measured, met) = (
        r.services.join(" "),
        r.months_measured.to_string(),
        r.months_met.to_string(),
    );
    let attainment = r.attainment.map(|a| a.to_string()).unwrap_or_default();
    for cell in [
        r.sla,
        &services,
        r.metric,
        r.target,
        r.unit.unwrap_or_default(),
        r.better.unwrap_or_default(),
        &measured,
        &met,
        &attainment,
    ] {
        w.write_field(cell)?;
    }
    for (value, state) in &r.cells {
        w.write_field(value)?;
        w.write_field(state)?;
    }
    w.write_record(None::<&[u8]>)
}
