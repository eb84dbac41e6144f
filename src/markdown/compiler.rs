//! The one pass over a body's Markdown events: notes what the resolver
//! needs ([`Scan`]) and hands the HTML writer the page's events, with
//! heading anchors, highlighted code, and references either resolved or
//! marked as holes.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd,
};

use super::holes::{Hole, marker, wiki_end, wiki_parts};
use super::{Heading, Link, Links, Placeholder, Scan, Slugger, Variables, WikiRef, options};

/// A local link's destination on the site, or why it leads nowhere.
fn rewrite<'d>(links: &'d dyn Links, dest: &'d str) -> Result<CowStr<'d>, String> {
    match links.link(dest)? {
        Cow::Borrowed(href) => Ok(CowStr::Borrowed(href)),
        Cow::Owned(href) => Ok(href.into()),
    }
}

/// What a link or image opened in the body is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    /// A link (or image) as written, its destination resolved.
    Link,
    /// A local link or image that leads nowhere: its text (an image's alt
    /// text) in a marked `<span>`, with the reason as its title.
    Broken,
    /// A `[[ref]]`: a link, or a broken-ref mark (`false`).
    Wiki(bool),
}

/// The opening tag of a link that leads nowhere (see [`Open::Broken`]).
fn broken_open(class: &str, why: &str) -> String {
    let mut tag = String::with_capacity(48 + why.len());
    tag.push_str("<span class=\"");
    tag.push_str(class);
    tag.push_str("\" title=\"");
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut tag, why);
    tag.push_str("\">");
    tag
}

/// Reads a body's events once, noting what the resolver needs (`scan`)
/// and handing the HTML writer the events of the page: heading anchors,
/// highlighted code, and refs and links either resolved (`links`) or
/// marked as holes.
pub(super) struct Compiler<'a, 'l> {
    body: &'a str,
    events: pulldown_cmark::OffsetIter<'a>,
    links: Option<&'l dyn Links>,
    scan: Scan,
    slugs: Slugger,
    /// The text read since the last other event (where an unclosed `[[` may be).
    text_run: Option<Range<usize>>,
    in_code: usize,
    in_table: bool,
    /// The heading being read: its opening, its text, the events inside it.
    heading: Option<(Tag<'a>, String, Vec<Event<'a>>)>,
    /// The code block being read: its language and code.
    code: Option<(String, String)>,
    /// Open links, innermost last.
    open_links: Vec<Open>,
    /// Inside a `[[ref]]` without `|text`: its own text is replaced by the title.
    skip_wiki_text: bool,
    /// Open images written as images (their content is written as alt text).
    images: usize,
    /// Open images, innermost last: written as images, or marked as broken.
    open_images: Vec<Open>,
    pub(super) holes: Vec<Hole>,
    /// The next event for the writer, when it is the only one ready (most
    /// events pass straight through, without a trip through `ready`).
    next: Option<Event<'a>>,
    /// Events ready for the writer after `next`.
    ready: std::collections::VecDeque<Event<'a>>,
    /// The variables `{{name}}` in text is replaced with (none: kept).
    pub(super) vars: Option<&'a Variables>,
    /// The body offset up to which text was a placeholder already
    /// replaced (see `with_vars`).
    skip_to: usize,
    /// The last `}}` looked for in the body (see `super::CloseMemo`).
    close_memo: super::CloseMemo,
}

impl<'a, 'l> Compiler<'a, 'l> {
    pub(super) fn new(body: &'a str, links: Option<&'l dyn Links>) -> Self {
        Compiler {
            body,
            events: Parser::new_ext(body, options()).into_offset_iter(),
            links,
            scan: Scan::default(),
            slugs: Slugger::default(),
            text_run: None,
            in_code: 0,
            in_table: false,
            heading: None,
            code: None,
            open_links: Vec::new(),
            skip_wiki_text: false,
            images: 0,
            open_images: Vec::new(),
            holes: Vec::new(),
            next: None,
            ready: std::collections::VecDeque::new(),
            vars: None,
            skip_to: 0,
            close_memo: super::CloseMemo::default(),
        }
    }

    pub(super) fn finish(mut self) -> (Scan, Vec<Hole>) {
        self.flush_text();
        (self.scan, self.holes)
    }

    /// Hands an event to the writer (or to the heading being read).
    fn emit(&mut self, e: Event<'a>) {
        match self.heading.as_mut() {
            Some((_, _, inner)) => inner.push(e),
            None if self.next.is_none() && self.ready.is_empty() => self.next = Some(e),
            None => self.ready.push_back(e),
        }
    }

