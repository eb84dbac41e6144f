//! `sms.yaml`: the repository's settings (name, scope, catalogues in force,
//! statement of applicability, folder defaults, kinds, rules, excludes,
//! theme). Parsed once into plain data; every problem becomes a
//! `parse-error` finding pointing at the key in `sms.yaml`.

use std::collections::BTreeMap;

use yaml_serde::{Mapping, Value};

mod rule_help;
mod rules;

pub use rule_help::{RULE_HELP, RuleHelp, rule_help};
pub use rules::{
    BUILTIN_RULES, OptionKind, RULE_OPTIONS, RuleOption, RuleSetting, UserRule, validate_user_rules,
};

use crate::diag::{Finding, Pos, did_you_mean};
use crate::model::{Classification, FieldSpec, FieldType, KindDecl, Profile};
use crate::yaml::{YamlIndex, scalar};
use rules::parse_rules;

pub const FILE: &str = "sms.yaml";

/// Keys `sms.yaml` may contain.
pub const KEYS: &[&str] = &[
    "name",
    "organisation",
    "scope",
    "requirements",
    "applicability",
    "folders",
    "kinds",
    "rules",
    "exclude",
    "theme",
    "audience",
    "variables",
];

/// A catalogue named under `requirements:`: a built-in name or a file.
#[derive(Debug, Clone)]
pub struct CatalogueRef {
    pub name: String,
    pub pos: Pos,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SoaStatus {
    Applicable,
    NotApplicable,
    OtherParty,
}

/// One statement-of-applicability entry.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SoaEntry {
    pub req: String,
    pub status: SoaStatus,
    pub justification: Option<String>,
    pub party: Option<String>,
    pub evidence: Vec<String>,
    #[serde(skip)]
    pub pos: Pos,
}

/// The parsed `sms.yaml`.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub name: String,
    pub organisation: Option<String>,
    pub scope: Option<String>,
    pub requirements: Vec<CatalogueRef>,
    pub applicability: Vec<SoaEntry>,
    /// Folder (relative, `/`-separated, no trailing slash) → default kind.
    pub folders: Vec<(String, String, Pos)>,
    pub kinds: Vec<(String, KindDecl, Pos)>,
    pub rules: BTreeMap<String, RuleSetting>,
    pub user_rules: Vec<UserRule>,
    pub exclude: Vec<String>,
    pub theme: Option<String>,
    /// Who the built site is for: documents classified above it are left out
    /// (`public`, `internal`; default `confidential`, everything).
    pub audience: Option<Classification>,
    /// `variables:`: each `{{name}}` in a body (outside code) is replaced
    /// by its text. `None` when `sms.yaml` declares none: `{{...}}` is
    /// then kept as written.
    pub variables: Option<std::sync::Arc<crate::markdown::Variables>>,
    /// Positions of keys in `sms.yaml`.
    pub index: YamlIndex,
}

impl Config {
    /// The kinds in force: the built-in profile extended by `kinds:`, with
    /// the `folders:` defaults.
    pub fn profile(&self) -> Profile {
        let mut p = Profile::new(&self.kinds, &self.folders);
        if let Some((inputs, _)) = self.names("management-review-incomplete", "inputs") {
            p.set_values("management-review", "inputs", inputs);
        }
        p
    }
}

