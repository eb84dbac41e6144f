//! The row about documents under control over time: no approved document
//! changed since its approval (see `control`). When the git history could
//! not be read, the row cannot be judged: it is not met, its figure says
//! why, and the readiness object lists its key under `unknown`.

use super::{Check, Shortfall};
use crate::check::Input;
use crate::control::State;
use crate::model::Status;

/// The row's key.
pub const KEY: &str = "approvals-current";

/// No approved document is stale.
pub fn approvals_current(input: &Input) -> Check {
    let h = input.history;
    let title = "No stale approval";
    if h.state != State::Read {
        let why = match h.state {
            State::Off => "the git history was not read (--no-history)".to_string(),
            _ => h
                .notes
                .first()
                .cloned()
                .unwrap_or_else(|| "the git history could not be read".into()),
        };
        return Check {
            key: KEY,
            title,
            met: false,
            figure: format!("unknown: {why}"),
            short: Vec::new(),
        };
    }
    let approved = input
        .docs
        .iter()
        .filter(|d| d.status == Status::Approved && d.approved_on.is_some())
        .count();
    let short: Vec<Shortfall> = h
        .stale
        .iter()
        .map(|s| {
            let d = &input.docs[s.doc];
            let on = d.approved_on.map(|d| d.to_string()).unwrap_or_default();
            Shortfall::document(
                &d.id,
                format!(
                    "approved on {on}, changed since: {}",
                    h.describe(&s.since, s.uncommitted, 2)
                ),
            )
        })
        .collect();
    let unjudged = if h.unjudged.is_empty() {
        String::new()
    } else {
        format!(
            " ({} not judged: history cut off or unreadable)",
            h.unjudged.len()
        )
    };
    Check {
        key: KEY,
        title,
        met: short.is_empty(),
        figure: format!(
            "{} of {approved} approved documents changed since their approval{unjudged}",
            short.len()
        ),
        short,
    }
}

/// Whether the row cannot be judged (the history was not read).
pub fn unknown(input: &Input) -> bool {
    input.history.state != State::Read
}
