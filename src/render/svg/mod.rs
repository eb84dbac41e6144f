//! Pictures drawn at build time as inline SVG, so they show without
//! JavaScript and print: coverage per clause (home page), the service
//! dependency graph (services matrix), the review calendar (reviews
//! page), implementation progress per clause (`progress`) and each SLA target's measured months (SLA pages). Each is plain Rust producing an SVG string; every text and
//! attribute goes through [`esc`]. Each picture has a `<title>` and
//! `<desc>`, its marks are links to the pages they stand for, and every
//! colour is doubled by a word, so nothing depends on colour alone. The
//! tables beside them stay the text alternative.
//!
//! A new picture is a file of this module (its helpers here, [`esc`],
//! `open`, `cut`, `text_width`, are its own to use): `timeline` (the audit
//! programme), `nonconformities` (open nonconformities per month).

mod nonconformities;
mod timeline;

pub use nonconformities::open_nonconformities;
pub use timeline::audit_timeline;

mod progress;

pub use progress::progress_chart;

mod sla_chart;

pub use sla_chart::{Chart, Mark, sla_chart};

use std::collections::HashMap;
use std::fmt::Write;

use jiff::civil::Date;

use super::matrix::{ClauseRow, ReviewRow, ServiceRow};

/// Escapes text for SVG (XML) content and attribute values.
pub fn esc(s: &str) -> String {
    // XML 1.0 forbids most control characters, even escaped.
    let clean: std::borrow::Cow<str> = if s
        .chars()
        .any(|c| (c as u32) < 0x20 && c != '\t' && c != '\n')
    {
        s.chars()
            .map(|c| {
                if (c as u32) < 0x20 && c != '\t' && c != '\n' {
                    ' '
                } else {
                    c
                }
            })
            .collect::<String>()
            .into()
    } else {
        s.into()
    };
    crate::html::escape(&clean)
}

/// `s` cut to `n` characters, with an ellipsis when cut.
fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Approximate width in pixels of `s` at `px` font size (no font metrics at build time).
fn text_width(s: &str, px: f64) -> f64 {
    s.chars().count() as f64 * px * 0.66
}

fn open(out: &mut String, class: &str, id: &str, w: f64, h: f64, title: &str, desc: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart {class}" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" aria-labelledby="{id}-title {id}-desc" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif" font-size="12"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        esc(title),
        esc(desc)
    );
}

/// Coverage per top-level clause: one bar per clause (or catalogue root), linked to its page.
pub fn coverage_chart(clauses: &[ClauseRow], root: &str) -> String {
    let row = 28.0;
    let label_w = 290.0;
    let bar_w = 300.0;
    let w = label_w + bar_w + 110.0;
    let h = row * clauses.len() as f64 + 30.0;
    let desc = clauses
        .iter()
        .map(|c| format!("{}: {} of {} covered", c.key, c.covered, c.leaves))
        .collect::<Vec<_>>()
        .join("; ");
    let mut s = String::new();
    open(
        &mut s,
        "coverage-chart",
        "coverage-chart",
        w,
        h,
        "Coverage per clause",
        &format!("Leaf requirements covered, per top-level clause. {desc}."),
    );
    // Scale.
    for (p, label) in [(0.0, "0 %"), (0.5, "50 %"), (1.0, "100 %")] {
        let x = label_w + bar_w * p;
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="4" x2="{x:.1}" y2="{:.1}" stroke="#d0d7de" stroke-dasharray="3 3"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#57606a" font-size="11">{label}</text>"##,
            h - 22.0,
            h - 8.0
        );
    }
    for (i, c) in clauses.iter().enumerate() {
        let y = i as f64 * row + 4.0;
        let full = c.covered >= c.leaves;
        let fill = if full { "#1a7f37" } else { "#9a6700" };
        let bw = if c.leaves == 0 {
            bar_w
        } else {
            bar_w * c.covered as f64 / c.leaves as f64
        };
        let _ = write!(
            s,
            r##"<a href="{}{}"><title>{} {}: {} of {} requirements covered</title><text x="0" y="{:.1}" fill="#0b5cad"><tspan font-weight="600">{}</tspan> {}</text><rect x="{label_w}" y="{:.1}" width="{bar_w}" height="16" rx="3" fill="#eaeef2"/><rect x="{label_w}" y="{:.1}" width="{bw:.1}" height="16" rx="3" fill="{fill}"/><text x="{:.1}" y="{:.1}" fill="#1b1f24">{}/{} ({} %){}</text></a>"##,
            esc(root),
            esc(&c.url),
            esc(&c.key),
            esc(&c.title),
            c.covered,
            c.leaves,
            y + 14.0,
            esc(&c.key),
            esc(&cut(
                &c.title,
                ((label_w - 12.0 - text_width(&c.key, 12.0)) / (12.0 * 0.56)).max(4.0) as usize
            )),
            y + 2.0,
            y + 2.0,
            label_w + bar_w + 8.0,
            y + 14.0,
            c.covered,
            c.leaves,
            c.percent,
            if full { "" } else { " gap" },
        );
    }
    s.push_str("</svg>");
    s
}

