//! Addresses: every path of the site, and how one page writes a link to
//! another. Pages, exports and static files are written at the paths named
//! here, and every link between them is made from these paths and the
//! relative prefix of the page it is written on ([`root`]): the site has no
//! absolute link, so it works under any intranet path and from `file://`.
//!
//! Site paths are `/`-separated and relative to the site's root. A page
//! family asks this module where its pages go; nothing else spells a path.

use crate::model::Document;

/// The home page.
pub const HOME: &str = "index.html";
/// The findings of the build.
pub const FINDINGS: &str = "findings.html";
/// The page a server shows for a missing path.
pub const NOT_FOUND: &str = "404.html";
/// The one page every link to a restricted document points at (see `audience`).
pub const RESTRICTED: &str = "restricted.html";
/// Every approved document in one printable page.
pub const EVIDENCE_PACK: &str = "evidence-pack.html";
/// The search index (a script: search works from `file://`).
pub const SEARCH_INDEX: &str = "search-index.js";
/// The whole resolved model, for other tools.
pub const MODEL: &str = "model.json";
/// Readiness for certification.
pub const READINESS: &str = "readiness.html";
/// Implementation progress per clause (and its CSV and JSON beside it).
pub const PROGRESS: &str = "progress.html";
/// The document register.
pub const REGISTER: &str = "register.html";
/// The statement of applicability.
pub const SOA: &str = "soa.html";
/// Requirements × evidence.
pub const MATRIX_REQUIREMENTS: &str = "matrix/requirements.html";
/// Services × SLAs × continuity plans × suppliers.
pub const MATRIX_SERVICES: &str = "matrix/services.html";
/// Documents due for review.
pub const MATRIX_REVIEWS: &str = "matrix/reviews.html";
/// The customers of the services (8.3.2).
pub const CUSTOMERS: &str = "customers.html";
/// The complaints register (8.3.2).
pub const COMPLAINTS: &str = "complaints.html";
/// What changed since a revision (`build --since`, or the last audit's baseline).
pub const CHANGES: &str = "changes.html";
/// The audit programme: requirements × audits, when each was last audited.
pub const AUDIT_PROGRAMME: &str = "audit-programme.html";
/// The nonconformity register.
pub const NONCONFORMITIES: &str = "nonconformities.html";
/// Every SLA target against the last 12 months of measurements.
pub const SERVICE_REPORTING: &str = "service-reporting.html";
/// The folder of the monthly service reports.
pub const MONTHLY_REPORTS: &str = "report/";
/// The folder of the theme's static files.
pub const STATIC: &str = "static/";

/// A document's page: `doc/ID.html`.
pub fn doc(id: &str) -> String {
    format!("doc/{id}.html")
}

/// Where a link to `d` leads: its page, or the restricted notice for a
/// document above the build's audience, or the findings for a document
/// that has no page (its id is not valid, so it names no file: the
/// findings say why).
pub fn page(d: &Document) -> String {
    if crate::audience::is_restricted(d) {
        RESTRICTED.to_string()
    } else if !crate::model::valid_id(&d.id) {
        FINDINGS.to_string()
    } else {
        doc(&d.id)
    }
}

/// A requirement's page, from its key `CATALOGUE:ID`: `req/CATALOGUE/ID.html`.
/// (The search script, `site.js`, makes the same address from the key.)
pub fn req(key: &str) -> String {
    format!("req/{}.html", key.replacen(':', "/", 1))
}

/// A kind's index: `kind/KIND.html`.
pub fn kind(kind: &str) -> String {
    format!("kind/{kind}.html")
}

/// An audit's checklist as `ext` (`csv`, `json`): `audit/ID.csv`.
pub fn checklist(id: &str, ext: &str) -> String {
    format!("audit/{id}.{ext}")
}

/// The monthly service report of `month`: `report/YYYY-MM.html`.
pub fn monthly_report(month: crate::measure::Month) -> String {
    format!("{MONTHLY_REPORTS}{month}.html")
}

/// Whether `path` is a page the site generates that a document may link
/// to (a relative link written as if the page were a file of the
/// repository: `../report/2026-10.html`): the service reporting page, or
/// a monthly service report of a month written `YYYY-MM` (whether that
/// month has measurements is checked once they are: `measured`).
pub fn generated(path: &str) -> bool {
    path == SERVICE_REPORTING || report_month(path).is_some()
}

/// The month of a monthly service report's address.
pub fn report_month(path: &str) -> Option<crate::measure::Month> {
    let m = path.strip_prefix(MONTHLY_REPORTS)?.strip_suffix(".html")?;
    (m.len() == 7)
        .then(|| crate::measure::Month::parse(m).ok())
        .flatten()
}

/// A static file of the theme: `static/NAME`.
pub fn static_file(name: &str) -> String {
    format!("{STATIC}{name}")
}

/// The export beside page `page` in format `ext` (`csv`, `json`):
/// `matrix/services.html` → `matrix/services.csv`.
pub fn beside(page: &str, ext: &str) -> String {
    format!("{}.{ext}", page.strip_suffix(".html").unwrap_or(page))
}

/// A file copied from `assets/` (its repository path), as a site path in
/// a link: each segment percent-encoded but for letters, digits, `.`, `-`
/// and `_`.
pub fn asset(rel: &str) -> String {
    rel.split('/')
        .map(|s| {
            percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC)
                .to_string()
                .replace("%2E", ".")
                .replace("%2D", "-")
                .replace("%5F", "_")
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The relative prefix from the page at `path` back to the site's root:
/// `../` per folder (`""` at the root).
pub fn root(path: &str) -> String {
    up(path.matches('/').count())
}

/// The relative prefix from a page `depth` folders deep to the site's root.
pub fn up(depth: usize) -> String {
    "../".repeat(depth)
}

/// `to` (a site path) as a link written on a document page (in `doc/`).
pub fn from_doc(to: &str) -> String {
    format!("../{to}")
}

/// Whether `path` is one of the pages and exports every document feeds
/// (home, register, matrices, kind indexes, exports, search, pack, model)
/// rather than a page of its own (a document's, a requirement's, the
/// findings, 404, the restricted notice, a static file). `serve` publishes
/// the latter first.
pub fn is_aggregate(path: &str) -> bool {
    !(path.starts_with("doc/")
        || path.starts_with("req/")
        || path.starts_with(STATIC)
        || matches!(path, FINDINGS | NOT_FOUND)
        || path == RESTRICTED)
}
