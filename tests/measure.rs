//! The measurement reader (`smsite::measure`): rows and their cells'
//! places, every finding of reading and checking (rule, file, line,
//! column, message), and the figures of a target's series.

use std::collections::BTreeSet;

use smsite::diag::{Finding, Pos, Severity};
use smsite::measure::{
    self, Attainment, Better, Cell, Goal, Month, Sheet, SlaTargets, State, Target,
};

const FILE: &str = "measurements/2026.csv";

fn month(s: &str) -> Month {
    Month::parse(s).unwrap()
}

fn read(text: &[u8]) -> (Sheet, Vec<Finding>) {
    measure::read(FILE, text)
}

/// A cell's text and place.
fn at<'a>(sheet: &'a Sheet, cell: &Cell) -> (&'a str, Pos) {
    (sheet.text(cell), cell.pos())
}

/// (rule, line, column) of each finding.
fn places(findings: &[Finding]) -> Vec<(&str, usize, usize)> {
    findings
        .iter()
        .map(|f| (f.rule.as_str(), f.line, f.column))
        .collect()
}

fn target(metric: &str, goal: f64, unit: &str, better: Option<Better>, line: usize) -> Target {
    Target {
        metric: metric.into(),
        target: Goal::Number(goal),
        unit: Some(unit.into()),
        better,
        metric_pos: Pos::new(line, 13),
    }
}

/// Two SLAs: SLA-CUSTOMS (availability, higher; P1 response, lower;
/// uptime, no `better`; coverage, a text target) and SLA-EMAIL.
fn slas() -> Vec<SlaTargets> {
    let mut coverage = target("coverage", 0.0, "", Some(Better::Higher), 11);
    coverage.target = Goal::Text("24x7".into());
    vec![
        SlaTargets {
            id: "SLA-CUSTOMS".into(),
            file: "slas/customs.md".into(),
            targets: vec![
                target("availability", 99.9, "%", Some(Better::Higher), 8),
                target("P1 response", 15.0, "min", Some(Better::Lower), 9),
                target("uptime", 99.0, "%", None, 10),
                coverage,
            ],
        },
        SlaTargets {
            id: "SLA-EMAIL".into(),
            file: "slas/email.md".into(),
            targets: vec![target("availability", 99.5, "%", Some(Better::Higher), 8)],
        },
    ]
}

fn ids() -> BTreeSet<String> {
    [
        "SLA-CUSTOMS",
        "SLA-EMAIL",
        "SVC-CUSTOMS",
        "INC-2026-1187",
        "NC-2026-007",
    ]
    .map(String::from)
    .into()
}

/// Reads `files` (path, text) and checks them, the build date in 2026-12.
fn check(files: &[(&str, &str)]) -> (Vec<Finding>, measure::Report) {
    let (sheets, read_findings) = measure::read_all(files);
    let report = measure::check(sheets, &slas(), &ids(), month("2026-12"));
    (read_findings, report)
}

fn one(findings: &[Finding], rule: &str) -> Finding {
    let of: Vec<&Finding> = findings.iter().filter(|f| f.rule == rule).collect();
    assert_eq!(of.len(), 1, "{findings:#?}");
    of[0].clone()
}

// --- good files ---------------------------------------------------------

