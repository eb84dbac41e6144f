//! The **nonconformity register** (`nonconformities.html`, CSV and JSON
//! beside it; filed in the evidence pack under ISO/IEC 20000-1 10.1): every
//! live nonconformity with its grade, its stage (derived: *open*, *actions
//! planned*, *awaiting verification*, *closed*), its age, its overdue
//! actions and where it came from; with a chart of the nonconformities
//! open at the end of each month, by grade. And each nonconformity's own
//! page shows its stage (a section, see `document::SECTIONS`).

use jiff::civil::Date;
use serde::Serialize;

use super::export::{CsvWriter, export};
use super::site::{Errors, Site};
use super::{RenderError, Sink, svg};
use crate::address;
use crate::audience::is_restricted;
use crate::model::{Document, GRADES, days_between};
use crate::resolve::Stage;

/// The family's entry point: the register page and its exports.
pub fn render(site: &Site, sink: &dyn Sink) -> Result<(), RenderError> {
    let errs = Errors::default();
    let reg = Register::build(site);
    let rows = &reg.rows;
    rayon::scope(|s| export(s, sink, address::NONCONFORMITIES, HEADER, rows, record));
    errs.emit(
        sink,
        site.page(
            "nonconformities.html",
            address::NONCONFORMITIES,
            reg.context(address::NONCONFORMITIES),
        ),
    );
    errs.result()
}

/// A requirement a nonconformity names, with its page when it resolves.
#[derive(Serialize)]
pub struct ReqItem {
    pub key: String,
    pub url: Option<String>,
}

/// A row of the register.
#[derive(Serialize)]
pub struct NcRow<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: String,
    pub owner: &'a str,
    pub grade: String,
    pub stage: &'static str,
    pub state: String,
    pub raised_on: String,
    pub closed_on: String,
    /// Days open: to the build date while open, to `closed_on` once closed.
    pub age_days: Option<i64>,
    pub actions: usize,
    pub overdue_actions: usize,
    /// The audit it was raised from (its id), else its `source`.
    pub source: String,
    pub source_url: Option<String>,
    pub requirements: Vec<ReqItem>,
    /// Above the build's audience: shown by id only.
    pub restricted: bool,
    #[serde(skip)]
    raised: Option<Date>,
    #[serde(skip)]
    closed: Option<Date>,
    #[serde(skip)]
    is_open: bool,
}

/// One nonconformity's row.
pub fn row<'a>(site: &'a Site, d: &'a Document) -> NcRow<'a> {
    let date = site.input.date;
    let cats = &site.input.loaded.catalogues;
    let stage = Stage::of(d);
    let raised = d.date("raised_on");
    let closed = d.date("closed_on");
    let is_open = stage != Stage::Closed;
    let age_days = match (raised, is_open) {
        (Some(r), true) => Some(days_between(r, date)),
        (Some(r), false) => closed.map(|c| days_between(r, c)),
        (None, _) => None,
    };
    let audit = d
        .refs_of("audit")
        .next()
        .and_then(|id| site.ix.by_id.get(id).map(|&a| (id, a)));
    let (source, source_url) = match audit {
        Some((id, a)) => (id.to_string(), Some(address::page(&site.input.docs[a]))),
        None => (d.text("source").unwrap_or_default(), None),
    };
    let actions: Vec<_> = d.actions().filter(|(f, _)| *f == "actions").collect();
    NcRow {
        id: &d.id,
        title: &d.title,
        url: address::page(d),
        owner: d.owner.as_deref().unwrap_or_default(),
        grade: d.text("grade").unwrap_or_default(),
        stage: stage.as_str(),
        state: d.text("state").unwrap_or_default(),
        raised_on: d.text("raised_on").unwrap_or_default(),
        closed_on: d.text("closed_on").unwrap_or_default(),
        age_days,
        overdue_actions: if is_open {
            actions
                .iter()
                .filter(|(_, a)| a.done_on.is_empty() && a.due.is_some_and(|due| due < date))
                .count()
        } else {
            0
        },
        actions: actions.len(),
        source,
        source_url,
        requirements: d
            .reqs_of("requirements")
            .map(|r| ReqItem {
                key: r.key.clone(),
                url: cats.get(&r.key).map(|_| address::req(&r.key)),
            })
            .collect(),
        restricted: is_restricted(d),
        raised,
        closed,
        is_open,
    }
}

/// Open nonconformities at the end of a month, by grade.
#[derive(Serialize, Clone)]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    /// Per grade of `model::GRADES` (major, minor, observation, improvement).
    pub open: [usize; 4],
}

/// Months the chart shows at most (the most recent).
const MONTHS: usize = 24;

/// The register, built once for its page, exports and pack section.
pub struct Register<'a> {
    rows: Vec<NcRow<'a>>,
    months: Vec<Month>,
    date: Date,
}

