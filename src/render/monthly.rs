//! The monthly service reports: `report/YYYY-MM.html` for every month
//! that has a measurement compared with its target. Each lists every
//! service with its SLAs' targets against the month's results, the misses
//! with their explanations, and the nonconformities raised and closed in
//! the month (documents of kind `nonconformity`, by `raised_on` and
//! `closed_on`, when the repository has any). The latest month's report
//! is filed in the evidence pack under ISO20000-1:9.4 ([`pack_section`]).
//!
//! A report reads, for each target, the month's point of its series (a
//! binary search): never every row of every month.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::reporting::{Cell, TargetOf, cell, goal, sla_targets, unmeasured};
use super::site::{Errors, Site};
use super::{RenderError, Sink};
use crate::address;
use crate::measure::{Month, Point, State};

/// The family's entry point: a report per month, in parallel.
pub fn render(site: &Site, sink: &dyn Sink) -> Result<(), RenderError> {
    let months = site.input.measures.months();
    let plan = Plan::new(site, "../");
    let errs = Errors::default();
    months.par_iter().enumerate().for_each(|(k, &m)| {
        let mut c = context(site, &plan, m, 2);
        c.insert(
            "title",
            &format!("Monthly service report, {}", month_name(m)),
        );
        c.insert(
            "previous",
            &k.checked_sub(1)
                .and_then(|p| months.get(p))
                .map(|p| (p.to_string(), address::monthly_report(*p))),
        );
        c.insert(
            "next",
            &months
                .get(k + 1)
                .map(|n| (n.to_string(), address::monthly_report(*n))),
        );
        let path = address::monthly_report(m);
        errs.note(site.stream_page(sink, "service-report.html", &path, c));
    });
    errs.result()
}

/// The evidence pack's section under ISO20000-1:9.4: the latest month's
/// report (see `pack::SECTIONS`).
pub fn pack_section(site: &Site) -> Option<tera::Context> {
    let last = *site.input.measures.months().last()?;
    let mut c = context(site, &Plan::new(site, ""), last, 3);
    c.insert(
        "title",
        &format!("Monthly service report, {}", month_name(last)),
    );
    Some(c)
}

/// "October 2026".
pub fn month_name(m: Month) -> String {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let name = NAMES
        .get(usize::from(m.month).saturating_sub(1))
        .unwrap_or(&"");
    format!("{name} {}", m.year)
}

/// What every month's report is made from, made once: the visible
/// services, the visible SLAs of each and their targets, each as the start
/// of its table rows (the same every month), and the nonconformities.
struct Plan<'a> {
    /// Each SLA's rows (or a service's without SLA), in table order.
    slas: Vec<SlaRows<'a>>,
    nonconformities: Vec<usize>,
    reports: &'a [Month],
    /// The prefix of addresses on the page written (`../`, or `` in the pack).
    root: String,
}

/// An SLA under a service in the table: its first cells (service and SLA,
/// spanning its targets' rows), and each target with its own first cells.
struct SlaRows<'a> {
    lead: String,
    targets: Vec<(TargetOf<'a>, String)>,
    /// The row of a service without an SLA, or an SLA without targets.
    alone: Option<String>,
}

