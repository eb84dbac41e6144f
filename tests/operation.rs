//! The SMS in operation: audits, nonconformities and management reviews.
//! A repository written to the contract by hand (`tests/fixtures/operation/
//! audits/`, one planted fault per rule) gets exactly those findings, and
//! its site shows each audit's checklist, the audit programme, the
//! nonconformity register and the readiness page; bad input of every kind
//! is a finding at its line and column; a kind declared in `sms.yaml` with
//! a built-in name is extended, never replaced; restricted audits leave
//! nothing of their content in a build for a lower audience.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;

const DATE: &str = "2026-12-01";

/// Builds `dir` into a fresh folder; the site's path.
fn build(dir: &Path, extra: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    let mut args = vec!["--quiet"];
    args.extend_from_slice(extra);
    build_into(dir, &site, DATE, &args);
    (tmp, site)
}

/// The `<tr>` of `page` that holds `needle`.
fn row_of<'a>(page: &'a str, needle: &str) -> &'a str {
    let at = page
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not on the page"));
    let start = page[..at].rfind("<tr").expect("a row");
    let end = at + page[at..].find("</tr>").expect("the row's end");
    &page[start..end]
}

#[test]
fn a_repository_written_to_the_contract_gets_exactly_its_planted_findings() {
    let dir = fixture("operation/audits");
    let (date, want, _) = expected(&dir);
    let c = check(&dir, &date);
    let got = keys(&c.findings);
    assert_eq!(
        got,
        want,
        "missing: {:?}\nunexpected: {:?}",
        want.difference(&got).collect::<Vec<_>>(),
        got.difference(&want).collect::<Vec<_>>()
    );
    assert_eq!(c.findings.len(), want.len(), "{:#?}", c.findings);
    // Each says what to write instead.
    for f in &c.findings {
        assert!(f.message.contains(';') || f.message.contains(':'), "{f:?}");
    }
    let not_audited = c
        .findings
        .iter()
        .find(|f| f.rule == "requirement-not-audited")
        .expect("the planted requirement");
    assert!(
        not_audited.message.contains("never audited")
            && not_audited
                .message
                .contains("AUD-2026-04 (2026-11-20) covers it"),
        "{not_audited:?}"
    );
    let independent = c
        .findings
        .iter()
        .find(|f| f.rule == "auditor-not-independent")
        .expect("the planted auditor");
    assert!(
        independent.message.contains("Dana Whitfield")
            && independent.message.contains("PRC-BACKUP")
            && independent.message.contains("CORP:BCK-1"),
        "{independent:?}"
    );
    let missing = c
        .findings
        .iter()
        .find(|f| f.rule == "audit-result-missing")
        .expect("the planted missing result");
    assert!(missing.message.contains("CORP:ACC-1"), "{missing:?}");
}

