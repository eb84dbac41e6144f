//! Admonitions written for mkdocs (Python-Markdown's `!!! type "Title"`
//! and the collapsible `??? type` / `???+ type` of pymdownx.details), each
//! followed by its body indented by four spaces. Policy packs written for
//! other tools are full of them; CommonMark has none (it reads the marker
//! as a paragraph and the body as code).
//!
//! Before a body is read, each admonition is rewritten into what the
//! Markdown reader understands: an HTML block opening a styled note (a
//! `<details>` for a collapsible one) with its title, the body un-indented
//! by four columns (so its Markdown is read as anywhere else: headings,
//! lists, references, code), and the closing tag. [`Prepared`] maps every
//! offset of the rewritten text back to the body, so findings inside an
//! admonition point at their real line and column.
//!
//! A body without `!!!` or `???` is not touched (one search for them).
//! Markers inside fenced code blocks are text.

use std::fmt::Write;

use super::{Placeholder, Variables};

/// A body rewritten for the reader, and where its bytes come from.
pub(super) struct Prepared {
    pub(super) text: String,
    /// `{{name}}` placeholders in titles whose name no variable has
    /// (offsets of the body).
    pub(super) unknown_vars: Vec<Placeholder>,
    /// `(offset in text, offset in the body)`, ascending: from each
    /// offset on, the text is a copy of the body (or, up to the next
    /// entry, inserted markup, which maps to where it was inserted).
    map: Vec<(usize, usize)>,
}

impl Prepared {
    /// The body offset of byte `at` of the rewritten text.
    pub(super) fn orig(&self, at: usize) -> usize {
        let i = self
            .map
            .partition_point(|&(t, _)| t <= at)
            .saturating_sub(1);
        let Some(&(t, b)) = self.map.get(i) else {
            return at;
        };
        let o = b + at.saturating_sub(t);
        match self.map.get(i + 1) {
            Some(&(_, next)) => o.min(next.max(b)),
            None => o,
        }
    }
}

/// Whether `body` may hold an admonition: `!!!` or `???` somewhere.
fn may_hold(body: &[u8]) -> bool {
    let mut from = 0;
    while let Some(i) = memchr::memchr2(b'!', b'?', &body[from..]) {
        let at = from + i;
        let c = body[at];
        if body.get(at + 1) == Some(&c) && body.get(at + 2) == Some(&c) {
            return true;
        }
        from = at + 1;
    }
    false
}

/// An admonition's opening line, read.
struct Marker<'a> {
    /// `!!!`: always open; `???`: collapsed; `???+`: collapsible, open.
    collapsible: Option<bool>,
    kind: &'a str,
    /// `None`: no title given (the type is the title); `Some("")`: `""`.
    title: Option<&'a str>,
}

/// Reads `line` (its indentation removed, no line break) as an
/// admonition's opening line.
fn marker(line: &str) -> Option<Marker<'_>> {
    let (collapsible, rest) = if let Some(r) = line.strip_prefix("!!!") {
        (None, r)
    } else if let Some(r) = line.strip_prefix("???+") {
        (Some(true), r)
    } else if let Some(r) = line.strip_prefix("???") {
        (Some(false), r)
    } else {
        return None;
    };
    let rest = rest.trim();
    let (words, title) = match rest.find('"') {
        Some(q) => {
            let t = rest[q + 1..].strip_suffix('"')?;
            (&rest[..q], Some(t))
        }
        None => (rest, None),
    };
    let kind = words.split_whitespace().next()?;
    if !kind
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    Some(Marker {
        collapsible,
        kind,
        title,
    })
}

/// The style an admonition type is shown in (mkdocs' types and their
/// aliases, GitHub's alert kinds); `note` for any other type.
pub(super) fn family(kind: &str) -> &'static str {
    match kind.to_ascii_lowercase().as_str() {
        "abstract" | "summary" | "tldr" => "abstract",
        "info" | "todo" => "info",
        "tip" | "hint" => "tip",
        "important" => "important",
        "success" | "check" | "done" => "success",
        "question" | "help" | "faq" => "question",
        "warning" | "attention" => "warning",
        "caution" => "caution",
        "failure" | "fail" | "missing" => "failure",
        "danger" | "error" => "danger",
        "bug" => "bug",
        "example" => "example",
        "quote" | "cite" => "quote",
        _ => "note",
    }
}