#[test]
fn the_contract_example_reads_with_every_cell_placed() {
    let text = "period,sla,metric,value,explained_by,note\n\
                2026-10,SLA-CUSTOMS,availability,99.96,,\n\
                2026-10,SLA-CUSTOMS,P1 response,12,,\n\
                2026-11,SLA-CUSTOMS,availability,99.71,INC-2026-1187,\"Gateway certificate expired, 4 h 10 min\"\n";
    let (sheet, findings) = read(text.as_bytes());
    let rows = &sheet.rows;
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(rows.len(), 3);
    let r = &rows[2];
    assert_eq!(r.line, 4);
    assert_eq!(at(&sheet, &r.period), ("2026-11", Pos::new(4, 1)));
    assert_eq!(at(&sheet, &r.sla), ("SLA-CUSTOMS", Pos::new(4, 9)));
    assert_eq!(r.metric.pos(), Pos::new(4, 21));
    assert_eq!(at(&sheet, &r.value), ("99.71", Pos::new(4, 34)));
    let e = r.explained_by.as_ref().unwrap();
    assert_eq!(at(&sheet, e), ("INC-2026-1187", Pos::new(4, 40)));
    let n = r.note.as_ref().unwrap();
    assert_eq!(sheet.text(n), "Gateway certificate expired, 4 h 10 min");
    assert_eq!((n.pos(), n.width()), (Pos::new(4, 54), 41));
    assert_eq!((r.month, r.number), (Some(month("2026-11")), Some(99.71)));
    assert!(r.is_measurement());
    assert_eq!(rows[0].explained_by, None);
    assert_eq!(rows[0].note, None);
    assert_eq!(rows[1].number, Some(12.0));
}

#[test]
fn quoted_cells_with_line_breaks_and_quotes_keep_later_places() {
    let text = "note,period,sla,metric,value\n\
                \"line one\nline \"\"two\"\"\",2026-10,SLA-EMAIL,availability,99.6\n\
                ,2026-11,SLA-EMAIL,availability,\"99.7\"\n";
    let (sheet, findings) = read(text.as_bytes());
    let rows = &sheet.rows;
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(rows[0].line, 2);
    assert_eq!(
        sheet.text(rows[0].note.as_ref().unwrap()),
        "line one\nline \"two\""
    );
    assert_eq!(rows[0].note.as_ref().unwrap().pos(), Pos::new(2, 1));
    assert_eq!(rows[0].period.pos(), Pos::new(3, 15));
    assert_eq!(rows[0].value.pos(), Pos::new(3, 46));
    assert_eq!(rows[1].line, 4);
    assert_eq!(rows[1].note, None);
    assert_eq!(
        (rows[1].value.pos(), rows[1].number),
        (Pos::new(4, 33), Some(99.7))
    );
}

#[test]
fn crlf_and_a_byte_order_mark() {
    let text = "\u{feff}period,sla,metric,value\r\n\r\n2026-10,SLA-EMAIL,availability,99.6\r\n2026-11,SLA-EMAIL,availability,\"99,6\"\r\n";
    let (sheet, findings) = read(text.as_bytes());
    let rows = &sheet.rows;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].line, 3);
    assert_eq!(sheet.text(&rows[0].value), "99.6");
    assert_eq!(rows[0].value.pos(), Pos::new(3, 32));
    assert_eq!(places(&findings), [("invalid-field", 4, 32)]);
    assert!(
        findings[0].message.contains("use a dot: `99.6`"),
        "{}",
        findings[0].message
    );
    assert_eq!(findings[0].file, FILE);
}

#[test]
fn columns_in_another_order_and_without_the_optional_ones() {
    let text = "value , metric,sla,period\n99.6,availability,SLA-EMAIL, 2026-10 \n";
    let (sheet, findings) = read(text.as_bytes());
    let rows = &sheet.rows;
    assert!(findings.is_empty(), "{findings:#?}");
    let r = &rows[0];
    assert_eq!(sheet.text(&r.period), "2026-10");
    assert_eq!(r.period.pos(), Pos::new(2, 29));
    assert_eq!(r.sla.pos(), Pos::new(2, 19));
    assert_eq!(at(&sheet, &r.metric), ("availability", Pos::new(2, 6)));
    assert_eq!(r.value.pos(), Pos::new(2, 1));
    assert_eq!((r.explained_by, r.note), (None, None));
}

#[test]
fn blank_lines_and_blank_rows_are_skipped() {
    let text = "period,sla,metric,value\n\n,,,\n  \n2026-10,SLA-EMAIL,availability,99.6\n\n";
    let (sheet, findings) = read(text.as_bytes());
    let rows = &sheet.rows;
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].line, 5);
    // A header alone is a file with no rows yet.
    let (sheet, findings) = read(b"period,sla,metric,value\n");
    assert!(sheet.rows.is_empty() && findings.is_empty());
}

