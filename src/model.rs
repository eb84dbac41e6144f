//! The document model: kinds and their typed fields (the built-in ISO 20000
//! profile plus what `sms.yaml` declares), and `Document`, the typed form of
//! one Markdown document or YAML record. Building a document never fails:
//! what is wrong with its fields is recorded as `Problem`s for the rules.

use std::collections::BTreeMap;

use jiff::civil::Date;
use yaml_serde::{Mapping, Value};

use crate::config::{Config, scalar};
use crate::diag::{Pos, did_you_mean};
use crate::markdown::Heading;
use crate::yamlpos::YamlIndex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    Markdown,
    Number,
    Bool,
    Date,
    Duration,
    Enum,
    List,
    Ref,
    /// SLA targets: a list of `{metric, target, unit?, period?}`.
    Targets,
}

impl FieldType {
    pub const NAMES: &'static [&'static str] = &[
        "string", "markdown", "number", "bool", "date", "duration", "enum", "list", "ref",
    ];
    pub fn parse(s: &str) -> Option<FieldType> {
        Some(match s {
            "string" => FieldType::String,
            "markdown" => FieldType::Markdown,
            "number" => FieldType::Number,
            "bool" => FieldType::Bool,
            "date" => FieldType::Date,
            "duration" => FieldType::Duration,
            "enum" => FieldType::Enum,
            "list" => FieldType::List,
            "ref" => FieldType::Ref,
            _ => return None,
        })
    }
}

/// A typed field of a kind.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSpec {
    pub ty: FieldType,
    pub required: bool,
    pub many: bool,
    pub to: Vec<String>,
    pub values: Vec<String>,
}

impl FieldSpec {
    fn new(ty: FieldType) -> FieldSpec {
        FieldSpec {
            ty,
            required: false,
            many: false,
            to: Vec::new(),
            values: Vec::new(),
        }
    }
    fn required(mut self) -> Self {
        self.required = true;
        self
    }
    fn refs(to: &str, many: bool) -> FieldSpec {
        FieldSpec {
            ty: FieldType::Ref,
            required: false,
            many,
            to: vec![to.to_string()],
            values: Vec::new(),
        }
    }
}

/// Fields every document may have.
pub const COMMON: &[&str] = &[
    "id",
    "title",
    "kind",
    "owner",
    "version",
    "status",
    "approved_by",
    "approved_on",
    "review_by",
    "classification",
    "satisfies",
];

pub const BUILTIN_KINDS: &[&str] = &[
    "policy",
    "process",
    "procedure",
    "plan",
    "objective",
    "risk",
    "record",
    "service",
    "sla",
    "supplier",
    "contract",
    "continuity-plan",
    "report",
];

/// Kinds in force and their typed fields.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub kinds: BTreeMap<String, Vec<(String, FieldSpec)>>,
}

impl Profile {
    /// The built-in ISO 20000 profile extended by `sms.yaml`.
    pub fn new(cfg: &Config) -> Profile {
        let mut kinds: BTreeMap<String, Vec<(String, FieldSpec)>> = BUILTIN_KINDS
            .iter()
            .map(|k| (k.to_string(), Vec::new()))
            .collect();
        let mut add = |k: &str, f: &str, s: FieldSpec| {
            kinds
                .entry(k.to_string())
                .or_default()
                .push((f.to_string(), s))
        };
        let crit = FieldSpec {
            values: ["low", "medium", "high", "critical"]
                .map(String::from)
                .to_vec(),
            ..FieldSpec::new(FieldType::Enum).required()
        };
        add("service", "criticality", crit);
        add("service", "depends_on", FieldSpec::refs("service", true));
        add("service", "suppliers", FieldSpec::refs("supplier", true));
        add("service", "customers", FieldSpec::new(FieldType::List));
        add(
            "sla",
            "service",
            FieldSpec::refs("service", true).required(),
        );
        add("sla", "targets", FieldSpec::new(FieldType::Targets));
        add("supplier", "contracts", FieldSpec::refs("contract", true));
        add(
            "contract",
            "supplier",
            FieldSpec::refs("supplier", false).required(),
        );
        add("contract", "expires_on", FieldSpec::new(FieldType::Date));
        add(
            "continuity-plan",
            "covers",
            FieldSpec::refs("service", true).required(),
        );
        add(
            "continuity-plan",
            "rto",
            FieldSpec::new(FieldType::Duration),
        );
        add(
            "continuity-plan",
            "rpo",
            FieldSpec::new(FieldType::Duration),
        );
        add(
            "continuity-plan",
            "last_tested",
            FieldSpec::new(FieldType::Date),
        );
        for k in ["process", "procedure"] {
            add(k, "process_owner", FieldSpec::new(FieldType::String));
            add(k, "inputs", FieldSpec::new(FieldType::List));
            add(k, "outputs", FieldSpec::new(FieldType::List));
        }
        for (kind, decl, _) in &cfg.kinds {
            let fields = kinds.entry(kind.clone()).or_default();
            for (name, spec) in &decl.fields {
                match fields.iter_mut().find(|(n, _)| n == name) {
                    Some(existing) => existing.1 = spec.clone(),
                    None => fields.push((name.clone(), spec.clone())),
                }
            }
        }
        Profile { kinds }
    }

