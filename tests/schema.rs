//! `smsite schema`: a draft-07 JSON Schema per kind of the profile (built
//! in and declared), validated here with a JSON Schema validator as an
//! editor's YAML language server would: every document of the worked
//! example validates against its kind's schema, records with planted
//! errors do not (each error where it is), and the scaffold's records
//! name a schema that exists and validates them.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{root, smsite};
use serde_json::{Value, json};

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// `smsite schema REPO --out OUT`; the schemas by kind.
fn schemas(repo: &Path, out: &Path) -> BTreeMap<String, Value> {
    let o = smsite(&["schema", s(repo), "--out", s(out)]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::read_dir(out)
        .expect("the schema folder")
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(e.path()).expect("read");
            (
                name.trim_end_matches(".json").to_string(),
                serde_json::from_str(&text).expect("a schema is JSON"),
            )
        })
        .collect()
}

/// The errors of `instance` against `schema` (draft 7, formats checked),
/// as (instance path, message).
fn errors(schema: &Value, instance: &Value) -> Vec<(String, String)> {
    let v = jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("a valid schema");
    v.iter_errors(instance)
        .map(|e| (e.instance_path().to_string(), e.to_string()))
        .collect()
}

/// A document's fields as JSON: a record's YAML, or a Markdown file's
/// front matter.
fn fields(text: &str, markdown: bool) -> Value {
    let yaml = if markdown {
        let rest = text
            .strip_prefix("---\n")
            .or_else(|| text.strip_prefix("---\r\n"))
            .expect("front matter");
        let end = rest.find("\n---").expect("front matter closes");
        &rest[..end]
    } else {
        text
    };
    yaml_serde::from_str(yaml).expect("YAML")
}

#[test]
fn every_kind_of_the_profile_gets_a_valid_draft_07_schema() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let all = schemas(&root().join("sample-sms"), tmp.path());
    let checked = common::check(&root().join("sample-sms"), "2026-12-01");
    let kinds: Vec<&String> = checked.loaded.profile.kinds.keys().collect();
    assert_eq!(all.keys().collect::<Vec<_>>(), kinds);
    assert!(all.contains_key("capacity-plan"), "declared in sms.yaml");
    for (kind, schema) in &all {
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
        assert!(
            jsonschema::meta::validate(schema).is_ok(),
            "{kind}: not a valid schema"
        );
    }
    let service = &all["service"];
    assert_eq!(
        service["properties"]["criticality"]["enum"],
        json!(["low", "medium", "high", "critical"])
    );
    assert_eq!(service["required"], json!(["id", "title", "criticality"]));
    assert_eq!(service["properties"]["review_by"]["format"], "date");
    assert!(
        service["properties"]["suppliers"]["description"]
            .as_str()
            .unwrap_or_default()
            .contains("supplier")
    );
    let risk = &all["risk"];
    assert_eq!(
        risk["properties"]["treatment"]["enum"],
        json!(["treat", "tolerate", "transfer", "terminate"]),
        "a field declared in sms.yaml"
    );
}

#[test]
fn every_document_of_the_worked_example_validates_against_its_kind() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let all = schemas(&root().join("sample-sms"), tmp.path());
    let checked = common::check(&root().join("sample-sms"), "2026-12-01");
    let mut seen = 0;
    for d in &checked.loaded.documents {
        let text = std::fs::read_to_string(root().join("sample-sms").join(&d.file)).expect("read");
        let v = fields(&text, d.file.ends_with(".md"));
        let errs = errors(&all[&d.kind], &v);
        assert!(errs.is_empty(), "{}: {errs:?}", d.file);
        seen += 1;
    }
    assert!(seen > 80, "{seen} documents");
}

#[test]
fn a_record_with_planted_errors_is_invalid_where_they_are() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let all = schemas(&root().join("sample-sms"), tmp.path());
    let record = "id: SVC-X\ntitle: X\nkind: service\nstatus: approved\nowner: Me\napproved_on: 2026-02-30\ncriticality: extreme\ndepends_on: [SVC-A, 5]\nreview_by: next year\ncolour: blue\n";
    let errs = errors(&all["service"], &fields(record, false));
    let paths: Vec<&str> = errs.iter().map(|(p, _)| p.as_str()).collect();
    for want in [
        "/criticality",
        "/review_by",
        "/approved_on",
        "/depends_on",
        "",
    ] {
        assert!(paths.contains(&want), "no error at `{want}`: {errs:?}");
    }
    let text = |p: &str| -> Vec<&str> {
        errs.iter()
            .filter(|(at, _)| at == p)
            .map(|(_, m)| m.as_str())
            .collect()
    };
    assert!(
        text("").iter().any(|m| m.contains("colour")),
        "unknown field: {errs:?}"
    );
    assert!(
        text("").iter().any(|m| m.contains("approved_by")),
        "approved needs approved_by: {errs:?}"
    );
    // The same record, fixed, is valid.
    let fixed = "id: SVC-X\ntitle: X\nkind: service\nstatus: approved\nowner: Me\napproved_by: Board\napproved_on: 2026-02-28\ncriticality: high\ndepends_on: SVC-A\nreview_by: 2027-01-31\n";
    assert_eq!(errors(&all["service"], &fields(fixed, false)), vec![]);
    // A single reference where one is allowed; not two.
    let sla = "id: SLA-X\ntitle: X\nservice: [SVC-A]\n";
    assert_eq!(errors(&all["sla"], &fields(sla, false)), vec![]);
    let contract = "id: CON-X\ntitle: X\nsupplier: [SUP-A, SUP-B]\n";
    let errs = errors(&all["contract"], &fields(contract, false));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].0, "/supplier");
}

