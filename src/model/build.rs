//! Typing one parsed file into a [`Document`]: the document-control fields
//! every document has, `satisfies:`, the kind's typed fields, and the
//! fields its kind does not know. Building never fails: each problem is a
//! [`Problem`] at the key it is about, for the rules to report.

use jiff::civil::Date;
use yaml_serde::{Mapping, Value};

use super::{
    Action, BodyMap, COMMON, Classification, Document, FieldRef, FieldSpec, FieldType, Fields,
    Problem, Profile, RecordData, Satisfies, ShownField, Status, Target, parse_date,
    valid_duration, valid_id,
};
use crate::diag::{Pos, did_you_mean};
use crate::yaml::{YamlIndex, scalar};

mod records;

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
pub fn build(p: Parsed, profile: &Profile) -> Document {
    build_with(p, profile, None)
}

/// [`build`], its body's `{{name}}` placeholders replaced by the text of
/// the variables `vars` (`sms.yaml`'s `variables:`), when it declares any.
pub fn build_with(
    p: Parsed,
    profile: &Profile,
    vars: Option<&std::sync::Arc<crate::markdown::Variables>>,
) -> Document {
    let Parsed {
        file,
        front,
        mut index,
        body,
        body_map,
        record,
    } = p;
    let mut t = Typing {
        file: &file,
        front: &front,
        index: &index,
        problems: Vec::new(),
        record: RecordData::default(),
    };
    let c = t.control(profile);
    let mut satisfies = t.satisfies();
    let kind_fields = profile.kinds.get(&c.kind);
    let (mut refs, mut fields) = match kind_fields {
        Some(kf) => t.kind_fields(kf, &c.kind, &c.id),
        None => (Vec::new(), Vec::new()),
    };
    if c.kind_known {
        t.unknown_fields(kind_fields.map_or(&[], Vec::as_slice), &c.kind, record);
    }
    t.record_checks(&c.kind, &c.id);
    let problems = t.problems;
    let record_data = (!t.record.is_empty()).then(|| Box::new(t.record));

    let raw = match serde_json::to_value(&front) {
        Ok(serde_json::Value::Object(m)) => Fields::from(m),
        _ => Fields::default(),
    };
    let (scan, html) = crate::markdown::compile_with(&body, vars);
    // Kept for the whole build: no room to spare.
    fields.shrink_to_fit();
    refs.shrink_to_fit();
    satisfies.shrink_to_fit();
    // Every position the document needs is taken; a later finding makes
    // the line table again.
    index.compact();
    Document {
        id: c.id,
        title: c.title,
        kind: c.kind,
        kind_known: c.kind_known,
        owner: c.owner,
        version: c.version,
        status: c.status,
        approved_by: c.approved_by,
        approved_on: c.approved_on,
        review_by: c.review_by,
        classification: c.classification,
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
        record: record_data,
    }
}

/// The fields every document has.
struct Control {
    id: String,
    title: String,
    kind: String,
    kind_known: bool,
    owner: Option<String>,
    version: Option<String>,
    status: Status,
    approved_by: Option<String>,
    approved_on: Option<Date>,
    review_by: Option<Date>,
    classification: Classification,
}

/// One file being typed: its values, where they are written, and the
/// problems found so far.
struct Typing<'a> {
    file: &'a str,
    front: &'a Mapping,
    index: &'a YamlIndex,
    problems: Vec<Problem>,
    /// Typed record data found so far (see `records`).
    record: RecordData,
}

