//! Kinds and their typed fields: the built-in ISO 20000 profile, extended
//! by the kinds `sms.yaml` declares, and the folders' default kinds.

use std::collections::BTreeMap;

use crate::diag::Pos;

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
    /// Actions: a list of `{action, owner, due_by, done_on?}`.
    Actions,
    /// Requirement references (`CATALOGUE:ID`), one or a list: an audit's
    /// `scope`, a nonconformity's `requirements`.
    Requirements,
    /// An audit's results: a list of `{req, result, evidence?, note?}`.
    Results,
    /// A nonconformity's verification: `{verified_by, verified_on, result, note?}`.
    Effectiveness,
    /// A management review's inputs: a list of `{input, documents?, note?}`,
    /// each `input` one of the field's `values`.
    ReviewInputs,
}

impl FieldType {
    pub const NAMES: &'static [&'static str] = &[
        "string", "markdown", "number", "bool", "date", "duration", "enum", "list", "ref",
        "actions",
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
            "actions" => FieldType::Actions,
            _ => return None,
        })
    }

    /// How a field of this type is declared, for messages: `date`,
    /// `requirement references`...
    pub fn describe(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Markdown => "markdown",
            FieldType::Number => "number",
            FieldType::Bool => "bool",
            FieldType::Date => "date",
            FieldType::Duration => "duration",
            FieldType::Enum => "enum",
            FieldType::List => "list",
            FieldType::Ref => "ref",
            FieldType::Targets => "SLA targets",
            FieldType::Actions => "actions",
            FieldType::Requirements => "requirement references",
            FieldType::Results => "audit results",
            FieldType::Effectiveness => "an effectiveness check",
            FieldType::ReviewInputs => "review inputs",
        }
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
    fn one_of(values: &[&str]) -> FieldSpec {
        FieldSpec {
            values: values.iter().map(|v| v.to_string()).collect(),
            ..FieldSpec::new(FieldType::Enum)
        }
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
    "customer",
    "complaint",
    "audit",
    "nonconformity",
    "management-review",
];

/// Built-in kinds that a kind of the same name declared in `sms.yaml`
/// extends field by field, never replaces: a field declared both ways
/// must have the same type (see `config`), and keeps the built-in
/// declaration.
pub const EXTENDED_ONLY: &[&str] = &["audit", "nonconformity", "management-review"];

/// The inputs a management review must address by default (the option
/// `inputs:` of `management-review-incomplete` replaces them): this
/// format's summary of the topics of ISO/IEC 20000-1 clause 9.3.
pub const REVIEW_INPUTS: &[&str] = &[
    "previous-actions",
    "issues",
    "performance",
    "service-performance",
    "customer-feedback",
    "risks",
    "resources",
    "improvements",
];

/// `audit_type` values.
pub const AUDIT_TYPES: &[&str] = &[
    "internal",
    "certification",
    "surveillance",
    "recertification",
];
/// `grade` values of a nonconformity, gravest first.
pub const GRADES: &[&str] = &["major", "minor", "observation", "improvement"];

/// A kind declared (or extended) in `sms.yaml`.
#[derive(Debug, Clone, Default)]
pub struct KindDecl {
    pub fields: Vec<(String, FieldSpec)>,
}

/// Kinds in force and their typed fields, and the folders' default kinds.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub kinds: BTreeMap<String, Vec<(String, FieldSpec)>>,
    /// Folder (relative, `/`-separated, no trailing slash) → default kind.
    pub folders: Vec<(String, String)>,
}

impl Profile {
    /// The built-in ISO 20000 profile extended by the kinds `sms.yaml`
    /// declares, with its folder defaults (both as `config` read them).
    pub fn new(declared: &[(String, KindDecl, Pos)], folders: &[(String, String, Pos)]) -> Profile {
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
        relationship_fields(&mut add);
        operation_kinds(&mut add);
        for (kind, decl, _) in declared {
            let fields = kinds.entry(kind.clone()).or_default();
            let extend_only = EXTENDED_ONLY.contains(&kind.as_str());
            for (name, spec) in &decl.fields {
                match fields.iter_mut().find(|(n, _)| n == name) {
                    // Same type (`config` refused any other): the built-in
                    // declaration stays, required if either says so.
                    Some(existing) if extend_only => existing.1.required |= spec.required,
                    Some(existing) => existing.1 = spec.clone(),
                    None => fields.push((name.clone(), spec.clone())),
                }
            }
        }
        let folders = folders
            .iter()
            .map(|(f, k, _)| (f.clone(), k.clone()))
            .collect();
        Profile { kinds, folders }
    }

