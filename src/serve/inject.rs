//! What `serve` adds to the HTML it serves, and only there (`build` output
//! never has it): the live-reload script, the findings overlay, and on the
//! 404 page a `<base href="/">` so its root-relative links work at any depth.
//! Everything added sits between `<!--smsite-serve-->` and
//! `<!--/smsite-serve-->` markers (the `<base>` tag carries its own), so the
//! page underneath is byte for byte what `build` writes.

use crate::diag::{Finding, Severity};

/// Marks the start of injected HTML.
pub const START: &str = "<!--smsite-serve-->";
/// Marks the end of injected HTML.
pub const END: &str = "<!--/smsite-serve-->";
/// The injected `<base>` of the 404 page (including its markers).
pub const BASE: &str = "<!--smsite-serve--><base href=\"/\"><!--/smsite-serve-->";

/// Most findings listed in the overlay; the rest are counted.
const MAX_LISTED: usize = 100;

/// What a served page needs to know to reload itself.
pub struct Page<'a> {
    /// The site path the page shows (`doc/POL-001.html`), or was asked for (404).
    pub path: &'a str,
    pub generation: u64,
    pub boot: u64,
    /// Overlay HTML (empty: none).
    pub overlay: &'a str,
    /// Add `<base href="/">` (the 404 page served at any path).
    pub base: bool,
}

/// `html` with the reload script, the overlay and, if asked, the base tag.
pub fn page(html: &[u8], p: &Page) -> Vec<u8> {
    let mut tail = String::with_capacity(2048 + p.overlay.len());
    tail.push_str(START);
    tail.push_str(p.overlay);
    tail.push_str(&script(p));
    tail.push_str(END);
    let mut out = Vec::with_capacity(html.len() + tail.len() + BASE.len());
    let mut html = html;
    if p.base {
        match find_ci(html, b"<head>") {
            Some(i) => {
                let at = i + b"<head>".len();
                out.extend_from_slice(&html[..at]);
                out.extend_from_slice(BASE.as_bytes());
                html = &html[at..];
            }
            None => out.extend_from_slice(BASE.as_bytes()),
        }
    }
    match rfind_ci(html, b"</body>") {
        Some(i) => {
            out.extend_from_slice(&html[..i]);
            out.extend_from_slice(tail.as_bytes());
            out.extend_from_slice(&html[i..]);
        }
        None => {
            out.extend_from_slice(html);
            out.extend_from_slice(tail.as_bytes());
        }
    }
    out
}

