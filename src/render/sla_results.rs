//! The section "Measured results" of an SLA's page (a line of
//! `document::SECTIONS`): for each target whose measurements are compared
//! with it, its summary and the chart of its last 12 measured months (see
//! `svg::sla_chart`), then one table of the months charted, a column per
//! target. Made from the SLA's own series (`measure::Report::of_sla`).

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use super::reporting::{MONTHS, TargetOf, doc_url, goal, percent, sla_targets};
use super::site::Site;
use super::svg;
use crate::address;
use crate::measure::{Month, Point, Series, State};

/// A target of the section: its summary and chart.
#[derive(Serialize)]
struct Charted<'a> {
    metric: &'a str,
    goal: String,
    better: &'a str,
    svg: String,
    /// Months missing between the first and last charted.
    missing: Vec<String>,
    met: usize,
    measured: usize,
    attainment: String,
}

/// A note written on a charted month's row.
#[derive(Serialize)]
struct Note<'a> {
    month: String,
    metric: &'a str,
    note: &'a str,
}

/// The SLA page's section: `None` unless document `i` is an SLA with a
/// target whose measurements are compared with it.
pub fn section(site: &Site, i: usize) -> Option<tera::Context> {
    let d = &site.input.docs[i];
    if d.kind != "sla" || site.input.measures.of_sla(&d.id).is_empty() {
        return None;
    }
    let root = address::root(&address::doc(&d.id));
    let targets: Vec<TargetOf> = sla_targets(site, i)
        .into_iter()
        .filter(|t| t.series.is_some())
        .collect();
    let charted: Vec<Charted> = targets
        .iter()
        .enumerate()
        .filter_map(|(k, t)| Some(charted(site, t, t.series?, k, &root)))
        .collect();
    let (table, notes) = table(site, &targets, &root);
    let mut c = tera::Context::new();
    c.insert("sla", &d.id);
    c.insert("targets", &charted);
    c.insert(
        "metrics",
        &targets.iter().map(|t| &t.target.metric).collect::<Vec<_>>(),
    );
    c.insert("rows_html", &table);
    c.insert("notes", &notes);
    c.insert("reporting_url", address::SERVICE_REPORTING);
    Some(c)
}

/// Target `k` of its SLA, charted (`root`: the page's prefix to the site root).
fn charted<'a>(site: &Site, t: &TargetOf<'a>, s: &Series, k: usize, root: &str) -> Charted<'a> {
    let m = site.input.measures;
    let points = s.last_measured(MONTHS as usize);
    let marks: Vec<svg::Mark> = points
        .iter()
        .map(|p| svg::Mark {
            month: p.month,
            value: p.value,
            text: m.value_text(p),
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
        missing,
        met,
        measured: points.len(),
        attainment: percent(met as f64 / points.len().max(1) as f64),
    }
}

/// The months charted (of any target), newest first, as table rows: the
/// month (linked to its report), then each target's result; and the notes
/// written on them.
fn table<'a>(site: &'a Site, targets: &[TargetOf<'a>], root: &str) -> (String, Vec<Note<'a>>) {
    let mut months: BTreeMap<Month, Vec<Option<&Point>>> = BTreeMap::new();
    for (k, t) in targets.iter().enumerate() {
        let Some(s) = t.series else { continue };
        for p in s.last_measured(MONTHS as usize) {
            months
                .entry(p.month)
                .or_insert_with(|| vec![None; targets.len()])[k] = Some(p);
        }
    }
    let m = site.input.measures;
    let mut html = String::with_capacity(months.len() * 64 * (targets.len() + 1));
    let mut notes = Vec::new();
    for (month, points) in months.iter().rev() {
        let _ = write!(
            html,
            r#"<tr><th scope="row"><a href="{root}{}">{month}</a></th>"#,
            address::monthly_report(*month)
        );
        for (k, p) in points.iter().enumerate() {
            let state = targets
                .get(k)
                .and_then(|t| t.series)
                .and_then(|s| s.state(*month));
            result_cell(site, *p, state, root, &mut html);
            if let (Some(p), Some(t)) = (p, targets.get(k))
                && let Some(note) = m.note(p)
            {
                notes.push(Note {
                    month: month.to_string(),
                    metric: &t.target.metric,
                    note,
                });
            }
        }
        html.push_str("</tr>\n");
    }
    (html, notes)
}

/// A target's result in a month: shape, word and value; an explained miss
/// links to its explanation.
fn result_cell(site: &Site, p: Option<&Point>, state: Option<State>, root: &str, out: &mut String) {
    let Some(p) = p else {
        out.push_str(match state {
            Some(State::Missing) => r#"<td class="m-missing">○ missing</td>"#,
            _ => "<td></td>",
        });
        return;
    };
    let (mark, word) = match p.state {
        State::Met => ("●", "met"),
        State::Missed => ("✕", "missed"),
        _ => ("◆", "explained"),
    };
    let _ = write!(
        out,
        r#"<td class="m-{word}">{mark} {word}, {}"#,
        site.input.measures.value_text(p)
    );
    if let Some(id) = site.input.measures.explained_by(p) {
        let id_html = crate::html::escape(id);
        match doc_url(site, id) {
            Some(url) => {
                let _ = write!(
                    out,
                    r#" (<a href="{root}{}">{id_html}</a>)"#,
                    crate::html::escape(&url)
                );
            }
            None => {
                let _ = write!(out, " ({id_html})");
            }
        }
    }
    out.push_str("</td>");
}
