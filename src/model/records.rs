//! The typed data of the records of the SMS in operation (audits,
//! nonconformities, management reviews) that the rules and pages read
//! beyond a field's value: requirement references, an audit's results, a
//! nonconformity's effectiveness check, a review's inputs, each with where
//! it is written (taken while the document is typed, see `build`).

use jiff::civil::Date;

use crate::diag::Pos;

/// A requirement reference written in a field (`scope`, `requirements`).
#[derive(Debug, Clone, Hash)]
pub struct ReqRef {
    pub field: String,
    /// `CATALOGUE:ID`, as written (trimmed).
    pub key: String,
    pub pos: Pos,
}

/// What an audit found for a requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Conforming,
    Nonconforming,
    Observation,
    NotAudited,
}

impl Outcome {
    pub const NAMES: &'static [&'static str] =
        &["conforming", "nonconforming", "observation", "not-audited"];
    pub fn parse(s: &str) -> Option<Outcome> {
        Some(match s {
            "conforming" => Outcome::Conforming,
            "nonconforming" => Outcome::Nonconforming,
            "observation" => Outcome::Observation,
            "not-audited" => Outcome::NotAudited,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        Outcome::NAMES[self as usize]
    }
}

/// One entry of an audit's `results:`.
#[derive(Debug, Clone, Hash)]
pub struct AuditResult {
    /// The requirement, as written (`CATALOGUE:ID`); empty when missing.
    pub req: String,
    /// Where `req` is written (the item's start when it is missing).
    pub req_pos: Pos,
    /// `None` when missing or not a valid result (a problem says so).
    pub outcome: Option<Outcome>,
    /// Ids of the documents examined.
    pub evidence: Vec<String>,
    pub note: String,
}

/// A nonconformity's `effectiveness:` check.
#[derive(Debug, Clone, Hash)]
pub struct Effectiveness {
    pub verified_by: String,
    pub verified_on: Option<Date>,
    /// `effective` or `not-effective` as written (empty when missing).
    pub result: String,
    pub note: String,
}

impl Effectiveness {
    /// Verified, and found effective.
    pub fn is_effective(&self) -> bool {
        self.result == "effective" && !self.verified_by.is_empty() && self.verified_on.is_some()
    }
}

/// One entry of a management review's `inputs:`.
#[derive(Debug, Clone, Hash)]
pub struct ReviewInput {
    pub input: String,
    pub pos: Pos,
    /// Ids of the documents that informed it.
    pub documents: Vec<String>,
    pub note: String,
}

/// A document's typed record data (only documents that have some carry it).
#[derive(Debug, Clone, Default, Hash)]
pub struct RecordData {
    pub reqs: Vec<ReqRef>,
    pub results: Vec<AuditResult>,
    pub effectiveness: Option<Effectiveness>,
    pub inputs: Vec<ReviewInput>,
}

impl RecordData {
    pub fn is_empty(&self) -> bool {
        self.reqs.is_empty()
            && self.results.is_empty()
            && self.effectiveness.is_none()
            && self.inputs.is_empty()
    }
}
