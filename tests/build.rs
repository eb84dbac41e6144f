//! `smsite build` end to end: the sample and an independently written
//! repository build clean and produce the right pages, matrices and exports;
//! a repository with one fault of each rule reports them all and publishes
//! nothing; the command-line contract (JSON shape, exit codes, atomic output).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;

/// Documents in `sample-sms/`.
const SAMPLE_DOCS: usize = 126;

/// Builds `repo` into a fresh temporary folder; returns (tempdir, site path).
fn build(repo: &Path) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    let out = smsite(&[
        "build",
        repo.to_str().unwrap_or_default(),
        "--out",
        site.to_str().unwrap_or_default(),
        "--date",
        "2026-12-01",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (tmp, site)
}

/// CSV rows keyed by column `key`.
fn csv_rows(p: &Path, key: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(p).expect("csv");
    let headers = r.headers().expect("headers").clone();
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            let row: BTreeMap<String, String> = headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect();
            (row.get(key).cloned().unwrap_or_default(), row)
        })
        .collect()
}

#[test]
fn sample_builds_clean_with_pages_matrices_and_exports() {
    let (_tmp, site) = build(&root().join("sample-sms"));
    for page in [
        "index.html",
        "register.html",
        "soa.html",
        "findings.html",
        "404.html",
        "matrix/requirements.html",
        "matrix/services.html",
        "matrix/reviews.html",
        "doc/SVC-TOS.html",
        "doc/POL-SMS.html",
        "req/ISO20000-1/8.3.3.html",
        "req/NW/SEC-1.html",
        "kind/service.html",
        "static/style.css",
        "static/syntax.css",
        "model.json",
        "assets/northwind-logo.svg",
    ] {
        assert!(site.join(page).is_file(), "{page} missing");
    }
    // The home page names the SMS and shows full coverage.
    let home = read(&site.join("index.html"));
    assert!(home.contains("Northwind IT Service Management System"));
    assert!(
        home.contains("<strong>67</strong> of <strong>67</strong> requirements covered"),
        "{home}"
    );

    // A service page: document control, fields linking to neighbours, body, back-links.
    let tos = read(&site.join("doc/SVC-TOS.html"));
    assert!(tos.contains("<h1>Terminal operating system</h1>"));
    assert!(
        tos.contains("href=\"../doc/SVC-NET.html\""),
        "depends_on links to SVC-NET"
    );
    assert!(
        tos.contains("href=\"../doc/BCP-PORT-OPS.html\""),
        "referenced by its continuity plan"
    );
    assert!(
        tos.contains("id=\"availability-and-support-hours\""),
        "heading anchors"
    );
    assert!(tos.contains("../static/style.css"), "links are relative");
    assert!(!tos.contains("href=\"/"), "no absolute links");

    // A requirement page lists its evidence with status.
    let r = read(&site.join("req/ISO20000-1/8.3.3.html"));
    assert!(
        r.contains("href=\"../../doc/PRC-SLM.html\""),
        "8.3.3 evidence: {r}"
    );

    // Code blocks are highlighted with classes.
    let backup = read(&site.join("doc/PROC-BACKUP-VERIFY.html"));
    assert!(backup.contains("class=\"hl-"), "syntect classes");

    // Matrix CSV rows are right.
    let services = csv_rows(&site.join("matrix/services.csv"), "service");
    assert_eq!(services.len(), 9);
    assert_eq!(services["SVC-TOS"]["slas"], "SLA-TOS");
    assert_eq!(services["SVC-TOS"]["continuity_plans"], "BCP-PORT-OPS");
    assert_eq!(services["SVC-TOS"]["criticality"], "critical");
    let reqs = csv_rows(&site.join("matrix/requirements.csv"), "requirement");
    let leaf_rows: Vec<_> = reqs
        .values()
        .filter(|r| r["catalogue"] == "ISO20000-1" && r["leaf"] == "true")
        .collect();
    assert_eq!(leaf_rows.len(), 57);
    assert!(leaf_rows.iter().all(|r| r["coverage"] == "documents"));
    assert_eq!(reqs["ISO20000-1:4"]["title"], "Context of the organization");
    assert_eq!(reqs["NW:DSP-1"]["coverage"], "other-party");
    let soa = csv_rows(&site.join("soa.csv"), "requirement");
    assert_eq!(soa["NW:PCI-1"]["applicability"], "not-applicable");
    assert!(!soa["NW:PCI-1"]["justification"].is_empty());

    // JSON exports parse and agree with CSV.
    let m: serde_json::Value =
        serde_json::from_str(&read(&site.join("matrix/services.json"))).expect("json");
    assert_eq!(m.as_array().map(Vec::len), Some(9));
    let model: serde_json::Value =
        serde_json::from_str(&read(&site.join("model.json"))).expect("model json");
    assert_eq!(
        model["documents"].as_array().map(Vec::len),
        Some(SAMPLE_DOCS)
    );
    // The one warning the sample shows: an SLA target missed, unexplained.
    let findings = model["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["rule"], "sla-target-missed");
    assert_eq!(findings[0]["file"], "measurements/monitoring.csv");
    let tos_json = model["documents"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["id"] == "SVC-TOS"))
        .expect("SVC-TOS in model");
    assert!(
        tos_json["referenced_by"]
            .as_array()
            .is_some_and(|r| r.iter().any(|x| x == "SLA-TOS"))
    );
}

