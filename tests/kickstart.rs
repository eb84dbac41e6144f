//! A new user's first hour: `smsite init` writes drafts with guidance,
//! `smsite check` is the gap analysis, approving a draft unchanged fails
//! the build at its guidance (`template-text`), the progress page starts
//! at 0 %, `init --example` is the worked example, and `init` refuses bad
//! targets without writing anything.

mod common;

use std::path::{Path, PathBuf};

use common::{root, smsite};
use serde_json::Value;

/// `smsite init` into a fresh folder; returns (temporary folder, repository).
fn init() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path().join("my-sms");
    let out = smsite(&["init", s(&repo)]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (tmp, repo)
}

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// `smsite check REPO --format json`: (exit code, JSON).
fn check_json(repo: &Path) -> (Option<i32>, Value) {
    let out = smsite(&["check", s(repo), "--date", "2026-12-01", "--format", "json"]);
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code(), v)
}

fn findings_of<'a>(v: &'a Value, rule: &str) -> Vec<&'a Value> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

/// The 1-based line of the first line of `text` starting with `prefix`.
fn line_of(text: &str, prefix: &str) -> usize {
    text.lines()
        .position(|l| l.trim_start().starts_with(prefix))
        .map(|i| i + 1)
        .expect("the line is there")
}

#[test]
fn first_check_is_an_honest_gap_analysis() {
    let (_t, repo) = init();
    let (code, v) = check_json(&repo);
    // Drafts cover nothing: every leaf requirement is uncovered, as a
    // warning while the scaffold's sms.yaml says so, and each names the
    // draft that will cover it once approved.
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["summary"]["requirements"], 57);
    assert_eq!(v["summary"]["covered"], 0);
    assert_eq!(v["summary"]["errors"], 0, "{v}");
    let gaps = findings_of(&v, "requirement-uncovered");
    assert_eq!(gaps.len(), 57);
    for g in &gaps {
        assert_eq!(g["severity"], "warning");
        assert_eq!(g["file"], "sms.yaml");
        assert_eq!(g["line"], 10, "at `- ISO20000-1` under requirements:");
        let m = g["message"].as_str().unwrap_or_default();
        assert!(m.contains("(draft) would cover it once approved"), "{m}");
    }
    let m = |clause: &str| {
        gaps.iter()
            .map(|g| g["message"].as_str().unwrap_or_default())
            .find(|m| m.contains(&format!("ISO20000-1:{clause} ")))
            .unwrap_or_else(|| panic!("no finding for {clause}"))
            .to_string()
    };
    assert!(
        m("8.5.1.1").contains("POL-CHANGE (draft)"),
        "{}",
        m("8.5.1.1")
    );
    assert!(m("9.4").contains("PRC-REPORTING (draft), RPT-EXAMPLE (draft)"));
    // Nothing is audited yet: each requirement names the planned audit.
    let unaudited = findings_of(&v, "requirement-not-audited");
    assert_eq!(unaudited.len(), 57);
    assert!(unaudited.iter().all(|f| {
        f["message"]
            .as_str()
            .is_some_and(|m| m.contains("the planned audit AUD-001"))
    }));
    // Nothing else but the untested continuity plan, the customer not yet
    // reviewed with and the management review not yet held: real gaps too.
    let others: Vec<&Value> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] != "requirement-uncovered" && f["rule"] != "requirement-not-audited")
        .collect();
    assert_eq!(others.len(), 3, "{others:?}");
    assert_eq!(others[0]["rule"], "continuity-plan-untested");
    assert_eq!(others[1]["rule"], "customer-review-overdue");
    assert_eq!(others[2]["rule"], "management-review-overdue");
    // The human output says it in words.
    let out = smsite(&["check", s(&repo)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("0/57 requirements covered"), "{err}");
    assert!(
        err.contains("PLN-SCOPE (draft) would cover it once approved"),
        "{err}"
    );
}