/// Parses `sms.yaml` text. Returns the settings it could read and a finding
/// for everything it could not.
pub fn parse(text: &str) -> (Config, Vec<Finding>) {
    let mut findings = Vec::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let index = YamlIndex::new(text, 1);
    let mut cfg = Config {
        index: index.clone(),
        ..Config::default()
    };
    let err = |pos: Pos, msg: String| Finding::new("parse-error", FILE, pos, msg);
    let root: Value = match crate::yaml::parse_yaml(text) {
        Ok(v) => v,
        Err((pos, msg)) => {
            findings.push(err(pos, format!("sms.yaml is not valid YAML: {msg}")));
            return (cfg, findings);
        }
    };
    let map = match root {
        Value::Mapping(m) => m,
        Value::Null => Mapping::new(),
        _ => {
            findings.push(err(
                Pos::START,
                "sms.yaml must be a mapping of settings (`name: ...`, `requirements: ...`)".into(),
            ));
            return (cfg, findings);
        }
    };
    let at = |k: &str| index.key_or_start(k);
    for (k, _) in &map {
        let key = scalar(k).unwrap_or_default();
        if !KEYS.contains(&key.as_str()) {
            findings.push(
                err(
                    at(&key),
                    format!(
                        "unknown key `{key}` in sms.yaml{}",
                        hint_or_list(&key, KEYS)
                    ),
                )
                .width(key.chars().count()),
            );
        }
    }
    match map.get("name").and_then(scalar) {
        Some(n) if !n.trim().is_empty() => cfg.name = n,
        _ => findings.push(err(
            at("name"),
            "sms.yaml needs `name:`, the SMS's name shown on every page".into(),
        )),
    }
    cfg.organisation = map.get("organisation").and_then(scalar);
    cfg.scope = map.get("scope").and_then(scalar);
    cfg.theme = map.get("theme").and_then(scalar);
    if let Some(v) = map.get("audience") {
        match scalar(v).as_deref().and_then(Classification::parse) {
            Some(a) => cfg.audience = Some(a),
            None => findings.push(err(
                at("audience"),
                "`audience:` must be one of public, internal, confidential".into(),
            )),
        }
    }

    if let Some(v) = map.get("requirements") {
        match v {
            Value::Sequence(items) => {
                for (i, item) in items.iter().enumerate() {
                    match scalar(item) {
                        Some(name) => {
                            let pos = index.item("requirements", i, Some(&name)).unwrap_or(at("requirements"));
                            cfg.requirements.push(CatalogueRef { name, pos });
                        }
                        None => findings.push(err(
                            index.item("requirements", i, None).unwrap_or(at("requirements")),
                            "each `requirements:` entry is a built-in catalogue name (ISO20000-1) or a catalogue file path".into(),
                        )),
                    }
                }
            }
            Value::Null => {}
            _ => findings.push(err(
                at("requirements"),
                "`requirements:` must be a list, e.g. `requirements: [ISO20000-1, requirements/internal.yaml]`".into(),
            )),
        }
    }

    if let Some(v) = map.get("applicability") {
        parse_applicability(v, &index, &mut cfg, &mut findings);
    }

    if let Some(v) = map.get("folders") {
        match v {
            Value::Mapping(m) => {
                for (k, kind) in m {
                    let (Some(folder), Some(kind)) = (scalar(k), scalar(kind)) else {
                        findings.push(err(at("folders"), "`folders:` maps a folder to a kind, e.g. `services: service`".into()));
                        continue;
                    };
                    let pos = index.sub_key("folders", &folder).unwrap_or(at("folders"));
                    let folder = folder.trim_matches('/').replace('\\', "/");
                    cfg.folders.push((folder, kind, pos));
                }
            }
            Value::Null => {}
            _ => findings.push(err(at("folders"), "`folders:` must be a mapping of folder to kind, e.g. `folders: {services: service}`".into())),
        }
    }

    if let Some(v) = map.get("kinds") {
        parse_kinds(v, &index, &mut cfg, &mut findings);
    }
    if let Some(v) = map.get("rules") {
        parse_rules(v, &index, &mut cfg, &mut findings);
    }
    if let Some(v) = map.get("variables") {
        parse_variables(v, &index, &mut cfg, &mut findings);
    }
    if let Some(v) = map.get("exclude") {
        match v {
            Value::Sequence(items) => cfg.exclude = items.iter().filter_map(scalar).collect(),
            Value::String(s) => cfg.exclude = vec![s.clone()],
            Value::Null => {}
            _ => findings.push(err(
                at("exclude"),
                "`exclude:` must be a list of glob patterns, e.g. `exclude: [\"drafts-old/**\"]`"
                    .into(),
            )),
        }
    }
    (cfg, findings)
}

/// `variables:`: a mapping of names to their text.
fn parse_variables(v: &Value, index: &YamlIndex, cfg: &mut Config, findings: &mut Vec<Finding>) {
    let mut vars = crate::markdown::Variables::new();
    let at = |k: &str| {
        index
            .sub_key("variables", k)
            .unwrap_or(index.key_or_start("variables"))
    };
    match v {
        Value::Mapping(m) => {
            for (k, val) in m {
                let Some(name) = scalar(k) else { continue };
                if !crate::markdown::valid_variable(&name) {
                    findings.push(Finding::new("parse-error", FILE, at(&name), format!(
                        "variable name `{name}` may only hold letters, digits, `_`, `-` and `.`, and starts with a letter or `_` (it is written `{{{{name}}}}` in documents)"
                    )).width(name.chars().count()));
                    continue;
                }
                match val {
                    Value::Mapping(_) | Value::Sequence(_) | Value::Null => {
                        findings.push(Finding::new("parse-error", FILE, at(&name), format!(
                            "variable `{name}` must have a text value, e.g. `{name}: Northwind Harbour Logistics Ltd`"
                        )).width(name.chars().count()));
                    }
                    val => {
                        vars.insert(name, scalar(val).unwrap_or_default());
                    }
                }
            }
        }
        Value::Null => {}
        _ => {
            findings.push(Finding::new(
                "parse-error",
                FILE,
                index.key_or_start("variables"),
                "`variables:` maps names to their text, e.g. `variables: {organisation: Northwind Ltd}`; documents write `{{organisation}}`".to_string(),
            ));
            return;
        }
    }
    cfg.variables = Some(std::sync::Arc::new(vars));
}