    /// Marks hole `hole` in the HTML; returns its marker.
    fn hole(&mut self, hole: Hole) -> CowStr<'a> {
        let n = self.holes.len();
        self.holes.push(hole);
        marker(n).into()
    }

    /// What the resolver needs: refs, local links, unclosed `[[`.
    /// (And, in a body read with variables, fills text's placeholders:
    /// see `with_vars`.)
    fn note(&mut self, ev: &mut Event<'a>, range: Range<usize>) {
        match ev {
            Event::Text(t) => {
                if self.in_code == 0 {
                    if let Some(vars) = self.vars {
                        self.with_vars(vars, t, range.start, range.end);
                    }
                    self.text_run = Some(match self.text_run.take() {
                        Some(r) if r.end >= range.start.saturating_sub(1) => {
                            r.start..range.end.max(r.end)
                        }
                        Some(r) => {
                            self.text_run = Some(r);
                            self.flush_text();
                            range
                        }
                        None => range,
                    });
                }
                return;
            }
            Event::Start(Tag::CodeBlock(_)) => self.in_code += 1,
            Event::End(TagEnd::CodeBlock) => self.in_code = self.in_code.saturating_sub(1),
            Event::Start(Tag::Table(_)) => self.in_table = true,
            Event::End(TagEnd::Table) => self.in_table = false,
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            }) => {
                // `[[` must be closed on its own line.
                let spans_lines = self.body[range.clone()].contains('\n');
                if spans_lines {
                    self.scan.unclosed.push(range.start);
                }
                self.scan.refs.push(WikiRef {
                    target: wiki_target(dest_url),
                    offset: range.start,
                    len: range.len(),
                    spans_lines,
                });
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if is_local(dest_url) =>
            {
                self.scan.links.push(Link {
                    dest: dest_url.to_string(),
                    offset: range.start,
                    len: range.len(),
                });
            }
            _ => {}
        }
        self.flush_text();
    }

    /// Notes each `[[` left in the text run read so far: unclosed, or cut
    /// in two by a table cell's `|`.
    fn flush_text(&mut self) {
        let Some(r) = self.text_run.take() else {
            return;
        };
        let body = self.body;
        let src = &body[r.clone()];
        let mut from = 0;
        while let Some(i) = crate::find_pair(&src[from..], *b"[[") {
            let at = r.start + from + i;
            let line = body[at..].split('\n').next().unwrap_or("");
            let cut = self.in_table && line.find('|').is_some_and(|p| line[p..].contains("]]"));
            if cut {
                self.scan.cut_by_cell.push(at);
            } else {
                self.scan.unclosed.push(at);
            }
            // One finding per run of brackets.
            from += i + 2;
            while src[from..].starts_with('[') {
                from += 1;
            }
        }
    }

    /// Turns one event of the body into the page's.
    fn take(&mut self, ev: Event<'a>) {
        if let Some((lang, code)) = self.code.as_mut() {
            match ev {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let html = crate::highlight::highlight(lang, code);
                    self.code = None;
                    self.emit(Event::Html(html.into()));
                }
                _ => {}
            }
            return;
        }
        match ev {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                self.emit(Event::Html(alert_open(kind).into()));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                self.emit(Event::Html(super::admonition::close_html(false).into()));
            }
            Event::Start(tag @ Tag::Heading { .. }) => {
                self.heading = Some((tag, String::new(), Vec::new()));
            }
            Event::End(TagEnd::Heading(end)) => {
                if let Some((
                    Tag::Heading {
                        level,
                        id,
                        classes,
                        attrs,
                    },
                    text,
                    inner,
                )) = self.heading.take()
                {
                    // An explicit `{#id}` wins over the generated slug.
                    let slug = match id {
                        Some(id) => id.to_string(),
                        None => self.slugs.slug(&text),
                    };
                    let anchor =
                        format!("<a class=\"anchor\" href=\"#{slug}\" aria-hidden=\"true\">#</a>");
                    self.emit(Event::Start(Tag::Heading {
                        level,
                        id: Some(slug.clone().into()),
                        classes,
                        attrs,
                    }));
                    self.emit(Event::Html(anchor.into()));
                    self.ready.extend(inner);
                    self.scan.headings.push(Heading {
                        level: level_num(level),
                        text,
                        slug,
                    });
                }
                self.emit(Event::End(TagEnd::Heading(end)));
            }
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => self.open_wiki(&dest_url, has_pothole),
            Event::End(TagEnd::Link) => match self.open_links.pop() {
                Some(Open::Broken) => self.emit(Event::Html("</span>".into())),
                Some(Open::Wiki(is_link)) => {
                    self.skip_wiki_text = false;
                    match self.links {
                        Some(_) => self.emit(Event::Html(wiki_end(is_link).into())),
                        // In alt text a closing tag is not written.
                        None if self.images == 0 => {
                            let m = self.hole(Hole::WikiEnd);
                            self.emit(Event::Html(m));
                        }
                        None => {}
                    }
                }
                _ if self.skip_wiki_text => {}
                _ => self.emit(Event::End(TagEnd::Link)),
            },
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match self.dest(dest_url) {
                Some(Ok(dest_url)) => {
                    self.open_links.push(Open::Link);
                    self.emit(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
                Some(Err(why)) => {
                    self.open_links.push(Open::Broken);
                    self.emit(Event::Html(broken_open("broken-link", &why).into()));
                }
                None => self.open_links.push(Open::Link),
            },
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => match self.dest(dest_url) {
                Some(Err(why)) => {
                    self.open_images.push(Open::Broken);
                    let tag = broken_open("broken-link broken-image", &why);
                    self.emit(Event::Html(tag.into()));
                }
                dest => {
                    if let Some(Ok(dest_url)) = dest {
                        self.emit(Event::Start(Tag::Image {
                            link_type,
                            dest_url,
                            title,
                            id,
                        }));
                    }
                    self.open_images.push(Open::Link);
                    self.images += 1;
                }
            },
            Event::End(TagEnd::Image) => {
                if self.open_images.pop() == Some(Open::Broken) {
                    self.emit(Event::Html("</span>".into()));
                } else {
                    self.images = self.images.saturating_sub(1);
                    if !self.skip_wiki_text {
                        self.emit(Event::End(TagEnd::Image));
                    }
                }
            }
            Event::Text(t) | Event::Code(t) if self.skip_wiki_text => {
                if let Some((_, h, _)) = self.heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::Text(t) => {
                if let Some((_, h, _)) = self.heading.as_mut() {
                    h.push_str(&t);
                }
                self.emit(Event::Text(t));
            }
            Event::Code(t) => {
                if let Some((_, h, _)) = self.heading.as_mut() {
                    h.push_str(&t);
                }
                self.emit(Event::Code(t));
            }
            _ if self.skip_wiki_text => {}
            other => self.emit(other),
        }
    }

    /// Text (not code) of a body read with variables, with each
    /// `{{name}}` replaced by the text of variable `name`; a name no
    /// variable has is kept and noted; `\\{{name}}` is kept. The reader
    /// cuts text at some characters (`_` among them): a placeholder's text
    /// after such a cut is left out of the next events (`skip_to`).
    #[inline(never)]
    fn with_vars(&mut self, vars: &Variables, t: &mut CowStr<'a>, start: usize, end: usize) {
        let range = start..end;
        let body = self.body;
        let src = &body[range.clone()];
        if **t != *src {
            // Not the text as written (an entity, an escape): placeholders
            // wholly inside it only.
            if t.contains("{{") {
                let before = self.scan.unknown_vars.len();
                *t = self.fill_vars(vars, t, range.start, None).into();
                // (Placed at the text's start, no longer than it.)
                for v in &mut self.scan.unknown_vars[before..] {
                    v.len = v.len.min(range.len());
                }
            }
            return;
        }
        let mut from = range.start;
        if self.skip_to > range.start {
            if self.skip_to >= range.end {
                *t = CowStr::Borrowed("");
                return;
            }
            from = self.skip_to;
        }
        let text = &body[from..range.end];
        *t = if text.contains("{{") {
            self.fill_vars(vars, text, from, Some(range.end)).into()
        } else {
            CowStr::Borrowed(text)
        };
    }

    /// `text` with its placeholders filled (see `with_vars`). With `end`,
    /// `text` is the body from offset `at` to `end`, and a placeholder may
    /// run on past `end`; without, `text` is not the body's (offsets of
    /// unknown names are then `at`).
    fn fill_vars(&mut self, vars: &Variables, text: &str, at: usize, end: Option<usize>) -> String {
        let body = self.body;
        let mut out = String::with_capacity(text.len());
        let mut local = super::CloseMemo::default();
        let mut i = 0;
        while let Some(k) = crate::find_pair(&text[i..], *b"{{") {
            let open = i + k;
            out.push_str(&text[i..open]);
            // Where the placeholder is written, and its `}}` (on its line).
            let (src, p, memo) = match end {
                Some(_) => (body, at + open, &mut self.close_memo),
                None => (text, open, &mut local),
            };
            let escaped = p > 0 && src.as_bytes()[p - 1] == b'\\';
            let Some(close) = super::close_on_line(src.as_bytes(), p, memo) else {
                // No `}}` on the line: none for any later `{{` either.
                out.push_str(&text[open..]);
                return out;
            };
            let name = src[p + 2..close].trim();
            let len = close + 2 - p;
            if escaped || !super::valid_variable(name) {
                out.push_str("{{");
                i = open + 2;
                continue;
            }
            match vars.get(name) {
                Some(value) => out.push_str(value),
                None => {
                    self.scan.unknown_vars.push(Placeholder {
                        name: name.to_string(),
                        offset: if end.is_some() { p } else { at },
                        len,
                    });
                    out.push_str(&text[open..(open + len).min(text.len())]);
                }
            }
            i = open + len;
            if i >= text.len() {
                // It runs on into the next events (the reader cut it).
                if let (Some(end), Some(_)) = (end, vars.get(name)) {
                    self.skip_to = at + i;
                    debug_assert!(self.skip_to >= end);
                }
                return out;
            }
        }
        out.push_str(&text[i..]);
        out
    }

    /// A `[[target]]` opens (`refs`' last, noted just before).
    fn open_wiki(&mut self, dest: &str, pothole: bool) {
        if !pothole {
            self.skip_wiki_text = true;
        }
        let n = self.scan.refs.len().saturating_sub(1) as u32;
        match self.links {
            Some(links) => {
                let (tag, text, is_link) = wiki_parts(links, &wiki_target(dest));
                self.emit(Event::Html(tag.into()));
                if !pothole {
                    self.emit(Event::Text(text.into_owned().into()));
                }
                self.open_links.push(Open::Wiki(is_link));
            }
            None => {
                if self.images == 0 {
                    let m = self.hole(Hole::Wiki { n, pothole });
                    self.emit(Event::Html(m));
                } else if !pothole {
                    // Alt text: the title alone.
                    let m = self.hole(Hole::WikiAlt { n });
                    self.emit(Event::Text(m));
                }
                self.open_links.push(Open::Wiki(true));
            }
        }
    }

    /// A link's or image's destination as the page has it: a local one
    /// resolved or marked (see `href`), or why it leads nowhere; `None`
    /// when the link is not written (in a `[[ref]]`'s own text, which its
    /// title replaces).
    fn dest(&mut self, dest: CowStr<'a>) -> Option<Result<CowStr<'a>, String>> {
        if is_local(&dest) {
            Some(self.href(dest))
        } else if self.skip_wiki_text {
            None
        } else {
            Some(Ok(dest))
        }
    }

    /// A local destination (`links`' last, noted just before): resolved,
    /// or marked as a hole (where it is written: not in alt text, where
    /// destinations are not written at all).
    fn href(&mut self, dest: CowStr<'a>) -> Result<CowStr<'a>, String> {
        match self.links {
            Some(_) if self.images > 0 => Ok(dest),
            Some(links) => rewrite(links, &dest).map(|h| h.into_string().into()),
            None if self.images == 0 => {
                let n = self.scan.links.len().saturating_sub(1) as u32;
                Ok(self.hole(Hole::Href { n }))
            }
            None => Ok(dest),
        }
    }
}

impl<'a> Iterator for Compiler<'a, '_> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(e) = self.next.take() {
                return Some(e);
            }
            if let Some(e) = self.ready.pop_front() {
                return Some(e);
            }
            let (mut ev, range) = self.events.next()?;
            self.note(&mut ev, range);
            if let Event::TaskListMarker(done) = ev {
                return Some(task_box(done));
            }
            // Most events go to the writer as they are (what `take` would
            // do with them), without being moved through it.
            if self.code.is_none()
                && self.heading.is_none()
                && !self.skip_wiki_text
                && passes_through(&ev)
            {
                return Some(ev);
            }
            self.take(ev);
        }
    }
}