impl<'a> Plan<'a> {
    fn new(site: &'a Site, root: &str) -> Plan<'a> {
        let docs = site.input.docs;
        let visible = |kind: &str| -> Vec<usize> {
            let mut v: Vec<usize> = site
                .by_kind
                .get(kind)
                .map(|v| v.iter().copied().filter(|&i| site.visible(i)).collect())
                .unwrap_or_default();
            v.sort_by(|a, b| docs[*a].id.cmp(&docs[*b].id));
            v
        };
        let services = visible("service");
        let slot: HashMap<&str, usize> = services
            .iter()
            .enumerate()
            .map(|(k, &i)| (docs[i].id.as_str(), k))
            .collect();
        // An SLA naming no visible service is listed last, under none.
        let mut under: Vec<Vec<usize>> = vec![Vec::new(); services.len() + 1];
        for i in visible("sla") {
            let mut placed = false;
            for svc in docs[i].refs_of("service") {
                if let Some(&k) = slot.get(svc) {
                    under[k].push(i);
                    placed = true;
                }
            }
            if !placed {
                under[services.len()].push(i);
            }
        }
        let mut slas = Vec::new();
        for (k, list) in under.iter().enumerate() {
            let service = services.get(k).copied();
            let service_cell = match service {
                Some(i) => format!(
                    r#"<a href="{root}{}">{}</a> {}"#,
                    esc(&address::page(&docs[i])),
                    esc(&docs[i].id),
                    esc(&docs[i].title)
                ),
                None => r#"<span class="note">no service</span>"#.to_string(),
            };
            if list.is_empty() && service.is_some() {
                slas.push(SlaRows {
                    lead: String::new(),
                    targets: Vec::new(),
                    alone: Some(format!(
                        r#"<tr><td>{service_cell}</td><td colspan="6" class="note">no SLA</td></tr>"#
                    )),
                });
            }
            for &i in list {
                slas.push(sla_rows(site, i, &service_cell, root));
            }
        }
        Plan {
            slas,
            nonconformities: visible("nonconformity"),
            reports: site.input.measures.months(),
            root: root.to_string(),
        }
    }
}

/// SLA `i`'s rows under the service whose cell is `service_cell`.
fn sla_rows<'a>(site: &'a Site, i: usize, service_cell: &str, root: &str) -> SlaRows<'a> {
    let d = &site.input.docs[i];
    let targets = sla_targets(site, i);
    let sla_cell = format!(
        r#"<a href="{root}{}">{}</a>"#,
        esc(&address::page(d)),
        esc(&d.id)
    );
    if targets.is_empty() {
        return SlaRows {
            lead: String::new(),
            targets: Vec::new(),
            alone: Some(format!(
                r#"<tr><td>{service_cell}</td><td>{sla_cell}</td><td colspan="5" class="note">no targets</td></tr>"#
            )),
        };
    }
    let n = targets.len();
    SlaRows {
        lead: format!(r#"<td rowspan="{n}">{service_cell}</td><td rowspan="{n}">{sla_cell}</td>"#),
        targets: targets
            .into_iter()
            .map(|t| {
                let head = format!(
                    "<td>{}</td><td>{}</td>",
                    esc(&t.target.metric),
                    esc(&goal_with_side(t.target))
                );
                (t, head)
            })
            .collect(),
        alone: None,
    }
}

/// A target as the tables write it: `≥ 99.9 %` when higher is better, `≤
/// 15 min` when lower is, else as written.
pub fn goal_with_side(t: &crate::model::Target) -> String {
    match t.better.as_deref() {
        Some("higher") => format!("≥ {}", goal(t)),
        Some("lower") => format!("≤ {}", goal(t)),
        _ => goal(t),
    }
}

fn esc(s: &str) -> String {
    crate::html::escape(s)
}

/// A miss of the month, with its explanation.
#[derive(Serialize)]
struct Miss<'a> {
    sla: &'a str,
    sla_url: String,
    metric: &'a str,
    goal: String,
    #[serde(flatten)]
    cell: Cell<'a>,
}

/// A nonconformity raised or closed in the month.
#[derive(Serialize)]
struct Nc<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
    grade: Option<String>,
    state: Option<String>,
    date: String,
}

#[derive(Serialize, Default)]
struct Counts {
    targets: usize,
    met: usize,
    missed: usize,
    explained: usize,
    missing: usize,
    /// Targets with measurements, none of them this month (before the first).
    not_measured: usize,
    attainment: Option<String>,
}

/// The template context of month `m`'s report; `h`: the level of its
/// section headings (2 on its page, 3 in the evidence pack).
fn context(site: &Site, plan: &Plan, m: Month, h: u8) -> tera::Context {
    let mut counts = Counts::default();
    let mut misses = Vec::new();
    // The table of every target is written here, not by the template: a
    // month of 4,000 targets is 4,000 rows, in each of dozens of reports.
    let mut rows = String::with_capacity(plan.slas.len() * 512);
    for sla in &plan.slas {
        if let Some(alone) = &sla.alone {
            rows.push_str(alone);
        }
        for (k, (t, head)) in sla.targets.iter().enumerate() {
            let point = t.series.and_then(|s| s.point(m));
            let state = match point {
                Some(p) => Some(p.state),
                None => t.series.and_then(|s| s.state(m)),
            };
            count(site, plan, t, (m, state), &mut counts, &mut misses);
            rows.push_str("<tr>");
            if k == 0 {
                rows.push_str(&sla.lead);
            }
            rows.push_str(head);
            row_end(site, &mut rows, t, (state, point), &plan.root);
        }
    }
    let measured = counts.met + counts.missed + counts.explained;
    counts.attainment =
        (measured > 0).then(|| super::reporting::percent(counts.met as f64 / measured as f64));
    let mut c = tera::Context::new();
    c.insert("month", &m.to_string());
    c.insert("month_name", &month_name(m));
    c.insert("h", &h);
    c.insert("rows_html", &rows);
    c.insert("counts", &counts);
    c.insert("misses", &misses);
    c.insert("has_nonconformities", &!plan.nonconformities.is_empty());
    c.insert("raised", &nonconformities(site, plan, m, "raised_on"));
    c.insert("closed", &nonconformities(site, plan, m, "closed_on"));
    c.insert("reporting_url", address::SERVICE_REPORTING);
    c
}

