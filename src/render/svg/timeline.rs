//! The audit programme's timeline: one line per audit of the programme,
//! its mark on a calendar of months at the date it was performed (a filled
//! circle) or is planned for (a ring; a triangle when that date is past),
//! each mark named in words and linked to the audit's page; the last cycle
//! shaded, the build date marked.

use std::fmt::Write;

use jiff::civil::Date;

use super::{cut, esc, open};
use crate::model::days_between;
use crate::render::audits::Column;

/// The timeline of `columns` (audits) as of `today`, the last `cycle` days shaded.
pub fn audit_timeline(columns: &[Column], today: Date, cycle: i64, root: &str) -> String {
    let dated: Vec<(&Column, Date)> = columns
        .iter()
        .filter_map(|c| c.when.map(|w| (c, w)))
        .collect();
    if dated.is_empty() {
        return String::new();
    }
    let cycle_start = today
        .checked_sub(jiff::Span::new().days(cycle))
        .unwrap_or(today);
    let first = dated.iter().map(|(_, w)| *w).min().unwrap_or(today);
    let last = dated.iter().map(|(_, w)| *w).max().unwrap_or(today);
    let start = month_start(first.min(cycle_start));
    let end = next_month(
        last.max(today).max(
            today
                .checked_add(jiff::Span::new().days(30))
                .unwrap_or(today),
        ),
    );
    let (label_w, plot_w, row, top) = (250.0, 580.0, 24.0, 40.0);
    let w = label_w + plot_w + 170.0;
    let h = top + row * dated.len() as f64 + 34.0;
    let span = days_between(start, end).max(1) as f64;
    let x = |d: Date| label_w + plot_w * days_between(start, d) as f64 / span;
    let performed = dated.iter().filter(|(c, _)| c.state == "performed").count();
    let mut s = String::new();
    open(
        &mut s,
        "audit-timeline",
        "audit-timeline",
        w,
        h,
        "Audit programme timeline",
        &format!(
            "As of {today}: {performed} audit(s) performed and {} planned, by date; the last {cycle} days shaded.",
            dated.len() - performed
        ),
    );
    // The last cycle, and the months.
    let _ = write!(
        s,
        r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#eef4fb"/><text x="{:.1}" y="12" font-size="11" fill="#57606a">last {cycle} days</text>"##,
        x(cycle_start),
        top - 8.0,
        x(today) - x(cycle_start),
        h - top - 18.0,
        x(cycle_start) + 3.0,
    );
    // A label every month, or every few when months are narrow.
    let month_px = plot_w * 30.4 / span;
    let step = (52.0 / month_px).ceil().max(1.0) as usize;
    let mut m = start;
    let mut n = 0usize;
    while m < end {
        if n.is_multiple_of(step) {
            let _ = write!(
                s,
                r##"<line x1="{0:.1}" y1="{1:.1}" x2="{0:.1}" y2="{2:.1}" stroke="#d0d7de"/><text x="{3:.1}" y="{4:.1}" font-size="10" fill="#57606a">{5}</text>"##,
                x(m),
                top - 8.0,
                h - 26.0,
                x(m) + 2.0,
                top - 12.0,
                m.strftime("%Y-%m"),
            );
        }
        m = next_month(m);
        n += 1;
    }
    let _ = write!(
        s,
        r##"<line x1="{0:.1}" y1="{1:.1}" x2="{0:.1}" y2="{2:.1}" stroke="#1b1f24" stroke-width="2" stroke-dasharray="4 3"/><text x="{3:.1}" y="{4:.1}" font-size="11" fill="#1b1f24">build date {today}</text>"##,
        x(today),
        top - 8.0,
        h - 20.0,
        x(today) + 3.0,
        h - 6.0,
    );
    for (k, (c, when)) in dated.iter().enumerate() {
        let y = top + row * k as f64 + row / 2.0;
        let cx = x(*when);
        let (mark, word) = match c.state {
            "performed" => (
                format!(r##"<circle cx="{cx:.1}" cy="{y:.1}" r="6" fill="#1a7f37"/>"##),
                format!("performed {}", c.performed_on),
            ),
            "overdue" => (
                format!(
                    r##"<path d="M{:.1} {:.1} L{:.1} {:.1} L{:.1} {:.1} Z" fill="#cf222e"/>"##,
                    cx,
                    y - 7.0,
                    cx + 7.0,
                    y + 6.0,
                    cx - 7.0,
                    y + 6.0
                ),
                format!("overdue, planned {}", c.planned_on),
            ),
            _ => (
                format!(
                    r##"<circle cx="{cx:.1}" cy="{y:.1}" r="6" fill="#ffffff" stroke="#0b5cad" stroke-width="2"/>"##
                ),
                format!("planned {}", c.planned_on),
            ),
        };
        let _ = write!(
            s,
            r##"<a href="{}{}"><title>{} {} ({}): {}, {} requirement(s) in scope</title><text x="0" y="{:.1}" fill="#0b5cad"><tspan font-weight="600">{}</tspan> {}</text>{mark}<text x="{:.1}" y="{:.1}" font-size="11" fill="#1b1f24">{}</text></a>"##,
            esc(root),
            esc(&c.url),
            esc(c.id),
            esc(c.title),
            esc(&c.audit_type),
            esc(&word),
            c.leaves,
            y + 4.0,
            esc(&cut(c.id, 22)),
            esc(&cut(&c.audit_type, 14)),
            cx + 10.0,
            y + 4.0,
            esc(&word),
        );
    }
    s.push_str("</svg>");
    s
}

/// The first day of `d`'s month.
fn month_start(d: Date) -> Date {
    d.first_of_month()
}

/// The first day of the month after `d`'s.
fn next_month(d: Date) -> Date {
    d.first_of_month()
        .checked_add(jiff::Span::new().months(1))
        .unwrap_or(d)
}