/// Longest-path layers of a graph given as `deps[i]` = nodes `i` depends on:
/// a node with no dependency is layer 0, any other is one more than its
/// deepest dependency. Edges closing a cycle are ignored.
pub fn layers(deps: &[Vec<usize>]) -> Vec<usize> {
    fn visit(i: usize, deps: &[Vec<usize>], state: &mut [u8], layer: &mut [usize]) -> usize {
        match state[i] {
            2 => return layer[i],
            1 => return 0, // on the stack: a cycle; ignore this edge
            _ => {}
        }
        state[i] = 1;
        let mut l = 0;
        for &d in &deps[i] {
            if d != i && state[d] != 1 {
                l = l.max(visit(d, deps, state, layer) + 1);
            }
        }
        state[i] = 2;
        layer[i] = l;
        l
    }
    let mut state = vec![0u8; deps.len()];
    let mut layer = vec![0usize; deps.len()];
    for i in 0..deps.len() {
        visit(i, deps, &mut state, &mut layer);
    }
    layer
}

/// The service dependency graph: services as linked boxes in longest-path
/// layers (services nothing depends on at the top, foundations at the
/// bottom), an arrow from each service to each service it depends on,
/// criticality and continuity plans written in each box.
pub fn dependency_graph(services: &[ServiceRow], root: &str) -> String {
    let n = services.len();
    let pos: HashMap<&str, usize> = services
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let deps: Vec<Vec<usize>> = services
        .iter()
        .map(|s| {
            let mut v: Vec<usize> = s
                .depends_on
                .iter()
                .filter_map(|d| pos.get(d.id).copied())
                .collect();
            v.sort();
            v.dedup();
            v
        })
        .collect();
    let layer = layers(&deps);
    let top = layer.iter().copied().max().unwrap_or(0);
    // Rows from the top: row r holds layer `top - r`.
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); top + 1];
    for i in 0..n {
        rows[top - layer[i]].push(i);
    }
    // Order each row by the mean position of the services above depending on it.
    let mut x_of = vec![0.0f64; n];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, ds) in deps.iter().enumerate() {
        for &d in ds {
            dependents[d].push(i);
        }
    }
    for row in &mut rows {
        let mut keyed: Vec<(f64, usize)> = row
            .iter()
            .enumerate()
            .map(|(k, &i)| {
                let above: Vec<f64> = dependents[i]
                    .iter()
                    .filter(|&&p| layer[p] > layer[i])
                    .map(|&p| x_of[p])
                    .collect();
                let key = if above.is_empty() {
                    1e9 + k as f64
                } else {
                    above.iter().sum::<f64>() / above.len() as f64
                };
                (key, i)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        *row = keyed.into_iter().map(|(_, i)| i).collect();
        for (k, &i) in row.iter().enumerate() {
            x_of[i] = k as f64;
        }
    }
    let (bw, bh, gx, gy, m) = (210.0, 64.0, 30.0, 70.0, 16.0);
    let widest = rows.iter().map(Vec::len).max().unwrap_or(0).max(1) as f64;
    let w = widest * bw + (widest - 1.0) * gx + 2.0 * m;
    let h = rows.len() as f64 * bh + (rows.len().max(1) - 1) as f64 * gy + 2.0 * m + 22.0;
    let mut at = vec![(0.0f64, 0.0f64); n];
    for (r, row) in rows.iter().enumerate() {
        let rw = row.len() as f64 * bw + (row.len().max(1) - 1) as f64 * gx;
        let x0 = (w - rw) / 2.0;
        for (k, &i) in row.iter().enumerate() {
            at[i] = (x0 + k as f64 * (bw + gx), m + r as f64 * (bh + gy));
        }
    }
    let edges: usize = deps.iter().map(Vec::len).sum();
    let mut s = String::new();
    open(
        &mut s,
        "dependency-graph",
        "dependency-graph",
        w,
        h,
        "Service dependency graph",
        &format!(
            "{n} services and {edges} dependencies. An arrow goes from a service to a service it depends on; services nothing depends on are at the top. Each box names the service's criticality and continuity plans."
        ),
    );
    s.push_str(r##"<defs><marker id="dep-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#57606a"/></marker></defs>"##);
    // Spread the ends of the arrows along the boxes' edges, ordered by the
    // other end's position, so arrows into one box stay apart.
    let port = |list: &[usize], me: usize| -> f64 {
        let k = list.iter().position(|&x| x == me).unwrap_or(0) as f64;
        let n = list.len() as f64;
        bw / 2.0 + (k - (n - 1.0) / 2.0) * (bw * 0.7 / n.max(1.0)).min(24.0)
    };
    let mut outs: Vec<Vec<usize>> = deps.clone();
    for o in &mut outs {
        o.sort_by(|a, b| at[*a].0.total_cmp(&at[*b].0));
    }
    let mut ins: Vec<Vec<usize>> = dependents.clone();
    for v in &mut ins {
        v.sort_by(|a, b| at[*a].0.total_cmp(&at[*b].0));
    }
    for (i, ds) in deps.iter().enumerate() {
        for &d in ds {
            let (x1, y1) = (at[i].0 + port(&outs[i], d), at[i].1 + bh);
            let (x2, y2) = (at[d].0 + port(&ins[d], i), at[d].1);
            let (y1, y2) = if y2 > y1 {
                (y1, y2)
            } else {
                (at[i].1, at[d].1 + bh)
            };
            let my = (y1 + y2) / 2.0;
            let _ = write!(
                s,
                r##"<path d="M{x1:.1} {y1:.1}C{x1:.1} {my:.1} {x2:.1} {my:.1} {x2:.1} {y2:.1}" fill="none" stroke="#57606a" stroke-width="1.5" marker-end="url(#dep-arrow)"><title>{} depends on {}</title></path>"##,
                esc(&services[i].id),
                esc(&services[d].id)
            );
        }
    }
    for (i, sv) in services.iter().enumerate() {
        let (x, y) = at[i];
        let (stroke, sw) = match sv.criticality.as_str() {
            "critical" => ("#cf222e", 3.0),
            "high" => ("#9a6700", 2.5),
            _ => ("#57606a", 1.0),
        };
        let plans = if sv.continuity_plans.is_empty() {
            if sv.plan_missing {
                "No continuity plan".to_string()
            } else {
                "Continuity plan: none needed".to_string()
            }
        } else {
            format!(
                "Plan: {}",
                sv.continuity_plans
                    .iter()
                    .map(|p| p.id)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let plan_fill = if sv.plan_missing {
            "#cf222e"
        } else {
            "#57606a"
        };
        let crit = if sv.criticality.is_empty() {
            "criticality not set".to_string()
        } else {
            sv.criticality.clone()
        };
        let _ = write!(
            s,
            r##"<a href="{}{}" class="node crit-{}"><title>{} {} ({}); {}</title><rect x="{x:.1}" y="{y:.1}" width="{bw}" height="{bh}" rx="6" fill="#ffffff" stroke="{stroke}" stroke-width="{sw}"/><text x="{:.1}" y="{:.1}" font-weight="700" fill="#0b5cad">{}</text><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="11" fill="{stroke}" font-weight="600">{}</text><text x="{:.1}" y="{:.1}" fill="#1b1f24">{}</text><text x="{:.1}" y="{:.1}" font-size="11" fill="{plan_fill}">{}</text></a>"##,
            esc(root),
            esc(&sv.url),
            esc(&sv.criticality),
            esc(&sv.id),
            esc(&sv.title),
            esc(&crit),
            esc(&plans),
            x + 8.0,
            y + 17.0,
            esc(&cut(&sv.id, 18)),
            x + bw - 8.0,
            y + 17.0,
            esc(&sv.criticality),
            x + 8.0,
            y + 36.0,
            esc(&cut(&sv.title, 27)),
            x + 8.0,
            y + 54.0,
            esc(&cut(&plans, 34)),
        );
    }
    let _ = write!(
        s,
        r##"<text x="{m}" y="{:.1}" font-size="11" fill="#57606a">Border: red = critical, amber = high. Arrow: depends on.</text>"##,
        h - 8.0
    );
    s.push_str("</svg>");
    s
}

/// The review calendar: documents overdue for review and those due in each
/// of the next 13 weeks (91 days from `today`), as linked chips.
pub fn review_calendar(reviews: &[ReviewRow], today: Date, root: &str) -> String {
    const WEEKS: i64 = 13;
    let mut rows: Vec<(String, bool, Vec<&ReviewRow>)> = Vec::new();
    rows.push((
        "Overdue".into(),
        true,
        reviews.iter().filter(|r| r.days < 0).collect(),
    ));
    for wk in 0..WEEKS {
        let start = today
            .checked_add(jiff::Span::new().days(wk * 7))
            .unwrap_or(today);
        rows.push((
            format!("Week of {start}"),
            false,
            reviews
                .iter()
                .filter(|r| r.days >= wk * 7 && r.days < (wk + 1) * 7 && r.days <= 90)
                .collect(),
        ));
    }
    let (label_w, area_w, chip_h, gap) = (175.0, 650.0, 20.0, 6.0);
    let w = label_w + area_w;
    // Lay out chips, wrapping within each row.
    struct Chip<'a> {
        r: &'a ReviewRow<'a>,
        x: f64,
        y: f64,
        w: f64,
        overdue: bool,
    }
    let mut chips = Vec::new();
    let mut bands = Vec::new();
    let mut y = 4.0;
    for (label, overdue, list) in &rows {
        let top = y;
        let mut x = label_w;
        let mut lines = 1.0;
        for r in list {
            let cw = text_width(r.id, 12.0) + 14.0;
            if x + cw > w && x > label_w {
                x = label_w;
                lines += 1.0;
            }
            chips.push(Chip {
                r,
                x,
                y: top + 4.0 + (lines - 1.0) * (chip_h + gap),
                w: cw,
                overdue: *overdue,
            });
            x += cw + gap;
        }
        let hgt = lines * (chip_h + gap) + 6.0;
        bands.push((label.clone(), *overdue, list.len(), top, hgt));
        y += hgt;
    }
    let h = y + 4.0;
    let due = reviews
        .iter()
        .filter(|r| (0..=90).contains(&r.days))
        .count();
    let overdue = reviews.iter().filter(|r| r.days < 0).count();
    let mut s = String::new();
    open(
        &mut s,
        "review-calendar",
        "review-calendar",
        w,
        h,
        "Review calendar",
        &format!(
            "As of {today}: {overdue} document(s) overdue for review and {due} due in the next 90 days, by week."
        ),
    );
    for (k, (label, od, count, top, hgt)) in bands.iter().enumerate() {
        let bg = if *od {
            "#ffebe9"
        } else if k % 2 == 0 {
            "#f6f8fa"
        } else {
            "#ffffff"
        };
        let _ = write!(
            s,
            r##"<rect x="0" y="{top:.1}" width="{w}" height="{hgt:.1}" fill="{bg}"/><text x="6" y="{:.1}" font-size="11" fill="{}" font-weight="{}">{} ({count})</text>"##,
            top + 18.0,
            if *od { "#cf222e" } else { "#1b1f24" },
            if *od { "700" } else { "400" },
            esc(label)
        );
    }
    for c in &chips {
        let (fill, stroke, fg) = if c.overdue {
            ("#cf222e", "#cf222e", "#ffffff")
        } else {
            ("#ffffff", "#9a6700", "#1b1f24")
        };
        let _ = write!(
            s,
            r##"<a href="{}{}"><title>{} {}: review by {} ({})</title><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{chip_h}" rx="10" fill="{fill}" stroke="{stroke}"/><text x="{:.1}" y="{:.1}" fill="{fg}">{}</text></a>"##,
            esc(root),
            esc(&c.r.url),
            esc(c.r.id),
            esc(c.r.title),
            esc(&c.r.review_by),
            if c.r.days < 0 {
                format!("{} days overdue", -c.r.days)
            } else {
                format!("in {} days", c.r.days)
            },
            c.x,
            c.y,
            c.w,
            c.x + 7.0,
            c.y + 14.5,
            esc(c.r.id)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(esc(r#"<a&"'>"#), "&lt;a&amp;&quot;&#39;&gt;");
    }

    #[test]
    fn longest_path_layers() {
        // 0 -> 1 -> 2, 0 -> 2, 3 alone, 4 <-> 5 (a cycle)
        let deps = vec![vec![1, 2], vec![2], vec![], vec![], vec![5], vec![4]];
        let l = layers(&deps);
        assert_eq!(&l[..4], &[2, 1, 0, 0]);
        assert!(l[4] <= 1 && l[5] <= 1);
    }
}
