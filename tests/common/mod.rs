//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod crawl;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_smsite"))
}

/// Runs `smsite` with `args`; returns the output.
pub fn smsite(args: &[&str]) -> Output {
    bin().args(args).output().expect("the smsite binary runs")
}

pub fn date(s: &str) -> jiff::civil::Date {
    smsite::model::parse_date(s).expect("a valid test date")
}

/// Checks a repository in-process.
pub fn check(dir: &Path, d: &str) -> smsite::Checked {
    smsite::check(
        dir,
        &smsite::Options {
            date: date(d),
            skip: vec![],
        },
    )
    .expect("the repository loads")
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
