//! Code highlighting: fenced code blocks to HTML with `hl-` CSS classes,
//! through syntect. Owns the syntax set (loaded once, lazily), a cache of
//! whole blocks by (language, code) and a per-thread memo of parsed lines.
//!
//! Highlighting is by far the dearest step of rendering a page with code
//! (regular-expression searches on every position of every line), so it
//! is done as seldom as possible: a block seen before is copied, and a
//! line seen before in the same parser state is not parsed again (blank
//! lines, closing braces, a snippet pasted into many documents with one
//! line changed). Both give exactly the HTML a fresh parse would.

use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use syntect::html::{ClassStyle, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::FastMap;
use crate::html::{attr, escape};

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The syntax set, loaded once, on first use (a build without code blocks never pays for it).
fn syntaxes() -> &'static SyntaxSet {
    static S: OnceLock<SyntaxSet> = OnceLock::new();
    S.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Bytes of highlighted blocks kept (code and HTML); see [`cache_highlights`].
static CACHE_BUDGET: AtomicUsize = AtomicUsize::new(8 << 20);

/// Keeps up to `bytes` of highlighted blocks, by (language, code). A build
/// keeps 8 MiB (repositories repeat snippets, but a clean build of
/// distinct blocks would only hold them all); `serve` keeps far more, as
/// it renders every unchanged block again for the evidence pack on each save.
pub fn cache_highlights(bytes: usize) {
    CACHE_BUDGET.store(bytes, Ordering::Relaxed);
}

/// Highlights a code block with CSS classes (`hl-` prefixed) so themes can
/// restyle it (cached by (language, code), see [`cache_highlights`]).
pub fn highlight(lang: &str, code: &str) -> String {
    /// The blocks and their total size.
    type Cache = Mutex<(FastMap<(String, String), String>, usize)>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new((FastMap::default(), 0)));
    let budget = CACHE_BUDGET.load(Ordering::Relaxed);
    if budget == 0 {
        return highlight_uncached(lang, code);
    }
    let key = (lang.to_string(), code.to_string());
    if let Ok(c) = cache.lock()
        && let Some(hit) = c.0.get(&key)
    {
        return hit.clone();
    }
    let html = highlight_uncached(lang, code);
    if let Ok(mut c) = cache.lock() {
        let size = key.0.len() + key.1.len() + html.len();
        if c.1 + size > budget {
            // Full: start again (cheap next to highlighting, and bounded).
            c.0 = FastMap::default();
            c.1 = 0;
        }
        if size <= budget {
            c.1 += size;
            c.0.insert(key, html.clone());
        }
    }
    html
}

/// Highlights a block without the block cache (the line memo still
/// applies): the HTML of `<pre><code>`, plain escaped text for a language
/// syntect does not know.
fn highlight_uncached(lang: &str, code: &str) -> String {
    let lang_attr = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", attr(lang))
    };
    let inner = if lang.is_empty() {
        None
    } else {
        let set = syntaxes();
        set.find_syntax_by_token(lang)
            .and_then(|syntax| classed(syntax, set, code))
    };
    let inner = inner.unwrap_or_else(|| escape(code));
    format!("<pre class=\"code\"><code{lang_attr}>{inner}</code></pre>\n")
}

/// The classed spans of `code`, as syntect's `ClassedHTMLGenerator` makes
/// them, with each line parsed through the memo; `None` if syntect fails.
fn classed(syntax: &SyntaxReference, set: &SyntaxSet, code: &str) -> Option<String> {
    let mut state = ParseState::new(syntax);
    let mut scopes = ScopeStack::new();
    let mut html = String::with_capacity(code.len() * 3);
    let mut open: isize = 0;
    LINES.with_borrow_mut(|memo| {
        for line in LinesWithEndings::from(code) {
            let ops = memo.parse(&mut state, line, set)?;
            let (spans, delta) =
                line_tokens_to_classed_spans(line, ops, STYLE, &mut scopes).ok()?;
            open += delta;
            html.push_str(&spans);
        }
        Some(())
    })?;
    for _ in 0..open {
        html.push_str("</span>");
    }
    Some(html)
}

