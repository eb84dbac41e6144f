//! The SMS in operation as the rules, the readiness rows and the pages see
//! it: each live audit with the leaf requirements its scope stands for
//! (a parent for every leaf beneath), the result that applies to each (its
//! own entry, else the nearest parent's) and the nonconformities raised
//! from it; the live nonconformities and management reviews. Made once
//! per build, from the documents and catalogues alone (no date: what
//! depends on the build date is asked of it, see [`Operation::last_internal`]).
//!
//! Also the problems only the catalogues can tell: a result for a
//! requirement outside the audit's scope, two results for one requirement
//! (`invalid-field`, reported by that rule).

use std::collections::HashMap;

use jiff::civil::Date;

use crate::FastMap;
use crate::catalogue::Catalogues;
use crate::model::{AuditResult, Document, Outcome, Problem};

/// One live audit.
#[derive(Debug, Clone, Default)]
pub struct AuditView {
    pub doc: usize,
    /// `audit_type: internal`.
    pub internal: bool,
    pub planned_on: Option<Date>,
    /// `performed_on`, when it is a valid date.
    pub performed_on: Option<Date>,
    /// `performed_on` is written (valid or not): the audit is not only planned.
    pub performed: bool,
    /// The leaf requirements in scope, in catalogue order.
    pub leaves: Vec<usize>,
    /// Per leaf of `leaves`: the result that applies (an index into the
    /// audit's `results`), if any. Empty while the audit is not performed.
    pub result_of: Vec<Option<usize>>,
    /// Per result: the requirement it names, when that resolves.
    pub result_reqs: Vec<Option<usize>>,
    /// Live nonconformities whose `audit:` is this audit, by id.
    pub raised: Vec<usize>,
}

impl AuditView {
    /// Whether leaf `q` is in scope.
    pub fn holds(&self, q: usize) -> bool {
        self.leaves.binary_search(&q).is_ok()
    }

    /// The result that applies to the `k`-th leaf of `leaves`, if any.
    pub fn result_at<'d>(&self, docs: &'d [Document], k: usize) -> Option<&'d AuditResult> {
        let r = (*self.result_of.get(k)?)?;
        docs.get(self.doc)?.results().get(r)
    }

    /// The date it stands at: performed, else planned.
    pub fn when(&self) -> Option<Date> {
        self.performed_on.or(self.planned_on)
    }
}

/// The records of the SMS in operation (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct Operation {
    /// Live audits, by date (performed, else planned), then id.
    pub audits: Vec<AuditView>,
    /// A document's place in `audits`.
    pub audit_of: FastMap<usize, usize>,
    /// Live nonconformities, by id.
    pub nonconformities: Vec<usize>,
    /// Live management reviews, by `held_on` (undated last), then id.
    pub reviews: Vec<usize>,
    /// `invalid-field` problems found here, by document.
    pub problems: Vec<(usize, Problem)>,
}

/// Requirements `a` and `b` are one, or one is beneath the other.
pub fn related(cats: &Catalogues, a: usize, b: usize) -> bool {
    above(cats, a, b) || above(cats, b, a)
}

/// `top` is `q` or one of its ancestors.
pub fn above(cats: &Catalogues, top: usize, q: usize) -> bool {
    let mut cur = Some(q);
    while let Some(c) = cur {
        if c == top {
            return true;
        }
        cur = cats.reqs.get(c).and_then(|r| r.parent);
    }
    false
}

/// The stage of a nonconformity, as the site shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Open, no action yet.
    Open,
    ActionsPlanned,
    /// Open, every action done.
    AwaitingVerification,
    Closed,
}

impl Stage {
    pub fn of(d: &Document) -> Stage {
        if d.text("state").as_deref() == Some("closed") {
            return Stage::Closed;
        }
        let mut actions = d.actions().filter(|(f, _)| *f == "actions").peekable();
        if actions.peek().is_none() {
            Stage::Open
        } else if actions.all(|(_, a)| !a.done_on.is_empty()) {
            Stage::AwaitingVerification
        } else {
            Stage::ActionsPlanned
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Open => "open",
            Stage::ActionsPlanned => "actions planned",
            Stage::AwaitingVerification => "awaiting verification",
            Stage::Closed => "closed",
        }
    }
}

