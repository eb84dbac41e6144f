//! The Markdown and reference pipeline: `markdown::scan`, `markdown::to_html`
//! and a document built (`model::build`) and resolved around the body.
#![no_main]

use std::collections::BTreeSet;

use libfuzzer_sys::fuzz_target;
use smsite::{catalogue, config::Config, load, markdown, model, resolve};

struct Links;
impl markdown::Links for Links {
    fn wiki(&self, target: &str) -> Result<(String, String), String> {
        if target.len() % 2 == 0 {
            Ok((format!("../doc/{target}.html"), format!("<{target}>")))
        } else {
            Err(format!("no document has id `{target}`"))
        }
    }
    fn link(&self, dest: &str) -> Result<String, String> {
        if dest.len() % 3 == 0 {
            Err("no such file".into())
        } else {
            Ok(format!("../doc/{dest}"))
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let scan = markdown::scan(body);
    let html = markdown::to_html(body, &Links);
    assert!(html.len() <= 64 * body.len() + 4096, "HTML blew up");
    let map = model::BodyMap::new(body, 5, 0, None);
    for off in scan
        .refs
        .iter()
        .map(|r| r.offset)
        .chain(scan.links.iter().map(|l| l.offset))
        .chain(scan.unclosed.iter().copied())
    {
        assert!(off <= body.len());
        let p = map.pos(body, off);
        assert!(p.line >= 5 && p.line <= 5 + body.matches('\n').count());
    }
    // The same body as a document, resolved against a second one.
    let cfg = Config::default();
    let profile = model::Profile::new(&cfg);
    let text = format!("---\nid: POL-A\ntitle: A\nkind: policy\n---\n{body}");
    let other = "---\nid: POL-B\ntitle: B\nkind: policy\n---\n# Heading\n";
    let docs: Vec<model::Document> = [("a.md", text.as_str()), ("b.md", other)]
        .iter()
        .filter_map(|(rel, t)| load::parse_file(rel, t).ok())
        .map(|p| model::build(p, &profile, &cfg))
        .collect();
    let files: BTreeSet<String> = ["a.md".to_string(), "b.md".to_string()].into();
    let cats = catalogue::Catalogues::default();
    let _ = resolve::resolve(&docs, &cats, &cfg, &files);
});