/// The opening markup of an admonition of type `kind` (shown as a word),
/// titled `title` (escaped here: a title is text), at indentation `pad`.
pub(super) fn open_html(kind: &str, title: Option<&str>, collapsible: Option<bool>) -> String {
    let title = title.map(str::trim).filter(|t| !t.is_empty());
    // The type as a word (`TLDR` when the title is the type, as written).
    let mut word = String::with_capacity(kind.len());
    match title {
        Some(t) if t.eq_ignore_ascii_case(kind) => word.push_str(t),
        _ => {
            let mut chars = kind.chars();
            if let Some(c) = chars.next() {
                word.extend(c.to_uppercase());
                word.push_str(chars.as_str());
            }
        }
    }
    let title = title.filter(|t| !t.eq_ignore_ascii_case(kind));
    let mut h = String::with_capacity(160);
    let class = family(kind);
    let (tag, head) = match collapsible {
        None => ("div", "p"),
        Some(_) => ("details", "summary"),
    };
    let _ = write!(h, "<{tag} class=\"admonition {class}\"");
    match collapsible {
        None => h.push_str(" role=\"note\""),
        Some(true) => h.push_str(" open"),
        Some(false) => {}
    }
    let _ = write!(
        h,
        ">\n<{head} class=\"admonition-title\"><span class=\"admonition-type\">"
    );
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut h, &word);
    h.push_str("<span class=\"visually-hidden\">:</span></span>");
    if let Some(t) = title {
        h.push(' ');
        let _ = pulldown_cmark_escape::escape_html_body_text(&mut h, t);
    }
    let _ = writeln!(h, "</{head}>");
    h
}

/// The closing tag of an admonition (see [`open_html`]).
pub(super) fn close_html(collapsible: bool) -> &'static str {
    if collapsible {
        "</details>\n"
    } else {
        "</div>\n"
    }
}

/// An admonition's title (at offset `at` of the body) with each
/// `{{name}}` replaced by the text of variable `name` (see
/// `markdown::compile_with`); names no variable has are kept and noted.
fn title_with(title: &str, at: usize, vars: &Variables, unknown: &mut Vec<Placeholder>) -> String {
    let mut out = String::with_capacity(title.len());
    let mut memo = super::CloseMemo::default();
    let mut from = 0;
    while let Some(i) = crate::find_pair(&title[from..], *b"{{") {
        let open = from + i;
        out.push_str(&title[from..open]);
        let Some(close) = super::close_on_line(title.as_bytes(), open, &mut memo) else {
            from = open;
            break;
        };
        let end = close + 2;
        let name = title[open + 2..close].trim();
        let escaped = title[..open].ends_with('\\');
        match vars.get(name) {
            Some(v) if !escaped => out.push_str(v),
            None if !escaped && super::valid_variable(name) => {
                unknown.push(Placeholder {
                    name: name.to_string(),
                    offset: at + open,
                    len: end - open,
                });
                out.push_str(&title[open..end]);
            }
            _ => out.push_str(&title[open..end]),
        }
        from = end;
    }
    out.push_str(&title[from..]);
    out
}

/// An admonition open at the line being read.
struct Open {
    /// The marker's indentation (columns).
    indent: usize,
    collapsible: bool,
}

/// A fenced code block open at the line being read.
struct Fence {
    ch: u8,
    len: usize,
    /// Admonitions open when it opened; closing one of them ends it.
    depth: usize,
    /// Its opening line, un-indented, up to the fence characters.
    pad: usize,
}

