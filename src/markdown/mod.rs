//! Markdown: one place that knows how bodies are read. Each body is parsed
//! once, at load ([`compile`]): into what the resolver needs ([`Scan`]:
//! headings and their anchors, `[[refs]]`, relative links, unclosed `[[`,
//! with byte offsets) and into its HTML, heading anchors and
//! syntect-highlighted code included, with holes where references go
//! ([`Compiled`]). Rendering a page fills the holes once references are
//! resolved; [`to_html`] renders a body in one go.
//!
//! Markdown written for other tools is read as its authors meant: mkdocs'
//! admonitions and GitHub's alerts become notes, `{{name}}` placeholders
//! take the values of `sms.yaml`'s variables ([`compile_with`]), and a
//! local link that leads nowhere is shown as its text, never as a link
//! (see [`Links::link`]).

//!
//! - `admonition`: mkdocs' admonitions (`!!! note "Title"`), rewritten
//!   for the reader before a body is read;
//! - `compiler`: the one pass over a body's Markdown events;
//! - `holes`: the compiled HTML and how its holes are filled;
//! - `slug`: heading anchors.

mod admonition;
mod compiler;
mod holes;
mod slug;

pub use compiler::is_local;
pub use holes::Compiled;
pub use slug::{Slugger, slug};

use std::borrow::Cow;

use pulldown_cmark::Options;

use compiler::Compiler;
use holes::HoleWriter;

/// A heading and its anchor (GitHub-style slug, de-duplicated).
#[derive(Debug, Clone, Hash, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub slug: String,
}

/// A `[[target]]` or `[[target|text]]` in a body.
#[derive(Debug, Clone)]
pub struct WikiRef {
    pub target: String,
    pub offset: usize,
    pub len: usize,
    /// Not closed on its own line: reported as unclosed, not resolved
    /// (its page still shows it, resolved or marked broken).
    pub spans_lines: bool,
}

/// An ordinary link or image destination in a body.
#[derive(Debug, Clone)]
pub struct Link {
    pub dest: String,
    pub offset: usize,
    pub len: usize,
}

/// What a body refers to and which anchors it offers (offsets into the body).
#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub headings: Vec<Heading>,
    pub refs: Vec<WikiRef>,
    pub links: Vec<Link>,
    /// Offsets of `[[` not closed by `]]`.
    pub unclosed: Vec<usize>,
    /// Offsets of `[[ID|text]]` in a table row, cut in two by its `|`
    /// (a cell ends there; `[[ID\|text]]` is the table form).
    pub cut_by_cell: Vec<usize>,
    /// `{{name}}` placeholders whose name no variable has (only when the
    /// body was read with variables): where they are and the name.
    pub unknown_vars: Vec<Placeholder>,
}

/// A `{{name}}` in a body.
#[derive(Debug, Clone)]
pub struct Placeholder {
    pub name: String,
    pub offset: usize,
    pub len: usize,
}

/// Where the `}}` after a `{{` was found, remembered: searched from
/// `from`, the first `}}` of the line is at `to` (`found`), or there is
/// none before the line's end, `to`. The `{{` of a run on one long line
/// are then answered without searching the line again each.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct CloseMemo {
    from: usize,
    to: usize,
    found: bool,
    used: bool,
}

/// The offset of the first `}}` at or after `from` in `s`, before the end
/// of `from`'s line (see [`CloseMemo`]).
pub(crate) fn close_on_line(s: &[u8], from: usize, memo: &mut CloseMemo) -> Option<usize> {
    if memo.used && memo.from <= from && from <= memo.to {
        return memo.found.then_some(memo.to);
    }
    let mut i = from;
    let (to, found) = loop {
        match memchr::memchr2(b'}', b'\n', s.get(i..).unwrap_or_default()) {
            Some(k) if s[i + k] == b'\n' => break (i + k, false),
            Some(k) if s.get(i + k + 1) == Some(&b'}') => break (i + k, true),
            Some(k) => i += k + 1,
            None => break (s.len(), false),
        }
    };
    *memo = CloseMemo {
        from,
        to,
        found,
        used: true,
    };
    found.then_some(to)
}

/// The variables of `sms.yaml`: name → text (see [`compile_with`]).
pub type Variables = std::collections::BTreeMap<String, String>;

