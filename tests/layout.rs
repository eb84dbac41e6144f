//! The shape of the source: no module of `src/` imports one that imports it
//! back (directly or through others), and no source file grows past about
//! 800 lines unless its module comment says it holds one concern that
//! reads best whole.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file belongs to (`src/render/pack.rs` → `render`).
fn module_of(file: &Path) -> String {
    let rel = file.strip_prefix(src()).expect("under src/");
    let first = rel.components().next().expect("a component");
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_string()
}

/// The top-level modules a source text names through `crate::` (test
/// modules, after the first `#[cfg(test)]`, left out).
fn imports(text: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let text = text.split("#[cfg(test)]").next().unwrap_or(text);
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            group[..end]
                .split(',')
                .map(|item| item.trim().split("::").next().unwrap_or("").trim())
                .collect()
        } else {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            vec![&rest[..end]]
        };
        for n in names {
            if modules.contains(n) {
                out.insert(n.to_string());
            }
        }
    }
    out
}

/// The import graph of `src/`: module → modules it imports.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let modules: BTreeSet<String> = files
        .iter()
        .map(|f| module_of(f))
        .filter(|m| m != "lib" && m != "main")
        .collect();
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let m = module_of(f);
        if m == "lib" || m == "main" {
            continue;
        }
        let text = std::fs::read_to_string(f).expect("a source file is readable");
        let deps = g.entry(m.clone()).or_default();
        deps.extend(imports(&text, &modules).into_iter().filter(|d| *d != m));
    }
    g
}

/// A path from `to` back to `from` through the graph, if there is one.
fn path_back(
    g: &BTreeMap<String, BTreeSet<String>>,
    from: &str,
    to: &str,
    seen: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if to == from {
        return Some(vec![to.to_string()]);
    }
    if !seen.insert(to.to_string()) {
        return None;
    }
    for next in g.get(to).into_iter().flatten() {
        if let Some(mut p) = path_back(g, from, next, seen) {
            p.insert(0, to.to_string());
            return Some(p);
        }
    }
    None
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let g = graph();
    assert!(
        g.len() >= 15,
        "the graph should hold the crate's modules: {g:?}"
    );
    // The base the stages stand on imports none of them.
    for base in ["diag", "source", "yaml", "html", "git"] {
        let deps = &g[base];
        assert!(
            deps.iter().all(|d| d == "diag"),
            "{base} should import nothing but diag: {deps:?}"
        );
    }
    let mut loops = Vec::new();
    for (m, deps) in &g {
        for d in deps {
            if let Some(p) = path_back(&g, m, d, &mut BTreeSet::new()) {
                loops.push(format!("{m} -> {}", p.join(" -> ")));
            }
        }
    }
    assert!(loops.is_empty(), "import loops:\n{}", loops.join("\n"));
}

#[test]
fn the_check_finds_a_loop_when_there_is_one() {
    let modules: BTreeSet<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    let a = imports("use crate::{b::X, c};\nfn f() { crate::b::g() }", &modules);
    assert_eq!(a, ["b", "c"].iter().map(|s| s.to_string()).collect());
    let mut g = BTreeMap::new();
    g.insert("a".to_string(), a);
    g.insert("b".to_string(), imports("use crate::c::Y;", &modules));
    g.insert(
        "c".to_string(),
        imports("#[cfg(test)]\nuse crate::a;", &modules),
    );
    assert_eq!(path_back(&g, "a", "b", &mut BTreeSet::new()), None);
    g.insert("c".to_string(), imports("use crate::a::Z;", &modules));
    assert_eq!(
        path_back(&g, "a", "b", &mut BTreeSet::new()),
        Some(vec!["b".to_string(), "c".to_string(), "a".to_string()])
    );
}

#[test]
fn source_files_stay_under_about_800_lines() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(f).ok()?;
            let lines = text.lines().count();
            let whole = text
                .lines()
                .take_while(|l| l.starts_with("//!"))
                .any(|l| l.contains("reads best whole"));
            (lines > 800 && !whole).then(|| format!("{} ({lines} lines)", f.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "split these, or say in the module comment why one concern reads best whole: {long:?}"
    );
}

/// Every text file of the project under `dir` (sources, docs, fixtures,
/// the sample, templates), for checks on their text.
fn text_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name == "target" || name.starts_with('.') {
            continue;
        }
        if p.is_dir() {
            text_files(&p, out);
        } else if [
            "rs", "md", "yaml", "yml", "html", "css", "js", "toml", "py", "sh", "json", "csv",
        ]
        .iter()
        .any(|e| p.extension().is_some_and(|x| x == *e))
        {
            out.push(p);
        }
    }
}

#[test]
fn no_file_holds_an_unresolved_merge() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for d in [
        "src",
        "docs",
        "tests",
        "sample-sms",
        "themes",
        "bench",
        "examples",
        "fuzz",
    ] {
        text_files(&root.join(d), &mut files);
    }
    files.push(root.join("README.md"));
    let marked: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(f).ok()?;
            let line = text
                .lines()
                .position(|l| l.starts_with("<<<<<<< ") || l.starts_with(">>>>>>> "))?;
            Some(format!("{}:{}", f.display(), line + 1))
        })
        .collect();
    assert!(marked.is_empty(), "merge conflict markers: {marked:?}");
    assert!(files.len() > 100, "only {} files read", files.len());
}