#[test]
fn drafts_have_guidance_satisfies_and_schema_modelines() {
    let (_t, repo) = init();
    let policy = std::fs::read_to_string(repo.join("policies/change-management-policy.md"))
        .expect("the change management policy draft");
    assert!(policy.starts_with("---\nid: POL-CHANGE\n"), "{policy}");
    assert!(policy.contains("\nstatus: draft\n"));
    assert!(policy.contains("\nsatisfies: [ISO20000-1:8.5.1.1]\n"));
    assert!(policy.contains("\n> **Guidance:** Define which service components"));
    let service = std::fs::read_to_string(repo.join("services/example-service.yaml"))
        .expect("the service record");
    assert!(
        service.starts_with("# yaml-language-server: $schema=../schemas/service.json\n"),
        "{service}"
    );
    assert!(service.contains("\nbody: |\n  ## Description\n\n  > **Guidance:** "));
    assert!(repo.join("schemas/service.json").is_file());
    let sms = std::fs::read_to_string(repo.join("sms.yaml")).expect("sms.yaml");
    assert!(sms.contains("requirement-uncovered: warning"));
    assert!(
        sms.contains("before the\n  # certification audit, so that a gap fails the build."),
        "{sms}"
    );
}

/// Sets a draft's status to approved (with its approval fields).
fn approve(file: &Path) -> String {
    let text = std::fs::read_to_string(file).expect("the draft");
    let approved = text.replacen(
        "status: draft\n",
        "status: approved\napproved_by: Management board\napproved_on: 2026-11-20\n",
        1,
    );
    std::fs::write(file, &approved).expect("write");
    approved
}