/// Removes everything [`page`] added (tests compare served pages with `build` output).
pub fn strip(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(START) {
        out.push_str(&rest[..i]);
        match rest[i..].find(END) {
            Some(j) => rest = &rest[i + j + END.len()..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

fn rfind_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

/// A JSON string literal safe inside `<script>` (no `</script>`, no `<!--`).
fn js_string(s: &str) -> String {
    serde_json::Value::String(s.to_string())
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn script(p: &Page) -> String {
    format!(
        r#"<script>
(function () {{
  "use strict";
  var page = {page}, generation = {generation}, boot = "{boot}";
  var key = "smsite-scroll:" + location.pathname;
  // The position is restored here, the same way in every browser.
  if ("scrollRestoration" in history) history.scrollRestoration = "manual";
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {{
    sessionStorage.removeItem(key);
    var y = parseFloat(saved) || 0;
    window.scrollTo(0, y);
    window.addEventListener("load", function () {{ window.scrollTo(0, y); }});
  }}
  var close = document.getElementById("smsite-overlay-close");
  if (close) close.addEventListener("click", function () {{
    var o = document.getElementById("smsite-overlay");
    if (o) o.style.display = "none";
  }});
  if (!window.EventSource) return;
  var es = new EventSource("/__smsite/events?generation=" + generation + "&boot=" + boot);
  es.addEventListener("reload", function (e) {{
    var d;
    try {{ d = JSON.parse(e.data); }} catch (err) {{ return; }}
    var hit = d.all || d.changed.some(function (c) {{
      return c === page || c.indexOf("assets/") === 0 || c.indexOf("static/") === 0;
    }});
    if (hit) {{
      sessionStorage.setItem(key, String(window.scrollY));
      es.close();
      location.reload();
    }}
  }});
}})();
</script>"#,
        page = js_string(p.path),
        generation = p.generation,
        boot = p.boot,
    )
}

fn esc(s: &str) -> String {
    crate::html::escape(s)
}

/// The notice on the page of an approved document being edited: its
/// approval is stale as soon as its content differs from the approved
/// version (`approval-stale`), and it says how to approve the edit.
pub fn editing_notice(id: &str, approved_on: &str, approved_by: Option<&str>) -> String {
    format!(
        r#"<div id="smsite-editing" role="status" style="position:fixed;z-index:2147483646;top:1rem;right:1rem;max-width:32rem;background:#fff;color:#1a1a1a;border:2px solid #8a5a00;border-radius:6px;box-shadow:0 4px 24px rgba(0,0,0,.3);font:14px/1.45 system-ui,sans-serif;padding:.75rem 1rem;text-align:left"><strong style="color:#8a5a00">warning[approval-stale]: you are editing an approved document.</strong> {id} was approved on {on}{by}; this change makes that approval stale until it is approved again: set <code>approved_on</code> (and <code>approved_by</code>) when it is, or revert the change.</div>"#,
        id = esc(id),
        on = esc(approved_on),
        by = approved_by
            .map(|b| format!(" by {}", esc(b)))
            .unwrap_or_default(),
    )
}

/// The findings overlay: a fixed panel listing rule, file:line and message.
pub fn overlay(findings: &[Finding], errors: usize) -> String {
    overlay_quoting(findings, errors, &|_| None)
}

/// The findings overlay, each finding followed by the source line `quote`
/// gives for it, if any (a measurement row, so the row is seen at once).
pub fn overlay_quoting(
    findings: &[Finding],
    errors: usize,
    quote: &dyn Fn(&Finding) -> Option<String>,
) -> String {
    let warnings = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    let mut s = String::new();
    s.push_str(
        r#"<div id="smsite-overlay" role="alert" style="position:fixed;z-index:2147483647;right:1rem;bottom:1rem;left:1rem;max-height:45vh;overflow:auto;background:#fff;color:#1a1a1a;border:2px solid #b00020;border-radius:6px;box-shadow:0 4px 24px rgba(0,0,0,.3);font:14px/1.45 system-ui,sans-serif;padding:.75rem 1rem;text-align:left">"#,
    );
    s.push_str(&format!(
        r#"<button type="button" id="smsite-overlay-close" aria-label="Hide" style="float:right;font:inherit;border:1px solid #999;background:#f4f4f4;border-radius:4px;cursor:pointer">Hide</button><strong style="color:#b00020">smsite: {errors} error{}{}</strong> &mdash; the site below is the last one that built; it updates when these are fixed.<ul style="margin:.5rem 0 0;padding-left:1.2rem">"#,
        if errors == 1 { "" } else { "s" },
        if warnings > 0 {
            format!(", {warnings} warning{}", if warnings == 1 { "" } else { "s" })
        } else {
            String::new()
        },
    ));
    for f in findings.iter().take(MAX_LISTED) {
        let colour = if f.severity == Severity::Error {
            "#b00020"
        } else {
            "#8a5a00"
        };
        s.push_str(&format!(
            r#"<li class="smsite-finding"><span style="color:{colour};font-weight:600">{sev}[{rule}]</span> <code>{file}:{line}:{col}</code> {msg}</li>"#,
            sev = f.severity.as_str(),
            rule = esc(&f.rule),
            file = esc(&f.file),
            line = f.line,
            col = f.column,
            msg = esc(&f.message),
        ));
        if let Some(row) = quote(f) {
            // Inside the item, before its end.
            s.truncate(s.len() - "</li>".len());
            s.push_str(&format!(
                r#"<pre class="smsite-row" style="margin:.15rem 0 .3rem;padding:.2rem .4rem;background:#f4f4f4;border-radius:3px;white-space:pre-wrap;font-size:13px">{}: {}</pre></li>"#,
                f.line,
                esc(&row)
            ));
        }
    }
    if findings.len() > MAX_LISTED {
        s.push_str(&format!(
            "<li>… and {} more (see the terminal)</li>",
            findings.len() - MAX_LISTED
        ));
    }
    s.push_str("</ul></div>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;

    #[test]
    fn injects_before_body_end_and_strips_back() {
        let html = "<html><head><title>x</title></head><body><p>hi</p></body></html>";
        let p = Page {
            path: "doc/A.html",
            generation: 3,
            boot: 7,
            overlay: "",
            base: false,
        };
        let out = String::from_utf8(page(html.as_bytes(), &p)).unwrap_or_default();
        assert!(out.contains("EventSource"));
        assert!(out.find(START) < out.find("</body>"));
        assert_eq!(strip(&out), html);
    }

    #[test]
    fn base_goes_first_in_head() {
        let html = "<html><head><link href=\"static/style.css\"></head><body></body></html>";
        let p = Page {
            path: "nope/x.html",
            generation: 1,
            boot: 1,
            overlay: "",
            base: true,
        };
        let out = String::from_utf8(page(html.as_bytes(), &p)).unwrap_or_default();
        assert!(out.starts_with("<html><head><!--smsite-serve--><base href=\"/\">"));
        assert_eq!(strip(&out), html);
    }

    #[test]
    fn overlay_escapes_and_script_string_is_safe() {
        let f = Finding::new("broken-reference", "a<b>.md", Pos::new(3, 4), "</script>");
        let o = overlay(&[f], 1);
        assert!(o.contains("a&lt;b&gt;.md:3:4"));
        assert!(!o.contains("</script>"));
        assert_eq!(js_string("</script>"), "\"\\u003c/script\\u003e\"");
    }
}
