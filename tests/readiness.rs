//! Readiness for certification: each check judged from the repository,
//! in the JSON summary of `check` and `build` and on the readiness page
//! (linked from the home page), what falls short linked.

mod common;

use common::*;

/// `check --format json` on `dir`: the parsed output.
fn check_json(dir: &std::path::Path, date: &str) -> serde_json::Value {
    let out = smsite(&[
        "check",
        dir.to_str().unwrap_or_default(),
        "--format",
        "json",
        "--date",
        date,
    ]);
    serde_json::from_slice(&out.stdout).expect("check prints one JSON object")
}

fn check_of<'a>(v: &'a serde_json::Value, key: &str) -> &'a serde_json::Value {
    v["summary"]["readiness"]["checks"]
        .as_array()
        .expect("a list of checks")
        .iter()
        .find(|c| c["key"] == key)
        .unwrap_or_else(|| panic!("no check {key} in {v}"))
}

fn short_ids(c: &serde_json::Value) -> Vec<String> {
    c["short"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|s| s["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn the_planted_repository_falls_short_where_its_faults_are() {
    let v = check_json(&fixture("realistic/planted"), "2026-12-01");
    let r = &v["summary"]["readiness"];
    assert_eq!(r["total"], 4, "{r}");
    assert_eq!(r["met"], 0, "{r}");
    // No measurements: the SLA targets' row is not met, and says why.
    let sla = check_of(&v, "sla-targets-met");
    assert_eq!(sla["met"], false);
    assert!(
        sla["figure"]
            .as_str()
            .unwrap_or_default()
            .starts_with("no SLA target has measurements recorded"),
        "{sla}"
    );

    let cov = check_of(&v, "requirements-covered");
    assert_eq!(cov["met"], false);
    assert_eq!(short_ids(cov), vec!["KMS:REC-1"]);
    assert!(
        cov["figure"].as_str().unwrap_or_default().contains(" of "),
        "{cov}"
    );

    let cont = check_of(&v, "continuity-tested");
    assert_eq!(cont["met"], false);
    assert_eq!(short_ids(cont), vec!["SVC-EPTEL", "SVC-REVBEN"], "{cont}");
    assert_eq!(
        cont["figure"],
        "2 of 4 high or critical services with a plan tested within 365 days"
    );

    let rev = check_of(&v, "reviews-current");
    assert_eq!(rev["met"], false);
    assert_eq!(short_ids(rev), vec!["SLA-DESKTOP"], "{rev}");
}

#[test]
fn the_sample_is_ready_and_says_so() {
    let v = check_json(&root().join("sample-sms"), "2026-12-01");
    let r = &v["summary"]["readiness"];
    assert_eq!(r["met"], r["total"], "{r}");
    for c in r["checks"].as_array().expect("checks") {
        assert_eq!(c["met"], true, "{c}");
        assert!(c["short"].as_array().is_some_and(|s| s.is_empty()), "{c}");
        for k in ["key", "title", "figure"] {
            assert!(c[k].as_str().is_some_and(|s| !s.is_empty()), "{k} in {c}");
        }
    }
}

/// A repository with one shortfall of each check, all warnings, so that it builds.
fn short_repo() -> tempfile::TempDir {
    repo(&[
        (
            "sms.yaml",
            "name: Short SMS\nrequirements: [requirements/corp.yaml]\nrules:\n  requirement-uncovered: warning\n  critical-service-without-continuity-plan: warning\n",
        ),
        (
            "requirements/corp.yaml",
            "catalogue: CORP\ntitle: Corporate\nrequirements:\n  - id: R-1\n    title: Covered\n  - id: R-2\n    title: Not covered\n",
        ),
        (
            "policies/p.md",
            &policy(
                "POL-1",
                "satisfies: [CORP:R-1]\nreview_by: 2026-11-01\n",
                "# P",
            ),
        ),
        (
            "services/tel.yaml",
            "id: SVC-TEL\ntitle: Telephony\nkind: service\ncriticality: critical\n",
        ),
        (
            "slas/tel.yaml",
            "id: SLA-TEL\ntitle: Telephony SLA\nkind: sla\nservice: SVC-TEL\n",
        ),
    ])
}

#[test]
fn the_readiness_page_lists_each_check_and_links_what_falls_short() {
    let repo = short_repo();
    let v = check_json(repo.path(), "2026-12-01");
    assert_eq!(v["summary"]["readiness"]["met"], 0, "{v}");
    assert_eq!(
        short_ids(check_of(&v, "requirements-covered")),
        vec!["CORP:R-2"]
    );
    assert_eq!(
        short_ids(check_of(&v, "continuity-tested")),
        vec!["SVC-TEL"]
    );
    assert_eq!(short_ids(check_of(&v, "reviews-current")), vec!["POL-1"]);

    let site = repo.path().join("site");
    let out = smsite(&[
        "build",
        repo.path().to_str().unwrap_or_default(),
        "--out",
        site.to_str().unwrap_or_default(),
        "--date",
        "2026-12-01",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(site.join("readiness.html")).expect("readiness page");
    assert!(
        page.contains("<strong>0</strong> of <strong>4</strong> checks met"),
        "{page}"
    );
    assert_eq!(page.matches("✗ not met").count(), 4, "{page}");
    assert!(
        page.contains(r#"<a href="req/CORP/R-2.html">CORP:R-2</a>: no approved evidence"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<a href="doc/SVC-TEL.html">SVC-TEL</a>: no continuity plan"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<a href="doc/POL-1.html">POL-1</a>: due for review on 2026-11-01"#),
        "{page}"
    );
    let home = std::fs::read_to_string(site.join("index.html")).expect("home");
    assert!(
        home.contains(r#"<a href="readiness.html"><strong>0</strong> of <strong>4</strong> readiness checks met</a>: 4 to resolve"#),
        "{home}"
    );
}

#[test]
fn a_rule_set_to_off_hides_its_findings_not_the_readiness_row() {
    let repo = short_repo();
    let sms = repo.path().join("sms.yaml");
    let text = std::fs::read_to_string(&sms).expect("sms.yaml");
    std::fs::write(&sms, format!("{text}  review-overdue: off\n")).expect("write");
    let v = check_json(repo.path(), "2026-12-01");
    let findings = v["findings"].as_array().expect("findings");
    assert!(
        findings.iter().all(|f| f["rule"] != "review-overdue"),
        "{v}"
    );
    assert_eq!(short_ids(check_of(&v, "reviews-current")), vec!["POL-1"]);
}
