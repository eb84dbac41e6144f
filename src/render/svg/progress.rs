//! Implementation progress per clause (progress page): one stacked bar
//! per top-level clause, its applicable leaf requirements split into
//! approved evidence, in review, draft only and nothing yet. Each stage
//! has its own fill *and* texture (solid, hatched, dotted, empty) and the
//! counts are written beside each bar, so nothing depends on colour.

use std::fmt::Write;

use super::{cut, esc, open};
use crate::render::progress::{ClauseProgress, Stage};

/// (fill, stroke, text colour on the fill) of each stage.
fn paint(s: Stage) -> (&'static str, &'static str) {
    match s {
        Stage::Approved => ("#1a7f37", "#1a7f37"),
        Stage::InReview => ("url(#progress-hatch)", "#9a6700"),
        Stage::DraftOnly => ("url(#progress-dots)", "#9a6700"),
        Stage::Nothing => ("#ffffff", "#57606a"),
    }
}

/// The chart; bars link to the clauses' pages.
pub fn progress_chart(clauses: &[ClauseProgress], root: &str) -> String {
    let (row, label_w, bar_w, note_w) = (30.0, 240.0, 280.0, 300.0);
    let w = label_w + bar_w + note_w;
    let legend_h = 28.0;
    let h = row * clauses.len() as f64 + legend_h + 8.0;
    let desc: Vec<String> = clauses
        .iter()
        .map(|c| {
            format!(
                "{}: {} of {} approved, {} in review, {} draft only, {} nothing yet",
                c.key,
                c.counts.approved,
                c.counts.total,
                c.counts.in_review,
                c.counts.draft_only,
                c.counts.nothing
            )
        })
        .collect();
    let mut s = String::new();
    open(
        &mut s,
        "progress-chart",
        "progress-chart",
        w,
        h,
        "Implementation progress per clause",
        &format!(
            "Applicable leaf requirements per top-level clause, by how far their evidence has come. {}.",
            desc.join("; ")
        ),
    );
    s.push_str(r##"<defs><pattern id="progress-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff8c5"/><line x1="0" y1="0" x2="0" y2="6" stroke="#9a6700" stroke-width="3"/></pattern><pattern id="progress-dots" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#ffffff"/><circle cx="3" cy="3" r="1.3" fill="#9a6700"/></pattern></defs>"##);
    // Legend: a swatch and a word per stage.
    let mut x = 0.0;
    for st in Stage::ALL {
        let (fill, stroke) = paint(st);
        let _ = write!(
            s,
            r##"<rect x="{x:.1}" y="4" width="16" height="14" fill="{fill}" stroke="{stroke}"/><text x="{:.1}" y="16" fill="#1b1f24">{}</text>"##,
            x + 22.0,
            esc(st.label())
        );
        x += 40.0 + super::text_width(st.label(), 12.0) * 0.85;
    }
    for (i, c) in clauses.iter().enumerate() {
        let y = legend_h + i as f64 * row;
        let _ = write!(
            s,
            r##"<a href="{}{}"><title>{} {}: {} of {} requirements with approved evidence</title><text x="0" y="{:.1}" fill="#0b5cad"><tspan font-weight="600">{}</tspan> {}</text>"##,
            esc(root),
            esc(&c.url),
            esc(&c.key),
            esc(&c.title),
            c.counts.approved,
            c.counts.total,
            y + 15.0,
            esc(&c.key),
            esc(&cut(
                &c.title,
                ((label_w - 14.0 - super::text_width(&c.key, 12.0)) / (12.0 * 0.56)).max(4.0)
                    as usize
            )),
        );
        let mut bx = label_w;
        for st in Stage::ALL {
            let n = c.counts.get(st);
            if n == 0 || c.counts.total == 0 {
                continue;
            }
            let bw = bar_w * n as f64 / c.counts.total as f64;
            let (fill, stroke) = paint(st);
            let _ = write!(
                s,
                r##"<rect x="{bx:.1}" y="{:.1}" width="{bw:.1}" height="18" fill="{fill}" stroke="{stroke}" class="stage-{}"/>"##,
                y + 2.0,
                st.class()
            );
            bx += bw;
        }
        if c.counts.total == 0 {
            let _ = write!(
                s,
                r##"<rect x="{label_w}" y="{:.1}" width="{bar_w}" height="18" fill="#ffffff" stroke="#d0d7de" stroke-dasharray="3 3"/>"##,
                y + 2.0
            );
        }
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" fill="#1b1f24">{}/{} approved, {} in review, {} draft, {} none</text></a>"##,
            label_w + bar_w + 8.0,
            y + 15.0,
            c.counts.approved,
            c.counts.total,
            c.counts.in_review,
            c.counts.draft_only,
            c.counts.nothing,
        );
    }
    s.push_str("</svg>");
    s
}
