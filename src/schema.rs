//! JSON Schemas for editors: one per kind of a repository's profile
//! (built in and declared in `sms.yaml`), in draft-07, the draft the YAML
//! language server (VS Code's YAML extension and others) supports.
//! `smsite schema DIR` writes them into `DIR/schemas/KIND.json`; a YAML
//! record names its schema on its first line (`# yaml-language-server:
//! $schema=../schemas/service.json`) or the editor maps folders to schemas
//! (`yaml.schemas`), and the editor then checks what the build checks
//! while typing: required fields, enums, dates, durations, references,
//! SLA targets, actions, unknown fields.
//!
//! A schema accepts what the build accepts (a single id where a list of
//! ids is allowed, a number where a string is expected) and says in each
//! description what the field means, so the editor's hover explains it.

use serde_json::{Map, Value, json};

use crate::model::{COMMON, FieldSpec, FieldType, Profile, Status};

/// The folder of the schemas, relative to the repository root.
pub const FOLDER: &str = "schemas";

/// The draft the schemas are written in.
pub const DRAFT: &str = "http://json-schema.org/draft-07/schema#";

/// Every kind's schema: (file name `KIND.json`, pretty JSON text).
pub fn files(profile: &Profile) -> Vec<(String, String)> {
    profile
        .kinds
        .keys()
        .map(|k| {
            let text = serde_json::to_string_pretty(&for_kind(profile, k)).unwrap_or_default();
            (format!("{k}.json"), text + "\n")
        })
        .collect()
}

/// The schema of a document (front matter or record) of `kind`.
pub fn for_kind(profile: &Profile, kind: &str) -> Value {
    let mut props = Map::new();
    for name in COMMON {
        props.insert(name.to_string(), common(name, kind));
    }
    props.insert(
        "body".into(),
        json!({"type": "string", "description": "A record's body (Markdown), shown on its page; a `.md` document has its body after the front matter instead."}),
    );
    let mut required = vec![json!("id"), json!("title")];
    for (name, spec) in profile.kinds.get(kind).into_iter().flatten() {
        props.insert(name.clone(), field(name, spec));
        if spec.required {
            required.push(json!(name));
        }
    }
    json!({
        "$schema": DRAFT,
        "$id": format!("smsite:kind/{kind}"),
        "title": format!("smsite document of kind `{kind}`"),
        "description": format!("A document or record of kind `{kind}`: the common document-control fields and the fields of the kind. Written by `smsite schema`; regenerate it after changing `kinds:` in sms.yaml."),
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": false,
        "if": {"properties": {"status": {"const": "approved"}}, "required": ["status"]},
        "then": {"required": ["owner", "approved_by", "approved_on"]},
    })
}

/// A date as written: `YYYY-MM-DD`.
fn date(description: &str) -> Value {
    json!({"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": description})
}

/// Text that YAML may read as a number (`version: 1.2`).
fn text(description: &str) -> Value {
    json!({"type": ["string", "number"], "description": description})
}

/// One value, or a list of them (`satisfies`, `list` and `ref` fields).
fn one_or_many(item: Value, description: &str, max: Option<usize>) -> Value {
    let mut list = json!({"type": "array", "items": item});
    if let Some(m) = max {
        list["maxItems"] = json!(m);
    }
    json!({"description": description, "anyOf": [item, list]})
}

/// The document-control fields every kind has.
fn common(name: &str, kind: &str) -> Value {
    let id = json!({"type": "string", "pattern": "^[A-Za-z0-9_-][A-Za-z0-9._-]*$"});
    match name {
        "id" => {
            let mut v = id;
            v["description"] = json!(
                "Unique across the repository: letters, digits, `-`, `_`, `.` (e.g. POL-001)."
            );
            v
        }
        "title" => text("The human title."),
        "kind" => {
            json!({"enum": [kind], "description": "The kind; may be left out where the folder's default (`folders:` in sms.yaml) gives it."})
        }
        "owner" => text("The accountable role or person (required once approved)."),
        "version" => text("The document's version, e.g. \"1.3\"."),
        "status" => {
            json!({"enum": Status::NAMES, "description": "draft (the default), review, approved (counts as evidence; needs owner, approved_by, approved_on) or retired."})
        }
        "approved_by" => text("Who approved it."),
        "approved_on" => date("When it was approved (YYYY-MM-DD)."),
        "review_by" => date("When the next review is due (YYYY-MM-DD)."),
        "classification" => {
            json!({"enum": ["public", "internal", "confidential"], "description": "Who may read it: public, internal (the default) or confidential."})
        }
        "satisfies" => {
            let req = json!({"type": "string", "pattern": "^[^:\\s]+:\\S+$"});
            let entry = json!({"anyOf": [req, {
                "type": "object",
                "properties": {"req": req, "note": {"type": "string"}},
                "required": ["req"],
                "additionalProperties": false,
            }]});
            one_or_many(
                entry,
                "Requirements this document is evidence for: `CATALOGUE:REQ` (e.g. ISO20000-1:8.3.3) or `{req: ..., note: ...}`.",
                None,
            )
        }
        other => text(&format!("`{other}`")),
    }
}