thread_local! {
    /// Each rendering thread's memo of parsed lines.
    static LINES: RefCell<LineMemo> = RefCell::new(LineMemo::default());
}

/// Bytes of parsed lines one thread keeps before it starts again: enough
/// for every distinct line of a large repository's snippets, small next to
/// the pages themselves.
const LINE_BUDGET: usize = 4 << 20;

/// Parser states kept per line text: a line recurs in a handful of states
/// (top level, inside a block, inside a string); more is noise.
const STATES_PER_LINE: usize = 8;

/// Parsing a line is a function of the parser's state before it and the
/// line's text (syntect's parser is deterministic and `ParseState` holds
/// all it carries from line to line), so a line met again in an equal
/// state takes the scope operations and the state after from the memo.
#[derive(Default)]
struct LineMemo {
    by_text: FastMap<Box<str>, Vec<Parsed>>,
    bytes: usize,
}

struct Parsed {
    before: ParseState,
    ops: Vec<(usize, ScopeStackOp)>,
    after: ParseState,
}

impl LineMemo {
    /// The scope operations of `line` parsed in `state`, which moves on to
    /// the state after the line.
    fn parse(
        &mut self,
        state: &mut ParseState,
        line: &str,
        set: &SyntaxSet,
    ) -> Option<&[(usize, ScopeStackOp)]> {
        // Found by position, then borrowed again: returning the first
        // borrow would keep `self` borrowed for the insertion below.
        let hit = self
            .by_text
            .get(line)
            .and_then(|seen| seen.iter().position(|p| p.before == *state));
        if let Some(i) = hit {
            let p = &self.by_text.get(line)?[i];
            state.clone_from(&p.after);
            return Some(&p.ops);
        }
        let before = state.clone();
        let ops = state.parse_line(line, set).ok()?;
        // A rough size: the text, the operations, two small states.
        let size = line.len() + ops.len() * std::mem::size_of::<(usize, ScopeStackOp)>() + 256;
        if self.bytes + size > LINE_BUDGET {
            self.by_text = FastMap::default();
            self.bytes = 0;
        }
        let seen = self.by_text.entry(line.into()).or_default();
        if seen.len() >= STATES_PER_LINE {
            seen.remove(0);
        }
        self.bytes += size;
        seen.push(Parsed {
            before,
            ops,
            after: state.clone(),
        });
        seen.last().map(|p| p.ops.as_slice())
    }
}

/// The stylesheet for highlighted code (light theme, `hl-` classes). The
/// default theme ships its output as `static/syntax.css` (a test keeps the
/// two equal), so builds never load syntect's themes. Every text colour
/// of the theme is darkened (hue kept) until it meets WCAG AA contrast
/// (4.5:1) on the code blocks' background, [`CODE_BACKGROUND`].
pub fn syntax_css() -> String {
    use syntect::highlighting::ThemeSet;
    use syntect::html::css_for_theme_with_class_style;
    let mut themes = ThemeSet::load_defaults();
    let Some(theme) = themes.themes.get_mut("InspiredGitHub") else {
        return String::new();
    };
    if let Some(fg) = theme.settings.foreground.as_mut() {
        *fg = readable(*fg, CODE_BACKGROUND);
    }
    for item in &mut theme.scopes {
        let bg = item
            .style
            .background
            .map_or(CODE_BACKGROUND, |c| (c.r, c.g, c.b));
        if let Some(fg) = item.style.foreground.as_mut() {
            *fg = readable(*fg, bg);
        }
    }
    css_for_theme_with_class_style(theme, STYLE).unwrap_or_default()
}

/// The background of code blocks in the default theme (`pre.code`, the
/// theme's `--soft`).
pub const CODE_BACKGROUND: (u8, u8, u8) = (0xf6, 0xf8, 0xfa);