// --- bad files ----------------------------------------------------------

#[test]
fn not_utf8_is_a_parse_error_at_the_bad_byte() {
    let (sheet, findings) = read(b"period,sla,metric,value\n2026-10,SLA-EMAIL,av\xe9,99\n");
    let rows = &sheet.rows;
    assert!(rows.is_empty());
    assert_eq!(places(&findings), [("parse-error", 2, 21)]);
    let m = &findings[0].message;
    assert!(
        m.contains("not valid UTF-8") && m.contains("0xe9") && m.contains("save it as UTF-8"),
        "{m}"
    );
    // After a byte-order mark, columns count from the first character.
    let (_, findings) = read(b"\xef\xbb\xbfab\xff");
    assert_eq!(places(&findings), [("parse-error", 1, 3)]);
}

#[test]
fn ragged_rows_are_reported_and_not_read() {
    let text = "period,sla,metric,value,explained_by,note\n\
                2026-10,SLA-CUSTOMS,availability,99.96,,Gateway expired, 4 h\n\
                2026-10,SLA-CUSTOMS,P1 response\n\
                2026-11,SLA-CUSTOMS,P1 response,12,,\n";
    let (sheet, findings) = read(text.as_bytes());
    let rows = &sheet.rows;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].line, 4);
    assert_eq!(
        places(&findings),
        [("invalid-field", 2, 57), ("invalid-field", 3, 1)]
    );
    let m = &findings[0].message;
    assert!(
        m.contains("this row has 7 cells, but the header names 6 columns"),
        "{m}"
    );
    assert!(
        m.contains("not read") && m.contains("quote a cell that contains a comma"),
        "{m}"
    );
    let m = &findings[1].message;
    assert!(
        m.contains("3 cells") && m.contains("one cell per column"),
        "{m}"
    );
}

#[test]
fn an_unclosed_quote_loses_the_rest_of_the_file_with_a_parse_error() {
    let text = "period,sla,metric,value,note\n\
                2026-10,SLA-EMAIL,availability,99.6,ok\n\
                2026-11,SLA-EMAIL,availability,99.7,\"unclosed, note\n\
                2026-12,SLA-EMAIL,availability,99.8,x\n";
    let (sheet, findings) = read(text.as_bytes());
    let rows = &sheet.rows;
    assert_eq!(rows.len(), 1);
    assert_eq!(places(&findings), [("parse-error", 3, 37)]);
    let m = &findings[0].message;
    assert!(
        m.contains("never closed") && m.contains("lines 3 to 4") && m.contains("`\"\"`"),
        "{m}"
    );
    // In the header, nothing is read.
    let (sheet, findings) = read(b"period,\"sla,metric,value\n2026-10,SLA-EMAIL,availability,1\n");
    let rows = &sheet.rows;
    assert!(rows.is_empty());
    assert_eq!(places(&findings), [("parse-error", 1, 8)]);
}

