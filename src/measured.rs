//! Stage 3b, between resolve and check: the measurements read at load,
//! checked against the SLAs once their ids are resolved. The SLAs'
//! targets and the document ids go to `measure::check` as plain data; the
//! [`Report`] that comes back (rows, findings at their rules' default
//! severities, a series per target) is what the rules, readiness and the
//! pages read. Links from documents to monthly service reports of months
//! without measurements are found here too: only now is it known which
//! months have one.

use jiff::civil::Date;

use crate::measure::{self, Goal, Month, Report, SlaTargets, Target};
use crate::model::Document;
use crate::resolve::{Broken, LinkTarget, Resolved};

/// Checks `sheets` against the resolved SLAs of `docs`, as of `date`;
/// `read_findings`: what reading the sheets found (besides parse errors),
/// kept with the report's findings. Broken links to monthly reports are
/// added to `resolved`.
pub fn check(
    docs: &[Document],
    resolved: &mut Resolved,
    sheets: Vec<measure::Sheet>,
    read_findings: Vec<crate::diag::Finding>,
    date: Date,
) -> Report {
    let slas = sla_targets(docs, resolved);
    let mut report = measure::check(sheets, &slas, &resolved.by_id, month_of(date));
    report.findings.extend(read_findings);
    crate::diag::sort(&mut report.findings);
    unreported_months(docs, resolved, &report);
    report
}

/// The month of a date.
pub fn month_of(date: Date) -> Month {
    let year = i32::from(date.year());
    let month = u32::try_from(date.month()).unwrap_or(1);
    Month::new(year, month).unwrap_or(Month { year: 0, month: 1 })
}

/// Every `sla` document that its id names (not a duplicate), with its
/// targets, sorted by id.
fn sla_targets(docs: &[Document], resolved: &Resolved) -> Vec<SlaTargets> {
    let mut slas: Vec<SlaTargets> = docs
        .iter()
        .enumerate()
        .filter(|(i, d)| d.kind == "sla" && resolved.by_id.get(&d.id) == Some(i))
        .map(|(_, d)| SlaTargets {
            id: d.id.clone(),
            file: d.file.clone(),
            targets: d
                .fields
                .iter()
                .filter(|f| f.name == "targets")
                .flat_map(|f| &f.targets)
                .map(target)
                .collect(),
        })
        .collect();
    slas.sort_by(|a, b| a.id.cmp(&b.id));
    slas
}

/// A target as the measurements need it: its `target:` read as a number
/// when it is one.
fn target(t: &crate::model::Target) -> Target {
    Target {
        metric: t.metric.clone(),
        target: match measure::parse_value(&t.target) {
            Ok(n) => Goal::Number(n),
            Err(_) => Goal::Text(t.target.clone()),
        },
        unit: t.unit.clone(),
        better: t.better.as_deref().and_then(measure::Better::parse),
        metric_pos: t.metric_pos,
    }
}

/// A link to the monthly report of a month without measurements leads
/// nowhere: `broken-reference`, and the link is dropped from the page.
fn unreported_months(docs: &[Document], resolved: &mut Resolved, report: &Report) {
    let months = report.months();
    let mut broken = Vec::new();
    for (i, links) in resolved.links.iter_mut().enumerate() {
        for (k, link) in links.iter_mut().enumerate() {
            let Some(LinkTarget::Page(path)) = link else {
                continue;
            };
            let Some(month) = crate::address::report_month(path) else {
                continue;
            };
            if months.binary_search(&month).is_ok() {
                continue;
            }
            let Some((d, l)) = docs.get(i).and_then(|d| Some((d, d.scan.links.get(k)?))) else {
                continue;
            };
            broken.push(Broken {
                file: d.file.clone(),
                pos: d.body_pos(l.offset),
                width: l.len,
                message: no_report(month, months),
            });
            *link = None;
        }
    }
    resolved.broken.extend(broken);
}

fn no_report(month: Month, months: &[Month]) -> String {
    let have = match (months.first(), months.last()) {
        (Some(a), Some(b)) if a == b => format!("the only month measured is {a}"),
        (Some(a), Some(b)) => format!("months measured run from {a} to {b}"),
        _ => "no month has measurements yet".to_string(),
    };
    format!(
        "there is no monthly service report for {month}: no SLA target was measured that month ({have}); link a month that has measurements, or add them under measurements/"
    )
}
