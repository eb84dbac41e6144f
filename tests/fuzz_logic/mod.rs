//! What each fuzz target checks, shared by the fuzz targets (`fuzz/`,
//! which include this file) and `tests/fuzz_regressions.rs` (which replays
//! every input kept in `tests/fixtures/fuzz/<target>/`).
#![allow(dead_code)]

use std::borrow::Cow;
use std::collections::BTreeSet;

use smsite::diag::Pos;
use smsite::yaml::YamlIndex;
use smsite::{catalogue, config, config::Config, load, markdown, model, resolve, yaml};

/// Front-matter splitting and parsing (`load::parse_file`) and typing the
/// result (`model::build`); the first byte picks `.md` or `.yaml`.
pub fn front_matter(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if let Ok(split) = load::split_front_matter(text) {
        // The body's line number is the file line it starts on.
        let body_start = text.len() - split.body.len();
        if text[..body_start].ends_with('\n') {
            assert_eq!(
                split.body_line,
                text[..body_start].matches('\n').count() + 1
            );
        }
    }
    let rel = if which & 1 == 0 {
        "docs/a.md"
    } else {
        "docs/a.yaml"
    };
    let cfg = Config::default();
    let profile = cfg.profile();
    if let Ok(parsed) = load::parse_file(rel, text) {
        let doc = model::build(parsed, &profile);
        for p in &doc.problems {
            assert!(p.pos.line >= 1 && p.pos.column >= 1);
        }
        let _ = smsite::address::doc(&doc.id);
    }
}

struct Links;
impl markdown::Links for Links {
    fn wiki(&self, target: &str) -> Result<(Cow<'_, str>, Cow<'_, str>), String> {
        if target.len().is_multiple_of(2) {
            Ok((
                format!("../doc/{target}.html").into(),
                format!("<{target}>").into(),
            ))
        } else {
            Err(format!("no document has id `{target}`"))
        }
    }
    fn link(&self, dest: &str) -> Result<Cow<'_, str>, String> {
        if dest.len().is_multiple_of(3) {
            Err("no such file".into())
        } else {
            Ok(format!("../doc/{dest}").into())
        }
    }
}

/// The Markdown and reference pipeline: `markdown::scan`, `markdown::to_html`,
/// `markdown::compile` (whose filled holes must give `to_html`'s HTML)
/// and a document built (`model::build`) and resolved around the body.
pub fn markdown(data: &[u8]) {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let scan = markdown::scan(body);
    // Anchors on one page are unique.
    let slugs: BTreeSet<&str> = scan.headings.iter().map(|h| h.slug.as_str()).collect();
    assert_eq!(
        slugs.len(),
        scan.headings.len(),
        "duplicate heading anchors"
    );
    let html = markdown::to_html(body, &Links);
    assert!(html.len() <= 64 * body.len() + 4096, "HTML blew up");
    // The body read once at load, its holes filled: the same HTML.
    let (scan_once, compiled) = markdown::compile(body);
    assert_eq!(compiled.fill(body, &scan_once, &Links), html);
    // With variables: the same, and each unknown placeholder inside the body.
    let vars = std::sync::Arc::new(markdown::Variables::from([
        ("x".to_string(), "<X & *x*>".to_string()),
        ("a_b".to_string(), "{{x}}".to_string()),
    ]));
    let (scan_vars, compiled) = markdown::compile_with(body, Some(&vars));
    assert_eq!(
        compiled.fill(body, &scan_vars, &Links),
        markdown::to_html_with(body, &Links, Some(&vars))
    );
    for v in &scan_vars.unknown_vars {
        assert!(v.offset + v.len <= body.len(), "{v:?}");
        assert!(body.is_char_boundary(v.offset), "{v:?}");
    }
    let map = model::BodyMap::new(5, 0, None);
    for off in scan
        .refs
        .iter()
        .map(|r| r.offset)
        .chain(scan.links.iter().map(|l| l.offset))
        .chain(scan.unclosed.iter().copied())
        .chain(scan.cut_by_cell.iter().copied())
    {
        assert!(off <= body.len());
        let p = map.pos(body, off);
        assert!(p.line >= 5 && p.line <= 5 + body.matches('\n').count());
    }
    // The same body as a document, resolved against a second one.
    let cfg = Config::default();
    let profile = cfg.profile();
    let text = format!("---\nid: POL-A\ntitle: A\nkind: policy\n---\n{body}");
    let other = "---\nid: POL-B\ntitle: B\nkind: policy\n---\n# Heading\n";
    let docs: Vec<model::Document> = [("a.md", text.as_str()), ("b.md", other)]
        .iter()
        .filter_map(|(rel, t)| load::parse_file(rel, t).ok())
        .map(|p| model::build(p, &profile))
        .collect();
    let files: BTreeSet<String> = ["a.md".to_string(), "b.md".to_string()].into();
    let cats = catalogue::Catalogues::default();
    let _ = resolve::resolve(&docs, &cats, &cfg, &files);
}

