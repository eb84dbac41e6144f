//! [`Changes`] as text for a terminal (`smsite diff`'s default format).

use std::fmt::Write;

use super::{Changes, Side, Was};

/// A value as a line shows it: text as it is, `(absent)`, others as JSON.
pub fn value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "(absent)".to_string(),
        serde_json::Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

/// `audit-2026-09 (1a2b3c4d5e6f, 2026-09-10)`, `the work tree (modified)`.
pub fn side(s: &Side) -> String {
    let short = |c: &String| c.chars().take(12).collect::<String>();
    match (&s.commit, &s.date) {
        (Some(c), Some(d)) => format!("{} ({}, {d})", s.revision, short(c)),
        _ if s.modified => "the work tree (with uncommitted changes)".to_string(),
        (Some(c), None) => format!("the work tree (at {})", short(c)),
        _ => "the work tree".to_string(),
    }
}

fn was(w: &Was) -> String {
    format!("{} → {}", w.old, w.new)
}

/// The whole comparison as text.
pub fn to_human(c: &Changes) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Changes from {} to {}, both checked as of {}\n",
        side(&c.old),
        side(&c.new),
        c.date
    );
    if c.is_empty() {
        o.push_str("Nothing changed.\n");
        return o;
    }
    let head = |o: &mut String, title: &str, n: usize| {
        if n > 0 {
            let _ = writeln!(o, "{title} ({n}):");
        }
    };
    head(&mut o, "Documents added", c.added.len());
    for d in &c.added {
        let _ = writeln!(
            o,
            "  + {}  {}  ({}, {})  {}",
            d.id, d.title, d.kind, d.status, d.file
        );
    }
    head(&mut o, "Documents removed", c.removed.len());
    for d in &c.removed {
        let _ = writeln!(
            o,
            "  - {}  {}  ({}, {})  {}",
            d.id, d.title, d.kind, d.status, d.file
        );
    }
    head(&mut o, "Documents changed", c.changed.len());
    for d in &c.changed {
        let _ = writeln!(o, "  ~ {}  {}  {}", d.id, d.title, d.file);
        if let Some(from) = &d.old_file {
            let _ = writeln!(o, "      moved from {from}");
        }
        for f in &d.fields {
            let _ = writeln!(
                o,
                "      {}: {} → {}",
                f.field,
                value(&f.old),
                value(&f.new)
            );
        }
        if d.body_changed {
            let _ = writeln!(
                o,
                "      body changed (+{} −{} lines)",
                d.lines_added, d.lines_removed
            );
        }
    }
    head(&mut o, "Requirements", c.requirements.len());
    for r in &c.requirements {
        let mut parts = Vec::new();
        if let Some(w) = &r.coverage {
            parts.push(format!("coverage {}", was(w)));
        }
        if !r.evidence_added.is_empty() {
            parts.push(format!("evidence added {}", r.evidence_added.join(", ")));
        }
        if !r.evidence_removed.is_empty() {
            parts.push(format!(
                "evidence removed {}",
                r.evidence_removed.join(", ")
            ));
        }
        if let Some(w) = &r.applicability {
            parts.push(format!("applicability {}", was(w)));
        }
        let _ = writeln!(o, "  {}  {}: {}", r.key, r.title, parts.join("; "));
    }
    for (title, list, sign) in [
        ("Findings appeared", &c.findings.appeared, '+'),
        ("Findings resolved", &c.findings.resolved, '-'),
    ] {
        head(&mut o, title, list.len());
        for f in list {
            let _ = writeln!(
                o,
                "  {sign} {}[{}] {}:{}: {}",
                f.severity.as_str(),
                f.rule,
                f.file,
                f.line,
                f.message
            );
        }
    }
    let s = &c.summary;
    let _ = writeln!(
        o,
        "\n{} added, {} removed, {} changed, {} requirement{} changed, {} finding{} appeared, {} resolved",
        s.added,
        s.removed,
        s.changed,
        s.requirements,
        if s.requirements == 1 { "" } else { "s" },
        s.findings_appeared,
        if s.findings_appeared == 1 { "" } else { "s" },
        s.findings_resolved
    );
    o
}