#[test]
fn bad_input_is_a_finding_at_its_line_and_column_never_a_panic() {
    let dir = fixture("operation/bad-input");
    let text = read(&dir.join("expected.json"));
    let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let want: BTreeSet<(String, String, usize, usize)> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["file"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default() as usize,
                f["column"].as_u64().unwrap_or_default() as usize,
            )
        })
        .collect();
    let c = check(&dir, DATE);
    let got: BTreeSet<(String, String, usize, usize)> = c
        .findings
        .iter()
        .map(|f| (f.rule.clone(), f.file.clone(), f.line, f.column))
        .collect();
    assert_eq!(
        got,
        want,
        "missing: {:?}\nunexpected: {:?}",
        want.difference(&got).collect::<Vec<_>>(),
        got.difference(&want).collect::<Vec<_>>()
    );
    let says = |file: &str, line: usize, words: &[&str]| {
        let f = c
            .findings
            .iter()
            .find(|f| f.file == file && f.line == line)
            .unwrap_or_else(|| panic!("a finding at {file}:{line}"));
        for w in words {
            assert!(f.message.contains(w), "{w:?} in {f:?}");
        }
    };
    says("records/aud-1.yaml", 9, &["did you mean `CORP:OPS-1`"]);
    says(
        "records/aud-1.yaml",
        12,
        &["passed", "conforming, nonconforming"],
    );
    says("records/aud-2.yaml", 6, &["2026-13-01", "YYYY-MM-DD"]);
    says("records/aud-3.yaml", 10, &["outside the audit's scope"]);
    says(
        "records/nc-1.yaml",
        5,
        &["serious", "major, minor, observation, improvement"],
    );
    says("records/nc-1.yaml", 12, &["no `owner:`"]);
    says(
        "records/mr-1.yaml",
        11,
        &["did you mean `customer-feedback`"],
    );
    says("records/nc-2.yaml", 7, &["effectiveness"]);
    let out = smsite(&["check", dir.to_str().unwrap_or_default(), "--date", DATE]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn its_site_shows_each_checklist_the_programme_the_register_and_readiness() {
    let (_t, site) = build(&fixture("operation/audits"), &[]);

    // Each audit's page is its checklist, with CSV and JSON beside it.
    for id in [
        "AUD-2026-01",
        "AUD-2026-02",
        "AUD-2026-03",
        "AUD-2026-04",
        "AUD-2026-C1",
        "AUD-2027-01",
    ] {
        let page = read(&site.join(format!("doc/{id}.html")));
        assert!(
            page.contains(r#"<h2 id="checklist">Audit checklist</h2>"#),
            "{id}"
        );
        assert!(
            page.contains(&format!(r#"href="../audit/{id}.csv""#)),
            "{id}"
        );
        assert!(site.join(format!("audit/{id}.csv")).is_file(), "{id}");
        assert!(site.join(format!("audit/{id}.json")).is_file(), "{id}");
    }
    let a2 = read(&site.join("doc/AUD-2026-02.html"));
    assert!(a2.contains("<strong>30</strong> of <strong>30</strong> requirements in scope have a result, 2 nonconforming"), "{a2}");
    let row = row_of(
        &a2,
        r#"<th scope="row"><a href="../req/ISO20000-1/8.6.1.html">"#,
    );
    assert!(row.contains("result-nonconforming"), "{row}");
    assert!(
        row.contains("3 of 40 sampled P1 incidents not escalated"),
        "{row}"
    );
    assert!(row.contains(r#"href="../doc/NC-2026-001.html""#), "{row}");
    assert!(row.contains(r#"href="../doc/POL-SMS.html""#), "{row}");
    let row = row_of(
        &a2,
        r#"<th scope="row"><a href="../req/ISO20000-1/8.2.1.html">"#,
    );
    assert!(row.contains("(given on ISO20000-1:8)"), "{row}");
    let a3 = read(&site.join("doc/AUD-2026-03.html"));
    assert!(
        row_of(&a3, r#"<th scope="row"><a href="../req/CORP/ACC-1.html">"#).contains("no result"),
        "a result missing is shown"
    );
    // A planned audit: the same checklist, results left blank to fill in.
    let planned = read(&site.join("doc/AUD-2027-01.html"));
    assert!(planned.contains("planned for 2027-02-15"), "{planned}");
    assert_eq!(planned.matches("☐ nonconforming").count(), 10);
    assert!(!planned.contains("result-conforming"));
    let csv = read(&site.join("audit/AUD-2026-02.csv"));
    assert!(csv.starts_with(
        "requirement,title,evidence,pending,result,result_on,note,examined,nonconformities\n"
    ));
    assert!(
        csv.contains("ISO20000-1:8.6.1,Incident management,POL-SMS,,nonconforming,,3 of 40 sampled P1 incidents not escalated,POL-SMS,NC-2026-001\n"),
        "{csv}"
    );
    let rows = json(&site.join("audit/AUD-2027-01.json"));
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len(), 10);
    assert!(rows.iter().all(|r| r["result"] == ""));

    // The programme: requirements × audits, last and next.
    let prog = read(&site.join("audit-programme.html"));
    assert!(
        prog.contains("<strong>59</strong> of <strong>60</strong> applicable requirements audited"),
        "{prog}"
    );
    assert!(
        prog.contains(r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart audit-timeline""#)
    );
    assert!(prog.contains("overdue, planned 2026-11-20"));
    for id in [
        "AUD-2026-01",
        "AUD-2026-02",
        "AUD-2026-03",
        "AUD-2026-04",
        "AUD-2026-C1",
        "AUD-2027-01",
    ] {
        assert!(prog.contains(&format!(r#"href="doc/{id}.html""#)), "{id}");
    }
    let row = row_of(&prog, ">CORP:BCK-2</a>");
    assert!(row.contains("never"), "{row}");
    assert!(
        row.contains(r#"2026-11-20 <a href="doc/AUD-2026-04.html">AUD-2026-04</a>"#),
        "{row}"
    );
    let row = row_of(&prog, ">ISO20000-1:8.6.1</a>");
    assert!(row.contains("✗ nonconforming"), "{row}");
    assert!(
        row.contains(r#"2026-06-16 <a href="doc/AUD-2026-02.html">"#),
        "{row}"
    );
    assert!(
        row.contains(r#"2027-02-15 <a href="doc/AUD-2027-01.html">"#),
        "{row}"
    );
    let p = json(&site.join("audit-programme.json"));
    let bck2 = p
        .as_array()
        .and_then(|a| a.iter().find(|r| r["requirement"] == "CORP:BCK-2"))
        .expect("CORP:BCK-2");
    assert_eq!(bck2["within_cycle"], false);
    assert_eq!(bck2["last_audit"], "");
    assert_eq!(bck2["next_audit"], "AUD-2026-04");
    assert!(read(&site.join("audit-programme.csv")).contains("\nCORP:ACC-1,Privileged access is reviewed every quarter,applicable,2026-09-21,AUD-2026-03,true,,,AUD-2026-03\n"));

    // The register: grade, stage, age, overdue actions, source.
    let reg = read(&site.join("nonconformities.html"));
    assert!(reg.contains("<strong>3</strong> open nonconformities (0 major, 2 minor), <strong>1</strong> overdue action"), "{reg}");
    assert!(reg.contains(r#"class="chart nc-chart""#));
    assert!(reg.contains(r#"<table class="register sortable">"#));
    let v = json(&site.join("nonconformities.json"));
    let stage = |id: &str| {
        v.as_array()
            .and_then(|a| a.iter().find(|r| r["id"] == id))
            .map(|r| {
                (
                    r["stage"].clone(),
                    r["age_days"].clone(),
                    r["overdue_actions"].clone(),
                    r["source"].clone(),
                )
            })
            .unwrap_or_else(|| panic!("{id}"))
    };
    use serde_json::json as j;
    assert_eq!(
        stage("NC-2026-001"),
        (j!("actions planned"), j!(168), j!(1), j!("AUD-2026-02"))
    );
    assert_eq!(
        stage("NC-2026-002"),
        (
            j!("open"),
            j!(70),
            j!(0),
            j!("Customer complaint CMP-2026-031")
        )
    );
    assert_eq!(
        stage("NC-2026-005"),
        (
            j!("awaiting verification"),
            j!(266),
            j!(0),
            j!("AUD-2026-01")
        )
    );
    assert_eq!(
        stage("NC-2026-003"),
        (j!("closed"), j!(90), j!(0), j!("AUD-2026-C1"))
    );
    assert_eq!(
        stage("NC-2026-004"),
        (j!("closed"), j!(111), j!(0), j!("Management review"))
    );
    // Open ones first.
    let ids: Vec<&str> = v
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "NC-2026-001",
            "NC-2026-002",
            "NC-2026-005",
            "NC-2026-003",
            "NC-2026-004"
        ]
    );
    assert!(read(&site.join("nonconformities.csv")).starts_with("id,title,grade,stage,state,raised_on,closed_on,age_days,actions,overdue_actions,source,requirements,owner\n"));
    let nc = read(&site.join("doc/NC-2026-005.html"));
    assert!(
        nc.contains(
            r#"<li class="current" aria-current="step"><strong>awaiting verification</strong></li>"#
        ),
        "{nc}"
    );

    // A requirement's page: the audits that had it in scope, with its
    // result in each, and the nonconformities that name it.
    let req = read(&site.join("req/ISO20000-1/8.6.1.html"));
    let row = row_of(&req, r#"<a href="../../doc/AUD-2026-02.html">"#);
    assert!(
        row.contains("result-nonconforming") && row.contains("performed 2026-06-16"),
        "{row}"
    );
    let row = row_of(&req, r#"<a href="../../doc/AUD-2027-01.html">"#);
    assert!(row.contains("planned 2027-02-15"), "{row}");
    assert!(
        req.contains(r#"<a href="../../doc/NC-2026-001.html">NC-2026-001</a>"#),
        "{req}"
    );
    let parent = read(&site.join("req/ISO20000-1/8.6.html"));
    assert!(parent.contains(r#"<a href="../../doc/NC-2026-001.html">NC-2026-001</a>"#));

    // Management reviews: inputs against the required list, decisions.
    let mr = read(&site.join("doc/MR-2024-11.html"));
    assert!(mr.contains("✗ 6 of 8 required inputs not recorded"), "{mr}");
    assert_eq!(mr.matches("✗ missing").count(), 6);
    let mr = read(&site.join("doc/MR-2025-06.html"));
    assert!(mr.contains("✓ all 8 required inputs considered"), "{mr}");
    assert!(mr.contains(r#"href="../doc/MR-2024-11.html""#));

    // Readiness, linked from the home page.
    let home = read(&site.join("index.html"));
    for href in [
        "readiness.html",
        "audit-programme.html",
        "nonconformities.html",
    ] {
        assert!(home.contains(&format!(r#"href="{href}""#)), "{href}");
    }
    let ready = read(&site.join("readiness.html"));
    let row = row_of(&ready, r#"id="requirements-audited""#);
    assert!(
        row.contains("✗ not met")
            && row.contains(r#"<a href="req/CORP/BCK-2.html">CORP:BCK-2</a>: never audited"#),
        "{row}"
    );
    let row = row_of(&ready, r#"id="no-open-major-nonconformity""#);
    assert!(row.contains("✓ met"), "{row}");
    let row = row_of(&ready, r#"id="nonconformities-in-hand""#);
    assert!(
        row.contains(r#"<a href="doc/NC-2026-002.html">NC-2026-002</a>"#)
            && row.contains(r#"<a href="doc/NC-2026-001.html">NC-2026-001</a>: 1 overdue action"#),
        "{row}"
    );
    let row = row_of(&ready, r#"id="management-review-current""#);
    assert!(
        row.contains("✗ not met") && row.contains("MR-2025-06"),
        "{row}"
    );

    // The evidence pack: programme under 9.2, register under 10.1, the
    // approved audit reports under 9.2 although they satisfy nothing.
    let pack = read(&site.join("evidence-pack.html"));
    assert!(pack.contains(r#"id="pack-audit-programme""#));
    assert!(pack.contains(r#"id="pack-nonconformities""#));
    assert!(pack.contains("Generated · filed under ISO20000-1:9.2"));
    assert!(pack.contains("Generated · filed under ISO20000-1:10.1"));
    assert!(pack.contains("AUD-2026-01 · filed under ISO20000-1:9.2"));
    // An audit's checklist is in the pack with its body, its links made
    // for a page at the root.
    let a1 = &pack[pack
        .find(r#"id="pack-AUD-2026-01""#)
        .expect("AUD-2026-01 in the pack")..];
    let a1 = &a1[..a1.find("</section>\n</section>").unwrap_or(a1.len())];
    assert!(a1.contains(r#"<section class="checklist" aria-label="Audit checklist">"#));
    assert!(
        a1.contains(r#"<a href="req/ISO20000-1/7.2.html">ISO20000-1:7.2</a>"#),
        "{a1}"
    );
    assert!(!pack.contains(r#"href="../"#));
    let at = |s: &str| pack.find(s).unwrap_or_else(|| panic!("{s}"));
    assert!(at(r#"id="pack-AUD-2026-03""#) < at(r#"id="pack-audit-programme""#));
    assert!(at(r#"id="pack-audit-programme""#) < at(r#"id="pack-nonconformities""#));
}

#[test]
fn the_readiness_rows_judge_the_records() {
    let c = check(&fixture("operation/audits"), DATE);
    let row = |key: &str| {
        c.readiness
            .checks
            .iter()
            .find(|r| r.key == key)
            .unwrap_or_else(|| panic!("{key}"))
    };
    let ids = |key: &str| {
        row(key)
            .short
            .iter()
            .map(|s| s.id.clone())
            .collect::<Vec<_>>()
    };
    assert!(!row("requirements-audited").met);
    assert_eq!(ids("requirements-audited"), ["CORP:BCK-2"]);
    assert_eq!(
        row("requirements-audited").figure,
        "59 of 60 applicable requirements audited by an internal audit within 365 days"
    );
    assert!(row("no-open-major-nonconformity").met);
    assert_eq!(
        ids("nonconformities-in-hand"),
        ["NC-2026-002", "NC-2026-001"]
    );
    assert!(!row("management-review-current").met);
    assert_eq!(ids("management-review-current"), ["MR-2025-06"]);
    // The keys in the contract's order, after coverage.
    let keys: Vec<&str> = c.readiness.checks.iter().map(|r| r.key).collect();
    assert_eq!(
        &keys[..5],
        [
            "requirements-covered",
            "requirements-audited",
            "no-open-major-nonconformity",
            "nonconformities-in-hand",
            "management-review-current"
        ]
    );
}

#[test]
fn a_kind_declared_with_a_built_in_name_is_extended_not_replaced() {
    let r = repo(&[
        (
            "sms.yaml",
            "name: Declared kinds\nrequirements: [requirements/corp.yaml]\nkinds:\n  audit:\n    fields:\n      lead_auditor: {type: string, required: true}\n      planned_on: {type: date}\n      scope: {type: list}\n  nonconformity:\n    fields:\n      grade: {type: enum, values: [high, low]}\n",
        ),
        (
            "requirements/corp.yaml",
            "catalogue: CORP\ntitle: C\nrequirements:\n  - id: R-1\n    title: One\n",
        ),
        (
            "policies/p.md",
            &policy("POL-1", "satisfies: [CORP:R-1]\n", "# P"),
        ),
        (
            "records/aud-1.yaml",
            "id: AUD-1\ntitle: Audit\nkind: audit\nowner: SMS Manager\naudit_type: internal\nplanned_on: 2026-05-01\nperformed_on: 2026-05-02\nauditors: [Priya Natarajan]\nscope: [CORP:R-1]\nresults:\n  - {req: CORP:R-1, result: conforming}\n",
        ),
    ]);
    let c = check(r.path(), DATE);
    let got: Vec<(String, String, usize, String)> = c
        .findings
        .iter()
        .map(|f| (f.rule.clone(), f.file.clone(), f.line, f.message.clone()))
        .collect();
    // `scope` and `grade` conflict with the built-in fields: each a
    // parse-error naming both; `planned_on` has the same type and stays
    // required; `lead_auditor` is added (and required).
    assert_eq!(got.len(), 3, "{got:#?}");
    assert_eq!(
        (got[0].0.as_str(), got[0].1.as_str(), got[0].2),
        ("invalid-field", "records/aud-1.yaml", 1)
    );
    assert!(got[0].3.contains("`lead_auditor`"), "{got:#?}");
    assert_eq!(
        (got[1].0.as_str(), got[1].1.as_str(), got[1].2),
        ("parse-error", "sms.yaml", 8)
    );
    assert!(
        got[1].3.contains("`list`") && got[1].3.contains("`requirement references`"),
        "{got:#?}"
    );
    assert_eq!((got[2].0.as_str(), got[2].2), ("parse-error", 11));
    assert!(
        got[2].3.contains("enum [high, low]")
            && got[2]
                .3
                .contains("enum [major, minor, observation, improvement]"),
        "{got:#?}"
    );
    // Without `planned_on` the built-in declaration still requires it.
    let aud = r.path().join("records/aud-1.yaml");
    let text = read(&aud).replace(
        "planned_on: 2026-05-01\n",
        "lead_auditor: Priya Natarajan\n",
    );
    std::fs::write(&aud, text).expect("write");
    let c = check(r.path(), DATE);
    let invalid: Vec<&str> = c
        .findings
        .iter()
        .filter(|f| f.rule == "invalid-field")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(invalid.len(), 1, "{invalid:?}");
    assert!(invalid[0].contains("`planned_on`"), "{invalid:?}");
    assert!(
        c.findings.iter().all(|f| f.rule != "unknown-field"),
        "{:?}",
        c.findings
    );
}

#[test]
fn without_audit_or_review_records_their_rules_stay_silent() {
    // A repository written to part 1 alone: no finding of part 2.
    let c = check(&fixture("rules/broken-reference/good"), DATE);
    assert!(c.findings.is_empty(), "{:?}", c.findings);
    let c = check(&fixture("realistic/planted"), DATE);
    for f in &c.findings {
        assert!(
            !f.rule.contains("audit")
                && !f.rule.contains("nonconformity")
                && !f.rule.contains("management-review"),
            "{f:?}"
        );
    }
}

#[test]
fn restricted_audits_leave_nothing_of_their_content_in_a_lower_audience() {
    let (_t, site) = build(&root().join("sample-sms"), &["--audience", "internal"]);
    // AUD-2026-A5 is confidential: no page, no checklist, no column.
    assert!(!site.join("doc/AUD-2026-A5.html").exists());
    assert!(!site.join("audit/AUD-2026-A5.csv").exists());
    let prog = read(&site.join("audit-programme.html"));
    assert!(prog.contains("1 restricted audit not shown"), "{prog}");
    assert!(!prog.contains(r#">AUD-2026-A5</a>"#));
    for e in walkdir::WalkDir::new(&site).into_iter().flatten() {
        if e.file_type().is_file() {
            let bytes = std::fs::read(e.path()).expect("read");
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains("3 of 12 emergency changes"),
                "{}",
                e.path().display()
            );
        }
    }
    // Its nonconformities name it, and link to the notice.
    let nc = read(&site.join("doc/NC-2026-07.html"));
    assert!(nc.contains(r#"href="../restricted.html""#), "{nc}");
}

#[test]
fn a_checklist_names_a_dozen_documents_of_evidence_then_links_the_rest() {
    let mut files: Vec<(String, String)> = vec![
        (
            "sms.yaml".into(),
            "name: Many documents\nrequirements: [requirements/corp.yaml]\n".into(),
        ),
        (
            "requirements/corp.yaml".into(),
            "catalogue: CORP\ntitle: C\nrequirements:\n  - id: R-1\n    title: One\n".into(),
        ),
        (
            "records/aud-1.yaml".into(),
            "id: AUD-1\ntitle: Audit\nkind: audit\nowner: SMS Manager\naudit_type: internal\nplanned_on: 2026-05-01\nperformed_on: 2026-05-02\nauditors: [Priya Natarajan]\nscope: [CORP:R-1]\nresults:\n  - {req: CORP:R-1, result: conforming}\n".into(),
        ),
    ];
    for i in 0..15 {
        files.push((
            format!("policies/p{i:02}.md"),
            policy(&format!("POL-{i:02}"), "satisfies: [CORP:R-1]\n", "# P"),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let r = repo(&refs);
    let (_t, site) = build(r.path(), &[]);
    let page = read(&site.join("doc/AUD-1.html"));
    assert!(page.contains(r#"<a href="../doc/POL-11.html">POL-11</a>, <a href="../req/CORP/R-1.html">and 3 more</a>"#), "{page}");
    assert!(!page.contains(r#"href="../doc/POL-12.html""#));
    // The exports keep every one.
    let rows = json(&site.join("audit/AUD-1.json"));
    assert_eq!(rows[0]["evidence"].as_array().map(Vec::len), Some(15));
    // The requirement's page lists them all.
    let req = read(&site.join("req/CORP/R-1.html"));
    assert!(req.contains(r#"href="../../doc/POL-14.html""#));
}