/// `fg` darkened in small steps, hue kept, until its contrast with `bg`
/// is at least 4.5:1 (with a little to spare for rounding).
fn readable(fg: syntect::highlighting::Color, bg: (u8, u8, u8)) -> syntect::highlighting::Color {
    let mut c = fg;
    let mut scale = 1.0f64;
    while contrast((c.r, c.g, c.b), bg) < 4.6 && scale > 0.0 {
        scale -= 0.02;
        let f = |v: u8| (f64::from(v) * scale.max(0.0)).round() as u8;
        c = syntect::highlighting::Color {
            r: f(fg.r),
            g: f(fg.g),
            b: f(fg.b),
            a: fg.a,
        };
    }
    c
}

/// The WCAG contrast ratio of two sRGB colours.
pub fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    fn lum((r, g, b): (u8, u8, u8)) -> f64 {
        let ch = |v: u8| {
            let s = f64::from(v) / 255.0;
            if s <= 0.03928 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
    }
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What syntect's own generator makes of `code`, line by line.
    fn reference(lang: &str, code: &str) -> String {
        use syntect::html::ClassedHTMLGenerator;
        let set = syntaxes();
        let syntax = set.find_syntax_by_token(lang).expect("a known language");
        let mut g = ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
        for line in LinesWithEndings::from(code) {
            g.parse_html_for_line_which_includes_newline(line)
                .expect("syntect parses the test's code");
        }
        g.finalize()
    }

    #[test]
    fn memoised_lines_give_syntect_own_html() {
        // Lines recurring in different states: `"""` opens and closes a
        // string, `}` closes blocks at several depths, blank lines everywhere.
        let cases = [
            (
                "python",
                "def f():\n    \"\"\"\n    x = 1\n    \"\"\"\n    x = 1\n\n\nx = 1\n\"\"\"\nx = 1\n\"\"\"\n",
            ),
            (
                "rust",
                "fn a() {\n    if x {\n        y();\n    }\n}\n\nfn b() {\n    /*\n}\n    */\n}\n",
            ),
            ("bash", "cat <<EOF\nx=1\nEOF\nx=1\n\n# x=1\nx=1\n"),
            ("yaml", "a: |\n  b: 1\nb: 1\n  b: 1\n---\nb: 1\n"),
        ];
        for (lang, code) in cases {
            let expected = reference(lang, code);
            // Twice: the second pass runs entirely from the memo.
            for pass in 0..2 {
                let got = classed(
                    syntaxes().find_syntax_by_token(lang).expect("known"),
                    syntaxes(),
                    code,
                );
                assert_eq!(
                    got.as_deref(),
                    Some(expected.as_str()),
                    "{lang}, pass {pass}"
                );
            }
        }
    }

    #[test]
    fn unknown_language_and_no_language_are_escaped_text() {
        assert_eq!(
            highlight_uncached("nosuchlang", "a < b\n"),
            "<pre class=\"code\"><code class=\"language-nosuchlang\">a &lt; b\n</code></pre>\n"
        );
        assert_eq!(
            highlight_uncached("", "<x>\n"),
            "<pre class=\"code\"><code>&lt;x&gt;\n</code></pre>\n"
        );
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

    #[test]
    fn every_text_colour_meets_aa_contrast_on_code_blocks() {
        use crate::highlight::{CODE_BACKGROUND, contrast};
        let css = crate::highlight::syntax_css();
        let hex = |s: &str| u8::from_str_radix(s, 16).unwrap_or(0);
        let mut seen = 0;
        for rule in css.split('}') {
            let bg = rule
                .split("background-color: #")
                .nth(1)
                .map(|h| (hex(&h[0..2]), hex(&h[2..4]), hex(&h[4..6])));
            for part in rule.split("\n color: #").skip(1) {
                let c = (hex(&part[0..2]), hex(&part[2..4]), hex(&part[4..6]));
                let on = bg.unwrap_or(CODE_BACKGROUND);
                assert!(contrast(c, on) >= 4.5, "{c:?} on {on:?} in {rule}");
                seen += 1;
            }
        }
        assert!(seen > 20, "{seen} colours");
        assert!((contrast((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 1e-9);
    }
}
