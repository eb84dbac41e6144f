//! Embeds the default theme (`themes/default/`) in the binary, so `smsite`
//! works from anywhere: every file of its `templates/` and `static/`
//! folders, listed here from the folders themselves, so a new template or
//! static file is a new file and nothing more. Embeds the worked example
//! (`sample-sms/`, every file beneath it) the same way, for `smsite init
//! --example`.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let theme = Path::new(&root).join("themes/default");
    println!("cargo:rerun-if-changed={}", theme.display());
    let mut out = String::new();
    for (folder, constant, macro_) in [
        ("templates", "TEMPLATES", "include_str"),
        ("static", "STATIC", "include_bytes"),
    ] {
        let dir = theme.join(folder);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.flatten()
                    .filter(|e| e.path().is_file())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| !n.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        let ty = if folder == "templates" {
            "&str"
        } else {
            "&[u8]"
        };
        let _ = writeln!(out, "pub const {constant}: &[(&str, {ty})] = &[");
        for n in names {
            let path = dir.join(&n);
            let _ = writeln!(
                out,
                "    ({n:?}, {macro_}!({:?})),",
                path.display().to_string()
            );
        }
        let _ = writeln!(out, "];");
    }
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("theme.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
    embed_example(Path::new(&root));
}

/// `EXAMPLE`: (path inside `sample-sms/`, bytes) of every file beneath it.
fn embed_example(root: &Path) {
    let dir = root.join("sample-sms");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files = Vec::new();
    walk(&dir, "", &mut files);
    files.sort();
    let mut out = String::from("pub const EXAMPLE: &[(&str, &[u8])] = &[\n");
    for rel in files {
        let path = dir.join(&rel);
        let _ = writeln!(
            out,
            "    ({rel:?}, include_bytes!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    let dest =
        Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("example.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}

/// Every file beneath `dir` (`/`-separated, relative), hidden ones left out.
fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let rel = format!("{prefix}{name}");
        if e.path().is_dir() {
            walk(&e.path(), &format!("{rel}/"), out);
        } else {
            out.push(rel);
        }
    }
}
