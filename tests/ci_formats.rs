//! Findings where CI shows them: `--format sarif` validated against the
//! official SARIF 2.1.0 schema (vendored in `tests/schemas/`), `--format
//! gitlab` against GitLab's documented Code Quality shape (a schema
//! written from it, beside it) with fingerprints that survive moved
//! lines, `--format github` against the workflow-command syntax GitHub
//! documents (with its escaping). Paths are relative to the git work
//! tree's top, where each CI looks for them.

mod common;

use std::path::Path;

use common::{copy_fixture, fixture, root, smsite};
use serde_json::Value;

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// A schema of `tests/schemas/`. The published SARIF 2.1.0 schema's
/// `run.language` pattern (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`,
/// with a stray `]`) is no ECMA-262 regex, which the draft-07 meta-schema
/// (`format: regex`) rejects: that one pattern is read as meant
/// (`^[a-zA-Z]{2}(-[a-zA-Z]{2})?$`); the file stays as published.
fn schema(name: &str) -> Value {
    let text = std::fs::read_to_string(root().join("tests/schemas").join(name)).expect("schema");
    let text = text.replace(
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
        r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#,
    );
    serde_json::from_str(&text).expect("JSON")
}

fn validate(schema: &Value, v: &Value) -> Vec<String> {
    let validator = jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("a valid schema");
    validator
        .iter_errors(v)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// `smsite check REPO --format FORMAT`: (exit code, stdout).
fn run(repo: &Path, format: &str) -> (Option<i32>, String) {
    let o = smsite(&["check", s(repo), "--date", "2026-12-01", "--format", format]);
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

/// A repository with errors and warnings of several rules: template text
/// (two files), a service without SLA, an overdue review, an unknown field.
fn findings_repo() -> tempfile::TempDir {
    let t = copy_fixture(&fixture("rules/template-text/bad"));
    let p = t.path().join("policies/sm-policy.md");
    let text = std::fs::read_to_string(&p).expect("read");
    std::fs::write(
        &p,
        text.replacen(
            "status: approved\n",
            "status: approved\nreview_by: 2026-01-31\ncolour: blue\n",
            1,
        ),
    )
    .expect("write");
    t
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let repo = findings_repo();
    let (code, out) = run(repo.path(), "sarif");
    assert_eq!(code, Some(1));
    let v: Value = serde_json::from_str(&out).expect("SARIF is JSON");
    let errs = validate(&schema("sarif-2.1.0.json"), &v);
    assert!(errs.is_empty(), "{errs:#?}");
    assert_eq!(v["version"], "2.1.0");
    // The schema does catch a log that is wrong.
    let mut wrong = v.clone();
    wrong["runs"][0]["results"][0]["level"] = "fatal".into();
    wrong["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert_eq!(validate(&schema("sarif-2.1.0.json"), &wrong).len(), 2);
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "smsite");
    // Every built-in rule, with its metadata.
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    for (name, sev) in smsite::config::BUILTIN_RULES {
        let r = rules
            .iter()
            .find(|r| r["id"] == *name)
            .unwrap_or_else(|| panic!("no rule {name}"));
        assert!(
            !r["shortDescription"]["text"]
                .as_str()
                .unwrap_or("")
                .is_empty()
        );
        assert!(!r["help"]["text"].as_str().unwrap_or("").is_empty());
        assert_eq!(r["defaultConfiguration"]["level"], sev.as_str());
    }
    let results = run["results"].as_array().expect("results");
    let rules_of: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap_or(""))
        .collect();
    for want in [
        "template-text",
        "service-without-sla",
        "review-overdue",
        "unknown-field",
    ] {
        assert!(rules_of.contains(&want), "{rules_of:?}");
    }
    for r in results {
        let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }
    let t = results
        .iter()
        .find(|r| {
            r["ruleId"] == "template-text"
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    == "policies/sm-policy.md"
        })
        .expect("the policy's template text");
    assert_eq!(t["level"], "error");
    assert_eq!(
        t["locations"][0]["physicalLocation"]["region"]["startLine"],
        18
    );
    assert_eq!(
        t["locations"][0]["physicalLocation"]["region"]["startColumn"],
        1
    );
    assert!(t["partialFingerprints"]["smsite/v1"].is_string());
    let w = results
        .iter()
        .find(|r| r["ruleId"] == "review-overdue")
        .expect("the overdue review");
    assert_eq!(w["level"], "warning");
}

#[test]
fn sarif_of_a_clean_repository_has_no_results_and_user_rules_are_described() {
    let (code, out) = run(&root().join("sample-sms"), "sarif");
    assert_eq!(code, Some(0));
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert!(validate(&schema("sarif-2.1.0.json"), &v).is_empty());
    let t = copy_fixture(&fixture("rules/user-rule/bad"));
    let (_, out) = run(t.path(), "sarif");
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert!(validate(&schema("sarif-2.1.0.json"), &v).is_empty());
    let rules = v["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let user = rules
        .iter()
        .find(|r| r["id"] == "every-supplier-has-contract")
        .expect("the user rule is described");
    assert!(
        user["shortDescription"]["text"]
            .as_str()
            .unwrap_or("")
            .contains("sms.yaml")
    );
}

#[test]
fn gitlab_report_has_the_documented_shape_and_stable_fingerprints() {
    let repo = findings_repo();
    let (code, out) = run(repo.path(), "gitlab");
    assert_eq!(code, Some(1));
    let v: Value = serde_json::from_str(&out).expect("JSON");
    let errs = validate(&schema("gitlab-code-quality.json"), &v);
    assert!(errs.is_empty(), "{errs:#?}");
    let issues = v.as_array().expect("an array");
    assert!(issues.len() >= 5, "{v}");
    let mut prints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap_or(""))
        .collect();
    prints.sort();
    prints.dedup();
    assert_eq!(prints.len(), issues.len(), "fingerprints are unique");
    let t = issues
        .iter()
        .find(|i| {
            i["check_name"] == "template-text" && i["location"]["path"] == "policies/sm-policy.md"
        })
        .expect("template text");
    assert_eq!(t["severity"], "major");
    assert_eq!(t["location"]["lines"]["begin"], 18);
    let overdue = issues
        .iter()
        .find(|i| i["check_name"] == "review-overdue")
        .expect("overdue");
    assert_eq!(overdue["severity"], "minor");

    // Lines move (three lines added above), the fingerprints stay.
    let p = repo.path().join("policies/sm-policy.md");
    let text = std::fs::read_to_string(&p).expect("read");
    std::fs::write(
        &p,
        text.replacen(
            "## Purpose\n",
            "## Purpose\n\nA new paragraph\nof two lines.\n",
            1,
        ),
    )
    .expect("write");
    let (_, out) = run(repo.path(), "gitlab");
    let moved: Value = serde_json::from_str(&out).expect("JSON");
    let t2 = moved
        .as_array()
        .expect("array")
        .iter()
        .find(|i| {
            i["check_name"] == "template-text" && i["location"]["path"] == "policies/sm-policy.md"
        })
        .expect("template text");
    assert_eq!(t2["location"]["lines"]["begin"], 21);
    assert_eq!(t2["fingerprint"], t["fingerprint"]);
    // The message names the lines of the other blocks; still the same issue.
    assert_ne!(t2["description"], t["description"]);
}

#[test]
fn gitlab_fingerprints_tell_apart_findings_at_one_place() {
    // The scaffold's 57 uncovered requirements and 57 not yet audited all
    // point at one line (and its untested continuity plan, its customer not
    // yet reviewed with, its management review not yet held).
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path().join("sms");
    assert_eq!(smsite(&["init", s(&repo)]).status.code(), Some(0));
    let (_, out) = run(&repo, "gitlab");
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert!(validate(&schema("gitlab-code-quality.json"), &v).is_empty());
    let mut prints: Vec<&str> = v
        .as_array()
        .expect("array")
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(prints.len(), 117);
    prints.sort();
    prints.dedup();
    assert_eq!(prints.len(), 117);
}

/// GitHub's workflow command syntax: `::error file=F,line=L,col=C,title=T::MESSAGE`
/// where property values escape `%`, CR, LF, `:` and `,`, and the message
/// `%`, CR and LF.
/// A workflow command: its level, its properties (name, value), its message.
type Command = (String, Vec<(String, String)>, String);

fn parse_github(line: &str) -> Option<Command> {
    let rest = line.strip_prefix("::")?;
    let (head, message) = rest.split_once("::")?;
    let (level, props) = head.split_once(' ')?;
    let mut out = Vec::new();
    for p in props.split(',') {
        let (k, v) = p.split_once('=')?;
        if v.contains(':') || v.contains('\r') || v.contains('\n') {
            return None;
        }
        out.push((k.to_string(), v.to_string()));
    }
    if message.contains('\r') || message.contains('\n') {
        return None;
    }
    Some((level.to_string(), out, message.to_string()))
}

fn unescape(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[test]
fn github_annotations_follow_the_workflow_command_syntax() {
    let repo = findings_repo();
    // A file name with a comma and a colon in it, which must be escaped.
    std::fs::rename(
        repo.path().join("policies/in-review.md"),
        repo.path().join("policies/access, v2: draft.md"),
    )
    .expect("rename");
    let p = repo.path().join("policies/access, v2: draft.md");
    let text = std::fs::read_to_string(&p).expect("read");
    std::fs::write(
        &p,
        text.replacen(
            "status: review\n",
            "status: review\nreview_by: 2026-01-31\n",
            1,
        ),
    )
    .expect("write");
    let (code, out) = run(repo.path(), "github");
    assert_eq!(code, Some(1));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() >= 5, "{out}");
    let mut files = Vec::new();
    for l in &lines {
        let (level, props, message) =
            parse_github(l).unwrap_or_else(|| panic!("not a workflow command: {l}"));
        assert!(level == "error" || level == "warning", "{l}");
        let keys: Vec<&str> = props.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["file", "line", "col", "title"], "{l}");
        assert!(props[1].1.parse::<usize>().is_ok_and(|n| n >= 1));
        assert!(props[3].1.starts_with("smsite "), "{l}");
        assert!(!message.is_empty());
        files.push(unescape(&props[0].1));
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::warning file=policies/access%2C v2%3A draft.md,line=6,")),
        "{out}"
    );
    assert!(files.contains(&"policies/access, v2: draft.md".to_string()));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::error file=policies/sm-policy.md,line=18,col=1,title=smsite template-text::approved document POL-SM")),
        "{out}"
    );
}