    /// The default kind of a repository-relative file's folder (the
    /// nearest folder default wins).
    pub fn folder_kind(&self, rel: &str) -> Option<&str> {
        let mut best: Option<(usize, &str)> = None;
        for (folder, kind) in &self.folders {
            let matches =
                rel.starts_with(folder.as_str()) && rel.as_bytes().get(folder.len()) == Some(&b'/');
            if matches && best.is_none_or(|(l, _)| folder.len() > l) {
                best = Some((folder.len(), kind));
            }
        }
        best.map(|(_, k)| k)
    }

    /// Sets the values field `name` of `kind` accepts (the review inputs
    /// a repository requires, from the rule's option).
    pub fn set_values(&mut self, kind: &str, name: &str, values: &[String]) {
        if let Some((_, spec)) = self
            .kinds
            .get_mut(kind)
            .and_then(|f| f.iter_mut().find(|(n, _)| n == name))
        {
            spec.values = values.to_vec();
        }
    }

    pub fn field(&self, kind: &str, name: &str) -> Option<&FieldSpec> {
        self.kinds
            .get(kind)?
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s)
    }
}

/// The relationship processes' kinds (8.3.2): who the customers of the
/// services are, who manages each relationship and when its service
/// performance was last reviewed; and the complaints they make.
fn relationship_fields(add: &mut impl FnMut(&str, &str, FieldSpec)) {
    add(
        "customer",
        "relationship_manager",
        FieldSpec::new(FieldType::String).required(),
    );
    add(
        "customer",
        "services",
        FieldSpec::refs("service", true).required(),
    );
    add(
        "customer",
        "last_service_review",
        FieldSpec::new(FieldType::Date),
    );
    add(
        "complaint",
        "customer",
        FieldSpec::refs("customer", false).required(),
    );
    add("complaint", "service", FieldSpec::refs("service", false));
    add(
        "complaint",
        "received_on",
        FieldSpec::new(FieldType::Date).required(),
    );
    let state = FieldSpec {
        values: COMPLAINT_STATES.map(String::from).to_vec(),
        ..FieldSpec::new(FieldType::Enum).required()
    };
    add("complaint", "state", state);
    add("complaint", "closed_on", FieldSpec::new(FieldType::Date));
    add(
        "complaint",
        "resolution",
        FieldSpec::new(FieldType::Markdown),
    );
    add(
        "complaint",
        "nonconformity",
        FieldSpec::refs("nonconformity", false),
    );
}

/// The states of a complaint.
pub const COMPLAINT_STATES: [&str; 2] = ["open", "closed"];
/// The built-in declaration of field `name` of `kind`, if it has one.
pub fn builtin_field(kind: &str, name: &str) -> Option<FieldSpec> {
    Profile::new(&[], &[]).field(kind, name).cloned()
}

/// The fields of the kinds that record the SMS in operation: audits,
/// nonconformities, management reviews.
fn operation_kinds(add: &mut impl FnMut(&str, &str, FieldSpec)) {
    let date = || FieldSpec::new(FieldType::Date);
    let ty = FieldSpec::new;
    add(
        "audit",
        "audit_type",
        FieldSpec::one_of(AUDIT_TYPES).required(),
    );
    add("audit", "planned_on", date().required());
    add("audit", "performed_on", date());
    add("audit", "auditors", ty(FieldType::List));
    add("audit", "auditees", ty(FieldType::List));
    add("audit", "scope", ty(FieldType::Requirements).required());
    add("audit", "baseline", ty(FieldType::String));
    add("audit", "results", ty(FieldType::Results));
    add(
        "nonconformity",
        "grade",
        FieldSpec::one_of(GRADES).required(),
    );
    add("nonconformity", "raised_on", date().required());
    add("nonconformity", "audit", FieldSpec::refs("audit", false));
    add("nonconformity", "source", ty(FieldType::String));
    add("nonconformity", "requirements", ty(FieldType::Requirements));
    let any = FieldSpec {
        many: true,
        ..FieldSpec::new(FieldType::Ref)
    };
    add("nonconformity", "documents", any);
    add(
        "nonconformity",
        "state",
        FieldSpec::one_of(&["open", "closed"]).required(),
    );
    add("nonconformity", "root_cause", ty(FieldType::Markdown));
    add("nonconformity", "correction", ty(FieldType::Markdown));
    add("nonconformity", "actions", ty(FieldType::Actions));
    add(
        "nonconformity",
        "effectiveness",
        ty(FieldType::Effectiveness),
    );
    add("nonconformity", "closed_on", date());
    add("management-review", "held_on", date().required());
    add("management-review", "attendees", ty(FieldType::List));
    let inputs = FieldSpec {
        values: REVIEW_INPUTS.iter().map(|v| v.to_string()).collect(),
        ..FieldSpec::new(FieldType::ReviewInputs)
    };
    add("management-review", "inputs", inputs);
    add("management-review", "decisions", ty(FieldType::Actions));
}
