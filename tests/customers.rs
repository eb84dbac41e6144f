//! The relationship processes (8.3.2): customers and complaints, checked
//! and shown. A repository written from the contract's text by someone
//! else (`tests/fixtures/operation/customers/`) reports exactly its
//! planted faults, and its site shows every customer and complaint: the
//! customers index, each customer's page, the complaints register (HTML,
//! CSV, JSON: open first, ages as of the pinned date), the services
//! matrix's customers, the readiness rows. Also: the sample's register
//! in the evidence pack, a complaint's link to a nonconformity, a
//! restricted complaint, `smsite init`'s customer.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;

const DATE: &str = "2026-12-10";

/// CSV rows in order, each a map of column to cell.
fn csv_rows(p: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(p).expect("csv");
    let headers = r.headers().expect("headers").clone();
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn independent() -> std::path::PathBuf {
    fixture("operation/customers")
}

/// The independent repository built: its errors lowered to warnings (an
/// error publishes nothing), everything else as written.
fn independent_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let repo = copy_fixture(&independent());
    let sms = repo.path().join("sms.yaml");
    let text = read(&sms);
    std::fs::write(
        &sms,
        format!("{text}rules:\n  complaint-closed-incomplete: warning\n  broken-reference: warning\n  invalid-field: warning\n"),
    )
    .expect("write sms.yaml");
    let out = repo.path().join("site");
    build_into(repo.path(), &out, DATE, &[]);
    (repo, out)
}

#[test]
fn the_independent_repository_reports_exactly_its_planted_faults() {
    let dir = independent();
    let (date, want, _) = expected(&dir);
    assert_eq!(date, DATE);
    let got = keys(&check(&dir, &date).findings);
    assert_eq!(
        got,
        want,
        "missing: {:?}\nunexpected: {:?}",
        want.difference(&got).collect::<Vec<_>>(),
        got.difference(&want).collect::<Vec<_>>()
    );
}

/// The register's order and ages, as of 2026-12-10: open first, the
/// oldest on top; closed, the latest received first (no date last); the
/// retired one last.
const REGISTER: &[(&str, &str, &str)] = &[
    ("CMP-0007", "open", "56"),
    ("CMP-0008", "open", "20"),
    ("CMP-0009", "open", "10"),
    ("CMP-0006", "closed", "16"),
    ("CMP-0005", "closed", ""), // closed without closed_on: not known
    ("CMP-0004", "closed", "9"),
    ("CMP-0002", "closed", "27"),
    ("CMP-0001", "closed", "8"),
    ("CMP-0003", "closed", ""),  // received_on is not a date
    ("CMP-0010", "open", "310"), // retired
];