#[test]
fn approving_a_draft_unchanged_fails_at_its_guidance() {
    let (_t, repo) = init();
    let file = repo.join("policies/change-management-policy.md");
    let text = approve(&file);
    let (code, v) = check_json(&repo);
    assert_eq!(code, Some(1), "{v}");
    let found = findings_of(&v, "template-text");
    assert_eq!(found.len(), 1, "{v}");
    let f = found[0];
    assert_eq!(f["severity"], "error");
    assert_eq!(f["file"], "policies/change-management-policy.md");
    assert_eq!(f["line"], line_of(&text, "> **Guidance:**"));
    assert_eq!(
        f["line"], 16,
        "front matter of 12 lines, a blank, a heading, a blank"
    );
    assert_eq!(f["column"], 1);
    let m = f["message"].as_str().unwrap_or_default();
    assert!(m.contains("POL-CHANGE"), "{m}");
    assert!(m.contains("and 2 more, at lines 21, 27"), "{m}");
    // The build publishes nothing.
    let out = smsite(&["build", s(&repo), "--date", "2026-12-01"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!repo.join("public").exists());
    // Writing the sections (removing every guidance block) clears it,
    // and the document is now evidence for its clause.
    let written: String = text
        .lines()
        .filter(|l| !l.starts_with('>'))
        .map(|l| format!("{l}\n"))
        .collect::<String>()
        .replace(
            "## Scope of change management\n",
            "## Scope of change management\n\nEvery change to a live service component.\n",
        );
    std::fs::write(&file, written).expect("write");
    let (code, v) = check_json(&repo);
    assert_eq!(code, Some(0), "{v}");
    assert!(findings_of(&v, "template-text").is_empty());
    assert_eq!(v["summary"]["covered"], 1);
}

#[test]
fn an_approved_record_with_guidance_in_its_body_is_found_at_its_line() {
    let (_t, repo) = init();
    let file = repo.join("suppliers/example-supplier.yaml");
    let text = approve(&file);
    let (code, v) = check_json(&repo);
    assert_eq!(code, Some(1));
    let found = findings_of(&v, "template-text");
    assert_eq!(found.len(), 1, "{v}");
    assert_eq!(found[0]["file"], "suppliers/example-supplier.yaml");
    assert_eq!(found[0]["line"], line_of(&text, "> **Guidance:**"));
    assert_eq!(found[0]["column"], 3, "indented under `body: |`");
}

#[test]
fn the_progress_page_starts_at_zero_and_moves_with_approvals() {
    let (_t, repo) = init();
    let site = repo.join("public");
    let out = smsite(&["build", s(&repo), "--date", "2026-12-01", "--quiet"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(site.join("progress.html")).expect("progress.html");
    assert!(
        html.contains("<strong>0 %</strong> approved: <strong>0</strong> of <strong>57</strong>"),
        "{html}"
    );
    assert!(
        html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart progress-chart\"")
    );
    assert!(html.contains("<title id=\"progress-chart-title\">"));
    let home = std::fs::read_to_string(site.join("index.html")).expect("home");
    assert!(home.contains("<a href=\"progress.html\">Implementation progress</a>"));
    let rows: Value = serde_json::from_str(
        &std::fs::read_to_string(site.join("progress.json")).expect("progress.json"),
    )
    .expect("JSON");
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len(), 57);
    assert!(rows.iter().all(|r| r["stage"] == "draft-only"), "{rows:?}");
    let csv = std::fs::read_to_string(site.join("progress.csv")).expect("progress.csv");
    assert!(csv.starts_with("requirement,title,clause,stage,evidence,pending\n"));
    assert!(csv.contains("ISO20000-1:8.5.1.1,Change management policy,ISO20000-1:8,draft-only,,POL-CHANGE (draft)\n"), "{csv}");

    // One draft approved (its guidance replaced), one in review.
    let policy = repo.join("policies/change-management-policy.md");
    approve(&policy);
    let text = std::fs::read_to_string(&policy).expect("read");
    let written: String = text
        .lines()
        .filter(|l| !l.starts_with('>'))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&policy, written).expect("write");
    let plan = repo.join("plans/internal-audit-programme.md");
    let t = std::fs::read_to_string(&plan).expect("read");
    std::fs::write(&plan, t.replacen("status: draft", "status: review", 1)).expect("write");
    let out = smsite(&["build", s(&repo), "--date", "2026-12-01", "--quiet"]);
    assert_eq!(out.status.code(), Some(0));
    let rows: Value = serde_json::from_str(
        &std::fs::read_to_string(site.join("progress.json")).expect("progress.json"),
    )
    .expect("JSON");
    let stage = |key: &str| {
        rows.as_array()
            .expect("rows")
            .iter()
            .find(|r| r["key"] == key)
            .map(|r| r["stage"].clone())
            .unwrap_or(Value::Null)
    };
    assert_eq!(stage("ISO20000-1:8.5.1.1"), "approved");
    assert_eq!(stage("ISO20000-1:9.2"), "in-review");
    assert_eq!(stage("ISO20000-1:9.3"), "draft-only");
    let html = std::fs::read_to_string(site.join("progress.html")).expect("progress.html");
    assert!(html.contains("<strong>1 %</strong> approved: <strong>1</strong> of <strong>57</strong> applicable requirements have approved evidence, 1 have a document in review, 55 drafts only, and 0 nothing yet"), "{html}");
}

#[test]
fn a_requirement_no_document_names_is_nothing_yet() {
    let repo = common::repo(&[
        (
            "sms.yaml",
            "name: Mini\nrequirements: [requirements/corp.yaml]\n",
        ),
        (
            "requirements/corp.yaml",
            "catalogue: CORP\ntitle: Corporate\nrequirements:\n  - id: A\n    title: Top\n    children:\n      - {id: A.1, title: One}\n      - {id: A.2, title: Two}\n",
        ),
        (
            "policies/p.md",
            &common::policy("POL-1", "satisfies: [CORP:A.1]\n", "Text."),
        ),
    ]);
    let out = smsite(&["build", s(repo.path()), "--date", "2026-12-01", "--quiet"]);
    assert_eq!(out.status.code(), Some(1), "A.2 is uncovered: an error");
    std::fs::write(
        repo.path().join("sms.yaml"),
        "name: Mini\nrequirements: [requirements/corp.yaml]\nrules: {requirement-uncovered: warning}\n",
    )
    .expect("write");
    let out = smsite(&["build", s(repo.path()), "--date", "2026-12-01", "--quiet"]);
    assert_eq!(out.status.code(), Some(0));
    let csv = std::fs::read_to_string(repo.path().join("public/progress.csv")).expect("csv");
    assert_eq!(
        csv,
        "requirement,title,clause,stage,evidence,pending\nCORP:A.1,One,CORP:A,approved,POL-1,\nCORP:A.2,Two,CORP:A,nothing,,\n"
    );
}

