//! Property-based tests of the entry points the fuzz targets cover
//! (`fuzz/`), so CI keeps checking them: nothing panics on arbitrary input,
//! and positions, line numbers and slugs keep their promises.

use std::borrow::Cow;

use proptest::prelude::*;
use smsite::config::{self, Config};
use smsite::load;
use smsite::markdown::{self, Links, Slugger};
use smsite::model::{self, BodyMap};
use smsite::yaml::{self, YamlIndex};

/// Text made mostly of the characters that matter to our parsers.
fn markdownish() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("---\n".to_string()),
            Just("\r\n".to_string()),
            Just("\n".to_string()),
            Just("[[".to_string()),
            Just("]]".to_string()),
            Just("[x](a.md#h)".to_string()),
            Just("# ".to_string()),
            Just("> ".to_string()),
            Just("- ".to_string()),
            Just("```".to_string()),
            Just("`".to_string()),
            Just("|".to_string()),
            Just("\\".to_string()),
            Just("\u{feff}".to_string()),
            Just("!!! note \"T\"\n".to_string()),
            Just("??? tip\n".to_string()),
            Just("    ".to_string()),
            Just("> [!NOTE]\n".to_string()),
            "[a-zA-Z0-9 :*_#.-]{0,8}",
            "\\PC{0,4}",
        ],
        0..60,
    )
    .prop_map(|v| v.concat())
}

/// YAML-like text: keys, list items, indentation, comments, anchors, CR.
fn yamlish() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            0usize..4,
            prop_oneof![
                "[a-z_]{1,6}: [a-zA-Z0-9 ]{0,6}",
                "[a-z_]{1,6}:",
                "- [a-zA-Z0-9-]{0,6}",
                "- [a-z]{1,4}: [a-z0-9]{0,4}",
                Just("# comment".to_string()),
                Just("body: |".to_string()),
                Just("a: &x [1, 2]".to_string()),
                Just("b: *x".to_string()),
                Just("\"q\": v".to_string()),
                Just("{a: 1}".to_string()),
                Just(String::new()),
                "\\PC{0,6}",
            ],
            prop::bool::ANY,
        ),
        0..30,
    )
    .prop_map(|lines| {
        lines
            .into_iter()
            .map(|(indent, l, cr)| {
                format!("{}{l}{}\n", "  ".repeat(indent), if cr { "\r" } else { "" })
            })
            .collect()
    })
}

/// Flat YAML and its near misses: the lines the fast reader (`yaml::flat`)
/// accepts, and the ones next to them it must leave to `yaml_serde`.
fn flatish() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        8 => "[A-Za-z][A-Za-z0-9 .,:#/()'-]{0,12}",
        2 => "[A-Za-zÅé€][A-Za-z0-9 .,/()-]{0,12}",
        2 => "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        1 => "[0-9.+-]{1,6}",
        2 => "\"[a-z :#'\\\\]{0,6}\"",
        1 => "'[a-z :#\"]{0,6}'",
        2 => "\\[[A-Za-z0-9 ,.:'-]{0,12}\\]",
        2 => "\\{[a-z]{1,3}: [A-Za-z0-9 ,.:'-]{0,8}(, [a-z]{1,3}: (\"[A-Za-z ,:{}\\\\]{0,6}\"|[A-Za-z0-9:.]{1,6}))?\\}",
        1 => prop::sample::select(vec!["true", "Null", "~", "yes", "NaN", "-.inf", "0x1F", "0012", "|", "|-", ">", "&a x", "*a", "!t x", "{a: b}"]).prop_map(str::to_string),
        1 => "\\PC{0,6}",
    ];
    let line = prop_oneof![
        8 => ("[a-z_][a-z0-9_-]{0,5}", value.clone()).prop_map(|(k, v)| format!("{k}: {v}")),
        2 => "[a-z_][a-z0-9_-]{0,5}:".prop_map(|k| k),
        3 => (1usize..4, value.clone()).prop_map(|(n, v)| format!("{}- {v}", " ".repeat(n))),
        2 => (1usize..5, "[A-Za-z #|\t]{0,10}").prop_map(|(n, v)| format!("{}{v}", " ".repeat(n))),
        1 => prop::sample::select(vec!["", " ", "# c", "---", "body: |", "body: |-", "  ", "\t x"]).prop_map(str::to_string),
    ];
    (prop::collection::vec(line, 1..10), prop::bool::ANY).prop_map(|(lines, last_break)| {
        let mut text = lines.join("\n");
        if last_break {
            text.push('\n');
        }
        text
    })
}

