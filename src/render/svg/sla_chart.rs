//! An SLA target's chart: its last measured months as marks on a line,
//! the target as a labelled dashed line, the side of the target that
//! misses it lightly shaded and labelled. Each mark's shape says how the
//! month went (a circle met, a cross missed, a diamond explained), its
//! colour says it again, and the word is written under a missed or
//! explained month, so the chart reads in greyscale and in print (the
//! page gives the key to the shapes once, above its charts). An explained
//! miss links to the document that explains it, with a `<title>` naming it.

use std::fmt::Write;

use super::{esc, open};
use crate::measure::{Better, Month, State};

/// One month of the chart.
pub struct Mark<'a> {
    pub month: Month,
    pub value: f64,
    /// The value as written in its row.
    pub text: &'a str,
    pub state: State,
    /// The explaining document's id and its link (relative to the page).
    pub explained_by: Option<(&'a str, Option<String>)>,
}

/// What the chart is of.
pub struct Chart<'a> {
    /// Unique on its page: the prefix of the chart's element ids.
    pub id: &'a str,
    pub sla: &'a str,
    pub metric: &'a str,
    pub target: f64,
    pub better: Better,
    pub unit: Option<&'a str>,
    /// Oldest first.
    pub marks: &'a [Mark<'a>],
}

// The layout, in whole pixels (shorter to write, and no finer than a
// screen shows).
const W: i32 = 680;
const H: i32 = 226;
const LEFT: i32 = 64;
const RIGHT: i32 = 130;
const TOP: i32 = 22;
const PLOT_H: i32 = 150;
const PLOT_W: i32 = W - LEFT - RIGHT;
const MET: &str = "#1a7f37";
const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MISSED: &str = "#cf222e";
const EXPLAINED: &str = "#9a6700";

/// `v` with the unit: `99.71 %`, `12 min`.
fn with_unit(v: f64, unit: Option<&str>) -> String {
    match unit {
        Some(u) if !u.is_empty() => format!("{v} {u}"),
        _ => v.to_string(),
    }
}