fn parse_applicability(
    v: &Value,
    index: &YamlIndex,
    cfg: &mut Config,
    findings: &mut Vec<Finding>,
) {
    let Value::Sequence(items) = v else {
        if !v.is_null() {
            findings.push(Finding::new(
                "parse-error",
                FILE,
                index.key_or_start("applicability"),
                "`applicability:` must be a list of `{req: ..., status: ...}` entries".to_string(),
            ));
        }
        return;
    };
    for (i, item) in items.iter().enumerate() {
        let pos = index
            .item("applicability", i, None)
            .unwrap_or(index.key_or_start("applicability"));
        let bad = |m: String| Finding::new("parse-error", FILE, pos, m);
        let Value::Mapping(m) = item else {
            findings.push(bad("an applicability entry is a mapping: `{req: \"CAT:REQ\", status: not-applicable, justification: \"...\"}`".into()));
            continue;
        };
        let Some(req) = m.get("req").and_then(scalar) else {
            findings.push(bad(
                "this applicability entry has no `req:` (e.g. `req: \"ISO20000-1:8.7.3\"`)".into(),
            ));
            continue;
        };
        let status_s = m.get("status").and_then(scalar).unwrap_or_default();
        let status = match status_s.as_str() {
            "applicable" => SoaStatus::Applicable,
            "not-applicable" => SoaStatus::NotApplicable,
            "other-party" => SoaStatus::OtherParty,
            other => {
                findings.push(bad(format!(
                    "applicability status `{other}` for {req} is not one of applicable, not-applicable, other-party{}",
                    did_you_mean(other, ["applicable", "not-applicable", "other-party"])
                )));
                continue;
            }
        };
        let justification = m.get("justification").and_then(scalar);
        if status == SoaStatus::NotApplicable
            && justification.as_deref().is_none_or(|j| j.trim().is_empty())
        {
            findings.push(bad(format!(
                "{req} is declared not-applicable without a `justification:`; say why it does not apply"
            )));
        }
        let evidence = match m.get("evidence") {
            Some(Value::Sequence(s)) => s.iter().filter_map(scalar).collect(),
            Some(v) => scalar(v).into_iter().collect(),
            None => Vec::new(),
        };
        for k in m.keys().filter_map(scalar) {
            if !["req", "status", "justification", "party", "evidence"].contains(&k.as_str()) {
                findings.push(bad(format!(
                    "unknown key `{k}` in an applicability entry{}",
                    hint_or_list(&k, &["req", "status", "justification", "party", "evidence"])
                )));
            }
        }
        cfg.applicability.push(SoaEntry {
            req,
            status,
            justification,
            party: m.get("party").and_then(scalar),
            evidence,
            pos,
        });
    }
}

fn parse_kinds(v: &Value, index: &YamlIndex, cfg: &mut Config, findings: &mut Vec<Finding>) {
    let Value::Mapping(kinds) = v else {
        if !v.is_null() {
            findings.push(Finding::new(
                "parse-error",
                FILE,
                index.key_or_start("kinds"),
                "`kinds:` must map kind names to `{fields: {...}}`".to_string(),
            ));
        }
        return;
    };
    for (k, spec) in kinds {
        let Some(kind) = scalar(k) else { continue };
        let kpos = index
            .sub_key("kinds", &kind)
            .unwrap_or(index.key_or_start("kinds"));
        // Kind names become file names of the kind index pages.
        if kind.is_empty()
            || !kind
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            findings.push(Finding::new(
                "parse-error",
                FILE,
                kpos,
                format!("kind name `{kind}` may only hold letters, digits, `-` and `_`"),
            ));
            continue;
        }
        let mut decl = KindDecl::default();
        let fields = match spec {
            Value::Mapping(m) => m.get("fields").cloned().unwrap_or(Value::Null),
            Value::Null => Value::Null,
            _ => {
                findings.push(Finding::new(
                    "parse-error",
                    FILE,
                    kpos,
                    format!("kind `{kind}` must be a mapping with `fields:`"),
                ));
                continue;
            }
        };
        if let Value::Mapping(fm) = &fields {
            for (fk, fv) in fm {
                let Some(fname) = scalar(fk) else { continue };
                let fpos = index.sub_key("kinds", &fname).unwrap_or(kpos);
                match field_spec(fv).and_then(|spec| extends(&kind, &fname, spec)) {
                    Ok(spec) => decl.fields.push((fname, spec)),
                    Err(m) => findings.push(Finding::new(
                        "parse-error",
                        FILE,
                        fpos,
                        format!("field `{fname}` of kind `{kind}`: {m}"),
                    )),
                }
            }
        }
        cfg.kinds.push((kind, decl, kpos));
    }
}

