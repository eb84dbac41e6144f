//! Markdown: one place that knows how bodies are read. Each body is parsed
//! once, at load ([`compile`]): into what the resolver needs ([`Scan`]:
//! headings and their anchors, `[[refs]]`, relative links, unclosed `[[`,
//! with byte offsets) and into its HTML, heading anchors and
//! syntect-highlighted code included, with holes where references go
//! ([`Compiled`]). Rendering a page fills the holes once references are
//! resolved; [`to_html`] renders a body in one go.

use std::borrow::Cow;
use std::ops::Range;

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
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Reads a body once, at load: what the resolver needs, and the body's HTML
/// with holes where what it points at goes (see [`Compiled`]).
pub fn compile(body: &str) -> (Scan, Compiled) {
    let mut c = Compiler::new(body, None);
    // Room for a body's usual references (grown a step at a time, these
    // lists were a reallocation every few references).
    c.holes.reserve(32);
    let mut w = HoleWriter {
        html: String::with_capacity(body.len() * 3 / 2),
        spots: Vec::with_capacity(32),
    };
    // Writing into a String cannot fail.
    let _ = pulldown_cmark::html::write_html_fmt(&mut w, &mut c);
    let (mut scan, holes) = c.finish();
    let compiled = Compiled::new(w, holes).unwrap_or_default();
    // Kept for the whole build: no room to spare.
    scan.headings.shrink_to_fit();
    scan.refs.shrink_to_fit();
    scan.links.shrink_to_fit();
    (scan, compiled)
}

/// What the resolver needs from a body (see [`compile`]).
pub fn scan(body: &str) -> Scan {
    compile(body).0
}

/// Renders a body to HTML, resolving its refs and links on the way.
pub fn to_html(body: &str, links: &dyn Links) -> String {
    let mut c = Compiler::new(body, Some(links));
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, &mut c);
    html
}

/// A body's HTML as far as it can be written before references are
/// resolved: headings with their anchors, highlighted code, and holes for
/// each `[[ref]]` (a link or a broken-ref mark, and the title) and each
/// local link's destination. Filling the holes gives exactly what
/// [`to_html`] writes, without reading the Markdown again.
#[derive(Debug, Clone, Default)]
pub struct Compiled {
    /// `None`: the holes could not be marked (the body's own text contains
    /// the marker), so the body is rendered in full when filled.
    html: Option<Box<str>>,
    /// Where each hole is in `html` (byte offsets, ascending).
    holes: Box<[(u32, Hole)]>,
}

/// What goes in a hole; numbers index the body's [`Scan`].
#[derive(Debug, Clone, Copy)]
enum Hole {
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
const HOLE: &str = "~smsitehole";

/// The marker of hole `n`.
fn marker(n: usize) -> String {
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
struct HoleWriter {
    html: String,
    /// Where each hole's marker was left out (byte offsets, ascending).
    spots: Vec<u32>,
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
    fn new(w: HoleWriter, holes: Vec<Hole>) -> Option<Compiled> {
        let HoleWriter { html, spots } = w;
        if spots.len() != holes.len()
            || memchr::memmem::find(html.as_bytes(), HOLE.as_bytes()).is_some()
        {
            return None;
        }
        Some(Compiled {
            html: Some(html.into_boxed_str()),
            holes: spots.into_iter().zip(holes).collect(),
        })
    }

    /// The body's HTML with its refs and links resolved; `body` is the
    /// Markdown it was compiled from, `scan` what it was read into.
    pub fn fill(&self, body: &str, scan: &Scan, links: &dyn Links) -> String {
        let Some(html) = &self.html else {
            return to_html(body, links);
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
                    let href = match links.link_at(n as usize, dest) {
                        Ok(href) => href,
                        Err(_) => Cow::Borrowed(dest),
                    };
                    pulldown_cmark_escape::escape_href(&mut out, &href)
                }
            };
        }
        out.push_str(&html[at..]);
        out
    }
}

/// `[[target]]` resolved: its opening tag, the text it shows without a
/// `|text` of its own, and whether it is a link (or a broken-ref mark).
fn wiki_parts<'l>(links: &'l dyn Links, target: &str) -> (String, Cow<'l, str>, bool) {
    let mut tag = String::new();
    let (text, is_link) = write_wiki_tag(&mut tag, links, target);
    (tag, text, is_link)
}

/// Writes `[[target]]`'s opening tag into `out`; returns the text it
/// shows without a `|text` of its own, and whether it is a link.
fn write_wiki_tag<'l>(
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

fn wiki_end(is_link: bool) -> &'static str {
    if is_link { "</a>" } else { "</span>" }
}

/// A local link's destination on the site (left as written when it does
/// not resolve: the `broken-reference` finding says why).
fn rewrite<'d>(links: &'d dyn Links, dest: &'d str) -> CowStr<'d> {
    match links.link(dest) {
        Ok(Cow::Borrowed(href)) => CowStr::Borrowed(href),
        Ok(Cow::Owned(href)) => href.into(),
        Err(_) => CowStr::Borrowed(dest),
    }
}

