//! Front-matter splitting and parsing (`load::parse_file`) and typing the
//! result (`model::build`), for Markdown documents and YAML records.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smsite::{config::Config, load, model};

fuzz_target!(|data: &[u8]| {
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
            assert_eq!(split.body_line, text[..body_start].matches('\n').count() + 1);
        }
    }
    let rel = if which & 1 == 0 { "docs/a.md" } else { "docs/a.yaml" };
    let cfg = Config::default();
    let profile = model::Profile::new(&cfg);
    if let Ok(parsed) = load::parse_file(rel, text) {
        let doc = model::build(parsed, &profile, &cfg);
        for p in &doc.problems {
            assert!(p.pos.line >= 1 && p.pos.column >= 1);
        }
        let _ = doc.url();
    }
});
