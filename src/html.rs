//! HTML escaping, the one way the site escapes text: the same code
//! pulldown-cmark uses for Markdown and Tera for printed values (through
//! `pulldown-cmark-escape`), so a value escaped here, by a template or by
//! the Markdown writer comes out the same.

/// Escapes text for HTML (and XML) content: `&`, `<`, `>` and `"`.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + s.len() / 8);
    push_escaped(&mut o, s);
    o
}

/// Escapes text for an HTML attribute value (always written in double quotes).
pub fn attr(s: &str) -> String {
    escape(s)
}

/// Appends `s` escaped as [`escape`] (and Tera, for a printed value) escape it.
pub fn push_escaped(out: &mut String, s: &str) {
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut *out, s);
}
