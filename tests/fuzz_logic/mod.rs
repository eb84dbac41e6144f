//! What each fuzz target checks, shared by the fuzz targets (`fuzz/`,
//! which include this file) and `tests/fuzz_regressions.rs` (which replays
//! every input kept in `tests/fixtures/fuzz/<target>/`).
#![allow(dead_code)]

use std::borrow::Cow;
use std::collections::BTreeSet;

use smsite::diag::Pos;
use smsite::yaml::YamlIndex;
use smsite::{catalogue, config, config::Config, load, markdown, model, resolve, yaml};

/// Front-matter splitting and parsing (`load::parse_file`) and typing the
/// result (`model::build`); the first byte picks `.md` or `.yaml`.
pub fn front_matter(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if let Ok(split) = load::split_front_matter(text) {
        // The body's line number is the file line it starts on.
        let body_start = text.len() - split.body.len();
        if text[..body_start].ends_with('\n') {
            assert_eq!(
                split.body_line,
                text[..body_start].matches('\n').count() + 1
            );
        }
    }
    let rel = if which & 1 == 0 {
        "docs/a.md"
    } else {
        "docs/a.yaml"
    };
    let cfg = Config::default();
    let profile = cfg.profile();
    if let Ok(parsed) = load::parse_file(rel, text) {
        let doc = model::build(parsed, &profile);
        for p in &doc.problems {
            assert!(p.pos.line >= 1 && p.pos.column >= 1);
        }
        let _ = smsite::address::doc(&doc.id);
    }
}

struct Links;
impl markdown::Links for Links {
    fn wiki(&self, target: &str) -> Result<(Cow<'_, str>, Cow<'_, str>), String> {
        if target.len().is_multiple_of(2) {
            Ok((
                format!("../doc/{target}.html").into(),
                format!("<{target}>").into(),
            ))
        } else {
            Err(format!("no document has id `{target}`"))
        }
    }
    fn link(&self, dest: &str) -> Result<Cow<'_, str>, String> {
        if dest.len().is_multiple_of(3) {
            Err("no such file".into())
        } else {
            Ok(format!("../doc/{dest}").into())
        }
    }
}

/// The Markdown and reference pipeline: `markdown::scan`, `markdown::to_html`,
/// `markdown::compile` (whose filled holes must give `to_html`'s HTML)
/// and a document built (`model::build`) and resolved around the body.
pub fn markdown(data: &[u8]) {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let scan = markdown::scan(body);
    // Anchors on one page are unique.
    let slugs: BTreeSet<&str> = scan.headings.iter().map(|h| h.slug.as_str()).collect();
    assert_eq!(
        slugs.len(),
        scan.headings.len(),
        "duplicate heading anchors"
    );
    let html = markdown::to_html(body, &Links);
    assert!(html.len() <= 64 * body.len() + 4096, "HTML blew up");
    // The body read once at load, its holes filled: the same HTML.
    let (scan_once, compiled) = markdown::compile(body);
    assert_eq!(compiled.fill(body, &scan_once, &Links), html);
    // With variables: the same, and each unknown placeholder inside the body.
    let vars = std::sync::Arc::new(markdown::Variables::from([
        ("x".to_string(), "<X & *x*>".to_string()),
        ("a_b".to_string(), "{{x}}".to_string()),
    ]));
    let (scan_vars, compiled) = markdown::compile_with(body, Some(&vars));
    assert_eq!(
        compiled.fill(body, &scan_vars, &Links),
        markdown::to_html_with(body, &Links, Some(&vars))
    );
    for v in &scan_vars.unknown_vars {
        assert!(v.offset + v.len <= body.len(), "{v:?}");
        assert!(body.is_char_boundary(v.offset), "{v:?}");
    }
    let map = model::BodyMap::new(5, 0, None);
    for off in scan
        .refs
        .iter()
        .map(|r| r.offset)
        .chain(scan.links.iter().map(|l| l.offset))
        .chain(scan.unclosed.iter().copied())
        .chain(scan.cut_by_cell.iter().copied())
    {
        assert!(off <= body.len());
        let p = map.pos(body, off);
        assert!(p.line >= 5 && p.line <= 5 + body.matches('\n').count());
    }
    // The same body as a document, resolved against a second one.
    let cfg = Config::default();
    let profile = cfg.profile();
    let text = format!("---\nid: POL-A\ntitle: A\nkind: policy\n---\n{body}");
    let other = "---\nid: POL-B\ntitle: B\nkind: policy\n---\n# Heading\n";
    let docs: Vec<model::Document> = [("a.md", text.as_str()), ("b.md", other)]
        .iter()
        .filter_map(|(rel, t)| load::parse_file(rel, t).ok())
        .map(|p| model::build(p, &profile))
        .collect();
    let files: BTreeSet<String> = ["a.md".to_string(), "b.md".to_string()].into();
    let cats = catalogue::Catalogues::default();
    let _ = resolve::resolve(&docs, &cats, &cfg, &files);
}