#[test]
fn bad_periods_values_and_empty_cells_point_at_the_cell() {
    let text = "period,sla,metric,value\n\
                2026-13,SLA-EMAIL,availability,99.6\n\
                Oct 2026,SLA-EMAIL,availability,99.6\n\
                2026-1,SLA-EMAIL,availability,99.6\n\
                2026-10,SLA-EMAIL,availability,\"99,5\"\n\
                2026-10,,availability,99.5\n\
                2026-10,SLA-EMAIL,,99.5\n\
                2026-10,SLA-EMAIL,availability,NaN\n";
    let (sheet, findings) = read(text.as_bytes());
    let rows = &sheet.rows;
    assert_eq!(rows.len(), 7);
    assert!(rows.iter().all(|r| !r.is_measurement()));
    assert_eq!(
        places(&findings),
        [
            ("invalid-field", 2, 1),
            ("invalid-field", 3, 1),
            ("invalid-field", 4, 1),
            ("invalid-field", 5, 32),
            ("invalid-field", 6, 9),
            ("invalid-field", 7, 19),
            ("invalid-field", 8, 32),
        ]
    );
    let m: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
    assert!(
        m[0].contains("`2026-13` is not a month") && m[0].contains("01 to 12"),
        "{}",
        m[0]
    );
    assert!(
        m[1].contains("`Oct 2026`") && m[1].ends_with("write `2026-10`"),
        "{}",
        m[1]
    );
    assert!(m[2].ends_with("write `2026-01`"), "{}", m[2]);
    assert!(
        m[3].contains("comma as the decimal mark; use a dot: `99.5`"),
        "{}",
        m[3]
    );
    assert!(m[4].contains("`sla` is empty"), "{}", m[4]);
    assert!(m[5].contains("`metric` is empty"), "{}", m[5]);
    assert!(
        m[6].contains("`NaN`") && m[6].contains("finite"),
        "{}",
        m[6]
    );
    assert_eq!(findings[0].width, 7);
}

#[test]
fn a_missing_column_is_reported_at_the_start_and_no_row_is_read() {
    let (sheet, findings) = read(b"period,sla,value\n2026-10,SLA-EMAIL,99.6\n");
    let rows = &sheet.rows;
    assert!(rows.is_empty());
    assert_eq!(places(&findings), [("invalid-field", 1, 1)]);
    let m = &findings[0].message;
    assert!(
        m.contains("no `metric` column") && m.contains("its one row is not read"),
        "{m}"
    );
    let (_, findings) = read(b"sla,note\n1,2\n3,4\n");
    let m = &findings[0].message;
    assert!(
        m.contains("no `period`, `metric` or `value` columns") && m.contains("none of its 2 rows"),
        "{m}"
    );
    // A file without a header: one finding, not one per cell.
    let (_, findings) = read(b"2026-10,SLA-EMAIL,availability,99.6\n");
    assert_eq!(places(&findings), [("invalid-field", 1, 1)]);
    assert!(
        findings[0]
            .message
            .contains("start the file with a header row")
    );
    let (_, findings) = read(b"");
    assert_eq!(places(&findings), [("invalid-field", 1, 1)]);
    assert!(findings[0].message.contains("the file is empty"));
}

#[test]
fn other_columns_are_unknown_fields_at_their_header_cell() {
    let text = "period,sla,metric,value,Note,comment,,value\n2026-10,SLA-EMAIL,availability,99.6,a,b,c,1\n";
    let (sheet, findings) = read(text.as_bytes());
    let rows = &sheet.rows;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].number, Some(99.6));
    assert_eq!(rows[0].note, None);
    assert_eq!(
        places(&findings),
        [
            ("unknown-field", 1, 25),
            ("unknown-field", 1, 30),
            ("unknown-field", 1, 38),
            ("invalid-field", 1, 39),
        ]
    );
    assert!(
        findings[0]
            .message
            .contains("`Note` is not a measurement column; did you mean `note`?")
    );
    assert!(!findings[1].message.contains("did you mean"));
    assert!(
        findings[2]
            .message
            .contains("column 7 of the header has no name")
    );
    assert!(
        findings[3]
            .message
            .contains("`value` is named twice (first at column 19)")
    );
    assert_eq!(findings[0].severity, Severity::Error);
}

// --- checking -----------------------------------------------------------

