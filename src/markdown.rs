//! Markdown: one place that knows how bodies are read. `scan` finds what the
//! resolver needs (headings and their anchors, `[[refs]]`, relative links,
//! unclosed `[[`) with byte offsets; `to_html` renders a body with refs and
//! links rewritten, heading anchors and syntect-highlighted code blocks.

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

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
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Reads a body once for the resolver.
pub fn scan(body: &str) -> Scan {
    let mut out = Scan::default();
    let mut slugs = Slugger::default();
    let mut heading: Option<(u8, String)> = None;
    let mut explicit_id: Option<String> = None;
    let mut text_run: Option<std::ops::Range<usize>> = None;
    let mut in_code = 0usize;
    let mut in_table = false;
    let flush = |run: &mut Option<std::ops::Range<usize>>, out: &mut Scan, in_table: bool| {
        if let Some(r) = run.take() {
            let src = &body[r.clone()];
            let mut from = 0;
            while let Some(i) = src[from..].find("[[") {
                let at = r.start + from + i;
                let line = body[at..].split('\n').next().unwrap_or("");
                let cut = in_table && line.find('|').is_some_and(|p| line[p..].contains("]]"));
                if cut {
                    out.cut_by_cell.push(at);
                } else {
                    out.unclosed.push(at);
                }
                // One finding per run of brackets.
                from += i + 2;
                while src[from..].starts_with('[') {
                    from += 1;
                }
            }
        }
    };
    for (ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match ev {
            Event::Text(t) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                }
                if in_code == 0 {
                    text_run = Some(match text_run.take() {
                        Some(r) if r.end >= range.start.saturating_sub(1) => {
                            r.start..range.end.max(r.end)
                        }
                        Some(r) => {
                            let mut tmp = Some(r);
                            flush(&mut tmp, &mut out, in_table);
                            range.clone()
                        }
                        None => range.clone(),
                    });
                }
                continue;
            }
            Event::Code(t) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            Event::Start(Tag::Table(_)) => in_table = true,
            Event::End(TagEnd::Table) => in_table = false,
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((level_num(level), String::new()));
                explicit_id = id.map(|i| i.to_string());
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text)) = heading.take() {
                    // An explicit `{#id}` wins over the generated slug.
                    let slug = match explicit_id.take() {
                        Some(id) => id,
                        None => slugs.slug(&text),
                    };
                    out.headings.push(Heading { level, text, slug });
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                if matches!(link_type, LinkType::WikiLink { .. })
                    && body[range.clone()].contains('\n')
                {
                    // `[[` must be closed on its own line.
                    out.unclosed.push(range.start);
                } else if matches!(link_type, LinkType::WikiLink { .. }) {
                    out.refs.push(WikiRef {
                        target: wiki_target(&dest_url),
                        offset: range.start,
                        len: range.len(),
                    });
                } else if is_local(&dest_url) {
                    out.links.push(Link {
                        dest: dest_url.to_string(),
                        offset: range.start,
                        len: range.len(),
                    });
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) if is_local(&dest_url) => {
                out.links.push(Link {
                    dest: dest_url.to_string(),
                    offset: range.start,
                    len: range.len(),
                });
            }
            _ => {}
        }
        flush(&mut text_run, &mut out, in_table);
    }
    flush(&mut text_run, &mut out, in_table);
    out
}

/// The target of `[[target]]`; in a table cell the pipe is escaped
/// (`[[ID\\|text]]`), which leaves a backslash on the target.
fn wiki_target(dest: &str) -> String {
    dest.trim().trim_end_matches('\\').trim().to_string()
}

/// A destination that points into the repository (not a URL, mail address, …).
pub fn is_local(dest: &str) -> bool {
    if dest.is_empty() || dest.starts_with("//") {
        return false;
    }
    // A scheme: letters, digits, +, -, . before the first ':' (and before any '/').
    if let Some(colon) = dest.find(':') {
        let scheme = &dest[..colon];
        if !scheme.is_empty()
            && !scheme.contains('/')
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
        {
            return false;
        }
    }
    true
}

fn level_num(l: HeadingLevel) -> u8 {
    l as u8
}

/// GitHub-style heading slugs: lower case, spaces to `-`, punctuation
/// dropped; a repeated slug gets `-1`, `-2`, …, skipping any suffix a
/// heading already took (`A-1`, `A`, `A` → `a-1`, `a`, `a-2`), so anchors
/// on one page are always unique.
#[derive(Default)]
pub struct Slugger {
    /// Each base slug and the next number to try after it.
    next: crate::FastMap<String, usize>,
    used: crate::FastSet<String>,
}

