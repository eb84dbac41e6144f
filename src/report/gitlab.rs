//! `--format gitlab`: a GitLab Code Quality report (a JSON array of
//! issues: `description`, `check_name`, `fingerprint`, `severity`,
//! `location.path`, `location.lines.begin`), shown in the merge request's
//! code quality widget and its changes. Fingerprints do not depend on line
//! numbers (see [`super::fingerprints`]), so a finding moved by an edit
//! above it stays the same issue.

use serde::Serialize;

use crate::diag::{Finding, Severity};

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

/// The report; paths are prefixed with `prefix` (the repository root's
/// folder inside the git work tree).
pub fn to_gitlab(findings: &[Finding], prefix: &str) -> String {
    let prints = super::fingerprints(findings, prefix);
    let issues: Vec<Issue> = findings
        .iter()
        .zip(prints)
        .map(|(f, fingerprint)| Issue {
            kind: "issue",
            description: format!("{}: {}", f.rule, f.message),
            check_name: &f.rule,
            fingerprint,
            severity: match f.severity {
                Severity::Warning => "minor",
                _ => "major",
            },
            location: Location {
                path: format!("{prefix}{}", f.file),
                lines: Lines { begin: f.line },
            },
        })
        .collect();
    serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into())
}
