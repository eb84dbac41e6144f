//! How findings are printed: for a terminal, rustc-style with the quoted
//! source line and a caret under the column; or one stable JSON object
//! (`--format json`) that CI tools parse; or where CI shows them: SARIF
//! 2.1.0 ([`sarif`], GitHub code scanning), a GitLab Code Quality report
//! ([`gitlab`]) and GitHub Actions annotations ([`github`]). The last
//! three name files relative to the git work tree's top and share the
//! line-independent [`fingerprints`].

pub mod github;
pub mod gitlab;
pub mod sarif;

use std::collections::HashMap;
use std::path::Path;

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use serde::Serialize;

use crate::diag::{Finding, Severity, Summary};
use crate::readiness::Readiness;

/// The `--format json` document.
/// `summary` holds the counts and, when given, the `readiness` object.
pub fn to_json(findings: &[Finding], summary: &Summary, readiness: Option<&Readiness>) -> String {
    to_json_with_notes(findings, summary, readiness, &[])
}

/// The `--format json` document with `notes`: what the build skipped and
/// how to get it (the git history, see `control`), beside `summary`.
pub fn to_json_with_notes(
    findings: &[Finding],
    summary: &Summary,
    readiness: Option<&Readiness>,
    notes: &[String],
) -> String {
    #[derive(Serialize)]
    struct WithReadiness<'a> {
        #[serde(flatten)]
        counts: &'a Summary,
        #[serde(skip_serializing_if = "Option::is_none")]
        readiness: Option<&'a Readiness>,
    }
    #[derive(Serialize)]
    struct Out<'a> {
        findings: &'a [Finding],
        summary: WithReadiness<'a>,
        notes: &'a [String],
    }
    let summary = WithReadiness {
        counts: summary,
        readiness,
    };
    serde_json::to_string_pretty(&Out {
        findings,
        summary,
        notes,
    })
    .unwrap_or_else(|e| {
        // Serialising plain strings and numbers cannot fail; keep a valid object anyway.
        format!("{{\"findings\": [], \"summary\": {{}}, \"notes\": [], \"error\": \"{e}\"}}")
    })
}

/// A fingerprint per finding that does not change when lines move: a
/// hash of the rule, the file, the message with every run of digits
/// made `0` (line numbers, dates and day counts in messages change
/// without the finding changing), and how many findings before it in
/// `findings` share those three (so that two alike stay apart).
pub fn fingerprints(findings: &[Finding], prefix: &str) -> Vec<String> {
    use sha2::{Digest, Sha256};
    let mut seen: HashMap<String, usize> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let key = format!("{}\0{prefix}{}\0{}", f.rule, f.file, normalise(&f.message));
            let n = seen.entry(key.clone()).or_insert(0);
            let hash = Sha256::digest(format!("{key}\0{n}").as_bytes());
            *n += 1;
            hash.iter().take(16).map(|b| format!("{b:02x}")).collect()
        })
        .collect()
}

/// A message with each run of digits made `0` and spaces collapsed.
fn normalise(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut prev_digit = false;
    for word in message.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
            prev_digit = false;
        }
        for c in word.chars() {
            if c.is_ascii_digit() {
                if !prev_digit {
                    out.push('0');
                }
                prev_digit = true;
            } else {
                out.push(c);
                prev_digit = false;
            }
        }
    }
    out
}

