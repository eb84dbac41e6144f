//! Document control over time on real git repositories made here, with set
//! commit dates: a repository written by someone else (expected stale
//! approvals and suspect references at file:line, `smsite diff` between its
//! tags), revision histories on pages and in `model.json`, the Changes page,
//! and every fault of git that must never fail a build.

mod common;

use std::path::Path;

use common::*;

const SMS: &str = "name: Harbour SMS\norganisation: Harbour Ltd\nfolders:\n  policies: policy\n  processes: process\n";

fn pol(id: &str, on: &str, body: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: Policy {id}\nowner: Director\nstatus: approved\napproved_by: Board\napproved_on: {on}\nreview_by: 2027-06-30\n---\n\n# Policy {id}\n\n{body}\n"
    )
}

fn prc(id: &str, on: &str, body: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: Process {id}\nowner: Manager\nprocess_owner: Manager\nstatus: approved\napproved_by: SMS Manager\napproved_on: {on}\nreview_by: 2027-06-30\n---\n\n# Process {id}\n\n{body}\n"
    )
}

fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    bin()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("smsite runs")
}

/// (rule, file, line) of the history rules' findings.
fn history_findings(c: &smsite::Checked) -> Vec<(String, String, usize)> {
    let mut v: Vec<_> = c
        .findings
        .iter()
        .filter(|f| f.rule == "approval-stale" || f.rule == "suspect-reference")
        .map(|f| (f.rule.clone(), f.file.clone(), f.line))
        .collect();
    v.sort();
    v
}

/// Someone else's repository, written from the contract: approvals, edits
/// with and without re-approval, references to documents changed later,
/// renames, a baseline tag.
fn harbour() -> tempfile::TempDir {
    let r = git_init();
    let p = r.path();
    write_files(
        p,
        &[
            ("sms.yaml", SMS),
            (
                "policies/security.md",
                &pol("POL-SEC", "2026-02-01", "Access follows [[PRC-ACCESS]]."),
            ),
            (
                "policies/quality.md",
                &pol(
                    "POL-QUAL",
                    "2026-02-01",
                    "Changes follow [the change process](../processes/change.md).",
                ),
            ),
            (
                "policies/people.md",
                &pol("POL-PEOPLE", "2026-02-01", "People matter."),
            ),
            (
                "processes/access.md",
                &prc("PRC-ACCESS", "2026-02-01", "Grant, review, revoke."),
            ),
            (
                "processes/change.md",
                &prc("PRC-CHANGE", "2026-02-01", "Assess, approve, implement."),
            ),
            (
                "processes/incident.md",
                &prc("PRC-INC", "2026-02-01", "Log, classify, resolve."),
            ),
        ],
    );
    commit(p, "Approve the first set", "2026-02-01T09:00:00+00:00");
    git(p, &["tag", "baseline-2026-03"], "2026-03-01T09:00:00+00:00");
    // Edited without re-approval: stale; POL-SEC refers to it: suspect.
    write_files(
        p,
        &[(
            "processes/access.md",
            &prc(
                "PRC-ACCESS",
                "2026-02-01",
                "Grant, review quarterly, revoke.",
            ),
        )],
    );
    commit(p, "Review access quarterly", "2026-04-02T22:30:00-05:00");
    // Edited and re-approved in the same commit: not stale, but POL-QUAL
    // (approved before) refers to it by a link: suspect.
    write_files(
        p,
        &[(
            "processes/change.md",
            &prc(
                "PRC-CHANGE",
                "2026-04-10",
                "Assess, approve, implement, review.",
            ),
        )],
    );
    commit(
        p,
        "Add post-implementation review",
        "2026-04-10T10:00:00+02:00",
    );
    // Renamed with no change of content: neither stale nor a change.
    git(
        p,
        &[
            "mv",
            "processes/incident.md",
            "processes/incident-management.md",
        ],
        "2026-05-01T10:00:00+00:00",
    );
    commit(
        p,
        "Rename the incident process file",
        "2026-05-01T10:00:00+00:00",
    );
    // Renamed and edited: stale, followed through the rename.
    git(
        p,
        &["mv", "policies/people.md", "policies/people-policy.md"],
        "2026-05-02T10:00:00+00:00",
    );
    write_files(
        p,
        &[(
            "policies/people-policy.md",
            &pol(
                "POL-PEOPLE",
                "2026-02-01",
                "People matter. Training is planned yearly.",
            ),
        )],
    );
    commit(
        p,
        "Rename and extend the people policy",
        "2026-05-02T10:00:00+00:00",
    );
    git(p, &["tag", "v2"], "2026-05-02T10:00:00+00:00");
    r
}

