//! What each built-in rule checks and how to fix what it reports, in one
//! place: the SARIF report's rule metadata, the GitLab report's
//! descriptions and the docs read it from here. A rule added to
//! `BUILTIN_RULES` gets its line here (a test checks every one has one).

/// A built-in rule's description: a short sentence (what it reports) and
/// the help (what to do about it).
#[derive(Debug, Clone, Copy)]
pub struct RuleHelp {
    pub rule: &'static str,
    pub short: &'static str,
    pub help: &'static str,
}

const fn h(rule: &'static str, short: &'static str, help: &'static str) -> RuleHelp {
    RuleHelp { rule, short, help }
}

/// One line per built-in rule.
#[rustfmt::skip]
pub const RULE_HELP: &[RuleHelp] = &[
    h("parse-error", "A file cannot be read as a document, or sms.yaml or a catalogue cannot be read.", "Fix the file as the message says: close the front matter, correct the YAML syntax, save it as UTF-8, keep it under the size limits."),
    h("duplicate-id", "Two documents have the same id.", "Give each document a unique `id:`; both places are reported."),
    h("broken-reference", "A reference does not resolve or points at the wrong kind.", "Correct the id, file, anchor or requirement referred to (the nearest match is suggested), or create the document it names."),
    h("invalid-field", "A field is missing, of the wrong type, or holds a value that is not allowed.", "Write the value the message asks for: a date as YYYY-MM-DD, one of the listed values, the required fields of the kind and of an approved document."),
    h("requirement-uncovered", "An applicable requirement has no approved evidence.", "Approve a document whose `satisfies:` names the requirement (the message names the drafts that would cover it), or declare it in `applicability:` in sms.yaml."),
    h("service-without-sla", "A live service is covered by no SLA.", "Add a document of kind `sla` with `service:` naming the service and its targets."),
    h("critical-service-without-continuity-plan", "A high or critical service is covered by no continuity plan.", "Add a document of kind `continuity-plan` whose `covers:` names the service."),
    h("continuity-plan-untested", "A continuity plan was never tested, or not within `max_age_days`.", "Test the plan and record the date in `last_tested:`."),
    h("review-overdue", "A document's `review_by` date has passed.", "Review the document and set the next `review_by:` date."),
    h("contract-expired", "A contract past its `expires_on` date is still referenced by a live supplier.", "Renew the contract and update `expires_on:`, or retire it and the references to it."),
    h("retired-reference", "A live document refers to a retired one.", "Refer to the document that replaced it, or remove the reference."),
    h("unknown-field", "A field that the document's kind does not declare.", "Remove the field, correct its name (the nearest is suggested), or declare it under `kinds:` in sms.yaml."),
    h("exclusion-not-permitted", "A requirement declared not applicable in a catalogue that permits no exclusion.", "ISO/IEC 20000-1:2018 permits no exclusion of clauses 4 to 10: cover the requirement, or declare the party operating it (`status: other-party`)."),
    h("action-overdue", "An action is past its `due_by` date and not done.", "Do the action and record `done_on:`, or agree a new `due_by:` date."),
    h("service-without-customer", "A live service that no customer's `services:` lists, in a repository that records its customers.", "Add the service to the `services:` of each customer that receives it, or add a `customer` document for them."),
    h("customer-review-overdue", "A customer's service performance was never reviewed with them, or not within `max_age_days`.", "Review service performance with the customer and record the date in `last_service_review:`."),
    h("complaint-open-too-long", "A complaint has been open for longer than `days` since it was received.", "Resolve the complaint, then record `state: closed`, `closed_on:` and the `resolution:`."),
    h("complaint-closed-incomplete", "A closed complaint without `closed_on` or `resolution`.", "Record when it was closed (`closed_on:`) and how it was resolved (`resolution:`)."),
    h("approval-stale", "An approved document was changed after its approval (git history).", "Re-approve the change (set `approved_on:` and `approved_by:`), or revert it; the message names the commits since the approved version."),
    h("suspect-reference", "An approved document refers to a document that changed after the referring one was approved (git history).", "Review the referring document against the changed one, then re-approve it (`approved_on:`), or change the reference."),
    h("requirement-not-audited", "An applicable requirement that no internal audit performed within `cycle_days` had in scope.", "Plan an internal audit whose `scope:` covers the requirement and perform it; the message names the planned audit that will cover it, if any."),
    h("audit-overdue", "A planned audit's `planned_on` date has passed and it has no `performed_on`.", "Perform the audit and record `performed_on:` and its results, or plan it again with a new `planned_on:`."),
    h("auditor-not-independent", "An auditor owns an approved document that is evidence for a requirement in the audit's scope.", "Choose an auditor who does not own what is audited, or take that requirement out of this audit's scope."),
    h("audit-result-missing", "A performed audit gives no result for some requirement of its scope.", "Add a result for each requirement in scope (`{req: ..., result: conforming}`; `not-audited` when it was left out), or narrow the scope."),
    h("nonconformity-not-raised", "A nonconforming audit result with no nonconformity raised for it.", "Record a `nonconformity` whose `audit:` is the audit and whose `requirements:` name the requirement."),
    h("nonconformity-unplanned", "An open major or minor nonconformity without a root cause or actions, raised more than `days` ago.", "Record the `root_cause:` and the corrective `actions:` (each with an owner and a due date)."),
    h("nonconformity-closed-unverified", "A closed nonconformity with an action not done, no effective verification, or no `closed_on`.", "Finish the actions (`done_on:`), record `effectiveness: {verified_by, verified_on, result: effective}` and `closed_on:`, or reopen it (`state: open`)."),
    h("management-review-overdue", "No management review held within `max_age_days`.", "Hold a management review and record it as a `management-review` document with its `held_on:` date."),
    h("management-review-incomplete", "A management review that does not list every required input.", "Add the missing inputs under `inputs:` (each `{input: ..., documents: [...]}`), or record why a topic was not considered in its `note:`."),
    h("sla-target-missed", "A measured value on the wrong side of its SLA target, with no explanation.", "Record in the row's `explained_by` the document that explains the miss (an incident, a nonconformity), or correct the value if it was entered wrongly."),
    h("measurement-missing", "An SLA target with measurements, but none for some month since its first.", "Add a row for each month named (`period`, `sla`, `metric`, `value`) to a file under `measurements/`."),
    h("duplicate-measurement", "The same period, SLA and metric measured on two rows.", "Keep one row for each period, SLA and metric; the message names the earlier row."),
    h("duplicate-requirement", "A requirement id declared more than once in its catalogue.", "Keep one declaration of each id (both places are named); set the rule to warning to let the first declaration win in a catalogue you do not own."),
    h("template-text", "An approved document still holds the scaffold's guidance.", "Replace the guidance block (the quote starting with `**Guidance:**`) with the organisation's own text and delete the block, or set the document back to draft."),
];

/// The description of built-in rule `rule`.
pub fn rule_help(rule: &str) -> Option<&'static RuleHelp> {
    RULE_HELP.iter().find(|h| h.rule == rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_rule_is_described_once() {
        for (rule, _) in super::super::BUILTIN_RULES {
            assert_eq!(
                RULE_HELP.iter().filter(|h| h.rule == *rule).count(),
                1,
                "rule `{rule}` needs exactly one line in RULE_HELP"
            );
        }
        assert_eq!(RULE_HELP.len(), super::super::BUILTIN_RULES.len());
    }

    #[test]
    fn every_described_rule_is_in_the_format_docs() {
        let docs = include_str!("../../docs/format.md");
        for h in RULE_HELP {
            assert!(
                docs.contains(&format!("| `{}` |", h.rule)),
                "docs/format.md's table of built-in rules lacks `{}`",
                h.rule
            );
        }
    }
}
