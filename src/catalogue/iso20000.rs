//! The built-in `ISO20000-1` catalogue: clause numbers and short titles of
//! ISO/IEC 20000-1:2018, clauses 4 to 10 (numbers and headings only; no text
//! of the standard). Leaves are the clauses with no sub-clause.

/// (clause, short title), in document order; parents precede their children.
pub const CLAUSES: &[(&str, &str)] = &[
    ("4", "Context of the organization"),
    ("4.1", "Understanding the organization and its context"),
    (
        "4.2",
        "Understanding the needs and expectations of interested parties",
    ),
    (
        "4.3",
        "Determining the scope of the service management system",
    ),
    ("4.4", "Service management system"),
    ("5", "Leadership"),
    ("5.1", "Leadership and commitment"),
    ("5.2", "Policy"),
    ("5.2.1", "Establishing the service management policy"),
    ("5.2.2", "Communicating the service management policy"),
    (
        "5.3",
        "Organizational roles, responsibilities and authorities",
    ),
    ("6", "Planning"),
    ("6.1", "Actions to address risks and opportunities"),
    (
        "6.2",
        "Service management objectives and planning to achieve them",
    ),
    ("6.2.1", "Establish objectives"),
    ("6.2.2", "Plan to achieve objectives"),
    ("6.3", "Plan the service management system"),
    ("7", "Support of the service management system"),
    ("7.1", "Resources"),
    ("7.2", "Competence"),
    ("7.3", "Awareness"),
    ("7.4", "Communication"),
    ("7.5", "Documented information"),
    ("7.5.1", "General"),
    ("7.5.2", "Creating and updating documented information"),
    ("7.5.3", "Control of documented information"),
    ("7.5.4", "Service management system documented information"),
    ("7.6", "Knowledge"),
    ("8", "Operation of the service management system"),
    ("8.1", "Operational planning and control"),
    ("8.2", "Service portfolio"),
    ("8.2.1", "Service delivery"),
    ("8.2.2", "Plan the services"),
    (
        "8.2.3",
        "Control of parties involved in the service lifecycle",
    ),
    ("8.2.4", "Service catalogue management"),
    ("8.2.5", "Asset management"),
    ("8.2.6", "Configuration management"),
    ("8.3", "Relationship and agreement"),
    ("8.3.1", "General"),
    ("8.3.2", "Business relationship management"),
    ("8.3.3", "Service level management"),
    ("8.3.4", "Supplier management"),
    ("8.3.4.1", "Management of external suppliers"),
    (
        "8.3.4.2",
        "Management of internal suppliers and customers acting as a supplier",
    ),
    ("8.4", "Supply and demand"),
    ("8.4.1", "Budgeting and accounting for services"),
    ("8.4.2", "Demand management"),
    ("8.4.3", "Capacity management"),
    ("8.5", "Service design, build and transition"),
    ("8.5.1", "Change management"),
    ("8.5.1.1", "Change management policy"),
    ("8.5.1.2", "Change management initiation"),
    ("8.5.1.3", "Change management activities"),
    ("8.5.2", "Service design and transition"),
    ("8.5.2.1", "Plan new or changed services"),
    ("8.5.2.2", "Design"),
    ("8.5.2.3", "Build and transition"),
    ("8.5.3", "Release and deployment management"),
    ("8.6", "Resolution and fulfilment"),
    ("8.6.1", "Incident management"),
    ("8.6.2", "Service request management"),
    ("8.6.3", "Problem management"),
    ("8.7", "Service assurance"),
    ("8.7.1", "Service availability management"),
    ("8.7.2", "Service continuity management"),
    ("8.7.3", "Information security management"),
    ("8.7.3.1", "Information security policy"),
    ("8.7.3.2", "Information security controls"),
    ("8.7.3.3", "Information security incidents"),
    ("9", "Performance evaluation"),
    ("9.1", "Monitoring, measurement, analysis and evaluation"),
    ("9.2", "Internal audit"),
    ("9.3", "Management review"),
    ("9.4", "Service reporting"),
    ("10", "Improvement"),
    ("10.1", "Nonconformity and corrective action"),
    ("10.2", "Continual improvement"),
];

/// The parent clause number of `n` (`8.3.4.1` → `8.3.4`), `None` for a top clause.
pub fn parent(n: &str) -> Option<&str> {
    n.rfind('.').map(|i| &n[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifty_seven_leaves() {
        let leaves = CLAUSES
            .iter()
            .filter(|(n, _)| !CLAUSES.iter().any(|(m, _)| parent(m) == Some(n)))
            .count();
        assert_eq!(leaves, 57);
    }
}