#[test]
fn unknown_sla_metric_and_explained_by_are_broken_references_with_the_nearest() {
    let text = "period,sla,metric,value,explained_by\n\
                2026-10,SLA-CUSTOM,availability,99.96,\n\
                2026-10,SVC-CUSTOMS,availability,99.96,\n\
                2026-10,SLA-CUSTOMS,Availability,99.96,\n\
                2026-11,SLA-CUSTOMS,availability,99.2,INC-2026-118\n";
    let (read_findings, report) = check(&[(FILE, text)]);
    assert!(read_findings.is_empty());
    let f = &report.findings;
    let places: Vec<_> = places(f);
    assert_eq!(
        places,
        [
            ("broken-reference", 2, 9),
            ("broken-reference", 3, 9),
            ("broken-reference", 4, 21),
            ("broken-reference", 5, 39),
        ],
        "{f:#?}"
    );
    assert_eq!(
        f[0].message,
        "no SLA has id `SLA-CUSTOM`; did you mean `SLA-CUSTOMS`?"
    );
    assert!(
        f[1].message
            .starts_with("`SVC-CUSTOMS` is not an SLA; did you mean `SLA-CUSTOMS`?")
    );
    assert!(
        f[2].message.contains(
            "SLA-CUSTOMS has no target with metric `Availability`; did you mean `availability`?"
        ),
        "{}",
        f[2].message
    );
    assert!(f[2].message.contains("`P1 response`"));
    assert_eq!(
        f[3].message,
        "no document has id `INC-2026-118`; did you mean `INC-2026-1187`?"
    );
    assert_eq!((f[0].file.as_str(), f[0].width), (FILE, 10));
    // The row whose only error is its explained_by is used: explained, no miss reported.
    let s = &report.series[0];
    assert_eq!(
        (s.sla.as_str(), s.metric.as_str()),
        ("SLA-CUSTOMS", "availability")
    );
    assert_eq!(s.points.len(), 1);
    assert_eq!(s.points[0].state, State::Explained);
    assert_eq!(report.explained_by(&s.points[0]), Some("INC-2026-118"));
    assert_eq!(report.note(&s.points[0]), None);
    assert_eq!(report.row(&s.points[0]).map(|r| r.line), Some(5));
}

#[test]
fn a_target_that_cannot_be_compared_is_reported_once_at_its_first_row() {
    let text = "period,sla,metric,value\n\
                2026-09,SLA-CUSTOMS,uptime,99\n\
                2026-10,SLA-CUSTOMS,uptime,98\n\
                2026-11,SLA-CUSTOMS,uptime,97\n\
                2026-11,SLA-CUSTOMS,coverage,1\n";
    let (_, report) = check(&[(FILE, text)]);
    let f = &report.findings;
    assert_eq!(
        places(f),
        [("invalid-field", 2, 21), ("invalid-field", 5, 21)],
        "{f:#?}"
    );
    assert!(
        f[0].message
            .contains("SLA-CUSTOMS target `uptime` does not say which way is better")
    );
    assert!(
        f[0].message
            .contains("its 3 measurement rows are not compared")
    );
    assert!(
        f[0].message.contains("`better: higher` or `better: lower`")
            && f[0].message.contains("slas/customs.md")
    );
    assert!(
        f[1].message.contains("is `24x7`, not a number")
            && f[1].message.contains("its measurement row is")
    );
    assert!(report.series.is_empty());
}

#[test]
fn duplicates_across_files_are_reported_at_the_later_row() {
    let a = "period,sla,metric,value\n2026-11,SLA-EMAIL,availability,99.6\n";
    let b = "period,sla,metric,value\n2026-10,SLA-EMAIL,availability,99.7\n\n2026-11,SLA-EMAIL,availability,99.1\n";
    // Given in any order: rows are ordered by path.
    let (_, report) = check(&[("measurements/b.csv", b), ("measurements/a.csv", a)]);
    let f = one(&report.findings, "duplicate-measurement");
    assert_eq!(
        (f.file.as_str(), f.line, f.column),
        ("measurements/b.csv", 4, 1)
    );
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message.contains("SLA-EMAIL `availability` for 2026-11 is measured twice: first in measurements/a.csv on line 2"),
        "{}",
        f.message
    );
    // The first row is the measurement.
    let s = &report.series[0];
    let p = s.point(month("2026-11")).unwrap();
    assert_eq!(
        (p.value, report.source(p)),
        (99.6, ("measurements/a.csv", 2))
    );
    assert_eq!(report.findings.len(), 1, "{:#?}", report.findings);
}

