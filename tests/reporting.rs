//! Service reporting end to end, on a repository written from the contract
//! (`tests/fixtures/operation/reporting/`, section 5 of sms-operation.md):
//! its planted faults are found at exactly their cells, and the pages
//! (service reporting page and its exports, SLA charts, monthly reports,
//! readiness, evidence pack) show the attainment computed here, from the
//! CSV text, independently of the measurement reader.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;

const DATE: &str = "2026-12-01";

fn fixture_dir() -> std::path::PathBuf {
    fixture("operation/reporting")
}

fn check_json(dir: &Path) -> serde_json::Value {
    let out = smsite(&[
        "check",
        dir.to_str().unwrap_or_default(),
        "--format",
        "json",
        "--date",
        DATE,
    ]);
    serde_json::from_slice(&out.stdout).expect("check prints one JSON object")
}

type Place = (String, String, String, u64, u64);

fn places(findings: &serde_json::Value) -> BTreeSet<Place> {
    findings
        .as_array()
        .expect("a list of findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["severity"].as_str().unwrap_or_default().to_string(),
                f["file"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default(),
                f["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn the_planted_faults_are_found_at_their_cells_and_nothing_else() {
    let dir = fixture_dir();
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected.json")).expect("expected.json"),
    )
    .expect("expected.json is JSON");
    let got = check_json(&dir);
    let (want, have) = (places(&expected["findings"]), places(&got["findings"]));
    assert_eq!(
        want.difference(&have).collect::<Vec<_>>(),
        Vec::<&Place>::new(),
        "missing"
    );
    assert_eq!(
        have.difference(&want).collect::<Vec<_>>(),
        Vec::<&Place>::new(),
        "unexpected"
    );
    // Messages say what to write.
    let message = |rule: &str, line: u64| -> String {
        got["findings"]
            .as_array()
            .and_then(|a| a.iter().find(|f| f["rule"] == rule && f["line"] == line))
            .and_then(|f| f["message"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    assert!(message("invalid-field", 14).contains("`99.91`"));
    assert!(message("duplicate-measurement", 20).contains("line 10"));
    assert!(message("broken-reference", 8).contains("did you mean `availability`"));
    assert!(message("broken-reference", 9).contains("did you mean `SLA-PAY`"));
    assert!(message("invalid-field", 16).contains("better"));
    assert!(message("measurement-missing", 12).contains("2026-08, 2026-11"));
    // A CSV elsewhere is not a measurement file.
    assert!(
        !got["findings"].to_string().contains("notes/old.csv"),
        "notes/old.csv is not read"
    );
}

/// The targets of the fixture's SLAs that can be compared, as written there.
const TARGETS: &[(&str, &str, f64, bool)] = &[
    ("SLA-PAY", "availability", 99.5, true),
    ("SLA-PAY", "settlement time", 4.0, false),
    ("SLA-PORTAL", "availability", 99.9, true),
    ("SLA-PORTAL", "page load time", 2.5, false),
];

/// One month's result of a target: its value, and how it went.
#[derive(Debug, Clone, PartialEq)]
struct Result_ {
    value: f64,
    state: &'static str,
    explained_by: String,
}

type Results = BTreeMap<(String, String), BTreeMap<String, Result_>>;

/// The fixture's measurements as the contract reads them, from the CSV
/// text: files by path, rows by line; a row counts when its period is
/// YYYY-MM (not after the build month), its value a plain number with `.`,
/// its SLA and metric a comparable target, and it is the first row of that
/// period, SLA and metric; the header may come in any order; a row with a
/// cell too many or too few is not read.
fn independent(dir: &Path) -> Results {
    let mut files = Vec::new();
    collect_csv(&dir.join("measurements"), &mut files);
    files.sort();
    let mut seen = BTreeSet::new();
    let mut out: Results = BTreeMap::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue; // not UTF-8: not read at all
        };
        let text = text.trim_start_matches('\u{feff}');
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut records = r.records().map_while(Result::ok);
        let Some(header) = records.next() else {
            continue;
        };
        let col = |name: &str| header.iter().position(|h| h.trim() == name);
        let (Some(p), Some(s), Some(m), Some(v)) =
            (col("period"), col("sla"), col("metric"), col("value"))
        else {
            continue;
        };
        let e = col("explained_by");
        for rec in records {
            if rec.len() != header.len() {
                continue;
            }
            let cell = |i: usize| rec.get(i).unwrap_or_default().trim().to_string();
            let (period, sla, metric, value) = (cell(p), cell(s), cell(m), cell(v));
            let good_period = period.len() == 7
                && period.as_bytes()[4] == b'-'
                && period[..4].bytes().all(|b| b.is_ascii_digit())
                && matches!(period[5..].parse::<u32>(), Ok(1..=12))
                && period.as_str() <= "2026-12";
            let good_value = {
                let body = value.trim_start_matches(['+', '-']);
                let (a, b) = body.split_once('.').unwrap_or((body, ""));
                !body.is_empty()
                    && a.bytes().all(|c| c.is_ascii_digit())
                    && b.bytes().all(|c| c.is_ascii_digit())
                    && body != "."
            };
            let Some(&(_, _, target, higher)) = TARGETS
                .iter()
                .find(|(ts, tm, _, _)| *ts == sla && *tm == metric)
            else {
                continue;
            };
            if !good_period || !seen.insert((period.clone(), sla.clone(), metric.clone())) {
                continue;
            }
            if !good_value {
                continue;
            }
            let value: f64 = value.parse().expect("checked above");
            let explained_by = e.map(cell).unwrap_or_default();
            let met = if higher {
                value >= target
            } else {
                value <= target
            };
            let state = match (met, explained_by.is_empty()) {
                (true, _) => "met",
                (false, true) => "missed",
                (false, false) => "explained",
            };
            out.entry((sla, metric)).or_default().insert(
                period,
                Result_ {
                    value,
                    state,
                    explained_by,
                },
            );
        }
    }
    out
}

fn collect_csv(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_csv(&p, out);
        } else if p.extension().is_some_and(|x| x == "csv") {
            out.push(p);
        }
    }
}

/// The months from `from` to `to`, `YYYY-MM`.
fn months(from: &str, to: &str) -> Vec<String> {
    let parse = |s: &str| -> (i32, i32) {
        (
            s[..4].parse().expect("year"),
            s[5..].parse().expect("month"),
        )
    };
    let (mut y, mut m) = parse(from);
    let mut out = Vec::new();
    while format!("{y:04}-{m:02}").as_str() <= to {
        out.push(format!("{y:04}-{m:02}"));
        m += 1;
        if m == 13 {
            y += 1;
            m = 1;
        }
    }
    out
}

/// A copy of the fixture that builds: the rules that stop a build set to
/// warnings, the file that is not UTF-8 removed (a parse error always
/// stops it). Its measurements are read as before.
fn buildable() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = copy_fixture(&fixture_dir());
    let sms = tmp.path().join("sms.yaml");
    let text = std::fs::read_to_string(&sms).expect("sms.yaml");
    std::fs::write(
        &sms,
        format!(
            "{text}  invalid-field: warning\n  broken-reference: warning\n  duplicate-measurement: warning\n"
        ),
    )
    .expect("write sms.yaml");
    std::fs::remove_file(tmp.path().join("measurements/legacy.csv")).expect("remove");
    let site = tmp.path().join("public-site");
    let out = smsite(&[
        "build",
        tmp.path().to_str().unwrap_or_default(),
        "--out",
        site.to_str().unwrap_or_default(),
        "--date",
        DATE,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (tmp, site)
}

#[test]
fn the_pages_show_the_attainment_computed_from_the_csv_text() {
    let (tmp, site) = buildable();
    let results = independent(tmp.path());
    assert_eq!(results.len(), 4, "every comparable target is measured");
    let window = months("2025-12", "2026-11");

    // The exports: a row per target, its months met of months measured,
    // and (JSON) each month of its span in the window.
    let rows: serde_json::Value =
        serde_json::from_str(&read(&site.join("service-reporting.json"))).expect("JSON");
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len(), results.len(), "a row per measured target");
    let page = read(&site.join("service-reporting.html"));
    for ((sla, metric), by_month) in &results {
        let first = by_month.keys().next().expect("a month");
        let span: Vec<&String> = window.iter().filter(|m| *m >= first).collect();
        let row = rows
            .iter()
            .find(|r| r["sla"] == sla.as_str() && r["metric"] == metric.as_str())
            .unwrap_or_else(|| panic!("no row for {sla} {metric}"));
        let measured = by_month.keys().filter(|m| window.contains(m)).count();
        let met = by_month
            .iter()
            .filter(|(m, r)| window.contains(m) && r.state == "met")
            .count();
        assert_eq!(row["months_measured"], measured, "{row}");
        assert_eq!(row["months_met"], met, "{row}");
        let months = row["months"].as_array().expect("months");
        assert_eq!(months.len(), span.len(), "{sla} {metric}: {row}");
        for (got, month) in months.iter().zip(&span) {
            assert_eq!(got["period"], month.as_str());
            match by_month.get(*month) {
                Some(r) => {
                    assert_eq!(got["state"], r.state, "{sla} {metric} {month}");
                    assert_eq!(got["value"], r.value, "{sla} {metric} {month}");
                    if !r.explained_by.is_empty() {
                        assert_eq!(got["explained_by"], r.explained_by.as_str());
                    }
                }
                None => assert_eq!(got["state"], "missing", "{sla} {metric} {month}"),
            }
        }
        // The page's attainment cell.
        let pct = format!("{:.1}", 100.0 * met as f64 / measured as f64);
        let pct = pct.strip_suffix(".0").unwrap_or(&pct).to_string();
        assert!(
            page.contains(&format!(
                "<td class=\"num\">{met} of {measured}</td><td class=\"num\">{pct} %</td>"
            )),
            "{sla} {metric}: {met} of {measured} ({pct} %)"
        );
    }
    // The CSV beside it: the same rows, a value and a state column per month.
    let mut csv = csv::Reader::from_path(site.join("service-reporting.csv")).expect("csv");
    let header = csv.headers().expect("header").clone();
    assert_eq!(header.len(), 9 + 2 * window.len(), "{header:?}");
    let records: Vec<csv::StringRecord> = csv.records().map(|r| r.expect("record")).collect();
    assert_eq!(records.len(), rows.len());
    for rec in &records {
        let key = (rec[0].to_string(), rec[2].to_string());
        let by_month = &results[&key];
        for (k, month) in window.iter().enumerate() {
            let (value, state) = (&rec[9 + 2 * k], &rec[10 + 2 * k]);
            assert_eq!(&header[9 + 2 * k], month.as_str());
            match by_month.get(month) {
                // The value as written in its row: the same number.
                Some(r) => assert_eq!((value.parse::<f64>().ok(), state), (Some(r.value), r.state)),
                None => assert!(value.is_empty(), "{key:?} {month}"),
            }
        }
    }

    // Each SLA's chart: its last 12 measured months, a mark of the right
    // shape for each, the misses named in its description, and the months
    // met of them above it.
    for ((sla, metric), by_month) in &results {
        let page = read(&site.join(format!("doc/{sla}.html")));
        let title = format!("{sla} {metric}: the last ");
        let svg = page
            .split("<svg ")
            .find(|part| part.contains(&title))
            .and_then(|part| part.split("</svg>").next())
            .unwrap_or_else(|| panic!("no chart of {sla} {metric}"));
        let last: Vec<(&String, &Result_)> = by_month.iter().rev().take(12).rev().collect();
        assert!(svg.contains(&format!("{title}{} measured month", last.len())));
        for state in ["met", "missed", "explained"] {
            let want = last.iter().filter(|(_, r)| r.state == state).count();
            let shapes = svg.matches(&format!("class=\"mark mark-{state}\"")).count();
            assert_eq!(shapes, want, "{sla} {metric}: {state} marks");
        }
        let unit = unit_then(&last[0].1.clone(), sla, metric);
        let unit = unit.split(' ').next().unwrap_or_default();
        let listed = |state: &str| -> String {
            let l: Vec<String> = last
                .iter()
                .filter(|(_, r)| r.state == state)
                .map(|(m, r)| format!("{m} ({} {unit})", r.value))
                .collect();
            l.join(", ")
        };
        if !listed("missed").is_empty() {
            assert!(
                svg.contains(&format!("; missed: {}", listed("missed"))),
                "{svg}"
            );
        }
        if !listed("explained").is_empty() {
            assert!(
                svg.contains(&format!("missed and explained: {}", listed("explained"))),
                "{svg}"
            );
        }
        let met = last.iter().filter(|(_, r)| r.state == "met").count();
        assert!(
            page.contains(&format!(
                "Met in <strong>{met}</strong> of the last <strong>{}</strong> measured month",
                last.len()
            )),
            "{sla} {metric}"
        );
    }
    let portal = read(&site.join("doc/SLA-PORTAL.html"));
    assert!(
        portal.contains(r#"<a href="../doc/INC-2026-0707.html"><title>2026-07: 3.1 s, explained (target 2.5 s), explained by INC-2026-0707</title><g class="mark mark-explained">"#),
        "an explained miss links its explanation"
    );
    assert!(portal.contains(r#"<g class="mark mark-missed">"#));
    assert!(portal.contains("<title id=\"sla-chart-1-title\">"));

    // A monthly report for exactly the months measured, each with the
    // month's counts.
    let measured_months: BTreeSet<&String> = results.values().flat_map(|m| m.keys()).collect();
    let written: BTreeSet<String> = std::fs::read_dir(site.join("report"))
        .expect("report/")
        .flatten()
        .map(|e| {
            e.file_name()
                .to_string_lossy()
                .trim_end_matches(".html")
                .to_string()
        })
        .collect();
    assert_eq!(
        written.iter().collect::<BTreeSet<_>>(),
        measured_months,
        "a report per month measured"
    );
    for month in &measured_months {
        let (mut met, mut missed, mut explained, mut missing) = (0, 0, 0, 0);
        for by_month in results.values() {
            let first = by_month.keys().next().expect("a month");
            match by_month.get(*month).map(|r| r.state) {
                Some("met") => met += 1,
                Some("missed") => missed += 1,
                Some(_) => explained += 1,
                None if *month > first && month.as_str() <= "2026-11" => missing += 1,
                None => {}
            }
        }
        let page = read(&site.join(format!("report/{month}.html")));
        let counts = format!(
            "<strong>{met}</strong> target{} met, <strong>{missed}</strong> missed without explanation, <strong>{explained}</strong> missed and explained, <strong>{missing}</strong> missing",
            if met == 1 { "" } else { "s" }
        );
        assert!(page.contains(&counts), "{month}: {counts}");
    }

    // Nonconformities raised and closed in the month.
    let oct = read(&site.join("report/2026-10.html"));
    let raised = oct
        .split("Raised in October 2026:")
        .nth(1)
        .unwrap_or_default();
    let (raised, closed) = raised
        .split_once("Closed in October 2026:")
        .unwrap_or_default();
    assert!(
        raised.contains("NC-2026-002") && !raised.contains("NC-2026-001"),
        "{raised}"
    );
    assert!(closed.contains("NC-2026-001"), "{closed}");
    let sep = read(&site.join("report/2026-09.html"));
    assert!(sep.contains("Raised in September 2026: <a href=\"../doc/NC-2026-001.html\">"));

    // The latest month's report is in the evidence pack, under 9.4.
    let pack = read(&site.join("evidence-pack.html"));
    assert!(pack.contains("id=\"pack-service-report\""));
    assert!(pack.contains("filed under ISO20000-1:9.4"));
    assert!(pack.contains("results measured in November 2026"));

    // The commentary's link to the generated report works on its page.
    let rpt = read(&site.join("doc/RPT-2026-10.html"));
    assert!(rpt.contains(r#"<a href="../report/2026-10.html">generated report for October</a>"#));
    assert!(rpt.contains(r#"<a href="../service-reporting.html">all months</a>"#));
    assert!(site.join("report/2026-10.html").is_file());
}

/// What follows a month's value in a chart's description: its unit and state.
fn unit_then(r: &Result_, sla: &str, metric: &str) -> String {
    let unit = match (sla, metric) {
        (_, "availability") => "%",
        (_, "page load time") => "s",
        _ => "h",
    };
    format!("{unit} {}", r.state)
}

#[test]
fn readiness_names_the_targets_missed_in_their_last_three_measured_months() {
    let (tmp, _site) = buildable();
    let results = independent(tmp.path());
    let mut short: Vec<String> = results
        .iter()
        .filter(|(_, by)| by.values().rev().take(3).any(|r| r.state == "missed"))
        .map(|((sla, _), _)| sla.clone())
        .collect();
    short.sort();
    let v = check_json(tmp.path());
    let row = v["summary"]["readiness"]["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["key"] == "sla-targets-met"))
        .expect("the row")
        .clone();
    assert_eq!(row["met"], false);
    let ids: Vec<String> = row["short"]
        .as_array()
        .expect("short")
        .iter()
        .map(|s| s["id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(ids, short, "{row}");
    assert_eq!(
        row["figure"],
        format!(
            "{} of {} measured SLA targets met or explained in their last 3 measured months",
            results.len() - short.len(),
            results.len()
        )
    );
}

#[test]
fn a_public_build_shows_no_measured_value_of_a_restricted_sla() {
    // In the sample, SLA-ERP is internal and missed its target in April.
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = tmp.path().join("site");
    let out = smsite(&[
        "build",
        root().join("sample-sms").to_str().unwrap_or_default(),
        "--out",
        site.to_str().unwrap_or_default(),
        "--date",
        DATE,
        "--audience",
        "public",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let findings = read(&site.join("findings.html"));
    assert!(
        findings.contains("finding about restricted document SLA-ERP; see the full build"),
        "{findings}"
    );
    assert!(!findings.contains("99.31"), "the value stays out");
    let mut pages = vec![
        site.join("service-reporting.html"),
        site.join("service-reporting.csv"),
        site.join("service-reporting.json"),
    ];
    for e in std::fs::read_dir(site.join("report"))
        .expect("report/")
        .flatten()
    {
        pages.push(e.path());
    }
    for p in pages {
        let text = read(&p);
        assert!(!text.contains("SLA-ERP"), "{} names SLA-ERP", p.display());
        assert!(!text.contains("99.31"), "{} shows its value", p.display());
    }
}