impl Operation {
    pub fn new(docs: &[Document], cats: &Catalogues, by_id: &FastMap<String, usize>) -> Operation {
        let live = |kind: &'static str| {
            docs.iter()
                .enumerate()
                .filter(move |(_, d)| d.kind == kind && d.is_live())
                .map(|(i, _)| i)
        };
        let mut op = Operation::default();
        for i in live("audit") {
            let view = audit_view(docs, cats, i, &mut op.problems);
            op.audits.push(view);
        }
        op.audits
            .sort_by(|a, b| (a.when(), &docs[a.doc].id).cmp(&(b.when(), &docs[b.doc].id)));
        for (k, a) in op.audits.iter().enumerate() {
            op.audit_of.insert(a.doc, k);
        }
        op.nonconformities = live("nonconformity").collect();
        op.nonconformities
            .sort_by(|a, b| docs[*a].id.cmp(&docs[*b].id));
        for &n in &op.nonconformities {
            let audit = docs[n].refs_of("audit").next().and_then(|id| by_id.get(id));
            if let Some(k) = audit.and_then(|a| op.audit_of.get(a)) {
                op.audits[*k].raised.push(n);
            }
        }
        op.reviews = live("management-review").collect();
        op.reviews.sort_by(|a, b| {
            let key = |d: &Document| (d.date("held_on").is_none(), d.date("held_on"));
            key(&docs[*a])
                .cmp(&key(&docs[*b]))
                .then_with(|| docs[*a].id.cmp(&docs[*b].id))
        });
        op
    }

    /// The audit view of document `i`, if it is a live audit.
    pub fn audit(&self, i: usize) -> Option<&AuditView> {
        self.audits.get(*self.audit_of.get(&i)?)
    }

    /// Per requirement: the latest internal audit performed on or before
    /// `date` that had it in scope (its date, its place in `audits`), among
    /// the audits whose document `shown` accepts.
    pub fn last_internal(
        &self,
        reqs: usize,
        date: Date,
        shown: &dyn Fn(usize) -> bool,
    ) -> Vec<Option<(Date, usize)>> {
        let mut last: Vec<Option<(Date, usize)>> = vec![None; reqs];
        for (k, a) in self.audits.iter().enumerate().filter(|(_, a)| shown(a.doc)) {
            let Some(on) = a.performed_on.filter(|&on| a.internal && on <= date) else {
                continue;
            };
            for &q in &a.leaves {
                if last[q].is_none_or(|(d, _)| on >= d) {
                    last[q] = Some((on, k));
                }
            }
        }
        last
    }

    /// Per requirement: the first audit only planned (not performed) that
    /// has it in scope, internal ones first (its planned date, its place),
    /// among the audits whose document `shown` accepts.
    pub fn next_planned(
        &self,
        reqs: usize,
        shown: &dyn Fn(usize) -> bool,
    ) -> Vec<Option<(Date, usize)>> {
        let mut next: Vec<Option<(bool, Date, usize)>> = vec![None; reqs];
        for (k, a) in self.audits.iter().enumerate().filter(|(_, a)| shown(a.doc)) {
            let Some(on) = a.planned_on.filter(|_| !a.performed) else {
                continue;
            };
            let key = (!a.internal, on, k);
            for &q in &a.leaves {
                if next[q].is_none_or(|n| key < n) {
                    next[q] = Some(key);
                }
            }
        }
        next.into_iter()
            .map(|n| n.map(|(_, on, k)| (on, k)))
            .collect()
    }
}

/// Audit `i`'s view; its results checked against its scope.
fn audit_view(
    docs: &[Document],
    cats: &Catalogues,
    i: usize,
    problems: &mut Vec<(usize, Problem)>,
) -> AuditView {
    let d = &docs[i];
    let mut leaves: Vec<usize> = d
        .reqs_of("scope")
        .filter_map(|r| cats.get(&r.key))
        .flat_map(|q| cats.leaves(q))
        .collect();
    leaves.sort_unstable();
    leaves.dedup();
    let performed = d.has("performed_on");
    let results = d.results();
    let result_reqs: Vec<Option<usize>> = results.iter().map(|r| cats.get(&r.req)).collect();
    let mut first: HashMap<usize, usize> = HashMap::new();
    let in_scope = |q: usize| {
        cats.leaves(q)
            .iter()
            .all(|l| leaves.binary_search(l).is_ok())
    };
    for (k, (r, q)) in results.iter().zip(&result_reqs).enumerate() {
        let Some(q) = *q else { continue };
        let mut problem = |message: String| {
            problems.push((
                i,
                Problem {
                    rule: "invalid-field",
                    pos: r.req_pos,
                    width: r.req.len(),
                    message,
                },
            ))
        };
        if !in_scope(q) {
            let scope: Vec<&str> = d.reqs_of("scope").map(|s| s.key.as_str()).collect();
            problem(format!(
                "{}: a result for {}, which is outside the audit's scope ({}); add it to the audit's `scope` or remove this result",
                d.id,
                r.req,
                scope.join(", ")
            ));
        } else if let Some(&j) = first.get(&q) {
            problem(format!(
                "{}: a second result for {} (the first is on line {}); keep one",
                d.id, r.req, results[j].req_pos.line
            ));
        } else {
            first.insert(q, k);
        }
    }
    let result_of = if performed {
        leaves
            .iter()
            .map(|&l| {
                let mut cur = Some(l);
                while let Some(c) = cur {
                    if let Some(&k) = first.get(&c) {
                        return Some(k);
                    }
                    cur = cats.reqs[c].parent;
                }
                None
            })
            .collect()
    } else {
        Vec::new()
    };
    AuditView {
        doc: i,
        internal: d.text("audit_type").as_deref() == Some("internal"),
        planned_on: d.date("planned_on"),
        performed_on: d.date("performed_on"),
        performed,
        leaves,
        result_of,
        result_reqs,
        raised: Vec::new(),
    }
}

/// Whether `outcome` is a nonconforming result.
pub fn is_nonconforming(r: &AuditResult) -> bool {
    r.outcome == Some(Outcome::Nonconforming)
}