/// A field of the kind, by its type.
fn field(name: &str, spec: &FieldSpec) -> Value {
    let req = if spec.required { " Required." } else { "" };
    match spec.ty {
        FieldType::String => text(&format!("`{name}`: text.{req}")),
        FieldType::Markdown => {
            json!({"type": "string", "description": format!("`{name}`: Markdown text.{req}")})
        }
        FieldType::Number => json!({
            "type": ["number", "string"], "pattern": "^\\s*-?[0-9]+(\\.[0-9]+)?\\s*$",
            "description": format!("`{name}`: a number.{req}"),
        }),
        FieldType::Bool => {
            json!({"type": "boolean", "description": format!("`{name}`: true or false.{req}")})
        }
        FieldType::Date => date(&format!("`{name}`: a date, YYYY-MM-DD.{req}")),
        FieldType::Duration => json!({
            "type": "string", "pattern": "^\\s*[0-9]+(\\.[0-9]+)?[smhdw]\\s*$",
            "description": format!("`{name}`: a duration such as 30m, 4h, 2d, 1w.{req}"),
        }),
        FieldType::Enum => json!({
            "enum": spec.values,
            "description": format!("`{name}`: one of {}.{req}", spec.values.join(", ")),
        }),
        FieldType::List => one_or_many(
            json!({"type": ["string", "number", "boolean"]}),
            &format!("`{name}`: a list of text.{req}"),
            None,
        ),
        FieldType::Ref => {
            let to = if spec.to.is_empty() {
                "any".to_string()
            } else {
                spec.to.join(" or ")
            };
            let how = if spec.many { "ids" } else { "the id" };
            one_or_many(
                json!({"type": "string", "pattern": "^\\s*[A-Za-z0-9_-][A-Za-z0-9._-]*\\s*$"}),
                &format!(
                    "`{name}`: {how} of {to} document{}.{req}",
                    if spec.many { "s" } else { "" }
                ),
                (!spec.many).then_some(1),
            )
        }
        FieldType::Targets => json!({
            "type": "array",
            "description": format!("`{name}`: SLA targets, each `{{metric, target, unit?, period?}}`, e.g. `{{metric: availability, target: 99.9, unit: \"%\", period: calendar month}}`.{req}"),
            "items": {
                "type": "object",
                "properties": {
                    "metric": text("What is measured, e.g. availability."),
                    "target": text("The agreed level, e.g. 99.9."),
                    "unit": text("The unit, e.g. % or min."),
                    "period": text("The period it is measured over, e.g. calendar month."),
                },
                "required": ["metric", "target"],
            },
        }),
        FieldType::Actions => json!({
            "type": "array",
            "description": format!("`{name}`: actions, each `{{action, owner, due_by, done_on?}}`.{req}"),
            "items": {
                "type": "object",
                "properties": {
                    "action": text("What is to be done."),
                    "owner": text("Who does it."),
                    "due_by": date("When it is due (YYYY-MM-DD)."),
                    "done_on": date("When it was done (YYYY-MM-DD); absent while open."),
                },
                "required": ["action", "owner", "due_by"],
                "additionalProperties": false,
            },
        }),
        FieldType::Requirements => one_or_many(
            json!({"type": "string", "pattern": "^\\s*[A-Za-z0-9_.-]+:\\S+\\s*$"}),
            &format!(
                "`{name}`: requirement references `CATALOGUE:ID`, e.g. `ISO20000-1:8.6.1` (a parent stands for every leaf beneath).{req}"
            ),
            None,
        ),
        FieldType::Results => json!({
            "type": "array",
            "description": format!("`{name}`: the audit's results, each `{{req, result, evidence?, note?}}`; only once the audit is performed.{req}"),
            "items": {
                "type": "object",
                "properties": {
                    "req": text("The requirement (`CATALOGUE:ID`), in the audit's scope."),
                    "result": {"enum": ["conforming", "nonconforming", "observation", "not-audited"], "description": "The result."},
                    "evidence": one_or_many(json!({"type": "string"}), "The ids of the documents examined.", None),
                    "note": text("What was seen."),
                },
                "required": ["req", "result"],
                "additionalProperties": false,
            },
        }),
        FieldType::Effectiveness => json!({
            "type": "object",
            "description": format!("`{name}`: the check that the corrective actions worked, `{{verified_by, verified_on, result, note?}}`.{req}"),
            "properties": {
                "verified_by": text("Who checked."),
                "verified_on": date("When (YYYY-MM-DD)."),
                "result": {"enum": ["effective", "not-effective"], "description": "Whether the actions worked."},
                "note": text("What was checked."),
            },
            "required": ["verified_by", "verified_on", "result"],
            "additionalProperties": false,
        }),
        FieldType::ReviewInputs => json!({
            "type": "array",
            "description": format!("`{name}`: the review's inputs, each `{{input, documents?, note?}}`, `input` one of {}.{req}", spec.values.join(", ")),
            "items": {
                "type": "object",
                "properties": {
                    "input": text("The topic considered (the list is the rule `management-review-incomplete`'s `inputs` option)."),
                    "documents": one_or_many(json!({"type": "string"}), "The ids of the documents that informed it.", None),
                    "note": text("What was considered."),
                },
                "required": ["input"],
                "additionalProperties": false,
            },
        }),
    }
}