#[test]
fn requirements_matrix_rows_by_key() {
    let (_tmp, site) = build(&root().join("sample-sms"));
    let mut r = csv::Reader::from_path(site.join("matrix/requirements.csv")).expect("csv");
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    let find = |key: &str| {
        rows.iter()
            .find(|r| &r[1] == key)
            .unwrap_or_else(|| panic!("{key} row"))
    };
    assert_eq!(&find("ISO20000-1:4")[4], "covered");
    assert_eq!(&find("ISO20000-1:8.3.3")[4], "documents");
    assert!(
        find("ISO20000-1:8.3.3")[7]
            .split(' ')
            .any(|d| d == "PRC-SLM")
    );
    assert_eq!(&find("NW:DSP-1")[4], "other-party");
    assert_eq!(&find("NW:PCI-1")[4], "not-applicable");
    assert_eq!(&find("ISO20000-1:8.3.4")[5], "2", "8.3.4 has two leaves");
}

#[test]
fn independently_written_repository_builds_clean_with_the_right_matrices() {
    let (_tmp, site) = build(&fixture("realistic/clean"));
    let services = csv_rows(&site.join("matrix/services.csv"), "service");
    let expect = [
        (
            "SVC-DESKTOP",
            "medium",
            "SLA-DESKTOP",
            "",
            "SUP-COUNTY-CYBER",
        ),
        (
            "SVC-IDENTITY",
            "critical",
            "SLA-IDENTITY",
            "BCP-CORE",
            "SUP-COUNTY-CYBER",
        ),
        (
            "SVC-NETWORK",
            "high",
            "SLA-NETWORK",
            "BCP-CORE",
            "SUP-TARNSIDE",
        ),
        (
            "SVC-REVBEN",
            "critical",
            "SLA-REVBEN",
            "BCP-REVBEN",
            "SUP-TARNSIDE",
        ),
        ("SVC-SERVICEDESK", "medium", "SLA-SERVICEDESK", "", ""),
    ];
    assert_eq!(services.len(), expect.len());
    for (id, crit, sla, plan, sup) in expect {
        let r = &services[id];
        assert_eq!(
            (
                r["criticality"].as_str(),
                r["slas"].as_str(),
                r["continuity_plans"].as_str(),
                r["suppliers"].as_str()
            ),
            (crit, sla, plan, sup),
            "{id}"
        );
    }
    let mut r = csv::Reader::from_path(site.join("matrix/requirements.csv")).expect("csv");
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    let evidence = |key: &str| -> Vec<String> {
        let row = rows
            .iter()
            .find(|r| &r[1] == key)
            .unwrap_or_else(|| panic!("{key}"));
        let mut v: Vec<String> = row[7]
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        evidence("ISO20000-1:7.5.3"),
        ["POL-DOCCTRL", "PRO-RETENTION"]
    );
    assert_eq!(
        evidence("ISO20000-1:8.3.3"),
        [
            "PRC-RELATIONSHIP",
            "SLA-DESKTOP",
            "SLA-IDENTITY",
            "SLA-NETWORK",
            "SLA-REVBEN",
            "SLA-SERVICEDESK"
        ]
    );
    assert_eq!(evidence("ISO20000-1:8.6.1"), ["PRC-RESOLUTION"]);
    assert_eq!(
        evidence("ISO20000-1:8.7.2"),
        ["BCP-CORE", "BCP-REVBEN", "PRC-ASSURANCE"]
    );
    assert_eq!(
        evidence("ISO20000-1:10.1"),
        ["PRC-IMPROVE", "REC-AUDIT-2026", "REC-LESSONS-2026-03"]
    );
    for leaf in [
        "ISO20000-1:8.7.3.1",
        "ISO20000-1:8.7.3.2",
        "ISO20000-1:8.7.3.3",
    ] {
        assert_eq!(
            &rows.iter().find(|r| &r[1] == leaf).expect("row")[4],
            "other-party",
            "{leaf}"
        );
    }
    assert_eq!(
        &rows.iter().find(|r| &r[1] == "KMS:CUST-1").expect("row")[4],
        "covered"
    );
    assert_eq!(
        &rows.iter().find(|r| &r[1] == "KMS:PCI-1").expect("row")[4],
        "not-applicable"
    );
    // The excluded harness notes and _drafts are not documents.
    assert!(!site.join("doc/EXPECTED-MATRICES.html").exists());
    let reviews = std::fs::read_to_string(site.join("matrix/reviews.csv")).expect("reviews");
    assert!(!reviews.contains(",overdue"));
}