#[test]
fn init_example_writes_the_worked_example() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path().join("example");
    let out = smsite(&["init", "--example", s(&repo)]);
    assert_eq!(out.status.code(), Some(0));
    let sample = root().join("sample-sms");
    let mut files = Vec::new();
    for e in walkdir::WalkDir::new(&sample).into_iter().flatten() {
        if e.file_type().is_file() {
            files.push(
                e.path()
                    .strip_prefix(&sample)
                    .expect("inside")
                    .to_path_buf(),
            );
        }
    }
    assert!(files.len() > 80);
    for f in &files {
        assert_eq!(
            std::fs::read(repo.join(f)).ok(),
            std::fs::read(sample.join(f)).ok(),
            "{}",
            f.display()
        );
    }
    let (code, v) = check_json(&repo);
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["summary"]["errors"], 0);
    assert_eq!(v["summary"]["covered"], v["summary"]["requirements"]);
}

#[test]
fn init_into_an_empty_folder_keeps_the_folder() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = smsite(&["init", s(tmp.path())]);
    assert_eq!(out.status.code(), Some(0));
    assert!(tmp.path().join("sms.yaml").is_file());
    let hidden: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".smsite-init"))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}

#[test]
fn init_makes_missing_parent_folders() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path().join("a/b/my-sms");
    assert_eq!(smsite(&["init", s(&repo)]).status.code(), Some(0));
    assert!(repo.join("sms.yaml").is_file());
}

/// Every entry of `dir`, recursively, for "nothing was written" checks.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .map(|e| e.path().display().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(tmp.path().join("notes.txt"), "mine").expect("write");
    let before = listing(tmp.path());
    let out = smsite(&["init", s(tmp.path())]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("exists and is not empty"), "{err}");
    assert_eq!(listing(tmp.path()), before);
}

#[test]
fn init_refuses_a_path_that_is_a_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("sms");
    std::fs::write(&file, "a file").expect("write");
    let before = listing(tmp.path());
    let out = smsite(&["init", s(&file)]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("exists and is not a folder"), "{err}");
    assert_eq!(listing(tmp.path()), before);
    // Nor a folder beneath a file.
    let out = smsite(&["init", s(&file.join("x"))]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(listing(tmp.path()), before);
}

#[test]
fn init_into_a_read_only_folder_writes_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    let ro = tmp.path().join("ro");
    std::fs::create_dir(&ro).expect("mkdir");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    // Root may write anyway: then a read-only file system stands in.
    let parent = if std::fs::write(ro.join("probe"), "").is_ok() {
        let _ = std::fs::remove_file(ro.join("probe"));
        PathBuf::from("/sys/fs")
    } else {
        ro.clone()
    };
    let before = listing(&parent);
    let target = parent.join("my-sms");
    let out = smsite(&["init", s(&target)]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot create"), "{err}");
    assert!(err.contains(s(&parent)), "{err}");
    assert_eq!(listing(&parent), before);
    // An empty read-only folder itself, as the target.
    if !parent.starts_with("/sys") {
        let out = smsite(&["init", s(&ro)]);
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(listing(&ro), vec![ro.display().to_string()]);
    }
    let _ = std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755));
}