    /// Problems with the kinds and fields that user coverage rules name.
    pub fn validate_user_rules(&self, cfg: &Config) -> Vec<crate::diag::Finding> {
        let mut out = Vec::new();
        let kinds = || self.kinds.keys().map(String::as_str);
        for r in &cfg.user_rules {
            let mut bad = |m: String| {
                out.push(crate::diag::Finding::new(
                    "parse-error",
                    crate::config::FILE,
                    r.pos,
                    m,
                ))
            };
            for (what, kind) in [("every", &r.every), ("referenced_by", &r.referenced_by)] {
                if !self.kinds.contains_key(kind) {
                    bad(format!(
                        "coverage rule `{}`: `{what}: {kind}` is not a kind{}",
                        r.name,
                        did_you_mean(kind, kinds())
                    ));
                }
            }
            if let Some(via) = &r.via
                && self.kinds.contains_key(&r.referenced_by)
                && self
                    .field(&r.referenced_by, via)
                    .is_none_or(|f| f.ty != FieldType::Ref)
            {
                let refs: Vec<&str> = self.kinds[&r.referenced_by]
                    .iter()
                    .filter(|(_, s)| s.ty == FieldType::Ref)
                    .map(|(n, _)| n.as_str())
                    .collect();
                bad(format!(
                    "coverage rule `{}`: `via: {via}` is not a reference field of kind `{}`{}",
                    r.name,
                    r.referenced_by,
                    if refs.is_empty() {
                        String::new()
                    } else {
                        format!(" (its reference fields: {})", refs.join(", "))
                    }
                ));
            }
        }
        out
    }

    pub fn field(&self, kind: &str, name: &str) -> Option<&FieldSpec> {
        self.kinds
            .get(kind)?
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Review,
    Approved,
    Retired,
}

impl Status {
    pub const NAMES: &'static [&'static str] = &["draft", "review", "approved", "retired"];
    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "draft" => Status::Draft,
            "review" => Status::Review,
            "approved" => Status::Approved,
            "retired" => Status::Retired,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        Status::NAMES[self as usize]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Classification {
    Public,
    Internal,
    Confidential,
}

impl Classification {
    pub const NAMES: &'static [&'static str] = &["public", "internal", "confidential"];
    pub fn as_str(self) -> &'static str {
        Classification::NAMES[self as usize]
    }
}

/// Something wrong with a document's fields, found while typing them.
#[derive(Debug, Clone)]
pub struct Problem {
    /// `invalid-field` or `unknown-field`.
    pub rule: &'static str,
    pub pos: Pos,
    pub width: usize,
    pub message: String,
}

/// A reference written in a `ref` field.
#[derive(Debug, Clone)]
pub struct FieldRef {
    pub field: String,
    pub target: String,
    pub to: Vec<String>,
    pub pos: Pos,
}

/// A `satisfies:` entry.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Satisfies {
    pub req: String,
    pub note: Option<String>,
    #[serde(skip)]
    pub pos: Pos,
}