/// The rewriting of one body.
struct Writer<'b> {
    body: &'b str,
    vars: Option<&'b Variables>,
    unknown_vars: Vec<Placeholder>,
    out: String,
    map: Vec<(usize, usize)>,
    open: Vec<Open>,
    fence: Option<Fence>,
}

impl Writer<'_> {
    /// Copies `body[from..to]`.
    fn copy(&mut self, from: usize, to: usize) {
        if from < to {
            self.map.push((self.out.len(), from));
            self.out.push_str(&self.body[from..to]);
        }
    }

    /// Inserts `text` where the body is at `at`.
    fn insert(&mut self, at: usize, text: &str) {
        self.map.push((self.out.len(), at));
        self.out.push_str(text);
    }

    /// Closes the innermost admonition, where the body is at `at`.
    fn close(&mut self, at: usize) {
        let Some(o) = self.open.pop() else { return };
        let pad = " ".repeat(o.indent.saturating_sub(4 * self.open.len()));
        let mut t = String::new();
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            t.push('\n');
        }
        // A code block left open inside it ends with it.
        if let Some(f) = self.fence.take_if(|f| f.depth > self.open.len()) {
            t.push_str(&" ".repeat(f.pad));
            t.extend(std::iter::repeat_n(char::from(f.ch), f.len));
            t.push('\n');
        }
        t.push('\n');
        t.push_str(&pad);
        t.push_str(close_html(o.collapsible));
        t.push('\n');
        self.insert(at, &t);
    }

    /// Copies the line `body[start..end]` without the first `cols`
    /// columns of its indentation (a tab reaches the next multiple of 4).
    fn copy_dedented(&mut self, start: usize, end: usize, cols: usize) {
        let b = self.body.as_bytes();
        let (mut i, mut w) = (start, 0);
        while w < cols && i < end {
            match b[i] {
                b' ' => w += 1,
                b'\t' => w = (w / 4 + 1) * 4,
                _ => break,
            }
            i += 1;
        }
        if w > cols {
            self.insert(i, &" ".repeat(w - cols));
        }
        self.copy(i, end);
    }

    fn line(&mut self, start: usize, end: usize) {
        let line = &self.body[start..end];
        let content = line.trim_start_matches([' ', '\t']);
        let ind = indentation(&line[..line.len() - content.len()]);
        let blank = content.trim().is_empty();
        if !blank {
            while self.open.last().is_some_and(|o| ind < o.indent + 4) {
                self.close(start);
            }
        }
        let depth = self.open.len();
        if let Some(f) = &self.fence {
            let t = content.trim_end();
            let closes = t.len() >= f.len && t.bytes().all(|c| c == f.ch);
            if closes {
                self.fence = None;
            }
        } else if let Some(m) = marker(content.trim_end()) {
            let pad = " ".repeat(ind.saturating_sub(4 * depth));
            let title = match (m.title, self.vars) {
                (Some(t), Some(vars)) if t.contains("{{") => {
                    let at = t.as_ptr() as usize - self.body.as_ptr() as usize;
                    Some(title_with(t, at, vars, &mut self.unknown_vars))
                }
                _ => None,
            };
            let mut t = String::with_capacity(200);
            for (k, l) in open_html(m.kind, title.as_deref().or(m.title), m.collapsible)
                .lines()
                .enumerate()
            {
                if k == 0 && !self.out.is_empty() && !self.out.ends_with("\n\n") {
                    // A blank line before it: the note starts a block.
                    t.push('\n');
                }
                t.push_str(&pad);
                t.push_str(l);
                t.push('\n');
            }
            t.push('\n');
            self.insert(start, &t);
            self.open.push(Open {
                indent: ind,
                collapsible: m.collapsible.is_some(),
            });
            return;
        } else if let Some((ch, len)) = fence_open(content) {
            self.fence = Some(Fence {
                ch,
                len,
                depth,
                pad: ind.saturating_sub(4 * depth),
            });
        }
        self.copy_dedented(start, end, 4 * depth);
    }
}