/// YAML: `sms.yaml` (`config::parse`), catalogue files (`catalogue::load`),
/// records (`yaml::parse_yaml`) and source positions (`yaml::pos`).
pub fn yaml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.lines().count().max(1);
    let within = |p: Pos| p.line >= 1 && p.line <= lines + 1;
    let (cfg, findings) = config::parse(text);
    for f in &findings {
        assert!(f.line >= 1 && f.line <= lines + 1, "{f:?}");
    }
    let _ = cfg.profile();
    let refs = vec![config::CatalogueRef {
        name: "requirements/x.yaml".into(),
        pos: Pos::START,
    }];
    let (cats, _) = catalogue::load(&refs, &|_| Ok(text.to_string()));
    for q in 0..cats.reqs.len() {
        let _ = cats.leaves(q);
    }
    let _ = yaml::parse_yaml(text);
    // Whatever the fast reader of flat YAML takes, yaml_serde reads the same.
    if let Some(fast) = smsite::yaml::flat::parse(text) {
        let slow: Result<yaml_serde::Mapping, _> = yaml_serde::from_str(text);
        assert!(slow.is_ok(), "{text:?}: read, but yaml_serde says {slow:?}");
        let slow = slow.unwrap_or_default();
        assert_eq!(fast, slow, "{text:?}");
        assert!(fast.keys().eq(slow.keys()), "{text:?}");
    }
    let ix = YamlIndex::new(text, 1);
    for key in text
        .lines()
        .filter_map(|l| {
            l.split_once(':')
                .map(|(k, _)| k.trim_start_matches(['-', ' ']))
        })
        .take(20)
    {
        for p in [
            ix.key(key),
            ix.item(key, 0, Some("x")),
            ix.item(key, 1, None),
            ix.value_in(key, "x"),
            ix.sub_key(key, "a"),
            ix.duplicate_key(1, key),
        ]
        .into_iter()
        .flatten()
        {
            assert!(within(p), "{key}: {p:?}");
        }
        let _ = ix.sub_keys(key);
        let _ = ix.raw_scalar(key);
        let _ = ix.block_scalar(key);
        // Items in block or flow style, and the lists nested in them.
        let mut items = ix.items(key);
        for _ in 0..3 {
            let mut next = Vec::new();
            for it in items.iter().take(20) {
                for p in [Some(ix.item_start(it)), ix.item_key(it, "id")]
                    .into_iter()
                    .flatten()
                {
                    assert!(within(p), "{key}: {p:?}");
                }
                next.extend(ix.sub_items(it, "children"));
            }
            items = next;
        }
    }
    // Every requirement of the catalogue sits inside the text.
    for r in &cats.reqs {
        assert!(within(r.pos), "{}: {:?}", r.key, r.pos);
    }
}
