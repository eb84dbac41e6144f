//! A body's compiled HTML: written once at load with holes where its
//! references and local links go, filled for each page once they are
//! resolved (see [`Compiled::fill`]).

use std::borrow::Cow;

use std::sync::Arc;

use super::{Links, Scan, Variables, to_html_with, write_wiki_open};

/// A body's HTML as far as it can be written before references are
/// resolved: headings with their anchors, highlighted code, and holes for
/// each `[[ref]]` (a link or a broken-ref mark, and the title) and each
/// local link's destination. Filling the holes gives exactly what
/// [`super::to_html`] writes, without reading the Markdown again.
#[derive(Debug, Clone, Default)]
pub struct Compiled {
    /// `None`: the holes could not be marked (the body's own text contains
    /// the marker), so the body is rendered in full when filled.
    html: Option<Box<str>>,
    /// Where each hole is in `html` (byte offsets, ascending).
    holes: Box<[(u32, Hole)]>,
    /// The variables the body was read with (for a render in full).
    vars: Option<Arc<Variables>>,
}

/// What goes in a hole; numbers index the body's [`Scan`].
#[derive(Debug, Clone, Copy)]
pub(super) enum Hole {
    /// `refs[n]` opens: its link (or broken-ref mark) and, without a
    /// `|text` of its own, its title.
    Wiki { n: u32, pothole: bool },
    /// The innermost `[[target]]` closes.
    WikiEnd,
    /// `refs[n]` in an image's alt text: its title only.
    WikiAlt { n: u32 },
    /// The destination of `links[n]` (an `href` or `src` value).
    Href { n: u32 },
}

/// Marks a hole while the HTML is written: `~smsitehole` + its number + `.`
/// (characters every HTML escape leaves as they are).
pub(super) const HOLE: &str = "~smsitehole";

/// The marker of hole `n`.
pub(super) fn marker(n: usize) -> String {
    let mut m = String::with_capacity(HOLE.len() + 8);
    m.push_str(HOLE);
    push_decimal(&mut m, n);
    m.push('.');
    m
}

fn push_decimal(s: &mut String, n: usize) {
    if n >= 10 {
        push_decimal(s, n / 10);
    }
    s.push(char::from(b'0' + (n % 10) as u8));
}

/// The HTML writer's output at load: everything it writes, except the
/// marker of the next hole, which the writer is given as one piece (an
/// event of its own, or a destination or alt text of nothing else) and
/// which is left out, its place noted. What a body's own text writes is
/// never taken for a marker unnoticed: see [`Compiled::new`].
pub(super) struct HoleWriter {
    html: String,
    /// Where each hole's marker was left out (byte offsets, ascending).
    spots: Vec<u32>,
}

impl HoleWriter {
    /// A writer with room for `html` bytes and `holes` holes.
    pub(super) fn with_capacity(html: usize, holes: usize) -> HoleWriter {
        HoleWriter {
            html: String::with_capacity(html),
            spots: Vec::with_capacity(holes),
        }
    }
}

impl std::fmt::Write for HoleWriter {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        // (Nearly every piece is text: its first byte tells.)
        if s.as_bytes().first() == Some(&b'~')
            && let Some(n) = s.strip_prefix(HOLE).and_then(|r| r.strip_suffix('.'))
            && !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
            && n.parse::<usize>().ok() == Some(self.spots.len())
            && let Ok(at) = u32::try_from(self.html.len())
        {
            self.spots.push(at);
            return Ok(());
        }
        self.html.push_str(s);
        Ok(())
    }
}

impl Compiled {
    /// The body's HTML as written, its holes where their markers were
    /// left out. `None` when the markers left out are not exactly the
    /// holes, in order, or a marker is left in the HTML (the body's own
    /// text spells one): the body is then rendered in full when filled.
    /// A body rendered in full whenever it is filled.
    pub(super) fn full(vars: Option<Arc<Variables>>) -> Compiled {
        Compiled {
            vars,
            ..Compiled::default()
        }
    }

    pub(super) fn new(
        w: HoleWriter,
        holes: Vec<Hole>,
        vars: Option<Arc<Variables>>,
    ) -> Option<Compiled> {
        let HoleWriter { html, spots } = w;
        if spots.len() != holes.len()
            || memchr::memmem::find(html.as_bytes(), HOLE.as_bytes()).is_some()
        {
            return None;
        }
        Some(Compiled {
            html: Some(html.into_boxed_str()),
            holes: spots.into_iter().zip(holes).collect(),
            vars,
        })
    }