fn field_spec(v: &Value) -> Result<FieldSpec, String> {
    let m = match v {
        Value::Mapping(m) => m.clone(),
        Value::String(s) => {
            let mut m = Mapping::new();
            m.insert(Value::String("type".into()), Value::String(s.clone()));
            m
        }
        _ => return Err(
            "a field is declared as `{type: string}` (or `{type: ref, to: [service], many: true}`)"
                .into(),
        ),
    };
    let ty_s = m.get("type").and_then(scalar).unwrap_or_default();
    let ty = FieldType::parse(&ty_s).ok_or_else(|| {
        format!(
            "unknown type `{ty_s}`; use one of {}{}",
            FieldType::NAMES.join(", "),
            did_you_mean(&ty_s, FieldType::NAMES.iter().copied())
        )
    })?;
    let list = |k: &str| -> Vec<String> {
        match m.get(k) {
            Some(Value::Sequence(s)) => s.iter().filter_map(scalar).collect(),
            Some(v) => scalar(v).into_iter().collect(),
            None => Vec::new(),
        }
    };
    let spec = FieldSpec {
        ty,
        required: m.get("required").and_then(Value::as_bool).unwrap_or(false),
        many: m.get("many").and_then(Value::as_bool).unwrap_or(false),
        to: list("to"),
        values: list("values"),
    };
    if ty == FieldType::Enum && spec.values.is_empty() {
        return Err("an `enum` field needs `values: [...]`".into());
    }
    if ty == FieldType::Ref && spec.to.is_empty() {
        return Err("a `ref` field needs `to: [kind, ...]`".into());
    }
    for k in m.keys().filter_map(scalar) {
        if !["type", "required", "many", "to", "values"].contains(&k.as_str()) {
            return Err(format!(
                "unknown key `{k}`{}",
                hint_or_list(&k, &["type", "required", "many", "to", "values"])
            ));
        }
    }
    Ok(spec)
}

/// A field declared for a kind that `sms.yaml` may extend but not
/// replace (see `model::EXTENDED_ONLY`): refused when the kind has it built
/// in with another type (or other values, or other kinds to refer to).
fn extends(kind: &str, name: &str, spec: FieldSpec) -> Result<FieldSpec, String> {
    if !crate::model::EXTENDED_ONLY.contains(&kind) {
        return Ok(spec);
    }
    let Some(builtin) = crate::model::builtin_field(kind, name) else {
        return Ok(spec);
    };
    let shape = |s: &FieldSpec| match s.ty {
        FieldType::Enum => format!("enum [{}]", s.values.join(", ")),
        FieldType::Ref => format!("ref to [{}]", s.to.join(", ")),
        t => t.describe().to_string(),
    };
    let same = builtin.ty == spec.ty
        && (builtin.ty != FieldType::Enum || builtin.values == spec.values)
        && (builtin.ty != FieldType::Ref || builtin.to == spec.to);
    if same {
        Ok(spec)
    } else {
        Err(format!(
            "declared here as `{}`, but kind `{kind}` has `{name}` built in as `{}`; keep the built-in field (remove this declaration) or give yours another name",
            shape(&spec),
            shape(&builtin)
        ))
    }
}

/// "; did you mean X?" or the list of valid names.
pub fn hint_or_list(wanted: &str, valid: &[&str]) -> String {
    let h = did_you_mean(wanted, valid.iter().copied());
    if h.is_empty() {
        format!("; valid keys are {}", valid.join(", "))
    } else {
        h
    }
}
