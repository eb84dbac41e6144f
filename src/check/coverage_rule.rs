//! User coverage rules from `sms.yaml`: every live document of kind `every`
//! matching `where` must be referenced by a live document of kind
//! `referenced_by` (through field `via`, when given).

use std::collections::HashSet;

use super::Input;
use crate::diag::{Finding, Severity};
use crate::resolve::{Target, Via};

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    for rule in &input.config.user_rules {
        if rule.severity == Severity::Off {
            continue;
        }
        let referenced: HashSet<usize> = input
            .resolved
            .edges
            .iter()
            .flatten()
            .filter(|e| {
                let from = &input.docs[e.from];
                from.kind == rule.referenced_by
                    && from.is_live()
                    && match &rule.via {
                        Some(f) => e.via == Via::Field(f.clone()),
                        None => true,
                    }
            })
            .filter_map(|e| match e.to {
                Target::Doc(t) => Some(t),
                Target::Req(_) => None,
            })
            .collect();
        for (i, d) in input.docs.iter().enumerate() {
            if d.kind != rule.every || !d.is_live() || referenced.contains(&i) {
                continue;
            }
            let matches = rule.r#where.iter().all(|(k, vals)| match d.raw.get(k) {
                // A list field matches when any of its items does.
                Some(serde_json::Value::Array(items)) => items
                    .iter()
                    .any(|i| i.as_str().is_some_and(|s| vals.iter().any(|v| v == s))),
                _ => d.text(k).is_some_and(|v| vals.contains(&v)),
            });
            if !matches {
                continue;
            }
            let via = rule
                .via
                .as_deref()
                .map(|v| format!(" through `{v}:`"))
                .unwrap_or_default();
            out.push(
                Finding {
                    severity: rule.severity,
                    ..Finding::new(
                        &rule.name,
                        &d.file,
                        d.id_pos(),
                        format!("{} {} is referenced by no {}{via} (rule `{}` in sms.yaml); add a {} that refers to {}", d.kind, d.id, rule.referenced_by, rule.name, rule.referenced_by, d.id),
                    )
                }
                .width(2),
            );
        }
    }
}
