//! `--format sarif`: a SARIF 2.1.0 log (GitHub code scanning, and any
//! SARIF viewer), built on `serde-sarif`'s object model. The tool's rules
//! carry the metadata of every built-in rule (id, short description, help,
//! default level, from `config::RULE_HELP`) and of each user coverage rule
//! that reported; each result names its rule, level, message, file (a path
//! relative to the work tree's top, as code scanning expects), line and
//! column, and carries the line-independent fingerprint of
//! [`super::fingerprints`].

use std::collections::BTreeMap;

use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif,
    Tool, ToolComponent,
};

use crate::config::{BUILTIN_RULES, rule_help};
use crate::diag::{Finding, Severity};

/// Where the SARIF 2.1.0 schema is published.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Warning => "warning",
        Severity::Off => "none",
        Severity::Error => "error",
    }
}

fn text(s: &str) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(s).build()
}

/// The descriptor of a rule: built in (from `RULE_HELP`) or a user
/// coverage rule of `sms.yaml`.
fn descriptor(rule: &str, default: Severity) -> ReportingDescriptor {
    let (short, help) = match rule_help(rule) {
        Some(h) => (h.short.to_string(), h.help.to_string()),
        None => (
            format!("Coverage rule `{rule}` declared in sms.yaml."),
            "See the rule under `rules:` in sms.yaml: each document it names must be referenced as it says.".to_string(),
        ),
    };
    ReportingDescriptor::builder()
        .id(rule)
        .name(rule)
        .short_description(text(&short))
        .full_description(text(&short))
        .help(text(&help))
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::json!(level(default)))
                .build(),
        )
        .build()
}

/// The SARIF log of `findings`; paths are prefixed with `prefix` (the
/// repository root's folder inside the git work tree).
pub fn to_sarif(findings: &[Finding], prefix: &str) -> String {
    let mut rules: Vec<ReportingDescriptor> = BUILTIN_RULES
        .iter()
        .map(|(r, s)| descriptor(r, *s))
        .collect();
    let mut index: BTreeMap<&str, usize> = BUILTIN_RULES
        .iter()
        .enumerate()
        .map(|(i, (r, _))| (*r, i))
        .collect();
    for f in findings {
        if !index.contains_key(f.rule.as_str()) {
            index.insert(&f.rule, rules.len());
            rules.push(descriptor(&f.rule, f.severity));
        }
    }
    let prints = super::fingerprints(findings, prefix);
    let results: Vec<SarifResult> = findings
        .iter()
        .zip(prints)
        .map(|(f, print)| {
            let region = Region::builder()
                .start_line(f.line as i64)
                .start_column(f.column as i64)
                .build();
            let location = PhysicalLocation::builder()
                .artifact_location(
                    ArtifactLocation::builder()
                        .uri(uri(&format!("{prefix}{}", f.file)))
                        .build(),
                )
                .region(region)
                .build();
            SarifResult::builder()
                .rule_id(f.rule.clone())
                .rule_index(index.get(f.rule.as_str()).copied().unwrap_or(0) as i64)
                .level(match f.severity {
                    Severity::Warning => ResultLevel::Warning,
                    _ => ResultLevel::Error,
                })
                .message(Message::builder().text(f.message.clone()).build())
                .locations(vec![
                    Location::builder().physical_location(location).build(),
                ])
                .partial_fingerprints(BTreeMap::from([("smsite/v1".to_string(), print)]))
                .build()
        })
        .collect();
    let driver = ToolComponent::builder()
        .name("smsite")
        .version(env!("CARGO_PKG_VERSION"))
        .rules(rules)
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .build();
    let log = Sarif::builder()
        .schema(SCHEMA)
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".into())
}

/// A relative path as a URI reference: each segment percent-encoded but
/// for unreserved characters.
fn uri(path: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    path.split('/')
        .map(|s| percent_encoding::utf8_percent_encode(s, KEEP).to_string())
        .collect::<Vec<_>>()
        .join("/")
}
