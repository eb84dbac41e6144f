//! The auditors' site without a browser: every link of every page resolves
//! (files and `#anchors`), `manifest.json` and `smsite verify` (intact,
//! changed, added, removed, missing or invalid manifest), audiences (no page,
//! no dangling link, no search entry for restricted documents; the matrices
//! still count them), the search index, the pictures and the evidence pack.

mod common;

use std::collections::HashSet;
use std::fs;
use std::path::Path;
use std::process::Output;

use common::crawl::{attrs, dangling};
use common::{copy_dir, root, smsite};

const DATE: &str = "2026-12-01";

/// Builds `sample-sms` into `out` with extra `args`.
fn build(out: &Path, args: &[&str]) {
    let sample = root().join("sample-sms");
    let mut all = vec![
        "build",
        sample.to_str().expect("utf-8 path"),
        "--out",
        out.to_str().expect("utf-8 path"),
        "--date",
        DATE,
        "--quiet",
    ];
    all.extend_from_slice(args);
    let o = smsite(&all);
    assert!(
        o.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Every dangling link of the site (see `common::crawl`), after checking
/// that it is the whole sample's site.
fn crawl(site: &Path) -> Vec<String> {
    let pages = walkdir::WalkDir::new(site)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();
    assert!(pages > 100, "only {pages} pages");
    dangling(site)
}

fn verify(site: &Path) -> Output {
    smsite(&["verify", site.to_str().expect("utf-8 path")])
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn every_link_and_anchor_resolves() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    build(&site, &[]);
    let problems = crawl(&site);
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
}

#[test]
fn verify_intact_changed_added_removed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    build(&site, &[]);
    let m: serde_json::Value =
        serde_json::from_slice(&fs::read(site.join("manifest.json")).expect("manifest written"))
            .expect("manifest is JSON");
    assert_eq!(m["generator"], "smsite");
    assert_eq!(m["date"], DATE);
    assert!(
        m["files"]["index.html"]
            .as_str()
            .is_some_and(|h| h.len() == 64)
    );
    assert!(m["files"]["assets/northwind-logo.svg"].is_string());
    assert!(m["files"].get("manifest.json").is_none());
    // The footer shows the revision and date.
    let index = fs::read_to_string(site.join("index.html")).expect("index");
    assert!(
        index.contains("class=\"revision\""),
        "no revision in footer"
    );
    assert!(index.contains(DATE));

    // An intact copy.
    let copy = tmp.path().join("copy");
    copy_dir(&site, &copy);
    let o = verify(&copy);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("intact"), "{}", text(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).lines().count(),
        1,
        "one-line summary"
    );

    // A changed file.
    let changed = tmp.path().join("changed");
    copy_dir(&site, &changed);
    let p = changed.join("doc/SVC-EMAIL.html");
    let mut page = fs::read_to_string(&p).expect("page");
    page = page.replace("E-mail", "E-mail (edited)");
    fs::write(&p, page).expect("write");
    let o = verify(&changed);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("changed: doc/SVC-EMAIL.html"),
        "{}",
        text(&o)
    );

    // An added file.
    let added = tmp.path().join("added");
    copy_dir(&site, &added);
    fs::write(added.join("doc/EXTRA.html"), "<p>not approved</p>").expect("write");
    let o = verify(&added);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("added: doc/EXTRA.html"), "{}", text(&o));

    // A removed file.
    let removed = tmp.path().join("removed");
    copy_dir(&site, &removed);
    fs::remove_file(removed.join("register.csv")).expect("remove");
    let o = verify(&removed);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("removed: register.csv"), "{}", text(&o));

    // No manifest, an invalid one, no site.
    fs::remove_file(copy.join("manifest.json")).expect("remove");
    let o = verify(&copy);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("manifest"), "{}", text(&o));
    fs::write(copy.join("manifest.json"), "{not json").expect("write");
    let o = verify(&copy);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("not a valid smsite manifest"),
        "{}",
        text(&o)
    );
    let o = verify(&tmp.path().join("nowhere"));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn public_audience_leaves_out_restricted_documents() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let full = tmp.path().join("full");
    let public = tmp.path().join("public");
    let internal = tmp.path().join("internal");
    build(&full, &[]);
    build(&public, &["--audience", "public"]);
    build(&internal, &["--audience", "internal"]);
    // Confidential in sample-sms: RSK-RANSOMWARE and the report of audit A5.
    let confidential = ["RSK-RANSOMWARE", "AUD-2026-A5"];
    for id in confidential {
        assert!(
            full.join(format!("doc/{id}.html")).is_file(),
            "{id} in full"
        );
        assert!(!internal.join(format!("doc/{id}.html")).exists(), "{id}");
        assert!(!public.join(format!("doc/{id}.html")).exists(), "{id}");
    }
    for site in [&public, &internal] {
        let problems = crawl(site);
        assert!(
            problems.is_empty(),
            "broken links:\n{}",
            problems.join("\n")
        );
        assert!(site.join("restricted.html").is_file());
        let ix = fs::read_to_string(site.join("search-index.js")).expect("index");
        for id in confidential {
            assert!(!ix.contains(&format!("\"{id}\"")), "{id} in search index");
        }
        // The register still counts them, by id only.
        let reg: serde_json::Value =
            serde_json::from_slice(&fs::read(site.join("register.json")).expect("register"))
                .expect("JSON");
        let full_reg: serde_json::Value =
            serde_json::from_slice(&fs::read(full.join("register.json")).expect("register"))
                .expect("JSON");
        assert_eq!(
            reg.as_array().map(Vec::len),
            full_reg.as_array().map(Vec::len)
        );
        let row = reg
            .as_array()
            .and_then(|a| a.iter().find(|r| r["id"] == "RSK-RANSOMWARE"))
            .expect("restricted row kept");
        assert_eq!(row["title"], "Restricted document");
        assert_eq!(row["owner"], "");
        assert_eq!(row["url"], "restricted.html");
    }
    // The restricted documents' content appears nowhere in the public build.
    let secret_title = {
        let full_reg = fs::read_to_string(full.join("register.json")).expect("register");
        let v: serde_json::Value = serde_json::from_str(&full_reg).expect("JSON");
        v.as_array()
            .and_then(|a| a.iter().find(|r| r["id"] == "RSK-RANSOMWARE"))
            .and_then(|r| r["title"].as_str().map(str::to_string))
            .expect("title")
    };
    for e in walkdir::WalkDir::new(&public) {
        let e = e.expect("walk");
        if e.file_type().is_file() {
            let t = String::from_utf8_lossy(&fs::read(e.path()).expect("read")).to_string();
            assert!(
                !t.contains(&secret_title),
                "{} shows the restricted title {secret_title:?}",
                e.path().display()
            );
        }
    }
    // Coverage figures are the same.
    let cov = |site: &Path| {
        let t = fs::read_to_string(site.join("index.html")).expect("index");
        let i = t.find("requirements covered").expect("summary");
        t[i.saturating_sub(80)..i].to_string()
    };
    assert_eq!(cov(&full), cov(&public));
    // Public only: internal documents are restricted too.
    assert!(!public.join("doc/SVC-EMAIL.html").exists());
    assert!(internal.join("doc/SVC-EMAIL.html").exists());
    let o = smsite(&["build", "--audience", "secret", "sample-sms"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn pictures_pack_and_search_index() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    build(&site, &[]);
    let index = fs::read_to_string(site.join("index.html")).expect("index");
    assert!(index.contains("<svg") && index.contains("Coverage per clause</title>"));
    let services = fs::read_to_string(site.join("matrix/services.html")).expect("services");
    assert!(services.contains("Service dependency graph</title>"));
    assert!(services.contains("href=\"../doc/SVC-EMAIL.html\" class=\"node"));
    assert!(services.contains("marker-end"));
    let reviews = fs::read_to_string(site.join("matrix/reviews.html")).expect("reviews");
    assert!(reviews.contains("Review calendar</title>"));

    let pack = fs::read_to_string(site.join("evidence-pack.html")).expect("pack");
    // Heading ids are unique in the pack.
    let ids = attrs(&pack, "id");
    let unique: HashSet<&&str> = ids.iter().collect();
    assert_eq!(
        ids.len(),
        unique.len(),
        "duplicate ids in the evidence pack"
    );
    // Clause order: a clause 4 document before a clause 8 one.
    let pos = |id: &str| {
        pack.find(&format!("id=\"pack-{id}\""))
            .unwrap_or_else(|| panic!("{id} in pack"))
    };
    assert!(pos("PLN-SCOPE-CONTEXT") < pos("SVC-EMAIL"));

    let js = fs::read_to_string(site.join("search-index.js")).expect("search index");
    assert!(js.starts_with("window.SMSITE_SEARCH="));
    assert!(js.contains("\"SVC-EMAIL\"") && js.contains("\"ISO20000-1:8.3.3\""));
    assert!(js.len() < 200_000, "search index is {} bytes", js.len());
}
