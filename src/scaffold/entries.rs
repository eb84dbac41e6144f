//! What `smsite init` writes: one draft per piece of documented
//! information ISO/IEC 20000-1:2018 expects (the SMS documents of clause
//! 7.5.4 and the records the other clauses ask for), each an [`Entry`] of
//! [`ENTRIES`]. A new draft is one line here and one template file under
//! `src/scaffold/templates/` (its body: Markdown with guidance blocks).

/// One scaffolded draft.
pub struct Entry {
    /// Where it is written in the repository.
    pub path: &'static str,
    pub id: &'static str,
    pub title: &'static str,
    pub kind: &'static str,
    /// The accountable role suggested as `owner:`.
    pub owner: &'static str,
    /// Leaf clauses of `ISO20000-1` it is evidence for once approved.
    pub satisfies: &'static [&'static str],
    /// The kind's own fields, as YAML lines.
    pub fields: &'static str,
    /// The body: Markdown, its guidance marked (see `guidance`).
    pub body: &'static str,
}

macro_rules! body {
    ($name:literal) => {
        include_str!(concat!("templates/", $name, ".md"))
    };
}

const fn entry(
    path: &'static str,
    id: &'static str,
    title: &'static str,
    kind: &'static str,
    owner: &'static str,
    satisfies: &'static [&'static str],
    body: &'static str,
) -> Entry {
    Entry {
        path,
        id,
        title,
        kind,
        owner,
        satisfies,
        fields: "",
        body,
    }
}

const fn with_fields(mut e: Entry, fields: &'static str) -> Entry {
    e.fields = fields;
    e
}