struct NoLinks;
impl Links for NoLinks {
    fn wiki(&self, t: &str) -> Result<(Cow<'_, str>, Cow<'_, str>), String> {
        Ok((format!("../doc/{t}.html").into(), t.to_string().into()))
    }
    fn link(&self, d: &str) -> Result<Cow<'_, str>, String> {
        Err(format!("no {d}"))
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Whatever the fast reader of flat YAML accepts, `yaml_serde` reads
    /// the same way: the same keys in the same order, the same values.
    #[test]
    fn flat_yaml_fast_path_agrees_with_yaml_serde(text in flatish()) {
        if let Some(fast) = smsite::yaml::flat::parse(&text) {
            let slow: Result<yaml_serde::Mapping, _> = yaml_serde::from_str(&text);
            prop_assert!(slow.is_ok(), "{:?}: read, but yaml_serde says {:?}", text, slow.err());
            let slow = slow.unwrap_or_default();
            prop_assert_eq!(&fast, &slow, "{:?}", text);
            prop_assert!(fast.keys().eq(slow.keys()), "{:?}", text);
        }
    }

    /// Documents and records never panic, whatever the text.
    #[test]
    fn parse_file_and_build_never_panic(text in prop_oneof![markdownish(), yamlish(), "\\PC{0,200}"]) {
        let cfg = Config::default();
        let profile = cfg.profile();
        for rel in ["a.md", "a.yaml"] {
            if let Ok(p) = load::parse_file(rel, &text) {
                let d = model::build(p, &profile);
                for p in &d.problems {
                    prop_assert!(p.pos.line >= 1 && p.pos.column >= 1);
                }
            }
        }
        let front = format!("---\nid: X\ntitle: T\n{text}");
        let _ = load::parse_file("b.md", &front);
    }