    /// The body's HTML with its refs and links resolved; `body` is the
    /// Markdown it was compiled from, `scan` what it was read into.
    pub fn fill(&self, body: &str, scan: &Scan, links: &dyn Links) -> String {
        let Some(html) = &self.html else {
            return self.full_render(body, links);
        };
        let target = |n: u32| scan.refs.get(n as usize).map_or("", |r| r.target.as_str());
        let mut out = String::with_capacity(html.len() + self.holes.len() * 64);
        let mut at = 0;
        // Whether each open `[[ref]]` is a link (`</a>`) or a mark (`</span>`).
        let mut open = Vec::new();
        for &(spot, hole) in &self.holes {
            let spot = spot as usize;
            out.push_str(&html[at..spot]);
            at = spot;
            // Writing into a String cannot fail.
            let _ = match hole {
                Hole::Wiki { n, pothole } => {
                    // Straight into the page (this runs for every reference of every page).
                    if let Some((tag, title)) = links.wiki_html(target(n)) {
                        out.push_str(tag);
                        open.push(true);
                        if !pothole {
                            out.push_str(title);
                        }
                        Ok(())
                    } else {
                        let (text, is_link) = write_wiki_tag(&mut out, links, target(n));
                        open.push(is_link);
                        if pothole {
                            Ok(())
                        } else {
                            pulldown_cmark_escape::escape_html_body_text(&mut out, &text)
                        }
                    }
                }
                Hole::WikiEnd => {
                    out.push_str(wiki_end(open.pop().unwrap_or(true)));
                    Ok(())
                }
                Hole::WikiAlt { n } => {
                    pulldown_cmark_escape::escape_html(&mut out, &wiki_parts(links, target(n)).1)
                }
                Hole::Href { n } => {
                    let dest = scan.links.get(n as usize).map_or("", |l| l.dest.as_str());
                    match links.link_at(n as usize, dest) {
                        Ok(href) => pulldown_cmark_escape::escape_href(&mut out, &href),
                        // A link that leads nowhere is shown as its text,
                        // not as a link: the tag around this hole changes,
                        // so the body is rendered in full (rare: only a
                        // body with a broken link).
                        Err(_) => return self.full_render(body, links),
                    }
                }
            };
        }
        out.push_str(&html[at..]);
        out
    }
}

impl Compiled {
    /// The body rendered in full, as it was read.
    fn full_render(&self, body: &str, links: &dyn Links) -> String {
        to_html_with(body, links, self.vars.as_deref())
    }
}

/// `[[target]]` resolved: its opening tag, the text it shows without a
/// `|text` of its own, and whether it is a link (or a broken-ref mark).
pub(super) fn wiki_parts<'l>(links: &'l dyn Links, target: &str) -> (String, Cow<'l, str>, bool) {
    let mut tag = String::new();
    let (text, is_link) = write_wiki_tag(&mut tag, links, target);
    (tag, text, is_link)
}

/// Writes `[[target]]`'s opening tag into `out`; returns the text it
/// shows without a `|text` of its own, and whether it is a link.
pub(super) fn write_wiki_tag<'l>(
    out: &mut String,
    links: &'l dyn Links,
    target: &str,
) -> (Cow<'l, str>, bool) {
    // Writing into a String cannot fail.
    match links.wiki(target) {
        Ok((href, title)) => {
            let _ = write_wiki_open(out, &href, target);
            (title, true)
        }
        Err(msg) => {
            out.push_str("<span class=\"broken-ref\" title=\"");
            let _ = pulldown_cmark_escape::escape_html(&mut *out, &msg);
            out.push_str("\">");
            (Cow::Owned(format!("[[{target}]]")), false)
        }
    }
}

pub(super) fn wiki_end(is_link: bool) -> &'static str {
    if is_link { "</a>" } else { "</span>" }
}

#[cfg(test)]
mod compiled {
    use super::super::{compile, scan, to_html};
    use super::*;