/// `text` with each `{{name}}` of a variable replaced by its text; an
/// escaped `\{{name}}` and a name no variable has are kept as written.
/// The words a body shows, for the search index (which also fills code,
/// where pages keep the placeholder: a word or two of difference); pages
/// are filled by the compiler, which also reports the unknown names.
pub fn fill_variables<'t>(text: &'t str, vars: &Variables) -> std::borrow::Cow<'t, str> {
    let mut out = String::new();
    let (mut i, mut copied) = (0, 0);
    let mut memo = CloseMemo::default();
    while let Some(k) = crate::find_pair(&text[i..], *b"{{") {
        let open = i + k;
        // No `}}` on its line: text (a `{{` on a later line may still close).
        let Some(close) = close_on_line(text.as_bytes(), open, &mut memo) else {
            i = open + 2;
            continue;
        };
        let escaped = open > 0 && text.as_bytes()[open - 1] == b'\\';
        let name = text[open + 2..close].trim();
        match vars.get(name).filter(|_| !escaped && valid_variable(name)) {
            Some(value) => {
                out.push_str(&text[copied..open]);
                out.push_str(value);
                i = close + 2;
                copied = i;
            }
            None => i = open + 2,
        }
    }
    if copied == 0 {
        return text.into();
    }
    out.push_str(&text[copied..]);
    out.into()
}

/// A variable's name: letters, digits, `_`, `-` and `.`, starting with a
/// letter or `_` (as written between `{{` and `}}`).
pub fn valid_variable(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

impl Scan {
    /// Turns every offset (of the text read) into `orig(offset)` (of the
    /// body it was rewritten from), lengths with them.
    fn map_offsets(&mut self, orig: impl Fn(usize) -> usize) {
        let span = |offset: &mut usize, len: &mut usize| {
            let end = orig(*offset + *len);
            *offset = orig(*offset);
            *len = end.saturating_sub(*offset);
        };
        for r in &mut self.refs {
            span(&mut r.offset, &mut r.len);
        }
        for l in &mut self.links {
            span(&mut l.offset, &mut l.len);
        }
        for u in self.unclosed.iter_mut().chain(&mut self.cut_by_cell) {
            *u = orig(*u);
        }
        for v in &mut self.unknown_vars {
            span(&mut v.offset, &mut v.len);
        }
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Reads a body once, at load: what the resolver needs, and the body's HTML
/// with holes where what it points at goes (see [`Compiled`]).
pub fn compile(body: &str) -> (Scan, Compiled) {
    compile_with(body, None)
}

/// [`compile`], each `{{name}}` of the body's text (not of its code)
/// replaced by the text of variable `name` of `vars`; a name it does not
/// have is kept as written and noted (`Scan::unknown_vars`). Without
/// `vars`, `{{...}}` is text like any other.
pub fn compile_with(body: &str, vars: Option<&std::sync::Arc<Variables>>) -> (Scan, Compiled) {
    let prepared = admonition::prepare(body, vars.map(|v| &**v));
    let text = prepared.as_ref().map_or(body, |p| p.text.as_str());
    let mut c = Compiler::new(text, None);
    c.vars = vars.map(|v| &**v);
    // Room for a body's usual references (grown a step at a time, these
    // lists were a reallocation every few references).
    c.holes.reserve(32);
    let mut w = HoleWriter::with_capacity(body.len() * 3 / 2, 32);
    // Writing into a String cannot fail.
    let _ = pulldown_cmark::html::write_html_fmt(&mut w, &mut c);
    let (mut scan, holes) = c.finish();
    if let Some(p) = prepared {
        scan.map_offsets(|at| p.orig(at));
        scan.unknown_vars.extend(p.unknown_vars);
    }
    let compiled =
        Compiled::new(w, holes, vars.cloned()).unwrap_or_else(|| Compiled::full(vars.cloned()));
    // Kept for the whole build: no room to spare.
    scan.headings.shrink_to_fit();
    scan.refs.shrink_to_fit();
    scan.links.shrink_to_fit();
    (scan, compiled)
}

/// Renders a body to HTML with variables (see [`compile_with`]),
/// resolving its refs and links on the way.
pub fn to_html_with(body: &str, links: &dyn Links, vars: Option<&Variables>) -> String {
    let prepared = admonition::prepare(body, vars);
    let body = prepared.as_ref().map_or(body, |p| p.text.as_str());
    let mut c = Compiler::new(body, Some(links));
    c.vars = vars;
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, &mut c);
    html
}

/// What the resolver needs from a body (see [`compile`]).
pub fn scan(body: &str) -> Scan {
    compile(body).0
}

/// Renders a body to HTML, resolving its refs and links on the way.
pub fn to_html(body: &str, links: &dyn Links) -> String {
    to_html_with(body, links, None)
}

/// How `to_html` resolves what a body points at.
pub trait Links {
    /// `[[target]]`: `Ok((href, title))` or `Err(message)` for a broken ref.
    /// Borrowed where the answer is kept anyway (a page's every reference
    /// asks: copies for each added up).
    fn wiki(&self, target: &str) -> Result<(Cow<'_, str>, Cow<'_, str>), String>;
    /// A local link destination: `Ok(href)`, where it leads on the site
    /// (for a link that does not resolve, the best target that exists), or
    /// `Err(message)` when it leads nowhere: the link is then shown as its
    /// text, marked, with the message as its title (never as a link to
    /// nothing).
    fn link(&self, dest: &str) -> Result<Cow<'_, str>, String>;
    /// The body's `n`-th local link (`Scan::links[n]`, to `dest`): the
    /// same as `link(dest)`, from an answer kept ready if there is one.
    fn link_at(&self, _n: usize, dest: &str) -> Result<Cow<'_, str>, String> {
        self.link(dest)
    }
    /// `[[target]]` as HTML when it is kept ready: its opening tag and its
    /// title as text, exactly what `wiki`'s answer gives once written (see
    /// [`wiki_html`]); `None` to have them made from `wiki`.
    fn wiki_html(&self, _target: &str) -> Option<(&str, &str)> {
        None
    }
}

/// The HTML of a `[[ref]]` that resolves to `href` and `title`: its opening
/// tag (the `data-id` is the target as written) and its title as text.
pub fn wiki_html(href: &str, target: &str, title: &str) -> (String, String) {
    let mut tag = String::with_capacity(40 + href.len() + target.len());
    let _ = write_wiki_open(&mut tag, href, target);
    let mut text = String::with_capacity(title.len());
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut text, title);
    (tag, text)
}