#[test]
fn its_complaints_register_lists_every_complaint_open_first_with_ages() {
    let (_repo, site) = independent_site();
    // CSV.
    let rows = csv_rows(&site.join("complaints.csv"));
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["id"].as_str(),
                r["state"].as_str(),
                r["age_days"].as_str(),
            )
        })
        .collect();
    assert_eq!(got, REGISTER);
    let by_id = |id: &str| {
        rows.iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    let c7 = by_id("CMP-0007");
    assert_eq!(c7["customer"], "CUS-RESEARCH");
    assert_eq!(c7["service"], "SVC-HPC");
    assert_eq!(c7["received_on"], "2026-10-15");
    assert_eq!(c7["overdue"], "true");
    let overdue: Vec<&str> = rows
        .iter()
        .filter(|r| r["overdue"] == "true")
        .map(|r| r["id"].as_str())
        .collect();
    assert_eq!(overdue, ["CMP-0007"], "the retired open one is not overdue");
    assert_eq!(by_id("CMP-0009")["service"], "");
    assert_eq!(by_id("CMP-0006")["customer"], "CUS-LIBRRY");
    assert_eq!(by_id("CMP-0010")["status"], "retired");
    assert_eq!(
        by_id("CMP-0002")["resolution"].trim(),
        "Two access points added on the second floor; a survey showed full coverage."
    );

    // JSON: the same rows, links resolved.
    let v = json(&site.join("complaints.json"));
    let arr = v.as_array().expect("a list");
    let ids: Vec<&str> = arr.iter().filter_map(|r| r["id"].as_str()).collect();
    let want: Vec<&str> = REGISTER.iter().map(|r| r.0).collect();
    assert_eq!(ids, want);
    assert_eq!(arr[0]["age_days"], 56);
    assert_eq!(arr[0]["overdue"], true);
    assert_eq!(arr[0]["url"], "doc/CMP-0007.html");
    assert_eq!(arr[0]["customer"]["url"], "doc/CUS-RESEARCH.html");
    assert_eq!(arr[0]["customer"]["title"], "Research office");
    assert_eq!(arr[0]["service"]["url"], "doc/SVC-HPC.html");
    assert_eq!(arr[0]["nonconformity"], serde_json::Value::Null);
    let c6 = arr
        .iter()
        .find(|r| r["id"] == "CMP-0006")
        .expect("CMP-0006");
    assert_eq!(c6["customer"]["id"], "CUS-LIBRRY");
    assert_eq!(c6["customer"]["url"], serde_json::Value::Null);
    let c5 = arr
        .iter()
        .find(|r| r["id"] == "CMP-0005")
        .expect("CMP-0005");
    assert_eq!(c5["age_days"], serde_json::Value::Null);

    // HTML: every complaint, in the same order, sortable.
    let page = read(&site.join("complaints.html"));
    assert!(page.contains(r#"<table class="sortable complaints">"#));
    let mut last = 0;
    for (id, _, _) in REGISTER {
        let at = page
            .find(&format!(r#"<a href="doc/{id}.html">{id}</a>"#))
            .unwrap_or_else(|| panic!("{id} in the register page"));
        assert!(at > last, "{id} out of order");
        last = at;
    }
    // The retired one is not counted.
    assert!(page.contains("9 complaints, 3 open"), "{page}");
    assert!(
        page.contains("<strong>1 open longer than 30 days</strong>"),
        "{page}"
    );
    assert_eq!(page.matches("over 30 days</span>").count(), 1);
    assert!(page.contains(r#"<span class="broken-ref">CUS-LIBRRY</span>"#));
    assert!(
        page.contains(r#"href="complaints.csv""#) && page.contains(r#"href="complaints.json""#)
    );
    let home = read(&site.join("index.html"));
    assert!(home.contains(r#"href="complaints.html""#), "{home}");
    assert!(home.contains(r#"href="customers.html""#), "{home}");
}

#[test]
fn its_customers_index_and_pages_show_every_customer() {
    let (_repo, site) = independent_site();
    let rows = csv_rows(&site.join("customers.csv"));
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str()).collect();
    assert_eq!(
        ids,
        [
            "CUS-ALUMNI",
            "CUS-ESTATES",
            "CUS-LIBRARY",
            "CUS-RESEARCH",
            "CUS-STUDENTS"
        ]
    );
    let row = |id: &str| rows.iter().find(|r| r["id"] == id).expect("row");
    let research = row("CUS-RESEARCH");
    assert_eq!(research["relationship_manager"], "Tomasz Wierzbicki");
    assert_eq!(research["services"], "SVC-HPC SVC-EMAIL");
    assert_eq!(research["last_service_review"], "2025-09-30");
    assert_eq!(research["review_age_days"], "436");
    assert_eq!(research["review_state"], "overdue");
    assert_eq!(
        (
            research["complaints"].as_str(),
            research["complaints_open"].as_str()
        ),
        ("2", "1")
    );
    assert_eq!(row("CUS-ESTATES")["review_state"], "missing");
    assert_eq!(row("CUS-STUDENTS")["review_state"], "current");
    assert_eq!(row("CUS-STUDENTS")["complaints"], "3");
    // The misspelt CMP-0006 and the retired CMP-0010 count for nobody.
    assert_eq!(row("CUS-LIBRARY")["complaints"], "1");
    let v = json(&site.join("customers.json"));
    assert_eq!(v.as_array().map(Vec::len), Some(5));
    assert_eq!(v[3]["services"][0]["url"], "doc/SVC-HPC.html");
    let index = read(&site.join("customers.html"));
    for id in ids {
        assert!(
            index.contains(&format!(r#"<a href="doc/{id}.html">{id}</a>"#)),
            "{id} in the index"
        );
        assert!(site.join(format!("doc/{id}.html")).is_file(), "{id} page");
    }

    // A customer's page: services received with their SLAs' targets,
    // last review, complaints (open first).
    let p = read(&site.join("doc/CUS-RESEARCH.html"));
    assert!(p.contains(r#"<h2 id="rel-services">Services received</h2>"#));
    for s in ["SVC-HPC", "SVC-EMAIL", "SLA-HPC", "SLA-EMAIL"] {
        assert!(p.contains(&format!(r#"href="../doc/{s}.html""#)), "{s}");
    }
    assert!(p.contains("<td>job queue wait (median)</td><td>4 h</td><td>calendar month</td>"));
    assert!(p.contains(r#"<span class="none">not measured</span>"#));
    assert!(p.contains("2025-09-30, 436 days before 2026-12-10"), "{p}");
    assert!(p.contains(r#"<span class="badge review-overdue">overdue</span>"#));
    let (c7, c3) = (
        p.find(r#"href="../doc/CMP-0007.html""#).expect("CMP-0007"),
        p.find(r#"href="../doc/CMP-0003.html""#).expect("CMP-0003"),
    );
    assert!(c7 < c3, "open first");
    assert!(p.contains("2 complaints, 1 open"), "{p}");
    let est = read(&site.join("doc/CUS-ESTATES.html"));
    assert!(est.contains("none recorded"), "{est}");
    assert!(est.contains("CMP-0009") && est.contains("CMP-0005"));
    let lib = read(&site.join("doc/CUS-LIBRARY.html"));
    assert!(lib.contains("CMP-0010") && lib.contains("status-retired"));
    assert!(!lib.contains("CMP-0006"), "a misspelt customer is nobody's");
}

#[test]
fn its_services_show_their_customers() {
    let (_repo, site) = independent_site();
    // The services matrix: customer documents linked, other names as text.
    let rows = csv_rows(&site.join("matrix/services.csv"));
    let wifi = rows
        .iter()
        .find(|r| r["service"] == "SVC-WIFI")
        .expect("wifi");
    assert_eq!(wifi["customers"], "CUS-STUDENTS CUS-LIBRARY CUS-ESTATES");
    assert_eq!(wifi["customer_names"], "Visitors");
    let print = rows
        .iter()
        .find(|r| r["service"] == "SVC-PRINT")
        .expect("print");
    assert_eq!(print["customers"], "", "a retired customer does not count");
    assert_eq!(print["customer_names"], "All staff");
    let m = json(&site.join("matrix/services.json"));
    let wj = m
        .as_array()
        .and_then(|a| a.iter().find(|r| r["id"] == "SVC-WIFI"))
        .expect("wifi");
    assert_eq!(wj["customers"][0]["url"], "doc/CUS-STUDENTS.html");
    assert_eq!(wj["customer_names"][0], "Visitors");
    let page = read(&site.join("matrix/services.html"));
    assert!(page.contains(r#"<th scope="col">Customers</th>"#));
    assert!(page.contains(r#"<a href="../doc/CUS-ESTATES.html" title="Estates and facilities">CUS-ESTATES</a>, Visitors</td>"#), "{page}");

    // A service's page: its `customers:` ids linked, and who receives it.
    let w = read(&site.join("doc/SVC-WIFI.html"));
    assert!(w.contains(r#"<a href="../doc/CUS-STUDENTS.html" title="Students (through the Students&#39; Union)">CUS-STUDENTS</a>, <a href="../doc/CUS-LIBRARY.html" title="University Library">CUS-LIBRARY</a>, Visitors"#), "{w}");
    assert!(w.contains(r#"<h2 id="rel-customers">Customers</h2>"#));
    assert!(w.contains("Amara Osei") && w.contains("Tomasz Wierzbicki"));
    let p = read(&site.join("doc/SVC-PRINT.html"));
    assert!(p.contains("No customer document lists this service"), "{p}");
}

#[test]
fn its_readiness_rows_name_what_falls_short() {
    let out = smsite(&[
        "check",
        independent().to_str().unwrap_or_default(),
        "--format",
        "json",
        "--date",
        DATE,
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let checks = v["summary"]["readiness"]["checks"]
        .as_array()
        .expect("checks");
    let keys: Vec<&str> = checks.iter().filter_map(|c| c["key"].as_str()).collect();
    // The contract's order: these two come last.
    assert_eq!(
        &keys[keys.len() - 2..],
        ["complaints-within-limit", "customer-reviews-current"]
    );
    let row = |k: &str| checks.iter().find(|c| c["key"] == k).expect("row");
    let c = row("complaints-within-limit");
    assert_eq!(c["met"], false);
    assert_eq!(c["title"], "No complaint open past its limit");
    assert_eq!(
        c["figure"],
        "1 of 3 open complaints received more than 30 days ago"
    );
    assert_eq!(c["short"][0]["id"], "CMP-0007");
    assert_eq!(c["short"][0]["note"], "open since 2026-10-15, 56 days");
    let r = row("customer-reviews-current");
    assert_eq!(r["met"], false);
    assert_eq!(r["figure"], "2 of 4 customers reviewed within 365 days");
    let short: Vec<&str> = r["short"]
        .as_array()
        .expect("short")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert_eq!(short, ["CUS-ESTATES", "CUS-RESEARCH"]);
}

#[test]
fn the_sample_files_its_complaints_register_under_8_3_2() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    build_into(&root().join("sample-sms"), &site, "2026-12-01", &[]);
    let pack = read(&site.join("evidence-pack.html"));
    let at = pack
        .find(r#"id="pack-complaints""#)
        .expect("the register in the pack");
    let section = &pack[at..];
    assert!(section.contains("Generated · filed under ISO20000-1:8.3.2"));
    assert!(section.contains(r#"<a href="doc/CMP-2026-022.html">CMP-2026-022</a>"#));
    assert!(section.contains(r#"<a href="doc/CMP-2025-041.html">CMP-2025-041</a>"#));
    // Before the documents filed under a later clause.
    let next = pack.find("filed under ISO20000-1:8.3.3").expect("8.3.3");
    assert!(at < next);
    assert!(pack[..at].contains("filed under ISO20000-1:8.3.2"));
    // Every customer of the sample, and a year of complaints at every state.
    let customers = csv_rows(&site.join("customers.csv"));
    assert_eq!(customers.len(), 5);
    assert!(customers.iter().all(|c| c["review_state"] == "current"));
    let complaints = csv_rows(&site.join("complaints.csv"));
    assert_eq!(complaints.len(), 14);
    for state in ["open", "closed"] {
        assert!(complaints.iter().any(|c| c["state"] == state), "{state}");
    }
    assert!(complaints.iter().any(|c| c["status"] == "retired"));
    assert!(complaints.iter().any(|c| c["service"].is_empty()));
    assert_eq!(
        complaints[0]["id"], "CMP-2026-021",
        "open first, the oldest on top"
    );
    // The service's page names the customers that receive it (its own
    // `customers:` list keeps the names it always had: editing it would
    // call for re-approving the service and review of what refers to it).
    let tos = read(&site.join("doc/SVC-TOS.html"));
    assert!(tos.contains(
        r#"<a href="../doc/CUS-TERMINAL-OPS.html">CUS-TERMINAL-OPS</a> Terminal operations"#
    ));
    assert!(tos.contains("Gate and Yard Planning"));
}

/// A complaint's `nonconformity:` is a reference to a document of kind
/// `nonconformity`.
fn nonconformity_repo() -> tempfile::TempDir {
    repo(&[
        (
            "sms.yaml",
            "name: NC SMS\nrequirements: [ISO20000-1]\nrules:\n  requirement-uncovered: off\n",
        ),
        (
            "services/net.yaml",
            "id: SVC-NET\ntitle: Network\nkind: service\ncriticality: low\n",
        ),
        (
            "slas/net.yaml",
            "id: SLA-NET\ntitle: Network SLA\nkind: sla\nservice: SVC-NET\n",
        ),
        (
            "customers/ops.yaml",
            "id: CUS-OPS\ntitle: Operations\nkind: customer\nrelationship_manager: Dana Okafor\nservices: [SVC-NET]\nlast_service_review: 2026-10-14\n",
        ),
        (
            "records/nonconformities/nc-9.yaml",
            "id: NC-2026-009\ntitle: Wi-Fi survey skipped at berth 6\nkind: nonconformity\ngrade: minor\nraised_on: 2026-10-05\nsource: Complaint CMP-2026-012\nrequirements: [ISO20000-1:8.3.2]\nstate: open\nroot_cause: The survey was left out of the change plan.\nactions:\n  - {action: Survey berth 6, owner: Network Lead, due_by: 2026-12-20}\n",
        ),
        (
            "records/complaints/cmp-12.yaml",
            "id: CMP-2026-012\ntitle: Quay Wi-Fi drops at berth 6\nkind: complaint\ncustomer: CUS-OPS\nservice: SVC-NET\nreceived_on: 2026-10-03\nstate: closed\nclosed_on: 2026-10-21\nresolution: Access points re-sited; no drop since 2026-10-18.\nnonconformity: NC-2026-009\n",
        ),
    ])
}

#[test]
fn a_complaint_links_the_nonconformity_it_led_to() {
    let repo = nonconformity_repo();
    let c = check(repo.path(), "2026-12-01");
    assert!(c.findings.is_empty(), "{:?}", c.findings);
    let site = repo.path().join("site");
    build_into(repo.path(), &site, "2026-12-01", &[]);
    let rows = csv_rows(&site.join("complaints.csv"));
    assert_eq!(rows[0]["nonconformity"], "NC-2026-009");
    assert_eq!(rows[0]["age_days"], "18");
    let v = json(&site.join("complaints.json"));
    assert_eq!(v[0]["nonconformity"]["url"], "doc/NC-2026-009.html");
    let page = read(&site.join("complaints.html"));
    assert!(page.contains(r#"<a href="doc/NC-2026-009.html">NC-2026-009</a>"#));
    // The nonconformity's page lists the complaint among what refers to it.
    let nc = read(&site.join("doc/NC-2026-009.html"));
    assert!(nc.contains(r#"href="../doc/CMP-2026-012.html""#));

    // Pointing it at a document of another kind is a broken reference.
    let f = repo.path().join("records/complaints/cmp-12.yaml");
    let text = read(&f).replace("nonconformity: NC-2026-009", "nonconformity: SVC-NET");
    std::fs::write(&f, text).expect("write");
    let c = check(repo.path(), "2026-12-01");
    let got: Vec<(&str, usize)> = c
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.line))
        .collect();
    assert_eq!(got, [("broken-reference", 10)], "{:?}", c.findings);
    assert!(
        c.findings[0]
            .message
            .contains("must point at a nonconformity document")
    );
}

#[test]
fn a_restricted_complaint_keeps_its_row_and_shows_nothing_of_itself() {
    let repo = nonconformity_repo();
    std::fs::write(
        repo.path().join("records/complaints/cmp-13.yaml"),
        "id: CMP-2026-013\ntitle: Rude reply from the night engineer\nkind: complaint\nclassification: confidential\ncustomer: CUS-OPS\nreceived_on: 2026-11-20\nstate: open\n",
    )
    .expect("write");
    let site = repo.path().join("site");
    build_into(
        repo.path(),
        &site,
        "2026-12-01",
        &["--audience", "internal"],
    );
    let v = json(&site.join("complaints.json"));
    let rows = v.as_array().expect("rows");
    assert_eq!(rows.len(), 2, "the restricted complaint is counted");
    let r = rows
        .iter()
        .find(|r| r["id"] == "CMP-2026-013")
        .expect("its row");
    assert_eq!(r["title"], "Restricted document");
    assert_eq!(r["url"], "restricted.html");
    assert_eq!(r["customer"], serde_json::Value::Null);
    assert_eq!(r["state"], "");
    for f in walkdir::WalkDir::new(&site).into_iter().flatten() {
        if f.file_type().is_file() {
            let t = String::from_utf8_lossy(&std::fs::read(f.path()).expect("read")).to_string();
            assert!(!t.contains("Rude reply"), "{}", f.path().display());
        }
    }
    // Not among the customer's complaints (its id alone is among the
    // documents referring to the customer, linked to the notice).
    let ops = read(&site.join("doc/CUS-OPS.html"));
    let at = ops.find(r#"id="rel-complaints""#).expect("complaints");
    let end = ops.find(r#"id="trace""#).expect("traceability");
    assert!(ops[at..end].contains("CMP-2026-012"), "{ops}");
    assert!(!ops[at..end].contains("CMP-2026-013"), "{ops}");
    assert!(
        ops.contains(r#"<a href="../restricted.html">CMP-2026-013</a>"#),
        "{ops}"
    );
}

#[test]
fn init_scaffolds_a_customer_of_its_service() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path().join("my-sms");
    let out = smsite(&["init", repo.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(0));
    let c = check(&repo, &jiff::Zoned::now().date().to_string());
    // A new SMS has not reviewed its services with the customer yet: that
    // gap is reported, at the customer, beside the others of the gap analysis.
    let customer_findings: Vec<_> = c
        .findings
        .iter()
        .filter(|f| f.file.starts_with("customers/") || f.rule.contains("customer"))
        .collect();
    assert_eq!(customer_findings.len(), 1, "{customer_findings:?}");
    assert_eq!(customer_findings[0].rule, "customer-review-overdue");
    assert_eq!(customer_findings[0].file, "customers/example-customer.yaml");
    assert!(
        c.findings
            .iter()
            .all(|f| f.severity != smsite::diag::Severity::Error)
    );
    let customers: Vec<&smsite::model::Document> = c
        .loaded
        .documents
        .iter()
        .filter(|d| d.kind == "customer")
        .collect();
    assert_eq!(customers.len(), 1);
    assert_eq!(
        customers[0].refs_of("services").collect::<Vec<_>>(),
        ["SVC-EXAMPLE"]
    );
    let service = c
        .loaded
        .documents
        .iter()
        .find(|d| d.id == "SVC-EXAMPLE")
        .expect("the example service");
    assert_eq!(
        service.text("customers").as_deref(),
        Some("[\"CUS-EXAMPLE\"]")
    );
}

#[test]
fn a_customer_page_shows_the_latest_result_of_each_measured_target() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    build_into(&root().join("sample-sms"), &site, "2026-12-01", &[]);
    let page = read(&site.join("doc/CUS-TERMINAL-OPS.html"));
    let at = page
        .find(r#"id="rel-services""#)
        .expect("services received");
    let services = &page[at..];
    // SLA-TOS's availability: 99.99 in November (monitoring.csv), met.
    assert!(
        services.contains(r#"99.99 % in <a href="../report/2026-11.html">2026-11</a>, <span class="badge result-met">met</span>"#),
        "{services}"
    );
    // A target the measurements do not cover says so.
    assert!(services.contains(r#"<span class="none">not measured</span>"#));
}