/// An SLA target.
#[derive(Debug, Clone, Hash, serde::Serialize)]
pub struct Target {
    pub metric: String,
    pub target: String,
    pub unit: Option<String>,
    pub period: Option<String>,
}

/// A kind field as shown on the document's page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ShownField {
    pub name: String,
    pub ty: &'static str,
    /// Text value (dates, strings, numbers, enums, durations, booleans).
    pub text: Option<String>,
    /// Items (lists) or referenced ids (refs).
    pub items: Vec<String>,
    pub targets: Vec<Target>,
}

/// Where a body's text sits in its file, to turn body offsets into file positions.
#[derive(Debug, Clone, Default)]
pub struct BodyMap {
    /// File line of the body's first line.
    pub first_line: usize,
    /// Columns to add (a YAML block scalar's indentation).
    pub indent: usize,
    /// Position to report when the body's lines do not map onto the file (folded or quoted YAML).
    pub fixed: Option<Pos>,
    /// Made on the first position asked for: only findings ask, so most
    /// bodies never pay for it (10,000 documents: about 5 MB and 1 % of a build).
    lines: std::sync::OnceLock<BodyLines>,
}

/// A body's line starts and character-count marks.
#[derive(Debug, Clone, Default)]
struct BodyLines {
    starts: Vec<usize>,
    /// (byte offset, characters before it) every `MARK` bytes or so, so a
    /// column is found without counting a whole (possibly multi-megabyte) line.
    marks: Vec<(usize, usize)>,
}

/// Distance in bytes between two `BodyMap` character-count marks.
const MARK: usize = 1024;

impl BodyLines {
    fn new(body: &str) -> BodyLines {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', body.as_bytes()).map(|i| i + 1));
        let mut marks = vec![(0, 0)];
        let mut next = MARK;
        for (n, (b, _)) in body.char_indices().enumerate() {
            if b >= next {
                marks.push((b, n));
                next = b + MARK;
            }
        }
        BodyLines { starts, marks }
    }

    /// Characters of `body` before byte `offset` (clamped to a char boundary).
    fn chars_before(&self, body: &str, offset: usize) -> usize {
        let mut x = offset.min(body.len());
        while !body.is_char_boundary(x) {
            x -= 1;
        }
        let i = self
            .marks
            .partition_point(|&(b, _)| b <= x)
            .saturating_sub(1);
        let (b, n) = self.marks.get(i).copied().unwrap_or((0, 0));
        n + body
            .get(b.min(x)..x)
            .map(|s| s.chars().count())
            .unwrap_or(0)
    }
}

impl BodyMap {
    pub fn new(first_line: usize, indent: usize, fixed: Option<Pos>) -> BodyMap {
        BodyMap {
            first_line,
            indent,
            fixed,
            lines: std::sync::OnceLock::new(),
        }
    }

    /// File position of byte `offset` of `body` (the body this map was made for).
    pub fn pos(&self, body: &str, offset: usize) -> Pos {
        if let Some(p) = self.fixed {
            return p;
        }
        let lines = self.lines.get_or_init(|| BodyLines::new(body));
        let line = lines
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = lines.starts.get(line).copied().unwrap_or(0);
        let col = lines
            .chars_before(body, offset)
            .saturating_sub(lines.chars_before(body, start));
        Pos::new(self.first_line + line, self.indent + col + 1)
    }
}

/// A document's front-matter values as JSON, in key order (the order the
/// model export writes them in). A sorted list rather than a map: a
/// document has a dozen keys, read a few times, and a map's nodes would
/// cost more memory than the values (10,000 documents: about 10 MB).
#[derive(Debug, Clone, Default)]
pub struct Fields(Box<[(String, serde_json::Value)]>);

