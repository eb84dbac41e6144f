//! `smsite init`: writes a small SMS repository that checks clean, as a
//! starting point: sms.yaml, a policy, a plan, process documents covering
//! every ISO/IEC 20000-1:2018 clause, one service with its SLA, supplier,
//! contract and continuity plan, and the records of the SMS in operation:
//! an internal audit, the nonconformity it raised and a management review.
//! Dates are relative to today.

use std::fs;
use std::path::Path;

/// Creates the repository at `dir` (which must not exist or be empty).
pub fn init(dir: &Path) -> std::io::Result<()> {
    if dir.exists() && fs::read_dir(dir)?.next().is_some() {
        return Err(std::io::Error::other(format!(
            "{} exists and is not empty; choose a new folder",
            dir.display()
        )));
    }
    let today = jiff::Zoned::now().date();
    let review = today
        .checked_add(jiff::Span::new().years(1))
        .unwrap_or(today);
    let tested = today
        .checked_sub(jiff::Span::new().days(30))
        .unwrap_or(today);
    let expires = today
        .checked_add(jiff::Span::new().years(2))
        .unwrap_or(today);
    let days = |n: i64| {
        today
            .checked_add(jiff::Span::new().days(n))
            .unwrap_or(today)
    };
    let control = |owner: &str| {
        format!(
            "owner: {owner}\nversion: \"1.0\"\nstatus: approved\napproved_by: Management board\napproved_on: {today}\nreview_by: {review}\n"
        )
    };
    let files: Vec<(&str, String)> = vec![
        ("sms.yaml", "name: Example IT Service Management System\norganisation: Example Ltd\nscope: |\n  The IT services that Example Ltd's IT department provides to its\n  staff from its head office.\nrequirements:\n  - ISO20000-1\nfolders:\n  policies: policy\n  plans: plan\n  processes: process\n  services: service\n  slas: sla\n  suppliers: supplier\n  contracts: contract\n  continuity: continuity-plan\n  audits: audit\n  nonconformities: nonconformity\n  reviews: management-review\n".to_string()),
        ("policies/service-management-policy.md", format!("---\nid: POL-SMS\ntitle: Service management policy\n{}satisfies: [ISO20000-1:4.1, ISO20000-1:4.2, ISO20000-1:4.3, ISO20000-1:4.4, ISO20000-1:5.1, ISO20000-1:5.2.1, ISO20000-1:5.2.2, ISO20000-1:5.3]\n---\n\n# Service management policy\n\n## Purpose\n\nState here why the organisation runs a service management system, its\ncontext, its interested parties and the scope of the SMS.\n\n## Commitments\n\nTop management commits to meeting service requirements and to continual\nimprovement; see the [[PLN-SMS]].\n\n## Roles\n\n| Role | Responsibility |\n|---|---|\n| SMS manager | Runs the SMS day to day |\n| Service owner | Accountable for a service, e.g. [[SVC-DESK]] |\n", control("Head of IT"))),
        ("plans/service-management-plan.md", format!("---\nid: PLN-SMS\ntitle: Service management plan\n{}satisfies: [ISO20000-1:6.1, ISO20000-1:6.2.1, ISO20000-1:6.2.2, ISO20000-1:6.3, ISO20000-1:7.1, ISO20000-1:7.2, ISO20000-1:7.3, ISO20000-1:7.4, ISO20000-1:7.5.1, ISO20000-1:7.5.2, ISO20000-1:7.5.3, ISO20000-1:7.5.4, ISO20000-1:7.6, ISO20000-1:8.1]\n---\n\n# Service management plan\n\n## Objectives\n\nList the service management objectives and how they are measured.\n\n## Risks and opportunities\n\nKeep the risk register current; it drives the [service continuity plan](../continuity/service-desk.md).\n\n## Documented information\n\nThis repository is the SMS's documented information: every document has an\nowner, a version, an approval and a review date.\n", control("SMS manager"))),
        ("processes/service-portfolio.md", process("PRC-PORTFOLIO", "Service portfolio", &["8.2.1", "8.2.2", "8.2.3", "8.2.4", "8.2.5", "8.2.6"], &control("Service portfolio manager"))),
        ("processes/relationship-and-agreement.md", process("PRC-RELATIONSHIP", "Relationship, agreement, supply and demand", &["8.3.1", "8.3.2", "8.3.3", "8.3.4.1", "8.3.4.2", "8.4.1", "8.4.2", "8.4.3"], &control("Service level manager"))),
        ("processes/design-build-transition.md", process("PRC-CHANGE", "Change, design, build and transition", &["8.5.1.1", "8.5.1.2", "8.5.1.3", "8.5.2.1", "8.5.2.2", "8.5.2.3", "8.5.3"], &control("Change manager"))),
        ("processes/resolution-and-fulfilment.md", process("PRC-RESOLUTION", "Incident, request and problem management", &["8.6.1", "8.6.2", "8.6.3"], &control("Service desk manager"))),
        ("processes/service-assurance.md", process("PRC-ASSURANCE", "Availability, continuity and information security", &["8.7.1", "8.7.2", "8.7.3.1", "8.7.3.2", "8.7.3.3"], &control("SMS manager"))),
        ("processes/evaluation-and-improvement.md", process("PRC-IMPROVEMENT", "Performance evaluation and improvement", &["9.1", "9.2", "9.3", "9.4", "10.1", "10.2"], &control("SMS manager"))),
        ("services/service-desk.yaml", format!("id: SVC-DESK\ntitle: IT service desk\n{}criticality: high\nsuppliers: [SUP-TELECOM]\ncustomers: [All staff]\nbody: |\n  ## Description\n\n  A single point of contact for incidents and requests, open 08:00-18:00.\n", control("Service desk manager"))),
        ("slas/service-desk.md", format!("---\nid: SLA-DESK\ntitle: Service desk SLA\n{}service: SVC-DESK\ntargets:\n  - {{metric: P1 response, target: 15, unit: min, period: calendar month}}\n  - {{metric: availability, target: 99.5, unit: \"%\", period: calendar month}}\n---\n\n# Service desk SLA\n\nThe agreed levels of [[SVC-DESK]].\n", control("Service level manager"))),
        ("suppliers/telecom.yaml", format!("id: SUP-TELECOM\ntitle: Telecom provider\n{}contracts: [CON-TELECOM]\n", control("Supplier manager"))),
        ("contracts/telecom.yaml", format!("id: CON-TELECOM\ntitle: Telephony and connectivity contract\n{}supplier: SUP-TELECOM\nexpires_on: {expires}\n", control("Supplier manager"))),
        ("continuity/service-desk.md", format!("---\nid: BCP-DESK\ntitle: Service desk continuity plan\n{}covers: [SVC-DESK]\nrto: 4h\nrpo: 1h\nlast_tested: {tested}\n---\n\n# Service desk continuity plan\n\n## Invocation\n\nWho invokes the plan, and how staff reach the desk when the office is closed.\n", control("SMS manager"))),
        ("audits/internal-audit.md", audit(days(-32), days(-30))),
        ("nonconformities/nc-001.yaml", nonconformity(days(-30), days(60))),
        ("reviews/management-review.yaml", management_review(days(-20), days(90))),
    ];
    for (rel, text) in files {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(p, text)?;
    }
    fs::create_dir_all(dir.join("assets"))?;
    Ok(())
}