/// The width of indentation `ws` (spaces and tabs) in columns.
fn indentation(ws: &str) -> usize {
    ws.bytes()
        .fold(0, |w, c| if c == b'\t' { (w / 4 + 1) * 4 } else { w + 1 })
}

/// A fenced code block's opening (``` or ~~~, three or more).
fn fence_open(content: &str) -> Option<(u8, usize)> {
    let ch = *content.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = content.bytes().take_while(|&c| c == ch).count();
    (len >= 3).then_some((ch, len))
}

/// `body` with its admonitions rewritten (see the module docs); `None`
/// when it has none.
pub(super) fn prepare(body: &str, vars: Option<&Variables>) -> Option<Prepared> {
    if !may_hold(body.as_bytes()) {
        return None;
    }
    let mut w = Writer {
        body,
        vars,
        unknown_vars: Vec::new(),
        out: String::with_capacity(body.len() + 256),
        map: Vec::new(),
        open: Vec::new(),
        fence: None,
    };
    let mut found = false;
    let mut start = 0;
    for line in body.split_inclusive('\n') {
        let end = start + line.len();
        let before = w.open.len();
        w.line(start, end);
        found |= w.open.len() > before;
        start = end;
    }
    if !found {
        return None;
    }
    while !w.open.is_empty() {
        w.close(body.len());
    }
    Some(Prepared {
        text: w.out,
        unknown_vars: w.unknown_vars,
        map: w.map,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        let m = marker("!!! note \"A \"quoted\" title\"").expect("a marker");
        assert_eq!(
            (m.kind, m.title, m.collapsible),
            ("note", Some("A \"quoted\" title"), None)
        );
        let m = marker("???+ danger highlight").expect("a marker");
        assert_eq!(
            (m.kind, m.title, m.collapsible),
            ("danger", None, Some(true))
        );
        assert_eq!(marker("??? tip \"\"").map(|m| m.title), Some(Some("")));
        assert!(marker("!!!").is_none());
        assert!(marker("!!! note \"open").is_none());
        assert!(marker("!!! a/b").is_none());
        assert!(marker("Wow!!! that").is_none());
    }

    #[test]
    fn placeholders_in_titles() {
        let vars: Variables = [("org".to_string(), "Acme".to_string())].into();
        let mut unknown = Vec::new();
        let t = "A {{org}} \\{{org}} {{ orgs }} {{x y}} {{org";
        assert_eq!(
            title_with(t, 100, &vars, &mut unknown),
            "A Acme \\{{org}} {{ orgs }} {{x y}} {{org"
        );
        assert_eq!(unknown.len(), 1);
        assert_eq!((unknown[0].offset, unknown[0].len), (100 + 19, 10));
    }

    #[test]
    fn bodies_without_admonitions_are_left_alone() {
        for b in [
            "",
            "Hello!!",
            "Why??? Because",
            "```\n!!! note\n    x\n```\n",
        ] {
            assert!(prepare(b, None).is_none(), "{b:?}");
        }
    }

    #[test]
    fn rewritten_with_offsets_mapped_back() {
        let body = "Intro\n!!! note \"Read <me>\"\n    See [[A]].\n\n    ```\n    !!! not a marker\n    ```\n\tTabbed [[B]]\nAfter [[C]]\n";
        let p = prepare(body, None).expect("an admonition");
        assert!(
            p.text
                .contains("<div class=\"admonition note\" role=\"note\">"),
            "{}",
            p.text
        );
        assert!(p.text.contains("Read &lt;me&gt;</p>"), "{}", p.text);
        assert!(p.text.contains("\nSee [[A]].\n"), "{}", p.text);
        assert!(p.text.contains("\n!!! not a marker\n"), "{}", p.text);
        for r in ["[[A]]", "[[B]]", "[[C]]"] {
            let at = p.text.find(r).expect("kept");
            assert_eq!(p.orig(at), body.find(r).expect("in the body"), "{r}");
        }
        let close = p.text.find("</div>").expect("closed");
        assert!(close < p.text.find("After").expect("after"));
    }
}
