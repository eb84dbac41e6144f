//! The `rules:` of `sms.yaml`: the built-in rules with their default
//! severities and the options each takes, the settings a repository gives
//! them, and its own coverage rules.

use std::collections::BTreeMap;

use yaml_serde::Value;

use super::{Config, FILE, hint_or_list};
use crate::diag::{Finding, Pos, Severity, did_you_mean};
use crate::model::{FieldType, Profile};
use crate::yaml::{YamlIndex, scalar};

/// Built-in rules and their default severities.
pub const BUILTIN_RULES: &[(&str, Severity)] = &[
    ("parse-error", Severity::Error),
    ("duplicate-id", Severity::Error),
    ("broken-reference", Severity::Error),
    ("invalid-field", Severity::Error),
    ("requirement-uncovered", Severity::Error),
    ("service-without-sla", Severity::Error),
    ("critical-service-without-continuity-plan", Severity::Error),
    ("continuity-plan-untested", Severity::Warning),
    ("review-overdue", Severity::Warning),
    ("contract-expired", Severity::Warning),
    ("retired-reference", Severity::Warning),
    ("unknown-field", Severity::Warning),
    ("exclusion-not-permitted", Severity::Error),
    ("action-overdue", Severity::Warning),
    ("template-text", Severity::Error),
    ("service-without-customer", Severity::Warning),
    ("customer-review-overdue", Severity::Warning),
    ("complaint-open-too-long", Severity::Warning),
    ("complaint-closed-incomplete", Severity::Error),
    ("approval-stale", Severity::Warning),
    ("suspect-reference", Severity::Warning),
    ("requirement-not-audited", Severity::Warning),
    ("audit-overdue", Severity::Warning),
    ("auditor-not-independent", Severity::Error),
    ("audit-result-missing", Severity::Warning),
    ("nonconformity-not-raised", Severity::Error),
    ("nonconformity-unplanned", Severity::Warning),
    ("nonconformity-closed-unverified", Severity::Error),
    ("management-review-overdue", Severity::Warning),
    ("management-review-incomplete", Severity::Warning),
    ("sla-target-missed", Severity::Warning),
    ("measurement-missing", Severity::Warning),
    ("duplicate-measurement", Severity::Error),
    ("duplicate-requirement", Severity::Error),
];

/// What an option of a built-in rule holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// A positive whole number of days.
    Days,
    /// A list of names (catalogues, review inputs, ...).
    Names,
}

/// The options each built-in rule takes (besides `severity`), with their
/// kinds. A rule's default for an option lives with the rule.
pub const RULE_OPTIONS: &[(&str, &str, OptionKind)] = &[
    ("continuity-plan-untested", "max_age_days", OptionKind::Days),
    ("customer-review-overdue", "max_age_days", OptionKind::Days),
    ("complaint-open-too-long", "days", OptionKind::Days),
    ("requirement-not-audited", "cycle_days", OptionKind::Days),
    ("requirement-not-audited", "catalogues", OptionKind::Names),
    ("nonconformity-unplanned", "days", OptionKind::Days),
    (
        "management-review-overdue",
        "max_age_days",
        OptionKind::Days,
    ),
    ("management-review-incomplete", "inputs", OptionKind::Names),
];

/// The value of a rule option set in `sms.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleOption {
    Days(i64),
    Names(Vec<String>),
}

/// Severity and options of a built-in rule as set in `sms.yaml`.
#[derive(Debug, Clone, Default)]
pub struct RuleSetting {
    pub severity: Option<Severity>,
    /// Option name → its value and where it is written.
    pub options: BTreeMap<String, (RuleOption, Pos)>,
}

/// A user coverage rule: every `every` document matching `where` must be
/// referenced by a `referenced_by` document (through field `via`, if given).
#[derive(Debug, Clone)]
pub struct UserRule {
    pub name: String,
    pub every: String,
    pub r#where: Vec<(String, Vec<String>)>,
    pub referenced_by: String,
    pub via: Option<String>,
    pub severity: Severity,
    pub pos: Pos,
}

impl Config {
    /// The severity in force for a built-in rule.
    pub fn severity(&self, rule: &str) -> Severity {
        if rule == "parse-error" {
            return Severity::Error;
        }
        if let Some(s) = self.rules.get(rule).and_then(|r| r.severity) {
            return s;
        }
        BUILTIN_RULES
            .iter()
            .find(|(r, _)| *r == rule)
            .map(|(_, s)| *s)
            .unwrap_or(Severity::Error)
    }