    /// The body's line number is the file line it starts on, and front
    /// matter and body are the text between and after the `---` lines.
    #[test]
    fn split_front_matter_line_numbers_are_consistent(front in yamlish(), body in markdownish(), crlf in prop::bool::ANY) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let text = format!("---{nl}{front}---{nl}{body}");
        match load::split_front_matter(&text) {
            Ok(split) => {
                let body_start = text.len() - split.body.len();
                prop_assert!(text[..body_start].ends_with('\n'));
                prop_assert_eq!(split.body_line, text[..body_start].matches('\n').count() + 1);
                prop_assert!(text.contains(split.front));
            }
            // Only if the generated front matter itself holds a `---` line
            // early... which it then splits at, so this never fails.
            Err((pos, msg)) => prop_assert!(false, "{pos:?} {msg}"),
        }
    }

    /// Every position `yaml::pos` gives is inside the text, with or without CR.
    #[test]
    fn yamlpos_positions_are_within_the_text(text in yamlish(), first in 1usize..5) {
        let ix = YamlIndex::new(&text, first);
        let lines = text.lines().count().max(1);
        let within = |p: smsite::diag::Pos| p.line >= first && p.line < first + lines && p.column >= 1;
        let keys: Vec<String> = text
            .lines()
            .filter_map(|l| l.split_once(':').map(|(k, _)| k.trim().trim_start_matches("- ").to_string()))
            .collect();
        for k in keys.iter().map(String::as_str).chain(["id", "nope"]) {
            for p in [ix.key(k), ix.item(k, 0, Some("1")), ix.item(k, 3, None), ix.value_in(k, "2"), ix.sub_key(k, "a"), ix.duplicate_key(first, k)].into_iter().flatten() {
                prop_assert!(within(p), "{k}: {p:?} in {lines} lines from {first}");
            }
            for (_, p) in ix.sub_keys(k) {
                prop_assert!(within(p));
            }
            if let Some((line, _)) = ix.block_scalar(k) {
                prop_assert!(line >= first && line <= first + lines);
            }
            let _ = ix.raw_scalar(k);
        }
    }

    /// CR before LF changes no key position.
    #[test]
    fn yamlpos_ignores_carriage_returns(text in yamlish()) {
        let lf = text.replace('\r', "");
        let crlf = lf.replace('\n', "\r\n");
        let (a, b) = (YamlIndex::new(&lf, 2), YamlIndex::new(&crlf, 2));
        for k in lf.lines().filter_map(|l| l.split_once(':').map(|(k, _)| k.trim().to_string())) {
            prop_assert_eq!(a.key(&k), b.key(&k));
            prop_assert_eq!(a.item(&k, 1, None), b.item(&k, 1, None));
            prop_assert_eq!(a.sub_keys(&k), b.sub_keys(&k));
        }
    }

    /// Markdown scanning and rendering never panic; every offset found is a
    /// char boundary inside the body, and its position is the naive one.
    #[test]
    fn markdown_offsets_and_positions(body in prop_oneof![markdownish(), "\\PC{0,300}"], first in 1usize..9) {
        let scan = markdown::scan(&body);
        let _ = markdown::to_html(&body, &NoLinks);
        let map = BodyMap::new(first, 0, None);
        let offsets: Vec<usize> = scan.refs.iter().map(|r| r.offset)
            .chain(scan.links.iter().map(|l| l.offset))
            .chain(scan.unclosed.iter().copied())
            .chain(scan.cut_by_cell.iter().copied())
            .chain(0..=body.len())
            .collect();
        for off in offsets {
            prop_assert!(off <= body.len());
            if !body.is_char_boundary(off) {
                continue;
            }
            let before = &body[..off];
            let line = before.matches('\n').count();
            let col = before[before.rfind('\n').map_or(0, |i| i + 1)..].chars().count();
            prop_assert_eq!(map.pos(&body, off), smsite::diag::Pos::new(first + line, col + 1));
        }
    }

    /// Heading slugs are stable (the same text, the same slug) and the
    /// anchors of one page are unique.
    #[test]
    fn slugs_are_stable_and_unique(headings in prop::collection::vec(prop_oneof![
        "[A-Za-z -]{0,6}", Just("a-1".to_string()), Just("A".to_string()), Just("a".to_string()), "\\PC{0,5}"
    ], 0..20)) {
        let mut s1 = Slugger::default();
        let mut s2 = Slugger::default();
        let a: Vec<String> = headings.iter().map(|h| s1.slug(h)).collect();
        let b: Vec<String> = headings.iter().map(|h| s2.slug(h)).collect();
        prop_assert_eq!(&a, &b);
        let unique: std::collections::HashSet<&String> = a.iter().collect();
        prop_assert_eq!(unique.len(), a.len(), "{:?} -> {:?}", headings, a);
        for h in &headings {
            prop_assert_eq!(markdown::slug(h), markdown::slug(h));
        }
        // scan and to_html agree on the anchors.
        let body: String = headings.iter().map(|h| format!("## {}\n\n", h.replace(['\n', '\r'], " "))).collect();
        let html = markdown::to_html(&body, &NoLinks);
        for h in markdown::scan(&body).headings {
            let id = format!("id=\"{}\"", smsite::html::attr(&h.slug));
            prop_assert!(html.contains(&id), "{} not in {}", id, html);
        }
    }

    /// sms.yaml and catalogue files never panic, and findings point inside.
    #[test]
    fn config_and_catalogues_never_panic(text in prop_oneof![yamlish(), "\\PC{0,200}"]) {
        let (_cfg, findings) = config::parse(&text);
        let lines = text.lines().count().max(1);
        for f in &findings {
            prop_assert!(f.line >= 1 && f.line <= lines + 1, "{f:?}");
        }
        let refs = vec![config::CatalogueRef { name: "requirements/x.yaml".into(), pos: smsite::diag::Pos::START }];
        let _ = smsite::catalogue::load(&refs, &|_| Ok(text.clone()));
        let _ = yaml::parse_yaml(&text);
    }
}

/// The slug collision proptest found first: `a-1`, `a`, `a` gave `a-1` twice.
#[test]
fn slugger_skips_suffixes_already_taken() {
    let mut s = Slugger::default();
    let got: Vec<String> = ["a-1", "a", "a", "a"].iter().map(|h| s.slug(h)).collect();
    assert_eq!(got, ["a-1", "a", "a-2", "a-3"]);
}

