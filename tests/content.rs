//! Content written for other tools, built as written: a policy template
//! pack converted from mkdocs (`tests/fixtures/operation/policy-pack/`:
//! placeholders, admonitions, a vendor's catalogues with repeated entries
//! and parenthesised ids) checks with exactly the findings its defects
//! deserve, each at its own line and column; and no built site holds a
//! relative link or picture that leads nowhere, whatever the severities
//! (`tests/fixtures/operation/broken-links/`: every kind of broken link).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{copy_fixture, crawl, fixture, read, repo, smsite};

const DATE: &str = "2026-12-01";

/// Every built-in rule but `parse-error` (which is always an error).
const RULES: &[&str] = &[
    "duplicate-id",
    "broken-reference",
    "invalid-field",
    "requirement-uncovered",
    "service-without-sla",
    "critical-service-without-continuity-plan",
    "continuity-plan-untested",
    "review-overdue",
    "contract-expired",
    "retired-reference",
    "unknown-field",
    "exclusion-not-permitted",
    "action-overdue",
    "duplicate-requirement",
];

/// The severity settings a site is built under: every rule a warning;
/// every rule off; `broken-reference` off and the rest warnings; each of
/// these for the three audiences.
fn settings() -> Vec<(String, String)> {
    let all = |sev: &str| {
        RULES
            .iter()
            .map(|r| format!("  {r}: {sev}\n"))
            .collect::<String>()
    };
    let broken_off = all("warning").replace("broken-reference: warning", "broken-reference: off");
    let mut out = Vec::new();
    for audience in ["confidential", "internal", "public"] {
        for rules in [all("warning"), all("off"), broken_off.clone()] {
            out.push((rules, audience.to_string()));
        }
    }
    out
}

/// A copy of fixture `rel` whose `sms.yaml` has `rules` (a `rules:` block's
/// lines) and `audience`, in place of its own `rules:` (its last key).
fn with_settings(rel: &str, rules: &str, audience: &str) -> tempfile::TempDir {
    let tmp = copy_fixture(&fixture(rel));
    let sms = tmp.path().join("sms.yaml");
    let text = std::fs::read_to_string(&sms).expect("sms.yaml");
    let kept = text.split("\nrules:").next().unwrap_or(&text);
    std::fs::write(
        &sms,
        format!("{kept}\naudience: {audience}\nrules:\n{rules}"),
    )
    .expect("write sms.yaml");
    tmp
}

/// Builds `dir` into a fresh folder; the build must publish.
fn build(dir: &Path) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().expect("a temporary folder");
    let site = out.path().join("site");
    let o = smsite(&[
        "build",
        dir.to_str().expect("utf-8"),
        "--out",
        site.to_str().expect("utf-8"),
        "--date",
        DATE,
        "--quiet",
    ]);
    assert!(
        o.status.success(),
        "build of {} failed: {}",
        dir.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    (out, site)
}

/// `(rule, severity, file, line, column)` of every finding of `dir`.
fn findings(dir: &Path) -> BTreeSet<(String, String, String, usize, usize)> {
    let o = smsite(&[
        "check",
        dir.to_str().expect("utf-8"),
        "--date",
        DATE,
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON findings");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["severity"].as_str().unwrap_or_default().to_string(),
                f["file"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default() as usize,
                f["column"].as_u64().unwrap_or_default() as usize,
            )
        })
        .collect()
}

#[test]
fn the_policy_pack_as_written_has_exactly_the_findings_of_its_defects() {
    let dir = fixture("operation/policy-pack");
    let want: BTreeSet<_> = {
        let v: serde_json::Value =
            serde_json::from_str(&read(&dir.join("expected.json"))).expect("expected.json");
        v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap_or_default().to_string(),
                    f["severity"].as_str().unwrap_or_default().to_string(),
                    f["file"].as_str().unwrap_or_default().to_string(),
                    f["line"].as_u64().unwrap_or_default() as usize,
                    f["column"].as_u64().unwrap_or_default() as usize,
                )
            })
            .collect()
    };
    let got = findings(&dir);
    assert_eq!(
        got,
        want,
        "missing: {:?}\nunexpected: {:?}",
        want.difference(&got).collect::<Vec<_>>(),
        got.difference(&want).collect::<Vec<_>>()
    );
}

