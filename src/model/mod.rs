//! The document model: kinds and their typed fields (the built-in ISO 20000
//! profile plus what `sms.yaml` declares), and `Document`, the typed form of
//! one Markdown document or YAML record. Building a document never fails:
//! what is wrong with its fields is recorded as `Problem`s for the rules.
//!
//! - `kinds`: the profile (kinds, typed fields, folder defaults);
//! - `build`: typing one parsed file into a `Document`;
//! - `body`: where a body's text sits in its file;
//! - `records`: the typed data of audits, nonconformities and reviews.

mod body;
mod build;
mod kinds;
mod records;

pub use body::BodyMap;
pub use build::{Parsed, build, build_with};
pub use kinds::{
    AUDIT_TYPES, BUILTIN_KINDS, COMMON, EXTENDED_ONLY, FieldSpec, FieldType, GRADES, KindDecl,
    Profile, REVIEW_INPUTS, builtin_field,
};
pub use records::{AuditResult, Effectiveness, Outcome, RecordData, ReqRef, ReviewInput};

use jiff::civil::Date;

use crate::diag::Pos;
use crate::markdown::Heading;
use crate::yaml::YamlIndex;

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
    /// `public`, `internal` or `confidential` (surrounding spaces allowed).
    pub fn parse(s: &str) -> Option<Classification> {
        match s.trim() {
            "public" => Some(Classification::Public),
            "internal" => Some(Classification::Internal),
            "confidential" => Some(Classification::Confidential),
            _ => None,
        }
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
    /// `higher` or `lower`, when the target says which way is better (its
    /// measurements are compared with it only then).
    pub better: Option<String>,
    /// Where its `metric` is written (the findings on its measurements
    /// that concern the whole target point there).
    #[serde(skip)]
    pub metric_pos: Pos,
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
    /// The items of an `actions` field.
    pub actions: Vec<Action>,
}

/// One item of an `actions` field: what is to be done, by whom, by when,
/// and when it was done. Dates are kept as written, and read (`None`
/// when absent or not a date: an `invalid-field` problem says so).
#[derive(Debug, Clone, Hash, serde::Serialize)]
pub struct Action {
    pub action: String,
    pub owner: String,
    pub due_by: String,
    pub done_on: String,
    #[serde(skip)]
    pub due: Option<Date>,
    #[serde(skip)]
    pub done: Option<Date>,
    /// Where the item's `due_by` is written (its start when it has none).
    #[serde(skip)]
    pub due_pos: Pos,
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

    /// Every key and value, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &serde_json::Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
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
    /// Typed record data (requirement references, audit results,
    /// effectiveness, review inputs), for the documents that have some.
    pub record: Option<Box<RecordData>>,
}

impl Document {
    pub fn id_pos(&self) -> Pos {
        self.index.key_or_start("id")
    }
    pub fn is_live(&self) -> bool {
        self.status != Status::Retired
    }
    /// The items of every `actions` field, with the field's name.
    pub fn actions(&self) -> impl Iterator<Item = (&str, &Action)> + '_ {
        self.fields
            .iter()
            .flat_map(|f| f.actions.iter().map(move |a| (f.name.as_str(), a)))
    }
    /// The requirement references written in field `name`.
    pub fn reqs_of<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a ReqRef> + 'a {
        self.record
            .iter()
            .flat_map(|r| r.reqs.iter())
            .filter(move |r| r.field == name)
    }
    /// An audit's results.
    pub fn results(&self) -> &[AuditResult] {
        self.record.as_ref().map_or(&[], |r| r.results.as_slice())
    }
    /// A nonconformity's effectiveness check.
    pub fn effectiveness(&self) -> Option<&Effectiveness> {
        self.record.as_ref()?.effectiveness.as_ref()
    }
    /// A management review's inputs.
    pub fn review_inputs(&self) -> &[ReviewInput] {
        self.record.as_ref().map_or(&[], |r| r.inputs.as_slice())
    }
    /// Whether field `name` is written with a value (not absent, not empty).
    pub fn has(&self, name: &str) -> bool {
        match self.raw.get(name) {
            None | Some(serde_json::Value::Null) => false,
            Some(serde_json::Value::String(s)) => !s.trim().is_empty(),
            Some(serde_json::Value::Array(a)) => !a.is_empty(),
            Some(_) => true,
        }
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

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    a.until((jiff::Unit::Day, b))
        .map(|s| s.get_days() as i64)
        .unwrap_or(0)
}

/// Ids (of documents, catalogues, requirements): letters, digits, `-`,
/// `_`, `.`, not starting with `.` (they become file names of the site).
pub fn valid_id(s: &str) -> bool {
    // Bytes, not characters (a character beyond ASCII has no ASCII byte),
    // each looked up in a table: links to documents ask on every page.
    const ID_BYTE: [bool; 256] = {
        let mut t = [false; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            t[b] = c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.';
            b += 1;
        }
        t
    };
    !s.is_empty() && !s.starts_with('.') && s.bytes().all(|c| ID_BYTE[c as usize])
}

/// Headings of a document, for anchor checks.
pub fn headings(doc: &Document) -> &[Heading] {
    &doc.scan.headings
}
