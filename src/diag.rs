//! Findings: what a rule reports, their severities, and how they are printed
//! (human, with the source line and a caret like rustc; or one stable JSON object).

use std::collections::HashMap;
use std::path::Path;

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use serde::{Deserialize, Serialize};

/// How much a finding matters. `Off` only appears in configuration: an
/// `Off` rule emits no findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Off,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "off" => Some(Severity::Off),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Off => "off",
        }
    }
}

/// A place in a source file: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, column: 1 };
    pub fn new(line: usize, column: usize) -> Pos {
        Pos {
            line: line.max(1),
            column: column.max(1),
        }
    }
}

/// One finding. The serialised shape (`rule`, `severity`, `file`, `line`,
/// `column`, `message`) is a public contract: CI tools parse it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// Characters to underline from `column` (human output only).
    #[serde(skip)]
    pub width: usize,
}

impl Finding {
    pub fn new(rule: &str, file: &str, pos: Pos, message: impl Into<String>) -> Finding {
        Finding {
            rule: rule.to_string(),
            severity: Severity::Error,
            file: file.to_string(),
            line: pos.line.max(1),
            column: pos.column.max(1),
            message: message.into(),
            width: 1,
        }
    }
    pub fn width(mut self, width: usize) -> Finding {
        self.width = width.max(1);
        self
    }
}

/// Counts printed with findings (`summary` in JSON).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub documents: usize,
    pub requirements: usize,
    pub covered: usize,
}

/// Sorts findings into a stable order: file, line, column, rule.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.rule, &a.message)
            .cmp(&(&b.file, b.line, b.column, &b.rule, &b.message))
    });
}

/// The `--format json` document.
pub fn to_json(findings: &[Finding], summary: &Summary) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        findings: &'a [Finding],
        summary: &'a Summary,
    }
    serde_json::to_string_pretty(&Out { findings, summary }).unwrap_or_else(|e| {
        // Serialising plain strings and numbers cannot fail; keep a valid object anyway.
        format!("{{\"findings\": [], \"summary\": {{}}, \"error\": \"{e}\"}}")
    })
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
    if !meta.is_file() || meta.len() > crate::load::MAX_FILE {
        return None;
    }
    std::fs::read(&canon).ok()
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

/// A short "did you mean X?" suffix when a candidate is close to `wanted`.
pub fn did_you_mean<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match nearest(wanted, candidates) {
        Some(c) => format!("; did you mean `{c}`?"),
        None => String::new(),
    }
}

/// The candidate nearest to `wanted` (case-insensitive Levenshtein), if near enough.
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let w = wanted.to_lowercase();
    let limit = (w.chars().count() / 3).max(2);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = strsim::levenshtein(&w, &c.to_lowercase());
        if d <= limit && best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}