/// An event `take` hands on unchanged outside code blocks, headings and a
/// `[[ref]]`'s own text.
/// A task list item's box: shown, not operable, and named (WCAG 2.1:
/// every form control has a label), "done" or "not done".
fn task_box<'a>(done: bool) -> Event<'a> {
    Event::InlineHtml(CowStr::Borrowed(if done {
        r#"<input type="checkbox" disabled="" checked="" aria-label="done"/> "#
    } else {
        r#"<input type="checkbox" disabled="" aria-label="not done"/> "#
    }))
}

fn passes_through(ev: &Event) -> bool {
    !matches!(
        ev,
        Event::Start(
            Tag::CodeBlock(_)
                | Tag::Heading { .. }
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::BlockQuote(Some(_))
        ) | Event::End(
            TagEnd::Heading(_)
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(Some(_))
        )
    )
}

/// A GitHub alert (`> [!NOTE]`) opens: a note like an admonition's.
fn alert_open(kind: BlockQuoteKind) -> String {
    let kind = match kind {
        BlockQuoteKind::Note => "note",
        BlockQuoteKind::Tip => "tip",
        BlockQuoteKind::Important => "important",
        BlockQuoteKind::Warning => "warning",
        BlockQuoteKind::Caution => "caution",
    };
    super::admonition::open_html(kind, None, None)
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
