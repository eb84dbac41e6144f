//! Times syntax highlighting alone, on one thread, per language: the
//! first fenced code block of every Markdown file under a folder (e.g. a
//! repository written by `gen_sms --code-every 1`) goes through
//! `smsite::highlight::highlight` with its block cache off (the line memo applies).
//!
//! ```sh
//! cargo run --release --example gen_sms -- --docs 10000 --code-every 1 --out /tmp/plain
//! cargo run --release --example highlight_cost -- /tmp/plain
//! ```

use std::collections::BTreeMap;
use std::time::Instant;

fn main() -> Result<(), String> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: highlight_cost FOLDER (Markdown files with fenced code blocks)")?;
    let mut blocks = Vec::new();
    for entry in walkdir::WalkDir::new(&dir) {
        let entry = entry.map_err(|e| e.to_string())?;
        if entry.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).map_err(|e| e.to_string())?;
        if let Some(block) = first_block(&text) {
            blocks.push(block);
        }
    }
    smsite::highlight::cache_highlights(0);
    // Load the syntax set before timing.
    smsite::highlight::highlight("sql", "select 1;\n");
    let mut per: BTreeMap<&str, (f64, usize, usize, usize)> = BTreeMap::new();
    let start = Instant::now();
    for (lang, code) in &blocks {
        let t = Instant::now();
        let html = smsite::highlight::highlight(lang, code);
        let e = per.entry(lang.as_str()).or_default();
        e.0 += t.elapsed().as_secs_f64();
        e.1 += 1;
        e.2 += code.lines().count();
        e.3 += html.len();
    }
    println!(
        "{} blocks highlighted in {:.3} s on one thread",
        blocks.len(),
        start.elapsed().as_secs_f64()
    );
    for (lang, (secs, n, lines, bytes)) in per {
        println!(
            "{lang}: {n} blocks, {:.0} µs per block, {:.1} µs per line, {} bytes of HTML per block",
            secs / n as f64 * 1e6,
            secs / lines.max(1) as f64 * 1e6,
            bytes / n
        );
    }
    Ok(())
}

/// The language and code of the first fenced block in `text`.
fn first_block(text: &str) -> Option<(String, String)> {
    let open = text.find("```")?;
    let rest = &text[open + 3..];
    let newline = rest.find('\n')?;
    let lang = rest[..newline].trim().to_string();
    let code = &rest[newline + 1..];
    let close = code.find("```")?;
    Some((lang, code[..close].to_string()))
}