/// Reads a body's events once, noting what the resolver needs (`scan`)
/// and handing the HTML writer the events of the page: heading anchors,
/// highlighted code, and refs and links either resolved (`links`) or
/// marked as holes.
struct Compiler<'a, 'l> {
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
    /// Open links, innermost last: `Some(is_link)` for a `[[ref]]`.
    open_links: Vec<Option<bool>>,
    /// Inside a `[[ref]]` without `|text`: its own text is replaced by the title.
    skip_wiki_text: bool,
    /// Open images (their content is written as alt text).
    images: usize,
    holes: Vec<Hole>,
    /// The next event for the writer, when it is the only one ready (most
    /// events pass straight through, without a trip through `ready`).
    next: Option<Event<'a>>,
    /// Events ready for the writer after `next`.
    ready: std::collections::VecDeque<Event<'a>>,
}

impl<'a, 'l> Compiler<'a, 'l> {
    fn new(body: &'a str, links: Option<&'l dyn Links>) -> Self {
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
            holes: Vec::new(),
            next: None,
            ready: std::collections::VecDeque::new(),
        }
    }

    fn finish(mut self) -> (Scan, Vec<Hole>) {
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
    fn note(&mut self, ev: &Event, range: Range<usize>) {
        match ev {
            Event::Text(_) => {
                if self.in_code == 0 {
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
                Some(Some(is_link)) => {
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
            }) => {
                self.open_links.push(None);
                if let Some(dest_url) = self.dest(dest_url) {
                    self.emit(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if let Some(dest_url) = self.dest(dest_url) {
                    self.emit(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
                self.images += 1;
            }
            Event::End(TagEnd::Image) => {
                self.images = self.images.saturating_sub(1);
                if !self.skip_wiki_text {
                    self.emit(Event::End(TagEnd::Image));
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
                self.open_links.push(Some(is_link));
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
                self.open_links.push(Some(true));
            }
        }
    }

    /// A link's or image's destination as the page has it: a local one
    /// resolved or marked (see `href`); `None` when the link is not written
    /// (in a `[[ref]]`'s own text, which its title replaces).
    fn dest(&mut self, dest: CowStr<'a>) -> Option<CowStr<'a>> {
        if is_local(&dest) {
            Some(self.href(dest))
        } else if self.skip_wiki_text {
            None
        } else {
            Some(dest)
        }
    }

    /// A local destination (`links`' last, noted just before): resolved,
    /// or marked as a hole (where it is written: not in alt text).
    fn href(&mut self, dest: CowStr<'a>) -> CowStr<'a> {
        match self.links {
            Some(links) => rewrite(links, &dest).into_string().into(),
            None if self.images == 0 => {
                let n = self.scan.links.len().saturating_sub(1) as u32;
                self.hole(Hole::Href { n })
            }
            None => dest,
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
            let (ev, range) = self.events.next()?;
            self.note(&ev, range);
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
fn passes_through(ev: &Event) -> bool {
    !matches!(
        ev,
        Event::Start(
            Tag::CodeBlock(_) | Tag::Heading { .. } | Tag::Link { .. } | Tag::Image { .. }
        ) | Event::End(TagEnd::Heading(_) | TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock)
    )
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
    /// Borrowed where the answer is kept anyway (a page's every reference
    /// asks: copies for each added up).
    fn wiki(&self, target: &str) -> Result<(Cow<'_, str>, Cow<'_, str>), String>;
    /// A local link destination: `Ok(href)` or `Err(message)`.
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
fn write_wiki_open(out: &mut String, href: &str, target: &str) -> std::fmt::Result {
    // `data-id`: the print stylesheet shows the id after the title.
    out.push_str("<a class=\"ref\" href=\"");
    pulldown_cmark_escape::escape_html(&mut *out, href)?;
    out.push_str("\" data-id=\"");
    pulldown_cmark_escape::escape_html(&mut *out, target)?;
    out.push_str("\">");
    Ok(())
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
}

#[cfg(test)]
mod compiled {
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
        assert!(html.contains("href=\"gone.md#h\""), "{html}");
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
            "[g](gone.md)", "![alt [[SVC-A]] [[BAD-4|z]]](p.png)", "![a [b](c.md) *e*](p.png)", "![](https://e.org/p.png)",
            "<x@e.org>", "\n\n", "\n", "| a | b |\n|---|---|\n| [[SVC-D\\|d]] | [[E|e]] |\n",
            "```\n[[NOT]] ~smsitehole0.\n```\n", "`[[code]]`", "~smsitehole", "0.", "&#126;smsitehole1.",
            "- item [[SVC-A]]\n", "> quote [q](b.md)\n", "[^1]\n\n[^1]: note [[SVC-A]]\n", "*[[SVC-A]]*",
        ]), 0..14)) {
            let body: String = parts.concat();
            let (html, _) = filled(&body);
            proptest::prop_assert_eq!(html, to_html(&body, &L));
        }
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