impl Slugger {
    pub fn slug(&mut self, text: &str) -> String {
        let base = slug(text);
        let n = self.next.entry(base.clone()).or_insert(0);
        loop {
            let out = if *n == 0 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            *n += 1;
            if self.used.insert(out.clone()) {
                return out;
            }
        }
    }
}

pub fn slug(text: &str) -> String {
    let text = text.trim();
    let mut s = String::with_capacity(text.len());
    if text.is_ascii() {
        for &c in text.as_bytes() {
            if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' {
                s.push(char::from(c.to_ascii_lowercase()));
            } else if c == b' ' {
                s.push('-');
            }
        }
        return s;
    }
    for c in text.chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            s.extend(c.to_lowercase());
        } else if c == ' ' {
            s.push('-');
        }
    }
    s
}

/// How `to_html` resolves what a body points at.
pub trait Links {
    /// `[[target]]`: `Ok((href, title))` or `Err(message)` for a broken ref.
    fn wiki(&self, target: &str) -> Result<(String, String), String>;
    /// A local link destination: `Ok(href)` or `Err(message)`.
    fn link(&self, dest: &str) -> Result<String, String>;
}

/// Renders a body to HTML.
pub fn to_html(body: &str, links: &dyn Links) -> String {
    let mut out = String::with_capacity(body.len() * 3 / 2);
    let mut slugs = Slugger::default();
    let parser = Parser::new_ext(body, options());
    let mut events: Vec<Event> = Vec::new();
    let mut code: Option<(String, String)> = None;
    let mut heading: Option<(usize, String)> = None;
    let mut skip_wiki_text = false;
    for ev in parser {
        if let Some((lang, buf)) = code.as_mut() {
            match ev {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let html = crate::highlight::highlight(lang, buf);
                    events.push(Event::Html(html.into()));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        match ev {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some((events.len(), String::new()));
                events.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((at, text)) = heading.take() {
                    let explicit = match &events[at] {
                        Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
                        _ => None,
                    };
                    let slug = explicit.unwrap_or_else(|| slugs.slug(&text));
                    if let Event::Start(Tag::Heading {
                        level,
                        classes,
                        attrs,
                        ..
                    }) = std::mem::replace(&mut events[at], Event::SoftBreak)
                    {
                        events[at] = Event::Start(Tag::Heading {
                            level,
                            id: Some(slug.clone().into()),
                            classes,
                            attrs,
                        });
                    }
                    events.insert(
                        at + 1,
                        Event::Html(
                            format!(
                                "<a class=\"anchor\" href=\"#{slug}\" aria-hidden=\"true\">#</a>"
                            )
                            .into(),
                        ),
                    );
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => {
                match links.wiki(&wiki_target(&dest_url)) {
                    Ok((href, title)) => {
                        // `data-id`: the print stylesheet shows the id after the title.
                        events.push(Event::Html(
                            format!(
                                "<a class=\"ref\" href=\"{}\" data-id=\"{}\">",
                                attr(&href),
                                attr(&wiki_target(&dest_url))
                            )
                            .into(),
                        ));
                        if !has_pothole {
                            events.push(Event::Text(title.into()));
                            skip_wiki_text = true;
                        }
                        events.push(Event::Html("".into()));
                    }
                    Err(msg) => {
                        events.push(Event::Html(
                            format!("<span class=\"broken-ref\" title=\"{}\">", attr(&msg)).into(),
                        ));
                        if !has_pothole {
                            events.push(Event::Text(
                                format!("[[{}]]", wiki_target(&dest_url)).into(),
                            ));
                            skip_wiki_text = true;
                        }
                        events.push(Event::Html("".into()));
                    }
                }
                // Remember which closing tag to emit.
                events.push(Event::InlineHtml(CowStr::Borrowed("")));
            }
            Event::End(TagEnd::Link) if is_wiki_open(&events) => {
                skip_wiki_text = false;
                let open = close_wiki(&mut events);
                events.push(Event::Html(if open { "</a>" } else { "</span>" }.into()));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if is_local(&dest_url) => {
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: rewrite(links, &dest_url),
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) if is_local(&dest_url) => {
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: rewrite(links, &dest_url),
                    title,
                    id,
                }));
            }
            Event::Text(t) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                }
                if !skip_wiki_text {
                    events.push(Event::Text(t));
                }
            }
            Event::Code(t) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                }
                if !skip_wiki_text {
                    events.push(Event::Code(t));
                }
            }
            other => {
                if !skip_wiki_text {
                    events.push(other);
                }
            }
        }
    }
    pulldown_cmark::html::push_html(
        &mut out,
        events
            .into_iter()
            .filter(|e| !matches!(e, Event::InlineHtml(s) if s.is_empty())),
    );
    out
}