/// The chart as inline SVG.
pub fn sla_chart(c: &Chart) -> String {
    let unit = c.unit;
    let (lo, hi) = scale(c);
    let n = c.marks.len().max(1) as f64;
    let x = |k: usize| (f64::from(LEFT) + (k as f64 + 0.5) * f64::from(PLOT_W) / n).round() as i32;
    let y = |v: f64| {
        let t = (v - lo) / (hi - lo);
        (f64::from(TOP + PLOT_H) - t * f64::from(PLOT_H)).round() as i32
    };
    let mut s = String::with_capacity(4096);
    open(
        &mut s,
        "sla-chart",
        c.id,
        f64::from(W),
        f64::from(H),
        &format!(
            "{} {}: the last {} measured month{}",
            c.sla,
            c.metric,
            c.marks.len(),
            if c.marks.len() == 1 { "" } else { "s" }
        ),
        &describe(c),
    );
    // The side of the target that misses it, and the target line.
    let ty = y(c.target);
    let (band_y, band_h) = match c.better {
        Better::Higher => (ty, TOP + PLOT_H - ty),
        Better::Lower => (TOP, ty - TOP),
    };
    let _ = write!(
        s,
        r##"<rect x="{LEFT}" y="{band_y}" width="{PLOT_W}" height="{}" fill="#cf222e" fill-opacity="0.06"/>"##,
        band_h.max(0)
    );
    axes(&mut s, lo, hi, &y, unit);
    let side = match c.better {
        Better::Higher => "below: missed",
        Better::Lower => "above: missed",
    };
    let _ = write!(
        s,
        r##"<g class="target-line"><line x1="{LEFT}" y1="{ty}" x2="{}" y2="{ty}" stroke="#1b1f24" stroke-width="1.5" stroke-dasharray="6 4"/><text x="{}" y="{}" font-weight="600" fill="#1b1f24">target {}</text><text x="{}" y="{}" font-size="11" fill="#57606a">{side}</text></g>"##,
        LEFT + PLOT_W,
        LEFT + PLOT_W + 8,
        ty + 4,
        esc(&with_unit(c.target, unit)),
        LEFT + PLOT_W + 8,
        ty + 18,
    );
    // The line through the months, then each month's mark and labels.
    if c.marks.len() > 1 {
        s.push_str("<polyline points=\"");
        for (k, m) in c.marks.iter().enumerate() {
            let _ = write!(
                s,
                "{}{},{}",
                if k == 0 { "" } else { " " },
                x(k),
                y(m.value)
            );
        }
        s.push_str(r##"" fill="none" stroke="#57606a" stroke-width="1.5"/>"##);
    }
    // The marks' and labels' common attributes are their groups'.
    s.push_str(r##"<g font-size="10" text-anchor="middle" fill="#1b1f24">"##);
    for (k, m) in c.marks.iter().enumerate() {
        mark(&mut s, c, m, x(k), y(m.value));
    }
    // Each month by its name, the year under the first and each January
    // (twelve `YYYY-MM` would not fit side by side).
    let base = TOP + PLOT_H + 16;
    s.push_str(r##"</g><g font-size="10" text-anchor="middle" fill="#57606a">"##);
    for (k, m) in c.marks.iter().enumerate() {
        let name = MONTH_NAMES.get(usize::from(m.month.month).saturating_sub(1));
        let _ = write!(
            s,
            r#"<text x="{}" y="{base}">{}</text>"#,
            x(k),
            name.unwrap_or(&"")
        );
        if k == 0 || m.month.month == 1 {
            let _ = write!(
                s,
                r#"<text x="{}" y="{}">{}</text>"#,
                x(k),
                base + 12,
                m.month.year
            );
        }
    }
    s.push_str(r#"</g><g font-size="10" text-anchor="middle" font-weight="700">"#);
    for (k, m) in c.marks.iter().enumerate() {
        let fill = match m.state {
            State::Missed => MISSED,
            State::Explained => EXPLAINED,
            _ => continue,
        };
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" fill="{fill}">{}</text>"#,
            x(k),
            base + 25,
            m.state.as_str()
        );
    }
    s.push_str("</g></svg>");
    s
}

/// The value range shown: the values and the target, with room around.
fn scale(c: &Chart) -> (f64, f64) {
    let values = c.marks.iter().map(|m| m.value).chain([c.target]);
    let lo = values.clone().fold(f64::INFINITY, f64::min);
    let hi = values.fold(f64::NEG_INFINITY, f64::max);
    let pad = match hi - lo {
        d if d > 0.0 => d * 0.15,
        _ => (hi.abs() * 0.01).max(1.0),
    };
    (lo - pad, hi + pad)
}

/// The value axis: a label at each end and at the middle, with guides.
fn axes(s: &mut String, lo: f64, hi: f64, y: &dyn Fn(f64) -> i32, unit: Option<&str>) {
    let digits = if hi - lo < 1.0 {
        3
    } else if hi - lo < 10.0 {
        2
    } else {
        1
    };
    for v in [lo, (lo + hi) / 2.0, hi] {
        let text = format!("{v:.digits$}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" y1="{yy}" x2="{}" y2="{yy}" stroke="#d0d7de" stroke-dasharray="2 3"/><text x="{}" y="{}" text-anchor="end" font-size="11" fill="#57606a">{}</text>"##,
            W - RIGHT,
            LEFT - 6,
            y(v) + 4,
            esc(text),
            yy = y(v),
        );
    }
    if let Some(u) = unit.filter(|u| !u.is_empty()) {
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#57606a">({})</text>"##,
            LEFT - 6,
            TOP - 4,
            esc(u)
        );
    }
}

/// One month: its shape at its value and the value above it (the month
/// and, when missed or explained, the word are written below the axis).
/// An explained one links to its explanation, with a title saying which.
fn mark(s: &mut String, c: &Chart, m: &Mark, x: i32, y: i32) {
    let word = m.state.as_str();
    let link = m
        .explained_by
        .as_ref()
        .and_then(|(id, url)| Some((*id, url.as_deref()?)));
    if let Some((id, url)) = link {
        let title = format!(
            "{}: {}, {word} (target {}), explained by {id}",
            m.month,
            with_unit(m.value, c.unit),
            with_unit(c.target, c.unit)
        );
        let _ = write!(
            s,
            r#"<a href="{}"><title>{}</title>"#,
            esc(url),
            esc(&title)
        );
    }
    let _ = write!(s, r#"<g class="mark mark-{word}">"#);
    match m.state {
        State::Met => {
            let _ = write!(s, r#"<circle cx="{x}" cy="{y}" r="5" fill="{MET}"/>"#);
        }
        State::Missed => {
            let _ = write!(
                s,
                r#"<path d="M{} {}l12 12m0 -12l-12 12" stroke="{MISSED}" stroke-width="3.5" stroke-linecap="round"/>"#,
                x - 6,
                y - 6
            );
        }
        _ => {
            let _ = write!(
                s,
                r#"<path d="M{x} {}l7 7l-7 7l-7 -7z" fill="{EXPLAINED}"/>"#,
                y - 7
            );
        }
    }
    let _ = write!(
        s,
        r#"<text x="{x}" y="{}">{}</text></g>"#,
        (y - 10).max(TOP - 4),
        esc(m.text)
    );
    if link.is_some() {
        s.push_str("</a>");
    }
}

/// The chart in words, for `<desc>` (the table beside the chart lists
/// each month).
fn describe(c: &Chart) -> String {
    let count = |st: State| c.marks.iter().filter(|m| m.state == st).count();
    let (missed, explained) = (count(State::Missed), count(State::Explained));
    let months = |st: State| -> String {
        let list: Vec<String> = c
            .marks
            .iter()
            .filter(|m| m.state == st)
            .map(|m| format!("{} ({})", m.month, with_unit(m.value, c.unit)))
            .collect();
        list.join(", ")
    };
    let mut d = format!(
        "Target {} ({} is better). {} month{} from {} to {}: {} met",
        with_unit(c.target, c.unit),
        c.better.as_str(),
        c.marks.len(),
        if c.marks.len() == 1 { "" } else { "s" },
        c.marks
            .first()
            .map(|m| m.month.to_string())
            .unwrap_or_default(),
        c.marks
            .last()
            .map(|m| m.month.to_string())
            .unwrap_or_default(),
        count(State::Met)
    );
    if missed > 0 {
        d.push_str(&format!("; missed: {}", months(State::Missed)));
    }
    if explained > 0 {
        d.push_str(&format!(
            "; missed and explained: {}",
            months(State::Explained)
        ));
    }
    d.push('.');
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(month: u32, text: &'static str, state: State) -> Mark<'static> {
        Mark {
            month: Month::new(2026, month).unwrap_or(Month {
                year: 2026,
                month: 1,
            }),
            value: text.parse().unwrap_or(0.0),
            text,
            state,
            explained_by: None,
        }
    }

    #[test]
    fn shapes_words_links_and_text() {
        let mut explained = mark(3, "99.50", State::Explained);
        explained.explained_by = Some(("INC-7", Some("../doc/INC-7.html".into())));
        let marks = [
            mark(1, "99.95", State::Met),
            mark(2, "99.71", State::Missed),
            explained,
        ];
        let svg = sla_chart(&Chart {
            id: "chart-availability",
            sla: "SLA-A",
            metric: "availability",
            target: 99.9,
            better: Better::Higher,
            unit: Some("%"),
            marks: &marks,
        });
        let has = |part: &str| assert!(svg.contains(part), "{part} in {svg}");
        has(
            "<title id=\"chart-availability-title\">SLA-A availability: the last 3 measured months</title>",
        );
        has(
            "3 months from 2026-01 to 2026-03: 1 met; missed: 2026-02 (99.71 %); missed and explained: 2026-03 (99.5 %).",
        );
        assert_eq!(svg.matches("<circle").count(), 1, "the met mark");
        has(r#"<g class="mark mark-missed"><path"#);
        has(
            r#"<a href="../doc/INC-7.html"><title>2026-03: 99.5 %, explained (target 99.9 %), explained by INC-7</title><g class="mark mark-explained">"#,
        );
        has(">missed</text>");
        has(">explained</text>");
        has(">99.50</text>");
        has("target 99.9 %");
        has("below: missed");
    }

    #[test]
    fn one_flat_month_still_has_a_scale() {
        let marks = [mark(1, "15", State::Met)];
        let svg = sla_chart(&Chart {
            id: "c",
            sla: "SLA-A",
            metric: "P1 <response>",
            target: 15.0,
            better: Better::Lower,
            unit: None,
            marks: &marks,
        });
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        assert!(svg.contains("P1 &lt;response&gt;"));
        assert!(svg.contains("above: missed"));
    }
}