#[test]
fn planted_faults_are_all_reported_and_nothing_is_published() {
    let repo = fixture("realistic/planted");
    let (d, want, _) = expected(&repo);
    let got = keys(&check(&repo, &d).findings);
    assert_eq!(
        got,
        want,
        "missing {:?}\nunexpected {:?}",
        want.difference(&got).collect::<Vec<_>>(),
        got.difference(&want).collect::<Vec<_>>()
    );
    let rules: std::collections::BTreeSet<&str> = got.iter().map(|k| k.0.as_str()).collect();
    assert_eq!(
        rules.len(),
        13,
        "one fault of each built-in rule: {rules:?}"
    );

    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    std::fs::create_dir_all(&site).expect("mkdir");
    std::fs::write(site.join("index.html"), "earlier site").expect("write");
    let out = smsite(&[
        "build",
        repo.to_str().unwrap_or_default(),
        "--out",
        site.to_str().unwrap_or_default(),
        "--date",
        &d,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nothing was published"), "{stderr}");
    assert!(
        stderr.contains("evidence/2026/service-report-2026-q3.md:23"),
        "human output names file and line: {stderr}"
    );
    assert!(stderr.contains("did you mean `SVC-IDENTITY`?"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(site.join("index.html")).expect("read"),
        "earlier site"
    );
    assert_eq!(std::fs::read_dir(&site).expect("ls").count(), 1);
}

#[test]
fn json_findings_have_the_stable_shape() {
    let repo = fixture("rules/broken-reference/bad");
    let out = smsite(&[
        "check",
        repo.to_str().unwrap_or_default(),
        "--format",
        "json",
        "--date",
        "2026-12-01",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("stdout is one JSON object");
    let f = &v["findings"][0];
    for k in ["rule", "severity", "file", "line", "column", "message"] {
        assert!(!f[k].is_null(), "finding lacks {k}: {f}");
    }
    for k in ["errors", "warnings", "documents", "requirements", "covered"] {
        assert!(v["summary"][k].is_u64(), "summary lacks {k}");
    }
    assert!(
        f["line"].as_u64().is_some_and(|l| l >= 1) && f["column"].as_u64().is_some_and(|c| c >= 1)
    );
}

#[test]
fn exit_codes_and_usage() {
    assert_eq!(smsite(&["--version"]).status.code(), Some(0));
    assert_eq!(smsite(&["--help"]).status.code(), Some(0));
    assert_eq!(smsite(&["build", "--bogus"]).status.code(), Some(2));
    assert_eq!(
        smsite(&["check", "sample-sms", "--date", "2026-13-01"])
            .status
            .code(),
        Some(2)
    );
    let missing = smsite(&["check", "/nonexistent/sms"]);
    assert_eq!(missing.status.code(), Some(2));
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = smsite(&["check", tmp.path().to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("smsite init"));
}

#[test]
fn successful_build_replaces_the_previous_site_whole() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    std::fs::create_dir_all(site.join("stale")).expect("mkdir");
    std::fs::write(site.join("stale/old.html"), "old").expect("write");
    std::fs::write(site.join("index.html"), "old site").expect("write");
    let repo = fixture("rules/broken-reference/good");
    let out = smsite(&[
        "build",
        repo.to_str().unwrap_or_default(),
        "--out",
        site.to_str().unwrap_or_default(),
        "--date",
        "2026-12-01",
        "--quiet",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site.join("index.html").is_file());
    assert!(
        !site.join("stale").exists(),
        "the old site is replaced, not merged"
    );
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("ls")
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().contains(".tmp-") || n.to_string_lossy().contains(".old-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn default_output_is_public_inside_the_repository_and_is_not_read_back() {
    let tmp = copy_fixture(&fixture("rules/broken-reference/good"));
    for _ in 0..2 {
        let out = smsite(&[
            "build",
            tmp.path().to_str().unwrap_or_default(),
            "--date",
            "2026-12-01",
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(tmp.path().join("public/index.html").is_file());
}

#[test]
fn the_theme_folder_is_not_read_as_documents() {
    // The walk compares folders with the theme's by inode first, then by
    // canonical path: a theme folder (here holding a Markdown file that
    // would not parse as a document) is never read.
    let tmp = copy_fixture(&fixture("rules/broken-reference/good"));
    let sms = tmp.path().join("sms.yaml");
    let cfg = std::fs::read_to_string(&sms).expect("sms.yaml");
    std::fs::write(&sms, format!("{cfg}\ntheme: brand\n")).expect("write sms.yaml");
    std::fs::create_dir_all(tmp.path().join("brand/templates")).expect("mkdir");
    std::fs::write(
        tmp.path().join("brand/README.md"),
        "---\nid: [\n---\nnot a document\n",
    )
    .expect("write");
    let out = smsite(&[
        "check",
        tmp.path().to_str().unwrap_or_default(),
        "--date",
        "2026-12-01",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["findings"], serde_json::json!([]), "{v}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn init_scaffolds_a_repository_that_builds() {
    // Drafts with guidance: the site builds (uncovered requirements are
    // warnings while the scaffold's sms.yaml says so), nothing else is
    // wrong; tests/kickstart.rs follows a new user further.
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path().join("my-sms");
    let out = smsite(&["init", repo.to_str().unwrap_or_default()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = smsite(&[
        "build",
        repo.to_str().unwrap_or_default(),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["summary"]["errors"], 0, "{v}");
    assert_eq!(v["summary"]["requirements"], 57);
    assert_eq!(v["summary"]["covered"], 0);
    // The records of the SMS in operation start with the right shapes.
    for (file, kind) in [
        ("audits/first-internal-audit.md", "kind audit"),
        ("nonconformities/gap-analysis.yaml", "kind nonconformity"),
        (
            "reviews/first-management-review.yaml",
            "kind management-review",
        ),
    ] {
        assert!(repo.join(file).is_file(), "{file} ({kind})");
    }
    assert_eq!(out.status.code(), Some(0));
    assert!(repo.join("public/progress.html").is_file());
    // A second init into the same folder refuses.
    assert_eq!(
        smsite(&["init", repo.to_str().unwrap_or_default()])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn repository_templates_override_the_theme_file_by_file() {
    let tmp = copy_fixture(&fixture("rules/broken-reference/good"));
    std::fs::create_dir_all(tmp.path().join("templates")).expect("mkdir");
    std::fs::write(tmp.path().join("templates/404.html"), "{% extends \"base.html\" %}{% block content %}<p>Custom 404 for {{ site.name }}</p>{% endblock content %}").expect("write");
    let (_t, site) = build(tmp.path());
    assert!(read(&site.join("404.html")).contains("<p>Custom 404 for "));
    assert!(
        read(&site.join("index.html")).contains("<h2 id=\"scope\">Scope</h2>"),
        "other templates still come from the theme"
    );
}

/// Builds the `broken-reference/good` fixture with one template of its own
/// (`templates/NAME`), findings as JSON: the repository, the exit and the JSON.
fn build_with_template(
    name: &str,
    text: &str,
) -> (tempfile::TempDir, Option<i32>, serde_json::Value) {
    let tmp = copy_fixture(&fixture("rules/broken-reference/good"));
    std::fs::create_dir_all(tmp.path().join("templates")).expect("mkdir");
    std::fs::write(tmp.path().join("templates").join(name), text).expect("write");
    let out = smsite(&[
        "build",
        tmp.path().to_str().unwrap_or_default(),
        "--date",
        "2026-12-01",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    (tmp, out.status.code(), v)
}

#[test]
fn template_syntax_error_names_the_template_file_and_line() {
    let (tmp, code, v) = build_with_template("404.html", "line one\n{% if %}\n");
    assert_eq!(code, Some(1));
    let f = &v["findings"][0];
    assert_eq!(f["file"], "templates/404.html");
    assert_eq!(f["line"], 2);
    assert!(!tmp.path().join("public").exists());
}

#[test]
fn layout_parts_are_rendered_per_folder_depth_and_can_be_overridden() {
    let tmp = copy_fixture(&fixture("realistic/clean"));
    std::fs::create_dir_all(tmp.path().join("templates")).expect("mkdir");
    // A final line break is the file's: dropped, as the layout places the part.
    std::fs::write(
        tmp.path().join("templates/nav.html"),
        "<nav class=\"mine\">{{ site.kinds | length }} kinds, root [{{ root }}]</nav>\n",
    )
    .expect("write");
    let (_t, site) = build(tmp.path());
    let home = read(&site.join("index.html"));
    assert!(
        home.contains("<div class=\"layout\">\n<nav class=\"mine\">14 kinds, root []</nav>\n<main id=\"main\">"),
        "{home}"
    );
    let doc = read(&site.join("doc/BCP-CORE.html"));
    assert!(
        doc.contains("<nav class=\"mine\">14 kinds, root [../]</nav>\n<main"),
        "{doc}"
    );
    let req = std::fs::read_dir(site.join("req/ISO20000-1"))
        .expect("req pages")
        .flatten()
        .next()
        .map(|e| read(&e.path()))
        .unwrap_or_default();
    assert!(req.contains("root [../../]</nav>"), "{req}");
    // The built-in header and footer still come from the theme, with the
    // page's own root.
    assert!(
        doc.contains("<a class=\"brand\" href=\"../index.html\">"),
        "{doc}"
    );
    assert!(
        doc.contains("<a href=\"../manifest.json\">manifest</a></p>\n</footer>\n<script"),
        "{doc}"
    );
}

#[test]
fn a_layout_part_that_fails_names_its_template_and_publishes_nothing() {
    // Parts see `site` and `root` only: `title` is the page's.
    let (tmp, code, v) = build_with_template("header.html", "<header>\n{{ title }}</header>\n");
    assert_eq!(code, Some(1));
    let findings = v["findings"].as_array().cloned().unwrap_or_default();
    assert_eq!(findings.len(), 1, "reported once, not once per page: {v}");
    assert_eq!(findings[0]["rule"], "parse-error");
    assert_eq!(findings[0]["file"], "templates/header.html");
    assert_eq!(findings[0]["line"], 2);
    assert!(!tmp.path().join("public").exists());
}

#[test]
fn markdown_links_and_refs_are_rewritten_to_pages() {
    let (_tmp, site) = build(&fixture("realistic/clean"));
    let any = std::fs::read_dir(site.join("doc"))
        .expect("doc")
        .flatten()
        .map(|e| read(&e.path()))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        !any.contains(".md\""),
        "relative .md links are rewritten to page URLs"
    );
    assert!(
        !any.contains(".md#"),
        "relative .md links with anchors are rewritten"
    );
    assert!(any.contains("class=\"ref\""), "[[refs]] become links");
    assert!(
        !any.contains("broken-ref"),
        "nothing broken in a clean repository"
    );
}

/// A document page's lists of references and back-links are written from
/// items made once per document (`ListItems` in `src/render`); the default
/// theme prints them with `| safe`. They must be exactly what the lists'
/// loops over `doc.references` and `doc.referenced_by` write, escaping
/// included: a theme with those loops gives the same pages, byte for byte.
#[test]
fn reference_lists_written_once_are_the_loops_output() {
    let plain = copy_fixture(&fixture("realistic/clean"));
    // Titles that need escaping, in both lists of each other's page.
    for (id, other) in [("POL-ESC-A", "POL-ESC-B"), ("POL-ESC-B", "POL-ESC-A")] {
        std::fs::write(
            plain.path().join(format!("01-governance/{}.md", id.to_lowercase())),
            format!(
                "---\nid: {id}\ntitle: Tom & Jerry's \"<b>{id}</b>\" rules\nowner: SMS Manager\nstatus: draft\n---\n\nSee [[{other}]] and [[POL-DOCCTRL]].\n"
            ),
        )
        .expect("write");
    }
    let looped = copy_fixture(plain.path());
    std::fs::create_dir_all(looped.path().join("templates")).expect("mkdir");
    let theme = read(&root().join("themes/default/templates/document.html"));
    let with_loops = theme
        .replace(
            "{{ doc.references_html | safe }}",
            "{% for d in doc.references %}<li><a href=\"{{ root }}{{ d.url }}\">{{ d.id }}</a> {{ d.title }} <span class=\"badge status-{{ d.status }}\">{{ d.status }}</span></li>{% endfor %}",
        )
        .replace(
            "{{ doc.referenced_by_html | safe }}",
            "{% for d in doc.referenced_by %}<li><a href=\"{{ root }}{{ d.url }}\">{{ d.id }}</a> {{ d.title }}</li>{% endfor %}",
        );
    assert_ne!(with_loops, theme, "the theme prints the lists written once");
    std::fs::write(looped.path().join("templates/document.html"), with_loops).expect("write");
    let (_a, site_a) = build(plain.path());
    let (_b, site_b) = build(looped.path());
    let mut pages = 0;
    for e in std::fs::read_dir(site_a.join("doc"))
        .expect("doc pages")
        .flatten()
    {
        let name = e.file_name();
        assert_eq!(
            read(&e.path()),
            read(&site_b.join("doc").join(&name)),
            "{name:?}"
        );
        pages += 1;
    }
    assert!(pages > 30, "{pages} pages");
    let a = read(&site_a.join("doc/POL-ESC-B.html"));
    assert!(
        a.contains("<li><a href=\"../doc/POL-ESC-A.html\">POL-ESC-A</a> Tom &amp; Jerry&#39;s &quot;&lt;b&gt;POL-ESC-A&lt;/b&gt;&quot; rules <span class=\"badge status-draft\">draft</span></li>"),
        "{a}"
    );
}
