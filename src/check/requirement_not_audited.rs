//! `requirement-not-audited`: an applicable leaf requirement (`other-party`
//! ones included: the organisation audits how it governs the party) that
//! no internal audit performed within `cycle_days` (365) before the build
//! date had in scope. Names when it was last audited, or never, and the
//! planned audit that will cover it, if any. Option `catalogues:` limits
//! it to those catalogues. At the requirement, as `requirement-uncovered`.
//! Only in a repository with a live audit.

use super::Input;
use crate::diag::Finding;
use crate::model::days_between;
use crate::resolve::Cover;

pub const RULE: &str = "requirement-not-audited";

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let op = &input.resolved.operation;
    if op.audits.is_empty() {
        return;
    }
    let cats = input.catalogues;
    let cycle = input.config.days(RULE, "cycle_days", 365);
    let wanted = catalogues(input, out);
    let last = op.last_internal(cats.reqs.len(), input.date, &|_| true);
    let next = op.next_planned(cats.reqs.len(), &|_| true);
    let id = |k: usize| input.docs[op.audits[k].doc].id.as_str();
    for (q, r) in cats.reqs.iter().enumerate() {
        if !r.is_leaf()
            || input.resolved.coverage[q].cover == Cover::NotApplicable
            || !wanted[r.catalogue]
        {
            continue;
        }
        let when = match last[q] {
            Some((on, _)) if days_between(on, input.date) <= cycle => continue,
            Some((on, k)) => format!(
                "last audited on {on} by {}, {} days before {}",
                id(k),
                days_between(on, input.date),
                input.date
            ),
            None => "never audited".to_string(),
        };
        let plan = match next[q] {
            Some((on, k)) => format!("the planned audit {} ({on}) covers it", id(k)),
            None => format!(
                "no planned audit covers it: add {} to the `scope` of a planned internal audit",
                r.key
            ),
        };
        out.push(Finding::new(
            RULE,
            &r.file,
            r.pos,
            format!(
                "requirement {} \"{}\" has no internal audit within the last {cycle} days ({when}); {plan}",
                r.key, r.title
            ),
        ));
    }
}

/// Which catalogues the rule judges (by place in `catalogues.list`): those
/// of the option `catalogues:`, or all. A name not in force is a finding
/// of this rule at the option.
fn catalogues(input: &Input, out: &mut Vec<Finding>) -> Vec<bool> {
    let list = &input.catalogues.list;
    let Some((names, pos)) = input.config.names(RULE, "catalogues") else {
        return vec![true; list.len()];
    };
    for n in names.iter().filter(|n| !list.iter().any(|c| &c.name == *n)) {
        let in_force: Vec<&str> = list.iter().map(|c| c.name.as_str()).collect();
        out.push(Finding::new(
            RULE,
            crate::config::FILE,
            pos,
            format!(
                "option `catalogues:` of rule {RULE} names `{n}`, which is not a catalogue in force{}; catalogues in force: {}",
                crate::diag::did_you_mean(n, in_force.iter().copied()),
                in_force.join(", ")
            ),
        ));
    }
    list.iter().map(|c| names.contains(&c.name)).collect()
}