    /// A rule's option of days, or `default` when `sms.yaml` does not set it.
    pub fn days(&self, rule: &str, option: &str, default: i64) -> i64 {
        match self.option(rule, option) {
            Some((RuleOption::Days(d), _)) => *d,
            _ => default,
        }
    }

    /// A rule's option of names, and where it is written, when `sms.yaml` sets it.
    pub fn names(&self, rule: &str, option: &str) -> Option<(&[String], Pos)> {
        match self.option(rule, option)? {
            (RuleOption::Names(n), pos) => Some((n.as_slice(), *pos)),
            _ => None,
        }
    }

    fn option(&self, rule: &str, option: &str) -> Option<&(RuleOption, Pos)> {
        self.rules.get(rule)?.options.get(option)
    }
}

pub(super) fn parse_rules(
    v: &Value,
    index: &YamlIndex,
    cfg: &mut Config,
    findings: &mut Vec<Finding>,
) {
    let Value::Mapping(rules) = v else {
        if !v.is_null() {
            findings.push(Finding::new(
                "parse-error",
                FILE,
                index.key_or_start("rules"),
                "`rules:` must map rule names to a severity (`review-overdue: error`) or settings"
                    .to_string(),
            ));
        }
        return;
    };
    for (k, val) in rules {
        let Some(name) = scalar(k) else { continue };
        let pos = index
            .sub_key("rules", &name)
            .unwrap_or(index.key_or_start("rules"));
        if BUILTIN_RULES.iter().any(|(r, _)| *r == name) {
            let setting = builtin_setting(&name, val, pos, index, findings);
            cfg.rules.insert(name, setting);
        } else if let Some(rule) = user_rule(name, val, pos, findings) {
            cfg.user_rules.push(rule);
        }
    }
}

/// `severity` as written for rule `name`.
fn severity_of(name: &str, s: &str) -> Result<Severity, String> {
    Severity::parse(s)
        .ok_or_else(|| format!("severity `{s}` of rule `{name}` is not one of error, warning, off"))
}

/// The setting of built-in rule `name`: a severity, or a mapping of
/// `severity` and the rule's options.
fn builtin_setting(
    name: &str,
    val: &Value,
    pos: Pos,
    index: &YamlIndex,
    findings: &mut Vec<Finding>,
) -> RuleSetting {
    let bad = |m: String| Finding::new("parse-error", FILE, pos, m);
    let mut setting = RuleSetting::default();
    match val {
        Value::String(s) => match severity_of(name, s) {
            Ok(s) => setting.severity = Some(s),
            Err(m) => findings.push(bad(m)),
        },
        // YAML 1.1 readers turn a bare `off` into false; accept it.
        Value::Bool(false) => setting.severity = Some(Severity::Off),
        Value::Mapping(m) => {
            for (key, v) in m {
                let Some(key) = scalar(key) else { continue };
                if key == "severity" {
                    match scalar(v).map(|s| severity_of(name, &s)) {
                        Some(Ok(s)) => setting.severity = Some(s),
                        Some(Err(m)) => findings.push(bad(m)),
                        None => findings.push(bad(format!(
                            "`severity` of rule `{name}` is one of error, warning, off"
                        ))),
                    }
                    continue;
                }
                let at = index.sub_key("rules", &key).unwrap_or(pos);
                match rule_option(name, &key, v) {
                    Ok(o) => {
                        setting.options.insert(key, (o, at));
                    }
                    Err(m) => findings.push(Finding::new("parse-error", FILE, at, m)),
                }
            }
        }
        _ => findings.push(bad(format!(
            "rule `{name}` takes a severity (error, warning, off) or `{{severity: ...}}`"
        ))),
    }
    if name == "parse-error" && setting.severity.is_some_and(|s| s != Severity::Error) {
        findings.push(bad(
            "`parse-error` is always an error: a file that cannot be read cannot be checked".into(),
        ));
        setting.severity = None;
    }
    setting
}

