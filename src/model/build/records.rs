//! Typing the fields of the records of the SMS in operation: requirement
//! references (`scope`, `requirements`), an audit's `results`, a
//! nonconformity's `effectiveness`, a review's `inputs`, and what these
//! kinds ask across fields (auditors once performed, results only once
//! performed, requirements for a major or minor nonconformity). Each item
//! is kept with where it is written; each problem is at the key or item it
//! is about.

use yaml_serde::{Mapping, Value};

use super::super::{
    AuditResult, Effectiveness, FieldRef, FieldSpec, Outcome, Problem, ReqRef, ReviewInput,
    ShownField, parse_date,
};
use super::{Typing, display_id};
use crate::diag::{Pos, did_you_mean};
use crate::yaml::{Item, YamlIndex, scalar};

/// A scalar as trimmed text; `None` when absent, empty or not a scalar.
fn part(m: &Mapping, k: &str) -> Option<String> {
    m.get(k)
        .and_then(scalar)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Ids written as one id or a list of them; `None` when neither.
fn ids(v: Option<&Value>) -> Option<Vec<String>> {
    match v {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(Value::Sequence(s)) => s
            .iter()
            .map(|x| scalar(x).map(|t| t.trim().to_string()))
            .collect(),
        Some(v) => scalar(v).map(|t| vec![t.trim().to_string()]),
    }
}

fn list_of(names: &[&str]) -> String {
    names
        .iter()
        .map(|k| format!("`{k}:`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One item of a list field being typed: the field, the item's number
/// (0-based), its lines and where it starts.
#[derive(Clone, Copy)]
struct ItemAt<'s> {
    name: &'s str,
    n: usize,
    span: Option<&'s Item>,
    start: Pos,
}

/// An item of a list field that is a mapping ([`Typing::mapping_items`]):
/// its number (0-based), its lines, where it starts, its parts.
pub(super) struct Entry<'v> {
    pub n: usize,
    pub span: Option<Item>,
    pub start: Pos,
    pub map: &'v Mapping,
}

impl Entry<'_> {
    /// The item as [`ItemAt`] of field `name`.
    fn at<'s>(&'s self, name: &'s str) -> ItemAt<'s> {
        ItemAt {
            name,
            n: self.n,
            span: self.span.as_ref(),
            start: self.start,
        }
    }
}

/// Where part `sub` of list item `span` is written, else `start`.
fn part_at(index: &YamlIndex, span: Option<&Item>, sub: &str, start: Pos) -> Pos {
    span.and_then(|it| index.item_key(it, sub)).unwrap_or(start)
}

impl Typing<'_> {
    /// Keys of an item that are not among `parts`: `unknown-field` each,
    /// saying "`k` is not a part of {what}; {who} has {parts}".
    fn unknown_parts(
        &mut self,
        m: &Mapping,
        parts: &[&str],
        (what, who): (&str, &str),
        at: &dyn Fn(&str) -> Pos,
    ) {
        for k in m.keys().filter_map(scalar) {
            if !parts.contains(&k.as_str()) {
                self.problems.push(Problem {
                    rule: "unknown-field",
                    pos: at(&k),
                    width: k.len(),
                    message: format!(
                        "`{k}` is not a part of {what}{}; {who} has {}",
                        did_you_mean(&k, parts.iter().copied()),
                        parts.join(", ")
                    ),
                });
            }
        }
    }

    /// The items of list field `name` that are mappings, each with where
    /// it is written. When the field is not a list: `None`, after a
    /// problem at its key saying it is `list`. An item that is not a
    /// mapping is a problem at the item (each item is `shape`) and is left
    /// out; a part not among `parts` is `unknown-field` at its key (see
    /// [`Typing::unknown_parts`] for `what_who`).
    pub(super) fn mapping_items<'v>(
        &mut self,
        name: &str,
        v: &'v Value,
        (parts, list, shape): (&[&str], &str, &str),
        what_who: (&str, &str),
    ) -> Option<Vec<Entry<'v>>> {
        let Value::Sequence(items) = v else {
            self.bad(name, format!("`{name}` is {list}"));
            return None;
        };
        let spans = self.index.list_items(name);
        let key_pos = self.at(name);
        let mut out = Vec::with_capacity(items.len());
        for (n, item) in items.iter().enumerate() {
            let span = spans.get(n).copied();
            let start = span.map_or(key_pos, |it| self.index.item_start(&it));
            let Value::Mapping(map) = item else {
                self.invalid(start, 1, format!("each item of `{name}` is {shape}"));
                continue;
            };
            let index = self.index;
            let at = |k: &str| part_at(index, span.as_ref(), k, start);
            self.unknown_parts(map, parts, what_who, &at);
            out.push(Entry {
                n,
                span,
                start,
                map,
            });
        }
        Some(out)
    }

    /// Document ids of item part `sub` (`evidence`, `documents`), as
    /// references from field `name` to a document of any kind.
    fn item_refs(
        &mut self,
        it: ItemAt,
        m: &Mapping,
        sub: &str,
        refs: &mut Vec<FieldRef>,
    ) -> Vec<String> {
        let ItemAt {
            name,
            n,
            span,
            start,
        } = it;
        let at = part_at(self.index, span, sub, start);
        let Some(list) = ids(m.get(sub)) else {
            self.invalid(
                at,
                sub.len(),
                format!("`{sub}` in item {} of `{name}` holds document ids, e.g. `{sub}: [PRC-INCIDENT]`", n + 1),
            );
            return Vec::new();
        };
        for id in &list {
            let pos = span
                .and_then(|it| self.index.item_value(it, sub, id))
                .unwrap_or(at);
            refs.push(FieldRef {
                field: name.to_string(),
                target: id.clone(),
                to: Vec::new(),
                pos,
            });
        }
        list
    }

    /// Requirement references: one `CATALOGUE:ID` or a list of them.
    pub(super) fn requirements(&mut self, name: &str, v: &Value, shown: &mut ShownField) -> bool {
        shown.ty = "requirements";
        let items: Vec<&Value> = match v {
            Value::Sequence(s) => s.iter().collect(),
            v => vec![v],
        };
        let key_pos = self.at(name);
        for (i, item) in items.into_iter().enumerate() {
            let Some(key) = scalar(item).map(|k| k.trim().to_string()) else {
                self.bad(
                    name,
                    format!("`{name}` holds requirement references, e.g. `{name}: [ISO20000-1:8.5, ISO20000-1:8.6]`"),
                );
                continue;
            };
            let pos = self.index.item(name, i, Some(&key)).unwrap_or(key_pos);
            shown.items.push(key.clone());
            self.record.reqs.push(ReqRef {
                field: name.to_string(),
                key,
                pos,
            });
        }
        true
    }

    /// An audit's results: a list of `{req, result, evidence?, note?}`.
    /// Shown by the audit's checklist, not among the fields.
    pub(super) fn results(&mut self, name: &str, v: &Value, refs: &mut Vec<FieldRef>) -> bool {
        const PARTS: &[&str] = &["req", "result", "evidence", "note"];
        let shape = "`{req: ISO20000-1:8.6.1, result: nonconforming, evidence: [PRC-INCIDENT], note: \"...\"}`";
        let list = format!("a list of results, each {shape}");
        let what = format!("a result in `{name}`");
        let Some(items) = self.mapping_items(name, v, (PARTS, &list, shape), (&what, "it")) else {
            return false;
        };
        for e in &items {
            let (it, m, n, start) = (e.at(name), e.map, e.n, e.start);
            let at_of = |k: &str| part_at(self.index, it.span, k, start);
            let (req_pos, result_pos) = (at_of("req"), at_of("result"));
            let (req, result) = (part(m, "req"), part(m, "result"));
            let missing: Vec<&str> = [("req", &req), ("result", &result)]
                .into_iter()
                .filter(|(_, v)| v.is_none())
                .map(|(k, _)| k)
                .collect();
            if !missing.is_empty() {
                self.invalid(
                    start,
                    1,
                    format!(
                        "result {} of `{name}` has no {}; each result is {shape}",
                        n + 1,
                        list_of(&missing)
                    ),
                );
            }
            let outcome = result.as_deref().and_then(Outcome::parse);
            if let (Some(r), None) = (&result, outcome) {
                self.invalid(
                    result_pos,
                    6,
                    format!(
                        "`result: {r}` in result {} of `{name}` is not one of {}{}",
                        n + 1,
                        Outcome::NAMES.join(", "),
                        did_you_mean(r, Outcome::NAMES.iter().copied())
                    ),
                );
            }
            let evidence = self.item_refs(it, m, "evidence", refs);
            let note = self.note(it, m);
            self.record.results.push(AuditResult {
                req: req.unwrap_or_default(),
                req_pos,
                outcome,
                evidence,
                note,
            });
        }
        false
    }

    /// An item's `note`: text.
    fn note(&mut self, it: ItemAt, m: &Mapping) -> String {
        let ItemAt {
            name,
            n,
            span,
            start,
        } = it;
        match m.get("note") {
            None | Some(Value::Null) => String::new(),
            Some(v) => scalar(v).unwrap_or_else(|| {
                let at = part_at(self.index, span, "note", start);
                self.invalid(
                    at,
                    4,
                    format!("`note` in item {} of `{name}` is one text", n + 1),
                );
                String::new()
            }),
        }
    }

    /// A nonconformity's `{verified_by, verified_on, result, note?}`.
    pub(super) fn effectiveness(&mut self, name: &str, v: &Value, shown: &mut ShownField) -> bool {
        const PARTS: &[&str] = &["verified_by", "verified_on", "result", "note"];
        const RESULTS: &[&str] = &["effective", "not-effective"];
        let Value::Mapping(m) = v else {
            self.bad(name, format!("`{name}` is `{{verified_by: NAME, verified_on: YYYY-MM-DD, result: effective, note: \"...\"}}`"));
            return false;
        };
        let key_pos = self.at(name);
        let index = self.index;
        let at = |k: &str| index.sub_key(name, k).unwrap_or(key_pos);
        // A value written inline (`{result: efective}`): where it is on the line.
        let value_at = |k: &str, v: &str| {
            index
                .sub_key(name, k)
                .or_else(|| index.value_in(name, v))
                .unwrap_or(key_pos)
        };
        self.unknown_parts(m, PARTS, (&format!("`{name}`"), "it"), &at);
        let missing: Vec<&str> = ["verified_by", "verified_on", "result"]
            .into_iter()
            .filter(|k| part(m, k).is_none())
            .collect();
        if !missing.is_empty() {
            self.bad(
                name,
                format!(
                    "`{name}` has no {}; say who verified the actions' effect, when, and whether it was `effective` or `not-effective`",
                    list_of(&missing)
                ),
            );
        }
        let on = part(m, "verified_on");
        let verified_on = on.as_deref().and_then(parse_date);
        if let (Some(s), None) = (&on, verified_on) {
            self.invalid(
                value_at("verified_on", s),
                s.chars().count(),
                format!("`verified_on: {s}` in `{name}` is not a valid date; write YYYY-MM-DD, e.g. 2026-12-01"),
            );
        }
        let result = part(m, "result").unwrap_or_default();
        if !result.is_empty() && !RESULTS.contains(&result.as_str()) {
            self.invalid(
                value_at("result", &result),
                result.chars().count(),
                format!(
                    "`result: {result}` in `{name}` is not one of effective, not-effective{}",
                    did_you_mean(&result, RESULTS.iter().copied())
                ),
            );
        }
        let e = Effectiveness {
            verified_by: part(m, "verified_by").unwrap_or_default(),
            verified_on,
            result,
            note: m.get("note").and_then(scalar).unwrap_or_default(),
        };
        shown.ty = "text";
        shown.text = Some(format!(
            "{}{}{}{}",
            if e.result.is_empty() {
                "not stated"
            } else {
                &e.result
            },
            if e.verified_by.is_empty() {
                String::new()
            } else {
                format!(", verified by {}", e.verified_by)
            },
            on.map(|d| format!(" on {d}")).unwrap_or_default(),
            if e.note.is_empty() {
                String::new()
            } else {
                format!(": {}", e.note)
            }
        ));
        self.record.effectiveness = Some(e);
        true
    }

    /// A review's inputs: `{input, documents?, note?}`, each `input` one
    /// of `spec.values`. Shown by the review's section, not among the fields.
    pub(super) fn review_inputs(
        &mut self,
        name: &str,
        spec: &FieldSpec,
        v: &Value,
        refs: &mut Vec<FieldRef>,
    ) -> bool {
        const PARTS: &[&str] = &["input", "documents", "note"];
        let shape = "`{input: performance, documents: [RPT-2026-09], note: \"...\"}`";
        let list = format!("a list of the inputs considered, each {shape}");
        let what = format!("an input in `{name}`");
        let Some(items) = self.mapping_items(name, v, (PARTS, &list, shape), (&what, "it")) else {
            return false;
        };
        for e in &items {
            let (it, m, n, start) = (e.at(name), e.map, e.n, e.start);
            let pos = part_at(self.index, it.span, "input", start);
            let input = part(m, "input").unwrap_or_default();
            if input.is_empty() {
                self.invalid(
                    start,
                    1,
                    format!(
                        "input {} of `{name}` has no `input:`; name it, one of {}",
                        n + 1,
                        spec.values.join(", ")
                    ),
                );
            } else if !spec.values.contains(&input) {
                self.invalid(
                    pos,
                    5,
                    format!(
                        "`input: {input}` is not a review input{}; the inputs are {} (the option `inputs:` of rule `management-review-incomplete` sets them)",
                        did_you_mean(&input, spec.values.iter().map(String::as_str)),
                        spec.values.join(", ")
                    ),
                );
            }
            let documents = self.item_refs(it, m, "documents", refs);
            let note = self.note(it, m);
            self.record.inputs.push(ReviewInput {
                input,
                pos,
                documents,
                note,
            });
        }
        false
    }

    /// What the kinds of the SMS in operation ask across their fields.
    pub(super) fn record_checks(&mut self, kind: &str, id: &str) {
        let shown = display_id(id, self.file).to_string();
        let written = |k: &str| self.front.get(k).is_some_and(|v| !v.is_null());
        let empty_list = |k: &str| match self.front.get(k) {
            None | Some(Value::Null) => true,
            Some(Value::Sequence(s)) => s.is_empty(),
            Some(v) => scalar(v).is_none_or(|s| s.trim().is_empty()),
        };
        match kind {
            "audit" => {
                let performed = written("performed_on");
                if performed && empty_list("auditors") {
                    let msg = format!(
                        "audit `{shown}` has `performed_on:` but no `auditors:`; name who performed it, e.g. `auditors: [Priya Natarajan]`"
                    );
                    self.invalid(self.at("id"), 2, msg);
                }
                if !performed && written("results") {
                    self.bad(
                        "results",
                        format!("audit `{shown}` has `results:` but no `performed_on:`; record results once the audit is performed (add `performed_on: YYYY-MM-DD`), and leave them out while it is planned"),
                    );
                }
            }
            "nonconformity" => {
                let grade = self.text("grade").unwrap_or_default();
                if (grade == "major" || grade == "minor") && empty_list("requirements") {
                    let msg = format!(
                        "{grade} nonconformity `{shown}` names no `requirements:`; name the requirements not met, e.g. `requirements: [ISO20000-1:8.6.1]`"
                    );
                    self.invalid(self.at("id"), 2, msg);
                }
            }
            _ => {}
        }
    }
}