impl Fields {
    pub fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| &self.0[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

impl From<serde_json::Map<String, serde_json::Value>> for Fields {
    fn from(m: serde_json::Map<String, serde_json::Value>) -> Self {
        let mut v: Vec<_> = m.into_iter().collect();
        // Already in key order (serde_json's map is a BTreeMap), which
        // this checks in one pass; `get` depends on it.
        v.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Fields(v.into_boxed_slice())
    }
}

impl serde::Serialize for Fields {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// One document (Markdown file or YAML record), typed.
#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    pub title: String,
    pub kind: String,
    /// The kind is one the profile knows.
    pub kind_known: bool,
    pub owner: Option<String>,
    pub version: Option<String>,
    pub status: Status,
    pub approved_by: Option<String>,
    pub approved_on: Option<Date>,
    pub review_by: Option<Date>,
    pub classification: Classification,
    pub satisfies: Vec<Satisfies>,
    pub refs: Vec<FieldRef>,
    pub fields: Vec<ShownField>,
    /// Every front-matter value, as JSON (templates, `where:` matching, the model export).
    pub raw: Fields,
    pub file: String,
    pub index: YamlIndex,
    pub body: String,
    pub body_map: BodyMap,
    pub scan: crate::markdown::Scan,
    /// The body's HTML, its references still to be filled in.
    pub html: crate::markdown::Compiled,
    pub problems: Vec<Problem>,
}

impl Document {
    pub fn id_pos(&self) -> Pos {
        self.index.key_or_start("id")
    }
    pub fn is_live(&self) -> bool {
        self.status != Status::Retired
    }
    pub fn url(&self) -> String {
        doc_url(&self.id)
    }
    /// Ids referenced through field `name`.
    pub fn refs_of<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.refs
            .iter()
            .filter(move |r| r.field == name)
            .map(|r| r.target.as_str())
    }
    /// A date field of the kind.
    pub fn date(&self, name: &str) -> Option<Date> {
        self.raw
            .get(name)
            .and_then(|v| v.as_str())
            .and_then(parse_date)
    }
    /// A field's value as text (for `where:` matching and display).
    pub fn text(&self, name: &str) -> Option<String> {
        match name {
            "status" => Some(self.status.as_str().to_string()),
            "kind" => Some(self.kind.clone()),
            "classification" => Some(self.classification.as_str().to_string()),
            _ => match self.raw.get(name)? {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Null => None,
                v => Some(v.to_string()),
            },
        }
    }
    pub fn body_pos(&self, offset: usize) -> Pos {
        self.body_map.pos(&self.body, offset)
    }
}

/// Site path of a document's page.
pub fn doc_url(id: &str) -> String {
    format!("doc/{id}.html")
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    s.parse::<Date>().ok()
}

/// `30m`, `4h`, `2d`, `1w`.
pub fn valid_duration(s: &str) -> bool {
    let s = s.trim();
    let Some(unit) = s.chars().last() else {
        return false;
    };
    let num = &s[..s.len() - unit.len_utf8()];
    matches!(unit, 's' | 'm' | 'h' | 'd' | 'w')
        && !num.is_empty()
        && num.parse::<f64>().is_ok_and(|n| n >= 0.0)
}

/// A parsed source file handed to `build`: front matter (or record) mapping
/// plus body.
pub struct Parsed {
    pub file: String,
    pub front: Mapping,
    pub index: YamlIndex,
    pub body: String,
    pub body_map: BodyMap,
    /// The file is a `.yaml` record (may carry `body:`).
    pub record: bool,
}

/// Types one parsed file into a `Document`.
pub fn build(p: Parsed, profile: &Profile, cfg: &Config) -> Document {
    let Parsed {
        file,
        front,
        mut index,
        body,
        body_map,
        record,
    } = p;
    let mut problems = Vec::new();
    let at = |k: &str| index.key_or_start(k);
    fn invalid(problems: &mut Vec<Problem>, pos: Pos, width: usize, message: String) {
        problems.push(Problem {
            rule: "invalid-field",
            pos,
            width,
            message,
        })
    }
    let text = |k: &str| {
        front
            .get(k)
            .and_then(scalar)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };

    let id = text("id").unwrap_or_default();
    if id.is_empty() {
        invalid(
            &mut problems,
            at("id"),
            2,
            format!("`{file}` has no `id:`; give it a unique id such as `POL-001`"),
        );
    } else if !crate::catalogue::valid_name(&id) {
        invalid(
            &mut problems,
            at("id"),
            2,
            format!(
                "id `{}` may only hold letters, digits, `-`, `_` and `.` (and not start with `.`); rename it, e.g. `{}`",
                id.escape_debug(),
                sanitize_id(&id)
            ),
        );
    }
    let title = text("title").unwrap_or_default();
    if title.is_empty() {
        invalid(
            &mut problems,
            if front.contains_key("title") {
                at("title")
            } else {
                at("id")
            },
            2,
            format!(
                "`{}` has no `title:`; add a human title",
                display_id(&id, &file)
            ),
        );
    }

    let folder_kind = crate::config::folder_kind(&cfg.folders, &file).map(str::to_string);
    let kind = text("kind").or(folder_kind).unwrap_or_default();
    let kind_known = profile.kinds.contains_key(&kind);
    if kind.is_empty() {
        invalid(
            &mut problems,
            at("id"),
            2,
            format!(
                "`{}` has no `kind:` and its folder has no default; add `kind:` (one of {}) or a `folders:` entry in sms.yaml",
                display_id(&id, &file),
                kind_list(profile)
            ),
        );
    } else if !kind_known {
        let pos = if front.contains_key("kind") {
            at("kind")
        } else {
            at("id")
        };
        invalid(
            &mut problems,
            pos,
            kind.len(),
            format!(
                "unknown kind `{kind}`{}; kinds are {} (declare new ones under `kinds:` in sms.yaml)",
                did_you_mean(&kind, profile.kinds.keys().map(String::as_str)),
                kind_list(profile)
            ),
        );
    }

    let status = match text("status") {
        None => Status::Draft,
        Some(s) => Status::parse(&s).unwrap_or_else(|| {
            invalid(
                &mut problems,
                at("status"),
                6,
                format!(
                    "status `{s}` is not one of draft, review, approved, retired{}",
                    did_you_mean(&s, Status::NAMES.iter().copied())
                ),
            );
            Status::Draft
        }),
    };
    let classification = match text("classification").as_deref() {
        None | Some("internal") => Classification::Internal,
        Some("public") => Classification::Public,
        Some("confidential") => Classification::Confidential,
        Some(s) => {
            invalid(
                &mut problems,
                at("classification"),
                14,
                format!(
                    "classification `{s}` is not one of public, internal, confidential{}",
                    did_you_mean(s, Classification::NAMES.iter().copied())
                ),
            );
            Classification::Internal
        }
    };
    let mut date_field = |k: &str| -> Option<Date> {
        let s = text(k)?;
        let d = parse_date(&s);
        if d.is_none() {
            invalid(
                &mut problems,
                at(k),
                k.len(),
                format!("`{k}: {s}` is not a valid date; write YYYY-MM-DD, e.g. 2026-03-31"),
            );
        }
        d
    };
    let approved_on = date_field("approved_on");
    let review_by = date_field("review_by");
    let owner = text("owner");
    let approved_by = text("approved_by");
    if status == Status::Approved {
        if owner.is_none() {
            invalid(
                &mut problems,
                at("id"),
                2,
                format!(
                    "approved document `{}` has no `owner:`; name the accountable role or person",
                    display_id(&id, &file)
                ),
            );
        }
        if approved_by.is_none() {
            invalid(
                &mut problems,
                at("id"),
                2,
                format!(
                    "approved document `{}` has no `approved_by:`; say who approved it",
                    display_id(&id, &file)
                ),
            );
        }
        if text("approved_on").is_none() {
            invalid(
                &mut problems,
                if front.contains_key("approved_on") {
                    at("approved_on")
                } else {
                    at("id")
                },
                2,
                format!(
                    "approved document `{}` has no `approved_on:`; add the approval date (YYYY-MM-DD)",
                    display_id(&id, &file)
                ),
            );
        }
    }
    let version = front.get("version").and_then(|v| match v {
        // `1.10` is a number to YAML; show it as written.
        Value::Number(_) => index.raw_scalar("version").or_else(|| scalar(v)),
        v => scalar(v),
    });

    let mut satisfies = Vec::new();
    match front.get("satisfies") {
        None | Some(Value::Null) => {}
        Some(v) => {
            let items: Vec<&Value> = match v {
                Value::Sequence(s) => s.iter().collect(),
                v => vec![v],
            };
            for (i, item) in items.iter().enumerate() {
                let (req, note) = match item {
                    Value::Mapping(m) => (
                        m.get("req").and_then(scalar),
                        m.get("note").and_then(scalar),
                    ),
                    v => (scalar(v), None),
                };
                let pos = index
                    .item("satisfies", i, req.as_deref())
                    .unwrap_or(at("satisfies"));
                match req {
                    Some(req) => satisfies.push(Satisfies { req: req.trim().to_string(), note, pos }),
                    None => invalid(&mut problems, pos, 9, "each `satisfies:` entry is `CATALOGUE:REQ` or `{req: CATALOGUE:REQ, note: \"...\"}`".into()),
                }
            }
        }
    }

    // Kind fields.
    let mut refs = Vec::new();
    let mut fields = Vec::new();
    let kind_fields = profile.kinds.get(&kind);
    if let Some(kf) = kind_fields {
        for (name, spec) in kf {
            let v = front.get(name.as_str()).filter(|v| !v.is_null());
            let Some(v) = v else {
                if spec.required {
                    invalid(
                        &mut problems,
                        at("id"),
                        2,
                        format!(
                            "{kind} `{}` is missing required field `{name}`{}",
                            display_id(&id, &file),
                            field_hint(name, spec)
                        ),
                    );
                }
                continue;
            };
            let mut shown = ShownField {
                name: name.clone(),
                ty: "text",
                text: None,
                items: Vec::new(),
                targets: Vec::new(),
            };
            let kpos = at(name);
            let bad = |m: String| Problem {
                rule: "invalid-field",
                pos: kpos,
                width: name.len(),
                message: m,
            };
            match spec.ty {
                FieldType::Ref => {
                    shown.ty = "refs";
                    let items: Vec<(usize, &Value)> = match v {
                        Value::Sequence(s) => s.iter().enumerate().collect(),
                        v => vec![(0, v)],
                    };
                    if !spec.many && items.len() > 1 {
                        problems.push(bad(format!("`{name}` takes one reference, not a list")));
                    }
                    for (i, item) in items {
                        match scalar(item) {
                            Some(t) => {
                                let t = t.trim().to_string();
                                let pos = index.item(name, i, Some(&t)).unwrap_or(kpos);
                                shown.items.push(t.clone());
                                refs.push(FieldRef {
                                    field: name.clone(),
                                    target: t,
                                    to: spec.to.clone(),
                                    pos,
                                });
                            }
                            None => problems.push(bad(format!(
                                "`{name}` holds document ids, e.g. `{name}: [SVC-EMAIL]`"
                            ))),
                        }
                    }
                }
                FieldType::List => {
                    shown.ty = "list";
                    match v {
                        Value::Sequence(s) => shown.items = s.iter().filter_map(scalar).collect(),
                        v => match scalar(v) {
                            Some(s) => shown.items = vec![s],
                            None => problems.push(bad(format!("`{name}` is a list of strings"))),
                        },
                    }
                }
                FieldType::Targets => {
                    shown.ty = "targets";
                    let Value::Sequence(s) = v else {
                        problems.push(bad(format!(
                            "`{name}` is a list of `{{metric, target, unit, period}}`"
                        )));
                        continue;
                    };
                    for t in s {
                        let Value::Mapping(m) = t else {
                            problems.push(bad("each target is `{metric: availability, target: 99.9, unit: \"%\", period: month}`".into()));
                            continue;
                        };
                        let (Some(metric), Some(target)) = (
                            m.get("metric").and_then(scalar),
                            m.get("target").and_then(scalar),
                        ) else {
                            problems.push(bad("each target needs `metric:` and `target:`".into()));
                            continue;
                        };
                        shown.targets.push(Target {
                            metric,
                            target,
                            unit: m.get("unit").and_then(scalar),
                            period: m.get("period").and_then(scalar),
                        });
                    }
                }
                ty => {
                    let Some(s) = scalar(v) else {
                        problems.push(bad(format!(
                            "`{name}` must be a single value ({})",
                            type_name(ty)
                        )));
                        continue;
                    };
                    let ok = match ty {
                        FieldType::Date => parse_date(&s).is_some(),
                        FieldType::Duration => valid_duration(&s),
                        FieldType::Number => s.parse::<f64>().is_ok(),
                        FieldType::Bool => matches!(v, Value::Bool(_)),
                        FieldType::Enum => spec.values.contains(&s),
                        _ => true,
                    };
                    if !ok {
                        let hint = match ty {
                            FieldType::Date => "a date, YYYY-MM-DD".to_string(),
                            FieldType::Duration => {
                                "a duration such as `30m`, `4h`, `2d`".to_string()
                            }
                            FieldType::Number => "a number".to_string(),
                            FieldType::Bool => "true or false".to_string(),
                            FieldType::Enum => format!(
                                "one of {}{}",
                                spec.values.join(", "),
                                did_you_mean(&s, spec.values.iter().map(String::as_str))
                            ),
                            _ => String::new(),
                        };
                        problems.push(bad(format!("`{name}: {s}` is not valid: expected {hint}")));
                    }
                    shown.ty = if ty == FieldType::Markdown {
                        "markdown"
                    } else {
                        "text"
                    };
                    shown.text = Some(s);
                }
            }
            fields.push(shown);
        }
    }

    // Unknown fields.
    if kind_known {
        for k in front.keys().filter_map(scalar) {
            if COMMON.contains(&k.as_str())
                || (record && k == "body")
                || kind_fields.is_some_and(|f| f.iter().any(|(n, _)| *n == k))
            {
                continue;
            }
            let known: Vec<&str> = COMMON
                .iter()
                .copied()
                .chain(kind_fields.into_iter().flatten().map(|(n, _)| n.as_str()))
                .collect();
            problems.push(Problem {
                rule: "unknown-field",
                pos: at(&k),
                width: k.len(),
                message: format!("`{k}` is not a field of kind `{kind}`{}; remove it, or declare it under `kinds: {kind}: fields:` in sms.yaml", did_you_mean(&k, known)),
            });
        }
    }

    let raw = match serde_json::to_value(&front) {
        Ok(serde_json::Value::Object(m)) => Fields::from(m),
        _ => Fields::default(),
    };
    let (scan, html) = crate::markdown::compile(&body);
    // Kept for the whole build: no room to spare.
    fields.shrink_to_fit();
    refs.shrink_to_fit();
    satisfies.shrink_to_fit();
    // Every position the document needs is taken; a later finding makes
    // the line table again.
    index.compact();
    Document {
        id,
        title,
        kind,
        kind_known,
        owner,
        version,
        status,
        approved_by,
        approved_on,
        review_by,
        classification,
        satisfies,
        refs,
        fields,
        raw,
        file,
        index,
        body,
        body_map,
        scan,
        html,
        problems,
    }
}

fn display_id<'a>(id: &'a str, file: &'a str) -> &'a str {
    if id.is_empty() { file } else { id }
}

fn kind_list(profile: &Profile) -> String {
    profile.kinds.keys().cloned().collect::<Vec<_>>().join(", ")
}

fn type_name(ty: FieldType) -> &'static str {
    match ty {
        FieldType::Date => "a date",
        FieldType::Duration => "a duration",
        FieldType::Number => "a number",
        FieldType::Bool => "true or false",
        FieldType::Enum => "one of its values",
        _ => "text",
    }
}

fn field_hint(name: &str, spec: &FieldSpec) -> String {
    match spec.ty {
        FieldType::Enum => format!(" (one of {})", spec.values.join(", ")),
        FieldType::Ref => format!(
            " (the id of a {} document, e.g. `{name}: ...`)",
            spec.to.join(" or ")
        ),
        _ => String::new(),
    }
}

fn sanitize_id(id: &str) -> String {
    let s: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_start_matches('.').to_string();
    if s.is_empty() { "DOC-1".into() } else { s }
}

/// Headings of a document, for anchor checks.
pub fn headings(doc: &Document) -> &[Heading] {
    &doc.scan.headings
}