/// Option `key` of built-in rule `rule`, as written.
fn rule_option(rule: &str, key: &str, v: &Value) -> Result<RuleOption, String> {
    let valid: Vec<&str> = std::iter::once("severity")
        .chain(
            RULE_OPTIONS
                .iter()
                .filter(|(r, _, _)| *r == rule)
                .map(|(_, o, _)| *o),
        )
        .collect();
    let Some(&(_, _, kind)) = RULE_OPTIONS
        .iter()
        .find(|(r, o, _)| *r == rule && *o == key)
    else {
        return Err(format!(
            "unknown option `{key}` of rule `{rule}`{}",
            hint_or_list(key, &valid)
        ));
    };
    match kind {
        OptionKind::Days => match v.as_i64() {
            Some(d) if d > 0 => Ok(RuleOption::Days(d)),
            _ => Err(format!(
                "`{key}` of rule `{rule}` is a positive whole number of days, e.g. `{key}: 365`"
            )),
        },
        OptionKind::Names => {
            let names: Option<Vec<String>> = match v {
                Value::Sequence(s) => s.iter().map(scalar).collect(),
                v => scalar(v).map(|s| vec![s]),
            };
            match names {
                Some(n) if !n.is_empty() => Ok(RuleOption::Names(n)),
                _ => Err(format!(
                    "`{key}` of rule `{rule}` is a list of names, e.g. `{key}: [a, b]`"
                )),
            }
        }
    }
}

/// A user coverage rule: a mapping with `every:` and `referenced_by:`.
fn user_rule(name: String, val: &Value, pos: Pos, findings: &mut Vec<Finding>) -> Option<UserRule> {
    let builtin: Vec<&str> = BUILTIN_RULES.iter().map(|(r, _)| *r).collect();
    let bad = |m: String| Finding::new("parse-error", FILE, pos, m);
    let sev_of = |s: &str| severity_of(&name, s);
    let Value::Mapping(m) = val else {
        findings.push(bad(format!("unknown rule `{name}`{}; a user coverage rule is a mapping with `every:`, `referenced_by:`", did_you_mean(&name, builtin.iter().copied()))));
        return None;
    };
    if !m.contains_key("every") {
        findings.push(bad(format!(
            "unknown rule `{name}`{}; a user coverage rule needs `every:` and `referenced_by:`",
            did_you_mean(&name, builtin.iter().copied())
        )));
        return None;
    }
    let get = |k: &str| m.get(k).and_then(scalar);
    let Some(referenced_by) = get("referenced_by") else {
        findings.push(bad(format!("coverage rule `{name}` needs `referenced_by:` (the kind of document that must refer to each one)")));
        return None;
    };
    let mut wh = Vec::new();
    if let Some(Value::Mapping(w)) = m.get("where") {
        for (wk, wv) in w {
            let Some(wk) = scalar(wk) else { continue };
            let vals = match wv {
                Value::Sequence(s) => s.iter().filter_map(scalar).collect(),
                v => scalar(v).into_iter().collect(),
            };
            wh.push((wk, vals));
        }
    }
    let severity = match get("severity") {
        Some(s) => match sev_of(&s) {
            Ok(s) => s,
            Err(msg) => {
                findings.push(bad(msg));
                Severity::Error
            }
        },
        None => Severity::Error,
    };
    for key in m.keys().filter_map(scalar) {
        const OK: &[&str] = &["every", "where", "referenced_by", "via", "severity"];
        if !OK.contains(&key.as_str()) {
            findings.push(bad(format!(
                "unknown key `{key}` in coverage rule `{name}`{}",
                hint_or_list(&key, OK)
            )));
        }
    }
    Some(UserRule {
        name,
        every: get("every").unwrap_or_default(),
        r#where: wh,
        referenced_by,
        via: get("via"),
        severity,
        pos,
    })
}

/// Problems with the kinds and fields that user coverage rules name.
pub fn validate_user_rules(cfg: &Config, profile: &Profile) -> Vec<Finding> {
    let mut out = Vec::new();
    let kinds = || profile.kinds.keys().map(String::as_str);
    for r in &cfg.user_rules {
        let mut bad = |m: String| out.push(Finding::new("parse-error", FILE, r.pos, m));
        for (what, kind) in [("every", &r.every), ("referenced_by", &r.referenced_by)] {
            if !profile.kinds.contains_key(kind) {
                bad(format!(
                    "coverage rule `{}`: `{what}: {kind}` is not a kind{}",
                    r.name,
                    did_you_mean(kind, kinds())
                ));
            }
        }
        if let Some(via) = &r.via
            && profile.kinds.contains_key(&r.referenced_by)
            && profile
                .field(&r.referenced_by, via)
                .is_none_or(|f| f.ty != FieldType::Ref)
        {
            let refs: Vec<&str> = profile.kinds[&r.referenced_by]
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