impl<'a> Register<'a> {
    pub fn build(site: &'a Site) -> Register<'a> {
        let docs = site.input.docs;
        let mut rows: Vec<NcRow> = site
            .input
            .resolved
            .operation
            .nonconformities
            .iter()
            .filter(|&&n| site.canonical(n))
            .map(|&n| row(site, &docs[n]))
            .collect();
        let rank = |g: &str| GRADES.iter().position(|x| *x == g).unwrap_or(GRADES.len());
        rows.sort_by(|a, b| {
            (!a.is_open, rank(&a.grade), a.raised, a.id).cmp(&(
                !b.is_open,
                rank(&b.grade),
                b.raised,
                b.id,
            ))
        });
        let months = months(&rows, site.input.date);
        Register {
            rows,
            months,
            date: site.input.date,
        }
    }

    /// The context of the register page or of its pack section, for a page at `path`.
    pub fn context(&self, path: &str) -> tera::Context {
        let mut c = tera::Context::new();
        c.insert("title", "Nonconformity register");
        c.insert("rows", &self.rows);
        let open = |g: &str| {
            self.rows
                .iter()
                .filter(|r| r.is_open && r.grade == g)
                .count()
        };
        c.insert("open", &self.rows.iter().filter(|r| r.is_open).count());
        c.insert("open_major", &open("major"));
        c.insert("open_minor", &open("minor"));
        c.insert(
            "overdue_actions",
            &self.rows.iter().map(|r| r.overdue_actions).sum::<usize>(),
        );
        c.insert(
            "chart_svg",
            &svg::open_nonconformities(&self.months, self.date, &address::root(path)),
        );
        c
    }
}

/// The nonconformities open at the end of each month (the build date for
/// its own month), from the first one raised (at most [`MONTHS`] back).
fn months(rows: &[NcRow], date: Date) -> Vec<Month> {
    let Some(first) = rows.iter().filter_map(|r| r.raised).min() else {
        return Vec::new();
    };
    let mut starts = Vec::new();
    let mut m = first.first_of_month();
    while m <= date {
        starts.push(m);
        match m.checked_add(jiff::Span::new().months(1)) {
            Ok(n) => m = n,
            Err(_) => break,
        }
    }
    let skip = starts.len().saturating_sub(MONTHS);
    starts[skip..]
        .iter()
        .map(|&m| {
            let end = m.last_of_month().min(date);
            let mut open = [0; 4];
            for r in rows {
                if r.raised.is_none_or(|x| x > end) {
                    continue;
                }
                let still = match r.closed {
                    Some(c) => c > end,
                    // Closed without a date: not counted (a finding says so).
                    None => r.is_open,
                };
                if let (true, Some(g)) = (still, GRADES.iter().position(|x| *x == r.grade)) {
                    open[g] += 1;
                }
            }
            Month {
                month: m.strftime("%Y-%m").to_string(),
                open,
            }
        })
        .collect()
}

const HEADER: &[&str] = &[
    "id",
    "title",
    "grade",
    "stage",
    "state",
    "raised_on",
    "closed_on",
    "age_days",
    "actions",
    "overdue_actions",
    "source",
    "requirements",
    "owner",
];

fn record(r: &NcRow, w: &mut CsvWriter) -> csv::Result<()> {
    let reqs: Vec<&str> = r.requirements.iter().map(|q| q.key.as_str()).collect();
    w.write_record([
        r.id,
        r.title,
        &r.grade,
        r.stage,
        &r.state,
        &r.raised_on,
        &r.closed_on,
        &r.age_days.map(|a| a.to_string()).unwrap_or_default(),
        &r.actions.to_string(),
        &r.overdue_actions.to_string(),
        &r.source,
        &reqs.join(" "),
        r.owner,
    ])
}

/// The register as a section of the evidence pack (under 10.1).
pub fn pack_section(site: &Site) -> Option<tera::Context> {
    if site.input.resolved.operation.nonconformities.is_empty() {
        return None;
    }
    Some(Register::build(site).context(address::EVIDENCE_PACK))
}

/// The stage section of document `i`'s page, when it is a live nonconformity.
pub fn stage_section(site: &Site, i: usize) -> Option<tera::Context> {
    let d = &site.input.docs[i];
    if d.kind != "nonconformity" || !d.is_live() {
        return None;
    }
    let r = row(site, d);
    let stages: Vec<(&str, bool)> = [
        Stage::Open,
        Stage::ActionsPlanned,
        Stage::AwaitingVerification,
        Stage::Closed,
    ]
    .iter()
    .map(|s| (s.as_str(), s.as_str() == r.stage))
    .collect();
    let mut c = tera::Context::new();
    c.insert("nc", &r);
    c.insert("stages", &stages);
    Some(c)
}
