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
        "{SMS}  audits: audit\nrequirements: [ISO20000-1]\nrules:\n  requirement-uncovered: off\n"
    );
    let audit = |id: &str, kind: &str, on: &str, baseline: &str| {
        format!(
            "---\nid: {id}\ntitle: Audit {id}\nkind: audit\nowner: Auditor\nstatus: draft\naudit_type: {kind}\nplanned_on: {on}\nperformed_on: {on}\nauditors: [External Auditor]\nscope: [ISO20000-1:4]\nresults:\n  - {{req: ISO20000-1:4, result: conforming}}\nbaseline: {baseline}\n---\n\nReport.\n"
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

// Faults of git: the build never fails because of them; one note says
// what was skipped and how to get it.

/// `check --format json` in `dir` (with `env` set): exit code, JSON, stderr.
fn check_json_in(dir: &Path, env: &[(&str, &str)]) -> (Option<i32>, serde_json::Value, String) {
    let mut cmd = bin();
    cmd.current_dir(dir)
        .args(["check", ".", "--format", "json", "--date", "2026-12-01"]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("runs");
    let v = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.code(),
        v,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn rules_of(v: &serde_json::Value) -> Vec<String> {
    v["findings"].as_array().map_or(Vec::new(), |f| {
        f.iter()
            .map(|f| {
                format!(
                    "{}:{}",
                    f["rule"].as_str().unwrap_or(""),
                    f["file"].as_str().unwrap_or("")
                )
            })
            .collect()
    })
}

#[test]
fn without_git_or_outside_a_work_tree_history_is_a_note() {
    let r = harbour();
    let empty = tempfile::tempdir().expect("dir");
    let (code, v, err) = check_json_in(r.path(), &[("PATH", empty.path().to_str().unwrap_or(""))]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("note: git is not installed"), "{err}");
    assert_eq!(v["notes"].as_array().map(Vec::len), Some(1), "{v}");
    assert!(
        v["notes"][0]
            .as_str()
            .unwrap_or("")
            .contains("--no-history")
    );
    assert_eq!(err.matches("note:").count(), 1, "one note: {err}");
    let plain = copy_fixture(&fixture("rules/review-overdue/good"));
    let (code, v, err) = check_json_in(plain.path(), &[]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("is not inside a git work tree") && err.contains("git init"),
        "{err}"
    );
    assert_eq!(v["summary"]["readiness"]["unknown"][0], "approvals-current");
}

#[test]
fn a_detached_head_is_judged_at_its_commit() {
    let r = harbour();
    git(
        r.path(),
        &["checkout", "-q", "--detach", "HEAD~3"],
        "2026-06-01T00:00:00+00:00",
    );
    let c = smsite::check(r.path(), &options("2026-12-01", true)).expect("loads");
    assert!(c.control.notes.is_empty(), "{:?}", c.control.notes);
    let files: Vec<String> = history_findings(&c)
        .into_iter()
        .map(|(r, f, _)| format!("{r}:{f}"))
        .collect();
    // Three commits back, PRC-CHANGE had not changed yet.
    assert_eq!(
        files,
        vec![
            "approval-stale:processes/access.md",
            "suspect-reference:policies/security.md"
        ]
    );
}

#[test]
fn a_shallow_clone_judges_what_it_can_and_says_what_it_cannot() {
    let r = harbour();
    let clone = tempfile::tempdir().expect("dir");
    let url = format!("file://{}", r.path().display());
    let dst = clone.path().join("c");
    git(
        clone.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "2",
            &url,
            dst.to_str().unwrap_or(""),
        ],
        "2026-06-01T00:00:00+00:00",
    );
    let (code, v, err) = check_json_in(&dst, &[]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("shallow clone") && err.contains("git fetch --unshallow"),
        "{err}"
    );
    // The last two commits are here: the rename-and-edit is judged from its own commit.
    assert!(
        !rules_of(&v)
            .iter()
            .any(|r| r.starts_with("approval-stale:processes/access.md")),
        "{v}"
    );
    let c = smsite::check(&dst, &options("2026-12-01", true)).expect("loads");
    assert!(!c.control.unjudged.is_empty());
}

#[test]
fn a_corrupt_object_or_a_version_that_is_not_utf8_never_fails_the_build() {
    let r = harbour();
    let p = r.path();
    // The approved version of PRC-ACCESS, damaged in the object store.
    let blob = git(
        p,
        &["rev-parse", "baseline-2026-03:processes/access.md"],
        "2026-06-01T00:00:00+00:00",
    );
    let obj = p.join(".git/objects").join(&blob[..2]).join(&blob[2..]);
    let mut perms = std::fs::metadata(&obj).expect("loose object").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&obj, perms).expect("chmod");
    std::fs::write(&obj, b"not a zlib stream").expect("damage");
    let (code, _, err) = check_json_in(p, &[]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("could not be read") && err.contains("git fsck"),
        "{err}"
    );

    let r = git_init();
    let p = r.path();
    write_files(p, &[("sms.yaml", SMS)]);
    std::fs::create_dir_all(p.join("policies")).expect("mkdir");
    let mut bad = pol("POL-X", "2026-02-01", "Caf").into_bytes();
    bad.extend_from_slice(b"\xe9 latin-1\n");
    std::fs::write(p.join("policies/x.md"), &bad).expect("write");
    commit(p, "Approve, saved as Latin-1", "2026-02-01T10:00:00+00:00");
    write_files(
        p,
        &[("policies/x.md", &pol("POL-X", "2026-02-01", "Café latin-1"))],
    );
    commit(p, "Save as UTF-8", "2026-03-01T10:00:00+00:00");
    let (code, v, err) = check_json_in(p, &[]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(rules_of(&v), vec!["approval-stale:policies/x.md"], "{v}");
}

#[test]
fn a_root_inside_the_work_tree_and_a_submodule() {
    let r = harbour();
    let outer = git_init();
    let o = outer.path();
    write_files(o, &[("README.md", "outer\n")]);
    commit(o, "Outer", "2026-01-01T10:00:00+00:00");
    // The SMS in a folder of a larger repository, history and all.
    write_files(
        o,
        &[
            ("docs/sms/sms.yaml", SMS),
            (
                "docs/sms/policies/a.md",
                &pol("POL-A", "2026-02-01", "One."),
            ),
        ],
    );
    commit(o, "Add the SMS", "2026-02-01T10:00:00+00:00");
    write_files(
        o,
        &[(
            "docs/sms/policies/a.md",
            &pol("POL-A", "2026-02-01", "Two."),
        )],
    );
    commit(o, "Edit", "2026-03-01T10:00:00+00:00");
    let c = smsite::check(&o.join("docs/sms"), &options("2026-12-01", true)).expect("loads");
    assert!(c.control.notes.is_empty(), "{:?}", c.control.notes);
    assert_eq!(
        history_findings(&c),
        vec![("approval-stale".to_string(), "policies/a.md".to_string(), 7)]
    );
    // A submodule holding documents: their history is not this repository's.
    let url = format!("file://{}", r.path().display());
    git(
        o,
        &[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "-q",
            "add",
            &url,
            "docs/sms/vendor",
        ],
        "2026-04-01T10:00:00+00:00",
    );
    commit(o, "Add a submodule", "2026-04-01T10:00:00+00:00");
    let (code, v, err) = check_json_in(&o.join("docs/sms"), &[]);
    // (The submodule's documents have no kind in this repository: findings, not a failure of git.)
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("not in this git repository's history") && err.contains("submodule"),
        "{err}"
    );
    assert_eq!(v["notes"].as_array().map(Vec::len), Some(1), "{v}");
}

#[test]
fn a_history_of_50000_commits_is_read() {
    let r = git_init();
    let p = r.path();
    write_files(
        p,
        &[
            ("sms.yaml", SMS),
            ("policies/a.md", &pol("POL-A", "2026-01-01", "Start.")),
        ],
    );
    commit(p, "Start", "2020-01-01T00:00:00+00:00");
    // 50,000 commits through one fast-import, each changing a log file.
    let mut stream = String::new();
    let parent = git(p, &["rev-parse", "HEAD"], "2020-01-01T00:00:00+00:00");
    for i in 0..50_000u32 {
        let t = 1_577_836_800 + u64::from(i) * 600;
        let data = format!("entry {i}\n");
        stream.push_str(&format!(
            "commit refs/heads/main\ncommitter C <c@example.org> {t} +0000\ndata 4\nlog\n{}M 100644 inline notes/log.txt\ndata {}\n{data}\n",
            if i == 0 { format!("from {parent}\n") } else { String::new() },
            data.len()
        ));
    }
    fast_import(p, &stream);
    git(
        p,
        &["reset", "-q", "--hard", "main"],
        "2026-01-01T00:00:00+00:00",
    );
    let c = smsite::check(p, &options("2026-12-01", true)).expect("loads");
    assert!(c.control.notes.is_empty(), "{:?}", c.control.notes);
    assert_eq!(c.control.history.commits.len(), 50_001);
    assert_eq!(c.control.of(0).commits.len(), 1);
}

#[test]
fn serve_warns_at_once_when_an_approved_document_is_edited_and_follows_commits() {
    use smsite::serve::site::Builder;
    let r = harbour();
    let p = r.path().canonicalize().expect("path");
    let mut b = Builder::new(p.clone(), vec![p.join("public")], Some(date("2026-12-01")));
    let first = b.rebuild(&[]);
    assert!(first.site.notices.is_empty());
    let page = "doc/POL-SEC.html".to_string();
    // A save: the approval is stale at once, the page says so.
    let edited = pol(
        "POL-SEC",
        "2026-02-01",
        "Access follows [[PRC-ACCESS]]. Edited.",
    );
    write_files(&p, &[("policies/security.md", &edited)]);
    let touched = vec!["policies/security.md".to_string()];
    b.invalidate(&touched[0]);
    let r1 = b.rebuild(&touched);
    let notice = r1
        .site
        .notices
        .get(&page)
        .expect("a notice on the edited page");
    assert!(
        notice.contains("you are editing an approved document"),
        "{notice}"
    );
    assert!(r1.changed.contains(&page));
    let stale = r1
        .site
        .findings
        .iter()
        .find(|f| f.rule == "approval-stale" && f.file == "policies/security.md")
        .expect("stale");
    assert!(stale.message.ends_with("uncommitted changes. Re-approve it (update `approved_on` and `approved_by`) or revert the change"), "{}", stale.message);
    // Committed: the history is read again, the commit named instead.
    commit(&p, "Edit the security policy", "2026-11-20T10:00:00+00:00");
    b.invalidate(".git");
    let r2 = b.rebuild(&[".git".to_string()]);
    assert!(
        r2.site.notices.is_empty(),
        "committed: no longer being edited"
    );
    let stale = r2
        .site
        .findings
        .iter()
        .find(|f| f.rule == "approval-stale" && f.file == "policies/security.md")
        .expect("stale");
    assert!(
        stale.message.contains("Edit the security policy"),
        "{}",
        stale.message
    );
    let html = String::from_utf8_lossy(&r2.site.files[&page]).into_owned();
    assert!(
        html.contains("Edit the security policy") && !html.contains("uncommitted changes"),
        "{html}"
    );
    // Re-approved in the work tree: the finding goes.
    write_files(
        &p,
        &[(
            "policies/security.md",
            &edited.replace("approved_on: 2026-02-01", "approved_on: 2026-12-01"),
        )],
    );
    b.invalidate(&touched[0]);
    let r3 = b.rebuild(&touched);
    assert!(
        !r3.site
            .findings
            .iter()
            .any(|f| f.rule == "approval-stale" && f.file == "policies/security.md"),
        "{:?}",
        r3.site.findings
    );
}

#[test]
fn a_revision_loads_from_memory_as_its_files_load_from_disk() {
    let r = harbour();
    let p = r.path();
    write_files(
        p,
        &[
            ("sms.yaml", &format!("{SMS}exclude: [\"drafts/**\"]\n")),
            ("drafts/x.md", "not a document\n"),
            ("_private/y.md", "not a document\n"),
            (".hidden/z.md", "not a document\n"),
        ],
    );
    commit(p, "Skipped files", "2026-06-01T10:00:00+00:00");
    let opts = options("2026-12-01", false);
    let disk = smsite::check(p, &opts).expect("loads");
    let (mem, side) = smsite::diff::revision::at(p, "HEAD", &opts).expect("reads HEAD");
    assert_eq!(side.date.as_deref(), Some("2026-06-01"));
    assert_eq!(mem.loaded.files, disk.loaded.files);
    let ids = |c: &smsite::Checked| {
        c.loaded
            .documents
            .iter()
            .map(|d| (d.id.clone(), d.file.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&mem), ids(&disk));
    assert_eq!(mem.findings, disk.findings);
}

#[test]
fn no_approved_sample_document_is_stale() {
    // The sample lives in this project's repository and is judged by its
    // commits: an edit to an approved sample document must approve it
    // again (update `approved_on` and `approved_by`).
    let c = smsite::check(&root().join("sample-sms"), &options("2026-12-31", true)).expect("loads");
    let history: Vec<String> = c
        .findings
        .iter()
        .filter(|f| f.rule == "approval-stale" || f.rule == "suspect-reference")
        .map(|f| format!("{}:{}: {}", f.file, f.line, f.message))
        .collect();
    assert!(
        history.is_empty(),
        "re-approve what was edited:\n{}",
        history.join("\n")
    );
}

#[test]
fn documents_approved_before_they_came_into_git_are_judged_from_their_first_commit() {
    let r = git_init();
    let p = r.path();
    write_files(
        p,
        &[
            ("sms.yaml", SMS),
            (
                "policies/a.md",
                &pol("POL-A", "2025-06-01", "Follows [[PRC-B]]."),
            ),
            ("processes/b.md", &prc("PRC-B", "2025-06-01", "B.")),
        ],
    );
    commit(p, "Import the SMS into git", "2026-01-10T10:00:00+00:00");
    let c = smsite::check(p, &options("2026-12-01", true)).expect("loads");
    assert!(history_findings(&c).is_empty(), "{:?}", c.findings);
    write_files(
        p,
        &[("processes/b.md", &prc("PRC-B", "2025-06-01", "B, changed."))],
    );
    commit(p, "Change B", "2026-02-10T10:00:00+00:00");
    let c = smsite::check(p, &options("2026-12-01", true)).expect("loads");
    assert_eq!(
        history_findings(&c),
        vec![
            (
                "approval-stale".to_string(),
                "processes/b.md".to_string(),
                8
            ),
            (
                "suspect-reference".to_string(),
                "policies/a.md".to_string(),
                13
            ),
        ]
    );
}

#[test]
fn serve_shows_the_changes_since_the_last_external_audits_baseline_as_build_does() {
    use smsite::serve::site::Builder;
    let r = harbour();
    let p = r.path().canonicalize().expect("path");
    let sms = format!(
        "{SMS}  audits: audit\nrequirements: [ISO20000-1]\nrules:\n  requirement-uncovered: off\n"
    );
    let audit = "---\nid: AUD-1\ntitle: Audit AUD-1\nkind: audit\nowner: Auditor\nstatus: draft\naudit_type: certification\nplanned_on: 2026-06-01\nperformed_on: 2026-06-01\nauditors: [External Auditor]\nscope: [ISO20000-1:4]\nresults:\n  - {req: ISO20000-1:4, result: conforming}\nbaseline: v2\n---\n\nReport.\n";
    write_files(&p, &[("sms.yaml", &sms), ("audits/a1.md", audit)]);
    let mut b = Builder::new(p.clone(), vec![p.join("public")], Some(date("2026-12-01")));
    let page = |r: &smsite::serve::site::Rebuilt| {
        String::from_utf8_lossy(&r.site.files["changes.html"]).into_owned()
    };
    let first = b.rebuild(&[]);
    let html = page(&first);
    assert!(
        html.contains("Changes since v2") && html.contains("AUD-1"),
        "{html}"
    );
    assert!(!html.contains("POL-PEOPLE"), "unchanged since v2: {html}");
    // A save: the page compares the work tree again (the baseline is kept).
    let people = pol("POL-PEOPLE", "2026-02-01", "People matter most.");
    write_files(&p, &[("policies/people-policy.md", &people)]);
    let touched = vec!["policies/people-policy.md".to_string()];
    b.invalidate(&touched[0]);
    let second = b.rebuild(&touched);
    assert!(second.changed.contains("changes.html"));
    assert!(page(&second).contains("POL-PEOPLE"), "{}", page(&second));
    // Committed and tagged `v2` again: the baseline is read again, and
    // the edit is no longer a change since it.
    commit(&p, "People matter most", "2026-11-25T10:00:00+00:00");
    git(&p, &["tag", "-f", "v2"], "2026-11-25T10:00:00+00:00");
    b.invalidate(".git");
    let third = b.rebuild(&[".git".to_string()]);
    assert!(!page(&third).contains("POL-PEOPLE"), "{}", page(&third));
    // A baseline that cannot be read: the note `build` gives, no changes.
    write_files(
        &p,
        &[(
            "audits/a1.md",
            &audit.replace("baseline: v2", "baseline: gone"),
        )],
    );
    b.invalidate("audits/a1.md");
    let fourth = b.rebuild(&["audits/a1.md".to_string()]);
    assert!(
        b.notes
            .iter()
            .any(|n| n.contains("the baseline `gone` of audit AUD-1 cannot be read")),
        "{:?}",
        b.notes
    );
    assert!(page(&fourth).contains("No revision to compare with"));
    // The tag made afterwards (no event from the git folder: a root in a
    // subfolder of the work tree gets none): the next save reads it.
    git(&p, &["tag", "gone", "v2"], "2026-11-26T10:00:00+00:00");
    write_files(&p, &[("policies/people-policy.md", &people)]);
    b.invalidate("policies/people-policy.md");
    let fifth = b.rebuild(&["policies/people-policy.md".to_string()]);
    assert!(
        page(&fifth).contains("Changes since gone"),
        "{}",
        page(&fifth)
    );
}

#[test]
fn past_versions_are_read_once_and_kept_in_the_git_folder() {
    let r = harbour();
    let p = r.path();
    let judged = || {
        let c = smsite::check(p, &options("2026-12-01", true)).expect("loads");
        assert!(c.control.notes.is_empty(), "{:?}", c.control.notes);
        history_findings(&c)
    };
    let file = p.join(".git/smsite/contents");
    assert!(!file.exists());
    let first = judged();
    assert_eq!(first.len(), 4, "{first:?}");
    // The versions read are kept: a line per version after the format line.
    let kept = std::fs::read_to_string(&file).expect("the versions read are kept");
    let mut lines = kept.lines();
    assert_eq!(
        lines.next(),
        Some(concat!("smsite-contents 1 ", env!("CARGO_PKG_VERSION")))
    );
    let entries: Vec<&str> = lines.collect();
    assert!(!entries.is_empty());
    for e in &entries {
        let parts: Vec<&str> = e.split(' ').collect();
        assert_eq!(parts.len(), 3, "{e}");
        assert_eq!(parts[0].len(), 40, "{e}");
        assert!(parts[1] == "m" || parts[1] == "r", "{e}");
        assert!(parts[2] == "-" || parts[2].len() == 64, "{e}");
    }
    // The next run judges from them alike, and writes nothing new.
    let stamp = std::fs::metadata(&file).and_then(|m| m.modified()).ok();
    assert_eq!(judged(), first);
    assert_eq!(
        std::fs::metadata(&file).and_then(|m| m.modified()).ok(),
        stamp
    );
    // A file of another format, or damaged, is ignored and written anew.
    let other = "smsite-contents 1 0.0.0\n".to_string() + entries[0] + "\n";
    let damaged = kept.lines().next().unwrap_or_default().to_string() + "\nnot a line\n";
    for bad in [other.as_str(), damaged.as_str(), ""] {
        std::fs::write(&file, bad).expect("write");
        assert_eq!(judged(), first, "with {bad:?}");
        let again = std::fs::read_to_string(&file).expect("kept");
        assert_eq!(again.lines().count(), entries.len() + 1, "with {bad:?}");
    }
    // An edit in the work tree is judged against the kept versions too.
    write_files(
        p,
        &[(
            "policies/security.md",
            &pol(
                "POL-SEC",
                "2026-02-01",
                "Access follows [[PRC-ACCESS]]. Edited.",
            ),
        )],
    );
    let edited = judged();
    assert!(
        edited.contains(&(
            "approval-stale".to_string(),
            "policies/security.md".to_string(),
            7
        )),
        "{edited:?}"
    );
}