fn git(dir: &Path, args: &[&str]) {
    let o = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .output()
        .expect("git runs");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn paths_are_relative_to_the_top_of_the_git_work_tree() {
    // The SMS in a folder of a larger repository: CI names files from the top.
    let top = tempfile::tempdir().expect("tempdir");
    let repo = top.path().join("docs/sms");
    common::copy_dir(&fixture("rules/template-text/bad-crlf"), &repo);
    git(top.path(), &["init", "-q"]);
    git(top.path(), &["add", "."]);
    git(top.path(), &["commit", "-q", "-m", "sms"]);
    let (_, out) = run(&repo, "github");
    assert!(
        out.starts_with("::error file=docs/sms/policies/sm-policy.md,line=12,"),
        "{out}"
    );
    let (_, out) = run(&repo, "gitlab");
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v[0]["location"]["path"], "docs/sms/policies/sm-policy.md");
    let (_, out) = run(&repo, "sarif");
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "docs/sms/policies/sm-policy.md"
    );
    // Outside git, from the repository root.
    let (_, out) = run(&fixture("rules/template-text/bad-crlf"), "github");
    // (The fixture lives inside this project's own work tree.)
    assert!(
        out.contains("file=tests/fixtures/rules/template-text/bad-crlf/policies/sm-policy.md")
            || out.contains("file=policies/sm-policy.md"),
        "{out}"
    );
}

#[test]
fn the_pre_commit_hooks_check_the_whole_repository() {
    let text =
        std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect("the hooks file");
    let hooks: Value = yaml_serde::from_str(&text).expect("YAML");
    let hooks = hooks.as_array().expect("a list of hooks");
    let ids: Vec<&str> = hooks
        .iter()
        .map(|h| h["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(ids, ["smsite-check", "smsite-check-system"]);
    for h in hooks {
        assert_eq!(h["entry"], "smsite check");
        assert_eq!(
            h["pass_filenames"], false,
            "the whole repository, not the files"
        );
        assert!(h["name"].is_string() && h["types_or"].is_array());
    }
    assert_eq!(hooks[0]["language"], "rust");
    assert_eq!(hooks[1]["language"], "system");
    // As pre-commit runs it: the entry, in the repository's root, no file names.
    let run_in = |dir: &Path| {
        common::bin()
            .arg("check")
            .current_dir(dir)
            .output()
            .expect("smsite runs")
            .status
            .code()
    };
    assert_eq!(run_in(&root().join("sample-sms")), Some(0));
    assert_eq!(run_in(&fixture("rules/template-text/bad")), Some(1));
}