/// YAML: `sms.yaml` (`config::parse`), catalogue files (`catalogue::load`),
/// records (`yaml::parse_yaml`) and source positions (`yaml::pos`).
pub fn yaml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.lines().count().max(1);
    let within = |p: Pos| p.line >= 1 && p.line <= lines + 1;
    let (cfg, findings) = config::parse(text);
    for f in &findings {
        assert!(f.line >= 1 && f.line <= lines + 1, "{f:?}");
    }
    let _ = cfg.profile();
    let refs = vec![config::CatalogueRef {
        name: "requirements/x.yaml".into(),
        pos: Pos::START,
    }];
    let (cats, _) = catalogue::load(&refs, &|_| Ok(text.to_string()));
    for q in 0..cats.reqs.len() {
        let _ = cats.leaves(q);
    }
    let _ = yaml::parse_yaml(text);
    // Whatever the fast reader of flat YAML takes, yaml_serde reads the same.
    if let Some(fast) = smsite::yaml::flat::parse(text) {
        let slow: Result<yaml_serde::Mapping, _> = yaml_serde::from_str(text);
        assert!(slow.is_ok(), "{text:?}: read, but yaml_serde says {slow:?}");
        let slow = slow.unwrap_or_default();
        assert_eq!(fast, slow, "{text:?}");
        assert!(fast.keys().eq(slow.keys()), "{text:?}");
    }
    let ix = YamlIndex::new(text, 1);
    for key in text
        .lines()
        .filter_map(|l| {
            l.split_once(':')
                .map(|(k, _)| k.trim_start_matches(['-', ' ']))
        })
        .take(20)
    {
        for p in [
            ix.key(key),
            ix.item(key, 0, Some("x")),
            ix.item(key, 1, None),
            ix.value_in(key, "x"),
            ix.sub_key(key, "a"),
            ix.duplicate_key(1, key),
        ]
        .into_iter()
        .flatten()
        {
            assert!(within(p), "{key}: {p:?}");
        }
        let _ = ix.sub_keys(key);
        let _ = ix.raw_scalar(key);
        let _ = ix.block_scalar(key);
        // Items in block or flow style, and the lists nested in them.
        let mut items = ix.items(key);
        for _ in 0..3 {
            let mut next = Vec::new();
            for it in items.iter().take(20) {
                for p in [Some(ix.item_start(it)), ix.item_key(it, "id")]
                    .into_iter()
                    .flatten()
                {
                    assert!(within(p), "{key}: {p:?}");
                }
                next.extend(ix.sub_items(it, "children"));
            }
            items = next;
        }
    }
    // Every requirement of the catalogue sits inside the text.
    for r in &cats.reqs {
        assert!(within(r.pos), "{}: {:?}", r.key, r.pos);
    }
}

/// Measurements: a CSV file through `measure::read`, then `measure::check`
/// against SLAs made from its own rows. Every place is inside the input;
/// every row that is not a measurement has a finding on its lines; a file
/// read without findings has the rows and cells the `csv` crate reads.
pub fn measurements(data: &[u8]) {
    use smsite::measure;
    let (sheet, findings) = measure::read("m.csv", data);
    let lines = line_lengths(data);
    let inside = |line: usize, column: usize| {
        line >= 1 && column >= 1 && lines.get(line - 1).is_some_and(|n| column <= n + 1)
    };
    for f in &findings {
        assert!(inside(f.line, f.column), "{f:?} outside {lines:?}");
    }
    for row in &sheet.rows {
        let cells = [&row.period, &row.sla, &row.metric, &row.value];
        let extra = [&row.explained_by, &row.note];
        let mut last = row.line;
        for c in cells.into_iter().chain(extra.into_iter().flatten()) {
            let p = c.pos();
            assert!(inside(p.line, p.column), "{c:?} outside {lines:?}");
            last = last.max(p.line + sheet.text(c).matches('\n').count());
        }
        if !row.is_measurement() {
            assert!(
                findings.iter().any(|f| (row.line..=last).contains(&f.line)),
                "{row:?} is not a measurement and has no finding"
            );
        }
    }
    if findings.is_empty() {
        same_as_csv_crate(data, &sheet);
    }
    check_measurements(sheet, &inside);
}

