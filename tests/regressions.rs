//! Regression tests: each bug found and fixed keeps a test here.

mod common;

use common::*;

fn findings(dir: &std::path::Path) -> Vec<(String, String, usize)> {
    check(dir, "2026-12-01")
        .findings
        .iter()
        .map(|f| (f.rule.clone(), f.file.clone(), f.line))
        .collect()
}

#[test]
fn kind_names_cannot_escape_the_output_folder() {
    let r = repo(&[
        (
            "sms.yaml",
            "name: X\nkinds:\n  ../../escape-kind:\n    fields: {}\n",
        ),
        (
            "a.md",
            "---\nid: A\ntitle: A\nkind: ../../escape-kind\n---\nbody\n",
        ),
    ]);
    let f = findings(r.path());
    assert!(
        f.iter()
            .any(|(rule, file, line)| rule == "parse-error" && file == "sms.yaml" && *line == 3),
        "{f:?}"
    );
    let out = r.path().join("out/site");
    let o = smsite(&[
        "build",
        r.path().to_str().unwrap_or_default(),
        "--out",
        out.to_str().unwrap_or_default(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        !r.path().join("escape-kind.html").exists()
            && !r.path().join("out/escape-kind.html").exists()
    );
}

#[test]
fn check_does_not_read_the_default_output_folder() {
    let r = repo(&[
        ("sms.yaml", "name: X\n"),
        ("policies/a.md", &policy("A", "", "Body.")),
    ]);
    std::fs::create_dir_all(r.path().join("public/assets")).expect("mkdir");
    std::fs::write(r.path().join("public/assets/stray.md"), "no front matter").expect("write");
    let o = smsite(&[
        "check",
        r.path().to_str().unwrap_or_default(),
        "--format",
        "json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn an_empty_approval_date_is_an_invalid_field() {
    let r = repo(&[
        ("sms.yaml", "name: X\n"),
        (
            "a.md",
            "---\nid: A\ntitle: A\nkind: policy\nowner: O\nstatus: approved\napproved_by: B\napproved_on:\n---\n",
        ),
    ]);
    assert_eq!(
        findings(r.path()),
        [("invalid-field".to_string(), "a.md".to_string(), 8)]
    );
}

#[test]
fn a_reference_closed_on_the_next_line_is_broken() {
    let r = repo(&[
        ("sms.yaml", "name: X\n"),
        ("a.md", &policy("A", "", "See [[A\n]] here.")),
        ("b.md", &policy("B", "", "Fine [[A]].")),
    ]);
    assert_eq!(
        findings(r.path()),
        [("broken-reference".to_string(), "a.md".to_string(), 11)]
    );
}

#[test]
fn a_reference_cut_by_a_table_cell_says_to_escape_the_pipe() {
    // `| [[A|text]] |`: the pipe ends the cell, so `[[A` looked unclosed and
    // the finding told the author to close it or escape the brackets.
    let r = repo(&[
        ("sms.yaml", "name: X\n"),
        (
            "a.md",
            &policy(
                "A",
                "",
                "| a | b |\n|---|---|\n| [[B|text]] | y |\n| [[B\\|text]] | z |",
            ),
        ),
        (
            "b.md",
            &policy("B", "", "Outside tables [[A|text]] is fine."),
        ),
    ]);
    let c = check(r.path(), "2026-12-01");
    let got: Vec<_> = c
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.file.as_str(), f.line, f.column))
        .collect();
    assert_eq!(got, [("broken-reference", "a.md", 13, 3)]);
    assert!(
        c.findings[0]
            .message
            .contains("escape the pipe: `[[ID\\|text]]`"),
        "{}",
        c.findings[0].message
    );
}

#[test]
fn retired_contracts_are_exempt_from_contract_expired() {
    let r = repo(&[
        ("sms.yaml", "name: X\n"),
        (
            "s.yaml",
            "id: SUP-A\ntitle: A\nkind: supplier\nowner: O\nstatus: approved\napproved_by: B\napproved_on: 2026-01-01\ncontracts: [CON-A, CON-B]\n",
        ),
        (
            "c.yaml",
            "id: CON-A\ntitle: A\nkind: contract\nstatus: retired\nsupplier: SUP-A\nexpires_on: 2025-01-01\n",
        ),
        (
            "d.yaml",
            "id: CON-B\ntitle: B\nkind: contract\nstatus: draft\nsupplier: SUP-A\nexpires_on: 2025-01-01\n",
        ),
    ]);
    let f = findings(r.path());
    assert!(
        f.iter()
            .any(|x| x.0 == "contract-expired" && x.1 == "d.yaml"),
        "{f:?}"
    );
    assert!(
        !f.iter()
            .any(|x| x.0 == "contract-expired" && x.1 == "c.yaml"),
        "{f:?}"
    );
}

#[test]
fn user_rules_name_existing_kinds_and_reference_fields() {
    let r = repo(&[
        (
            "sms.yaml",
            "name: X\nrules:\n  mine:\n    every: suplier\n    referenced_by: contract\n    via: supplierz\n",
        ),
        ("a.md", &policy("A", "", "")),
    ]);
    let f = check(r.path(), "2026-12-01").findings;
    let msgs: Vec<&str> = f
        .iter()
        .filter(|x| x.rule == "parse-error" && x.file == "sms.yaml" && x.line == 3)
        .map(|x| x.message.as_str())
        .collect();
    assert!(
        msgs.iter().any(|m| m.contains("did you mean `supplier`")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m.contains("`via: supplierz`")),
        "{msgs:?}"
    );
}

#[test]
fn where_matches_an_item_of_a_list_field() {
    let svc = |id: &str, customers: &str| {
        format!(
            "id: {id}\ntitle: {id}\nkind: service\ncriticality: low\ncustomers: [{customers}]\n"
        )
    };
    let r = repo(&[
        (
            "sms.yaml",
            "name: X\nrules:\n  finance-services-have-sla:\n    every: service\n    where: {customers: Finance}\n    referenced_by: sla\n    via: service\n    severity: warning\n  service-without-sla: off\n",
        ),
        ("a.yaml", &svc("SVC-A", "Finance, Ops")),
        ("b.yaml", &svc("SVC-B", "Ops")),
    ]);
    let f = findings(r.path());
    assert_eq!(
        f,
        [(
            "finance-services-have-sla".to_string(),
            "a.yaml".to_string(),
            1
        )]
    );
}

#[test]
fn explicit_heading_ids_and_percent_encoded_anchors_resolve() {
    let r = repo(&[
        ("sms.yaml", "name: X\n"),
        (
            "a.md",
            &policy("A", "", "## Über uns\n\n## Custom {#my-id}\n"),
        ),
        (
            "b.md",
            &policy(
                "B",
                "",
                "[x](a.md#my-id) [y](a.md#%C3%BCber-uns) [z](a.md#%C3%BCber-unz)",
            ),
        ),
    ]);
    assert_eq!(
        findings(r.path()),
        [("broken-reference".to_string(), "b.md".to_string(), 11)]
    );
}

#[test]
fn exclude_star_does_not_cross_folders() {
    let r = repo(&[
        ("sms.yaml", "name: X\nexclude: [\"no*a.md\"]\n"),
        ("notes/deep/a.md", "no front matter"),
        ("noxa.md", "no front matter"),
    ]);
    let f = findings(r.path());
    assert_eq!(
        f,
        [("parse-error".to_string(), "notes/deep/a.md".to_string(), 1)]
    );
}

#[test]
fn check_reports_template_syntax_errors_like_build() {
    let r = repo(&[
        ("sms.yaml", "name: X\n"),
        ("a.md", &policy("A", "", "Body.")),
        ("templates/404.html", "ok\n{% if %}\n"),
    ]);
    let o = smsite(&[
        "check",
        r.path().to_str().unwrap_or_default(),
        "--format",
        "json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["findings"][0]["file"], "templates/404.html");
    assert_eq!(v["findings"][0]["line"], 2);
    assert_eq!(v["summary"]["errors"], 1);
}

/// `serve` trusts its watcher: after edits of listed files only, a load
/// reuses the last walk and reads only the files reported; anything else
/// (a new file, a removed one) walks again.
#[test]
fn a_trusted_cache_rereads_reported_edits_and_walks_again_for_new_files() {
    use smsite::load::{Cache, LoadOptions, load_cached};
    let repo = copy_fixture(&root().join("sample-sms"));
    let dir = repo.path();
    let opts = LoadOptions { skip: Vec::new() };
    let mut cache = Cache::keeping();
    cache.trust_invalidations();
    let title = |l: &smsite::load::Loaded, id: &str| {
        l.documents
            .iter()
            .find(|d| d.id == id)
            .map(|d| d.title.clone())
    };
    let first = load_cached(dir, &opts, &mut cache).expect("loads");
    let n = first.documents.len();
    cache.give_back(first.documents);

    // A reported edit is read again.
    let policy = dir.join("policies/access-control-policy.md");
    let text = std::fs::read_to_string(&policy).expect("read");
    std::fs::write(
        &policy,
        text.replace("title: Access control policy", "title: Edited"),
    )
    .expect("write");
    cache.invalidate("policies/access-control-policy.md");
    let second = load_cached(dir, &opts, &mut cache).expect("loads");
    assert_eq!(title(&second, "POL-ACCESS").as_deref(), Some("Edited"));
    assert_eq!(cache.parsed, 1);
    cache.give_back(second.documents);

    // A new file, reported, is found (the walk runs again).
    std::fs::write(
        dir.join("policies/new.md"),
        "---\nid: POL-NEW\ntitle: New\nkind: policy\n---\nBody.\n",
    )
    .expect("write");
    cache.invalidate("policies/new.md");
    let third = load_cached(dir, &opts, &mut cache).expect("loads");
    assert_eq!(third.documents.len(), n + 1);
    assert!(third.files.contains("policies/new.md"));
    cache.give_back(third.documents);

    // A removed file, reported, is gone.
    std::fs::remove_file(dir.join("policies/new.md")).expect("remove");
    cache.invalidate("policies/new.md");
    let fourth = load_cached(dir, &opts, &mut cache).expect("loads");
    assert_eq!(fourth.documents.len(), n);
    assert!(title(&fourth, "POL-NEW").is_none());
}