/// Every draft, in the order of the clauses they first answer (one line each).
#[rustfmt::skip]
pub const ENTRIES: &[Entry] = &[
    entry("plans/scope-and-context.md", "PLN-SCOPE", "Context, interested parties and scope", "plan", "SMS manager", &["4.1", "4.2", "4.3"], body!("scope-and-context")),
    entry("plans/service-management-plan.md", "PLN-SMS", "Service management plan", "plan", "SMS manager", &["4.4", "5.3", "6.3", "7.1", "8.1"], body!("service-management-plan")),
    entry("policies/service-management-policy.md", "POL-SMS", "Service management policy", "policy", "Top management", &["5.1", "5.2.1", "5.2.2"], body!("service-management-policy")),
    entry("records/risks-and-opportunities.md", "REC-RISKS", "Risks and opportunities", "record", "SMS manager", &["6.1"], body!("risks-and-opportunities")),
    entry("objectives/service-management-objectives.md", "OBJ-SMS", "Service management objectives", "objective", "Top management", &["6.2.1", "6.2.2"], body!("service-management-objectives")),
    entry("records/competence.md", "REC-COMPETENCE", "Competence", "record", "SMS manager", &["7.2"], body!("competence")),
    entry("plans/awareness-and-communication.md", "PLN-COMMUNICATION", "Awareness and communication plan", "plan", "SMS manager", &["7.3", "7.4"], body!("awareness-and-communication")),
    entry("procedures/document-control.md", "PRO-DOCUMENT-CONTROL", "Control of documented information", "procedure", "SMS manager", &["7.5.1", "7.5.2", "7.5.3", "7.5.4"], body!("document-control")),
    entry("procedures/knowledge-management.md", "PRO-KNOWLEDGE", "Knowledge management", "procedure", "SMS manager", &["7.6"], body!("knowledge-management")),
    entry("processes/service-portfolio.md", "PRC-PORTFOLIO", "Service portfolio management", "process", "Service portfolio manager", &["8.2.1", "8.2.2", "8.2.3"], body!("service-portfolio")),
    with_fields(entry("services/example-service.yaml", "SVC-EXAMPLE", "Example service (rename to your first service)", "service", "Service owner", &["8.2.4"], body!("example-service")), "criticality: high\nsuppliers: [SUP-EXAMPLE]\ncustomers: [CUS-EXAMPLE]\n"),
    entry("processes/asset-management.md", "PRC-ASSET", "Asset management", "process", "Asset manager", &["8.2.5"], body!("asset-management")),
    entry("processes/configuration-management.md", "PRC-CONFIGURATION", "Configuration management", "process", "Configuration manager", &["8.2.6"], body!("configuration-management")),
    entry("processes/business-relationship-management.md", "PRC-RELATIONSHIP", "Business relationship management", "process", "Business relationship manager", &["8.3.1", "8.3.2"], body!("business-relationship-management")),
    with_fields(entry("customers/example-customer.yaml", "CUS-EXAMPLE", "Example customer (rename to your first customer)", "customer", "Business relationship manager", &["8.3.2"], body!("example-customer")), "relationship_manager: Business relationship manager\nservices: [SVC-EXAMPLE]\n"),
    entry("processes/service-level-management.md", "PRC-SERVICE-LEVEL", "Service level management", "process", "Service level manager", &["8.3.3"], body!("service-level-management")),
    with_fields(entry("slas/example-sla.md", "SLA-EXAMPLE", "Example service level agreement", "sla", "Service level manager", &["8.3.3"], body!("example-sla")), "service: SVC-EXAMPLE\ntargets:\n  - {metric: availability, target: 99.5, unit: \"%\", period: calendar month}\n  - {metric: P1 response, target: 30, unit: min, period: calendar month}\n"),
    entry("processes/supplier-management.md", "PRC-SUPPLIER", "Supplier management", "process", "Supplier manager", &["8.3.4.1", "8.3.4.2"], body!("supplier-management")),
    with_fields(entry("suppliers/example-supplier.yaml", "SUP-EXAMPLE", "Example supplier (rename to your first supplier)", "supplier", "Supplier manager", &["8.3.4.1"], body!("example-supplier")), "contracts: [CON-EXAMPLE]\n"),
    with_fields(entry("contracts/example-contract.yaml", "CON-EXAMPLE", "Example contract (rename to your first contract)", "contract", "Supplier manager", &["8.3.4.1"], body!("example-contract")), "supplier: SUP-EXAMPLE\n"),
    entry("processes/budgeting-and-accounting.md", "PRC-BUDGETING", "Budgeting and accounting for services", "process", "Finance manager", &["8.4.1"], body!("budgeting-and-accounting")),
    entry("processes/demand-and-capacity-management.md", "PRC-CAPACITY", "Demand and capacity management", "process", "Capacity manager", &["8.4.2", "8.4.3"], body!("demand-and-capacity-management")),
    entry("policies/change-management-policy.md", "POL-CHANGE", "Change management policy", "policy", "Change manager", &["8.5.1.1"], body!("change-management-policy")),
    entry("processes/change-management.md", "PRC-CHANGE", "Change management", "process", "Change manager", &["8.5.1.2", "8.5.1.3"], body!("change-management")),
    entry("processes/service-design-and-transition.md", "PRC-TRANSITION", "Service design and transition", "process", "Change manager", &["8.5.2.1", "8.5.2.2", "8.5.2.3"], body!("service-design-and-transition")),
    entry("processes/release-and-deployment.md", "PRC-RELEASE", "Release and deployment management", "process", "Release manager", &["8.5.3"], body!("release-and-deployment")),
    entry("processes/incident-management.md", "PRC-INCIDENT", "Incident management", "process", "Service desk manager", &["8.6.1"], body!("incident-management")),
    entry("processes/service-request-management.md", "PRC-REQUEST", "Service request management", "process", "Service desk manager", &["8.6.2"], body!("service-request-management")),
    entry("processes/problem-management.md", "PRC-PROBLEM", "Problem management", "process", "Problem manager", &["8.6.3"], body!("problem-management")),
    entry("processes/availability-management.md", "PRC-AVAILABILITY", "Service availability management", "process", "Service level manager", &["8.7.1"], body!("availability-management")),
    entry("processes/service-continuity-management.md", "PRC-CONTINUITY", "Service continuity management", "process", "Continuity manager", &["8.7.2"], body!("service-continuity-management")),
    with_fields(entry("continuity/example-continuity-plan.md", "BCP-EXAMPLE", "Example service continuity plan", "continuity-plan", "Continuity manager", &["8.7.2"], body!("example-continuity-plan")), "covers: [SVC-EXAMPLE]\nrto: 4h\nrpo: 1h\n"),
    entry("policies/information-security-policy.md", "POL-INFOSEC", "Information security policy", "policy", "Top management", &["8.7.3.1"], body!("information-security-policy")),
    entry("processes/information-security-management.md", "PRC-INFOSEC", "Information security management", "process", "Information security manager", &["8.7.3.2", "8.7.3.3"], body!("information-security-management")),
    entry("processes/monitoring-and-measurement.md", "PRC-MONITORING", "Monitoring, measurement, analysis and evaluation", "process", "SMS manager", &["9.1"], body!("monitoring-and-measurement")),
    entry("plans/internal-audit-programme.md", "PLN-AUDIT", "Internal audit programme", "plan", "SMS manager", &["9.2"], body!("internal-audit-programme")),
    with_fields(entry("audits/first-internal-audit.md", "AUD-001", "First internal audit", "audit", "SMS manager", &["9.2"], body!("first-internal-audit")), "audit_type: internal   # internal, certification, surveillance or recertification\nplanned_on: {today+60}\nauditors: [Internal auditor]   # never the owner of what is audited\nauditees: [SMS manager, Service desk manager]\nscope: [ISO20000-1:4, ISO20000-1:5, ISO20000-1:6, ISO20000-1:7, ISO20000-1:8, ISO20000-1:9, ISO20000-1:10]\n"),
    entry("processes/management-review.md", "PRC-MANAGEMENT-REVIEW", "Management review", "process", "Top management", &["9.3"], body!("management-review")),
    entry("processes/service-reporting.md", "PRC-REPORTING", "Service reporting", "process", "Service level manager", &["9.4"], body!("service-reporting")),
    entry("reports/example-service-report.md", "RPT-EXAMPLE", "Example service report", "report", "Service level manager", &["9.4"], body!("example-service-report")),
    with_fields(entry("reviews/first-management-review.yaml", "MR-001", "First management review", "management-review", "Top management", &["9.3"], body!("first-management-review")), "held_on: {today+90}   # the day the review is held\nattendees: [Top management, SMS manager]\ninputs:   # every topic clause 9.3 asks a review to consider\n  - {input: previous-actions, note: \"None yet: this is the first review\"}\n  - {input: issues, note: \"Changes in external and internal issues\"}\n  - {input: performance, documents: [AUD-001, NC-001]}\n  - {input: service-performance, documents: [RPT-EXAMPLE]}\n  - {input: customer-feedback, documents: [CUS-EXAMPLE]}\n  - {input: risks, documents: [REC-RISKS]}\n  - {input: resources, note: \"People, money and tools for the SMS\"}\n  - {input: improvements, documents: [NC-001]}\ndecisions:\n  - {action: Decide the resources for the certification audit, owner: Top management, due_by: {today+120}}\n"),
    entry("processes/nonconformity-and-improvement.md", "PRC-IMPROVEMENT", "Nonconformity, corrective action and continual improvement", "process", "SMS manager", &["10.1", "10.2"], body!("nonconformity-and-improvement")),
    with_fields(entry("nonconformities/gap-analysis.yaml", "NC-001", "Gap analysis, documented information to write and approve", "nonconformity", "SMS manager", &["10.1"], body!("gap-analysis-improvements")), "grade: improvement   # major, minor, observation or improvement\nraised_on: {today}\nsource: Gap analysis with smsite check\nstate: open   # closed once its actions are done and found effective\nactions:\n  - {action: Write and approve the SMS documents the gap analysis lists, owner: SMS manager, due_by: {today+90}}\n"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scaffold::guidance;

    #[test]
    fn ids_and_paths_are_unique_and_every_body_holds_guidance() {
        let mut ids = std::collections::BTreeSet::new();
        let mut paths = std::collections::BTreeSet::new();
        for e in ENTRIES {
            assert!(ids.insert(e.id), "{} twice", e.id);
            assert!(paths.insert(e.path), "{} twice", e.path);
            assert!(
                !guidance::find(e.body).is_empty(),
                "{} has no guidance",
                e.id
            );
            assert!(!e.satisfies.is_empty(), "{} satisfies nothing", e.id);
        }
    }

    #[test]
    fn every_template_file_is_used() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/scaffold/templates");
        for f in std::fs::read_dir(dir).expect("templates").flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            let Some(stem) = name.strip_suffix(".md") else {
                continue;
            };
            if stem == "README" {
                continue;
            }
            let text = std::fs::read_to_string(f.path()).expect("template");
            assert!(
                ENTRIES.iter().any(|e| e.body == text),
                "template {name} is not used by any entry"
            );
        }
    }
}