/// Characters per line (split at `\n`, a first-line byte-order mark not
/// counted; for bytes that are not UTF-8, the bytes that start a character).
fn line_lengths(data: &[u8]) -> Vec<usize> {
    let data = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    data.split(|b| *b == b'\n')
        .map(|l| l.iter().filter(|b| (**b & 0xC0) != 0x80).count())
        .collect()
}

/// A file read without findings: the rows are the `csv` crate's records
/// after the header (blank ones left out), with the same cells.
fn same_as_csv_crate(data: &[u8], sheet: &smsite::measure::Sheet) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(data);
    let records: Vec<csv::ByteRecord> = reader
        .byte_records()
        .map(|r| r.expect("csv reads it"))
        .collect();
    let text = |f: &[u8]| String::from_utf8_lossy(f).trim().to_string();
    let Some((header, records)) = records.split_first() else {
        panic!("no header, yet no finding");
    };
    let names: Vec<String> = header.iter().map(text).collect();
    let col = |name: &str| {
        names
            .iter()
            .position(|n| n == name)
            .expect("a required column")
    };
    let records: Vec<&csv::ByteRecord> = records
        .iter()
        .filter(|r| !r.iter().all(|f| text(f).is_empty()))
        .collect();
    assert_eq!(records.len(), sheet.rows.len(), "{records:?} {sheet:?}");
    for (r, row) in records.iter().zip(&sheet.rows) {
        let got = [&row.period, &row.sla, &row.metric, &row.value].map(|c| sheet.text(c));
        for (name, got) in ["period", "sla", "metric", "value"].iter().zip(got) {
            assert_eq!(text(&r[col(name)]), got, "{name} of {r:?}");
        }
    }
}

/// Checks a sheet's rows against SLAs made from their own `sla` and
/// `metric` cells (up to 8 SLAs of 4 targets: better higher, lower, none,
/// a text target): every finding is in the file or at a target's place in
/// its SLA; series are in month order, without duplicates, with
/// consistent states.
fn check_measurements(sheet: smsite::measure::Sheet, inside: &dyn Fn(usize, usize) -> bool) {
    use smsite::measure::{self, Better, Goal, Month, SlaTargets, State, Target};
    let mut slas: Vec<SlaTargets> = Vec::new();
    for row in &sheet.rows {
        let (id, metric) = (sheet.text(&row.sla), sheet.text(&row.metric));
        let i = match slas.iter().position(|s| s.id == id) {
            Some(i) => i,
            None if slas.len() < 8 => {
                slas.push(SlaTargets {
                    id: id.to_string(),
                    file: "sla.md".into(),
                    targets: vec![],
                });
                slas.len() - 1
            }
            None => continue,
        };
        let targets = &mut slas[i].targets;
        if targets.len() < 4 && !targets.iter().any(|t| t.metric == metric) {
            let n = targets.len();
            targets.push(Target {
                metric: metric.to_string(),
                target: if n == 3 {
                    Goal::Text("24x7".into())
                } else {
                    Goal::Number(50.0)
                },
                unit: None,
                better: [
                    Some(Better::Higher),
                    Some(Better::Lower),
                    None,
                    Some(Better::Higher),
                ][n],
                metric_pos: Pos::new(n + 1, 3),
            });
        }
    }
    let ids: BTreeSet<String> = ["INC-1".to_string()].into();
    let build = Month::new(2026, 6).expect("a month");
    let file = sheet.file.to_string();
    let report = measure::check(vec![sheet], &slas, &ids, build);
    for f in &report.findings {
        if f.file == file {
            assert!(inside(f.line, f.column), "{f:?}");
        } else {
            assert_eq!((f.file.as_str(), f.column), ("sla.md", 3), "{f:?}");
        }
    }
    for s in &report.series {
        assert!(!s.points.is_empty());
        assert!(
            s.points.windows(2).all(|w| w[0].month < w[1].month),
            "{s:?}"
        );
        assert!(
            s.points
                .iter()
                .all(|p| p.state != State::Missing && p.month <= build)
        );
        for m in &s.missing {
            assert_eq!(s.state(*m), Some(State::Missing));
        }
        let a = s.attainment(s.first(), s.until);
        assert_eq!(a.measured, s.points.len());
        assert_eq!(a.missing, s.missing.len());
    }
}