/// The opening tag of a `[[ref]]` to `href`.
pub(crate) fn write_wiki_open(out: &mut String, href: &str, target: &str) -> std::fmt::Result {
    // `data-id`: the print stylesheet shows the id after the title.
    out.push_str("<a class=\"ref\" href=\"");
    pulldown_cmark_escape::escape_html(&mut *out, href)?;
    out.push_str("\" data-id=\"");
    pulldown_cmark_escape::escape_html(&mut *out, target)?;
    out.push_str("\">");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct L;
    impl Links for L {
        fn wiki(&self, t: &str) -> Result<(Cow<'_, str>, Cow<'_, str>), String> {
            if t == "BAD" {
                Err("no such id".into())
            } else {
                Ok((
                    format!("../doc/{t}.html").into(),
                    format!("Title of {t}").into(),
                ))
            }
        }
        fn link(&self, d: &str) -> Result<Cow<'_, str>, String> {
            Ok(format!("X{d}").into())
        }
    }

    #[test]
    fn scan_finds_refs_links_headings_and_unclosed() {
        let s = scan(
            "# Hello World\n\nSee [[SVC-A]] and [[SVC-B|b]] and [x](../a.md#h).\n\n`[[NOT]]`\n\n```\n[[NOPE]]\n```\n\nBad [[OPEN here\n\n## Hello World\n",
        );
        let t: Vec<_> = s.refs.iter().map(|r| r.target.as_str()).collect();
        assert_eq!(t, ["SVC-A", "SVC-B"]);
        assert_eq!(s.links.len(), 1);
        assert_eq!(s.unclosed.len(), 1);
        assert_eq!(s.headings[0].slug, "hello-world");
        assert_eq!(s.headings[1].slug, "hello-world-1");
    }

    #[test]
    fn table_cell_pothole() {
        let s = scan("| a | b |\n|---|---|\n| [[SVC-A\\|the A]] | x |\n");
        assert_eq!(s.refs.len(), 1, "{s:?}");
        assert_eq!(s.refs[0].target, "SVC-A");
        let h = to_html("| a | b |\n|---|---|\n| [[SVC-A\\|the A]] | x |\n", &L);
        assert!(h.contains(">the A</a>"), "{h}");
    }

    #[test]
    fn html_rewrites() {
        let h = to_html(
            "## Intro\n\n[[SVC-A]] [[BAD]] [[SVC-B|text]] [l](a.md)\n",
            &L,
        );
        assert!(h.contains("<h2 id=\"intro\">"), "{h}");
        assert!(
            h.contains(
                "<a class=\"ref\" href=\"../doc/SVC-A.html\" data-id=\"SVC-A\">Title of SVC-A</a>"
            ),
            "{h}"
        );
        assert!(h.contains("broken-ref"), "{h}");
        assert!(h.contains(">text</a>"), "{h}");
        assert!(h.contains("href=\"Xa.md\""), "{h}");
    }

    #[test]
    fn task_list_boxes_are_labelled() {
        let h = to_html("- [x] Call the duty manager\n- [ ] Open a bridge\n", &L);
        assert!(
            h.contains("<li><input type=\"checkbox\" disabled=\"\" checked=\"\" aria-label=\"done\"/> Call the duty manager</li>"),
            "{h}"
        );
        assert!(
            h.contains("<li><input type=\"checkbox\" disabled=\"\" aria-label=\"not done\"/> Open a bridge</li>"),
            "{h}"
        );
    }
}