/// Counts target `t`'s `month` (its `state` then); a miss is also listed,
/// in full, in `misses`.
fn count<'a>(
    site: &'a Site,
    plan: &Plan,
    t: &TargetOf<'a>,
    (month, state): (Month, Option<State>),
    counts: &mut Counts,
    misses: &mut Vec<Miss<'a>>,
) {
    counts.targets += 1;
    match state {
        Some(State::Met) => counts.met += 1,
        Some(State::Missed) => counts.missed += 1,
        Some(State::Explained) => counts.explained += 1,
        Some(State::Missing) => counts.missing += 1,
        None => counts.not_measured += usize::from(t.series.is_some()),
    }
    if matches!(state, Some(State::Missed | State::Explained)) {
        let d = &site.input.docs[t.sla];
        let mut full = cell(site, t.series, month, plan.reports);
        if let Some(p) = t.series.and_then(|s| s.point(month)) {
            super::reporting::point_cell(site, p, &mut full);
        }
        misses.push(Miss {
            sla: &d.id,
            sla_url: address::page(d),
            metric: &t.target.metric,
            goal: goal(t.target),
            cell: full,
        });
    }
}

/// The rest of a target's row: the result, its state (a shape and a word)
/// and what explains it.
fn row_end(
    site: &Site,
    rows: &mut String,
    t: &TargetOf,
    (state, point): (Option<State>, Option<&Point>),
    root: &str,
) {
    use std::fmt::Write;
    let m = site.input.measures;
    rows.push_str(r#"<td class="num">"#);
    rows.push_str(point.map_or("—", |p| m.value_text(p)));
    rows.push_str("</td>");
    rows.push_str(match state {
        Some(State::Met) => r#"<td class="m-met">● met</td>"#,
        Some(State::Missed) => r#"<td class="m-missed">✕ missed</td>"#,
        Some(State::Explained) => r#"<td class="m-explained">◆ explained</td>"#,
        Some(State::Missing) => r#"<td class="m-missing">○ missing</td>"#,
        None if t.series.is_some() => r#"<td class="note">not measured yet</td>"#,
        None => "",
    });
    if state.is_none() && t.series.is_none() {
        let _ = write!(rows, r#"<td class="note">{}</td>"#, unmeasured(t.target));
    }
    match point.and_then(|p| m.explained_by(p)) {
        Some(id) => match super::reporting::doc_url(site, id) {
            Some(url) => {
                let _ = write!(
                    rows,
                    r#"<td><a href="{root}{}">{}</a></td>"#,
                    esc(&url),
                    esc(id)
                );
            }
            None => {
                let _ = write!(rows, "<td>{}</td>", esc(id));
            }
        },
        None => rows.push_str("<td></td>"),
    }
    rows.push_str("</tr>\n");
}

/// The nonconformities whose date `field` is in month `m`.
fn nonconformities<'a>(site: &'a Site, plan: &Plan, m: Month, field: &str) -> Vec<Nc<'a>> {
    let docs = site.input.docs;
    plan.nonconformities
        .iter()
        .filter_map(|&i| {
            let d = &docs[i];
            let date = d.date(field)?;
            (crate::measured::month_of(date) == m).then(|| Nc {
                id: &d.id,
                title: &d.title,
                url: address::page(d),
                grade: d.text("grade"),
                state: d.text("state"),
                date: date.to_string(),
            })
        })
        .collect()
}