impl Typing<'_> {
    /// Where key `k` is written (the start of the text when it is absent).
    fn at(&self, k: &str) -> Pos {
        self.index.key_or_start(k)
    }

    /// Where key `k` is written when present, else the `id:` line.
    fn at_or_id(&self, k: &str) -> Pos {
        if self.front.contains_key(k) {
            self.at(k)
        } else {
            self.at("id")
        }
    }

    /// A scalar field's text, trimmed; `None` when absent or empty.
    fn text(&self, k: &str) -> Option<String> {
        self.front
            .get(k)
            .and_then(scalar)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    fn invalid(&mut self, pos: Pos, width: usize, message: String) {
        self.problems.push(Problem {
            rule: "invalid-field",
            pos,
            width,
            message,
        })
    }

    /// The document-control fields: id, title, kind, status, approval,
    /// review, classification.
    fn control(&mut self, profile: &Profile) -> Control {
        let id = self.id();
        let title = self.title(&id);
        let (kind, kind_known) = self.kind(profile, &id);
        let status = self.status();
        let classification = self.classification();
        let approved_on = self.date_field("approved_on");
        let review_by = self.date_field("review_by");
        let owner = self.text("owner");
        let approved_by = self.text("approved_by");
        if status == Status::Approved {
            self.approval(&id, owner.is_none(), approved_by.is_none());
        }
        let version = self.front.get("version").and_then(|v| match v {
            // `1.10` is a number to YAML; show it as written.
            Value::Number(_) => self.index.raw_scalar("version").or_else(|| scalar(v)),
            v => scalar(v),
        });
        Control {
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
        }
    }

    fn id(&mut self) -> String {
        let id = self.text("id").unwrap_or_default();
        if id.is_empty() {
            let msg = format!(
                "`{}` has no `id:`; give it a unique id such as `POL-001`",
                self.file
            );
            self.invalid(self.at("id"), 2, msg);
        } else if !valid_id(&id) {
            self.invalid(
                self.at("id"),
                2,
                format!(
                    "id `{}` may only hold letters, digits, `-`, `_` and `.` (and not start with `.`); rename it, e.g. `{}`",
                    id.escape_debug(),
                    sanitize_id(&id)
                ),
            );
        }
        id
    }

    fn title(&mut self, id: &str) -> String {
        let title = self.text("title").unwrap_or_default();
        if title.is_empty() {
            let msg = format!(
                "`{}` has no `title:`; add a human title",
                display_id(id, self.file)
            );
            self.invalid(self.at_or_id("title"), 2, msg);
        }
        title
    }

    /// The kind (from `kind:`, else the folder's default) and whether the
    /// profile knows it.
    fn kind(&mut self, profile: &Profile, id: &str) -> (String, bool) {
        let folder_kind = profile.folder_kind(self.file).map(str::to_string);
        let kind = self.text("kind").or(folder_kind).unwrap_or_default();
        let kind_known = profile.kinds.contains_key(&kind);
        if kind.is_empty() {
            let msg = format!(
                "`{}` has no `kind:` and its folder has no default; add `kind:` (one of {}) or a `folders:` entry in sms.yaml",
                display_id(id, self.file),
                kind_list(profile)
            );
            self.invalid(self.at("id"), 2, msg);
        } else if !kind_known {
            let msg = format!(
                "unknown kind `{kind}`{}; kinds are {} (declare new ones under `kinds:` in sms.yaml)",
                did_you_mean(&kind, profile.kinds.keys().map(String::as_str)),
                kind_list(profile)
            );
            self.invalid(self.at_or_id("kind"), kind.len(), msg);
        }
        (kind, kind_known)
    }

    fn status(&mut self) -> Status {
        let Some(s) = self.text("status") else {
            return Status::Draft;
        };
        Status::parse(&s).unwrap_or_else(|| {
            let msg = format!(
                "status `{s}` is not one of draft, review, approved, retired{}",
                did_you_mean(&s, Status::NAMES.iter().copied())
            );
            self.invalid(self.at("status"), 6, msg);
            Status::Draft
        })
    }

    fn classification(&mut self) -> Classification {
        match self.text("classification").as_deref() {
            None | Some("internal") => Classification::Internal,
            Some("public") => Classification::Public,
            Some("confidential") => Classification::Confidential,
            Some(s) => {
                let msg = format!(
                    "classification `{s}` is not one of public, internal, confidential{}",
                    did_you_mean(s, Classification::NAMES.iter().copied())
                );
                self.invalid(self.at("classification"), 14, msg);
                Classification::Internal
            }
        }
    }

    /// A document-control date (`approved_on`, `review_by`).
    fn date_field(&mut self, k: &str) -> Option<Date> {
        let s = self.text(k)?;
        let d = parse_date(&s);
        if d.is_none() {
            self.invalid(
                self.at(k),
                k.len(),
                format!("`{k}: {s}` is not a valid date; write YYYY-MM-DD, e.g. 2026-03-31"),
            );
        }
        d
    }

    /// What an approved document must say: its owner, who approved it and when.
    fn approval(&mut self, id: &str, no_owner: bool, no_approver: bool) {
        let shown = display_id(id, self.file).to_string();
        if no_owner {
            let msg = format!(
                "approved document `{shown}` has no `owner:`; name the accountable role or person"
            );
            self.invalid(self.at("id"), 2, msg);
        }
        if no_approver {
            let msg =
                format!("approved document `{shown}` has no `approved_by:`; say who approved it");
            self.invalid(self.at("id"), 2, msg);
        }
        if self.text("approved_on").is_none() {
            let msg = format!(
                "approved document `{shown}` has no `approved_on:`; add the approval date (YYYY-MM-DD)"
            );
            self.invalid(self.at_or_id("approved_on"), 2, msg);
        }
    }

    /// `satisfies:` entries: `CATALOGUE:REQ` or `{req, note}`.
    fn satisfies(&mut self) -> Vec<Satisfies> {
        let mut out = Vec::new();
        let items: Vec<&Value> = match self.front.get("satisfies") {
            None | Some(Value::Null) => return out,
            Some(Value::Sequence(s)) => s.iter().collect(),
            Some(v) => vec![v],
        };
        for (i, item) in items.iter().enumerate() {
            let (req, note) = match item {
                Value::Mapping(m) => (
                    m.get("req").and_then(scalar),
                    m.get("note").and_then(scalar),
                ),
                v => (scalar(v), None),
            };
            let pos = self
                .index
                .item("satisfies", i, req.as_deref())
                .unwrap_or(self.at("satisfies"));
            match req {
                Some(req) => out.push(Satisfies {
                    req: req.trim().to_string(),
                    note,
                    pos,
                }),
                None => self.invalid(
                    pos,
                    9,
                    "each `satisfies:` entry is `CATALOGUE:REQ` or `{req: CATALOGUE:REQ, note: \"...\"}`"
                        .into(),
                ),
            }
        }
        out
    }

    /// The kind's typed fields: what each page shows, and the references
    /// its `ref` fields make.
    fn kind_fields(
        &mut self,
        kf: &[(String, FieldSpec)],
        kind: &str,
        id: &str,
    ) -> (Vec<FieldRef>, Vec<ShownField>) {
        let mut refs = Vec::new();
        let mut fields = Vec::new();
        for (name, spec) in kf {
            let Some(v) = self.front.get(name.as_str()).filter(|v| !v.is_null()) else {
                if spec.required {
                    let msg = format!(
                        "{kind} `{}` is missing required field `{name}`{}",
                        display_id(id, self.file),
                        field_hint(name, spec)
                    );
                    self.invalid(self.at("id"), 2, msg);
                }
                continue;
            };
            let mut shown = ShownField {
                name: name.clone(),
                ty: "text",
                text: None,
                items: Vec::new(),
                targets: Vec::new(),
                actions: Vec::new(),
            };
            let typed = match spec.ty {
                FieldType::Ref => self.refs(name, spec, v, &mut shown, &mut refs),
                FieldType::List => self.list(name, v, &mut shown),
                FieldType::Targets => self.targets(name, v, &mut shown),
                FieldType::Actions => self.actions(name, v, &mut shown),
                FieldType::Requirements => self.requirements(name, v, &mut shown),
                FieldType::Results => self.results(name, v, &mut refs),
                FieldType::Effectiveness => self.effectiveness(name, v, &mut shown),
                FieldType::ReviewInputs => self.review_inputs(name, spec, v, &mut refs),
                ty => self.single(name, spec, ty, v, &mut shown),
            };
            if typed {
                fields.push(shown);
            }
        }
        (refs, fields)
    }

    /// A problem with the value of field `name`, at its key.
    fn bad(&mut self, name: &str, message: String) {
        self.problems.push(Problem {
            rule: "invalid-field",
            pos: self.at(name),
            width: name.len(),
            message,
        })
    }

    /// A `ref` field: one id, or a list of them.
    fn refs(
        &mut self,
        name: &str,
        spec: &FieldSpec,
        v: &Value,
        shown: &mut ShownField,
        refs: &mut Vec<FieldRef>,
    ) -> bool {
        shown.ty = "refs";
        let items: Vec<(usize, &Value)> = match v {
            Value::Sequence(s) => s.iter().enumerate().collect(),
            v => vec![(0, v)],
        };
        if !spec.many && items.len() > 1 {
            self.bad(name, format!("`{name}` takes one reference, not a list"));
        }
        let kpos = self.at(name);
        for (i, item) in items {
            match scalar(item) {
                Some(t) => {
                    let t = t.trim().to_string();
                    let pos = self.index.item(name, i, Some(&t)).unwrap_or(kpos);
                    shown.items.push(t.clone());
                    refs.push(FieldRef {
                        field: name.to_string(),
                        target: t,
                        to: spec.to.clone(),
                        pos,
                    });
                }
                None => self.bad(
                    name,
                    format!("`{name}` holds document ids, e.g. `{name}: [SVC-EMAIL]`"),
                ),
            }
        }
        true
    }

    /// A `list` field: strings (a single value is a list of one).
    fn list(&mut self, name: &str, v: &Value, shown: &mut ShownField) -> bool {
        shown.ty = "list";
        match v {
            Value::Sequence(s) => shown.items = s.iter().filter_map(scalar).collect(),
            v => match scalar(v) {
                Some(s) => shown.items = vec![s],
                None => self.bad(name, format!("`{name}` is a list of strings")),
            },
        }
        true
    }

    /// SLA targets: a list of `{metric, target, unit?, period?, better?}`.
    /// Where each target's `metric` is written is kept (the findings on a
    /// target's measurements point there); a `better` other than `higher`
    /// or `lower` is a problem at its key, and the target is kept without it.
    fn targets(&mut self, name: &str, v: &Value, shown: &mut ShownField) -> bool {
        shown.ty = "targets";
        let Value::Sequence(s) = v else {
            self.bad(
                name,
                format!("`{name}` is a list of `{{metric, target, unit, period, better}}`"),
            );
            return false;
        };
        let spans = self.index.list_items(name);
        let key_pos = self.at(name);
        for (n, t) in s.iter().enumerate() {
            let Value::Mapping(m) = t else {
                self.bad(name, "each target is `{metric: availability, target: 99.9, unit: \"%\", period: month}`".into());
                continue;
            };
            let (Some(metric), Some(target)) = (
                m.get("metric").and_then(scalar),
                m.get("target").and_then(scalar),
            ) else {
                self.bad(name, "each target needs `metric:` and `target:`".into());
                continue;
            };
            let span = spans.get(n);
            let metric_pos = match span {
                Some(it) => self
                    .index
                    .item_value(it, "metric", &metric)
                    .unwrap_or_else(|| self.index.item_start(it)),
                None => self.index.item(name, n, Some(&metric)).unwrap_or(key_pos),
            };
            let better = m.get("better").and_then(|b| {
                let written = scalar(b).unwrap_or_default();
                if matches!(written.trim(), "higher" | "lower") {
                    return Some(written.trim().to_string());
                }
                let pos = span
                    .and_then(|it| self.index.item_key(it, "better"))
                    .unwrap_or(metric_pos);
                self.invalid(
                    pos,
                    "better".len(),
                    format!(
                        "`better: {written}` in target `{metric}` of `{name}` is neither `higher` nor `lower`; write `better: higher` when a larger value is better (availability), `better: lower` when a smaller one is (response time)"
                    ),
                );
                None
            });
            shown.targets.push(Target {
                metric,
                target,
                unit: m.get("unit").and_then(scalar),
                period: m.get("period").and_then(scalar),
                better,
                metric_pos,
            });
        }
        true
    }

    /// An `actions` field: a list of `{action, owner, due_by, done_on?}`.
    /// A missing part is one problem at the item, another key an
    /// `unknown-field` at that key, a date that is not one a problem at
    /// its key; every item is kept, with what could be read.
    fn actions(&mut self, name: &str, v: &Value, shown: &mut ShownField) -> bool {
        const PARTS: &[&str] = &["action", "owner", "due_by", "done_on"];
        shown.ty = "actions";
        let shape = "`{action: ..., owner: ..., due_by: YYYY-MM-DD}`";
        let list = format!("a list of actions, each {shape} (and `done_on:` once done)");
        let what = format!("an action in `{name}`");
        let parts = (PARTS, list.as_str(), shape);
        let Some(items) = self.mapping_items(name, v, parts, (&what, "an action")) else {
            return false;
        };
        for e in &items {
            let (m, n, start, span) = (e.map, e.n, e.start, e.span);
            let at = |sub: &str| {
                span.and_then(|it| self.index.item_key(&it, sub))
                    .unwrap_or(start)
            };
            let part = |k: &str| {
                m.get(k)
                    .and_then(scalar)
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
            };
            let missing: Vec<&str> = ["action", "owner", "due_by"]
                .into_iter()
                .filter(|k| part(k).is_none())
                .collect();
            if !missing.is_empty() {
                self.invalid(
                    start,
                    1,
                    format!(
                        "action {} of `{name}` has no {}; each action needs `action:` (what), `owner:` (who) and `due_by:` (when, YYYY-MM-DD)",
                        n + 1,
                        missing.iter().map(|k| format!("`{k}:`")).collect::<Vec<_>>().join(", ")
                    ),
                );
            }
            let mut date = |k: &str| -> (String, Option<Date>) {
                let Some(s) = part(k) else {
                    return (String::new(), None);
                };
                let d = parse_date(&s);
                if d.is_none() {
                    self.invalid(
                        at(k),
                        k.len(),
                        format!("`{k}: {s}` in action {} of `{name}` is not a valid date; write YYYY-MM-DD, e.g. 2026-11-30", n + 1),
                    );
                }
                (s, d)
            };
            let (due_by, due) = date("due_by");
            let (done_on, done) = date("done_on");
            shown.actions.push(Action {
                action: part("action").unwrap_or_default(),
                owner: part("owner").unwrap_or_default(),
                due_by,
                done_on,
                due,
                done,
                due_pos: at("due_by"),
            });
        }
        true
    }

    /// A single value: string, markdown, number, bool, date, duration, enum.
    fn single(
        &mut self,
        name: &str,
        spec: &FieldSpec,
        ty: FieldType,
        v: &Value,
        shown: &mut ShownField,
    ) -> bool {
        let Some(s) = scalar(v) else {
            self.bad(
                name,
                format!("`{name}` must be a single value ({})", type_name(ty)),
            );
            return false;
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
            let hint = expected(ty, spec, &s);
            self.bad(name, format!("`{name}: {s}` is not valid: expected {hint}"));
        }
        shown.ty = if ty == FieldType::Markdown {
            "markdown"
        } else {
            "text"
        };
        shown.text = Some(s);
        true
    }

    /// Fields neither common nor declared for the kind.
    fn unknown_fields(&mut self, kind_fields: &[(String, FieldSpec)], kind: &str, record: bool) {
        for k in self.front.keys().filter_map(scalar) {
            if COMMON.contains(&k.as_str())
                || (record && k == "body")
                || kind_fields.iter().any(|(n, _)| *n == k)
            {
                continue;
            }
            let known: Vec<&str> = COMMON
                .iter()
                .copied()
                .chain(kind_fields.iter().map(|(n, _)| n.as_str()))
                .collect();
            self.problems.push(Problem {
                rule: "unknown-field",
                pos: self.at(&k),
                width: k.len(),
                message: format!("`{k}` is not a field of kind `{kind}`{}; remove it, or declare it under `kinds: {kind}: fields:` in sms.yaml", did_you_mean(&k, known)),
            });
        }
    }
}

/// What a value of type `ty` must look like (the message's "expected ...").
fn expected(ty: FieldType, spec: &FieldSpec, s: &str) -> String {
    match ty {
        FieldType::Date => "a date, YYYY-MM-DD".to_string(),
        FieldType::Duration => "a duration such as `30m`, `4h`, `2d`".to_string(),
        FieldType::Number => "a number".to_string(),
        FieldType::Bool => "true or false".to_string(),
        FieldType::Enum => format!(
            "one of {}{}",
            spec.values.join(", "),
            did_you_mean(s, spec.values.iter().map(String::as_str))
        ),
        _ => String::new(),
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
