//! `auditor-not-independent`: an auditor (compared trimmed, whatever the
//! case) who is the `owner` or `process_owner` of an approved document
//! that is evidence for a requirement in the audit's scope: auditors do
//! not audit their own work. Planned audits too (plan it right). One
//! finding per audit and auditor, at the auditor's entry in `auditors:`,
//! naming one such document and requirement and how many more documents.

use super::Input;
use crate::diag::Finding;

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let op = &input.resolved.operation;
    if op.audits.is_empty() {
        return;
    }
    let docs = input.docs;
    // Each approved document's owner and process owner, normalised once.
    let owners: Vec<[String; 2]> = docs
        .iter()
        .map(|d| {
            if d.status != crate::model::Status::Approved {
                return Default::default();
            }
            [
                d.owner.as_deref().map(norm).unwrap_or_default(),
                d.text("process_owner")
                    .as_deref()
                    .map(norm)
                    .unwrap_or_default(),
            ]
        })
        .collect();
    for a in &op.audits {
        let d = &docs[a.doc];
        let auditors: Vec<String> = d
            .fields
            .iter()
            .find(|f| f.name == "auditors")
            .map(|f| f.items.clone())
            .unwrap_or_default();
        let mut seen: Vec<String> = Vec::new();
        for (n, auditor) in auditors.iter().enumerate() {
            let who = norm(auditor);
            if who.is_empty() || seen.contains(&who) {
                continue;
            }
            seen.push(who.clone());
            // The documents the auditor owns, with a requirement in scope each.
            let mut own: Vec<(usize, usize)> = Vec::new();
            for &q in &a.leaves {
                for &e in &input.resolved.coverage[q].evidence {
                    if owners[e].contains(&who) && !own.iter().any(|(x, _)| *x == e) {
                        own.push((e, q));
                    }
                }
            }
            let Some(&(e, q)) = own.iter().min_by(|x, y| docs[x.0].id.cmp(&docs[y.0].id)) else {
                continue;
            };
            let more = match own.len() - 1 {
                0 => String::new(),
                1 => " and 1 more document".to_string(),
                m => format!(" and {m} more documents"),
            };
            out.push(
                Finding::new(
                    "auditor-not-independent",
                    &d.file,
                    d.index.item("auditors", n, Some(auditor)).unwrap_or(d.index.key_or_start("auditors")),
                    format!(
                        "audit {}: auditor {} owns {} \"{}\", evidence for {} in the audit's scope{more}; auditors do not audit their own work: choose another auditor, or take these requirements out of this audit's scope",
                        d.id,
                        auditor.trim(),
                        docs[e].id,
                        docs[e].title,
                        input.catalogues.reqs[q].key
                    ),
                )
                .width(auditor.chars().count()),
            );
        }
    }
}