    /// Resolves `[[BAD…]]` as broken, the rest to pages, local links to `X…`.
    struct L;
    impl Links for L {
        fn wiki(&self, t: &str) -> Result<(Cow<'_, str>, Cow<'_, str>), String> {
            if t.starts_with("BAD") {
                Err(format!("no <{t}>"))
            } else {
                Ok((
                    format!("../doc/{t}.html?a&b").into(),
                    format!("Title \"{t}\" & co").into(),
                ))
            }
        }
        fn link(&self, d: &str) -> Result<Cow<'_, str>, String> {
            if d.starts_with("gone") {
                Err("no such file".into())
            } else {
                Ok(format!("X{d}").into())
            }
        }
    }

    fn filled(body: &str) -> (String, Compiled) {
        let (scan, c) = compile(body);
        (c.fill(body, &scan, &L), c)
    }

    #[test]
    fn holes_filled_give_the_html_of_a_full_render() {
        let body = "# A [[SVC-A]]\n\nSee [[SVC-A]], [[BAD-1|x *y*]] and [l](a.md \"t\") ![p [[SVC-B]]](j.png) ![p](i.png).\n\n| a | b |\n|---|---|\n| [[SVC-C\\|c]] | [m](gone.md#h) |\n\n```rust\nlet x = \"[[NOT]]\";\n```\n";
        let (html, c) = filled(body);
        assert!(c.html.is_some(), "holes were marked");
        assert!(!c.holes.is_empty());
        assert_eq!(html, to_html(body, &L));
        assert!(html.contains("href=\"Xa.md\""), "{html}");
        assert!(html.contains("src=\"Xi.png\""), "{html}");
        assert!(!html.contains("gone.md"), "{html}");
        assert!(
            html.contains("<span class=\"broken-link\" title=\"no such file\">m</span>"),
            "{html}"
        );
        assert!(!html.contains(HOLE), "{html}");
    }

    #[test]
    fn a_body_that_holds_the_marker_is_rendered_in_full() {
        let body = "Text ~smsitehole0. and [[SVC-A]] and `~smsitehole1.`\n";
        let (html, c) = filled(body);
        assert!(c.html.is_none(), "the marker is the body's own: no holes");
        assert_eq!(html, to_html(body, &L));
        assert!(
            html.contains("Text ~smsitehole0. and <a class=\"ref\""),
            "{html}"
        );
    }

    #[test]
    fn a_ref_over_two_lines_is_shown_but_not_resolved() {
        let s = scan("See [[SVC-A\nB]].\n");
        assert_eq!(s.unclosed.len(), 1);
        assert!(s.refs.iter().all(|r| r.spans_lines), "{s:?}");
    }

    proptest::proptest! {
        /// Whatever the body, filling its holes gives what a full render
        /// gives (which is what the page shows).
        #[test]
        fn fill_matches_a_full_render(parts in proptest::collection::vec(proptest::sample::select(vec![
            "# Head [[SVC-A]]\n", "## Head\n", "## Head {#own}\n", "text ", "[[SVC-A]]", "[[BAD-2]]",
            "[[SVC-B|the *B*]]", "[[BAD-3|b]]", "[[SVC-C\n", "]]", "[l](a.md#x)", "[u](https://e.org/)",
            "[g](gone.md)", "![gone *pic*](gone.png)", "![alt [[SVC-A]] [[BAD-4|z]]](p.png)", "![a [b](c.md) *e*](p.png)", "![](https://e.org/p.png)",
            "<x@e.org>", "\n\n", "\n", "| a | b |\n|---|---|\n| [[SVC-D\\|d]] | [[E|e]] |\n",
            "```\n[[NOT]] ~smsitehole0.\n```\n", "`[[code]]`", "~smsitehole", "0.", "&#126;smsitehole1.",
            "- item [[SVC-A]]\n", "> quote [q](b.md)\n", "[^1]\n\n[^1]: note [[SVC-A]]\n", "*[[SVC-A]]*",
            "!!! note \"T {{x}}\"\n    [[SVC-A]] [l](a.md) {{x}}\n", "??? tip\n    [g](gone.md)\n", "    more\n",
            "> [!NOTE]\n> alert [[SVC-B]]\n", "{{x}}", "{{ x_y }}", "{{nope}}", "{{", "_", "\\{{x}}",
        ]), 0..14)) {
            let body: String = parts.concat();
            let (html, _) = filled(&body);
            proptest::prop_assert_eq!(html, to_html(&body, &L));
            // With variables too.
            let vars = std::sync::Arc::new(Variables::from([
                ("x".to_string(), "<X>".to_string()),
                ("x_y".to_string(), "*y*".to_string()),
            ]));
            let (scan, c) = super::super::compile_with(&body, Some(&vars));
            proptest::prop_assert_eq!(
                c.fill(&body, &scan, &L),
                super::super::to_html_with(&body, &L, Some(&vars))
            );
        }
    }
}