#[test]
fn declared_kinds_and_actions_fields_are_covered() {
    let repo = common::repo(&[(
        "sms.yaml",
        "name: Mini\nkinds:\n  improvement:\n    fields:\n      plan: {type: actions, required: true}\n      horizon: {type: duration}\n      effort: {type: number}\n      urgent: {type: bool}\n      notes: {type: markdown}\n      tags: {type: list}\n",
    )]);
    let out = repo.path().join("schemas");
    let o = smsite(&["schema", s(repo.path())]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("into"));
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("improvement.json")).expect("improvement.json"),
    )
    .expect("JSON");
    let good = "id: IMP-1\ntitle: Faster escalation\nplan:\n  - {action: Add a check, owner: Desk, due_by: 2026-11-30}\n  - {action: Retrain, owner: Desk, due_by: 2026-12-15, done_on: 2026-12-10}\nhorizon: 2w\neffort: 3.5\nurgent: true\nnotes: \"**soon**\"\ntags: [desk, p1]\n";
    assert_eq!(errors(&schema, &fields(good, false)), vec![]);
    let bad = "id: IMP-1\ntitle: X\nplan:\n  - {action: Add a check, due_by: 30 Nov, when: later}\nhorizon: two weeks\neffort: lots\nurgent: maybe\n";
    let errs = errors(&schema, &fields(bad, false));
    let paths: Vec<&str> = errs.iter().map(|(p, _)| p.as_str()).collect();
    for want in [
        "/plan/0",
        "/plan/0/due_by",
        "/horizon",
        "/effort",
        "/urgent",
    ] {
        assert!(paths.contains(&want), "no error at `{want}`: {errs:?}");
    }
    assert!(
        errs.iter()
            .any(|(p, m)| p == "/plan/0" && m.contains("owner")),
        "{errs:?}"
    );
    assert!(
        errs.iter()
            .any(|(p, m)| p == "/plan/0" && m.contains("when")),
        "{errs:?}"
    );
    let missing = "id: IMP-2\ntitle: Y\n";
    let errs = errors(&schema, &fields(missing, false));
    assert!(errs.iter().any(|(_, m)| m.contains("plan")), "{errs:?}");
}

#[test]
fn scaffold_records_name_a_schema_that_validates_them() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path().join("my-sms");
    assert_eq!(smsite(&["init", s(&repo)]).status.code(), Some(0));
    let mut records = 0;
    for e in walkdir::WalkDir::new(&repo).into_iter().flatten() {
        let p: PathBuf = e.path().to_path_buf();
        if p.extension().is_none_or(|x| x != "yaml") || p.ends_with("sms.yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&p).expect("read");
        // As the YAML language server reads the modeline: a path relative to the file.
        let first = text.lines().next().unwrap_or_default();
        let rel = first
            .strip_prefix("# yaml-language-server: $schema=")
            .unwrap_or_else(|| panic!("{}: no modeline", p.display()));
        let schema_file = p.parent().expect("a folder").join(rel);
        let schema: Value =
            serde_json::from_str(&std::fs::read_to_string(&schema_file).expect("the schema"))
                .expect("JSON");
        assert_eq!(
            errors(&schema, &fields(&text, false)),
            vec![],
            "{}",
            p.display()
        );
        // A planted error in the same record is caught.
        let broken = text.replacen("status: draft", "status: done", 1);
        let errs = errors(&schema, &fields(&broken, false));
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].0, "/status");
        records += 1;
    }
    assert_eq!(
        records, 6,
        "service, customer, supplier, contract, management review, nonconformity"
    );
}

#[test]
fn a_broken_sms_yaml_is_reported_and_nothing_is_written() {
    let repo = common::repo(&[(
        "sms.yaml",
        "name: Mini\nkinds:\n  improvement:\n    fields:\n      plan: {type: checklist}\n",
    )]);
    let o = smsite(&["schema", s(repo.path())]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("parse-error"), "{err}");
    assert!(err.contains("sms.yaml:5"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert!(!repo.path().join("schemas").exists());
    // Not a repository at all: a usage error.
    let empty = tempfile::tempdir().expect("tempdir");
    assert_eq!(smsite(&["schema", s(empty.path())]).status.code(), Some(2));
}