/// Every front matter and record of the bundled repositories (sample-sms
/// and the test fixtures) reads the same through the fast reader of flat
/// YAML as through `yaml_serde`, and the fast reader takes most of them.
#[test]
fn flat_yaml_fast_path_agrees_on_every_bundled_document() {
    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                files(&p, out);
            } else if p.extension().is_some_and(|x| x == "md" || x == "yaml") {
                out.push(p);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    files(&root.join("sample-sms"), &mut all);
    files(&root.join("tests/fixtures"), &mut all);
    let (mut texts, mut fast_read, mut sample_texts, mut sample_fast) = (0, 0, 0, 0);
    for path in &all {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let yaml = if path.extension().is_some_and(|x| x == "md") {
            match load::split_front_matter(&text) {
                Ok(split) => split.front.to_string(),
                Err(_) => continue,
            }
        } else {
            text
        };
        texts += 1;
        let in_sample = path.starts_with(root.join("sample-sms"));
        sample_texts += usize::from(in_sample);
        if let Some(fast) = smsite::yaml::flat::parse(&yaml) {
            fast_read += 1;
            sample_fast += usize::from(in_sample);
            let slow: yaml_serde::Mapping = yaml_serde::from_str(&yaml)
                .unwrap_or_else(|e| panic!("{}: read, but yaml_serde says {e}", path.display()));
            assert_eq!(fast, slow, "{}", path.display());
            assert!(fast.keys().eq(slow.keys()), "{}", path.display());
        }
    }
    assert!(texts > 200 && fast_read > 0, "{fast_read} of {texts}");
    assert!(
        sample_fast * 2 > sample_texts,
        "the fast reader takes {sample_fast} of sample-sms's {sample_texts} texts"
    );
}

/// A requirement of a generated catalogue.
#[derive(Debug, Clone)]
struct GenReq {
    /// `None`: the item has no `id:`.
    id: Option<&'static str>,
    /// How the id is written: plain, "double" or 'single' quoted.
    quote: u8,
    /// `title:` before `id:`.
    title_first: bool,
    /// The key written `"id":`.
    quoted_key: bool,
    children: Vec<GenReq>,
}

/// Ids: valid ones (parenthesised among them), invalid ones, and few
/// enough that some are declared twice.
const GEN_IDS: &[&str] = &[
    "A-1",
    "A-2",
    "AC-2(1)",
    "164.308(a)(1)(i)",
    "B.1",
    "CIS Safeguard 4.6",
    "(1)",
];

fn gen_req() -> impl Strategy<Value = GenReq> {
    let leaf = (
        prop::option::weighted(0.9, prop::sample::select(GEN_IDS)),
        0u8..3,
        prop::bool::ANY,
        prop::bool::weighted(0.2),
    )
        .prop_map(|(id, quote, title_first, quoted_key)| GenReq {
            id,
            quote,
            title_first,
            quoted_key,
            children: Vec::new(),
        });
    leaf.prop_recursive(3, 24, 4, |inner| {
        (
            prop::option::weighted(0.9, prop::sample::select(GEN_IDS)),
            0u8..3,
            prop::bool::ANY,
            prop::collection::vec(inner, 0..4),
        )
            .prop_map(|(id, quote, title_first, children)| GenReq {
                id,
                quote,
                title_first,
                quoted_key: false,
                children,
            })
    })
}