#[test]
fn values_against_targets_higher_and_lower_is_better() {
    let text = "period,sla,metric,value,explained_by\n\
                2026-08,SLA-CUSTOMS,availability,99.9,\n\
                2026-09,SLA-CUSTOMS,availability,99.89,\n\
                2026-10,SLA-CUSTOMS,availability,99.95,\n\
                2026-11,SLA-CUSTOMS,availability,99.0,INC-2026-1187\n\
                2026-08,SLA-CUSTOMS,P1 response,15,\n\
                2026-09,SLA-CUSTOMS,P1 response,16,\n\
                2026-10,SLA-CUSTOMS,P1 response,14,\n\
                2026-11,SLA-CUSTOMS,P1 response,30,NC-2026-007\n";
    let (_, report) = check(&[(FILE, text)]);
    let f = &report.findings;
    assert_eq!(
        places(f),
        [("sla-target-missed", 3, 34), ("sla-target-missed", 7, 33)],
        "{f:#?}"
    );
    assert!(f.iter().all(|f| f.severity == Severity::Warning));
    assert_eq!(
        f[0].message,
        "SLA-CUSTOMS `availability` was 99.89 % in 2026-09, below its target of 99.9 % (higher is better); \
         name the incident, nonconformity or improvement that explains the miss in `explained_by`, or correct the value"
    );
    assert!(
        f[1].message
            .contains("was 16 min in 2026-09, above its target of 15 min (lower is better)")
    );
    assert_eq!(f[0].width, 5);
    let states = |s: &measure::Series| -> Vec<State> { s.points.iter().map(|p| p.state).collect() };
    let [avail, p1] = [&report.series[0], &report.series[1]];
    use State::*;
    assert_eq!(states(avail), [Met, Missed, Met, Explained]);
    assert_eq!(states(p1), [Met, Missed, Met, Explained]);
    assert_eq!(
        (p1.target, p1.better, p1.unit.as_deref()),
        (15.0, Better::Lower, Some("min"))
    );
    assert!(avail.missing.is_empty());
    assert_eq!(report.explained_by(&avail.points[3]), Some("INC-2026-1187"));
    assert_eq!(report.explained_by(&avail.points[1]), None);
    assert_eq!(report.source(&p1.points[1]), (FILE, 7));
}

#[test]
fn missing_months_are_one_warning_per_target_at_its_metric_in_the_sla() {
    let text = "period,sla,metric,value\n\
                2026-09,SLA-CUSTOMS,availability,99.95\n\
                2026-06,SLA-CUSTOMS,availability,99.95\n\
                2026-07,SLA-CUSTOMS,availability,99.95\n\
                2026-12,SLA-CUSTOMS,availability,99.95\n\
                2026-11,SLA-EMAIL,availability,99.95\n";
    let (_, report) = check(&[(FILE, text)]);
    let f = one(&report.findings, "measurement-missing");
    assert_eq!(
        (f.file.as_str(), f.line, f.column, f.severity),
        ("slas/customs.md", 8, 13, Severity::Warning)
    );
    assert_eq!(f.width, "availability".len());
    assert_eq!(
        f.message,
        "SLA-CUSTOMS target `availability` has no measurement for 2026-08, 2026-10 to 2026-11 (measured since 2026-06); \
         add rows for these months to a CSV file under measurements/"
    );
    let s = &report.series[0];
    assert_eq!(
        s.missing,
        [month("2026-08"), month("2026-10"), month("2026-11")]
    );
    // The build date's month may be measured; it is not due yet.
    assert_eq!(s.until, month("2026-12"));
    // SLA-EMAIL measured only in 2026-11: nothing missing.
    assert_eq!(report.series[1].missing, []);
    assert_eq!(report.findings.len(), 1);
}

