//! A built site crawled without a browser: every relative `href` and `src`
//! of every page must lead to a file of the site, and every `#anchor` to
//! an `id` (or `name`) on the page it leads to; every URL the search
//! script makes from `search-index.js` must lead to a page.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

/// Values of attribute `name` in `html` (`name="…"` after whitespace).
pub fn attrs<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    for sep in [' ', '\n', '\t'] {
        let pat = format!("{sep}{name}=\"");
        let mut rest = html;
        while let Some(i) = rest.find(&pat) {
            let start = i + pat.len();
            let Some(len) = rest[start..].find('"') else {
                break;
            };
            out.push(&rest[start..start + len]);
            rest = &rest[start + len..];
        }
    }
    out
}

pub fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Every dangling relative link of the site at `site`, as
/// `page: link: what is wrong`.
pub fn dangling(site: &Path) -> Vec<String> {
    let mut pages = Vec::new();
    for e in walkdir::WalkDir::new(site).into_iter().flatten() {
        if e.path().extension().is_some_and(|x| x == "html") {
            pages.push(e.path().to_path_buf());
        }
    }
    assert!(!pages.is_empty(), "no pages in {}", site.display());
    let mut ids: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    let mut texts: HashMap<PathBuf, String> = HashMap::new();
    for p in &pages {
        let t = std::fs::read_to_string(p).expect("a page is UTF-8");
        let set = attrs(&t, "id")
            .into_iter()
            .chain(attrs(&t, "name"))
            .map(unescape)
            .collect();
        ids.insert(normalise(p), set);
        texts.insert(p.clone(), t);
    }
    let mut problems = Vec::new();
    for p in &pages {
        let t = &texts[p];
        let dir = p.parent().expect("a page is in a folder");
        for link in attrs(t, "href").into_iter().chain(attrs(t, "src")) {
            let link = unescape(link);
            let scheme = link.split_once(':').is_some_and(|(s, _)| {
                !s.is_empty()
                    && !s.contains('/')
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            });
            if scheme || link.starts_with("//") {
                continue;
            }
            let page = p.strip_prefix(site).unwrap_or(p).display();
            if link.is_empty() {
                problems.push(format!("{page}: an empty link"));
                continue;
            }
            let (file, frag) = match link.split_once('#') {
                Some((f, a)) => (f, Some(a)),
                None => (link.as_str(), None),
            };
            let file = file.split('?').next().unwrap_or("");
            let target = if file.is_empty() {
                normalise(p)
            } else {
                let decoded = percent_encoding::percent_decode_str(file).decode_utf8_lossy();
                normalise(&dir.join(decoded.as_ref()))
            };
            if !target.starts_with(normalise(site)) {
                problems.push(format!("{page}: {link}: leads out of the site"));
            } else if !target.is_file() {
                problems.push(format!("{page}: {link}: no such file"));
            } else if let Some(a) = frag.filter(|a| !a.is_empty())
                && target.extension().is_some_and(|x| x == "html")
            {
                let a = percent_encoding::percent_decode_str(a).decode_utf8_lossy();
                if !ids.get(&target).is_some_and(|s| s.contains(a.as_ref())) {
                    problems.push(format!("{page}: {link}: no such anchor"));
                }
            }
        }
    }
    problems.extend(search_urls(site));
    problems
}

/// The URLs `site.js` makes from the search index (`doc/ID.html`,
/// `req/CATALOGUE/ID.html`) that lead to no page.
fn search_urls(site: &Path) -> Vec<String> {
    let Ok(js) = std::fs::read_to_string(site.join("search-index.js")) else {
        return vec!["no search-index.js".into()];
    };
    let json = js
        .trim()
        .trim_start_matches("window.SMSITE_SEARCH=")
        .trim_end_matches(';');
    let v: serde_json::Value = serde_json::from_str(json).expect("the search index is JSON");
    let mut urls = Vec::new();
    for d in v["d"].as_array().into_iter().flatten() {
        urls.push(format!("doc/{}.html", d[0].as_str().unwrap_or_default()));
    }
    for r in v["r"].as_array().into_iter().flatten() {
        urls.push(format!(
            "req/{}.html",
            r[0].as_str().unwrap_or_default().replacen(':', "/", 1)
        ));
    }
    urls.into_iter()
        .filter(|u| !site.join(u).is_file())
        .map(|u| format!("search-index.js: {u}: no such page"))
        .collect()
}