/// A local link's destination on the site (left as written when it does
/// not resolve: the `broken-reference` finding says why).
fn rewrite(links: &dyn Links, dest: &str) -> CowStr<'static> {
    links.link(dest).unwrap_or_else(|_| dest.to_string()).into()
}

/// Wiki links are bracketed by a marker (`InlineHtml("")`) pushed after their
/// opening; find whether one is open.
fn is_wiki_open(events: &[Event]) -> bool {
    let mut depth = 0i32;
    for e in events.iter().rev() {
        match e {
            Event::InlineHtml(s) if s.is_empty() => return depth == 0,
            Event::Start(Tag::Link { .. }) => {
                if depth == 0 {
                    return false;
                }
                depth -= 1;
            }
            Event::End(TagEnd::Link) => depth += 1,
            _ => {}
        }
    }
    false
}

/// Removes the innermost open-wiki marker; returns whether it opened an `<a>`.
fn close_wiki(events: &mut Vec<Event>) -> bool {
    if let Some(i) = events
        .iter()
        .rposition(|e| matches!(e, Event::InlineHtml(s) if s.is_empty()))
    {
        events.remove(i);
        // The opening Html is at i-2 or i-3 (an optional Text and an empty Html follow it).
        for j in (i.saturating_sub(3)..i).rev() {
            if let Event::Html(h) = &events[j] {
                if h.starts_with("<a ") {
                    return true;
                }
                if h.starts_with("<span ") {
                    return false;
                }
            }
        }
    }
    true
}

/// Escapes text for an HTML attribute value (always written in double quotes).
pub fn attr(s: &str) -> String {
    escape(s)
}

/// Escapes text for HTML (and XML) content: `&`, `<`, `>` and `"`.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + s.len() / 8);
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut o, s);
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    struct L;
    impl Links for L {
        fn wiki(&self, t: &str) -> Result<(String, String), String> {
            if t == "BAD" {
                Err("no such id".into())
            } else {
                Ok((format!("../doc/{t}.html"), format!("Title of {t}")))
            }
        }
        fn link(&self, d: &str) -> Result<String, String> {
            Ok(format!("X{d}"))
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
}

#[cfg(test)]
mod slugs {
    use super::*;

    /// The definition `Slugger` implements.
    fn reference(texts: &[String]) -> Vec<String> {
        let mut next = std::collections::HashMap::new();
        let mut used = std::collections::HashSet::new();
        texts
            .iter()
            .map(|t| {
                let base = slug(t);
                let n = next.entry(base.clone()).or_insert(0);
                loop {
                    let out = if *n == 0 {
                        base.clone()
                    } else {
                        format!("{base}-{n}")
                    };
                    *n += 1;
                    if used.insert(out.clone()) {
                        return out;
                    }
                }
            })
            .collect()
    }

    /// The general definition of `slug`, which its ASCII path must match.
    fn slug_reference(text: &str) -> String {
        let mut s = String::new();
        for c in text.trim().chars() {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                s.extend(c.to_lowercase());
            } else if c == ' ' {
                s.push('-');
            }
        }
        s
    }

    #[test]
    fn numbers_skip_taken_suffixes() {
        let mut s = Slugger::default();
        let got: Vec<String> = ["A-1", "A", "A", "A"].iter().map(|t| s.slug(t)).collect();
        assert_eq!(got, ["a-1", "a", "a-2", "a-3"]);
    }

    proptest::proptest! {
        #[test]
        fn slugger_matches_its_definition(texts in proptest::collection::vec("(A|a|A-1|a-2|B|b c|É|_)( A| 1|-1|-2){0,2}", 0..60)) {
            let mut s = Slugger::default();
            let got: Vec<String> = texts.iter().map(|t| s.slug(t)).collect();
            proptest::prop_assert_eq!(got, reference(&texts));
        }

        #[test]
        fn slug_matches_its_definition(text in "[ a-zA-Z0-9_.,:!-]{0,30}|.{0,20}") {
            proptest::prop_assert_eq!(slug(&text), slug_reference(&text));
        }
    }
}

#[cfg(test)]
mod theme_css {
    #[test]
    fn shipped_syntax_css_matches_syntect() {
        let shipped = include_str!("../themes/default/static/syntax.css");
        assert_eq!(
            shipped,
            crate::highlight::syntax_css(),
            "regenerate themes/default/static/syntax.css from highlight::syntax_css()"
        );
    }
}
