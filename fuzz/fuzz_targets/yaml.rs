//! YAML: `sms.yaml` (`config::parse`), catalogue files (`catalogue::load`),
//! records (`load::parse_yaml`) and source positions (`yamlpos`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use smsite::{catalogue, config, diag::Pos, load, yamlpos::YamlIndex};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.lines().count().max(1);
    let within = |p: Pos| p.line >= 1 && p.line <= lines + 1;
    let (cfg, findings) = config::parse(text);
    for f in &findings {
        assert!(f.line >= 1 && f.line <= lines + 1, "{f:?}");
    }
    let _ = smsite::model::Profile::new(&cfg);
    let refs = vec![config::CatalogueRef {
        name: "requirements/x.yaml".into(),
        pos: Pos::START,
    }];
    let (cats, _) = catalogue::load(&refs, &|_| Ok(text.to_string()));
    for q in 0..cats.reqs.len() {
        let _ = cats.leaves(q);
    }
    let _ = load::parse_yaml(text);
    let ix = YamlIndex::new(text, 1);
    for key in text
        .lines()
        .filter_map(|l| l.split_once(':').map(|(k, _)| k.trim_start_matches(['-', ' '])))
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
    }
});
