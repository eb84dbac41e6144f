//! Readiness for certification: each check judged from the repository,
//! in the JSON summary of `check` and `build` and on the readiness page
//! (linked from the home page), what falls short linked.

mod common;

use common::*;

/// `check --format json` on `dir` (and `extra` arguments): the parsed output.
fn check_json(dir: &std::path::Path, date: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "check",
        dir.to_str().unwrap_or_default(),
        "--format",
        "json",
        "--date",
        date,
    ];
    args.extend(extra);
    let out = smsite(&args);
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
    // Without history (the fixture's commits are this project's): the
    // approvals row cannot be judged, and says so.
    let v = check_json(
        &fixture("realistic/planted"),
        "2026-12-01",
        &["--no-history"],
    );
    let r = &v["summary"]["readiness"];
    assert_eq!(r["total"], smsite::readiness::ROWS.len(), "{r}");
    // No complaint is recorded, so none is open too long: the one check
    // met. No customer is recorded, so no customer's review is current;
    // without history the approvals are unknown. Every other check falls short.
    assert_eq!(r["met"], 1, "{r}");
    assert_eq!(check_of(&v, "complaints-within-limit")["met"], true);
    let cust = check_of(&v, "customer-reviews-current");
    assert_eq!(cust["met"], false);
    assert!(short_ids(cust).is_empty(), "{cust}");
    assert!(
        cust["figure"]
            .as_str()
            .is_some_and(|f| f.starts_with("no customer is recorded")),
        "{cust}"
    );
    assert_eq!(
        r["unknown"],
        serde_json::json!(["approvals-current"]),
        "{r}"
    );
    let approvals = check_of(&v, "approvals-current");
    assert_eq!(approvals["met"], false);
    assert!(
        approvals["figure"]
            .as_str()
            .is_some_and(|f| f.starts_with("unknown: ") && f.contains("--no-history")),
        "{approvals}"
    );
    // Without audit, nonconformity or review records, the rows of the SMS
    // in operation are not met, and say what to record.
    for (key, says) in [
        ("requirements-audited", "no audit recorded"),
        (
            "no-open-major-nonconformity",
            "no audit or nonconformity recorded",
        ),
        (
            "nonconformities-in-hand",
            "no audit or nonconformity recorded",
        ),
        ("management-review-current", "no management review recorded"),
    ] {
        let c = check_of(&v, key);
        assert_eq!(c["met"], false, "{c}");
        assert!(
            c["figure"].as_str().unwrap_or_default().starts_with(says),
            "{c}"
        );
        assert_eq!(short_ids(c), Vec::<String>::new(), "{c}");
    }
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
    // With the history of this project's repository, where the sample lives:
    // no approved sample document may be edited without being approved again.
    let v = check_json(&root().join("sample-sms"), "2026-12-01", &[]);
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
        (
            "customers/sales.yaml",
            "id: CUS-SALES\ntitle: Sales\nkind: customer\nrelationship_manager: Ann Lee\nservices: [SVC-TEL]\n",
        ),
        (
            "complaints/c1.yaml",
            "id: CMP-1\ntitle: Calls drop\nkind: complaint\ncustomer: CUS-SALES\nreceived_on: 2026-10-01\nstate: open\n",
        ),
    ])
}

#[test]
fn the_readiness_page_lists_each_check_and_links_what_falls_short() {
    let repo = short_repo();
    let v = check_json(repo.path(), "2026-12-01", &["--no-history"]);
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
    assert_eq!(
        short_ids(check_of(&v, "complaints-within-limit")),
        vec!["CMP-1"]
    );
    assert_eq!(
        short_ids(check_of(&v, "customer-reviews-current")),
        vec!["CUS-SALES"]
    );
    let rows = smsite::readiness::ROWS.len();

    let site = repo.path().join("site");
    let out = smsite(&[
        "build",
        "--no-history",
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
        page.contains(&format!(
            "<strong>0</strong> of <strong>{rows}</strong> checks met"
        )),
        "{page}"
    );
    assert_eq!(page.matches("✗ not met").count(), rows - 1, "{page}");
    assert_eq!(page.matches("? unknown").count(), 1, "{page}");
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
        home.contains(&format!(r#"<a href="readiness.html"><strong>0</strong> of <strong>{rows}</strong> readiness checks met</a>: {rows} to resolve"#)),
        "{home}"
    );
    assert!(
        page.contains(r#"<a href="doc/CMP-1.html">CMP-1</a>: open since 2026-10-01, 61 days"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<a href="doc/CUS-SALES.html">CUS-SALES</a>: no service review recorded"#),
        "{page}"
    );
}

#[test]
fn a_rule_set_to_off_hides_its_findings_not_the_readiness_row() {
    let repo = short_repo();
    let sms = repo.path().join("sms.yaml");
    let text = std::fs::read_to_string(&sms).expect("sms.yaml");
    std::fs::write(&sms, format!("{text}  review-overdue: off\n")).expect("write");
    let v = check_json(repo.path(), "2026-12-01", &["--no-history"]);
    let findings = v["findings"].as_array().expect("findings");
    assert!(
        findings.iter().all(|f| f["rule"] != "review-overdue"),
        "{v}"
    );
    assert_eq!(short_ids(check_of(&v, "reviews-current")), vec!["POL-1"]);
}