#[test]
fn the_policy_pack_renders_as_its_authors_meant() {
    let tmp = with_settings(
        "operation/policy-pack",
        "  broken-reference: warning\n  requirement-uncovered: warning\n  duplicate-requirement: warning\n",
        "confidential",
    );
    let (_out, site) = build(tmp.path());
    let isms = read(&site.join("doc/POL-ISMS.html"));
    // Placeholders: replaced in text (escaped), kept in code.
    assert!(
        isms.contains("<p>Harbourside Health Clinics Ltd protects the confidentiality"),
        "{isms}"
    );
    assert!(
        isms.contains("Questions go to security@harbourside.example."),
        "{isms}"
    );
    assert!(isms.contains("<code>{{organisation}}</code>"), "{isms}");
    assert!(!isms.contains("{{security_officer}}"), "{isms}");
    // mkdocs admonitions: a styled note, its type a word, its body Markdown.
    assert!(
        isms.contains("<div class=\"admonition abstract\" role=\"note\">\n<p class=\"admonition-title\"><span class=\"admonition-type\">Tldr<span class=\"visually-hidden\">:</span></span> Summary</p>"),
        "{isms}"
    );
    assert!(!isms.contains("!!!"), "{isms}");
    let ir = read(&site.join("doc/POL-IR.html"));
    assert!(
        ir.contains("<details class=\"admonition note\">\n<summary class=\"admonition-title\">"),
        "{ir}"
    );
    assert!(
        ir.contains("<details class=\"admonition info\" open>"),
        "{ir}"
    );
    assert!(
        ir.contains("<a href=\"../doc/PRC-BREACH.html\">breach notification procedure</a>"),
        "a link inside a collapsed note: {ir}"
    );
    // A GitHub alert, and a reference inside a note with a placeholder in its title.
    let access = read(&site.join("doc/POL-ACCESS.html"));
    assert!(
        access.contains("<div class=\"admonition important\" role=\"note\">"),
        "{access}"
    );
    assert!(
        access.contains("Account lifecycle at Harbourside Health Clinics Ltd</p>"),
        "{access}"
    );
    assert!(
        access.contains("<a class=\"ref\" href=\"../req/NIST/AC-2(1).html\" data-id=\"NIST:AC-2(1)\">automated account management</a>"),
        "{access}"
    );
    // Parenthesised ids: their pages, in the matrix, the exports and the search index.
    for page in [
        "req/NIST/AC-2(1).html",
        "req/HIPAA/164.308(a)(1)(ii)(A).html",
        "req/HIPAA/164.312(a)(1).html",
    ] {
        assert!(site.join(page).is_file(), "{page}");
    }
    let csv = read(&site.join("matrix/requirements.csv"));
    assert!(
        csv.contains("NIST,NIST:AC-2(1),Automated System Account Management,true,documents"),
        "{csv}"
    );
    assert!(read(&site.join("search-index.js")).contains("\"HIPAA:164.308(a)(7)(i)\""));
    // The repeated vendor entries: one page each, the first declaration in force.
    let ac2 = read(&site.join("req/NIST/AC-2.html"));
    assert_eq!(ac2.matches("req/NIST/AC-2(1).html").count(), 1, "{ac2}");
    let problems = crawl::dangling(&site);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_site_holds_a_link_that_leads_nowhere_whatever_the_severities() {
    for rel in ["operation/broken-links", "operation/policy-pack"] {
        for (rules, audience) in settings() {
            let tmp = with_settings(rel, &rules, &audience);
            let (_out, site) = build(tmp.path());
            let problems = crawl::dangling(&site);
            assert!(
                problems.is_empty(),
                "{rel}, audience {audience}, rules\n{rules}:\n{}",
                problems.join("\n")
            );
        }
    }
}

#[test]
fn a_broken_link_leads_to_the_best_page_that_exists_or_is_shown_as_text() {
    let tmp = with_settings(
        "operation/broken-links",
        &RULES
            .iter()
            .map(|r| format!("  {r}: warning\n"))
            .collect::<String>(),
        "confidential",
    );
    let (_out, site) = build(tmp.path());
    let page = read(&site.join("doc/POL-ACCESS.html"));
    // A missing anchor: the document's page, without it.
    assert!(
        page.contains("<a href=\"../doc/POL-HR.html\">whistleblowing</a>"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"../doc/SVC-EMAIL.html\">service levels</a>"),
        "{page}"
    );
    assert!(!page.contains("whistleblower-policy\""), "{page}");
    // Nothing to lead to: the text, marked, with the reason as its title.
    for (text, why) in [
        (
            "there",
            "this document has no heading with anchor `#not-here`",
        ),
        ("the HR policy", "which does not exist in the repository"),
        ("the readme", "exists but is not published"),
        ("root", "is an absolute path"),
        ("outside", "climbs above the repository root"),
        ("titled", "`../nowhere.md` points at"),
        ("by reference", "`../gone.md#x` points at"),
        ("cell", "`../nowhere.md#x` points at"),
    ] {
        // Each marked link: its opening tag and text, up to its `</span>`.
        let at = page
            .match_indices("<span class=\"broken-link\" title=\"")
            .map(|(i, _)| &page[i..i + page[i..].find("</span>").unwrap_or(0)])
            .find(|s| s.ends_with(&format!("\">{text}")) && s.contains(why));
        assert!(at.is_some(), "{text}: {why}\n{page}");
    }
    // A missing picture: its alt text.
    assert!(
        page.contains("<span class=\"broken-link broken-image\" title=\"`../assets/diagram.png` points at `assets/diagram.png`, which does not exist in the repository\">a <em>diagram</em></span>"),
        "{page}"
    );
    // The pictures and links that resolve are untouched.
    assert!(
        page.contains("<img src=\"../assets/logo.svg\" alt=\"logo\" title=\"The logo\" />"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"../doc/SVC-EMAIL.html#purpose\">its purpose</a>"),
        "{page}"
    );
    // Inside a note and an alert, in a record's body, in a markdown field
    // and in the scope: the same.
    assert!(
        page.contains("<a href=\"../doc/POL-HR.html\">missing anchor</a>"),
        "{page}"
    );
    assert!(
        page.contains(
            "title=\"this document has no heading with anchor `#nowhere`\">a missing anchor</span>"
        ),
        "{page}"
    );
    let svc = read(&site.join("doc/SVC-EMAIL.html"));
    assert!(
        svc.contains("<a href=\"../doc/POL-ACCESS.html\">the policy</a>"),
        "{svc}"
    );
    assert!(
        svc.contains("broken-image\" title=\"`../assets/nope.png` points at"),
        "{svc}"
    );
    assert!(page.contains("is not resolved here: links to files of the repository work in documents&#39; bodies\">nothing</span>"), "{page}");
    let home = read(&site.join("index.html"));
    assert!(home.contains(">the e-mail service</span>"), "{home}");
    assert!(
        home.contains("<a href=\"https://example.org/\">the web</a>"),
        "{home}"
    );
    // The evidence pack has them too, rebased.
    let pack = read(&site.join("evidence-pack.html"));
    assert!(
        pack.contains("<a href=\"doc/POL-ACCESS.html\">the policy</a>"),
        "{pack}"
    );
    assert!(
        pack.contains("<span class=\"broken-link\" title=\"`nope.md` points at `policies/nope.md`"),
        "{pack}"
    );
}

#[test]
fn broken_links_are_reported_where_they_are_written() {
    let tmp = with_settings(
        "operation/broken-links",
        "  broken-reference: warning\n  duplicate-id: warning\n  invalid-field: warning\n  requirement-uncovered: off\n  service-without-sla: off\n  duplicate-requirement: warning\n",
        "confidential",
    );
    let got: BTreeSet<(usize, usize)> = findings(tmp.path())
        .into_iter()
        .filter(|f| f.0 == "broken-reference" && f.2 == "policies/policy.md")
        .map(|f| (f.3, f.4))
        .collect();
    let want: BTreeSet<(usize, usize)> = [
        (19, 41),
        (20, 33),
        (21, 34),
        (22, 19),
        (22, 59),
        (23, 33),
        (23, 71),
        (24, 21),
        (25, 25),
        (26, 22),
        (26, 80),
        (27, 24),
        (28, 27),
        (28, 66),
        (28, 83),
        (33, 13),
        (34, 12),
        (37, 7),
        (37, 56),
        (40, 17),
        (42, 20),
    ]
    .into_iter()
    .collect();
    assert_eq!(got, want);
}

#[test]
fn placeholders_are_replaced_only_where_variables_are_declared() {
    let doc = "---\nid: POL-A\ntitle: A\nkind: policy\n---\n\n# {{organisation}} policy\n\n{{organisation}} and {{ organisation }}, not `{{organisation}}` nor \\{{organisation}}; {{organisaton}} and {{x y}}.\n\n```\n{{organisation}}\n```\n";
    // Without `variables:` the text is kept as written, and nothing is reported.
    let plain = repo(&[("sms.yaml", "name: S\n"), ("policies/a.md", doc)]);
    assert!(findings(plain.path()).is_empty());
    let (_out, site) = build(plain.path());
    let html = read(&site.join("doc/POL-A.html"));
    assert!(html.contains("<p>{{organisation}} and {{ organisation }}, not <code>{{organisation}}</code> nor {{organisation}}; {{organisaton}} and {{x y}}.</p>"), "{html}");
    // With them, each is replaced (as text), an unknown name is a broken-reference at its braces.
    let with = repo(&[
        (
            "sms.yaml",
            "name: S\nvariables:\n  organisation: \"Acme <b>&</b> *Co*\"\nrules:\n  broken-reference: warning\n",
        ),
        ("policies/a.md", doc),
    ]);
    let f = findings(with.path());
    assert_eq!(
        f,
        [(
            "broken-reference".to_string(),
            "warning".to_string(),
            "policies/a.md".to_string(),
            9,
            88
        )]
        .into_iter()
        .collect(),
    );
    let (_out, site) = build(with.path());
    let html = read(&site.join("doc/POL-A.html"));
    assert!(html.contains("<h1 id=\"acme-bb-co-policy\">"), "{html}");
    assert!(html.contains("<p>Acme &lt;b&gt;&amp;&lt;/b&gt; *Co* and Acme &lt;b&gt;&amp;&lt;/b&gt; *Co*, not <code>{{organisation}}</code> nor {{organisation}}; {{organisaton}} and {{x y}}.</p>"), "{html}");
    assert!(html.contains("<code>{{organisation}}\n</code>"), "{html}");
}

#[test]
fn the_search_index_has_the_words_placeholders_are_replaced_with() {
    // (A `{{` never closed on an earlier line stops nothing after it.)
    let doc = "---\nid: POL-A\ntitle: A\nkind: policy\n---\n\nBraces {{ alone.\n\n{{organisation}} runs the quayside desk; \\{{literal}} stays.\n";
    let words = |sms: &str| -> Vec<String> {
        let r = repo(&[("sms.yaml", sms), ("policies/a.md", doc)]);
        let (_out, site) = build(r.path());
        let js = read(&site.join("search-index.js"));
        let json = js
            .trim()
            .trim_start_matches("window.SMSITE_SEARCH=")
            .trim_end_matches(';');
        let v: serde_json::Value = serde_json::from_str(json).expect("the index is JSON");
        v["w"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|w| w.as_str().map(str::to_string))
            .collect()
    };
    let with = words("name: S\nvariables:\n  organisation: Zephyrcorp Logistics\n");
    assert!(with.contains(&"zephyrcorp".to_string()), "{with:?}");
    assert!(with.contains(&"quayside".to_string()), "{with:?}");
    assert!(!with.contains(&"organisation".to_string()), "{with:?}");
    assert!(
        with.contains(&"literal".to_string()),
        "an escaped placeholder is text: {with:?}"
    );
    // Without `variables:`, the placeholder is text like any other.
    let without = words("name: S\n");
    assert!(without.contains(&"organisation".to_string()), "{without:?}");
    assert!(!without.contains(&"zephyrcorp".to_string()), "{without:?}");
}

#[test]
fn variables_in_sms_yaml_are_checked() {
    let r = repo(&[
        (
            "sms.yaml",
            "name: S\nvariables:\n  organisation: Acme\n  \"bad name\": x\n  list: [a, b]\n",
        ),
        (
            "policies/a.md",
            "---\nid: POL-A\ntitle: A\nkind: policy\n---\n\n{{organisation}}\n",
        ),
    ]);
    let got: Vec<_> = findings(r.path()).into_iter().map(|f| (f.0, f.3)).collect();
    assert_eq!(
        got,
        [
            ("parse-error".to_string(), 4),
            ("parse-error".to_string(), 5)
        ]
    );
    let r = repo(&[("sms.yaml", "name: S\nvariables: [a]\n")]);
    let got: Vec<_> = findings(r.path()).into_iter().map(|f| (f.0, f.3)).collect();
    assert_eq!(got, [("parse-error".to_string(), 2)]);
}

#[test]
fn parenthesised_ids_work_wherever_a_requirement_is_named() {
    let r = repo(&[
        (
            "sms.yaml",
            "name: S\nrequirements: [requirements/nist.yaml]\napplicability:\n  - {req: \"NIST:AC-2(2)\", status: not-applicable, justification: \"No temporary accounts.\"}\n  - req: NIST:AU-6(1)\n    status: other-party\n    party: Group SOC\n",
        ),
        (
            "requirements/nist.yaml",
            "catalogue: NIST\ntitle: NIST\nrequirements:\n  - id: AC-2\n    title: Account Management\n    children: [{id: AC-2(1), title: Automated}, {id: AC-2(2), title: Temporary}]\n  - {id: AU-6(1), title: Automated Process Integration}\n",
        ),
        (
            "policies/a.md",
            "---\nid: POL-A\ntitle: A\nkind: policy\nstatus: approved\nowner: O\napproved_by: B\napproved_on: 2026-01-01\nsatisfies:\n  - NIST:AC-2(1)\n  - {req: \"NIST:AC-2(1)\", note: twice}\n---\n\n| control | text |\n|---|---|\n| [[NIST:AC-2(1)\\|the control]] | [[NIST:AU-6(1)]] |\n\nAnd [[NIST:AC-2(3)]].\n",
        ),
    ]);
    let got: Vec<_> = findings(r.path())
        .into_iter()
        .map(|f| (f.0, f.2, f.3, f.4))
        .collect();
    // Only the requirement that does not exist, with the nearest suggested.
    assert_eq!(
        got,
        [(
            "broken-reference".to_string(),
            "policies/a.md".to_string(),
            18,
            5
        )]
    );
    let o = smsite(&["check", r.path().to_str().expect("utf-8"), "--date", DATE]);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("did you mean `NIST:AC-2(1)`?"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::write(
        r.path().join("policies/a.md"),
        read(&r.path().join("policies/a.md")).replace("And [[NIST:AC-2(3)]].", ""),
    )
    .expect("write");
    let (_out, site) = build(r.path());
    let page = read(&site.join("doc/POL-A.html"));
    assert!(page.contains("<a class=\"ref\" href=\"../req/NIST/AC-2(1).html\" data-id=\"NIST:AC-2(1)\">the control</a>"), "{page}");
    let soa = read(&site.join("soa.csv"));
    assert!(
        soa.contains("NIST:AC-2(2),Temporary,true,not-applicable,No temporary accounts."),
        "{soa}"
    );
    assert!(
        soa.contains("NIST:AU-6(1),Automated Process Integration,true,other-party"),
        "{soa}"
    );
    let req = read(&site.join("req/NIST/AC-2(1).html"));
    assert!(req.contains("href=\"../../doc/POL-A.html\""), "{req}");
    let problems = crawl::dangling(&site);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