#[test]
fn someone_elses_repository_gets_exactly_the_expected_findings() {
    let r = harbour();
    let c = smsite::check(r.path(), &options("2026-12-01", true)).expect("loads");
    assert!(c.control.notes.is_empty(), "{:?}", c.control.notes);
    let expected: Vec<(String, String, usize)> = [
        ("approval-stale", "policies/people-policy.md", 7),
        ("approval-stale", "processes/access.md", 8),
        ("suspect-reference", "policies/quality.md", 13),
        ("suspect-reference", "policies/security.md", 13),
    ]
    .iter()
    .map(|(r, f, l)| (r.to_string(), f.to_string(), *l))
    .collect();
    assert_eq!(history_findings(&c), expected, "{:#?}", c.findings);
    let stale = c
        .findings
        .iter()
        .find(|f| f.file == "processes/access.md")
        .expect("stale");
    assert!(
        stale.message.contains("Review access quarterly"),
        "{}",
        stale.message
    );
    assert!(
        stale.message.contains("2026-04-02"),
        "the commit's own day: {}",
        stale.message
    );

    // `smsite diff` between the tags: exactly what changed between them.
    let out = run_in(
        r.path(),
        &[
            "diff",
            ".",
            "baseline-2026-03",
            "v2",
            "--format",
            "json",
            "--date",
            "2026-12-01",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["old"]["revision"], "baseline-2026-03");
    assert_eq!(v["new"]["date"], "2026-05-02");
    assert_eq!(v["added"], serde_json::json!([]));
    assert_eq!(v["removed"], serde_json::json!([]));
    let changed: Vec<(String, Option<String>, Vec<String>, bool)> = v["changed"]
        .as_array()
        .expect("changed")
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap_or_default().to_string(),
                d["old_file"].as_str().map(str::to_string),
                d["fields"]
                    .as_array()
                    .expect("fields")
                    .iter()
                    .map(|f| {
                        format!(
                            "{}: {} -> {}",
                            f["field"].as_str().unwrap_or_default(),
                            f["old"],
                            f["new"]
                        )
                    })
                    .collect(),
                d["body_changed"] == true,
            )
        })
        .collect();
    assert_eq!(
        changed,
        vec![
            (
                "POL-PEOPLE".into(),
                Some("policies/people.md".into()),
                vec![],
                true
            ),
            ("PRC-ACCESS".into(), None, vec![], true),
            (
                "PRC-CHANGE".into(),
                None,
                vec![r#"approved_on: "2026-02-01" -> "2026-04-10""#.to_string()],
                true
            ),
            (
                "PRC-INC".into(),
                Some("processes/incident.md".into()),
                vec![],
                false
            ),
        ]
    );
    assert_eq!(v["summary"]["changed"], 4);
    // The human form says the same.
    let out = run_in(
        r.path(),
        &[
            "diff",
            ".",
            "baseline-2026-03",
            "v2",
            "--date",
            "2026-12-01",
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("moved from processes/incident.md"), "{text}");
    assert!(
        text.contains("approved_on: 2026-02-01 → 2026-04-10"),
        "{text}"
    );
    assert!(text.contains("0 added, 0 removed, 4 changed"), "{text}");
}

#[test]
fn diff_reads_git_objects_and_leaves_the_work_tree_and_index_alone() {
    let r = harbour();
    let p = r.path();
    write_files(
        p,
        &[("processes/new.md", &prc("PRC-NEW", "2026-06-01", "New."))],
    );
    std::fs::remove_file(p.join("policies/security.md")).expect("remove");
    let status = git(p, &["status", "--porcelain"], "2026-06-01T00:00:00+00:00");
    let index = std::fs::read(p.join(".git/index")).expect("index");
    let out = run_in(
        p,
        &[
            "diff",
            ".",
            "v2",
            "--format",
            "json",
            "--date",
            "2026-12-01",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["added"][0]["id"], "PRC-NEW");
    assert_eq!(v["removed"][0]["id"], "POL-SEC");
    assert_eq!(v["new"]["revision"], "work tree");
    assert_eq!(v["new"]["modified"], true);
    // POL-SEC was the only evidence of nothing; its broken link is gone with it.
    assert_eq!(
        git(p, &["status", "--porcelain"], "2026-06-01T00:00:00+00:00"),
        status
    );
    assert_eq!(std::fs::read(p.join(".git/index")).expect("index"), index);
}

#[test]
fn an_unknown_revision_exits_2_with_a_clear_message() {
    let r = harbour();
    for args in [
        vec!["diff", ".", "no-such-tag"],
        vec!["diff", ".", "v2", "no-such-tag"],
        vec![
            "build",
            ".",
            "--since",
            "no-such-tag",
            "--date",
            "2026-12-01",
        ],
    ] {
        let out = run_in(r.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("there is no revision `no-such-tag`") && err.contains("git tag"),
            "{err}"
        );
    }
    assert!(!r.path().join("public").exists(), "nothing published");
}

#[test]
fn pages_and_model_show_each_documents_history() {
    let r = harbour();
    let p = r.path();
    write_files(
        p,
        &[(
            "processes/change.md",
            &prc("PRC-CHANGE", "2026-04-10", "Edited now."),
        )],
    );
    let out = run_in(
        p,
        &[
            "build",
            ".",
            "--date",
            "2026-12-01",
            "--since",
            "baseline-2026-03",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(p.join("public/doc/POL-PEOPLE.html")).expect("page");
    assert!(
        page.contains("<h2 id=\"history\">Revision history</h2>"),
        "{page}"
    );
    assert!(
        page.contains("Rename and extend the people policy")
            && page.contains("Approve the first set"),
        "{page}"
    );
    assert!(page.contains("Approval stale:"), "{page}");
    let page = std::fs::read_to_string(p.join("public/doc/PRC-CHANGE.html")).expect("page");
    assert!(page.contains("<em>uncommitted changes</em>"), "{page}");
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p.join("public/model.json")).expect("model"))
            .expect("JSON");
    let doc = model["documents"]
        .as_array()
        .expect("docs")
        .iter()
        .find(|d| d["id"] == "PRC-ACCESS")
        .expect("PRC-ACCESS");
    let subjects: Vec<&str> = doc["history"]["commits"]
        .as_array()
        .expect("commits")
        .iter()
        .filter_map(|c| c["subject"].as_str())
        .collect();
    assert_eq!(
        subjects,
        vec!["Review access quarterly", "Approve the first set"]
    );
    assert_eq!(
        doc["history"]["commits"][0]["date"], "2026-04-02",
        "committer day in its own zone"
    );
    assert_eq!(doc["history"]["commits"][0]["author"], "Ann Author");
    let changed = model["documents"]
        .as_array()
        .expect("docs")
        .iter()
        .find(|d| d["id"] == "PRC-CHANGE")
        .expect("doc");
    assert_eq!(changed["history"]["uncommitted"], "changed");
    // The Changes page, linked from home, with its JSON and a line diff.
    let home = std::fs::read_to_string(p.join("public/index.html")).expect("home");
    assert!(home.contains("href=\"changes.html\""), "{home}");
    let changes = std::fs::read_to_string(p.join("public/changes.html")).expect("changes");
    assert!(
        changes.contains("Changes since baseline-2026-03"),
        "{changes}"
    );
    assert!(
        changes.contains("<del>− Assess, approve, implement.</del><ins>+ Edited now.</ins>"),
        "{changes}"
    );
    assert!(
        changes
            .contains("<th scope=\"row\">approved_on</th><td>2026-02-01</td><td>2026-04-10</td>"),
        "{changes}"
    );
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(p.join("public/changes.json")).expect("json"),
    )
    .expect("JSON");
    assert_eq!(json["summary"]["changed"], 4);
    // --no-history: no history anywhere, the row unknown.
    let out = run_in(
        p,
        &[
            "build",
            ".",
            "--date",
            "2026-12-01",
            "--no-history",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["summary"]["readiness"]["unknown"][0], "approvals-current");
    assert!(
        v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .all(|f| f["rule"] != "approval-stale")
    );
    let page = std::fs::read_to_string(p.join("public/doc/POL-PEOPLE.html")).expect("page");
    assert!(!page.contains("Revision history"));
}

#[test]
fn the_last_external_audits_baseline_is_the_default_since() {
    let r = harbour();
    let p = r.path();
    let sms = format!(
        "{SMS}  audits: audit\nkinds:\n  audit:\n    fields:\n      audit_type: {{type: string}}\n      performed_on: {{type: date}}\n      baseline: {{type: string}}\n"
    );
    let audit = |id: &str, kind: &str, on: &str, baseline: &str| {
        format!(
            "---\nid: {id}\ntitle: Audit {id}\nkind: audit\nowner: Auditor\nstatus: draft\naudit_type: {kind}\nperformed_on: {on}\nbaseline: {baseline}\n---\n\nReport.\n"
        )
    };
    write_files(
        p,
        &[
            ("sms.yaml", &sms),
            (
                "audits/a1.md",
                &audit("AUD-1", "certification", "2026-03-01", "no-such-revision"),
            ),
            (
                "audits/a2.md",
                &audit("AUD-2", "surveillance", "2026-06-01", "v2"),
            ),
            (
                "audits/a3.md",
                &audit("AUD-3", "internal", "2026-07-01", "baseline-2026-03"),
            ),
        ],
    );
    let out = run_in(p, &["build", ".", "--date", "2026-12-01"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let changes = std::fs::read_to_string(p.join("public/changes.html")).expect("changes");
    assert!(
        changes.contains("Changes since v2") && changes.contains("AUD-2"),
        "{changes}"
    );
    // A baseline that cannot be read: a note, no page of changes, the build goes on.
    write_files(
        p,
        &[(
            "audits/a2.md",
            &audit("AUD-2", "surveillance", "2026-06-01", "gone"),
        )],
    );
    let out = run_in(p, &["build", ".", "--date", "2026-12-01"]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("note: the Changes page is left out: the baseline `gone` of audit AUD-2"),
        "{err}"
    );
    let changes = std::fs::read_to_string(p.join("public/changes.html")).expect("changes");
    assert!(changes.contains("No revision to compare with"), "{changes}");
}
