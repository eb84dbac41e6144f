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
use crate::measure::Month;

/// The family's entry point: a report per month, in parallel.
pub fn render(site: &Site, sink: &dyn Sink) -> Result<(), RenderError> {
    let months = site.input.measures.months();
    let plan = Plan::new(site);
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
    let mut c = context(site, &Plan::new(site), last, 3);
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
/// services, the visible SLAs of each, their targets, the nonconformities.
struct Plan<'a> {
    /// (service document, its SLAs' targets); an SLA naming no visible
    /// service is under `None`, last.
    services: Vec<(Option<usize>, Vec<(usize, Vec<TargetOf<'a>>)>)>,
    nonconformities: Vec<usize>,
    reports: Vec<Month>,
}

impl<'a> Plan<'a> {
    fn new(site: &'a Site) -> Plan<'a> {
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
        let mut slas: Vec<Vec<usize>> = vec![Vec::new(); services.len() + 1];
        for i in visible("sla") {
            let mut placed = false;
            for svc in docs[i].refs_of("service") {
                if let Some(&k) = slot.get(svc) {
                    slas[k].push(i);
                    placed = true;
                }
            }
            if !placed {
                slas[services.len()].push(i);
            }
        }
        let with_targets = |list: &[usize]| {
            list.iter()
                .map(|&i| (i, sla_targets(site, i)))
                .collect::<Vec<_>>()
        };
        let mut out: Vec<(Option<usize>, Vec<(usize, Vec<TargetOf>)>)> = services
            .iter()
            .zip(&slas)
            .map(|(&s, list)| (Some(s), with_targets(list)))
            .collect();
        if let Some(rest) = slas.last().filter(|l| !l.is_empty()) {
            out.push((None, with_targets(rest)));
        }
        Plan {
            services: out,
            nonconformities: visible("nonconformity"),
            reports: site.input.measures.months(),
        }
    }
}

#[derive(Serialize)]
struct ServiceBlock<'a> {
    id: Option<&'a str>,
    title: Option<&'a str>,
    url: Option<String>,
    slas: Vec<SlaBlock<'a>>,
}

#[derive(Serialize)]
struct SlaBlock<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
    targets: Vec<MonthTarget<'a>>,
}

#[derive(Serialize)]
struct MonthTarget<'a> {
    metric: &'a str,
    goal: String,
    better: Option<&'a str>,
    /// Why a target is never compared (empty when it is).
    unmeasured: &'static str,
    /// Its `state` is `met`, `missed`, `explained`, `missing`, or
    /// `not-measured` (no measurement that month or before).
    #[serde(flatten)]
    cell: Cell<'a>,
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
    let docs = site.input.docs;
    let mut counts = Counts::default();
    let mut misses = Vec::new();
    let services: Vec<ServiceBlock> = plan
        .services
        .iter()
        .map(|(svc, slas)| ServiceBlock {
            id: svc.map(|i| docs[i].id.as_str()),
            title: svc.map(|i| docs[i].title.as_str()),
            url: svc.map(|i| address::page(&docs[i])),
            slas: slas
                .iter()
                .map(|(i, targets)| SlaBlock {
                    id: &docs[*i].id,
                    title: &docs[*i].title,
                    url: address::page(&docs[*i]),
                    targets: targets
                        .iter()
                        .map(|t| month_target(site, plan, t, m, &mut counts, &mut misses))
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let measured = counts.met + counts.missed + counts.explained;
    counts.attainment =
        (measured > 0).then(|| super::reporting::percent(counts.met as f64 / measured as f64));
    let mut c = tera::Context::new();
    c.insert("month", &m.to_string());
    c.insert("month_name", &month_name(m));
    c.insert("h", &h);
    c.insert("services", &services);
    c.insert("counts", &counts);
    c.insert("misses", &misses);
    c.insert("has_nonconformities", &!plan.nonconformities.is_empty());
    c.insert("raised", &nonconformities(site, plan, m, "raised_on"));
    c.insert("closed", &nonconformities(site, plan, m, "closed_on"));
    c.insert("reporting_url", address::SERVICE_REPORTING);
    c
}

/// Target `t` in month `m`, counted; a miss is also listed in `misses`.
fn month_target<'a>(
    site: &'a Site,
    plan: &Plan,
    t: &TargetOf<'a>,
    m: Month,
    counts: &mut Counts,
    misses: &mut Vec<Miss<'a>>,
) -> MonthTarget<'a> {
    let mut c = cell(site, t.series, m, &plan.reports);
    counts.targets += 1;
    c.state = match c.state {
        "met" => {
            counts.met += 1;
            "met"
        }
        "missed" => {
            counts.missed += 1;
            "missed"
        }
        "explained" => {
            counts.explained += 1;
            "explained"
        }
        "missing" => {
            counts.missing += 1;
            "missing"
        }
        _ => {
            counts.not_measured += usize::from(t.series.is_some());
            "not-measured"
        }
    };
    if matches!(c.state, "missed" | "explained") {
        let d = &site.input.docs[t.sla];
        misses.push(Miss {
            sla: &d.id,
            sla_url: address::page(d),
            metric: &t.target.metric,
            goal: goal(t.target),
            cell: cell(site, t.series, m, &plan.reports),
        });
    }
    MonthTarget {
        metric: &t.target.metric,
        goal: goal(t.target),
        better: t.target.better.as_deref(),
        unmeasured: match t.series {
            Some(_) => "",
            None => unmeasured(t.target),
        },
        cell: c,
    }
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