fn process(id: &str, title: &str, clauses: &[&str], control: &str) -> String {
    let sat: Vec<String> = clauses.iter().map(|c| format!("ISO20000-1:{c}")).collect();
    format!(
        "---\nid: {id}\ntitle: {title}\n{control}process_owner: SMS manager\nsatisfies: [{}]\n---\n\n# {title}\n\n## Purpose\n\nDescribe what this process achieves and for whom.\n\n## Activities\n\n1. Describe the activities, their inputs and outputs.\n2. Name the records they leave as evidence.\n\n## Measures\n\n| Measure | Target |\n|---|---|\n| Example measure | 95 % |\n",
        sat.join(", ")
    )
}

/// An internal audit of the whole SMS, performed: results on each clause,
/// one nonconforming (raised as NC-001).
fn audit(planned: jiff::civil::Date, performed: jiff::civil::Date) -> String {
    let clauses = ["4", "5", "6", "7", "8", "9", "10"];
    let scope: Vec<String> = clauses.iter().map(|c| format!("ISO20000-1:{c}")).collect();
    let results: String = clauses
        .iter()
        .map(|c| format!("  - {{req: ISO20000-1:{c}, result: conforming}}\n"))
        .collect();
    format!(
        "---\nid: AUD-001\ntitle: Internal audit of the whole SMS\nowner: SMS manager\naudit_type: internal   # internal, certification, surveillance or recertification\nplanned_on: {planned}\nperformed_on: {performed}   # leave out while the audit is only planned\nauditors: [Internal auditor]   # never the owner of what is audited\nauditees: [SMS manager, Service desk manager]\nscope: [{}]\nresults:   # one per requirement in scope; a parent counts for those beneath\n{results}  - {{req: ISO20000-1:7.5.3, result: nonconforming, evidence: [PLN-SMS], note: \"Two superseded procedures found in use\"}}\n---\n\n# Internal audit of the whole SMS\n\n## Plan and sample\n\nWhat was sampled, from which period, and whom the auditor interviewed.\n\n## Summary\n\nStrong points, and the nonconformity raised: [[NC-001]].\n",
        scope.join(", ")
    )
}

/// The nonconformity the audit raised: open, its cause found, an action planned.
fn nonconformity(raised: jiff::civil::Date, due: jiff::civil::Date) -> String {
    format!(
        "id: NC-001\ntitle: Superseded procedures in use\nowner: SMS manager\ngrade: minor   # major, minor, observation or improvement\nraised_on: {raised}\naudit: AUD-001\nrequirements: [ISO20000-1:7.5.3]\nstate: open   # closed once its actions are done and found effective\nroot_cause: Printed copies were not withdrawn when a procedure changed.\ncorrection: The two copies were withdrawn.\nactions:\n  - {{action: Mark printed copies as uncontrolled and withdraw them at each change, owner: SMS manager, due_by: {due}}}\n# Once the actions are done and their effect checked:\n# effectiveness: {{verified_by: Internal auditor, verified_on: YYYY-MM-DD, result: effective}}\n# closed_on: YYYY-MM-DD\nbody: |\n  What was found, and the evidence seen.\n"
    )
}

/// A management review that considered every input clause 9.3 asks for.
fn management_review(held: jiff::civil::Date, due: jiff::civil::Date) -> String {
    let inputs: String = crate::model::REVIEW_INPUTS
        .iter()
        .map(|&i| match i {
            "performance" => format!(
                "  - {{input: {i}, documents: [AUD-001, NC-001], note: \"What was reviewed\"}}\n"
            ),
            _ => format!("  - {{input: {i}, note: \"What was reviewed\"}}\n"),
        })
        .collect();
    format!(
        "id: MR-001\ntitle: Management review\nowner: Head of IT\nheld_on: {held}\nattendees: [Head of IT, SMS manager, Service level manager]\ninputs:\n{inputs}decisions:\n  - {{action: Decide and record what the review concluded, owner: Head of IT, due_by: {due}}}\n"
    )
}
