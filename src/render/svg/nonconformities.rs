//! Open nonconformities per month, by grade: a stacked bar per month (the
//! nonconformities open at its end), each grade a fill and a pattern
//! (major solid, minor striped, observation dotted, improvement outlined)
//! named in the legend, each bar's counts in words in its title and above it.

use std::fmt::Write;

use jiff::civil::Date;

use super::{esc, open};
use crate::model::GRADES;
use crate::render::nonconformities::Month;

/// Each grade's fill (a colour, or a pattern defined in the picture) and stroke.
const FILLS: [(&str, &str); 4] = [
    ("#cf222e", "#cf222e"),
    ("url(#nc-minor)", "#9a6700"),
    ("url(#nc-observation)", "#0969da"),
    ("#ffffff", "#8250df"),
];

/// The chart of `months` (as of `today`); empty when there is no month.
pub fn open_nonconformities(months: &[Month], today: Date, _root: &str) -> String {
    if months.is_empty() {
        return String::new();
    }
    let (left, top, plot_h, step, bar_w) = (40.0, 46.0, 170.0, 34.0, 22.0);
    let w: f64 = (left + step * months.len() as f64 + 20.0).max(460.0);
    let h = top + plot_h + 56.0;
    let max = months
        .iter()
        .map(|m| m.open.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let scale = plot_h / max as f64;
    let last = months.last().map(|m| m.open).unwrap_or_default();
    let mut s = String::new();
    open(
        &mut s,
        "nc-chart",
        "nc-chart",
        w,
        h,
        "Open nonconformities per month, by grade",
        &format!(
            "Nonconformities open at the end of each month from {} to {} (the build date, {today}, for the last): now {} major, {} minor, {} observation(s), {} improvement(s).",
            months[0].month,
            months[months.len() - 1].month,
            last[0],
            last[1],
            last[2],
            last[3]
        ),
    );
    s.push_str(r##"<defs><pattern id="nc-minor" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#9a6700"/><rect width="2" height="6" fill="#ffffff"/></pattern><pattern id="nc-observation" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#ffffff"/><circle cx="3" cy="3" r="1.8" fill="#0969da"/></pattern></defs>"##);
    // Legend.
    for (g, (name, (fill, stroke))) in GRADES.iter().zip(FILLS).enumerate() {
        let x = left + g as f64 * 105.0;
        let _ = write!(
            s,
            r##"<rect x="{x:.1}" y="6" width="14" height="14" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/><text x="{:.1}" y="18" fill="#1b1f24">{name}</text>"##,
            x + 19.0
        );
    }
    // Scale.
    for v in [0, max / 2, max] {
        let y = top + plot_h - v as f64 * scale;
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#d0d7de" stroke-dasharray="3 3"/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="11" fill="#57606a">{v}</text>"##,
            w - 10.0,
            left - 6.0,
            y + 4.0
        );
    }
    let label_every = months.len() / 12 + 1;
    for (k, m) in months.iter().enumerate() {
        let x = left + 6.0 + step * k as f64;
        let total: usize = m.open.iter().sum();
        let words: Vec<String> = GRADES
            .iter()
            .zip(m.open)
            .filter(|(_, n)| *n > 0)
            .map(|(g, n)| format!("{n} {g}"))
            .collect();
        let _ = write!(
            s,
            r##"<g><title>{}: {total} open{}{}</title>"##,
            esc(&m.month),
            if words.is_empty() { "" } else { ": " },
            esc(&words.join(", "))
        );
        let mut y = top + plot_h;
        for (n, (fill, stroke)) in m.open.iter().zip(FILLS) {
            if *n == 0 {
                continue;
            }
            let hgt = *n as f64 * scale;
            y -= hgt;
            let _ = write!(
                s,
                r##"<rect x="{x:.1}" y="{y:.1}" width="{bar_w}" height="{hgt:.1}" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>"##
            );
        }
        if total > 0 {
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="#1b1f24">{total}</text>"##,
                x + bar_w / 2.0,
                y - 4.0
            );
        }
        s.push_str("</g>");
        if k % label_every == 0 || k + 1 == months.len() {
            let (lx, ly) = (x + bar_w / 2.0, top + plot_h + 14.0);
            let _ = write!(
                s,
                r##"<text x="{lx:.1}" y="{ly:.1}" font-size="10" fill="#57606a" text-anchor="end" transform="rotate(-45 {lx:.1} {ly:.1})">{}</text>"##,
                esc(&m.month)
            );
        }
    }
    s.push_str("</svg>");
    s
}
