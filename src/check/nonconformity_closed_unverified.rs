//! `nonconformity-closed-unverified`: a nonconformity with `state: closed`
//! that has an action not done, or no `effectiveness` with `result:
//! effective`, or no `closed_on`. One finding at its `state`, naming every gap.

use super::{Input, live_of_kind};
use crate::diag::Finding;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    for (_, d) in live_of_kind(input.docs, "nonconformity") {
        if d.text("state").as_deref() != Some("closed") {
            continue;
        }
        let mut gaps = Vec::new();
        let open: Vec<String> = d
            .actions()
            .filter(|(f, a)| *f == "actions" && a.done_on.is_empty())
            .map(|(_, a)| format!("\"{}\"", a.action))
            .collect();
        if !open.is_empty() {
            gaps.push(format!(
                "action{} {} not done (record `done_on:`)",
                if open.len() == 1 { "" } else { "s" },
                open.join(", ")
            ));
        }
        match d.effectiveness() {
            Some(e) if e.is_effective() => {}
            Some(e) if e.result == "not-effective" => gaps.push(
                "its `effectiveness` result is not-effective (the actions did not work: reopen it with new actions)".to_string(),
            ),
            Some(_) => gaps.push(
                "its `effectiveness` check is incomplete (`verified_by`, `verified_on`, `result: effective`)".to_string(),
            ),
            None => gaps.push(
                "no `effectiveness` check (`{verified_by: ..., verified_on: YYYY-MM-DD, result: effective}`)".to_string(),
            ),
        }
        if !d.has("closed_on") {
            gaps.push("no `closed_on` date".to_string());
        }
        if gaps.is_empty() {
            continue;
        }
        out.push(
            Finding::new(
                "nonconformity-closed-unverified",
                &d.file,
                d.index.key_or_start("state"),
                format!(
                    "nonconformity {} is closed, but {}; complete these, or set `state: open` until they are",
                    d.id,
                    gaps.join("; ")
                ),
            )
            .width(5),
        );
    }
}
