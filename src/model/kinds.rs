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
    "customer",
    "complaint",
];

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
        for (kind, decl, _) in declared {
            let fields = kinds.entry(kind.clone()).or_default();
            for (name, spec) in &decl.fields {
                match fields.iter_mut().find(|(n, _)| n == name) {
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