#[test]
fn a_period_after_the_build_month_is_refused() {
    let text = "period,sla,metric,value\n2027-01,SLA-EMAIL,availability,99.95\n";
    let (_, report) = check(&[(FILE, text)]);
    assert_eq!(places(&report.findings), [("invalid-field", 2, 1)]);
    assert!(
        report.findings[0]
            .message
            .contains("after the month of the build date (2026-12)")
    );
    assert!(report.series.is_empty());
}

#[test]
fn rows_that_are_not_measurements_still_have_their_references_checked() {
    // A bad period does not hide an unknown SLA on the same row.
    let text = "period,sla,metric,value\n2026-13,SLA-NOPE,availability,x\n";
    let (read_findings, report) = check(&[(FILE, text)]);
    assert_eq!(
        places(&read_findings),
        [("invalid-field", 2, 1), ("invalid-field", 2, 31)]
    );
    assert_eq!(places(&report.findings), [("broken-reference", 2, 9)]);
}

// --- figures ------------------------------------------------------------

#[test]
fn states_attainment_and_last_months() {
    let text = "period,sla,metric,value,explained_by\n\
                2025-10,SLA-EMAIL,availability,99.6,\n\
                2025-11,SLA-EMAIL,availability,99.4,\n\
                2026-01,SLA-EMAIL,availability,99.5,\n\
                2026-02,SLA-EMAIL,availability,98,NC-2026-007\n\
                2026-11,SLA-EMAIL,availability,99.9,\n";
    let (_, report) = check(&[(FILE, text)]);
    let s = &report.series[0];
    assert_eq!(s.first(), month("2025-10"));
    assert_eq!(s.state(month("2025-09")), None);
    assert_eq!(s.state(month("2025-10")), Some(State::Met));
    assert_eq!(s.state(month("2025-11")), Some(State::Missed));
    assert_eq!(s.state(month("2025-12")), Some(State::Missing));
    assert_eq!(s.state(month("2026-02")), Some(State::Explained));
    assert_eq!(s.state(month("2026-12")), None);
    assert_eq!(s.until, month("2026-11"));
    // The last 12 months: 2025-12 to 2026-11.
    let a = s.attainment_last(12);
    assert_eq!(
        a,
        Attainment {
            measured: 3,
            met: 2,
            missed: 0,
            explained: 1,
            missing: 9
        }
    );
    assert_eq!(a.ratio(), Some(2.0 / 3.0));
    let all = s.attainment(month("2025-01"), month("2026-12"));
    assert_eq!(
        (all.measured, all.met, all.missed, all.missing),
        (5, 3, 1, 9)
    );
    assert_eq!(Attainment::default().ratio(), None);
    let last: Vec<String> = s
        .last_measured(2)
        .iter()
        .map(|p| p.month.to_string())
        .collect();
    assert_eq!(last, ["2026-02", "2026-11"]);
    assert_eq!(s.last_measured(10).len(), 5);
    let states = s.states(month("2025-09"), month("2025-12"));
    assert_eq!(states[0], (month("2025-09"), None));
    assert_eq!(states[3], (month("2025-12"), Some(State::Missing)));
    assert_eq!(
        measure::month_list(&s.missing),
        "2025-12, 2026-03 to 2026-10"
    );
}

#[test]
fn read_all_orders_sheets_by_path_and_keeps_every_file_s_findings() {
    let files = vec![
        (
            "measurements/z.csv".to_string(),
            b"period,sla,metric,value\n2026-1,S,m,1\n".to_vec(),
        ),
        ("measurements/a.csv".to_string(), b"\xff".to_vec()),
    ];
    let (sheets, findings) = measure::read_all(&files);
    let names: Vec<&str> = sheets.iter().map(|s| &*s.file).collect();
    assert_eq!(names, ["measurements/a.csv", "measurements/z.csv"]);
    let files: Vec<&str> = findings.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(files, ["measurements/a.csv", "measurements/z.csv"]);
    let (sheet, _) = measure::read("x.csv", b"period,sla,metric,value\n");
    assert!(
        measure::check(vec![sheet], &slas(), &ids(), month("2026-12"))
            .findings
            .is_empty()
    );
}