/// Writes a catalogue, noting where each item's own key is (its `id:`, or
/// where the item starts when it has none), in the order the items are
/// read (depth first).
struct CatWriter {
    text: String,
    line: usize,
    col: usize,
    /// (id, where its key is), per item.
    places: Vec<(Option<&'static str>, smsite::diag::Pos)>,
}

impl CatWriter {
    fn put(&mut self, s: &str) {
        for c in s.chars() {
            if c == '\n' {
                self.line += 1;
                self.col = 1;
            } else {
                self.col += 1;
            }
        }
        self.text.push_str(s);
    }
    fn here(&self) -> smsite::diag::Pos {
        smsite::diag::Pos::new(self.line, self.col)
    }
    fn id_value(r: &GenReq, id: &str) -> String {
        match r.quote {
            1 => format!("\"{id}\""),
            2 => format!("'{id}'"),
            _ => id.to_string(),
        }
    }
    /// One item in flow style (`{id: X, title: T, children: [...]}`).
    fn flow_item(&mut self, r: &GenReq, n: usize) {
        let start = self.here();
        self.put("{");
        let slot = self.places.len();
        self.places.push((r.id, start));
        let mut first = true;
        let mut sep = |w: &mut CatWriter| {
            if !first {
                w.put(", ");
            }
            first = false;
        };
        let title = format!("title: 'Title {n}, {{id: no}}'");
        if r.title_first {
            sep(self);
            self.put(&title);
        }
        if let Some(id) = r.id {
            sep(self);
            self.places[slot].1 = self.here();
            self.put(if r.quoted_key { "\"id\": " } else { "id: " });
            self.put(&Self::id_value(r, id));
        }
        if !r.title_first {
            sep(self);
            self.put(&title);
        }
        if !r.children.is_empty() {
            sep(self);
            self.put("children: [");
            for (k, c) in r.children.iter().enumerate() {
                if k > 0 {
                    self.put(if k % 2 == 0 { ",\n      " } else { ", " });
                }
                self.flow_item(c, n * 10 + k);
            }
            self.put("]");
        }
        self.put("}");
    }
    /// One item in block style, its dash at column `ind`; children in flow
    /// style when `flow`, else as a block list (compact or indented).
    fn block_item(&mut self, r: &GenReq, n: usize, ind: usize, flow: bool) {
        self.put(&" ".repeat(ind));
        self.put("- ");
        let pad = " ".repeat(ind + 2);
        let slot = self.places.len();
        self.places.push((r.id, self.here()));
        let mut lines: Vec<String> = Vec::new();
        let title = format!("title: \"Title {n}: id: no\"");
        if r.title_first {
            lines.push(title.clone());
        }
        let id_line = lines.len();
        if let Some(id) = r.id {
            let key = if r.quoted_key { "\"id\"" } else { "id" };
            lines.push(format!("{key}: {}", Self::id_value(r, id)));
        }
        if !r.title_first {
            lines.push(title);
        }
        for (k, l) in lines.iter().enumerate() {
            if k > 0 {
                self.put(&pad);
            }
            if k == id_line && r.id.is_some() {
                self.places[slot].1 = self.here();
            }
            self.put(l);
            self.put("\n");
        }
        if r.children.is_empty() {
            return;
        }
        self.put(&pad);
        if flow {
            self.put("children: [");
            for (k, c) in r.children.iter().enumerate() {
                if k > 0 {
                    self.put(",\n");
                    self.put(&pad);
                    self.put("  ");
                }
                self.flow_item(c, n * 10 + k);
            }
            self.put("]\n");
        } else {
            self.put("children:\n");
            let child_ind = if n.is_multiple_of(2) {
                ind + 2
            } else {
                ind + 4
            };
            for (k, c) in r.children.iter().enumerate() {
                self.block_item(c, n * 10 + k, child_ind, (n + k).is_multiple_of(3));
            }
        }
    }
}

/// A catalogue's text and where each item's own key is.
fn write_catalogue(
    reqs: &[GenReq],
    flow_top: bool,
    indent: usize,
) -> (String, Vec<(Option<&'static str>, smsite::diag::Pos)>) {
    let mut w = CatWriter {
        text: String::new(),
        line: 1,
        col: 1,
        places: Vec::new(),
    };
    w.put("catalogue: GEN\ntitle: Generated\n");
    if flow_top {
        w.put("requirements: [\n");
        for (k, r) in reqs.iter().enumerate() {
            w.put("  ");
            w.flow_item(r, k + 1);
            w.put(",\n");
        }
        w.put("]\n");
    } else {
        w.put("requirements:\n");
        for (k, r) in reqs.iter().enumerate() {
            w.block_item(r, k + 1, indent, k % 3 == 2);
        }
    }
    (w.text, w.places)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// For any catalogue (block or flow style, ids first or not, quoted or
    /// not, nested at any depth, ids invalid or declared twice), every
    /// finding about a requirement (a bad id, a repeated one, an uncovered
    /// leaf) is at that requirement's own `id:` key (at the item when it
    /// has none), and names it.
    #[test]
    fn every_catalogue_finding_is_at_its_own_key(reqs in prop::collection::vec(gen_req(), 1..6), flow_top in prop::bool::weighted(0.3), indent in 0usize..3) {
        let (text, places) = write_catalogue(&reqs, flow_top, indent);
        if std::env::var_os("SHOW_CATALOGUE").is_some() {
            eprintln!("{text}");
        }
        prop_assert!(yaml_serde::from_str::<yaml_serde::Value>(&text).is_ok(), "not YAML:\n{}", text);
        let file = "requirements/gen.yaml";
        let refs = vec![config::CatalogueRef { name: file.into(), pos: smsite::diag::Pos::START }];
        let (cats, parse_errors) = smsite::catalogue::load(&refs, &|_| Ok(text.clone()));
        let cfg = Config::default();
        let resolved = smsite::resolve::resolve(&[], &cats, &cfg, &Default::default());
        let (measures, history) = (Default::default(), Default::default());
        let input = smsite::check::Input {
            config: &cfg,
            catalogues: &cats,
            docs: &[],
            resolved: &resolved,
            measures: &measures,
            date: smsite::model::parse_date("2026-12-01").unwrap_or_default(),
            history: &history,
        };
        let findings = smsite::check::run(&input, parse_errors);
        for f in findings.iter().filter(|f| f.file == file) {
            let at = smsite::diag::Pos::new(f.line, f.column);
            let mine: Vec<_> = places.iter().filter(|(_, p)| *p == at).collect();
            prop_assert!(!mine.is_empty(), "{f:?} is at no requirement's key in\n{}", text);
            let named = mine.iter().any(|(id, _)| match id {
                Some(id) => f.message.contains(id),
                None => f.message.contains("no `id:`"),
            });
            prop_assert!(named, "{f:?} is not about {mine:?} in\n{}", text);
        }
        // Every bad id is reported, every repeated one at both places.
        for (id, at) in &places {
            let here: Vec<&str> = findings.iter()
                .filter(|f| f.line == at.line && f.column == at.column)
                .map(|f| f.rule.as_str())
                .collect();
            let valid = id.is_some_and(smsite::catalogue::valid_req_id);
            if !valid {
                prop_assert!(here.contains(&"parse-error"), "{id:?} at {at:?} not reported in\n{}", text);
            } else if places.iter().filter(|(j, _)| j == id).count() > 1 {
                let declared = cats.reqs.iter().any(|r| r.pos == *at) || cats.duplicates.iter().any(|d| d.pos == *at);
                prop_assert!(!declared || here.contains(&"duplicate-requirement"), "{id:?} at {at:?}: {here:?} in\n{}", text);
            }
        }
        // Each requirement in force sits at its first declaration's key.
        for r in &cats.reqs {
            let first = places.iter().find(|(id, _)| *id == Some(r.id.as_str())).map(|(_, p)| *p);
            prop_assert_eq!(first, Some(r.pos), "{} in\n{}", r.key, text);
        }
    }
}

/// The catalogue of the request, as it was written: each finding at its own key.
#[test]
fn catalogue_findings_of_the_reported_case_are_at_their_keys() {
    let text = "catalogue: CIS\ntitle: CIS\nrequirements:\n- id: A-1\n  title: First\n- id: CIS Safeguard 4.6\n  title: Spaces\n- id: AC-2(1)\n  title: Parentheses\n  children:\n  - title: A child\n    id: bad child\n- id: A-1\n  title: Again\n";
    let refs = vec![config::CatalogueRef {
        name: "requirements/cis.yaml".into(),
        pos: smsite::diag::Pos::START,
    }];
    let (cats, errs) = smsite::catalogue::load(&refs, &|_| Ok(text.to_string()));
    let at: Vec<(usize, usize)> = errs.iter().map(|f| (f.line, f.column)).collect();
    assert_eq!(at, [(6, 3), (12, 5)], "{errs:?}");
    assert!(errs[0].message.contains("`CIS-Safeguard-4.6`"), "{errs:?}");
    let ac = cats
        .get("CIS:AC-2(1)")
        .expect("a parenthesised id is valid");
    assert_eq!(cats.reqs[ac].pos, smsite::diag::Pos::new(8, 3));
    assert_eq!(cats.duplicates.len(), 1);
    assert_eq!(cats.duplicates[0].pos, smsite::diag::Pos::new(13, 3));
    assert_eq!(
        cats.reqs[cats.duplicates[0].first].pos,
        smsite::diag::Pos::new(4, 3)
    );
}
