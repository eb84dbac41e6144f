//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod crawl;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A file's text; the test fails naming the file when it cannot be read.
pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A JSON file, parsed.
pub fn json(p: &Path) -> serde_json::Value {
    serde_json::from_str(&read(p)).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// `smsite build REPO --out OUT --date DATE EXTRA...`, which must succeed.
pub fn build_into(repo: &Path, out: &Path, date: &str, extra: &[&str]) {
    let mut args = vec![
        "build",
        repo.to_str().unwrap_or_default(),
        "--out",
        out.to_str().unwrap_or_default(),
        "--date",
        date,
    ];
    args.extend_from_slice(extra);
    let o = smsite(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "build failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// The `smsite` binary. Git does not look for a repository above `tests/`
/// from inside it: the fixtures there are files of this project, whose
/// commits are not theirs, so their checks are without history (`note:`).
/// The sample (outside `tests/`) is judged by this project's history, on
/// purpose; repositories made by the tests live elsewhere.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_smsite"));
    c.env("GIT_CEILING_DIRECTORIES", root().join("tests"));
    c
}

/// Runs `smsite` with `args`; returns the output.
pub fn smsite(args: &[&str]) -> Output {
    bin().args(args).output().expect("the smsite binary runs")
}

pub fn date(s: &str) -> jiff::civil::Date {
    smsite::model::parse_date(s).expect("a valid test date")
}

/// Checks a repository in-process, without its git history: the fixtures
/// live in this project's own repository, whose commits are not theirs
/// (the history's tests make repositories of their own, see `git_repo`).
pub fn check(dir: &Path, d: &str) -> smsite::Checked {
    smsite::check(dir, &options(d, false)).expect("the repository loads")
}

/// The options of an in-process check on day `d`, with or without history.
pub fn options(d: &str, history: bool) -> smsite::Options {
    smsite::Options {
        date: date(d),
        skip: vec![],
        history,
    }
}

pub type Key = (String, String, String, usize);

/// (rule, severity, file, line) of every finding.
pub fn keys(findings: &[smsite::diag::Finding]) -> BTreeSet<Key> {
    findings
        .iter()
        .map(|f| {
            (
                f.rule.clone(),
                f.severity.as_str().to_string(),
                f.file.clone(),
                f.line,
            )
        })
        .collect()
}

/// The expected findings of a fixture (`expected.json`), and its date.
pub fn expected(dir: &Path) -> (String, BTreeSet<Key>, bool) {
    let text = std::fs::read_to_string(dir.join("expected.json")).expect("expected.json exists");
    let v: serde_json::Value = serde_json::from_str(&text).expect("expected.json is JSON");
    let date = v["date"].as_str().unwrap_or("2026-12-01").to_string();
    let set = v["findings"]
        .as_array()
        .expect("findings list")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["severity"].as_str().unwrap_or_default().to_string(),
                f["file"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default() as usize,
            )
        })
        .collect();
    (date, set, v["distinct"].as_bool().unwrap_or(false))
}

/// A copy of a fixture in a fresh temporary folder.
pub fn copy_fixture(src: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    copy_dir(src, tmp.path());
    tmp
}

pub fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("create dir");
    for e in std::fs::read_dir(src).expect("read dir").flatten() {
        let to = dst.join(e.file_name());
        if e.file_type().expect("file type").is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), &to).expect("copy");
        }
    }
}

/// Writes a small repository from (path, text) pairs into a fresh temporary folder.
pub fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    for (rel, text) in files {
        let p = tmp.path().join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, text).expect("write");
    }
    tmp
}

/// A valid approved policy document with `extra` front matter and `body`.
pub fn policy(id: &str, extra: &str, body: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: Policy {id}\nkind: policy\nowner: SMS manager\nstatus: approved\napproved_by: Board\napproved_on: 2026-01-10\n{extra}---\n\n{body}\n"
    )
}

/// Runs git in `dir` at `date` (committer and author), unaffected by the
/// machine's configuration; returns its standard output, trimmed.
pub fn git(dir: &Path, args: &[&str], date: &str) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Ann Author")
        .env("GIT_AUTHOR_EMAIL", "ann@example.org")
        .env("GIT_COMMITTER_NAME", "Carl Committer")
        .env("GIT_COMMITTER_EMAIL", "carl@example.org")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        // `git clone` of a repository given as a `file://` URL.
        .env("GIT_PROTOCOL_FROM_USER", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Feeds `stream` to `git fast-import` in `dir` (many commits at once).
pub fn fast_import(dir: &Path, stream: &str) {
    use std::io::Write;
    let mut child = Command::new("git")
        .current_dir(dir)
        .args(["fast-import", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("fast-import");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stream.as_bytes())
        .expect("write");
    assert!(child.wait().expect("waits").success());
}

/// A new git repository (branch `main`) in a fresh temporary folder.
pub fn git_init() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    git(
        tmp.path(),
        &["init", "-q", "-b", "main"],
        "2026-01-01T00:00:00+00:00",
    );
    tmp
}

/// Writes `files` into `dir` (creating folders).
pub fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().expect("a parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
}

/// Stages everything in `dir` and commits it at `date` (ISO 8601 with its
/// offset); returns the commit's id.
pub fn commit(dir: &Path, message: &str, date: &str) -> String {
    git(dir, &["add", "-A"], date);
    git(dir, &["commit", "-q", "--allow-empty", "-m", message], date);
    git(dir, &["rev-parse", "HEAD"], date)
}

/// A git repository replaying a fixture's history: each folder of
/// `_commits/` (in name order, named `NN DATE MESSAGE`) is copied over the
/// work tree (its `.remove` lists files to delete first) and committed at
/// its date; then `_worktree/`, if any, is copied over and left
/// uncommitted.
pub fn replay(case: &Path) -> tempfile::TempDir {
    let repo = git_init();
    let mut steps: Vec<PathBuf> = std::fs::read_dir(case.join("_commits"))
        .expect("_commits")
        .flatten()
        .map(|e| e.path())
        .collect();
    steps.sort();
    for step in steps {
        let name = step
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut parts = name.splitn(3, ' ');
        let (_, date, message) = (parts.next(), parts.next(), parts.next());
        let (date, message) = (date.expect("a date"), message.unwrap_or("Commit"));
        if let Ok(list) = std::fs::read_to_string(step.join(".remove")) {
            for rel in list.lines().filter(|l| !l.is_empty()) {
                std::fs::remove_file(repo.path().join(rel)).expect("remove");
            }
        }
        copy_over(&step, repo.path());
        commit(repo.path(), message, date);
    }
    let work = case.join("_worktree");
    if work.is_dir() {
        copy_over(&work, repo.path());
    }
    repo
}

/// Copies `src` over `dst` (files replaced, `.remove` left out).
fn copy_over(src: &Path, dst: &Path) {
    for e in std::fs::read_dir(src).expect("read dir").flatten() {
        let to = dst.join(e.file_name());
        if e.file_name() == ".remove" {
            continue;
        }
        if e.file_type().expect("file type").is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
            copy_over(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), &to).expect("copy");
        }
    }
}