/// Renders findings for a terminal: rustc-style, with the source line and a
/// caret under the column. Files are read from `root` (lossily, so a file
/// with invalid UTF-8 still shows its other lines).
pub fn to_human(findings: &[Finding], root: &Path) -> String {
    let mut files: SimpleFiles<String, String> = SimpleFiles::new();
    // File id and the byte offsets where its lines start.
    let mut ids: HashMap<&str, (usize, Vec<usize>)> = HashMap::new();
    let config = term::Config::default();
    let mut out = String::new();
    for f in findings {
        let (id, starts) = ids.entry(f.file.as_str()).or_insert_with(|| {
            let text = quotable(root, &f.file)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            // Columns are counted after a byte-order mark (documents and
            // measurement files alike): the quoted text starts after it too.
            let text = match text.strip_prefix('\u{feff}') {
                Some(rest) => rest.to_string(),
                None => text,
            };
            let starts = line_starts(&text);
            (files.add(f.file.clone(), text), starts)
        });
        let id = *id;
        let source = files.get(id).map(|s| s.source().as_str()).unwrap_or("");
        let diag = match f.severity {
            Severity::Warning => Diagnostic::warning(),
            _ => Diagnostic::error(),
        }
        .with_code(f.rule.clone())
        .with_message(f.message.clone());
        let diag = match byte_range(source, starts, f.line, f.column, f.width) {
            Some(range) => diag.with_labels(vec![Label::primary(id, range)]),
            None => diag.with_notes(vec![format!("at {}:{}:{}", f.file, f.line, f.column)]),
        };
        match term::emit_into_string(&config, &files, &diag) {
            Ok(s) => out.push_str(&s),
            Err(_) => out.push_str(&format!(
                "{}[{}]: {}\n  --> {}:{}:{}\n\n",
                f.severity.as_str(),
                f.rule,
                f.message,
                f.file,
                f.line,
                f.column
            )),
        }
    }
    out
}

/// The bytes of a repository file to quote lines from: `None` for a file
/// over the size limit or outside the repository (a symbolic link leading
/// out is named, never shown).
fn quotable(root: &Path, rel: &str) -> Option<Vec<u8>> {
    let path = root.join(rel);
    let canon = path.canonicalize().ok()?;
    if !canon.starts_with(root.canonicalize().ok()?) {
        return None;
    }
    let meta = std::fs::metadata(&canon).ok()?;
    if !meta.is_file() || meta.len() > crate::source::MAX_FILE {
        return None;
    }
    std::fs::read(&canon).ok()
}

/// Line `line` (1-based) of repository file `rel`, as written (without
/// its line break or a byte-order mark), when it can be quoted: the file
/// is inside the repository, within the size limit, and the line no longer
/// than [`MAX_QUOTED_LINE`]. `serve`'s overlay shows a measurement
/// finding's row with it.
pub fn source_line(root: &Path, rel: &str, line: usize) -> Option<String> {
    let bytes = quotable(root, rel)?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let l = bytes.split(|b| *b == b'\n').nth(line.checked_sub(1)?)?;
    if l.len() > MAX_QUOTED_LINE {
        return None;
    }
    let l = l.strip_suffix(b"\r").unwrap_or(l);
    Some(String::from_utf8_lossy(l).into_owned())
}

/// Longest source line (bytes) quoted under a finding; a longer line (a
/// minified or generated file) is named by position only, so a finding never
/// prints megabytes.
pub const MAX_QUOTED_LINE: usize = 1000;

fn line_starts(source: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(source.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// The byte range of `width` characters from 1-based (line, column), clamped
/// to the line; `None` when the line does not exist or is too long to quote.
fn byte_range(
    source: &str,
    starts: &[usize],
    line: usize,
    column: usize,
    width: usize,
) -> Option<std::ops::Range<usize>> {
    let start = *starts.get(line.checked_sub(1)?)?;
    if start >= source.len() {
        return None;
    }
    let end = starts.get(line).copied().unwrap_or(source.len());
    let l = source.get(start..end)?;
    if l.len() > MAX_QUOTED_LINE {
        return None;
    }
    let content = l.trim_end_matches(['\n', '\r']);
    let mut chars = content.char_indices().skip(column.saturating_sub(1));
    let (b, _) = chars.next().unwrap_or((content.len(), ' '));
    let end = content
        .char_indices()
        .skip(column.saturating_sub(1) + width)
        .map(|(i, _)| i)
        .next()
        .unwrap_or(content.len());
    Some(start + b..start + end.max(b))
}
